"""Cell parsers: booleans, needs, lifecycles, directions, lists, partial dates and DKK amounts."""

from __future__ import annotations

from datetime import date

import pytest

from snitgraf.values import (
    PartialDate,
    forbidden_character,
    format_amount,
    json_amount,
    neutralise_formula,
    parse_bool,
    parse_cost,
    parse_date,
    parse_direction,
    parse_lifecycle,
    parse_list,
    parse_need,
    restore_formula,
    show_controls,
)


@pytest.mark.parametrize(
    "text", ["true", "TRUE", "True", "ja", "Ja", "yes", "YES", "1", "x", "X", " ja "]
)
def test_true_spellings_read_as_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "FALSE", "nej", "NEJ", "no", "No", "0", "", "   "])
def test_false_spellings_and_blank_read_as_false(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["maybe", "2", "jein", "-"])
def test_other_text_is_not_a_boolean(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a boolean"):
        parse_bool(text)


@pytest.mark.parametrize("text", ["must", "MUST", "skal", "Skal", " skal "])
def test_must_and_skal_read_as_must(text: str) -> None:
    assert parse_need(text) == "must"


@pytest.mark.parametrize(
    "text", ["nice", "Nice", "kan", "vil værdsætte", "Vil Værdsætte", "vil  værdsætte"]
)
def test_nice_kan_and_vil_vaerdsaette_read_as_nice(text: str) -> None:
    assert parse_need(text) == "nice"


@pytest.mark.parametrize("text", ["", "maybe", "should"])
def test_other_needs_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a need"):
        parse_need(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("as-is", "as-is"), ("AS-IS", "as-is"), ("to-be", "to-be"), ("both", "both"), ("", "both")],
)
def test_lifecycle_values_and_blank_default_to_both(text: str, expected: str) -> None:
    assert parse_lifecycle(text) == expected


def test_unknown_lifecycle_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"^not a lifecycle"):
        parse_lifecycle("sometimes")


@pytest.mark.parametrize(
    ("text", "expected"), [("in", "in"), ("ind", "in"), ("OUT", "out"), ("ud", "out"), ("", None)]
)
def test_direction_values_and_blank_means_not_stated(text: str, expected: str | None) -> None:
    assert parse_direction(text) == expected


def test_unknown_direction_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"^not a direction"):
        parse_direction("sideways")


def test_pipe_separates_several_values_and_drops_blanks() -> None:
    assert parse_list(" a | b||c ") == ("a", "b", "c")
    assert parse_list("") == ()


def test_a_year_stays_a_year() -> None:
    parsed = parse_date("2017")
    assert parsed == PartialDate(2017)
    assert parsed is not None
    assert parsed.precision == "year"
    assert str(parsed) == "2017"
    assert parsed.first_day() == date(2017, 1, 1)
    assert parsed.last_day() == date(2017, 12, 31)


def test_a_month_stays_a_month() -> None:
    parsed = parse_date("2016-02")
    assert parsed == PartialDate(2016, 2)
    assert parsed is not None
    assert parsed.precision == "month"
    assert str(parsed) == "2016-02"
    assert parsed.last_day() == date(2016, 2, 29)


@pytest.mark.parametrize("text", ["2016-12-31", "31.12.2016", "31-12-2016"])
def test_iso_and_danish_day_forms_mean_the_same_day(text: str) -> None:
    parsed = parse_date(text)
    assert parsed == PartialDate(2016, 12, 31)
    assert parsed is not None
    assert parsed.precision == "day"
    assert str(parsed) == "2016-12-31"


def test_danish_single_digit_day_and_month() -> None:
    assert parse_date("1.6.2017") == PartialDate(2017, 6, 1)


@pytest.mark.parametrize("text", ["", "??", "  "])
def test_blank_and_question_marks_are_an_unknown_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-02-30", "not a date: day out of range"),
        ("30.02.2017", "not a date: day out of range"),
        ("2015-02-29", "not a date: day out of range"),
        ("2017-13", "not a date: month out of range"),
        ("31.13.2016", "not a date: month out of range"),
        ("soon", "not a date (use YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY or ??)"),
        ("17", "not a date (use YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY or ??)"),
    ],
)
def test_impossible_dates_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == message


