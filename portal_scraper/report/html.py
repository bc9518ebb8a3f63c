"""The HTML report of a job directory (or a jobs root): one page that works offline, its charts
drawn by Vega-Lite whose JavaScript is inlined."""

from __future__ import annotations

import json
import os
import tempfile
from html import escape
from pathlib import Path

import altair as alt
import vl_convert

from portal_scraper.report import charts, tables
from portal_scraper.report.history import NO_DATE, JobHistory

# (key, the chart's function, what is said instead when there is nothing to draw)
ARTICLE_CHARTS = (
    ("per-day", charts.articles_per_day, "no article with a published date"),
    ("per-month", charts.articles_per_month, "no article with a published date"),
)
RUN_CHARTS = (
    ("rejects", charts.rejects_by_reason, "no run rejected a page"),
    ("coverage", charts.field_coverage, "no run wrote a record, so there is no field coverage"),
    ("errors", charts.fetch_errors, "no HTTP or network error in these runs"),
    ("duration", charts.duration, "no run yet"),
)
# The page's own script: draw each chart from its spec; `data-rendered` says how that went.
EMBED = """
for (const box of document.querySelectorAll("div[data-chart]")) {
  const spec = JSON.parse(document.getElementById("spec-" + box.dataset.chart).textContent);
  vegaEmbed(box, spec, {actions: false, renderer: "svg"})
    .then(() => { box.dataset.rendered = "yes"; })
    .catch((error) => {
      box.dataset.rendered = "failed";
      box.textContent = "This chart could not be drawn: " + error;
      console.error(error);
    });
}
"""
STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 980px; color: #222;
       padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { border-bottom: 2px solid #1565c0; margin-top: 2em; }
h3 { margin-top: 1.6em; } h4 { margin: 1em 0 .3em; }
table { border-collapse: collapse; margin: .3em 0; } td, th { padding: 2px 8px;
        border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.tables { display: flex; gap: 2em; flex-wrap: wrap; } .tables > div { flex: 1 1 300px; }
.notices li, .alerts li { color: #8a4b00; } .failures li { color: #b00020; font-weight: 600; }
.none, .about { color: #666; } .chart { margin: .5em 0 1.5em; }
.status-healthy { color: #2e7d32; } .status-alerts { color: #ef6c00; }
.status-failed { color: #c62828; }
"""


def javascript_bundle() -> str:
    """Vega, Vega-Lite (the version altair writes) and vega-embed as one script, no CDN."""
    wanted = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]  # v6.4.1 -> 6.4
    known = vl_convert.get_vegalite_versions()
    bundle: str = vl_convert.javascript_bundle(
        "window.vegaEmbed = vegaEmbed;", vl_version=wanted if wanted in known else None
    )
    return bundle.replace("</script", "<\\/script")


def render_report(histories: list[JobHistory], title: str, generated_at: str) -> str:
    """The whole page: a section per job directory (one, or each job of a jobs root)."""
    specs: dict[str, charts.Spec] = {}
    sections = [
        _job_section(history, f"job-{i}", specs, heading=len(histories) > 1)
        for i, history in enumerate(histories)
    ]
    overview = _overview(histories) if len(histories) > 1 else ""
    data = "\n".join(
        f'<script type="application/json" id="spec-{key}">{_json_for_html(spec)}</script>'
        for key, spec in specs.items()
    )
    scripts = f"<script>{javascript_bundle()}</script>\n{data}\n<script>{EMBED}</script>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style></head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="about">made {escape(generated_at)} by <code>portal-scraper report</code>; '
        "works offline</p>\n"
        f"{overview}\n{''.join(sections)}\n{scripts if specs else ''}\n</body></html>\n"
    )


def _job_section(
    history: JobHistory, key: str, specs: dict[str, charts.Spec], heading: bool
) -> str:
    runs, articles = history.runs, history.articles
    parts = [f'<section id="{key}">']
    if heading:
        parts.append(f"<h2>{escape(history.job_dir.name)}</h2>")
    parts.append(f'<p class="about">job directory <code>{escape(str(history.job_dir))}</code>; '
                 f"{len(runs)} runs shown</p>")  # fmt: skip
    if history.unreadable:
        parts.append(
            '<p class="failures">The run history could not be read: the runs of this job are '
            "not shown.</p>"
        )
        parts.append(tables.bullet_list(history.unreadable, "failures"))
    parts.append(tables.bullet_list(history.notices, "notices"))
    undated = articles.by_day.get(NO_DATE, 0)
    parts.append(
        f"<h3>Articles</h3><p>{articles.total} articles (the latest version of each canonical "
        f"URL in articles.jsonl)" + (f"; {undated} without a published date are not charted"
        if undated else "") + ".</p>"
    )  # fmt: skip
    for name, make, empty in ARTICLE_CHARTS:
        parts.append(_chart(f"{key}-{name}", make(articles), empty, specs))
    parts.append("<h3>Runs</h3>")
    if history.unreadable:
        parts.append('<p class="none">the run history could not be read (above)</p>')
    for name, make_runs, empty in RUN_CHARTS if not history.unreadable else ():
        parts.append(_chart(f"{key}-{name}", make_runs(runs), empty, specs))
    if runs:
        latest = runs[-1]
        status = charts.status_name(latest.report)
        parts.append(
            f"<h3>The latest run: #{latest.number}, "
            f'<span class="status-{status}">{status}</span></h3>'
        )
        parts.append(tables.run_details(latest.report, status))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _chart(key: str, spec: charts.Spec | None, empty: str, specs: dict[str, charts.Spec]) -> str:
    if spec is None:
        return f'<p class="none">{escape(empty)}</p>'
    specs[key] = spec
    return f'<div class="chart" id="chart-{key}" data-chart="{key}"></div>'


def _overview(histories: list[JobHistory]) -> str:
    rows = []
    for history in histories:
        report = history.runs[-1].report if history.runs else {}
        status = charts.status_name(report) if report else "no run"
        rows.append(
            (
                history.job_dir.name,
                "history not readable" if history.unreadable else status,
                report.get("finished_at"),
                report.get("articles_written"),
                report.get("rejects"),
                len(report.get("alerts") or []),
                len(history.runs),
            )
        )
    header = ("portal", "last run", "finished", "written", "rejects", "alerts", "runs")
    return "<h2>Portals</h2>" + tables.table(header, rows)


def _json_for_html(spec: charts.Spec) -> str:
    """JSON that cannot end its <script> element: <, > and & as \\u escapes."""
    text = json.dumps(spec, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_html(text: str, path: Path) -> None:
    """Write the page whole: a temporary file beside `path`, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
