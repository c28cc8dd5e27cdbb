"""Every diagram page exports itself for slides (PNG of the canvas, SVG of the visible drawing)
without the network, and national pages filter by municipality, in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from snitgraf.assessment import Assessment
from snitgraf.render.diagrams import diagram, layout
from snitgraf.render.pyvis_page import write_page
from tests.browser.pages import ARTIFACTS, LoadedPage
from tests.portfolios import SAMPLE
from tests.scenarios import two_municipalities

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export")
    with Assessment.open(str(SAMPLE), today=date(2015, 1, 1)) as assessment:
        positions = layout(assessment.graph)
        return {
            view: write_page(diagram(assessment, view, positions), folder / f"{view}.html")
            for view in ("as-is", "to-be", "gap")
        }


@pytest.mark.parametrize("view", ["as-is", "to-be", "gap"])
def test_the_png_button_downloads_the_drawn_diagram(
    view: str, pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages[view])
    with loaded.page.expect_download() as info:
        loaded.page.click("#sg-png")
    download = info.value
    path = download.path()
    data = Path(path).read_bytes()
    assert download.suggested_filename == f"snitgraf-{view}.png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"export-{view}.png").write_bytes(data)
    assert loaded.blocked == [] and loaded.page_errors == [] and loaded.console_errors == []


@pytest.mark.parametrize("view", ["as-is", "gap"])
def test_the_svg_button_downloads_every_visible_system_and_edge(
    view: str, pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages[view])
    loaded.page.uncheck("input[data-facet=category][value=municipal]")
    visible = loaded.evaluate(
        """() => ({nodes: window.snitgraf.nodes.get({filter: n => !n.hidden}).length,
                   edges: window.snitgraf.edges.get({filter: e => !e.hidden}).length,
                   labels: window.snitgraf.nodes.get({filter: n => !n.hidden && n.label})
                     .map(n => n.label)})"""
    )
    with loaded.page.expect_download() as info:
        loaded.page.click("#sg-svg")
    download = info.value
    text = Path(download.path()).read_bytes()
    root = etree.fromstring(text)
    assert download.suggested_filename == f"snitgraf-{view}.svg"
    assert root.tag == f"{SVG}svg"
    shapes = root.find(f"{SVG}g[@class='nodes']")
    lines = root.find(f"{SVG}g[@class='edges']")
    assert shapes is not None and lines is not None
    drawn = [e for e in shapes if e.tag in (f"{SVG}circle", f"{SVG}polygon")]
    assert len(drawn) == visible["nodes"]
    assert len(lines.findall(f"{SVG}path")) == visible["edges"]
    labels = {t.text for t in shapes.findall(f"{SVG}text")}
    assert labels == set(visible["labels"])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"export-{view}.svg").write_bytes(text)
    assert loaded.blocked == [] and loaded.page_errors == []


def test_a_national_page_filters_systems_by_municipality(
    tmp_path: Path, open_page: Callable[[Path], LoadedPage]
) -> None:
    folder = two_municipalities(tmp_path / "national")
    with Assessment.open(str(folder)) as assessment:
        path = write_page(diagram(assessment, "as-is"), tmp_path / "as-is.html")
    loaded = open_page(path)
    options = loaded.evaluate(
        "Array.from(document.querySelectorAll('#sg-municipality option')).map(o => o.value)"
    )
    assert options == ["", "101", "102"]
    loaded.page.select_option("#sg-municipality", "101")
    shown = loaded.evaluate(
        "window.snitgraf.nodes.get({filter: n => !n.hidden && n.kind !== 'interface'})"
        ".map(n => n.id).sort()"
    )
    assert shown == ["system:eco1", "system:old", "system:shared"]
    hidden_edges = loaded.evaluate(
        "window.snitgraf.edges.get({filter: e => e.hidden}).map(e => e.id).sort()"
    )
    assert "use:I-E2:old" in hidden_edges  # Eco 2 runs in 102 only
    loaded.page.select_option("#sg-municipality", "")
    assert loaded.evaluate("window.snitgraf.nodes.get({filter: n => n.hidden}).length") == 0
    assert loaded.page_errors == [] and loaded.console_errors == []
