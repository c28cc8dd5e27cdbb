"""The management report: one offline HTML page (inline SVG charts, no scripts, no network).

A manager reads its first screen in a minute: the key figures, the categories, what needs a
decision, what is overdue and the money per payer per year (where KOMBIT takes over costs from
the municipalities). Then a timeline of go-lives and contract expiries (with a "today" line),
one section per monopoly system (its replacer and go-live, interfaces by category, deadlines,
broken needs, cost shift), the expiries per quarter (with a municipality column), and capped
tables that link the full CSV files `analyse` writes beside the report. It prints on A4, one
section per page.

`gather(...)` collects the assessment's finished results (plain data); `render(report)` writes
the page. Every text goes through `_()`; amounts through `format_dkk` / `format_dkk_short`.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from snitgraf.analysis.budget import PAYERS
from snitgraf.analysis.categorise import CATEGORIES, InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
from snitgraf.graph import edges, nodes
from snitgraf.i18n import N_, _, format_date, format_dkk, format_dkk_short, format_number, language
from snitgraf.render.palette import (
    CATEGORY_COLOURS,
    INK,
    PAYER_COLOURS,
    VERDICT_COLOURS,
    WARNING,
    legend_entries,
)
from snitgraf.scenario import Scenario
from snitgraf.schema import Label, PortfolioGraph, Rel
from snitgraf.values import PartialDate, parse_date, show_controls

if TYPE_CHECKING:
    from snitgraf.analysis.budget import Budget
    from snitgraf.analysis.plan import Action
    from snitgraf.assessment import Assessment, Summary, SystemChange

Verdict = Literal["before", "after", "overlaps", "unknown"]
VERDICTS: tuple[Verdict, ...] = ("before", "overlaps", "after", "unknown")
VERDICT_TEXT: dict[str, str] = {
    "before": N_("expires before the replacement goes live: extend it until go-live"),
    "overlaps": N_("expiry and go-live overlap at their precision: check the dates"),
    "after": N_("runs until after the replacement goes live"),
    "unknown": N_("the replacement's go-live is not known"),
}
"""msgids: how an expiry meets a go-live (translate where shown)."""
VERDICT_SHORT: dict[str, str] = {
    "before": N_("before go-live"),
    "overlaps": N_("overlaps go-live"),
    "after": N_("after go-live"),
    "unknown": N_("go-live or expiry unknown"),
}
PAYER_TEXT: dict[str, str] = {
    "kommune": N_("the municipalities pay"),
    "KOMBIT": N_("KOMBIT pays"),
    "undecided": N_("payer undecided"),
}
STATUS_TEXT: dict[str, str] = {
    "kept": N_("kept"),
    "repointed": N_("repointed"),
    "retired": N_("retired"),
    "new": N_("new"),
}

MAX_TABLE_ROWS = 15
"""Longer lists show their first rows, say how many are left out and link the full CSV."""
FIRST_SCREEN_ROWS = 5
"""How many items the first screen lists of what needs a decision and what is overdue."""
EXPIRY_DOTS = 24
"""Above this many expiries on one timeline row, they are drawn per quarter (with counts)."""
EXPIRY_DETAIL = 40
"""Up to this many expiries the report lists them one by one; above, per quarter."""
MAX_QUARTERS = 24
"""The expiry table shows this many quarters (the earliest) and links plan.csv for the rest."""
CSV_FILES = ("categories.csv", "overview.csv", "plan.csv", "gap.csv", "summary.json")
"""What `analyse` writes beside the report (linked when present)."""


@dataclass(frozen=True)
class Expiry:
    """A contract on an interface of a monopoly system, its expiry and how it meets go-live."""

    contract: str
    interface: str
    name: str
    expires: str | None
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class TimelineRow:
    """One monopoly system: the systems replacing it (with go-live) and its contracts."""

    system: str
    system_name: str
    replaced_by: tuple[tuple[str, str, str | None], ...]
    """(id, name, go_live) of each replacing system."""
    expiries: tuple[Expiry, ...]

    @property
    def go_live(self) -> str | None:
        """The latest go-live of the replacing systems (the date the old one can stop)."""
        dates = [parse_date(g) for _, _, g in self.replaced_by if g]
        known = [d for d in dates if d is not None]
        return str(max(known, key=lambda d: d.last_day())) if known else None


@dataclass(frozen=True)
class Report:
    """Everything the management report shows."""

    title: str
    source: str
    today: date
    categories: tuple[InterfaceCategory, ...]
    overview: tuple[OverviewRow, ...]
    timeline: tuple[TimelineRow, ...]
    plan: tuple[Action, ...] | None = None
    budget: Budget | None = None
    diagrams: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    summary: Summary | None = None
    """The run's key figures (the cards show these)."""
    changes: tuple[SystemChange, ...] = ()
    """One per monopoly system of AS-IS (a section each)."""
    overdue: tuple[Any, ...] = ()
    contract_municipalities: Mapping[str, str | None] = field(default_factory=dict)
    municipality_names: Mapping[str, str] = field(default_factory=dict)
    municipality: str | None = None
    files: tuple[str, ...] = ()
    """The CSV files beside the report (linked from the capped lists)."""
    scenario: Scenario = field(default_factory=Scenario)
    """The what-if go-live dates the report assumes (said on its first screen)."""

    @property
    def counts(self) -> dict[str, int]:
        """Interfaces per category code, every category listed (the run's key figures when
        the report has them, so the cards, chart and table show summary.json's numbers)."""
        if self.summary is not None:
            return dict(self.summary.categories)
        counts = dict.fromkeys(CATEGORIES, 0)
        for result in self.categories:
            counts[result.category.code] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The report's facts as JSON (what the page shows)."""
        return {
            "title": self.title,
            "source": self.source,
            "today": self.today.isoformat(),
            "counts": self.counts,
            "timeline": [
                {
                    "system": row.system,
                    "replaced_by": [list(r) for r in row.replaced_by],
                    "go_live": row.go_live,
                    "expiries": [e.__dict__ for e in row.expiries],
                }
                for row in self.timeline
            ],
            "plan": None if self.plan is None else [a.to_json() for a in self.plan],
            "budget": None if self.budget is None else self.budget.to_json(),
            "diagrams": list(self.diagrams),
            "notes": list(self.notes),
            "go_live_overrides": self.scenario.to_json(),
        }


