"""The management report: one offline HTML page (inline SVG charts, no scripts, no network).

It shows the counts per category, the interfaces needing a decision, a timeline of contract
expiries against the go-live of the systems replacing each monopoly system, the overview table,
the action plan and the budget per year (when `snitgraf.analysis.plan` / `budget` are
installed), and links to the diagrams written beside it.

`gather(...)` collects the facts (plain data, with reasons); `render(report)` writes the page.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from snitgraf.analysis.categorise import CATEGORIES, InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
from snitgraf.graph import edges, nodes
from snitgraf.render.palette import CATEGORY_COLOURS
from snitgraf.schema import Label, Rel
from snitgraf.values import PartialDate, format_amount, parse_date, show_controls

if TYPE_CHECKING:
    from snitgraf.assessment import Assessment, Summary

Verdict = Literal["before", "after", "overlaps", "unknown"]
VERDICT_COLOURS: dict[str, str] = {
    "before": "#c0392b",
    "overlaps": "#e67e22",
    "after": "#239b56",
    "unknown": "#7f8c8d",
}
VERDICT_TEXT: dict[str, str] = {
    "before": "expires before the replacement goes live: extend it until go-live",
    "overlaps": "expiry and go-live overlap at their precision: check the dates",
    "after": "runs until after the replacement goes live",
    "unknown": "the replacement's go-live is not known",
}


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
    plan: tuple[Any, ...] | None = None
    budget: Any | None = None
    diagrams: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    summary: Summary | None = None
    """The run's key figures (the cards show these)."""

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
        }


def compare(expires: PartialDate, go_live: PartialDate) -> Verdict:
    """How a contract expiry meets a go-live, each known only to its precision."""
    if expires.last_day() < go_live.first_day():
        return "before"
    if expires.first_day() >= go_live.last_day():
        return "after"
    return "overlaps"


def timeline(full: nx.MultiDiGraph, overview: Sequence[OverviewRow]) -> list[TimelineRow]:
    """Per monopoly system that something replaces (earliest go-live first): the go-lives of
    its replacements and the contract expiries of the interfaces it provides or uses (from the
    overview rows), each with its verdict."""
    systems = {attrs["id"]: attrs for _k, attrs in nodes(full, Label.SYSTEM)}
    replacers: dict[str, list[str]] = defaultdict(list)
    for new, old, _ in edges(full, Rel.REPLACES):
        replacers[old[1]].append(new[1])
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
            if expires is None:
                verdict: Verdict = "unknown"
                reason = f"contract {row.contract}: expiry unknown (??)"
            elif go_live is None:
                verdict = "unknown"
                reason = f"contract {row.contract} expires {expires}; {VERDICT_TEXT['unknown']}"
            else:
                verdict = compare(expires, go_live)
                reason = (
                    f"contract {row.contract} expires {expires}, go-live {go_live}: "
                    f"{VERDICT_TEXT[verdict]}"
                )
            expiries.append(
                Expiry(row.contract, row.interface, row.name, row.expires, verdict, reason)
            )
        rows.append(TimelineRow(old, systems[old]["name"], replaced_by, tuple(expiries)))

    def by_go_live(row: TimelineRow) -> tuple[bool, date, str]:
        when = parse_date(row.go_live) if row.go_live else None
        return (when is None, when.first_day() if when else date.max, row.system)

    return sorted(rows, key=by_go_live)


def gather(
    assessment: Assessment,
    diagrams: Sequence[str] = (),
    title: str = "Snitflader – ledelsesrapport",
) -> Report:
    """The report's facts: the assessment's finished results (categories, overview, plan,
    budget and key figures), so the report shows the numbers every other output shows."""
    overview = tuple(assessment.overview(None, "all"))
    return Report(
        title=title,
        source=str(assessment.graph.graph.get("source", "")),
        today=assessment.today,
        categories=tuple(assessment.categorised("all")),
        overview=overview,
        timeline=tuple(timeline(assessment.graph, overview)),
        plan=assessment.plan,
        budget=assessment.budget,
        diagrams=tuple(diagrams),
        summary=assessment.summary,
    )


# ---------------------------------------------------------------------------------------------
# HTML


def _e(value: Any) -> str:
    return html.escape(show_controls("" if value is None else str(value)), quote=True)


