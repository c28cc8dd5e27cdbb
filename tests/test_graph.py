"""Portfolio -> networkx graph: nodes keyed (label, id), typed edges, the AS-IS state."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from snitgraf.analysis.transition import state_graph
from snitgraf.graph import as_is_graph, build_graph, edges, nodes
from snitgraf.problems import PortfolioError
from snitgraf.schema import Label, Rel
from tests.portfolios import portfolio


def tiny(folder: Path) -> nx.MultiDiGraph:
    """Two suppliers, an old monopoly system, its to-be replacement, a provider, two interfaces
    carrying one data key, a usage by each monopoly system and a contract."""
    loaded = portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD", "ski": "02.19"}, {"id": "eg", "name": "EG"}],
        systems=[
            {
                "id": "kmd-aktiv",
                "name": "KMD Aktiv",
                "supplier": "kmd",
                "monopoly": "ja",
                "lifecycle": "as-is",
            },
            {
                "id": "ky",
                "name": "KY",
                "supplier": "eg",
                "monopoly": "ja",
                "lifecycle": "to-be",
                "replaces": "kmd-aktiv",
                "go_live": "2017",
            },
            {"id": "opera", "name": "KMD Opera", "supplier": "kmd"},
            {"id": "ky-opera", "name": "KY Opera-adapter", "supplier": "eg", "lifecycle": "to-be"},
        ],
        interfaces=[
            {"id": "OPERA-1", "name": "Opera status", "provider": "opera", "data": "status"},
            {"id": "KY-1", "name": "KY status", "provider": "ky-opera", "data": "status"},
        ],
        usages=[
            {"interface": "OPERA-1", "system": "kmd-aktiv", "need": "must", "direction": "in"},
            {"interface": "KY-1", "system": "ky", "need": "nice"},
        ],
        contracts=[
            {
                "id": "K1",
                "interface": "OPERA-1",
                "supplier": "kmd",
                "expires": "31.12.2016",
                "annual_cost_dkk": "30.000",
            },
            {"id": "K2", "interface": "KY-1", "supplier": "eg", "expires": "??"},
        ],
    )
    return build_graph(loaded)


def edge_set(graph: nx.MultiDiGraph, rel: Rel) -> set[tuple[Any, Any]]:
    """The (source, target) pairs of one relationship type."""
    return {(source, target) for source, target, _ in edges(graph, rel)}


def test_every_row_becomes_a_node_keyed_by_label_and_id(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    assert set(graph.nodes) == {
        ("Supplier", "kmd"),
        ("Supplier", "eg"),
        ("System", "kmd-aktiv"),
        ("System", "ky"),
        ("System", "opera"),
        ("System", "ky-opera"),
        ("Interface", "OPERA-1"),
        ("Interface", "KY-1"),
        ("Data", "status"),
        ("Contract", "K1"),
        ("Contract", "K2"),
    }
    assert Counter(attrs["label"] for _, attrs in graph.nodes(data=True)) == {
        "Supplier": 2,
        "System": 4,
        "Interface": 2,
        "Data": 1,
        "Contract": 2,
    }
    for (label, id_), attrs in graph.nodes(data=True):
        assert attrs["label"] == label
        assert attrs["id"] == id_


def test_edges_follow_the_schema(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    assert graph.number_of_edges() == 15
    assert Counter(attrs["type"] for _, _, attrs in graph.edges(data=True)) == {
        "SUPPLIES": 4,
        "PROVIDES": 2,
        "USES": 2,
        "CARRIES": 2,
        "REPLACES": 1,
        "COVERS": 2,
        "WITH": 2,
    }
    assert edge_set(graph, Rel.SUPPLIES) == {
        (("Supplier", "kmd"), ("System", "kmd-aktiv")),
        (("Supplier", "eg"), ("System", "ky")),
        (("Supplier", "kmd"), ("System", "opera")),
        (("Supplier", "eg"), ("System", "ky-opera")),
    }
    assert edge_set(graph, Rel.PROVIDES) == {
        (("System", "opera"), ("Interface", "OPERA-1")),
        (("System", "ky-opera"), ("Interface", "KY-1")),
    }
    assert edge_set(graph, Rel.CARRIES) == {
        (("Interface", "OPERA-1"), ("Data", "status")),
        (("Interface", "KY-1"), ("Data", "status")),
    }
    assert edge_set(graph, Rel.REPLACES) == {(("System", "ky"), ("System", "kmd-aktiv"))}
    assert edge_set(graph, Rel.COVERS) == {
        (("Contract", "K1"), ("Interface", "OPERA-1")),
        (("Contract", "K2"), ("Interface", "KY-1")),
    }
    assert edge_set(graph, Rel.WITH) == {
        (("Contract", "K1"), ("Supplier", "kmd")),
        (("Contract", "K2"), ("Supplier", "eg")),
    }


def test_uses_edges_carry_need_and_direction(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    uses = {(s, t): attrs for s, t, attrs in edges(graph, Rel.USES)}
    assert uses == {
        (("System", "kmd-aktiv"), ("Interface", "OPERA-1")): {
            "type": "USES",
            "need": "must",
            "direction": "in",
        },
        (("System", "ky"), ("Interface", "KY-1")): {"type": "USES", "need": "nice"},
    }


def test_node_properties_are_plain_values_without_none(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    assert graph.nodes[("System", "ky")] == {
        "label": "System",
        "id": "ky",
        "name": "KY",
        "supplier": "eg",
        "monopoly": True,
        "lifecycle": "to-be",
        "go_live": "2017",
    }
    assert graph.nodes[("Contract", "K1")] == {
        "label": "Contract",
        "id": "K1",
        "interface": "OPERA-1",
        "supplier": "kmd",
        "expires": "2016-12-31",
        "annual_cost_dkk": 30000.0,
    }
    assert graph.nodes[("Contract", "K2")]["id"] == "K2"
    assert "expires" not in graph.nodes[("Contract", "K2")]
    assert graph.nodes[("Supplier", "eg")] == {"label": "Supplier", "id": "eg", "name": "EG"}
    assert graph.nodes[("Data", "status")] == {"label": "Data", "id": "status"}


def test_ids_are_only_unique_within_a_label(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[{"id": "kmd", "name": "KMD system", "supplier": "kmd"}],
        interfaces=[{"id": "kmd", "name": "KMD interface", "provider": "kmd", "data": "kmd"}],
    )
    graph = build_graph(loaded)
    assert set(graph.nodes) == {
        ("Supplier", "kmd"),
        ("System", "kmd"),
        ("Interface", "kmd"),
        ("Data", "kmd"),
    }
    assert graph.nodes[("System", "kmd")]["name"] == "KMD system"


def test_ids_are_case_sensitive(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "Sag", "name": "Upper", "supplier": "kmd"},
            {"id": "sag", "name": "Lower", "supplier": "kmd"},
        ],
        interfaces=[
            {"id": "I", "name": "Upper I", "provider": "Sag", "data": "D"},
            {"id": "i", "name": "Lower i", "provider": "sag", "data": "d"},
        ],
    )
    graph = build_graph(loaded)
    assert {key for key, _ in nodes(graph, Label.SYSTEM)} == {("System", "Sag"), ("System", "sag")}
    assert {key for key, _ in nodes(graph, Label.DATA)} == {("Data", "D"), ("Data", "d")}
    assert edge_set(graph, Rel.PROVIDES) == {
        (("System", "Sag"), ("Interface", "I")),
        (("System", "sag"), ("Interface", "i")),
    }


def test_interfaces_with_one_data_key_share_one_data_node(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    assert [key for key, _ in nodes(graph, Label.DATA)] == [("Data", "status")]
    assert graph.in_degree(("Data", "status")) == 2


def test_as_is_drops_to_be_systems_with_their_interfaces_usages_and_contracts(
    tmp_path: Path,
) -> None:
    graph = as_is_graph(tiny(tmp_path))
    assert set(graph.nodes) == {
        ("Supplier", "kmd"),
        ("Supplier", "eg"),
        ("System", "kmd-aktiv"),
        ("System", "opera"),
        ("Interface", "OPERA-1"),
        ("Data", "status"),
        ("Contract", "K1"),
    }
    assert Counter(attrs["type"] for _, _, attrs in graph.edges(data=True)) == {
        "SUPPLIES": 2,
        "PROVIDES": 1,
        "USES": 1,
        "CARRIES": 1,
        "COVERS": 1,
        "WITH": 1,
    }
    assert edge_set(graph, Rel.USES) == {(("System", "kmd-aktiv"), ("Interface", "OPERA-1"))}


def test_as_is_keeps_the_source_and_leaves_the_full_graph_alone(tmp_path: Path) -> None:
    full = tiny(tmp_path)
    as_is = state_graph(full, "as-is")
    assert as_is.graph["source"] == str(tmp_path)
    assert full.number_of_nodes() == 11
    assert full.number_of_edges() == 15


def test_state_all_is_the_graph_as_stated(tmp_path: Path) -> None:
    full = tiny(tmp_path)
    assert state_graph(full, "all") is full


def test_the_graph_is_a_multidigraph_with_its_source(tmp_path: Path) -> None:
    graph = tiny(tmp_path)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.graph == {"source": str(tmp_path)}


def test_one_system_using_an_interface_twice_in_two_municipalities_keeps_both_edges(
    tmp_path: Path,
) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "p", "name": "P", "supplier": "kmd"},
            {"id": "u", "name": "U", "supplier": "kmd", "monopoly": "ja"},
        ],
        interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d"}],
        usages=[
            {"interface": "I", "system": "u", "need": "must", "municipality": "101"},
            {"interface": "I", "system": "u", "need": "nice", "municipality": "751"},
        ],
    )
    graph = build_graph(loaded)
    assert graph.number_of_edges(("System", "u"), ("Interface", "I")) == 2
    assert sorted(a["municipality"] for _, _, a in edges(graph, Rel.USES)) == ["101", "751"]


def test_extra_columns_of_every_file_become_properties(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "p", "name": "P", "supplier": "kmd"},
            {"id": "u", "name": "U", "supplier": "kmd", "monopoly": "ja"},
        ],
        interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d", "kilde": "seed"}],
        usages=[{"interface": "I", "system": "u", "need": "must", "frekvens": "dagligt"}],
        contracts=[{"id": "K", "interface": "I", "supplier": "kmd", "Kontraktnr": "2014-17"}],
    )
    graph = build_graph(loaded)
    assert graph.nodes[("Interface", "I")]["kilde"] == "seed"
    assert graph.nodes[("Contract", "K")]["Kontraktnr"] == "2014-17"
    assert [attrs for _, _, attrs in edges(graph, Rel.USES)] == [
        {"type": "USES", "frekvens": "dagligt", "need": "must"}
    ]


@pytest.mark.parametrize(("kind", "column"), [("usages", "type"), ("systems", "label")])
def test_an_extra_column_named_like_a_graph_attribute_does_not_crash(
    tmp_path: Path, kind: str, column: str
) -> None:
    tables: dict[str, list[dict[str, str]]] = {
        "suppliers": [{"id": "kmd", "name": "KMD"}],
        "systems": [{"id": "p", "name": "P", "supplier": "kmd"}],
        "interfaces": [{"id": "I", "name": "I", "provider": "p", "data": "d"}],
        "usages": [{"interface": "I", "system": "p", "need": "must"}],
    }
    tables[kind][0][column] = "batch"
    try:
        loaded = portfolio(tmp_path, **tables)
    except PortfolioError as error:  # reporting the column as reserved is a fix too
        assert f"column {column}:" in error.lines()[0]
        return
    graph = build_graph(loaded)
    assert graph.nodes[("System", "p")]["label"] == "System"
    assert {a["type"] for _, _, a in graph.edges(data=True)} == {
        "SUPPLIES",
        "PROVIDES",
        "USES",
        "CARRIES",
    }