def compare(expires: PartialDate, go_live: PartialDate) -> Verdict:
    """How a contract expiry meets a go-live, each known only to its precision."""
    if expires.last_day() < go_live.first_day():
        return "before"
    if expires.first_day() >= go_live.last_day():
        return "after"
    return "overlaps"


def _reason(contract: str, expires: PartialDate | None, go_live: PartialDate | None) -> str:
    if expires is None:
        return _("contract {contract}: expiry unknown (??)").format(contract=contract)
    if go_live is None:
        return _("contract {contract} expires {expires}; {verdict}").format(
            contract=contract, expires=expires, verdict=_(VERDICT_TEXT["unknown"])
        )
    return _("contract {contract} expires {expires}, go-live {go_live}: {verdict}").format(
        contract=contract,
        expires=expires,
        go_live=go_live,
        verdict=_(VERDICT_TEXT[compare(expires, go_live)]),
    )


def timeline(full: PortfolioGraph, overview: Sequence[OverviewRow]) -> list[TimelineRow]:
    """Per monopoly system that something replaces (earliest go-live first): the go-lives of
    its replacements and the contract expiries of the interfaces it provides or uses (from the
    overview rows), each with its verdict."""
    systems = {attrs["id"]: attrs for _k, attrs in nodes(full, Label.SYSTEM)}
    replacers: dict[str, list[str]] = defaultdict(list)
    for replacer, replaced, _rel in edges(full, Rel.REPLACES):
        replacers[replaced[1]].append(replacer[1])
    rows = []
    for old in sorted(replacers):
        replaced_by = tuple(
            (new, systems[new]["name"], systems[new].get("go_live"))
            for new in sorted(replacers[old])
        )
        go_live_text = TimelineRow(old, "", replaced_by, ()).go_live
        go_live = parse_date(go_live_text) if go_live_text else None
        seen: set[str] = set()
        expiries = []
        for row in overview:
            if row.system != old or row.contract is None or row.contract in seen:
                continue
            seen.add(row.contract)
            expires = parse_date(row.expires) if row.expires else None
            verdict: Verdict = (
                "unknown" if expires is None or go_live is None else compare(expires, go_live)
            )
            expiries.append(
                Expiry(
                    row.contract,
                    row.interface,
                    row.name,
                    row.expires,
                    verdict,
                    _reason(row.contract, expires, go_live),
                )
            )
        rows.append(TimelineRow(old, systems[old]["name"], replaced_by, tuple(expiries)))

    def by_go_live(row: TimelineRow) -> tuple[bool, date, str]:
        when = parse_date(row.go_live) if row.go_live else None
        return (when is None, when.first_day() if when else date.max, row.system)

    return sorted(rows, key=by_go_live)


TITLE = N_("Interfaces – management report")


def gather(
    assessment: Assessment,
    diagrams: Sequence[str] = (),
    title: str | None = None,
    files: Sequence[str] = (),
) -> Report:
    """The report's facts: the assessment's finished results (categories, overview, plan,
    budget, key figures, the monopoly systems' changes), so the report shows the numbers
    every other output shows."""
    overview = tuple(assessment.overview(None, "all"))
    return Report(
        title=title or _(TITLE),
        source=str(assessment.graph.graph.get("source", "")),
        today=assessment.today,
        categories=tuple(assessment.categorised("all")),
        overview=overview,
        timeline=tuple(timeline(assessment.graph, overview)),
        plan=assessment.plan,
        budget=assessment.budget,
        diagrams=tuple(diagrams),
        summary=assessment.summary,
        changes=assessment.changes,
        overdue=assessment.overdue,
        contract_municipalities=assessment.contract_municipalities,
        municipality_names=assessment.municipality_names,
        municipality=assessment.municipality,
        files=tuple(files),
        scenario=assessment.scenario,
    )


# ---------------------------------------------------------------------------------------------
# HTML


def _e(value: Any) -> str:
    return html.escape(show_controls("" if value is None else str(value)), quote=True)


def _n(value: int) -> str:
    """A count in the active language's form (1.234 in Danish)."""
    return format_number(value, 0)


