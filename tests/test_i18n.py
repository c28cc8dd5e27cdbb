"""Danish first: the default language, --lang/SNITGRAF_LANG, the catalogue, Danish numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from snitgraf import i18n
from snitgraf.cli import cli
from snitgraf.i18n_extract import catalogue_problems, command_docstrings, source_messages
from snitgraf.values import PartialDate, parse_date
from tests.i18n_leaks import english_fragments, leaks
from tests.portfolios import SAMPLE

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, lang: str | None = None) -> Result:
    """The CLI with SNITGRAF_LANG set to `lang`, or unset (None): the user's default."""
    return CliRunner().invoke(cli, list(args), env={i18n.ENV_VAR: lang})


def broken_portfolio(folder: Path) -> Path:
    """The sample with a system whose supplier does not exist."""
    shutil.copytree(SAMPLE, folder, dirs_exist_ok=True)
    (folder / "systems.csv").write_text(
        (SAMPLE / "systems.csv").read_text(encoding="utf-8") + "x-new,X,nobody\n",
        encoding="utf-8",
    )
    return folder


def test_danish_is_the_default_language_of_messages_and_tables() -> None:
    validated = run("validate", str(SAMPLE))
    table = run("categorize", str(SAMPLE))
    assert validated.exit_code == 0 and table.exit_code == 0
    assert validated.stdout.startswith(f"{SAMPLE}: gyldig: 14 leverandører, 33 systemer")
    assert "Kategorisering af snitflader" in table.stdout
    assert "snitflade" in table.stdout and "leverandører" in table.stdout


def test_lang_en_gives_english() -> None:
    validated = run("--lang", "en", "validate", str(SAMPLE))
    table = run("--lang=en", "categorize", str(SAMPLE))
    assert validated.stdout.startswith(f"{SAMPLE}: valid: 14 suppliers, 33 systems")
    assert "Categorisation of interfaces" in table.stdout
    assert "Kategorisering" not in table.stdout


def test_snitgraf_lang_sets_the_default_and_lang_overrides_it() -> None:
    assert run("validate", str(SAMPLE), lang="en").stdout.startswith(f"{SAMPLE}: valid:")
    danish = run("--lang", "da", "validate", str(SAMPLE), lang="en")
    assert danish.stdout.startswith(f"{SAMPLE}: gyldig:")


def test_an_unknown_language_is_a_usage_error_in_one_line() -> None:
    result = run("--lang", "sv", "validate", str(SAMPLE))
    from_env = run("validate", str(SAMPLE), lang="klingon")
    assert result.exit_code == 2 and from_env.exit_code == 2
    assert result.stderr == (
        "fejl: ukendt sprog 'sv' (brug da eller en; SNITGRAF_LANG sætter standarden)\n"
    )
    assert "'klingon'" in from_env.stderr


def test_help_is_danish_by_default_and_english_with_lang_en() -> None:
    danish = run("--help")
    english = run("--lang", "en", "--help")
    sub = run("categorize", "--help")
    assert "snitfladerne mellem kommunernes it-systemer som en graf" in danish.stdout
    assert "Sprog for alt, der vises" in danish.stdout
    assert "the interfaces between municipal IT systems as a graph" in english.stdout
    assert "Kategorisér hver snitflade" in sub.stdout and "Uddataformat." in sub.stdout


def test_input_errors_are_danish_by_default(tmp_path: Path) -> None:
    folder = broken_portfolio(tmp_path / "p")
    danish = run("validate", str(folder))
    english = run("validate", str(folder), lang="en")
    assert danish.exit_code == 1 and english.exit_code == 1
    assert "systems.csv:35: kolonne supplier: ukendt leverandør (værdi 'nobody')" in danish.stderr
    assert "systems.csv:35: column supplier: unknown supplier (value 'nobody')" in english.stderr
    assert danish.stderr.endswith(": ugyldig portefølje: 1 problem(er)\n")


