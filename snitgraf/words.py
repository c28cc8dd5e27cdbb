"""Code values as people read them: statuses, roles, needs, payers, move kinds.

Programs read the codes (JSON values, CSV cells: `repointed`, `must`, `undecided`); terminal
tables and reasons show their words in the active language (`repointed` -> `omlagt`).
A code without a word here (category codes, `KOMBIT`, `kommune`, `as-is`) reads as it is.
"""

from __future__ import annotations

from snitgraf.i18n import N_, _

WORDS: dict[str, str] = {
    # gap status
    "kept": N_("kept"),
    "repointed": N_("repointed"),
    "retired": N_("retired"),
    "new": N_("new"),
    # roles of a system towards an interface
    "provider": N_("provider"),
    "user": N_("user"),
    "provides": N_("provides"),
    "uses": N_("uses"),
    # needs
    "must": N_("must"),
    "nice": N_("nice"),
    # payers (budget, impact)
    "undecided": N_("undecided"),
    "total": N_("total"),
    # what happens to a role in TO-BE
    "moved": N_("moved"),
    "dropped": N_("dropped"),
    "already-stated": N_("already-stated"),
    "superseded": N_("superseded"),
    # what a portfolio holds (its kinds of row)
    "suppliers": N_("suppliers"),
    "systems": N_("systems"),
    "interfaces": N_("interfaces"),
    "usages": N_("usages"),
    "contracts": N_("contracts"),
    "municipalities": N_("municipalities"),
    "deployments": N_("deployments"),
}
"""Code -> msgid of the word people read."""


def word(code: str | None) -> str:
    """The word for a code in the active language; an unknown code (or None: '') as it is."""
    if code is None:
        return ""
    msgid = WORDS.get(code)
    return _(msgid) if msgid else code


def role_word(role: str) -> str:
    """A role (provider, user, provides, uses) in the active language."""
    return word(role)


def need_word(need: str | None) -> str:
    """A need (must, nice) in the active language."""
    return word(need)


def words(codes: tuple[str, ...] | list[str]) -> list[str]:
    """Several codes, each as its word."""
    return [word(code) for code in codes]