CSS = """
:root { --ink: #1c2833; --muted: #566573; --rule: #d5d8dc; --head: #1f4e79; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Calibri, "DejaVu Sans", Arial, sans-serif; margin: 0 auto;
       max-width: 1320px; color: var(--ink); line-height: 1.35; padding: 0.8rem 1.4rem;
       font-size: 14px; }
h1 { color: var(--head); margin: 0; font-size: 1.55rem; }
h2 { color: var(--head); border-bottom: 2px solid #d6eaf8; padding-bottom: 0.15rem;
     margin: 1.8rem 0 0.6rem; font-size: 1.2rem; }
h3 { margin: 0 0 0.35rem; font-size: 0.95rem; color: var(--head); }
.meta { color: var(--muted); margin: 0.1rem 0 0.6rem; }
.scenario { background: #fdebd0; border-left: 4px solid #ca6f1e; padding: 0.3rem 0.6rem;
  margin: 0 0 0.6rem; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(148px, 1fr));
         gap: 0.5rem; margin-bottom: 0.7rem; }
.card { background: #f4f6f7; border-radius: 6px; padding: 0.45rem 0.8rem;
        border-left: 4px solid #aab7b8; }
.card b { display: block; font-size: 1.2rem; color: var(--head); white-space: nowrap; }
.card.alert { border-left-color: WARNING; } .card.alert b { color: WARNING; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0.6rem 1.4rem; }
.panel { border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 0.8rem; }
.panel ol, .panel ul { margin: 0.2rem 0 0; padding-left: 1.2rem; }
.panel li { margin: 0.1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0.4rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.22rem 0.45rem; text-align: left;
         vertical-align: top; }
th { background: #eaf2f8; }
td.num, th.num { text-align: right; white-space: nowrap; } td.mark { text-align: center; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px;
          margin-right: 0.35rem; vertical-align: -0.05rem; border: 1px solid rgba(0,0,0,0.25); }
.chips { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; margin: 0.2rem 0 0.4rem; }
.note { color: #616a6b; font-style: italic; } .reason { color: var(--muted); font-size: 0.8rem; }
.late { color: WARNING; font-weight: bold; }
.legend { font-size: 0.8rem; color: var(--muted); display: flex; flex-wrap: wrap;
          gap: 0.2rem 1rem; margin: 0.2rem 0; }
svg { max-width: 100%; height: auto; } svg text { font-family: inherit; }
section.system .grid { grid-template-columns: 1fr 1fr; }
nav.toc { font-size: 0.85rem; color: var(--muted); margin: 0.4rem 0 0; }
nav.toc a { margin-right: 0.8rem; color: var(--head); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.page { break-before: page; } h2, h3 { break-after: avoid; }
  tr, .panel, .card, svg { break-inside: avoid; } nav.toc { display: none; }
  .grid { grid-template-columns: 1fr 1fr; } a { color: inherit; text-decoration: none; }
}
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
""".replace("WARNING", WARNING)


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{colour}"></span>'


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    classes: Sequence[str] = (),
    row_attrs: Sequence[str] = (),
) -> str:
    """A table; `rows` hold HTML (escape the cells), `headers` text."""
    head = "".join(
        f'<th class="{classes[i]}">{_e(h)}</th>'
        if i < len(classes) and classes[i]
        else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for number, row in enumerate(rows):
        cells = []
        for index, cell in enumerate(row):
            cls = f' class="{classes[index]}"' if index < len(classes) and classes[index] else ""
            cells.append(f"<td{cls}>{cell}</td>")
        attrs = f" {row_attrs[number]}" if number < len(row_attrs) else ""
        body.append(f"<tr{attrs}>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _file_link(report: Report, name: str) -> str:
    """A link to a CSV beside the report, or its name with how to get it."""
    if name in report.files:
        return f'<a href="{_e(name)}">{_e(name)}</a>'
    return _("{file} (written by snitgraf analyse)").format(file=_e(name))


def _more(report: Report, total: int, shown: int, name: str) -> str:
    """'… and 120 more: all 135 in plan.csv' under a capped list (nothing when complete)."""
    left = total - shown
    if left <= 0:
        return ""
    text = _("… and {left} more: all {total} in {file}.").format(
        left=_n(left), total=_n(total), file=_file_link(report, name)
    )
    return f'<p class="note more">{text}</p>'


def _category_label(code: str) -> str:
    return _(CATEGORIES[code].label)


def _category_chart(counts: Mapping[str, int]) -> str:
    """Horizontal bars per category in the palette's colours, each with its count."""
    width, bar_h, label_w, gap = 640, 24, 330, 8
    biggest = max(counts.values(), default=0) or 1
    rows = []
    for index, (code, count) in enumerate(counts.items()):
        y = 6 + index * (bar_h + gap)
        length = round((width - label_w - 70) * count / biggest)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12">'
            f"{_e(_category_label(code))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(length, 1)}" height="{bar_h}" '
            f'fill="{CATEGORY_COLOURS[code]}"><title>{_e(code)}: {count}</title></rect>'
            f'<text x="{label_w + length + 6}" y="{y + 17}" font-size="13" '
            f'font-weight="bold">{_e(_n(count))}</text>'
        )
    height = 12 + len(counts) * (bar_h + gap)
    return (
        f'<svg class="categories" role="img" aria-label="{_e(_("Interfaces per category"))}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"{''.join(rows)}</svg>"
    )


def _legend_list() -> str:
    """The one category legend (the palette's five lines), as the diagrams show it."""
    items = "".join(
        f'<span data-category="{_e(e.code)}">{_swatch(e.colour)}{_e(e.text)}</span>'
        for e in legend_entries()
    )
    return f'<div class="legend">{items}</div>'


MONEY_NOTE = N_("Pale bars: AS-IS; full colour: TO-BE; each payer on its own scale.")


def _money_chart(budget: Any) -> str:
    """Per payer a row of years, AS-IS (pale) beside TO-BE (full colour), each payer on its own
    scale, so KOMBIT's share appearing in TO-BE is visible next to the municipalities' total."""
    years = list(range(budget.from_year, budget.to_year + 1))
    payers = [
        p
        for p in PAYERS
        if any(budget.row(y, s, p).items for y in years for s in ("as-is", "to-be"))
    ]
    if not payers:
        return f'<p class="note">{_e(_("No contracts with a known cost."))}</p>'
    width, left, row_h, top = 640, 170, 70, 4
    slot = (width - left - 6) / max(len(years), 1)
    parts = []
    for index, payer in enumerate(payers):
        y0 = top + index * row_h
        base = y0 + row_h - 18
        values = [
            (budget.row(y, "as-is", payer).known_dkk, budget.row(y, "to-be", payer).known_dkk)
            for y in years
        ]
        biggest = max((max(a, b) for a, b in values), default=0) or 1
        colour = PAYER_COLOURS[payer]
        parts.append(
            f'<text x="{left - 8}" y="{y0 + 24}" text-anchor="end" font-size="12" '
            f'font-weight="bold" fill="{colour}">{_e(_(PAYER_TEXT[payer]))}</text>'
            f'<text x="{left - 8}" y="{y0 + 40}" text-anchor="end" font-size="11" '
            f'fill="#566573">{_e(_("max {amount}").format(amount=format_dkk_short(biggest)))}'
            "</text>"
            f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#aab7b8"/>'
        )
        for number, (year, (as_is, to_be)) in enumerate(zip(years, values, strict=True)):
            x0 = left + number * slot + slot * 0.12
            bar_w = slot * 0.36
            for offset, (value, state, opacity) in enumerate(
                ((as_is, "AS-IS", 0.35), (to_be, "TO-BE", 1.0))
            ):
                h = (row_h - 26) * value / biggest
                parts.append(
                    f'<rect class="money" data-payer="{_e(payer)}" data-state="{state}" '
                    f'x="{x0 + offset * bar_w:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" '
                    f'height="{max(h, 0.5):.1f}" fill="{colour}" fill-opacity="{opacity}">'
                    f"<title>{year} {state}, {_e(_(PAYER_TEXT[payer]))}: "
                    f"{_e(format_dkk(value))}</title></rect>"
                )
            if index == len(payers) - 1:
                parts.append(
                    f'<text x="{x0 + bar_w:.1f}" y="{base + 13}" text-anchor="middle" '
                    f'font-size="11">{year}</text>'
                )
    height = top + row_h * len(payers)
    last = budget.to_year
    shift = "; ".join(
        _("{payer}: {as_is} → {to_be}").format(
            payer=_(PAYER_TEXT[p]),
            as_is=format_dkk_short(budget.row(last, "as-is", p).known_dkk),
            to_be=format_dkk_short(budget.row(last, "to-be", p).known_dkk),
        )
        for p in payers
    )
    return (
        f'<svg class="money" role="img" aria-label="{_e(_("Known annual cost per payer"))}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"{''.join(parts)}</svg>"
        f'<p class="reason shift"><b>{_e(_("AS-IS → TO-BE in {year}").format(year=last))}:</b> '
        # 'kr.' ends the sentence already: no second full stop after it
        f"{_e(shift)}{'' if shift.endswith('.') else '.'} {_e(_(MONEY_NOTE))}"
        "</p>"
    )


# --- the timeline ----------------------------------------------------------------------------


def _bucket(expires: str | None) -> tuple[int, int] | None:
    """(year, quarter) of an expiry; quarter 0 when only the year is known; None if unknown."""
    when = parse_date(expires) if expires else None
    if when is None:
        return None
    return (when.year, 0 if when.month is None else (when.month - 1) // 3 + 1)


def _bucket_text(bucket: tuple[int, int] | None) -> str:
    if bucket is None:
        return _("unknown")
    year, quarter = bucket
    if quarter == 0:
        return str(year)
    return _("Q{quarter} {year}").format(quarter=quarter, year=year)


def _bucket_span(bucket: tuple[int, int]) -> tuple[date, date]:
    year, quarter = bucket
    if quarter == 0:
        return date(year, 1, 1), date(year, 12, 31)
    end_month = quarter * 3
    end = date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)
    return date(year, end_month - 2, 1), date.fromordinal(end.toordinal() - 1)


def _worst(verdicts: Iterable[str]) -> str:
    """The verdict that needs the most attention (before > overlaps > unknown > after)."""
    ranked = [v for v in ("before", "overlaps", "unknown", "after") if v in set(verdicts)]
    return ranked[0] if ranked else "after"


def _timeline_chart(rows: Sequence[TimelineRow], today: date) -> str:
    """Go-lives (labelled diamonds) and contract expiries per monopoly system against a 'today'
    line; above `EXPIRY_DOTS` expiries a row shows one circle per quarter with its count."""
    dates: list[PartialDate] = [PartialDate.from_date(today)]
    for row in rows:
        dates += [d for _i, _n, g in row.replaced_by if g and (d := parse_date(g))]
        dates += [d for e in row.expiries if e.expires and (d := parse_date(e.expires))]
    if not rows:
        return (
            f'<p class="note">{_e(_("No monopoly system is replaced: no go-lives to draw."))}</p>'
        )
    first = min(d.year for d in dates)
    last = max(d.year for d in dates) + 1
    left, right, row_h, top = 200, 20, 70, 34
    width = 1200
    span = (date(last, 12, 31) - date(first, 1, 1)).days or 1

    def x(day: date) -> float:
        return left + (width - left - right) * (day - date(first, 1, 1)).days / span

    bottom = top + row_h * len(rows)
    parts = []
    for year in range(first, last + 1):
        px = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{px:.1f}" y1="{top - 8}" x2="{px:.1f}" y2="{bottom}" stroke="#e5e8e8"/>'
            f'<text x="{px + 4:.1f}" y="{top - 12}" font-size="12" fill="#566573">{year}</text>'
        )
    tx = x(today)
    parts.append(
        f'<line class="today" x1="{tx:.1f}" y1="{top - 26}" x2="{tx:.1f}" y2="{bottom}" '
        f'stroke="{WARNING}" stroke-width="2"/>'
        f'<text x="{tx + 4:.1f}" y="{top - 24}" font-size="12" font-weight="bold" '
        f'fill="{WARNING}">{_e(_("today {date}").format(date=format_date(today)))}</text>'
    )
    for index, row in enumerate(rows):
        y = top + index * row_h + row_h / 2
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end" font-size="13" '
            f'font-weight="bold">{_e(row.system_name)}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#aab7b8" stroke-dasharray="2,3"/>'
        )
        for system, name, go_live in row.replaced_by:
            when = parse_date(go_live) if go_live else None
            if when is None:
                continue
            x0, x1 = x(when.first_day()), x(when.last_day())
            cx = (x0 + x1) / 2
            tip = _("{name} ({id}) goes live {date}").format(
                name=name, id=system, date=format_date(when)
            )
            label = _("{name} live {date}").format(
                name=name.split(" – ")[0], date=format_date(when)
            )
            parts.append(
                f'<rect x="{x0:.1f}" y="{y - 18:.1f}" width="{max(x1 - x0, 2):.1f}" '
                f'height="36" fill="{INK}" opacity="0.07"/>'
                f'<path class="go-live" d="M{cx:.1f},{y - 12:.1f} l10,12 l-10,12 l-10,-12 z" '
                f'fill="{INK}"><title>{_e(tip)}</title></path>'
                f'<text x="{cx:.1f}" y="{y - 17:.1f}" text-anchor="middle" font-size="11" '
                f'font-weight="bold" fill="{INK}">{_e(label)}</text>'
            )
        parts += _expiry_marks(row, y, x, left)
    height = bottom + 8
    legend = "".join(
        f"<span>{_swatch(VERDICT_COLOURS[v])}{_e(_(VERDICT_SHORT[v]))}</span>" for v in VERDICTS
    )
    return (
        f'<svg class="timeline" role="img" '
        f'aria-label="{_e(_("Contract expiries and go-lives"))}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
        f'<div class="legend"><span>{_swatch(INK)}'
        f"{_e(_('go-live of the replacing system (shaded: its precision)'))}</span>"
        f"<span>{_swatch(WARNING)}{_e(_('today'))}</span>{legend}"
        f"<span>{_e(_('a circle with a number: the expiries of a quarter'))}</span></div>"
    )