def test_leap_day_is_a_date() -> None:
    assert parse_date("2016-02-29") == PartialDate(2016, 2, 29)


def test_partial_dates_of_one_precision_order_chronologically() -> None:
    assert PartialDate(2016) < PartialDate(2017)
    assert PartialDate(2016, 12, 31) < PartialDate(2017, 1, 1) < PartialDate(2017, 1, 2)


def test_partial_dates_of_mixed_precision_can_be_sorted() -> None:
    mixed = [PartialDate(2017, 6), PartialDate(2017), PartialDate(2016, 12, 31)]
    assert sorted(mixed)[0] == PartialDate(2016, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120000", 120000.0),
        ("120.000", 120000.0),
        ("1.000.000", 1000000.0),
        ("120.000,50", 120000.5),
        ("1,5", 1.5),
        ("kr. 1.000", 1000.0),
        ("85.000 kr.", 85000.0),
        ("DKK 3.000", 3000.0),
        ("12 500", 12500.0),
        ("1.234,-", 1234.0),
        ("0", 0.0),
    ],
)
def test_costs_in_danish_formats(text: str, expected: float) -> None:
    assert parse_cost(text) == expected


@pytest.mark.parametrize("text", ["", "??"])
def test_blank_and_question_marks_are_an_unknown_cost(text: str) -> None:
    assert parse_cost(text) is None


def test_text_is_not_a_cost() -> None:
    with pytest.raises(ValueError) as error:
        parse_cost("lots")
    assert str(error.value) == "not an amount in DKK"


def test_negative_cost_is_rejected() -> None:
    with pytest.raises(ValueError) as error:
        parse_cost("-5")
    assert str(error.value) == "not an amount in DKK: must be zero or more"


def test_amounts_print_whole_kroner_without_decimals() -> None:
    assert format_amount(85000.0) == "85000"
    assert format_amount(12.5) == "12.50"
    assert format_amount(None) == ""
    assert json_amount(85000.0) == 85000
    assert isinstance(json_amount(85000.0), int)
    assert json_amount(12.5) == 12.5
    assert json_amount(None) is None


@pytest.mark.parametrize(("text", "expected"), [("0.125", 0.125), ("0,125", 0.125)])
def test_a_leading_zero_is_never_a_thousands_group(text: str, expected: float) -> None:
    assert parse_cost(text) == expected


# --- years, formulas, controls (issue 15) --------------------------------------------------


@pytest.mark.parametrize("text", ["0000", "9999", "0001-01-01", "31.12.9999", "1899"])
def test_a_year_outside_the_planning_range_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a date: year out of range \(1900-2999\)$"):
        parse_date(text)


def test_the_edges_of_the_year_range_are_dates() -> None:
    assert parse_date("1900") == PartialDate(1900)
    assert parse_date("2999-12-31") == PartialDate(2999, 12, 31)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("KMD Sag", "KMD Sag"),
        ("-5", "-5"),
        ("+4.5", "+4.5"),
        ("", ""),
    ],
)
def test_a_cell_excel_would_run_as_a_formula_is_written_as_text(text: str, written: str) -> None:
    assert neutralise_formula(text) == written
    assert restore_formula(written) == text


def test_a_leading_apostrophe_before_ordinary_text_is_kept_on_reading() -> None:
    assert restore_formula("'t is") == "'t is"
    assert restore_formula("'") == "'"


def test_bidi_controls_are_shown_as_their_code_points() -> None:
    assert show_controls("abc\u202edef\u2066") == "abc<U+202E>def<U+2066>"
    assert show_controls("KMD Sag") == "KMD Sag"


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_control_characters_are_found(char: str) -> None:
    assert forbidden_character(f"a{char}b") == char


def test_tabs_and_line_breaks_are_not_forbidden_characters() -> None:
    assert forbidden_character("a\tb\nc\r\nd") is None
