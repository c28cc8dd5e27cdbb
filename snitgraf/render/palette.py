"""One palette and one legend for the five categories: diagrams, report and Excel use these.

The colours are the Okabe–Ito set (Okabe & Ito, "Color Universal Design"), chosen to stay
apart for the common colour-vision deficiencies and differing in lightness for greyscale
print: KOMBIT's categories are the blues and the green (dark blue where KOMBIT pays, sky blue
where it only offers), the municipality's own orange, the undecided ones reddish purple.
Sky blue and orange are light as lines on white (2.3:1), so lines are drawn 2 px or wider
and a swatch always stands beside its text; text on a category colour takes `text`
(at least 4.5:1, WCAG AA) and table cells the light `tint` under dark text (at least 11:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from snitgraf.i18n import N_, _


@dataclass(frozen=True)
class CategoryStyle:
    """How a category looks everywhere: its colour, a light tint for cells, its legend text."""

    code: str
    colour: str
    tint: str
    text: str
    legend: str
    """msgid of the legend text (translate with `_()` where shown; `legend_entries` does)."""


CATEGORY_STYLES: dict[str, CategoryStyle] = {
    s.code: s
    for s in (
        CategoryStyle(
            "kombit-98",
            "#0072B2",
            "#CCE3F0",
            "#FFFFFF",
            N_("98'-potentiale: KOMBIT negotiates, signs and pays"),
        ),
        CategoryStyle(
            "common-must",
            "#009E73",
            "#CCECE3",
            "#000000",
            N_("Common need – several suppliers (must): KOMBIT negotiates, the municipality pays"),
        ),
        CategoryStyle(
            "common-nice",
            "#56B4E9",
            "#DDF0FB",
            "#1C2833",
            N_(
                "Common need – several suppliers (nice): KOMBIT offers to negotiate, "
                "the municipality pays"
            ),
        ),
        CategoryStyle(
            "municipal",
            "#E69F00",
            "#FAECCC",
            "#1C2833",
            N_("Municipality-specific: the municipality negotiates, signs and pays"),
        ),
        CategoryStyle(
            "unclassified",
            "#CC79A7",
            "#F5E4ED",
            "#1C2833",
            N_("Needs a decision: not yet categorised"),
        ),
    )
}
"""The five categories in the seed's order; the keys are the stable category codes."""

CATEGORY_COLOURS: dict[str, str] = {code: s.colour for code, s in CATEGORY_STYLES.items()}
"""Category code -> colour (lines, bars, swatches)."""

WARNING = "#D55E00"
"""Okabe–Ito vermillion: what needs attention now (broken needs, overdue), apart from categories."""


@dataclass(frozen=True)
class LegendEntry:
    """One line of the category legend, in the active language."""

    code: str
    colour: str
    text: str


def legend_entries() -> tuple[LegendEntry, ...]:
    """The category legend, translated now: the same five lines in every output."""
    return tuple(LegendEntry(s.code, s.colour, _(s.legend)) for s in CATEGORY_STYLES.values())


def category_colour(code: str | None) -> str:
    """The colour of a category code; an unknown or missing code is drawn as unclassified."""
    return CATEGORY_COLOURS.get(code or "", CATEGORY_COLOURS["unclassified"])


def excel_fill(code: str | None) -> str:
    """The category's cell tint as Excel wants it (RRGGBB, no '#')."""
    style = CATEGORY_STYLES.get(code or "", CATEGORY_STYLES["unclassified"])
    return style.tint.removeprefix("#")