def _expiry_marks(row: TimelineRow, y: float, x: Any, left: float) -> list[str]:
    parts = []
    unknown = [e for e in row.expiries if _bucket(e.expires) is None]
    known = [e for e in row.expiries if _bucket(e.expires) is not None]
    if unknown:
        text = _("{n} with expiry ??").format(n=_n(len(unknown)))
        tip = _("{n} contracts with an unknown expiry").format(n=len(unknown))
        parts.append(
            f'<text x="{left - 10}" y="{y + 18:.1f}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{_e(text)}<title>{_e(tip)}</title></text>'
        )
    if len(known) <= EXPIRY_DOTS:
        for offset, expiry in enumerate(known):
            when = parse_date(expiry.expires or "")
            assert when is not None
            colour = VERDICT_COLOURS[expiry.verdict]
            x0, x1 = x(when.first_day()), x(when.last_day())
            cy = y + 8 + (offset % 3) * 6
            parts.append(
                f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" '
                f'stroke="{colour}" stroke-width="2" opacity="0.5"/>'
                f'<circle class="expiry" cx="{(x0 + x1) / 2:.1f}" cy="{cy:.1f}" r="5" '
                f'fill="{colour}" stroke="{INK}" stroke-width="0.5">'
                f"<title>{_e(expiry.interface)} {_e(expiry.name)}: {_e(expiry.reason)}</title>"
                "</circle>"
            )
        return parts
    buckets: dict[tuple[int, int], list[Expiry]] = defaultdict(list)
    for expiry in known:
        bucket = _bucket(expiry.expires)
        assert bucket is not None
        buckets[bucket].append(expiry)
    biggest = max(len(v) for v in buckets.values())
    for bucket, items in sorted(buckets.items()):
        start, end = _bucket_span(bucket)
        verdicts = Counter(e.verdict for e in items)
        colour = VERDICT_COLOURS[_worst(verdicts)]
        tip = _("{when}: {n} contracts expire ({verdicts})").format(
            when=_bucket_text(bucket),
            n=len(items),
            verdicts=", ".join(
                f"{verdicts[v]} {_(VERDICT_SHORT[v])}" for v in VERDICTS if verdicts[v]
            ),
        )
        if bucket[1] == 0:  # only the year is known: a bar over the year, below the quarters
            x0, x1 = x(start), x(end)
            parts.append(
                f'<rect class="expiry-year" x="{x0 + 1:.1f}" y="{y + 22:.1f}" '
                f'width="{x1 - x0 - 2:.1f}" height="9" rx="3" fill="{colour}" '
                f'fill-opacity="0.55"><title>{_e(tip)}</title></rect>'
                f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 30:.1f}" text-anchor="middle" '
                f'font-size="8.5" fill="{INK}">{_e(_n(len(items)))}</text>'
            )
            continue
        cx = (x(start) + x(end)) / 2
        radius = 3 + 8 * (len(items) / biggest) ** 0.5
        cy = y + 9
        parts.append(
            f'<circle class="expiry-quarter" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
            f'fill="{colour}" fill-opacity="0.75" stroke="{INK}" stroke-width="0.5">'
            f"<title>{_e(tip)}</title></circle>"
        )
        if radius >= 7:
            parts.append(
                f'<text x="{cx:.1f}" y="{cy + 3:.1f}" text-anchor="middle" font-size="8" '
                f'fill="{INK}">{_e(_n(len(items)))}</text>'
            )
    return parts