CSS = """
body { font-family: "Segoe UI", Calibri, Arial, sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #1c2833; line-height: 1.4; padding: 0 1rem; }
h1 { color: #1f4e79; margin-bottom: 0.2rem; } h2 { color: #1f4e79; border-bottom: 2px solid
#d6eaf8; padding-bottom: 0.2rem; margin-top: 2.2rem; }
.meta { color: #566573; } .cards { display: flex; gap: 1rem; flex-wrap: wrap; }
.card { background: #f4f6f7; border-radius: 6px; padding: 0.8rem 1.2rem; min-width: 9rem; }
.card b { display: block; font-size: 1.8rem; color: #1f4e79; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.6rem 0; }
th, td { border-bottom: 1px solid #d5d8dc; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; } th { background: #eaf2f8; }
td.mark { text-align: center; font-weight: bold; } td.num { text-align: right; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px;
          margin-right: 0.4rem; vertical-align: middle; }
.note { color: #7f8c8d; font-style: italic; } .reason { color: #566573; font-size: 0.8rem; }
svg text { font-family: inherit; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; }
               table, svg { page-break-inside: avoid; } }
"""


def _category_chart(counts: dict[str, int]) -> str:
    width, bar_h, label_w = 640, 26, 300
    biggest = max(counts.values(), default=0) or 1
    rows = []
    for index, (code, count) in enumerate(counts.items()):
        y = 10 + index * (bar_h + 8)
        length = round((width - label_w - 60) * count / biggest)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="13">'
            f"{_e(CATEGORIES[code].label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(length, 1)}" height="{bar_h}" '
            f'fill="{CATEGORY_COLOURS[code]}"><title>{_e(code)}: {count}</title></rect>'
            f'<text x="{label_w + length + 6}" y="{y + 18}" font-size="13">{count}</text>'
        )
    height = 20 + len(counts) * (bar_h + 8)
    return (
        f'<svg role="img" aria-label="Snitflader pr. kategori" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">{"".join(rows)}</svg>'
    )


