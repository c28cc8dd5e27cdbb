"""Text for people, through gettext: `_("English source")` gives the active language's text.

Danish is the default; `snitgraf --lang en` or SNITGRAF_LANG=en gives English. Source strings
are English; the Danish catalogue lives in snitgraf/locale (extracted with pybabel).
"""

from __future__ import annotations


def _(message: str) -> str:
    """The active language's text for an English source string."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The active language's text for a count: singular when n == 1, else plural."""
    return singular if n == 1 else plural