# --- sections --------------------------------------------------------------------------------


def _municipality_text(report: Report, contract: str | None) -> str:
    code = report.contract_municipalities.get(contract or "") if contract else None
    if code is None:
        return _("all (joint)")
    name = report.municipality_names.get(code, code)
    return f"{code} {name}" if name != code else code


def _contract_note(report: Report, contract: str | None) -> str:
    """' – contract K-1, 751 Aarhus': which contract an action is about and whose it is (a
    national plan has one action per municipality's contract of the same interface)."""
    if not contract:
        return ""
    return " – " + _e(
        _("contract {contract}, {municipality}").format(
            contract=contract, municipality=_municipality_text(report, contract)
        )
    )


def _cards(report: Report) -> str:
    summary = report.summary
    counts = report.counts
    contracts = (
        summary.contracts if summary else len({r.contract for r in report.overview if r.contract})
    )
    cost = summary.annual_cost_dkk if summary else 0.0
    cards: list[tuple[str, str, str, bool]] = [
        (
            "interfaces",
            _("interfaces"),
            _n(summary.interfaces if summary else len(report.categories)),
            False,
        ),
        ("monopoly-systems", _("monopoly systems"), _n(len(report.changes)), False),
        ("contracts", _("contracts"), _n(contracts), False),
        ("annual-cost", _("known annual cost"), format_dkk_short(cost) or "0", False),
        (
            "needs-decision",
            _("need a decision"),
            _n(counts["unclassified"]),
            counts["unclassified"] > 0,
        ),
    ]
    if summary:
        cards.append(
            ("broken-needs", _("broken needs"), _n(summary.broken_needs), summary.broken_needs > 0)
        )
    if report.plan is not None:
        cards.append(
            ("overdue", _("overdue actions"), _n(len(report.overdue)), bool(report.overdue))
        )
        cards.append(("plan-actions", _("plan actions"), _n(len(report.plan)), False))
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card{" alert" if alert else ""}" data-key="{key}"><b>{_e(value)}</b>'
            f"{_e(label)}</div>"
            for key, label, value, alert in cards
        )
        + "</div>"
    )


def _decision_evidence(item: InterfaceCategory) -> str:
    """Why an interface needs a decision, in one line: who would appreciate it, who supplies."""
    return _("appreciated by {users}; {n} supplier(s): {suppliers}").format(
        users=", ".join(item.nice_users or item.must_users) or _("no monopoly system"),
        n=item.supplier_count,
        suppliers=", ".join(item.suppliers) or _("none"),
    )


def _decisions_panel(report: Report) -> str:
    undecided = [c for c in report.categories if c.category.code == "unclassified"]
    assumed = list(report.summary.assumed) if report.summary else []
    title = _("Needs a decision ({n})").format(n=_n(len(undecided)))
    if not undecided:
        body = f'<p class="note">{_e(_("Every interface has a category."))}</p>'
    else:
        items = "".join(
            f"<li><b>{_e(c.interface)}</b> {_e(c.name)}<br>"
            f'<span class="reason">{_e(_decision_evidence(c))}</span></li>'
            for c in undecided[:FIRST_SCREEN_ROWS]
        )
        body = f"<ol>{items}</ol>" + _more(
            report, len(undecided), min(len(undecided), FIRST_SCREEN_ROWS), "categories.csv"
        )
    if assumed:
        body += (
            '<p class="reason">'
            + _e(
                _(
                    "{n} categories rest on an importer's assumption: "
                    "confirm them (categories.csv)."
                ).format(n=_n(len(assumed)))
            )
            + "</p>"
        )
    return f'<div class="panel" id="decisions"><h3>{_e(title)}</h3>{body}</div>'