def test_a_subprocess_without_snitgraf_lang_speaks_danish() -> None:
    env = {k: v for k, v in os.environ.items() if k != i18n.ENV_VAR}
    done = subprocess.run(
        [sys.executable, "-m", "snitgraf", "validate", str(SAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert ": gyldig: " in done.stdout


def test_categorise_and_analyze_are_other_spellings_of_the_same_commands(tmp_path: Path) -> None:
    british = run("categorise", str(SAMPLE), "--format", "csv")
    american = run("categorize", str(SAMPLE), "--format", "csv")
    analyzed = run("analyze", str(SAMPLE), "--out", str(tmp_path), lang="en")
    help_text = run("--help").stdout
    assert british.exit_code == 0 and british.stdout == american.stdout
    assert analyzed.exit_code == 0 and "wrote" in analyzed.stdout
    listed = {line.split()[0] for line in help_text.split("Kommandoer:")[1].splitlines() if line}
    assert {"categorize", "analyse"} <= listed
    assert not {"categorise", "analyze"} & listed


def test_every_msgid_of_the_code_has_a_danish_translation() -> None:
    assert catalogue_problems(ROOT) == []


def test_the_catalogue_check_finds_a_string_missing_from_the_catalogue(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "snitgraf").mkdir(parents=True)
    shutil.copy(ROOT / "babel.cfg", root)
    shutil.copytree(ROOT / "snitgraf" / "locale", root / "snitgraf" / "locale")
    (root / "snitgraf" / "new.py").write_text(
        'from snitgraf.i18n import _\n\n\ndef f() -> str:\n    return _("A brand new text")\n',
        encoding="utf-8",
    )
    assert catalogue_problems(root) == ["snitgraf/new.py:5: not in snitgraf.po: 'A brand new text'"]


def test_click_docstrings_are_extracted_as_their_help_text() -> None:
    source = '@click.command()\ndef go() -> None:\n    """Do it.\n\n    Really."""\n'
    assert list(command_docstrings(source)) == [(3, "Do it.\n\nReally.")]
    assert "Check a portfolio: print every problem, or what it loaded." in source_messages(ROOT)


def test_the_po_is_read_when_the_mo_is_missing(tmp_path: Path, monkeypatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "snitgraf" / "locale", locale)
    for mo in locale.glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("da").gettext("missing file") == "fil mangler"
    finally:
        i18n.translations.cache_clear()


def test_compiling_writes_a_mo_that_gettext_reads(tmp_path: Path) -> None:
    import gettext

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "snitgraf" / "locale", locale)
    written = i18n.compile_catalogues(locale)
    assert [p.relative_to(locale).as_posix() for p in written] == ["da/LC_MESSAGES/snitgraf.mo"]
    catalogue = gettext.translation("snitgraf", localedir=str(locale), languages=["da"])
    assert catalogue.gettext("Action plan") == "Handlingsplan"


@pytest.mark.parametrize(
    ("lang", "amount", "full", "short"),
    [
        ("da", 419_000, "419.000 kr.", "419.000 kr."),
        ("da", 1_500_000, "1.500.000 kr.", "1,5 mio. kr."),
        ("da", 1234.5, "1.234,50 kr.", "1.234 kr."),
        ("en", 419_000, "DKK 419,000", "DKK 419,000"),
        ("en", 1_500_000, "DKK 1,500,000", "DKK 1.5M"),
    ],
)
def test_money_takes_the_languages_form(lang: str, amount: float, full: str, short: str) -> None:
    i18n.set_language(lang)
    assert i18n.format_dkk(amount) == full
    assert i18n.format_dkk_short(amount) == short
    assert i18n.format_dkk(None, unknown="??") == "??"


@pytest.mark.parametrize(
    ("lang", "text", "shown"),
    [
        ("da", "2017", "2017"),
        ("da", "2017-06", "2017-06"),
        ("da", "31.12.2016", "31.12.2016"),
        ("da", "2016-12-31", "31.12.2016"),
        ("en", "31.12.2016", "2016-12-31"),
        ("en", "2017", "2017"),
    ],
)
def test_dates_keep_the_precision_the_portfolio_gives(lang: str, text: str, shown: str) -> None:
    i18n.set_language(lang)
    date = parse_date(text)
    assert isinstance(date, PartialDate)
    assert i18n.format_date(date) == shown


def test_numbers_in_danish_use_dot_for_thousands_and_comma_for_decimals() -> None:
    i18n.set_language("da")
    assert (i18n.format_number(8161), i18n.format_number(2.5, 1)) == ("8.161", "2,5")
    i18n.set_language("en")
    assert (i18n.format_number(8161), i18n.format_number(2.5, 1)) == ("8,161", "2.5")


KOMBIT_2014 = ROOT / "data" / "kombit-2014"
MAIN_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("categorize", str(KOMBIT_2014)),
    ("overview", str(KOMBIT_2014)),
    ("gap", str(KOMBIT_2014)),
    ("impact", str(KOMBIT_2014), "kmd-aktiv"),
    ("plan", str(KOMBIT_2014), "--today", "2015-01-01"),
    ("budget", str(KOMBIT_2014)),
)
"""The main commands as people run them (terminal tables); `analyse` writes into a folder."""
JSON_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("categorize", str(KOMBIT_2014), "--format", "json"),
    ("gap", str(KOMBIT_2014), "--format", "json"),
    ("impact", str(KOMBIT_2014), "kmd-aktiv", "--format", "json"),
    ("plan", str(KOMBIT_2014), "--today", "2015-01-01", "--format", "json"),
    ("budget", str(KOMBIT_2014), "--format", "json"),
)
TEXT_KEYS = frozenset({"label", "negotiates", "title", "reason", "reasons", "group_name"})
"""JSON values that are text for people (README, "Language"); the others are codes and ids."""


