"""One palette for the five categories: the diagrams, the report and Excel show the same colour."""

from __future__ import annotations

import itertools
from pathlib import Path

from openpyxl import load_workbook

from snitgraf import i18n
from snitgraf.analysis.categorise import CATEGORIES
from snitgraf.io.xlsx_export import write_xlsx
from snitgraf.loader import load_portfolio
from snitgraf.render.diagrams import diagram
from snitgraf.render.palette import (
    CATEGORY_COLOURS,
    CATEGORY_STYLES,
    WARNING,
    category_colour,
    excel_fill,
    legend_entries,
)
from snitgraf.render.report import gather, render
from tests.portfolios import SAMPLE


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_palette_has_the_five_categories_in_the_seeds_order() -> None:
    assert list(CATEGORY_STYLES) == list(CATEGORIES)
    assert len(set(CATEGORY_COLOURS.values()) | {WARNING}) == 6


def test_text_on_colours_and_tints_stays_readable() -> None:
    for style in CATEGORY_STYLES.values():
        assert contrast(style.text, style.colour) >= 4.5, style.code
        assert contrast("#1C2833", style.tint) >= 11, style.code


def test_the_colours_differ_in_lightness_so_greyscale_print_keeps_them_apart() -> None:
    lightness = sorted(_luminance(c) for c in CATEGORY_COLOURS.values())
    assert min(b - a for a, b in itertools.pairwise(lightness)) > 0.005


def test_the_legend_is_translated_and_in_the_palettes_colours() -> None:
    i18n.set_language("da")
    danish = legend_entries()
    i18n.set_language("en")
    english = legend_entries()
    assert [e.colour for e in danish] == list(CATEGORY_COLOURS.values())
    assert (
        danish[1].text
        == "Fælles behov – flere leverandører (skal): KOMBIT forhandler, kommunen betaler"
    )
    assert english[0].text == "98'-potentiale: KOMBIT negotiates, signs and pays"


def test_an_unknown_category_is_drawn_as_unclassified() -> None:
    assert category_colour("nonsense") == category_colour(None) == CATEGORY_COLOURS["unclassified"]


def test_diagram_report_and_excel_show_a_category_in_the_same_colour(tmp_path: Path) -> None:
    from snitgraf.assessment import Assessment

    with Assessment.open(str(SAMPLE)) as assessment:
        portfolio = load_portfolio(SAMPLE)
        categories = assessment.categorised("as-is")
        edges = [e for e in diagram(assessment, "as-is").edges if e.category in CATEGORY_COLOURS]
        assert edges and all(e.color == CATEGORY_COLOURS[e.category] for e in edges)
        page = render(gather(assessment))
        shown = {c.category.code for c in categories}
        assert all(f'fill="{CATEGORY_COLOURS[code]}"' in page for code in shown)
        target = write_xlsx(
            portfolio, tmp_path / "p.xlsx", categories, assessment.overview(None, "as-is")
        )
    sheet = load_workbook(target)["categories"]
    column = [c.value for c in sheet[1]].index("category")
    for row in sheet.iter_rows(min_row=2):
        code = row[column].value
        assert row[column].fill.fgColor.rgb == "00" + excel_fill(code), code