def _overdue_panel(report: Report) -> str:
    if report.plan is None:
        return ""
    overdue = list(report.overdue)
    title = _("Overdue ({n} of {total} actions)").format(
        n=_n(len(overdue)), total=_n(len(report.plan))
    )
    if not overdue:
        body = f'<p class="note">{_e(_("Nothing is overdue."))}</p>'
    else:
        items = "".join(
            f'<li><span class="late">{_e(format_date(parse_date(a.due) or a.due))}</span> '
            f"{_e(a.title)}: <b>{_e(a.interface)}</b> {_e(a.interface_name)}"
            + _contract_note(report, a.contract)
            + f' <span class="reason">({_e(a.group_name or "—")}, {_e(a.actor)})</span></li>'
            for a in overdue[:FIRST_SCREEN_ROWS]
        )
        kinds = Counter(a.title for a in overdue)
        by_kind = ", ".join(f"{title} {_n(n)}" for title, n in kinds.most_common())
        body = (
            f'<p class="reason">{_e(_("By action: {kinds}.").format(kinds=by_kind))}</p>'
            f"<ol>{items}</ol>"
            + _more(report, len(overdue), min(len(overdue), FIRST_SCREEN_ROWS), "plan.csv")
        )
    return f'<div class="panel" id="overdue"><h3>{_e(title)}</h3>{body}</div>'


def _scenario_note(report: Report) -> str:
    """The what-if go-live dates in force, above the key figures ('' when none)."""
    if not report.scenario:
        return ""
    return f'<p class="scenario" id="scenario">{_e(report.scenario.text())}</p>'


def _first_screen(report: Report) -> str:
    money = (
        _money_chart(report.budget)
        if report.budget is not None
        else f'<p class="note">{_e(_("The budget is not available."))}</p>'
    )
    return (
        _cards(report)
        + '<div class="grid">'
        + f'<div class="panel"><h3 id="kategorier-kort">{_e(_("Interfaces per category"))}</h3>'
        + _category_chart(report.counts)
        + "</div>"
        + f'<div class="panel" id="money"><h3>{_e(_("Known annual cost per payer and year"))}</h3>'
        + money
        + "</div>"
        + _decisions_panel(report)
        + _overdue_panel(report)
        + "</div>"
    )


def _category_table(report: Report) -> str:
    counts = report.counts
    rows = [
        [
            _swatch(CATEGORY_COLOURS[code]) + _e(_category_label(code)),
            _e(_n(count)),
            _e(_(CATEGORIES[code].negotiates)),
            _e(_(CATEGORIES[code].signs)),
            _e(_(CATEGORIES[code].pays)),
        ]
        for code, count in counts.items()
    ]
    table = _table(
        [_("Category"), _("Number"), _("Negotiates"), _("Signs"), _("Pays")],
        rows,
        ["", "num"],
        [f'data-category="{_e(code)}"' for code in counts],
    )
    return table + _legend_list()