def texts_for_people(value: object, key: str = "") -> list[str]:
    """The strings under TEXT_KEYS anywhere in a JSON document."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in texts_for_people(v, k)]
    if isinstance(value, list):
        return [t for item in value for t in texts_for_people(item, key)]
    return [value] if isinstance(value, str) and key in TEXT_KEYS else []


def main_outputs(tmp_path: Path, lang: str | None) -> str:
    """Everything the main commands print on the sample, and their texts for people in JSON."""
    import json

    parts = []
    for args in MAIN_COMMANDS:
        result = run(*args, lang=lang)
        assert result.exit_code == 0, (args, result.output)
        parts.append(result.output)
    for args in JSON_COMMANDS:
        result = run(*args, lang=lang)
        assert result.exit_code == 0, (args, result.output)
        parts += texts_for_people(json.loads(result.stdout))
    analysed = run("analyse", str(KOMBIT_2014), "--out", str(tmp_path / "out"), lang=lang)
    assert analysed.exit_code == 0, analysed.output
    parts.append(analysed.output)
    return "\n".join(parts)


def test_the_main_commands_print_no_english_source_string_in_danish(tmp_path: Path) -> None:
    fragments = english_fragments()
    danish = main_outputs(tmp_path, lang=None)
    assert leaks(danish, fragments) == []
    assert "forhandl snitfladen med det nye system" in danish
    assert "Berørte snitflader" in danish and "Årlig pris, der står på spil: 85.000 kr." in danish


def test_lang_en_gives_the_english_source_strings_of_the_main_commands(tmp_path: Path) -> None:
    english = main_outputs(tmp_path, lang="en")
    found = leaks(english, english_fragments())
    assert "negotiate the interface with the new system" in english
    assert "Affected interfaces" in english and "Annual cost at stake: DKK 85,000" in english
    assert len(found) > 100
    assert "forhandl snitfladen" not in english


def help_and_usage_errors(lang: str | None) -> str:
    """`--help` of the root and of every command, and the usage errors people meet first."""
    from snitgraf.cli import LAZY_COMMANDS

    def snitgraf(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), env={i18n.ENV_VAR: lang}, prog_name="snitgraf")

    parts = [snitgraf("--help").output, snitgraf().output]
    for name in sorted(LAZY_COMMANDS):
        result = snitgraf(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        parts.append(result.output)
    for args in (("validate", "--bogus"), ("validate",), ("nope",), ("render", ".", "--view", "x")):
        result = snitgraf(*args)
        assert result.exit_code == 2, (args, result.output)
        parts.append(result.output)
    return "\n".join(parts)


def test_help_and_usage_errors_speak_danish_with_clicks_own_words_too() -> None:
    danish = help_and_usage_errors(lang=None)
    assert leaks(danish, english_fragments()) == []
    for words in (
        "Brug: snitgraf [TILVALG] KOMMANDO [ARGUMENTER]...",
        "Tilvalg:",
        "Kommandoer:",
        "Vis denne hjælp og afslut.",
        "Vis versionen og afslut.",
        "Fejl: Tilvalget '--bogus' findes ikke.",
        "Fejl: Manglende argument 'PORTFOLIO'.",
        "Fejl: Kommandoen 'nope' findes ikke.",
        "Prøv 'snitgraf --help' for hjælp.",
        "[standard: as-is]",
    ):
        assert words in danish, words
    assert "Usage:" not in danish and "Show this message" not in danish


def test_help_and_usage_errors_are_clicks_english_with_lang_en() -> None:
    english = help_and_usage_errors(lang="en")
    for words in (
        "Usage: snitgraf [OPTIONS] COMMAND [ARGS]...",
        "Options:",
        "Commands:",
        "Show this message and exit.",
        "Error: No such option '--bogus'.",
        "Try 'snitgraf --help' for help.",
    ):
        assert words in english, words
    assert "Brug:" not in english and "Tilvalg" not in english


def test_version_speaks_the_chosen_language() -> None:
    assert run("--version").output.startswith("snitgraf, version ")
    assert run("--lang", "en", "--version").output.startswith("snitgraf, version ")


def page_texts(folder: Path) -> dict[str, str]:
    """The text a person reads on each page `analyse` wrote: the report's text and tooltips
    (`title`), and the diagram pages' header, panel, legend, filters, notes and the labels and
    tooltips of their nodes and edges (put in by the page script from the page's JSON)."""
    import json
    import re
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style"):
                self.skip += 1
            for name, value in attrs:
                if name in ("title", "placeholder", "alt", "aria-label") and value:
                    self.parts.append(value)

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip and data.strip():
                self.parts.append(data.strip())

    def strings(value: object, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in strings(v, k)]
        if isinstance(value, list):
            return [s for item in value for s in strings(item, key)]
        shown = {"title", "subtitle", "note", "label", "texts", "name"}
        return [value] if isinstance(value, str) and (key in shown or not key) else []

    texts = {}
    for page in sorted(folder.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        parser = Text()
        parser.feed(html)
        parts = parser.parts
        config = re.search(r'<script id="sg-config" type="application/json">(.*?)</script>', html)
        if config:
            data = json.loads(config.group(1))
            parts += strings({k: v for k, v in data.items() if k != "texts"})
            parts += list(data["texts"].values())
            for block in re.findall(r"new vis\.DataSet\((\[.*?\])\);", html, re.DOTALL):
                parts += strings(json.loads(block))
        texts[page.name] = "\n".join(parts)
    return texts


def test_the_report_and_diagram_pages_show_no_english_source_string_in_danish(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert run("analyse", str(KOMBIT_2014), "--out", str(out)).exit_code == 0
    texts = page_texts(out)
    assert set(texts) == {"as-is.html", "to-be.html", "gap.html", "report.html"}
    fragments = english_fragments()
    found = {name: leaks(text, fragments) for name, text in texts.items()}
    assert found == {name: [] for name in texts}
    assert (
        "Opstilling" in texts["gap.html"]
        and "Vis snitflade-id på forbindelser" in texts["gap.html"]
    )
    assert "Handlingsplan" in texts["report.html"]


def test_the_pages_are_english_with_lang_en(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("analyse", str(KOMBIT_2014), "--out", str(out), lang="en").exit_code == 0
    texts = page_texts(out)
    assert "Show interface ids on edges" in texts["as-is.html"]
    assert "Action plan" in texts["report.html"]
    assert len(leaks(texts["report.html"], english_fragments())) > 20


def test_a_leak_is_an_english_word_in_the_text_not_in_a_path_the_user_gave() -> None:
    fragments = {"check": "check {email_var}"}
    assert leaks("Portefølje: /srv/check/data/kombit-2014 · udarbejdet", fragments) == []
    found = leaks("Portefølje: kombit-2014 · check", fragments)
    assert found == ["'check' (from 'check {email_var}')"]
