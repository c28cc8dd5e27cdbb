"""The synthetic national portfolio: deterministic, valid, national in size, realistic in shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.analysis.categorise import categorise, category_counts
from snitgraf.cli import cli
from snitgraf.generate import DOMAINS, MONOPOLY, MUNICIPALITIES, generate, write
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio


@pytest.fixture(scope="module")
def national():
    return generate(municipalities=98, seed=1)


def test_the_list_of_municipalities_is_the_98_real_ones():
    codes = [code for code, _ in MUNICIPALITIES]
    assert len(codes) == 98
    assert len(set(codes)) == 98
    assert ("751", "Aarhus") in MUNICIPALITIES
    assert ("101", "København") in MUNICIPALITIES


def test_the_same_seed_gives_the_same_portfolio():
    assert generate(5, seed=3).tables == generate(5, seed=3).tables


def test_another_seed_gives_another_portfolio():
    assert generate(5, seed=3).tables != generate(5, seed=4).tables


def test_national_size_is_about_300_usages_per_municipality_over_a_few_thousand_interfaces(
    national,
):
    counts = national.counts()
    assert counts["municipalities"] == 98
    assert 25_000 <= counts["usages"] <= 40_000
    assert 1_500 <= counts["interfaces"] <= 5_000


def test_seed_1_at_98_gives_the_size_the_readme_quotes(national):
    counts = national.counts()
    assert (counts["usages"], counts["interfaces"], counts["contracts"]) == (32_529, 2_112, 13_477)


def test_scale_multiplies_the_catalogue_and_the_usages():
    one, three = generate(10, seed=2).counts(), generate(10, seed=2, scale=3).counts()
    assert 2.7 <= three["interfaces"] / one["interfaces"] <= 3.3
    assert 2.5 <= three["usages"] / one["usages"] <= 3.5


def test_every_municipality_deploys_one_local_system_per_domain_and_every_monopoly_system(
    national,
):
    domain_of = {sid: d.code for d in DOMAINS for sid, _, _, _ in d.systems}
    per_municipality: dict[str, Counter[str]] = {}
    monopoly = {m.id for m in MONOPOLY}
    deployed_monopoly: dict[str, set[str]] = {}
    for row in national.tables["deployments"]:
        code, system = row["municipality"], row["system"]
        if system in domain_of:
            per_municipality.setdefault(code, Counter())[domain_of[system]] += 1
        if system in monopoly:
            deployed_monopoly.setdefault(code, set()).add(system)
    assert len(per_municipality) == 98
    for counter in per_municipality.values():
        assert counter == Counter({d.code: 1 for d in DOMAINS})
    assert all(systems == monopoly for systems in deployed_monopoly.values())


def test_every_domain_has_several_suppliers():
    for domain in DOMAINS:
        assert len({supplier for _, _, supplier, _ in domain.systems}) >= 3, domain.code


def test_the_national_portfolio_shows_every_category(national):
    counts = category_counts(categorise(build_graph(national.portfolio())))
    assert all(n > 0 for n in counts.values()), counts


def test_needs_are_mostly_must_and_some_nice(national):
    needs = Counter(row["need"] for row in national.tables["usages"])
    assert set(needs) == {"must", "nice"}
    assert needs["must"] > needs["nice"] > 0


def test_contract_expiries_and_costs_are_spread(national):
    contracts = national.tables["contracts"]
    years = {row["expires"][:4] for row in contracts if row["expires"]}
    assert len(years) >= 6
    assert any(row["expires"] == "" for row in contracts)
    costs = sorted(int(row["annual_cost_dkk"]) for row in contracts if row["annual_cost_dkk"])
    assert costs[0] < 20_000 and costs[-1] > 150_000


def test_more_than_98_municipalities_get_synthetic_ones():
    generated = generate(100, seed=0)
    names = [row["name"] for row in generated.tables["municipalities"]]
    assert names[-2:] == ["Syntetisk Kommune 1", "Syntetisk Kommune 2"]


def test_written_folder_loads_to_the_same_portfolio(tmp_path: Path):
    generated = generate(3, seed=7)
    write(generated, tmp_path)
    loaded = load_portfolio(tmp_path)
    in_memory = generated.portfolio()
    assert loaded.counts() == in_memory.counts()
    assert loaded.usages == in_memory.usages
    assert loaded.contracts == in_memory.contracts


def test_generate_command_writes_a_valid_portfolio(tmp_path: Path):
    out = tmp_path / "national"
    result = CliRunner().invoke(
        cli, ["generate", "--municipalities", "2", "--seed", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: 24 suppliers, 48 systems, ")
    validated = CliRunner().invoke(cli, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output
    assert "2 municipalities" in validated.output


def test_zero_municipalities_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["generate", "-n", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_generate_leaves_an_existing_portfolio_alone_without_force(tmp_path: Path):
    (tmp_path / "suppliers.csv").write_text("precious\n", encoding="utf-8")
    args = ["generate", "-n", "2", "--seed", "5", "--out", str(tmp_path)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == f"error: {tmp_path}: already holds CSV files (use --force to replace them)\n"
    )
    assert (tmp_path / "suppliers.csv").read_text(encoding="utf-8") == "precious\n"
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "suppliers.csv").read_text(encoding="utf-8") != "precious\n"
