"""`snitgraf diff OLD NEW`: every kind of inventory change, and what each does to the categories,
the plan, the budget and the broken needs; the formats and the exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from snitgraf.analysis.diff import FieldChange, PortfolioDiff, diff_portfolios
from snitgraf.cli import cli
from snitgraf.values import parse_date
from tests.diffs import BASE, TODAY, Tables, diff_of, row, second_supplier, write_pair
from tests.i18n_leaks import english_fragments, leaks
from tests.portfolios import SAMPLE, write_portfolio


def run(*args: Any, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def changes(diff: PortfolioDiff, kind: str) -> list[tuple[str, str, dict[str, tuple[Any, Any]]]]:
    """(change, label, {field: (old, new)}) of every row change of a kind."""
    return [
        (r.change, r.label, {f.field: (f.old, f.new) for f in r.fields})
        for r in diff.rows_of(kind)  # type: ignore[arg-type]
    ]


def only(diff: PortfolioDiff, *kinds: str) -> None:
    """Assert the inventory changed only in these kinds."""
    assert {r.kind for r in diff.rows} == set(kinds)


# --- nothing changed ------------------------------------------------------------------------


def test_a_portfolio_against_a_copy_of_itself_has_no_changes(tmp_path: Path) -> None:
    found = diff_of(tmp_path, lambda tables: None)
    assert found.changed is False
    assert (found.rows, found.categories, found.actions, found.budget) == ((), (), (), ())
    assert (found.new_needs, found.resolved_needs) == ((), ())


def test_the_sample_against_itself_is_empty_and_exits_0_in_every_format() -> None:
    table = run("diff", SAMPLE, SAMPLE)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[1:] == ["No changes."]
    as_json = run("diff", SAMPLE, SAMPLE, "--format", "json")
    assert as_json.exit_code == 0
    document = json.loads(as_json.output)
    assert document["changed"] is False
    assert document["categories"] == [] and document["budget"]["changes"] == []
    assert all(v == [] for kind in document["inventory"].values() for v in kind.values())
    assert run("diff", SAMPLE, SAMPLE, "--format", "md").exit_code == 0


# --- the inventory --------------------------------------------------------------------------


def test_an_added_system_is_listed_with_its_fields(tmp_path: Path) -> None:
    def add(tables: Tables) -> None:
        tables["systems"].append(
            {"id": "opus", "name": "KMD Opus", "supplier": "kmd", "domain": "oekonomi"}
        )

    found = diff_of(tmp_path, add)
    only(found, "systems")
    assert changes(found, "systems") == [
        (
            "added",
            "opus",
            {
                "name": (None, "KMD Opus"),
                "supplier": (None, "kmd"),
                "monopoly": (None, False),
                "lifecycle": (None, "both"),
                "domain": (None, "oekonomi"),
            },
        )
    ]
    assert found.changed and not found.actions and not found.budget


def test_a_removed_system_is_listed_with_what_it_had(tmp_path: Path) -> None:
    old = write_portfolio(tmp_path / "old", **{**BASE, "systems": [*BASE["systems"], _spare()]})
    new = write_portfolio(tmp_path / "new", **BASE)
    found = diff_portfolios(str(old), str(new), today=TODAY)
    only(found, "systems")
    ((change, label, fields),) = changes(found, "systems")
    assert (change, label) == ("removed", "spare")
    assert fields["name"] == ("Spare", None) and fields["supplier"] == ("eg", None)


def _spare() -> dict[str, str]:
    return {"id": "spare", "name": "Spare", "supplier": "eg"}


def test_a_later_go_live_is_a_changed_field_and_moves_the_due_dates(tmp_path: Path) -> None:
    def later(tables: Tables) -> None:
        row(tables, "systems", id="ky")["go_live"] = "2018-01"

    found = diff_of(tmp_path, later)
    only(found, "systems")
    assert changes(found, "systems") == [("changed", "ky", {"go_live": ("2017-06", "2018-01")})]
    moved = {(a.action.interface, a.action.action): a.fields for a in found.actions_of("changed")}
    assert moved[("SID001", "negotiate")] == (FieldChange("due", "2017-06", "2018-01"),)
    assert moved[("J1", "negotiate")] == (FieldChange("due", "2017-06", "2018-01"),)
    # K1 expires in 2018, which may now come before KY's go-live: it must be extended.
    added = [(a.action.action, a.action.contract) for a in found.actions_of("added")]
    assert added == [("extend-until-go-live", "K1")]
    assert not found.actions_of("removed")


def test_interfaces_added_removed_and_changed_with_their_fields(tmp_path: Path) -> None:
    def edit(tables: Tables) -> None:
        row(tables, "interfaces", id="SID001")["name"] = "Udbetaling Batch"
        row(tables, "interfaces", id="SID001")["nettoliste"] = "1.1.5"
        tables["interfaces"].append(
            {"id": "SID027", "name": "Indkomst", "provider": "kmd-udbetaling", "data": "indkomst"}
        )

    found = diff_of(tmp_path, edit)
    only(found, "interfaces")
    assert changes(found, "interfaces") == [
        (
            "added",
            "SID027",
            {"name": (None, "Indkomst"), "provider": (None, "kmd-udbetaling"),
             "data": (None, "indkomst")},
        ),
        (
            "changed",
            "SID001",
            {"name": ("Udbetaling", "Udbetaling Batch"), "nettoliste": (None, "1.1.5")},
        ),
    ]  # fmt: skip


def test_a_removed_interface_takes_its_usage_and_contract_and_their_actions_and_cost(
    tmp_path: Path,
) -> None:
    def drop(tables: Tables) -> None:
        tables["interfaces"].remove(row(tables, "interfaces", id="J1"))
        tables["usages"].remove(row(tables, "usages", interface="J1"))
        tables["contracts"].remove(row(tables, "contracts", id="K2"))

    found = diff_of(tmp_path, drop)
    only(found, "interfaces", "usages", "contracts")
    assert [(c, label) for c, label, _f in changes(found, "interfaces")] == [("removed", "J1")]
    assert [(c, label) for c, label, _f in changes(found, "usages")] == [
        ("removed", "kmd-aktiv -> J1")
    ]
    assert changes(found, "contracts")[0][2]["annual_cost_dkk"] == (50000.0, None)
    gone = {(a.action.interface, a.action.action) for a in found.actions_of("removed")}
    assert gone == {("J1", "negotiate"), ("J1", "extend-until-go-live")}
    as_is_2016 = [b for b in found.budget if (b.year, b.state, b.payer) == (2016, "as-is", "total")]
    assert [(b.old_dkk, b.new_dkk, b.change_dkk) for b in as_is_2016] == [
        (150000.0, 100000.0, -50000.0)
    ]


def test_usages_added_removed_and_changed_are_keyed_by_system_interface_municipality(
    tmp_path: Path,
) -> None:
    def edit(tables: Tables) -> None:
        row(tables, "usages", interface="J1")["need"] = "kan"
        tables["usages"].remove(row(tables, "usages", interface="SID001"))
        tables["usages"].append({"interface": "SID001", "system": "sbsys", "need": "kan"})

    found = diff_of(tmp_path, edit)
    only(found, "usages")
    assert changes(found, "usages") == [
        ("added", "sbsys -> SID001", {"need": (None, "nice")}),
        ("removed", "kmd-aktiv -> SID001", {"need": ("must", None)}),
        ("changed", "kmd-aktiv -> J1", {"need": ("must", "nice")}),
    ]
    usage = found.to_json()["inventory"]["usages"]["added"][0]
    assert (usage["interface"], usage["system"], usage["municipality"]) == (
        "SID001",
        "sbsys",
        None,
    )


def test_contracts_added_removed_and_changed_and_the_budget_per_year_and_payer(
    tmp_path: Path,
) -> None:
    def edit(tables: Tables) -> None:
        row(tables, "contracts", id="K1")["annual_cost_dkk"] = "120000"
        tables["contracts"].remove(row(tables, "contracts", id="K2"))
        tables["contracts"].append(
            {"id": "K3", "interface": "J1", "supplier": "fujitsu", "expires": "2020",
             "annual_cost_dkk": "50000"}
        )  # fmt: skip

    found = diff_of(tmp_path, edit)
    only(found, "contracts")
    assert [(c, label) for c, label, _f in changes(found, "contracts")] == [
        ("added", "K3"),
        ("removed", "K2"),
        ("changed", "K1"),
    ]
    assert changes(found, "contracts")[2][2] == {"annual_cost_dkk": (100000.0, 120000.0)}
    cells = {(b.year, b.state, b.payer): (b.old_dkk, b.new_dkk) for b in found.budget}
    assert cells[(2016, "as-is", "kommune")] == (150000.0, 170000.0)
    assert cells[(2016, "as-is", "total")] == (150000.0, 170000.0)
    assert all(b.change_dkk == round(b.new_dkk - b.old_dkk, 2) for b in found.budget)
    # K3 lasts past KY's go-live: no extension is needed any more, K2's extension disappears.
    gone = [(a.action.action, a.action.contract) for a in found.actions_of("removed")]
    assert ("extend-until-go-live", "K2") in gone


# --- consequences ---------------------------------------------------------------------------


def test_a_second_supplier_flips_98_to_common_must_with_both_reasons(tmp_path: Path) -> None:
    found = diff_of(tmp_path, second_supplier)
    only(found, "systems", "interfaces")
    ((flip,),) = [found.categories]
    assert (flip.interface, flip.old_category, flip.new_category) == (
        "SID001",
        "kombit-98",
        "common-must",
    )
    assert (flip.old_suppliers, flip.new_suppliers) == (("kmd",), ("fujitsu", "kmd"))
    assert any(r.startswith("S = 1:") for r in flip.old_reasons)
    assert any(r.startswith("S = 2:") for r in flip.new_reasons)
    assert any("rule common-must" in r for r in flip.new_reasons)
    # KOMBIT paid SID001 under 98'; the municipality pays it as a common need.
    cells = {(b.year, b.state, b.payer): (b.old_dkk, b.new_dkk) for b in found.budget}
    assert cells[(2018, "to-be", "KOMBIT")] == (150000.0, 50000.0)
    assert cells[(2018, "to-be", "kommune")] == (0.0, 100000.0)


def test_a_flip_with_a_tender_before_kombits_offer_changes_who_negotiates(tmp_path: Path) -> None:
    found = diff_of(tmp_path, second_supplier, kombit_offer_date=parse_date("2019"))
    (changed,) = found.actions_of("changed")
    assert (changed.action.interface, changed.action.action) == ("SID001", "negotiate")
    assert changed.fields == (FieldChange("actor", "KOMBIT", "kommune"),)


def test_a_dropped_provider_makes_a_broken_need_and_restoring_it_resolves_it(
    tmp_path: Path,
) -> None:
    def drop_sbsys(tables: Tables) -> None:
        row(tables, "systems", id="sbsys")["lifecycle"] = "as-is"

    found = diff_of(tmp_path / "drop", drop_sbsys)
    assert [(n.system, n.interface, n.data) for n in found.new_needs] == [("ky", "J1", "journal")]
    assert found.resolved_needs == ()
    assert {(a.action.interface, a.action.action) for a in found.actions_of("added")} == {
        ("J1", "find-source"),
        ("J1", "give-notice"),
    }
    old, new = write_pair(tmp_path / "back", drop_sbsys)
    back = diff_portfolios(str(new), str(old), today=TODAY)
    assert [(n.system, n.interface) for n in back.resolved_needs] == [("ky", "J1")]
    assert back.new_needs == ()


# --- the command ----------------------------------------------------------------------------


def test_changes_exit_1_and_the_json_has_stable_english_keys(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, second_supplier)
    result = run("diff", old, new, "--today", "2015-01-01", "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert list(document) == [
        "old", "new", "changed", "counts", "inventory", "categories", "plan_actions",
        "budget", "broken_needs", "go_live_overrides",
    ]  # fmt: skip
    assert document["counts"]["systems"] == {"added": 1, "removed": 0, "changed": 0}
    assert document["categories"][0]["old"]["category"] == "kombit-98"
    assert document["categories"][0]["new"]["category"] == "common-must"
    assert document == diff_portfolios(str(old), str(new), today=TODAY).to_json()


def test_the_table_fits_100_columns_and_shows_old_and_new(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, second_supplier)
    result = run("diff", old, new, "--today", "2015-01-01", "--kombit-offer-date", "2019")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "systems: 1 added, 0 removed, 0 changed" in lines
    assert "interfaces changing category: 1" in lines
    assert "KOMBIT → kommune" in result.output


def test_the_change_note_is_danish_by_default_and_english_with_lang_en(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, second_supplier)
    args = ["diff", old, new, "--today", "2015-01-01", "--format", "md"]
    danish = run(*args, env={"SNITGRAF_LANG": None}).output
    assert danish.startswith("# Ændringsnotat\n")
    assert "- systemer: 1 tilføjet, 0 fjernet, 0 ændret" in danish
    assert "## Snitflader, der skifter kategori" in danish
    assert "| SID001 Udbetaling | 98'-potentiale | Fælles behov – flere leverandører (skal) |" in (
        danish
    )
    english = run("--lang", "en", *args).output
    assert english.startswith("# Change note\n")
    assert "## Interfaces changing category" in english


def test_output_file_is_written_and_nothing_printed(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, second_supplier)
    target = tmp_path / "note.md"
    result = run("diff", old, new, "--format", "md", "-o", target)
    assert result.exit_code == 1 and result.output == ""
    assert target.read_text(encoding="utf-8").startswith("# Change note\n")


def test_invalid_data_exits_2_with_one_line_since_1_means_changes(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE, broken)
    (broken / "systems.csv").write_text(
        "id,name,supplier\nx,X,no-such-supplier\n", encoding="utf-8"
    )
    result = run("diff", SAMPLE, broken)
    assert result.exit_code == 2
    assert "invalid portfolio" in result.output.splitlines()[-1]
    assert "Traceback" not in result.output
    missing = run("diff", tmp_path / "nowhere", SAMPLE)
    assert missing.exit_code == 2
    assert missing.output.splitlines()[0].endswith("nowhere: no such folder or file")


def test_a_usage_error_exits_2() -> None:
    assert run("diff", SAMPLE).exit_code == 2
    assert run("diff", SAMPLE, SAMPLE, "--format", "csv").exit_code == 2


def test_other_commands_still_exit_1_on_invalid_data(tmp_path: Path) -> None:
    broken = write_portfolio(tmp_path / "p", systems=[{"id": "x", "name": "X", "supplier": "no"}])
    assert run("plan", broken).exit_code == 1


def test_the_danish_tables_and_change_note_print_no_english_source_string(tmp_path: Path) -> None:
    def many(tables: Tables) -> None:
        second_supplier(tables)
        row(tables, "systems", id="sbsys")["lifecycle"] = "as-is"
        row(tables, "systems", id="ky")["go_live"] = "2018-01"
        row(tables, "contracts", id="K1")["annual_cost_dkk"] = "120000"
        row(tables, "usages", interface="J1")["need"] = "kan"

    old, new = write_pair(tmp_path, many)
    args = ["diff", old, new, "--today", "2015-01-01", "--kombit-offer-date", "2019"]
    shown = [run(*args, *fmt, env={"SNITGRAF_LANG": None}) for fmt in ((), ("--format", "md"))]
    assert [r.exit_code for r in shown] == [1, 1]
    text = "\n".join(r.output for r in shown)
    assert "Brudte behov" in text and "Handlinger i planen" in text
    assert leaks(text, english_fragments()) == []


def test_go_live_on_new_compares_the_plan_as_it_stands_with_the_scenario() -> None:
    args = ["diff", SAMPLE, SAMPLE, "--today", "2015-01-01", "--go-live", "ksd=2019-06"]
    result = run(*args, "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert all(v == [] for kind in document["inventory"].values() for v in kind.values())
    assert document["go_live_overrides"]["old"] == []
    assert document["go_live_overrides"]["new"] == [
        {
            "system": "ksd",
            "name": "KSD – Kommunernes Sygedagpengesystem",
            "portfolio_go_live": "2017-06",
            "scenario_go_live": "2019-06",
        }
    ]
    moved = [a for a in document["plan_actions"]["changed"] if a["group"] == "kmd-dagpenge"]
    assert moved and all(
        a["fields"] == [{"field": "due", "old": "2017-06", "new": "2019-06"}]
        for a in moved
        if a["action"] == "negotiate"
    )
    table = run(*args).output.splitlines()
    assert table[1] == (
        "Scenario: KSD – Kommunernes Sygedagpengesystem goes live 2019-06 "
        "(in the portfolio 2017-06)"
    )


def test_a_go_live_of_no_replacer_is_a_usage_error() -> None:
    result = run("diff", SAMPLE, SAMPLE, "--go-live", "nosuch=2019")
    assert result.exit_code == 2
    assert "'--go-live'" in result.output and "nosuch=2019" in result.output
