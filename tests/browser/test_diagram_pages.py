"""The diagram pages in a real browser (headless Chromium, network blocked): every view of the
sample data loads cleanly, holds the expected network, shows a legend and text tooltips, and
AS-IS and TO-BE place shared systems at the same position."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from snitgraf.analysis.transition import transition
from snitgraf.assessment import Assessment
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from snitgraf.render.diagrams import diagram, layout
from snitgraf.render.pyvis_page import write_page
from tests.browser.pages import LoadedPage
from tests.portfolios import SAMPLE, write_portfolio

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
VIEWS = {
    "as-is": {},
    "to-be": {},
    "gap": {},
    "impact": {"system": "kmd-dagpenge"},
}
# A known interface per view: SID001 KMD Udbetaling Batch, used by KMD Dagpenge (KSD in TO-BE).
KNOWN_EDGE = {
    "as-is": "use:SID001:kmd-dagpenge",
    "to-be": "use:SID001:ksd",
    "gap": "use:SID001:ksd",
    "impact": "use:SID001:kmd-dagpenge",
}


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    with Assessment.open(str(SAMPLE), today=date(2015, 1, 1)) as assessment:
        positions = layout(assessment.graph)
        pages = {}
        for view, options in VIEWS.items():
            impact = assessment.impact(options["system"]) if "system" in options else None
            drawn = diagram(assessment, view, layout_=positions, impact=impact)
            pages[view] = write_page(drawn, folder / f"{view}.html")
    return pages


def _expected_counts(view: str) -> tuple[int, int]:
    """Nodes and edges counted from the graphs, independently of the diagram code."""
    full = build_graph(load_portfolio(SAMPLE))
    result = transition(full)

    def state(graph):  # systems, (interface, user) pairs, interfaces nobody uses
        systems = {k[1] for k, a in graph.nodes(data=True) if a.get("label") == "System"}
        pairs = {(v[1], u[1]) for u, v, a in graph.edges(data=True) if a.get("type") == "USES"}
        provided = {v[1] for u, v, a in graph.edges(data=True) if a.get("type") == "PROVIDES"}
        return systems, pairs, provided - {i for i, _ in pairs}

    if view in ("as-is", "to-be", "impact"):
        systems, pairs, unused = state(result.as_is if view != "to-be" else result.to_be)
        extra = 1 if view == "impact" else 0  # KSD, which replaces KMD Dagpenge, and its edge
        return len(systems) + len(unused) + extra, len(pairs) + len(unused) + extra
    systems_a, pairs_a, unused_a = state(result.as_is)
    systems_b, pairs_b, unused_b = state(result.to_be)
    used = {i for i, _ in pairs_a | pairs_b}
    unused = (unused_a | unused_b) - used
    return len(systems_a | systems_b) + len(unused), len(pairs_a | pairs_b) + len(unused)


def _hover_edge(loaded: LoadedPage, edge_id: str) -> str:
    """Move the mouse onto an edge (a point where it is the only thing there) and return the
    text of the tooltip vis-network shows."""
    point = loaded.evaluate(
        """(id) => {
        const net = window.snitgraf.network;
        const edge = window.snitgraf.edges.get(id);
        const pos = net.getPositions([edge.from, edge.to]);
        const a = pos[edge.from], b = pos[edge.to];
        const rect = document.getElementById('mynetwork').getBoundingClientRect();
        const ts = [];
        for (let i = 0; i <= 16; i++) { ts.push(0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.05); }
        const near = [[0, 0], [3, 0], [-3, 0], [0, 3], [0, -3]];
        for (const t of ts) {
          const dom = net.canvasToDOM({x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)});
          // only this edge within a few pixels, and no node: the tooltip can only be this one
          const alone = near.every(([dx, dy]) => {
            const p = {x: dom.x + dx, y: dom.y + dy};
            const e = net.getEdgeAt(p);
            return (e === undefined || e === id) && net.getNodeAt(p) === undefined;
          });
          if (alone && net.getEdgeAt(dom) === id) {
            return {x: rect.left + dom.x, y: rect.top + dom.y};
          }
        }
        return null;
      }""",
        edge_id,
    )
    assert point is not None, f"no free point on edge {edge_id}"
    return _hover(loaded, point)


def _hover_node(loaded: LoadedPage, node_id: str) -> str:
    point = loaded.evaluate(
        """(id) => {
        const net = window.snitgraf.network;
        const rect = document.getElementById('mynetwork').getBoundingClientRect();
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        return {x: rect.left + dom.x, y: rect.top + dom.y};
      }""",
        node_id,
    )
    return _hover(loaded, point)


def _hover(loaded: LoadedPage, point: dict[str, float]) -> str:
    page = loaded.page
    page.mouse.move(5, 5)  # the header: off the network, so no tooltip is open
    page.wait_for_timeout(100)
    page.mouse.move(point["x"], point["y"])  # one jump: nothing else is hovered on the way
    page.wait_for_function(
        "(() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility === 'visible' && t.innerText.length > 0; })()",
        timeout=10000,
    )
    return page.evaluate("document.querySelector('div.vis-tooltip').innerText")


@pytest.mark.parametrize("view", list(VIEWS))
def test_page_loads_offline_without_console_errors(
    view: str, sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages[view])
    loaded.screenshot(f"browser-{view}")
    assert loaded.console_errors == []
    assert loaded.page_errors == []
    assert loaded.blocked == []
    assert loaded.dialogs == []


@pytest.mark.parametrize("view", list(VIEWS))
def test_network_holds_the_expected_nodes_and_edges(
    view: str, sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages[view])
    counts = loaded.evaluate(
        """() => ({
        nodes: window.snitgraf.nodes.length,
        edges: window.snitgraf.edges.length,
        drawnNodes: Object.keys(window.snitgraf.network.getPositions()).length,
        bodyEdges: Object.keys(window.snitgraf.network.body.edges).length,
      })"""
    )
    nodes, edges = _expected_counts(view)
    assert counts == {"nodes": nodes, "edges": edges, "drawnNodes": nodes, "bodyEdges": edges}


@pytest.mark.parametrize("view", list(VIEWS))
def test_legend_is_in_the_page(
    view: str, sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages[view])
    keys = loaded.evaluate(
        "Array.from(document.querySelectorAll('#sg-legend .sg-legend-item'))"
        ".map(e => e.dataset.key)"
    )
    assert {"local", "authority", "supplier-group"} <= set(keys)
    assert ("kombit" if view == "to-be" else "monopoly") in keys
    if view == "gap":  # dashes mean a change there, not a need
        assert {"kept", "repointed", "ghost", "retired", "new", "broken"} <= set(keys)
        assert not {"need-must", "need-nice"} & set(keys)
    else:
        assert {"need-must", "need-nice"} <= set(keys)
        assert {"kombit-98", "common-must", "common-nice", "municipal", "unclassified"} <= set(keys)
    if view == "impact":
        assert {"distance-0", "distance-1", "faded"} <= set(keys)
    assert loaded.page.is_visible("#sg-legend")


@pytest.mark.parametrize("view", list(VIEWS))
def test_tooltip_of_a_known_interface_shows_its_category(
    view: str, sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages[view])
    text = _hover_edge(loaded, KNOWN_EDGE[view])
    loaded.screenshot(f"browser-{view}-tooltip")
    assert text.startswith("SID001 KMD Udbetaling Batch")
    assert "Category: kombit-98 – 98'-potentiale" in text
    assert "Data: udbetaling" in text
    assert "K-DP-UDBETALING with KMD, expires 2016, DKK 85,000/year" in text


def test_as_is_and_to_be_place_shared_systems_at_the_same_position(
    sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    script = "() => window.snitgraf.network.getPositions()"
    before = open_page(sample_pages["as-is"]).evaluate(script)
    after = open_page(sample_pages["to-be"]).evaluate(script)
    shared = sorted(k for k in before.keys() & after.keys() if k.startswith("system:"))
    assert "system:kmd-udbetaling" in shared
    assert len(shared) == 24  # the systems of lifecycle 'both'
    assert {k: before[k] for k in shared} == {k: after[k] for k in shared}


def test_search_finds_a_system_by_name_and_selects_it(
    sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages["as-is"])
    loaded.page.fill("#sg-search", "udbetaling batch")
    results = loaded.evaluate(
        "Array.from(document.querySelectorAll('#sg-results li')).map(e => e.textContent)"
    )
    assert results == ["SID001 KMD Udbetaling Batch"]
    selected = loaded.evaluate("window.snitgraf.network.getSelectedEdges()")
    assert selected == ["use:SID001:kmd-dagpenge"]


def test_filters_hide_interfaces_by_category_and_systems_by_kind_and_supplier(
    sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages["as-is"])
    label = loaded.page.inner_text("label:has(input[data-facet=category][value=kombit-98])")
    assert label.strip() == "kombit-98 (15)"  # interfaces, as `gap` counts the AS-IS ones
    loaded.page.uncheck("input[data-facet=category][value=kombit-98]")
    hidden = loaded.evaluate(
        "window.snitgraf.edges.get({filter: e => e.hidden}).map(e => [e.category, e.interface])"
    )
    assert {category for category, _ in hidden} == {"kombit-98"}
    assert len({interface for _, interface in hidden}) == 15
    assert len(hidden) == 15  # each of them drawn as one use
    loaded.page.check("input[data-facet=category][value=kombit-98]")
    loaded.page.uncheck("input[data-facet=kind][value=authority]")
    hidden_nodes = loaded.evaluate(
        "window.snitgraf.nodes.get({filter: n => n.hidden}).map(n => n.id)"
    )
    assert sorted(hidden_nodes) == ["system:ams", "system:atp", "system:skat"]
    hidden = loaded.evaluate("window.snitgraf.edges.get({filter: e => e.hidden}).map(e => e.id)")
    assert sorted(hidden) == [
        "use:SID265:kmd-dagpenge",
        "use:SID266:kmd-dagpenge",
        "use:SID267:kmd-dagpenge",
        "use:SID268:kmd-dagpenge",
        "use:SID269:kmd-dagpenge",
    ]
    loaded.page.select_option("#sg-supplier", "fujitsu")
    shown = loaded.evaluate("window.snitgraf.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert shown == ["system:prisme"]


@pytest.fixture(scope="module")
def xss_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_portfolio(
        tmp_path_factory.mktemp("xss") / "portfolio",
        suppliers=[
            {"id": "kmd", "name": "KMD"},
            {"id": "evil", "name": f"Evil {XSS}"},
        ],
        systems=[
            {"id": "mono", "name": "KMD Sag", "supplier": "kmd", "monopoly": "ja"},
            {"id": "bad", "name": XSS, "supplier": "evil", "domain": "https://evil.example"},
        ],
        interfaces=[
            {"id": "I1", "name": "<script>alert(2)</script>", "provider": "bad", "data": "d"},
        ],
        usages=[{"interface": "I1", "system": "mono", "need": "must"}],
        contracts=[
            {"id": "K1", "interface": "I1", "supplier": "evil", "note": "see http://x.example"}
        ],
    )
    with Assessment.open(str(folder)) as assessment:
        return write_page(diagram(assessment, "as-is"), folder.parent / "xss.html")


def test_a_system_named_like_html_shows_as_text_and_never_runs(
    xss_page: Path, open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(xss_page)
    text = _hover_node(loaded, "system:bad")
    assert text.startswith(f"{XSS} (bad)")
    assert "Domain: https://evil.example" in text
    edge_text = _hover_edge(loaded, "use:I1:mono")
    assert edge_text.startswith("I1 <script>alert(2)</script>")
    loaded.page.fill("#sg-search", "img")
    results = loaded.evaluate(
        "Array.from(document.querySelectorAll('#sg-results li')).map(e => e.textContent)"
    )
    assert results == [f"bad {XSS}"]
    options = loaded.evaluate(
        "Array.from(document.querySelectorAll('#sg-supplier option')).map(o => o.text)"
    )
    assert f"Evil {XSS} (1)" in options
    loaded.page.wait_for_timeout(300)
    loaded.screenshot("browser-xss")
    assert loaded.evaluate("document.querySelectorAll('img').length") == 0
    assert loaded.evaluate("document.querySelectorAll('script').length") == 5
    assert loaded.dialogs == []
    assert loaded.console_errors == []
    assert loaded.blocked == []


def test_collapsed_page_says_so_and_draws_groups(
    tmp_path: Path, open_page: Callable[[Path], LoadedPage]
) -> None:
    with Assessment.open(str(SAMPLE)) as assessment:
        page = diagram(assessment, "as-is", layout_=layout(assessment.graph, 10))
    path = write_page(page, tmp_path / "c.html")
    loaded = open_page(path)
    loaded.screenshot("browser-as-is-collapsed")
    note = loaded.page.inner_text("#sg-note")
    assert note.startswith(
        "Collapsed: the portfolio has 33 systems, more than 10 (--collapse-above)"
    )
    assert loaded.page.is_visible("#sg-note")
    groups = loaded.evaluate("window.snitgraf.nodes.get({filter: n => n.kind === 'group'}).length")
    assert groups == 9
    assert loaded.console_errors == [] and loaded.page_errors == []


def test_suppliers_group_and_ungroup_on_demand(
    sample_pages: dict[str, Path], open_page: Callable[[Path], LoadedPage]
) -> None:
    loaded = open_page(sample_pages["as-is"])
    count = (
        "() => Object.keys(window.snitgraf.network.body.nodes).filter(id =>"
        " window.snitgraf.network.isCluster(id)).length"
    )
    loaded.page.check("#sg-group-suppliers")
    assert loaded.evaluate(count) == 1  # KMD: the only supplier with two or more local systems
    assert (
        loaded.evaluate("window.snitgraf.network.body.nodes['supplier-cluster:kmd'].options.label")
        == "KMD (16 systems)"  # KMD's 19 AS-IS systems but its 3 monopoly systems
    )
    in_clusters = loaded.evaluate(
        """() => ['system:kmd-sag', 'system:kmd-aktiv', 'system:kmd-dagpenge']
             .map(id => window.snitgraf.network.clustering.findNode(id).length)"""
    )
    assert in_clusters == [1, 1, 1]  # the monopoly systems stay visible on their own
    loaded.screenshot("browser-as-is-suppliers")
    loaded.page.uncheck("#sg-group-suppliers")
    assert loaded.evaluate(count) == 0
    assert loaded.console_errors == [] and loaded.page_errors == []


def test_a_municipality_page_draws_its_part_with_catalogue_categories(
    tmp_path: Path, open_page: Callable[[Path], LoadedPage]
) -> None:
    from tests.scenarios import two_municipalities

    folder = two_municipalities(tmp_path / "national")
    with Assessment.open(str(folder), municipality="101") as assessment:
        page = diagram(assessment, "as-is", layout_=layout(assessment.graph))
    loaded = open_page(write_page(page, tmp_path / "as-is-101.html"))
    loaded.screenshot("browser-as-is-municipality")
    assert loaded.page.inner_text("#sg-title") == "AS-IS: national, kommune 101 Aby"
    assert loaded.evaluate("window.snitgraf.nodes.getIds().sort()") == [
        "interface:I-NONE",
        "system:eco1",
        "system:old",
        "system:shared",
    ]
    text = _hover_edge(loaded, "use:I-E1:old")
    assert text.startswith("I-E1 Eco 1 out\nEco 1 → Old (must)")
    assert "Category: common-must – Common need – several suppliers (must)" in text
    assert "K-1 with Fujitsu, expires 2016, DKK 1,000/year" in text
    assert loaded.console_errors == [] and loaded.page_errors == [] and loaded.blocked == []
