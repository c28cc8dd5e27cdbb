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


PAYER_COLOURS: dict[str, str] = {
    "kommune": CATEGORY_COLOURS["municipal"],
    "KOMBIT": CATEGORY_COLOURS["kombit-98"],
    "undecided": CATEGORY_COLOURS["unclassified"],
}
"""Who pays, in the colours of the categories that make them pay (the report's money chart)."""

NEUTRAL = "#7F8C8D"
"""Grey: what stays as it is (kept uses, contracts that outlive the go-live)."""
INK = "#1C2833"
"""Near-black: text, go-live milestones."""

VERDICT_COLOURS: dict[str, str] = {
    "before": WARNING,
    "overlaps": "#F0E442",
    "after": NEUTRAL,
    "unknown": INK,
}
"""How a contract's expiry meets the go-live of its replacement: expiring before it needs
action now (the warning colour), an overlap needs a check (Okabe–Ito yellow)."""


@dataclass(frozen=True)
class GapStyle:
    """How a use is drawn in the gap view: colour, width, dashes and opacity."""

    colour: str
    width: float
    dashes: bool
    opacity: float


GAP_STYLES: dict[str, GapStyle] = {
    "kept": GapStyle("#AAB7B8", 1.0, False, 0.45),
    "repointed": GapStyle("#0072B2", 2.6, False, 1.0),
    "ghost": GapStyle("#AED6F1", 1.2, True, 0.5),
    "retired": GapStyle("#7F8C8D", 2.0, True, 0.9),
    "new": GapStyle("#009E73", 3.0, False, 1.0),
    "broken": GapStyle(WARNING, 3.4, False, 1.0),
}
"""The gap view's change at a glance: kept faint, repointed strong with its old end ghosted
(pale dashed), retired dashed grey, new strong, broken needs in the warning colour."""
