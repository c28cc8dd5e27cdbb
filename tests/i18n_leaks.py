"""Finding English in Danish output: the catalogue's English fragments, and where they leak."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def english_fragments() -> dict[str, str]:
    """Each catalogue msgid whose Danish differs, as the literal pieces it prints (between its
    placeholders) that a reader would notice: a word of 4+ letters or several words."""
    import re

    from babel.messages.pofile import read_po

    po = ROOT / "snitgraf" / "locale" / "da" / "LC_MESSAGES" / "snitgraf.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    danish = "\n".join(
        text
        for message in catalogue
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    )
    fragments: dict[str, str] = {}
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, text in zip(ids, texts, strict=False):
            if not msgid or msgid == text or "\n" in msgid:  # same word, or --help text
                continue
            for piece in re.split(r"\{[^}]*\}", msgid):
                piece = piece.strip(" :;,.()'\"-")
                noticed = re.search(r"[A-Za-z]{4,}|[A-Za-z]+ [A-Za-z]+", piece)
                # A piece the Danish texts use too ('data', a code, a column name) is not English.
                if noticed and not re.search(_whole(piece), danish):
                    fragments.setdefault(piece, msgid)
    return fragments


def _whole(piece: str) -> str:
    """A regular expression finding `piece` as whole words (not inside 'x-new' or 'newer')."""
    import re

    return r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])"


def leaks(output: str, fragments: dict[str, str]) -> list[str]:
    """The English fragments found in `output` as whole words, outside file paths: a path is
    the user's (a checkout in `/srv/check/` is no English leak)."""
    import re

    output = re.sub(r"(?:/[\w.+-]+){2,}", "<sti>", output)
    return sorted(
        f"{piece!r} (from {msgid!r})"
        for piece, msgid in fragments.items()
        if re.search(_whole(piece), output)
    )
