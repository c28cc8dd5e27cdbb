"""Diagram pages: offline (no http(s) anywhere), escaped, fixed positions, exact counts."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.analysis.categorise import categorise
from snitgraf.assessment import Assessment
from snitgraf.cli import cli
from snitgraf.problems import SnitgrafError
from snitgraf.render import diagrams as diagrams_module
from snitgraf.render.diagrams import (
    CATEGORY_COLORS,
    DISTANCE_COLORS,
    FADED,
    STATUS_COLORS,
    as_is_diagram,
    diagram,
    gap_diagram,
    impact_diagram,
    layout,
    to_be_diagram,
)
from snitgraf.render.palette import GAP_STYLES, WARNING
from snitgraf.render.pyvis_page import _vis_node, page_html, to_json, write_page
from tests.portfolios import SAMPLE, write_portfolio
from tests.scenarios import two_municipalities

XSS = "<img src=x onerror=alert(1)>"


def assess(folder: Path, municipality: str | None = None) -> Assessment:
    """One assessment of a portfolio folder (optionally one municipality's part)."""
    return Assessment.open(str(folder), municipality=municipality)


@pytest.fixture(scope="module")
def sample() -> Iterator[Assessment]:
    with assess(SAMPLE) as assessment:
        yield assessment


@pytest.fixture(scope="module")
def as_is_html(sample: Assessment) -> str:
    return page_html(as_is_diagram(sample))


def test_page_holds_no_http_reference_at_all(as_is_html: str) -> None:
    assert re.findall(r"(?i)https?:", as_is_html) == []


def test_page_inlines_vis_network_and_links_nothing(as_is_html: str) -> None:
    assert "vis-network" in as_is_html and "new vis.Network(" in as_is_html
    assert re.findall(r"<link\b", as_is_html) == []
    assert re.findall(r"<script[^>]*\bsrc=", as_is_html) == []
    assert "bootstrap" not in as_is_html
    assert as_is_html.startswith("<!DOCTYPE html>")


def test_page_is_written_as_utf8(sample: Assessment, tmp_path: Path) -> None:
    path = write_page(as_is_diagram(sample), tmp_path / "as-is.html")
    data = path.read_bytes()
    assert "KMD Boligstøtte".encode() in data
    assert data.decode("utf-8").count("<html") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["as-is.html"]  # no temporary left


def test_portfolio_text_reaches_the_page_only_as_escaped_json(tmp_path: Path) -> None:
    folder = write_portfolio(
        tmp_path / "p",
        suppliers=[{"id": "s", "name": "S"}],
        systems=[
            {"id": "mono", "name": "Mono", "supplier": "s", "monopoly": "ja"},
            {"id": "bad", "name": XSS, "supplier": "s", "domain": "https://evil.example"},
        ],
        interfaces=[{"id": "I1", "name": "</script><b>x</b>", "provider": "bad", "data": "d"}],
        usages=[{"interface": "I1", "system": "mono", "need": "must"}],
    )
    with assess(folder) as assessment:
        html = page_html(as_is_diagram(assessment))
    assert XSS not in html
    assert "</script><b>" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "\\u0068ttps://evil.example" in html
    assert re.findall(r"(?i)https?:", html) == []


def test_dates_sets_and_unknown_values_become_json_text() -> None:
    value = {"d": dt.date(2016, 1, 2), "s": {"b", "a"}, "t": (1, 2), "x": Path("p")}
    assert to_json(value) == '{"d":"2016-01-02","s":["a","b"],"t":[1,2],"x":"p"}'


def test_no_group_key_reaches_pyvis_so_colours_stay() -> None:
    node = _vis_node({"id": "a", "group": "g", "color": "#ff0000"})
    assert node == {"id": "a", "snitgraf_group": "g", "color": "#ff0000"}


def test_as_is_of_the_sample_has_exact_counts(sample: Assessment) -> None:
    result = as_is_diagram(sample)
    # 28 AS-IS systems + 2 interfaces nobody uses; 37 uses + the 2 provider stubs
    assert (len(result.nodes), len(result.edges)) == (30, 39)
    assert result.collapsed is False and result.note is None


def test_to_be_and_gap_of_the_sample_have_exact_counts(sample: Assessment) -> None:
    to_be = to_be_diagram(sample)
    assert (len(to_be.nodes), len(to_be.edges)) == (31, 38)
    gap = gap_diagram(sample)
    assert (len(gap.nodes), len(gap.edges)) == (35, 68)


def test_as_is_and_to_be_place_shared_systems_at_the_same_position(sample: Assessment) -> None:
    positions = layout(sample.graph)
    before = {n.id: (n.x, n.y) for n in as_is_diagram(sample, positions).nodes}
    after = {n.id: (n.x, n.y) for n in to_be_diagram(sample, positions).nodes}
    shared = {k for k in before.keys() & after.keys() if k.startswith("system:")}
    assert len(shared) == 24
    assert {k: before[k] for k in shared} == {k: after[k] for k in shared}


def test_layout_is_the_same_every_time(sample: Assessment) -> None:
    assert layout(sample.graph).positions == layout(sample.graph).positions


def test_a_replacement_sits_beside_what_it_replaces(sample: Assessment) -> None:
    positions = layout(sample.graph).positions
    ksd, dagpenge = positions["system:ksd"], positions["system:kmd-dagpenge"]
    assert round(((ksd[0] - dagpenge[0]) ** 2 + (ksd[1] - dagpenge[1]) ** 2) ** 0.5) == 150


def test_rendering_does_not_change_the_graph(sample: Assessment) -> None:
    graphs = (sample.graph, sample.transition.as_is, sample.transition.to_be)
    before = [copy.deepcopy(g) for g in graphs]
    for view in ("as-is", "to-be", "gap"):
        page_html(diagram(sample, view))
    page_html(diagram(sample, "impact", impact=sample.impact("kmd-dagpenge")))
    for graph, was in zip(graphs, before, strict=True):
        assert list(graph.nodes(data=True)) == list(was.nodes(data=True))
        assert list(graph.edges(keys=True, data=True)) == list(was.edges(keys=True, data=True))


def test_edges_run_provider_to_user_coloured_by_category_dashed_when_nice(
    sample: Assessment,
) -> None:
    edges = {e.id: e for e in as_is_diagram(sample).edges}
    must = edges["use:SID001:kmd-dagpenge"]
    assert (must.source, must.target) == ("system:kmd-udbetaling", "system:kmd-dagpenge")
    assert (must.category, must.color, must.dashes) == (
        "kombit-98",
        CATEGORY_COLORS["kombit-98"],
        False,
    )
    nice = edges["use:SID267:kmd-dagpenge"]
    assert (nice.category, nice.dashes) == ("unclassified", True)


def test_tooltip_holds_id_name_data_category_reason_and_contracts(sample: Assessment) -> None:
    edge = next(e for e in as_is_diagram(sample).edges if e.id == "use:SID001:kmd-dagpenge")
    lines = edge.tooltip.split("\n")
    assert lines[:3] == [
        "SID001 KMD Udbetaling Batch",
        "KMD Udbetaling → KMD Dagpenge (must)",
        "Data: udbetaling",
    ]
    assert "Category: kombit-98 – 98'-potentiale" in lines
    assert any(line.startswith("  • rule kombit-98") for line in lines)
    assert lines[-1] == "  • K-DP-UDBETALING with KMD, expires 2016, DKK 85,000/year"


def test_nodes_show_kind_by_shape_and_size_by_interfaces(sample: Assessment) -> None:
    nodes = {n.id: n.to_vis() for n in gap_diagram(sample).nodes}
    assert (nodes["system:kmd-dagpenge"]["kind"], nodes["system:kmd-dagpenge"]["shape"]) == (
        "monopoly",
        "square",
    )
    assert nodes["system:ksd"]["shape"] == "diamond"
    assert nodes["system:skat"]["shape"] == "triangle"
    assert nodes["system:prisme"]["shape"] == "dot"
    assert nodes["system:kmd-dagpenge"]["size"] > nodes["system:prisme"]["size"]


def test_gap_colours_each_use_kept_repointed_retired_or_new(sample: Assessment) -> None:
    edges = {e.id: e for e in gap_diagram(sample).edges}
    assert edges["use:SID001:kmd-dagpenge"].status == "ghost"  # KSD takes the use over
    assert edges["use:SID001:ksd"].status == "repointed"
    assert edges["use:SID001:ksd"].color == STATUS_COLORS["repointed"]
    assert edges["use:SF1490:sapa"].status == "new"


def test_the_gap_view_shows_the_change_kept_faint_old_ends_ghosted_retired_dashed_grey(
    sample: Assessment,
) -> None:
    edges = [e for e in gap_diagram(sample).edges if e.id.startswith("use:")]
    style = {s: GAP_STYLES[s] for s in GAP_STYLES}
    by_status: dict[str, list] = {}
    for edge in edges:
        by_status.setdefault(edge.status, []).append(edge)
    for status in ("kept", "ghost", "retired"):
        assert all(e.opacity <= style[status].opacity for e in by_status.get(status, [])), status
    assert all(e.dashes is True and e.color == "#7F8C8D" for e in by_status["retired"])
    assert all(e.dashes is True for e in by_status["ghost"])
    assert all(e.width >= 2.6 and e.opacity == 1 for e in by_status["repointed"])
    # the sample's 4 retired interfaces are the only retired-status interfaces in the filter
    assert {e.gap for e in by_status["retired"]} <= {"retired", "kept"}
    assert len(by_status["ghost"]) > len(by_status["retired"])
    broken = {(n.interface, n.system) for n in sample.broken_needs} | {
        (n.interface, n.taken_over_from) for n in sample.broken_needs if n.taken_over_from
    }
    drawn_broken = {(e.interface, e.target.removeprefix("system:")) for e in by_status["broken"]}
    assert drawn_broken and drawn_broken <= broken
    assert all(e.color == WARNING for e in by_status["broken"])


def test_impact_highlights_the_system_its_dependents_and_fades_the_rest(
    sample: Assessment,
) -> None:
    result = impact_diagram(sample, sample.impact("kmd-dagpenge"))
    nodes = {n.id: n for n in result.nodes}
    assert (nodes["system:kmd-dagpenge"].distance, nodes["system:kmd-dagpenge"].color) == (
        0,
        DISTANCE_COLORS[0],
    )
    assert (nodes["system:kmd-essentia"].distance, nodes["system:kmd-essentia"].color) == (
        1,
        DISTANCE_COLORS[1],
    )
    assert nodes["system:kmd-sag"].color is None  # provides SID026 to KMD Dagpenge: own colour
    assert nodes["system:kmd-klientbetaling"].color == FADED
    edges = {e.id: e for e in result.edges}
    assert edges["use:SID001:kmd-dagpenge"].width == 3.5
    assert edges["use:2008:kmd-sag"].color == FADED
    assert edges["replaces:ksd:kmd-dagpenge"].target == "system:kmd-dagpenge"


def test_above_the_threshold_local_systems_collapse_by_domain_and_the_page_says_so(
    sample: Assessment,
) -> None:
    positions = layout(sample.graph, collapse_above=10)
    result = as_is_diagram(sample, positions)
    kinds = sorted(n.kind for n in result.nodes)
    assert kinds.count("monopoly") == 3
    groups = {n.id: n.label for n in result.nodes if n.kind == "group"}
    assert groups["group:domain:oekonomi"] == "oekonomi (6 systems)"
    assert result.collapsed and result.note is not None
    assert result.note.startswith("Collapsed: the portfolio has 33 systems, more than 10 ")
    bundled = sum(int(e.tooltip.split(" uses")[0]) for e in result.edges)
    assert bundled == 37
    assert "Collapsed: the portfolio has 33 systems" in page_html(result)


def test_collapse_by_supplier_groups_by_supplier(sample: Assessment) -> None:
    result = as_is_diagram(sample, layout(sample.graph, collapse_above=10, collapse_by="supplier"))
    labels = {n.label for n in result.nodes if n.kind == "group"}
    assert {"KMD (16 systems)", "Fujitsu (1 system)"} <= labels


def test_render_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "gap.html"
    result = CliRunner().invoke(cli, ["render", str(SAMPLE), "--view", "gap", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 35 nodes, 68 edges\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_impact_view_without_a_system_is_a_usage_error(sample: Assessment, tmp_path: Path) -> None:
    out = tmp_path / "impact.html"
    result = CliRunner().invoke(cli, ["render", str(SAMPLE), "--view", "impact", "--out", str(out)])
    assert result.exit_code == 2
    assert "Error: --view impact needs --system ID (the system to replace)" in result.output
    assert "Traceback" not in result.output and not out.exists()
    with pytest.raises(SnitgrafError, match="the impact view needs --system ID"):
        diagram(sample, "impact")


def test_collapsed_impact_colours_a_group_by_its_nearest_dependent(sample: Assessment) -> None:
    result = impact_diagram(
        sample, sample.impact("kmd-dagpenge"), layout_=layout(sample.graph, collapse_above=10)
    )
    nodes = {n.id: n for n in result.nodes}
    # KMD Essentia (distance 1) is one of the six economy systems
    assert (nodes["group:domain:oekonomi"].distance, nodes["group:domain:oekonomi"].color) == (
        1,
        DISTANCE_COLORS[1],
    )
    assert nodes["group:domain:social"].color == FADED
    edges = [e for e in result.edges if e.id.startswith("bundle:")]
    assert sum(int(e.tooltip.split(" uses")[0]) for e in edges) == 37


def test_more_than_four_uses_between_two_systems_become_one_bundle_per_category(
    tmp_path: Path,
) -> None:
    folder = write_portfolio(
        tmp_path / "p",
        suppliers=[{"id": "s", "name": "S"}],
        systems=[
            {"id": "a", "name": "A", "supplier": "s"},
            {"id": "b", "name": "B", "supplier": "s"},
            {"id": "c", "name": "C", "supplier": "s"},
        ],
        interfaces=[
            {"id": f"I{i}", "name": f"I{i}", "provider": "a", "data": f"d{i}"} for i in range(6)
        ]
        + [{"id": "J", "name": "J", "provider": "a", "data": "j"}],
        usages=[{"interface": f"I{i}", "system": "b", "need": "must"} for i in range(6)]
        + [{"interface": "J", "system": "c", "need": "nice"}],
    )
    with assess(folder) as assessment:
        result = as_is_diagram(assessment)
    edges = {e.id: e for e in result.edges}
    assert sorted(edges) == ["bundle:0", "use:J:c"]
    bundle = edges["bundle:0"]
    assert (bundle.source, bundle.target, bundle.category, bundle.label) == (
        "system:a",
        "system:b",
        "municipal",
        "6",
    )
    assert bundle.tooltip.split("\n")[:3] == [
        "6 uses of 6 interfaces",
        "A → B",
        "By category: municipal 6",
    ]
    assert bundle.values == {"category": ("municipal",)}
    assert edges["use:J:c"].dashes is True


# --- one municipality ------------------------------------------------------------------------


@pytest.fixture()
def national(tmp_path: Path) -> Iterator[tuple[Path, Assessment]]:
    """(folder, the assessment of municipality 101's part of it)."""
    folder = two_municipalities(tmp_path / "national")
    with assess(folder, municipality="101") as assessment:
        yield folder, assessment


def test_a_municipality_diagram_draws_only_its_own_systems_uses_and_stubs(national) -> None:
    _, local = national
    result = as_is_diagram(local)
    assert sorted(n.id for n in result.nodes) == [
        "interface:I-NONE",
        "system:eco1",
        "system:old",
        "system:shared",
    ]
    # I-SH is used, but only in 102: no "nobody uses it" stub for it here
    assert sorted(e.id for e in result.edges) == ["provides:I-NONE", "use:I-E1:old"]


def test_a_municipality_diagram_takes_categories_from_the_whole_catalogue(national) -> None:
    _, local = national
    edge = next(e for e in as_is_diagram(local).edges if e.interface == "I-E1")
    # 101 alone sees one supplier of 'eco' (Fujitsu); the catalogue has two (KMD too)
    assert (edge.category, edge.color) == ("common-must", CATEGORY_COLORS["common-must"])
    lines = edge.tooltip.split("\n")
    assert "Category: common-must – Common need – several suppliers (must)" in lines
    assert lines[-2:] == ["Contracts:", "  • K-1 with Fujitsu, expires 2016, DKK 1,000/year"]
    part = {c.interface: c.category.code for c in categorise(local.backend.graph("all"))}
    assert part["I-E1"] == "kombit-98"  # what deciding on the part would wrongly say


def test_a_municipality_page_names_the_municipality_and_what_is_left_out(national) -> None:
    _, local = national
    result = as_is_diagram(local)
    assert result.title == "AS-IS: national, kommune 101 Aby"
    assert result.subtitle == (
        "Kommune 101 Aby's own part; categories from the whole catalogue. 3 systems, "
        "3 interfaces, 1 uses. Not drawn: 1 interface only other municipalities use. "
        "Arrows run provider → user; colour = category. Hover for details."
    )


def test_a_municipality_to_be_brings_in_the_catalogue_replacer_with_catalogue_categories(
    national,
) -> None:
    _, local = national
    result = to_be_diagram(local)
    assert result.title == "TO-BE: national, kommune 101 Aby"
    assert sorted(n.id for n in result.nodes) == [
        "interface:I-NONE",
        "system:eco1",
        "system:new",
        "system:shared",
    ]
    edges = {e.id: e for e in result.edges}
    assert sorted(edges) == ["provides:I-NONE", "use:I-E1:new"]
    assert edges["use:I-E1:new"].category == "common-must"
    assert "Repointed: Old used it in AS-IS; New replaces it" in edges["use:I-E1:new"].tooltip


def test_a_municipality_gap_shows_its_own_moves(national) -> None:
    _, local = national
    result = gap_diagram(local)
    edges = {e.id: e for e in result.edges}
    assert {k: e.status for k, e in edges.items()} == {
        "use:I-E1:new": "repointed",
        "use:I-E1:old": "ghost",
        "provides:I-NONE": "kept",
    }
    assert "Interface: repointed; category AS-IS common-must, TO-BE common-must" in (
        edges["use:I-E1:new"].tooltip.split("\n")
    )
    assert result.subtitle.startswith("Kommune 101 Aby's own part; categories from the whole ")


def test_a_municipality_impact_highlights_within_its_part(national) -> None:
    _, local = national
    result = diagram(local, "impact", impact=local.impact("old"))
    nodes = {n.id: n for n in result.nodes}
    assert sorted(nodes) == [
        "interface:I-NONE",
        "system:eco1",
        "system:new",
        "system:old",
        "system:shared",
    ]
    assert nodes["system:old"].distance == 0
    edges = {e.id: e for e in result.edges}
    assert edges["replaces:new:old"].target == "system:old"
    assert (edges["use:I-E1:old"].category, edges["use:I-E1:old"].width) == ("common-must", 3.5)
    assert result.subtitle.startswith("Kommune 101 Aby's own part; categories from the whole ")


def test_a_municipality_layout_places_the_catalogue_replacer_beside_what_it_replaces(
    national,
) -> None:
    _, local = national
    positions = layout(local.graph).positions
    assert sorted(positions) == ["system:eco1", "system:new", "system:old", "system:shared"]
    new, old = positions["system:new"], positions["system:old"]
    assert round(((new[0] - old[0]) ** 2 + (new[1] - old[1]) ** 2) ** 0.5) == 150


def test_rendering_a_municipality_changes_neither_graph(national) -> None:
    _, local = national
    graphs = (local.catalogue, local.graph, local.transition.as_is, local.transition.to_be)
    before = [copy.deepcopy(g) for g in graphs]
    for view in ("as-is", "to-be", "gap"):
        diagram(local, view)
    diagram(local, "impact", impact=local.impact("old"))
    for graph, was in zip(graphs, before, strict=True):
        assert list(graph.nodes(data=True)) == list(was.nodes(data=True))
        assert list(graph.edges(keys=True, data=True)) == list(was.edges(keys=True, data=True))


def test_render_command_draws_one_municipality(national, tmp_path: Path) -> None:
    folder, _ = national
    out = tmp_path / "to-be-101.html"
    result = CliRunner().invoke(
        cli,
        ["render", str(folder), "--view", "to-be", "--municipality", "101", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 4 nodes, 2 edges\n"
    html = out.read_text(encoding="utf-8")
    assert "TO-BE: national, kommune 101 Aby" in html
    assert "system:eco2" not in html and "system:eco1" in html


def test_render_command_names_an_unknown_municipality(national) -> None:
    folder, _ = national
    result = CliRunner().invoke(cli, ["render", str(folder), "--municipality", "999"])
    assert result.exit_code == 1
    assert result.output == "error: unknown municipality '999'; known: 101 (Aby), 102 (Bby)\n"


def test_impact_options_on_another_view_are_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "as-is.html"
    result = CliRunner().invoke(
        cli, ["render", str(SAMPLE), "--view", "as-is", "--system", "kmd-sag", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "--system, --replaced-by and --depth go with --view impact" in result.output
    assert not out.exists()


def test_a_large_view_draws_one_edge_per_pair_of_systems_with_count_and_width(
    sample: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = as_is_diagram(sample)
    monkeypatch.setattr(diagrams_module, "BUNDLE_ABOVE", 10)
    large = as_is_diagram(sample)
    pairs = {(e.source, e.target) for e in small.edges if not e.id.startswith("provides:")}
    assert {(e.source, e.target) for e in large.edges} == pairs
    assert len(large.edges) == len(pairs) < len(small.edges)
    assert not any(n.kind == "interface" for n in large.nodes)  # no stubs
    biggest = max(large.edges, key=lambda e: int(e.label or 1))
    assert int(biggest.label or 0) >= 3 and biggest.width > 1.6
    assert biggest.values is not None and biggest.category in biggest.values["category"]
    assert large.note is not None and "every pair of systems is drawn as one edge" in large.note
    # the filters still count every interface (as summary.json does)
    assert [vars(o) for f in large.facets for o in f.options if f.attribute == "category"] == [
        vars(o) for f in small.facets for o in f.options if f.attribute == "category"
    ]


def test_a_large_gap_view_keeps_one_edge_per_pair_and_kind_of_change(
    sample: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagrams_module, "BUNDLE_ABOVE", 10)
    result = gap_diagram(sample)
    keys = [(e.source, e.target, e.status) for e in result.edges]
    assert len(keys) == len(set(keys))
    assert {e.status for e in result.edges} >= {"repointed", "ghost", "retired", "new"}


def test_national_pages_offer_a_municipality_filter_from_the_deployments(tmp_path: Path) -> None:
    with assess(two_municipalities(tmp_path / "national")) as whole:
        result = as_is_diagram(whole)
        gap = gap_diagram(whole)
    assert result.municipalities == (("101", "Aby", 3), ("102", "Bby", 4))
    nodes = {n.id: n for n in result.nodes}
    assert nodes["system:eco1"].municipalities == ("101",)
    assert nodes["system:old"].municipalities == ("101", "102")
    new = next(n for n in gap.nodes if n.id == "system:new")
    assert new.municipalities == ()  # nobody deploys it: always shown
    config = result.config()
    assert config["municipalities"][0] == {"code": "101", "name": "Aby", "count": 3}


def test_one_municipality_s_page_has_no_municipality_filter(national) -> None:
    _, local = national
    assert as_is_diagram(local).municipalities == ()


def test_the_legend_says_what_a_supplier_group_node_is(sample: Assessment) -> None:
    items = {i.key: i for s in as_is_diagram(sample).legend for i in s.items}
    assert items["supplier-group"].swatch == "hexagon"
    assert "monopoly and KOMBIT systems and external authorities stay visible" in (
        items["supplier-group"].label
    )


def test_every_page_has_png_and_svg_export_buttons_and_no_url(sample: Assessment) -> None:
    for view in ("as-is", "to-be", "gap"):
        html = page_html(diagram(sample, view))
        assert 'id="sg-png"' in html and 'id="sg-svg"' in html
        assert "toDataURL" in html and "http:" not in html and "https:" not in html


def test_pages_speak_danish_by_default(sample: Assessment) -> None:
    from snitgraf import i18n

    i18n.set_language("da")
    html = page_html(gap_diagram(sample))
    assert "Download PNG" not in html and "Hent PNG" in html
    assert '<html lang="da">' in html


def test_lanes_give_each_domain_a_band_monopoly_domains_first_authorities_last(
    sample: Assessment,
) -> None:
    lanes = layout(sample.graph, mode="lanes")
    assert [lane.key for lane in lanes.lanes] == [
        "ydelser",
        "infrastruktur",
        "sag",
        "dagtilbud",
        "esdh",
        "jobcenter",
        "oekonomi",
        "social",
        "myndighed",
    ]
    assert [lane.systems for lane in lanes.lanes] == [10, 3, 3, 2, 1, 2, 6, 3, 3]
    band = {lane.key: lane for lane in lanes.lanes}
    for sid, y in (("kmd-aktiv", "ydelser"), ("sapa", "sag"), ("ams", "myndighed")):
        assert band[y].top < lanes.lane_positions[f"system:{sid}"][1] < band[y].bottom
    assert all(a.bottom == b.top for a, b in zip(lanes.lanes, lanes.lanes[1:], strict=False))


def test_in_lanes_a_replacer_sits_right_after_what_it_replaces(sample: Assessment) -> None:
    at = layout(sample.graph, mode="lanes").lane_positions
    row = sorted((x, node) for node, (x, y) in at.items() if y == at["system:kmd-dagpenge"][1])
    names = [node for _x, node in row]
    assert names[names.index("system:kmd-dagpenge") + 1] == "system:ksd"
    assert names[names.index("system:kmd-aktiv") + 1] == "system:ky"


def test_the_lanes_layout_keeps_the_force_layout_positions_too(sample: Assessment) -> None:
    force, lanes = layout(sample.graph), layout(sample.graph, mode="lanes")
    assert lanes.positions == force.positions
    page = diagram(sample, "as-is", lanes)
    node = next(n for n in page.vis_nodes() if n["id"] == "system:kmd-sag")
    assert (node["x"], node["y"]) == tuple(node["at"]["lanes"])
    assert node["at"]["force"] == tuple(round(v, 1) for v in force.positions["system:kmd-sag"])
    assert page.config()["layout"] == "lanes" and len(page.config()["lanes"]) == 9


def test_render_opens_in_lanes_with_edge_ids_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "gap.html"
    result = CliRunner().invoke(
        cli,
        [
            "render",
            str(SAMPLE),
            "--view",
            "gap",
            "--layout",
            "lanes",
            "--edge-ids",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    config = re.search(
        r'<script id="sg-config" type="application/json">(.*?)</script>', out.read_text()
    )
    assert config is not None
    assert '"layout":"lanes"' in config.group(1) and '"edgeIds":true' in config.group(1)
    plain = tmp_path / "plain.html"
    assert CliRunner().invoke(cli, ["render", str(SAMPLE), "--out", str(plain)]).exit_code == 0
    assert '"layout":"force"' in plain.read_text() and '"edgeIds":false' in plain.read_text()


def test_analyse_writes_every_page_opening_in_lanes_with_edge_ids_when_asked(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["analyse", str(SAMPLE), "--layout", "lanes", "--edge-ids", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for page in ("as-is.html", "to-be.html", "gap.html"):
        text = (out / page).read_text()
        assert '"layout":"lanes"' in text and '"edgeIds":true' in text, page


def test_the_cli_offers_exactly_the_diagrams_layouts() -> None:
    from snitgraf.cli.common import LAYOUT_CHOICES
    from snitgraf.render.diagrams import LAYOUT_MODES

    assert LAYOUT_CHOICES == LAYOUT_MODES
