"""The diagram pages' layouts in a real browser: lanes by domain (opened with `--layout lanes`
or switched to in the page), and interface ids on the edges (a switch, or `--edge-ids`)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from snitgraf.assessment import Assessment
from snitgraf.render.diagrams import diagram, layout
from snitgraf.render.pyvis_page import write_page
from tests.browser.pages import LoadedPage
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.browser

SAMPLE_LANES = [
    "ydelser",  # four monopoly or KOMBIT systems
    "infrastruktur",  # two (Ydelsesindeks, Serviceplatformen), before sag by name
    "sag",  # two (KMD Sag, SAPA)
    "dagtilbud",
    "esdh",
    "jobcenter",
    "oekonomi",
    "social",
    "myndighed",  # the external authorities last
]


def _domains() -> dict[str, str]:
    with (SAMPLE / "systems.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row["domain"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    with Assessment.open(str(SAMPLE)) as assessment:
        force = layout(assessment.graph)
        lanes = layout(assessment.graph, mode="lanes")
        return {
            "force": write_page(diagram(assessment, "as-is", force), folder / "force.html"),
            "lanes": write_page(diagram(assessment, "gap", lanes), folder / "lanes.html"),
            "ids": write_page(
                replace(diagram(assessment, "as-is", force, edge_ids=True)), folder / "ids.html"
            ),
        }


POSITIONS = "() => window.snitgraf.network.getPositions()"


def _lane_of(lanes: list[dict], y: float) -> str | None:
    return next((lane["key"] for lane in lanes if lane["top"] <= y <= lane["bottom"]), None)


def test_lanes_put_every_system_in_the_band_of_its_domain(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["lanes"])
    loaded.screenshot("browser-gap-lanes")
    lanes = loaded.evaluate("window.snitgraf.config.lanes")
    positions = loaded.evaluate(POSITIONS)
    assert [lane["key"] for lane in lanes] == SAMPLE_LANES
    placed = {
        node.removeprefix("system:"): _lane_of(lanes, p["y"])
        for node, p in positions.items()
        if node.startswith("system:")
    }
    domains = _domains()
    assert placed == {system: domains[system] for system in placed}
    assert len(placed) == 33  # the gap view draws every system of AS-IS and TO-BE
    assert [lane["systems"] for lane in lanes] == [10, 3, 3, 2, 1, 2, 6, 3, 3]
    assert loaded.evaluate("document.body.dataset.layout") == "lanes"
    assert loaded.page.is_checked("#sg-layout-lanes")
    assert loaded.evaluate("window.snitgraf.network.physics.options.enabled") is False
    assert loaded.console_errors == [] and loaded.page_errors == [] and loaded.blocked == []


def test_lanes_are_drawn_behind_the_network_with_their_label(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["lanes"])
    colours = loaded.evaluate(
        """() => {
        const net = window.snitgraf.network, canvas = net.canvas.frame.canvas;
        const ratio = canvas.width / canvas.clientWidth;
        const context = canvas.getContext('2d');
        return window.snitgraf.config.lanes.map(lane => {
          const dom = net.canvasToDOM({x: lane.left + 3, y: (lane.top + lane.bottom) / 2});
          const p = context.getImageData(dom.x * ratio, dom.y * ratio, 1, 1).data;
          return [p[0], p[1], p[2], p[3]];
        });
      }"""
    )
    # alternating bands: the first light grey (#eef1f2), the second white
    assert colours[0] == [238, 241, 242, 255]
    assert colours[1] == [255, 255, 255, 255]
    svg = loaded.evaluate("window.snitgraf.svgText()")
    assert svg.count('class="lane"') == len(SAMPLE_LANES)
    assert ">ydelser · 10 systems</text>" in svg


def test_in_lanes_no_two_systems_or_their_labels_overlap_and_row_edges_arc(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["lanes"])
    boxes = loaded.evaluate(
        """() => window.snitgraf.nodes.getIds().filter(id => id.startsWith('system:'))
             .map(id => window.snitgraf.network.getBoundingBox(id))"""
    )
    overlaps = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]
    assert overlaps == []
    along = loaded.evaluate(
        """() => {
        const s = window.snitgraf, at = id => s.nodes.get(id).at.lanes;
        return s.edges.get().filter(e => {
          const a = at(e.from), b = at(e.to);
          if (Math.abs(a[1] - b[1]) > 1) { return false; }
          return s.nodes.get().some(n => Math.abs(n.at.lanes[1] - a[1]) < 1 &&
            n.at.lanes[0] > Math.min(a[0], b[0]) + 1 && n.at.lanes[0] < Math.max(a[0], b[0]) - 1);
        }).map(e => s.network.body.edges[e.id].options.smooth.enabled);
      }"""
    )
    assert len(along) >= 3  # uses along a lane that pass other systems ...
    assert all(along)  # ... arc over them instead of running through them


def _far(positions: dict, expected: dict, mode: str) -> list[str]:
    """The nodes more than a pixel from their place in `mode` (vis-network keeps whole pixels)."""
    return sorted(
        node
        for node, p in positions.items()
        if abs(p["x"] - expected[node][mode][0]) > 1 or abs(p["y"] - expected[node][mode][1]) > 1
    )


def test_the_page_switches_between_force_and_lanes_keeping_the_grouping(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["force"])
    expected = loaded.evaluate(
        """() => Object.fromEntries(window.snitgraf.nodes.get().map(n => [n.id, n.at]))"""
    )
    assert loaded.evaluate("document.body.dataset.layout") == "force"
    loaded.page.check("#sg-group-suppliers")
    loaded.page.check("#sg-layout-lanes")
    assert loaded.evaluate("document.body.dataset.layout") == "lanes"
    clusters = (
        "() => Object.keys(window.snitgraf.network.body.nodes).filter(id =>"
        " window.snitgraf.network.isCluster(id)).length"
    )
    assert loaded.evaluate(clusters) == 1  # KMD's local systems, grouped again
    nearest = loaded.evaluate(
        """() => {
        const net = window.snitgraf.network, at = net.getPositions();
        const group = at['supplier-cluster:kmd'];
        return Math.min(...Object.keys(at).filter(id => id !== 'supplier-cluster:kmd')
          .map(id => Math.hypot(at[id].x - group.x, at[id].y - group.y)));
      }"""
    )
    assert nearest > 60  # in its biggest system's place, not on top of another system
    loaded.page.uncheck("#sg-group-suppliers")
    moved = loaded.evaluate(POSITIONS)
    assert _far(moved, expected, "lanes") == []
    loaded.screenshot("browser-as-is-switched-to-lanes")
    loaded.page.check("#sg-layout-force")
    back = loaded.evaluate(POSITIONS)
    assert _far(back, expected, "force") == []
    assert loaded.console_errors == [] and loaded.page_errors == []


def _dark_pixels(loaded: LoadedPage, label: dict) -> int:
    """How many near-black pixels (the id's text) are in a box around an id label's place."""
    return loaded.evaluate(
        """(label) => {
        const net = window.snitgraf.network, canvas = net.canvas.frame.canvas;
        const ratio = canvas.width / canvas.clientWidth;
        const dom = net.canvasToDOM({x: label.x, y: label.y});
        const w = 24 * ratio, h = 10 * ratio;
        const data = canvas.getContext('2d').getImageData(
          dom.x * ratio - w / 2, dom.y * ratio - h / 2, w, h).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = data.slice(i, i + 4);
          if (a > 200 && r < 110 && g < 110 && b < 110) { dark++; }
        }
        return dark;
      }""",
        label,
    )


def test_the_edge_id_switch_labels_every_interface_edge_with_its_id(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["force"])
    assert not loaded.page.is_checked("#sg-edge-ids")
    labels = loaded.evaluate("window.snitgraf.edgeIdLabels()")
    known = next(label for label in labels if label["id"] == "use:SID001:kmd-dagpenge")
    assert known["text"] == "SID001"
    assert len(labels) == 37  # every use; the two unused interfaces' stubs carry their id
    before = _dark_pixels(loaded, known)
    assert "SID001</text>" not in loaded.evaluate("window.snitgraf.svgText()")
    loaded.page.check("#sg-edge-ids")
    loaded.page.wait_for_timeout(200)
    loaded.screenshot("browser-as-is-edge-ids")
    assert _dark_pixels(loaded, known) > before + 10
    assert 'class="edge-label">SID001</text>' in loaded.evaluate("window.snitgraf.svgText()")
    loaded.page.uncheck("#sg-edge-ids")
    loaded.page.wait_for_timeout(200)
    assert _dark_pixels(loaded, known) == before


def test_a_page_written_with_edge_ids_opens_with_the_switch_on(
    pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(pages["ids"])
    assert loaded.page.is_checked("#sg-edge-ids")
    assert loaded.evaluate("document.body.dataset.edgeIds") == "true"
    assert loaded.page.inner_text("label:has(#sg-edge-ids)").strip() == (
        "Show interface ids on edges"
    )