def _timeline_chart(rows: Sequence[TimelineRow]) -> str:
    dates: list[PartialDate] = []
    for row in rows:
        dates += [d for _, _, g in row.replaced_by if g and (d := parse_date(g))]
        dates += [d for e in row.expiries if e.expires and (d := parse_date(e.expires))]
    if not rows or not dates:
        return '<p class="note">No go-live dates or contract expiries to draw.</p>'
    first = min(d.year for d in dates)
    last = max(d.year for d in dates) + 1
    left, right, row_h, top = 190, 30, 56, 30
    width = 900
    span = (date(last, 12, 31) - date(first, 1, 1)).days or 1

    def x(day: date) -> float:
        return left + (width - left - right) * (day - date(first, 1, 1)).days / span

    parts = []
    for year in range(first, last + 1):
        px = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{px:.1f}" y1="{top - 10}" x2="{px:.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#d5d8dc"/>'
            f'<text x="{px + 4:.1f}" y="{top - 14}" font-size="12" fill="#566573">{year}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_h + row_h / 2
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end" font-size="13">'
            f"{_e(row.system_name)}</text>"
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#aab7b8" stroke-dasharray="2,3"/>'
        )
        for system, name, go_live in row.replaced_by:
            when = parse_date(go_live) if go_live else None
            if when is None:
                continue
            x0, x1 = x(when.first_day()), x(when.last_day())
            cx = (x0 + x1) / 2
            parts.append(
                f'<rect x="{x0:.1f}" y="{y - 16:.1f}" width="{max(x1 - x0, 2):.1f}" '
                'height="32" fill="#17a589" opacity="0.18"/>'
                f'<path d="M{cx:.1f},{y - 13:.1f} l9,13 l-9,13 l-9,-13 z" fill="#17a589">'
                f"<title>{_e(name)} ({_e(system)}) goes live {_e(go_live)}</title></path>"
                f'<text x="{cx:.1f}" y="{y + 27:.1f}" text-anchor="middle" font-size="11" '
                f'fill="#0b5345">{_e(name.split(" ")[0])} {_e(go_live)}</text>'
            )
        for offset, expiry in enumerate(row.expiries):
            when = parse_date(expiry.expires) if expiry.expires else None
            colour = VERDICT_COLOURS[expiry.verdict]
            tip = f"<title>{_e(expiry.interface)} {_e(expiry.name)}: {_e(expiry.reason)}</title>"
            if when is None:
                parts.append(
                    f'<text x="{left + 4}" y="{y - 6:.1f}" font-size="12" font-weight="bold" '
                    f'fill="{colour}">??{tip}</text>'
                )
                continue
            x0, x1 = x(when.first_day()), x(when.last_day())
            cy = y - 6 + (offset % 3) * 6
            parts.append(
                f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" '
                f'stroke="{colour}" stroke-width="2" opacity="0.5"/>'
                f'<circle cx="{(x0 + x1) / 2:.1f}" cy="{cy:.1f}" r="5" fill="{colour}">'
                f"{tip}</circle>"
            )
    height = top + row_h * len(rows) + 10
    legend = "".join(
        f'<span><span class="swatch" style="background:{VERDICT_COLOURS[v]}"></span>'
        f"{_e(VERDICT_TEXT[v])}</span><br>"
        for v in ("before", "overlaps", "after", "unknown")
    )
    return (
        f'<svg role="img" aria-label="Kontraktudløb og idriftsættelse" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
        '<p class="reason"><span class="swatch" style="background:#17a589"></span>'
        f"go-live of the replacing system (shaded: its precision)<br>{legend}</p>"
    )


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str] = ()
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            cls = f' class="{classes[index]}"' if index < len(classes) and classes[index] else ""
            cells.append(f"<td{cls}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _mark(flag: bool) -> str:
    return "X" if flag else ""


def _budget_section(budget: Any) -> str:
    years = list(range(budget.from_year, budget.to_year + 1))
    rows = []
    for year in years:
        cells = [str(year)]
        for state in ("as-is", "to-be"):
            for payer in ("kommune", "KOMBIT", "total"):
                row = budget.row(year, state, payer)
                text = format_amount(row.known_dkk) if row.items else ""
                if row.items and (row.unknown_cost or row.uncontracted):
                    text += " +?"
                cells.append(_e(text))
        rows.append(cells)
    headers = [
        "År",
        "AS-IS kommune",
        "AS-IS KOMBIT",
        "AS-IS i alt",
        "TO-BE kommune",
        "TO-BE KOMBIT",
        "TO-BE i alt",
    ]
    table = _table(headers, rows, ["", *["num"] * 6])
    width, height, left, bottom = 640, 220, 70, 30
    totals = [(budget.row(y, "as-is").known_dkk, budget.row(y, "to-be").known_dkk) for y in years]
    biggest = max((max(a, b) for a, b in totals), default=0) or 1
    slot = (width - left - 10) / max(len(years), 1)
    bars = []
    for index, (year, (as_is, to_be)) in enumerate(zip(years, totals, strict=True)):
        x0 = left + index * slot + slot * 0.15
        bar_w = slot * 0.33
        for offset, (value, colour, label) in enumerate(
            ((as_is, "#aab7b8", "AS-IS"), (to_be, "#1f4e79", "TO-BE"))
        ):
            h = (height - bottom - 20) * value / biggest
            bars.append(
                f'<rect x="{x0 + offset * bar_w:.1f}" y="{height - bottom - h:.1f}" '
                f'width="{bar_w:.1f}" height="{max(h, 0.5):.1f}" fill="{colour}">'
                f"<title>{year} {label}: {format_amount(value)} kr.</title></rect>"
            )
        bars.append(
            f'<text x="{x0 + bar_w:.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="12">{year}</text>'
        )
    bars.append(
        f'<text x="{left - 6}" y="24" text-anchor="end" font-size="11">'
        f"{_e(format_amount(biggest))}</text>"
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#566573"/>'
    )
    chart = (
        f'<svg role="img" aria-label="Budget pr. år" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(bars)}</svg>'
        '<p class="reason"><span class="swatch" style="background:#aab7b8"></span>AS-IS '
        '<span class="swatch" style="background:#1f4e79"></span>TO-BE (kendte årlige '
        "omkostninger, kr.; '+?' = der findes kontrakter eller snitflader uden kendt pris)</p>"
    )
    reasons = "".join(f"<li>{_e(r)}</li>" for r in budget.reasons)
    return chart + table + (f'<ul class="reason">{reasons}</ul>' if reasons else "")


MAX_TABLE_ROWS = 300
"""Longer tables (a national portfolio) show their first rows and say how many are left out."""


def _more(total: int, where: str) -> str:
    left = total - MAX_TABLE_ROWS
    return f'<p class="note">… and {left} more rows ({where}).</p>' if left > 0 else ""


def _plan_section(plan: Sequence[Any]) -> str:
    if not plan:
        return '<p class="note">No actions.</p>'
    rows = []
    for action in plan[:MAX_TABLE_ROWS]:
        due = _e(action.due or "??")
        if getattr(action, "overdue", False):
            due = f"<b style='color:#c0392b'>{due}</b>"
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
    table = _table(["Monopolsystem", "Handling", "Snitflade", "Hvem", "Frist", "Hvorfor"], rows)
    return table + _more(len(plan), "snitgraf plan lists them all")


def render(report: Report) -> str:
    """The report as one self-contained HTML page."""
    counts = report.counts
    monopoly = sorted({r.system_name for r in report.overview})
    summary = report.summary
    contracts = (
        summary.contracts if summary else len({r.contract for r in report.overview if r.contract})
    )
    known_cost = (
        summary.annual_cost_dkk
        if summary
        else sum(
            r.annual_cost_dkk or 0.0 for r in {r.contract: r for r in report.overview}.values()
        )
    )
    cards = [
        ("snitflader", len(report.categories)),
        ("monopolsystemer", len(monopoly)),
        ("kontrakter", contracts),
        ("kendt årlig pris, kr.", format_amount(known_cost) or "0"),
        ("kræver afklaring", counts["unclassified"]),
    ]
    if summary:
        cards.append(("brudte behov", summary.broken_needs))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="da"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="meta">Portefølje: {_e(report.source)} · udarbejdet {report.today}</p>',
        '<div class="cards">'
        + "".join(f"<div class='card'><b>{_e(v)}</b>{_e(k)}</div>" for k, v in cards)
        + "</div>",
        '<h2 id="kategorier">Snitflader pr. kategori</h2>',
        _category_chart(counts),
        _table(
            ["Kategori", "Antal", "Forhandler", "Underskriver", "Betaler"],
            [
                [
                    f'<span class="swatch" style="background:{CATEGORY_COLOURS[code]}"></span>'
                    + _e(CATEGORIES[code].label),
                    str(count),
                    _e(CATEGORIES[code].negotiates),
                    _e(CATEGORIES[code].signs),
                    _e(CATEGORIES[code].pays),
                ]
                for code, count in counts.items()
            ],
            ["", "num"],
        ),
    ]
    undecided = [c for c in report.categories if c.category.code == "unclassified"]
    if undecided:
        parts.append('<h2 id="afklaring">Kræver afklaring</h2>')
        parts.append(
            _table(
                ["Snitflade", "Hvorfor"],
                [
                    [
                        f"{_e(c.interface)} {_e(c.name)}",
                        f'<span class="reason">{_e(c.reasons[-1])}</span>',
                    ]
                    for c in undecided
                ],
            )
        )
    parts += [
        '<h2 id="tidslinje">Kontraktudløb og idriftsættelse af afløsersystemer</h2>',
        _timeline_chart(report.timeline),
    ]
    expiry_rows = [
        [
            _e(row.system_name),
            f"{_e(e.interface)} {_e(e.name)}",
            _e(e.contract),
            _e(e.expires or "??"),
            _e(row.go_live or "??"),
            f'<span class="swatch" style="background:{VERDICT_COLOURS[e.verdict]}"></span>'
            f'<span class="reason">{_e(e.reason)}</span>',
        ]
        for row in report.timeline
        for e in row.expiries
    ]
    if expiry_rows:
        parts.append(
            _table(
                ["Monopolsystem", "Snitflade", "Kontrakt", "Udløb", "Go-live", "Vurdering"],
                expiry_rows,
            )
        )
    parts += [
        '<h2 id="overblik">Overblik</h2>',
        _table(
            ["System", "Snitflade", "Udløbsdato på kontrakt", "SKI", "KOMMUNE", "KOMBIT"],
            [
                [
                    _e(r.system_name),
                    f"{_e(r.interface)} {_e(r.name)}",
                    _e(r.expires or "??"),
                    _mark(r.ski),
                    _mark(r.kommune),
                    _mark(r.kombit),
                ]
                for r in report.overview[:MAX_TABLE_ROWS]
            ],
            ["", "", "", "mark", "mark", "mark"],
        )
        + _more(len(report.overview), "overview.csv holds them all"),
        '<h2 id="handlingsplan">Handlingsplan</h2>',
        _plan_section(report.plan)
        if report.plan is not None
        else '<p class="note">The action plan is not available.</p>',
        '<h2 id="budget">Budget pr. år</h2>',
        _budget_section(report.budget)
        if report.budget is not None
        else '<p class="note">The budget is not available.</p>',
    ]
    if report.diagrams:
        parts.append('<h2 id="diagrammer">Diagrammer</h2><ul>')
        parts += [f'<li><a href="{_e(d)}">{_e(Path(d).stem)}</a></li>' for d in report.diagrams]
        parts.append("</ul>")
    parts += [f'<p class="note">{_e(n)}</p>' for n in report.notes]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(assessment: Assessment, target: str | Path) -> Path:
    """Gather, render and write the report atomically; diagrams beside it are linked."""
    from snitgraf.io.atomic import atomic_path
    from snitgraf.io.csv_export import readable

    target = Path(target)
    links = diagram_links(target.parent, target.name)
    page = render(gather(assessment, links))
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
    """The main job's step: `report.html` in the output folder, linking the diagrams there
    (so it runs after the diagram step)."""
    return [write_report(assessment, out / "report.html")]
