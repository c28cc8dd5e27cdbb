"""The TO-BE evidence taken from the rule's roles is what the built TO-BE graph shows."""

from __future__ import annotations

from pathlib import Path

from snitgraf.analysis.categorise import gather, gather_after
from snitgraf.analysis.transition import derive_to_be
from snitgraf.generate import generate, write
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from tests.portfolios import SAMPLE


def _same_evidence(folder: Path) -> None:
    graph = build_graph(load_portfolio(folder))
    derived = derive_to_be(graph)
    from_roles = gather_after(graph, derived.kept, derived.provides_after, derived.uses_after)
    _facts, from_graph = gather(derived.graph)
    assert from_roles == from_graph


def test_evidence_from_the_roles_equals_the_built_to_be_graphs_on_the_sample() -> None:
    _same_evidence(SAMPLE)


def test_evidence_from_the_roles_equals_the_built_to_be_graphs_nationally(tmp_path: Path) -> None:
    write(generate(municipalities=3, seed=1), tmp_path / "n3")
    _same_evidence(tmp_path / "n3")


def test_the_to_be_graph_is_built_only_when_asked_for() -> None:
    derived = derive_to_be(build_graph(load_portfolio(SAMPLE)))
    assert "graph" not in derived.__dict__
    graph = derived.graph
    assert derived.graph is graph