def _system_section(report: Report, change: SystemChange) -> str:
    names = {r[0]: r[1] for row in report.timeline for r in row.replaced_by}
    replacers = ", ".join(names.get(r, r) for r in change.replaced_by)
    if change.replaced_by:
        heading = _("{old} → {new}, go-live {date}").format(
            old=change.name,
            new=replacers,
            date=format_date(parse_date(change.go_live)) if change.go_live else "??",
        )
    else:
        heading = _("{old}: no replacement stated").format(old=change.name)
    chips = "".join(
        f'<span data-category="{_e(code)}">{_swatch(CATEGORY_COLOURS[code])}'
        f"{_e(_category_label(code))}: <b>{_e(_n(n))}</b></span>"
        for code, n in change.categories.items()
        if n
    )
    gap = ", ".join(f"{_n(n)} {_(STATUS_TEXT[s])}" for s, n in change.gap.items() if n) or _("none")
    overdue = [a for a in change.actions if a.overdue]
    upcoming = list(change.actions[: MAX_TABLE_ROWS // 3 or 1])
    deadline_rows = [
        [
            (
                f'<span class="late">{_e(format_date(parse_date(a.due or "") or a.due))}</span>'
                if a.overdue
                else _e(
                    format_date(parse_date(a.due))
                    if a.due and parse_date(a.due)
                    else (a.due or "??")
                )
            ),
            _e(a.title),
            f"{_e(a.interface)} {_e(a.interface_name)}",
            _e(a.actor),
        ]
        for a in upcoming
    ]
    deadlines = (
        _table([_("Due"), _("Action"), _("Interface"), _("Who")], deadline_rows)
        + _more(report, len(change.actions), len(upcoming), "plan.csv")
        if deadline_rows
        else f'<p class="note">{_e(_("No actions."))}</p>'
    )
    needs = change.broken_needs
    if needs:
        shown = needs[:FIRST_SCREEN_ROWS]
        broken = (
            "<ul>"
            + "".join(
                f"<li><b>{_e(n.system_name)}</b> {_e(_('needs {data}').format(data=n.data))} "
                f'<span class="reason">({_e(n.interface)})</span></li>'
                for n in shown
            )
            + "</ul>"
            + _more(report, len(needs), len(shown), "gap.csv")
        )
    else:
        broken = f'<p class="note">{_e(_("No broken needs."))}</p>'
    budget = change.budget
    last = budget.to_year
    shift_rows = [
        [
            _swatch(PAYER_COLOURS[p]) + _e(_(PAYER_TEXT[p])),
            _e(format_dkk(budget.row(last, "as-is", p).known_dkk)),
            _e(format_dkk(budget.row(last, "to-be", p).known_dkk)),
        ]
        for p in PAYERS
        if budget.row(last, "as-is", p).items or budget.row(last, "to-be", p).items
    ]
    cost = (
        _table([_("Payer"), f"AS-IS {last}", f"TO-BE {last}"], shift_rows, ["", "num", "num"])
        if shift_rows
        else f'<p class="note">{_e(_("No known cost."))}</p>'
    )
    late = (
        f' <span class="late">{_e(_("{n} overdue").format(n=_n(len(overdue))))}</span>'
        if overdue
        else ""
    )
    touched = _("Interfaces it or its replacement provides or uses; AS-IS → TO-BE: {gap}.")
    touched = touched.format(gap=gap)
    deadline_title = _("Deadlines ({n} actions)").format(n=_n(len(change.actions)))
    needs_title = _("Broken needs ({n})").format(n=_n(len(needs)))
    return (
        f'<section class="system page" id="system-{_e(change.system)}" '
        f'data-system="{_e(change.system)}">'
        f"<h2>{_e(heading)}</h2>"
        f'<div class="chips">{chips}</div>'
        f'<p class="reason">{_e(touched)}</p>'
        '<div class="grid">'
        f'<div class="panel"><h3>{_e(deadline_title)}{late}</h3>{deadlines}</div>'
        f'<div class="panel"><h3>{_e(needs_title)}</h3>{broken}</div>'
        f'<div class="panel"><h3>{_e(_("Cost shift"))}</h3>{cost}</div>'
        "</div></section>"
    )


def _expiry_section(report: Report) -> str:
    expiries = [(row, e) for row in report.timeline for e in row.expiries]
    if not expiries:
        return f'<p class="note">{_e(_("No contract expiries on the monopoly systems."))}</p>'
    if len(expiries) <= EXPIRY_DETAIL:
        rows = [
            [
                _e(row.system_name),
                f"{_e(e.interface)} {_e(e.name)}",
                _e(e.contract),
                _e(_municipality_text(report, e.contract)),
                _e(
                    format_date(parse_date(e.expires))
                    if e.expires and parse_date(e.expires)
                    else "??"
                ),
                _e(format_date(parse_date(row.go_live)) if row.go_live else "??"),
                _swatch(VERDICT_COLOURS[e.verdict]) + f'<span class="reason">{_e(e.reason)}</span>',
            ]
            for row, e in expiries
        ]
        return _table(
            [
                _("Monopoly system"),
                _("Interface"),
                _("Contract"),
                _("Municipality"),
                _("Expires"),
                _("Go-live"),
                _("Verdict"),
            ],
            rows,
        )
    groups: dict[tuple[int, int] | None, list[tuple[TimelineRow, Expiry]]] = defaultdict(list)
    for row, e in expiries:
        groups[_bucket(e.expires)].append((row, e))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or (0, 0)))
    shown_groups = ordered[:MAX_QUARTERS]
    rows = []
    for bucket, items in shown_groups:
        verdicts = Counter(e.verdict for _row, e in items)
        per_system = Counter(row.system_name for row, _e in items)
        municipalities = sorted({_municipality_text(report, e.contract) for _row, e in items})
        which = ", ".join(municipalities[:5]) + (
            " " + _("+{n} more").format(n=_n(len(municipalities) - 5))
            if len(municipalities) > 5
            else ""
        )
        rows.append(
            [
                _e(_bucket_text(bucket)),
                _e(_n(len(items))),
                " ".join(
                    f"{_swatch(VERDICT_COLOURS[v])}{_e(_n(verdicts[v]))}"
                    for v in VERDICTS
                    if verdicts[v]
                ),
                _e(", ".join(f"{name} {_n(n)}" for name, n in sorted(per_system.items()))),
                _e(_n(len(municipalities))),
                f'<span class="reason">{_e(which)}</span>',
            ]
        )
    headers = [
        _("Quarter"),
        _("Contracts"),
        _("Verdict"),
        _("Monopoly systems"),
        _("Municipalities"),
        _("Which municipalities"),
    ]
    table = _table(headers, rows, ["", "num", "", "", "num", ""])
    legend = "".join(
        f"<span>{_swatch(VERDICT_COLOURS[v])}{_e(_(VERDICT_SHORT[v]))}</span>" for v in VERDICTS
    )
    intro = _(
        "{n} contract expiries on interfaces of the monopoly systems, per quarter "
        "(a year alone when the contract gives only the year)."
    ).format(n=_n(len(expiries)))
    more = ""
    if len(ordered) > len(shown_groups):
        more = '<p class="note more">' + _(
            "… and {left} more quarters: every contract in {file}."
        ).format(left=_n(len(ordered) - len(shown_groups)), file=_file_link(report, "plan.csv"))
        more += "</p>"
    return (
        f'<p class="reason">{_e(intro)}</p>' + table + f'<div class="legend">{legend}</div>' + more
    )


def _mark(flag: bool) -> str:
    return "X" if flag else ""


def _budget_table(budget: Any) -> str:
    years = list(range(budget.from_year, budget.to_year + 1))
    rows = []
    for year in years:
        cells = [str(year)]
        for state in ("as-is", "to-be"):
            for payer in ("kommune", "KOMBIT", "total"):
                row = budget.row(year, state, payer)
                text = format_dkk(row.known_dkk) if row.items else ""
                if row.items and (row.unknown_cost or row.uncontracted):
                    text += " +?"
                cells.append(_e(text))
        rows.append(cells)
    headers = [
        _("Year"),
        _("AS-IS kommune"),
        _("AS-IS KOMBIT"),
        _("AS-IS total"),
        _("TO-BE kommune"),
        _("TO-BE KOMBIT"),
        _("TO-BE total"),
    ]
    table = _table(headers, rows, ["", *["num"] * 6])
    note = _("'+?': there are contracts or interfaces without a known cost.")
    reasons = "".join(f"<li>{_e(r)}</li>" for r in budget.reasons[:MAX_TABLE_ROWS])
    return (
        table
        + f'<p class="reason">{_e(note)}</p>'
        + (f'<ul class="reason">{reasons}</ul>' if reasons else "")
    )


