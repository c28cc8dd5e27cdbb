"""The statements in cypher/ (no server needed): headers, schema use, push templates."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from snitgraf import cypher
from snitgraf.backends.neo4j import check_schema, constraint_name
from snitgraf.backends.scopes import CATALOGUE_LABELS
from snitgraf.problems import SnitgrafError
from snitgraf.schema import NODES, RELATIONSHIPS, Label

NODE_LABEL = re.compile(r"\(\w*:(\w+)")
REL_TYPES = re.compile(r"\[\w*:([\w|]+)")


def test_every_statement_has_a_header_saying_what_it_answers() -> None:
    statements = cypher.all_statements()
    assert len(statements) >= 20
    for name, statement in statements.items():
        assert statement.title and statement.title != name, name
        assert statement.text and not statement.text.startswith("//"), name


@pytest.mark.parametrize("name", sorted(cypher.all_statements()))
def test_statements_use_only_the_labels_and_types_of_the_schema(name: str) -> None:
    labels = {spec.label.value for spec in NODES} | set(CATALOGUE_LABELS)
    types = {spec.type.value for spec in RELATIONSHIPS}
    text = cypher.load(name).text
    for label in NODE_LABEL.findall(text):
        assert label in labels, (name, label)
    for found in REL_TYPES.findall(text):
        for rel_type in found.split("|"):
            assert rel_type in types, (name, rel_type)


def test_every_named_query_declares_its_columns() -> None:
    for name, statement in cypher.named_queries().items():
        assert statement.name == name
        assert statement.columns, name
        for column in statement.columns:
            assert f" AS {column}" in statement.text or f"{column}," in statement.text, (
                name,
                column,
            )


def test_the_push_create_template_renders_to_this_text() -> None:
    assert cypher.load("push/create-nodes").render(label=Label.SUPPLIER.value) == (
        "UNWIND $rows AS row\nCREATE (n:Supplier)\nSET n += row\n"
        "RETURN collect([row.id, elementId(n)]) AS ids"
    )


def test_the_constraint_template_renders_to_this_text() -> None:
    text = cypher.load("schema/constraint").render(
        name=constraint_name(Label.SYSTEM), label=Label.SYSTEM.value
    )
    assert text == (
        "CREATE CONSTRAINT snitgraf_system_scope_id IF NOT EXISTS\n"
        "FOR (n:System) REQUIRE (n.scope, n.id) IS UNIQUE"
    )


def test_templates_accept_only_identifiers() -> None:
    statement = cypher.load("push/create-nodes")
    with pytest.raises(ValueError, match="identifier"):
        statement.render(label="System) DETACH DELETE (x")
    with pytest.raises(ValueError, match="no value for label"):
        statement.render()


def test_parameters_are_converted_by_their_declared_type() -> None:
    statement = cypher.named_queries()["systems-within-hops"]
    assert statement.arguments({"system": "kmd-sag"}) == {"system": "kmd-sag", "hops": 2}
    assert statement.arguments({"system": "1", "hops": "3"}) == {"system": "1", "hops": 3}
    with pytest.raises(SnitgrafError, match=r"parameter hops: not a valid integer"):
        statement.arguments({"system": "x", "hops": "two"})


def test_a_header_parameter_line_is_parsed() -> None:
    statement = cypher.parse(
        "q",
        "// Contracts ending by a date.\n// More words.\n"
        "// param: by (date, default 2017) the date\n// columns: id\nMATCH (c) RETURN c.id AS id",
    )
    assert statement.title == "Contracts ending by a date."
    assert statement.description == "More words."
    assert statement.parameters == (cypher.Parameter("by", "date", "2017", "the date"),)
    assert statement.arguments({}) == {"by": "2017"}
    assert statement.arguments({"by": "31-12-2016"}) == {"by": "2016-12-31"}


def test_a_graph_outside_the_schema_is_refused_before_anything_is_written() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node(("Person", "p1"), label="Person", id="p1")
    with pytest.raises(SnitgrafError, match="not in the graph schema"):
        check_schema(graph)
