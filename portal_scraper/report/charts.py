"""The HTML report's charts as Vega-Lite specs, made with altair from a job's history."""

from __future__ import annotations

from typing import Any

import altair as alt

from portal_scraper.record.model import RECORD_FIELDS
from portal_scraper.report.build import EXIT_FAILED, EXIT_HEALTHY, EXIT_THRESHOLD
from portal_scraper.report.combined import overall_coverage, portal_status
from portal_scraper.report.history import NO_DATE, Articles, Run

WIDTH = 720
STATUS_NAMES = {EXIT_HEALTHY: "healthy", EXIT_THRESHOLD: "alerts", EXIT_FAILED: "failed"}
STATUS_COLORS = {"healthy": "#2e7d32", "alerts": "#ef6c00", "failed": "#c62828"}
Spec = dict[str, Any]


def status_name(report: dict[str, Any]) -> str:
    """`healthy`, `alerts` or `failed`: the run's exit status (combined.py's reading of it)."""
    return STATUS_NAMES[portal_status(int(report.get("exit_code", EXIT_FAILED)))]


def run_label(run: Run) -> str:
    """How a run is named on the charts' axis: `#12 2026-03-01 02:30`, `failed` when it did."""
    when = run.finished_at[:16].replace("T", " ") or "?"
    failed = " failed" if status_name(run.report) == "failed" else ""
    return f"#{run.number} {when}{failed}"


def articles_per_day(articles: Articles) -> Spec | None:
    """Articles by the day they were published (None when no article has a date)."""
    rows = [{"day": d, "articles": n} for d, n in sorted(articles.by_day.items()) if d != NO_DATE]
    if not rows:
        return None
    chart = (
        alt.Chart(_data(rows), title="Articles per day (by published date)")
        .mark_bar(color="#1565c0")
        .encode(
            x=alt.X("utcyearmonthdate(day):T", title="published"),
            y=alt.Y("articles:Q", title="articles"),
            tooltip=[alt.Tooltip("utcyearmonthdate(day):T", title="day"), "articles:Q"],
        )
    )
    return _spec(chart, height=180)


def articles_per_month(articles: Articles) -> Spec | None:
    """Articles by the month they were published (None when no article has a date)."""
    months: dict[str, int] = {}
    for day, n in articles.by_day.items():
        if day != NO_DATE:
            months[day[:7] + "-01"] = months.get(day[:7] + "-01", 0) + n
    if not months:
        return None
    rows = [{"month": m, "articles": n} for m, n in sorted(months.items())]
    chart = (
        alt.Chart(_data(rows), title="Articles per month (by published date)")
        .mark_bar(color="#1565c0")
        .encode(
            x=alt.X("utcyearmonth(month):O", title="published"),
            y=alt.Y("articles:Q", title="articles"),
            tooltip=[alt.Tooltip("utcyearmonth(month):O", title="month"), "articles:Q"],
        )
    )
    return _spec(chart, height=180)


def rejects_by_reason(runs: list[Run]) -> Spec | None:
    """Rejects per run, stacked by stage and reason (None when no run rejected a page)."""
    rows = [
        {"run": run_label(run), "reason": reason, "rejects": int(n)}
        for run in runs
        for reason, n in (run.report.get("rejects_by_reason") or {}).items()
    ]
    if not rows:
        return None
    chart = (
        alt.Chart(_data(rows), title="Rejects by reason, per run")
        .mark_bar()
        .encode(
            x=_runs_axis(runs),
            y=alt.Y("sum(rejects):Q", title="rejects"),
            color=alt.Color(
                "reason:N", legend=alt.Legend(orient="bottom", columns=1, labelLimit=WIDTH)
            ),
            tooltip=["run:O", "reason:N", "rejects:Q"],
        )
    )
    return _spec(chart, height=200)


def field_coverage(runs: list[Run]) -> Spec | None:
    """Each record field's share of the run's records that have it, per run: a heat map where a
    field's drift shows as a change of colour along its row (None when no run wrote records)."""
    rows = []
    for run in runs:
        coverage = overall_coverage(run.report)
        rows += [
            {"run": run_label(run), "field": name, "coverage": coverage[name]}
            for name in RECORD_FIELDS
            if name in coverage
        ]
    if not rows:
        return None
    chart = (
        alt.Chart(_data(rows), title="Field coverage per run (records written)")
        .mark_rect()
        .encode(
            x=_runs_axis(runs),
            y=alt.Y("field:N", sort=list(RECORD_FIELDS), title=None),
            color=alt.Color(
                "coverage:Q",
                scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                legend=alt.Legend(format="%"),
            ),
            tooltip=["run:O", "field:N", alt.Tooltip("coverage:Q", format=".1%")],
        )
    )
    return _spec(chart, height=14 * len(RECORD_FIELDS))


def fetch_errors(runs: list[Run]) -> Spec | None:
    """HTTP error statuses and network errors per run (None when no run had any)."""
    rows = []
    for run in runs:
        for status, n in (run.report.get("http_errors") or {}).items():
            rows.append({"run": run_label(run), "error": f"HTTP {status}", "count": int(n)})
        for name, n in (run.report.get("network_errors") or {}).items():
            # twisted.internet.error.TimeoutError -> TimeoutError
            rows.append({"run": run_label(run), "error": name.rsplit(".", 1)[-1], "count": int(n)})
    if not rows:
        return None
    chart = (
        alt.Chart(_data(rows), title="Fetch errors per run")
        .mark_bar()
        .encode(
            x=_runs_axis(runs),
            y=alt.Y("sum(count):Q", title="responses / requests"),
            color=alt.Color("error:N", legend=alt.Legend(orient="bottom")),
            tooltip=["run:O", "error:N", "count:Q"],
        )
    )
    return _spec(chart, height=180)


def duration(runs: list[Run]) -> Spec | None:
    """Each run's duration and pages fetched, the point coloured by its status."""
    if not runs:
        return None
    rows = [
        {
            "run": run_label(run),
            "seconds": float(run.report.get("duration_seconds") or 0.0),
            "pages": int(run.report.get("pages_fetched") or 0),
            "status": status_name(run.report),
        }
        for run in runs
    ]
    base = alt.Chart(_data(rows), title="Duration per run").encode(
        x=_runs_axis(runs), y=alt.Y("seconds:Q", title="seconds")
    )
    status = alt.Color(
        "status:N",
        scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    points = base.mark_point(filled=True, size=60).encode(
        color=status, tooltip=["run:O", "status:N", "seconds:Q", "pages:Q"]
    )
    return _spec(base.mark_line(color="#90a4ae") + points, height=180)


def _runs_axis(runs: list[Run]) -> alt.X:
    """Every run on the axis, oldest first, also those with nothing to draw on this chart."""
    labels = [run_label(r) for r in runs]
    return alt.X("run:O", scale=alt.Scale(domain=labels), title="run", axis=_RUN_AXIS)


_RUN_AXIS = alt.Axis(labelAngle=-40, labelOverlap=True, labelLimit=160)


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _spec(chart: alt.Chart | alt.LayerChart, height: int) -> Spec:
    spec: Spec = chart.properties(width=WIDTH, height=height).to_dict()
    return spec
