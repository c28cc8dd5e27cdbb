"""`snitgraf diff` between two Neo4j scopes gives the folders' diff (parity with networkx)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from snitgraf.cli import cli
from tests.diffs import second_supplier, write_pair


def _cli(*args: Any) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_diff_of_two_scopes_is_the_diff_of_the_two_folders(
    neo4j_env: str, new_scope: Any, tmp_path: Path
) -> None:
    old, new = write_pair(tmp_path, second_supplier)
    before, after = new_scope("diff-old"), new_scope("diff-new")
    for folder, scope in ((old, before), (new, after)):
        pushed = _cli("push", folder, "--to", neo4j_env, "--scope", scope)
        assert pushed.exit_code == 0, pushed.output
    options = ("--today", "2015-01-01", "--kombit-offer-date", "2019", "--format", "json")
    on_folders = _cli("diff", old, new, *options)
    scopes = ("--scope", before, "--new-scope", after)
    on_scopes = _cli("diff", neo4j_env, neo4j_env, *scopes, *options)
    assert (on_folders.exit_code, on_scopes.exit_code) == (1, 1), on_scopes.output
    from_folders, from_scopes = json.loads(on_folders.output), json.loads(on_scopes.output)
    assert from_scopes["old"].endswith(f"[{before}]")
    assert from_scopes["new"].endswith(f"[{after}]")
    for document in (from_folders, from_scopes):
        del document["old"], document["new"]
    assert from_scopes == from_folders
    assert from_scopes["categories"][0]["new"]["category"] == "common-must"
    same = _cli("diff", neo4j_env, old, "--scope", before, "--format", "json")
    assert same.exit_code == 0, same.output
