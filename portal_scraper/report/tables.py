"""HTML tables of a run report for the HTML report: every value escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from portal_scraper.report.combined import overall_coverage

Cell = object


def table(header: Iterable[str], rows: Iterable[Iterable[Cell]], css: str = "") -> str:
    """An HTML table of `rows` under `header`; numbers are right-aligned."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    klass = f' class="{escape(css)}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def items(mapping: Mapping[str, Any], header: tuple[str, str], empty: str) -> str:
    """A two-column table of a mapping (`empty` as a sentence when it has nothing)."""
    if not mapping:
        return f'<p class="none">{escape(empty)}</p>'
    return table(header, mapping.items())


def bullet_list(lines: Iterable[str], css: str) -> str:
    """An HTML list of lines (nothing when there are none)."""
    shown = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<ul class="{escape(css)}">{shown}</ul>' if shown else ""


def run_details(report: dict[str, Any], status: str) -> str:
    """The latest run: status and counts, failures and alerts, rejects, errors, coverage,
    listings, as in `report.json`."""
    summary = [
        ("status", status),
        ("exit status", report.get("exit_code")),
        ("started", report.get("started_at")),
        ("finished", report.get("finished_at")),
        ("duration (s)", report.get("duration_seconds")),
        ("finish reason", report.get("finish_reason")),
        ("pages fetched", report.get("pages_fetched")),
        ("listing pages", report.get("listing_pages")),
        ("article pages", report.get("article_pages")),
        ("articles written", report.get("articles_written")),
        ("new", report.get("articles_new")),
        ("updated", report.get("articles_updated")),
        ("unchanged", report.get("articles_unchanged")),
        ("skipped as archived", report.get("articles_skipped_archived")),
        ("known rejects skipped", report.get("known_rejects_skipped")),
        ("rejects", report.get("rejects")),
        ("reject rate", _percent(report.get("reject_rate"))),
    ]
    errors = {
        **{f"HTTP {k}": v for k, v in (report.get("http_errors") or {}).items()},
        **(report.get("network_errors") or {}),
    }
    parts = [
        bullet_list((f"FAILED: {f}" for f in report.get("failures") or []), "failures"),
        bullet_list((f"ALERT: {a}" for a in report.get("alerts") or []), "alerts"),
        '<div class="tables">',
        "<div><h4>Counts</h4>" + table(("", "value"), summary, "counts") + "</div>",
        "<div><h4>Rejects by reason</h4>"
        + items(report.get("rejects_by_reason") or {}, ("reason", "rejects"), "no rejects")
        + "<h4>Fetch errors</h4>"
        + items(errors, ("error", "count"), "no fetch errors")
        + "<h4>Field coverage (records written)</h4>"
        + _coverage(report)
        + "</div>",
        "</div>",
        "<h4>Listings</h4>" + _listings(report.get("listings") or {}),
    ]
    return "\n".join(p for p in parts if p)


def _coverage(report: dict[str, Any]) -> str:
    coverage = overall_coverage(report)
    if not coverage:
        return '<p class="none">no records written in this run</p>'
    return table(("field", "coverage"), ((k, _percent(v)) for k, v in coverage.items()))


def _listings(listings: Mapping[str, Any]) -> str:
    if not listings:
        return '<p class="none">no listing path in this run (a home-page crawl, or none read)</p>'
    rows = (
        (url, value.get("pages"), value.get("article_links"), value.get("status"))
        for url, value in listings.items()
    )
    return table(("listing", "pages", "article links", "status"), rows)


def _percent(value: Any) -> str:
    return f"{100 * float(value):.1f}%" if isinstance(value, int | float) else "-"


def _cell(value: Cell) -> str:
    if value is None:
        return "<td>-</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n">{escape(str(value))}</td>'
    return f"<td>{escape(str(value))}</td>"