def _plan_table(report: Report) -> str:
    plan = report.plan or ()
    if not plan:
        return f'<p class="note">{_e(_("No actions."))}</p>'
    rows = []
    for action in plan[:MAX_TABLE_ROWS]:
        due = _e(
            format_date(parse_date(action.due))
            if action.due and parse_date(action.due)
            else (action.due or "??")
        )
        if action.overdue:
            due = f'<span class="late">{due}</span>'
        rows.append(
            [
                _e(action.group_name),
                _e(action.title),
                f"{_e(action.interface)} {_e(action.interface_name)}",
                _e(action.actor),
                due,
                f'<span class="reason">{_e(action.reasons[0] if action.reasons else "")}</span>',
            ]
        )
    headers = [_("Monopoly system"), _("Action"), _("Interface"), _("Who"), _("Due"), _("Why")]
    return _table(headers, rows) + _more(report, len(plan), len(rows), "plan.csv")


def _overview_table(report: Report) -> str:
    rows = [
        [
            _e(r.system_name),
            f"{_e(r.interface)} {_e(r.name)}",
            _e(format_date(parse_date(r.expires)) if r.expires and parse_date(r.expires) else "??"),
            _mark(r.ski),
            _mark(r.kommune),
            _mark(r.kombit),
        ]
        for r in report.overview[:MAX_TABLE_ROWS]
    ]
    headers = [_("System"), _("Interface"), _("Contract expiry"), "SKI", "KOMMUNE", "KOMBIT"]
    table = _table(headers, rows, ["", "", "", "mark", "mark", "mark"])
    return table + _more(report, len(report.overview), len(rows), "overview.csv")


def _section(anchor: str, title: str, body: str, page: bool = True) -> str:
    cls = ' class="page"' if page else ""
    return f'<section{cls} id="s-{anchor}"><h2 id="{anchor}">{_e(title)}</h2>{body}</section>'


def render(report: Report) -> str:
    """The report as one self-contained HTML page."""
    place = ""
    if report.municipality:
        name = report.municipality_names.get(report.municipality, "")
        place = (
            " · "
            + _("municipality {code} {name}").format(code=report.municipality, name=name).strip()
        )
    meta = _("Portfolio: {source}{place} · prepared {date}").format(
        source=_e(report.source), place=_e(place), date=_e(format_date(report.today))
    )
    files = [f for f in CSV_FILES if f in report.files]
    if files:
        meta += (
            " · "
            + _e(_("full lists:"))
            + " "
            + ", ".join(f'<a href="{_e(f)}">{_e(f)}</a>' for f in files)
        )
    toc_items = [
        ("tidslinje", _("Timeline")),
        *((f"system-{c.system}", c.name) for c in report.changes),
        ("udloeb", _("Expiries")),
        ("kategorier", _("Categories")),
        ("handlingsplan", _("Action plan")),
        ("budget", _("Budget")),
        ("overblik", _("Overview")),
    ]
    toc = (
        '<nav class="toc">'
        + "".join(f'<a href="#{_e(a)}">{_e(t)}</a>' for a, t in toc_items)
        + "</nav>"
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{CSS}</style></head><body>",
        f'<section id="first-screen"><h1>{_e(report.title)}</h1>',
        f'<p class="meta">{meta}</p>',
        _scenario_note(report),
        _first_screen(report),
        toc,
        "</section>",
        _section(
            "tidslinje",
            _("Go-live of the replacing systems and contract expiries"),
            _timeline_chart(report.timeline, report.today),
        ),
        *(_system_section(report, c) for c in report.changes),
        _section("udloeb", _("Contract expiries on the monopoly systems"), _expiry_section(report)),
        _section("kategorier", _("Interfaces per category"), _category_table(report)),
        _section(
            "handlingsplan",
            _("Action plan"),
            _plan_table(report)
            if report.plan is not None
            else f'<p class="note">{_e(_("The action plan is not available."))}</p>',
        ),
        _section(
            "budget",
            _("Budget per year"),
            _budget_table(report.budget)
            if report.budget is not None
            else f'<p class="note">{_e(_("The budget is not available."))}</p>',
        ),
        _section("overblik", _("Overview"), _overview_table(report), page=False),
    ]
    if report.diagrams:
        links = "".join(
            f'<li><a href="{_e(d)}">{_e(Path(d).stem)}</a></li>' for d in report.diagrams
        )
        parts.append(_section("diagrammer", _("Diagrams"), f"<ul>{links}</ul>", page=False))
    parts += [f'<p class="note">{_e(n)}</p>' for n in report.notes]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(assessment: Assessment, target: str | Path) -> Path:
    """Gather, render and write the report atomically; diagrams and CSVs beside it are linked."""
    from snitgraf.io.atomic import atomic_path
    from snitgraf.io.csv_export import readable

    target = Path(target)
    links = diagram_links(target.parent, target.name)
    files = [f for f in CSV_FILES if (target.parent / f).is_file()]
    page = render(gather(assessment, links, files=files))
    with atomic_path(target) as temporary:
        temporary.write_text(page, encoding="utf-8", newline="")
        readable(temporary)
    return target


def diagram_links(folder: Path, report_name: str = "report.html") -> list[str]:
    """The HTML pages beside the report (the diagrams of the main job), as relative links."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.html") if p.is_file() and p.name != report_name)


def report_step(assessment: Assessment, out: Path) -> list[Path]:
    """The main job's step: `report.html` in the output folder, linking the diagrams and CSV
    files there (so it runs after the diagram and CSV steps)."""
    return [write_report(assessment, out / "report.html")]


IN_F_STRINGS: tuple[str, ...] = (
    N_("AS-IS → TO-BE in {year}"),
    N_("By action: {kinds}."),
    N_("Contract expiries and go-lives"),
    N_("Cost shift"),
    N_("Every interface has a category."),
    N_("Interfaces per category"),
    N_("Known annual cost per payer"),
    N_("Known annual cost per payer and year"),
    N_("No actions."),
    N_("No broken needs."),
    N_("No contract expiries on the monopoly systems."),
    N_("No contracts with a known cost."),
    N_("No known cost."),
    N_("No monopoly system is replaced: no go-lives to draw."),
    N_("Nothing is overdue."),
    N_("The action plan is not available."),
    N_("The budget is not available."),
    N_("a circle with a number: the expiries of a quarter"),
    N_("go-live of the replacing system (shaded: its precision)"),
    N_("max {amount}"),
    N_("needs {data}"),
    N_("today"),
    N_("today {date}"),
    N_("{n} overdue"),
)
"""The msgids written inside f-strings above, which pybabel cannot see there: listed so the
catalogue (and its check) holds them."""
