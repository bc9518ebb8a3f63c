"""The combined report of a portal list: one line per portal's archive job, the worst status."""

from __future__ import annotations

from typing import Any

from portal_scraper.report.build import EXIT_FAILED, EXIT_HEALTHY, EXIT_THRESHOLD

# Worse last. A job that exited with anything else (2: its job directory in use; a signal)
# did not run to its report: it counts as failed.
SEVERITY = (EXIT_HEALTHY, EXIT_THRESHOLD, EXIT_FAILED)
# The fields the text table shows the coverage of (the JSON has every field).
TABLE_FIELDS = ("title", "published_at", "authors", "body_text")


def portal_status(exit_code: int) -> int:
    """A job's exit status as one of 0 healthy, 3 alerts, 1 failed."""
    return exit_code if exit_code in SEVERITY else EXIT_FAILED


def worst(codes: list[int]) -> int:
    """The worst of the jobs' statuses (0 when there are none)."""
    return max((portal_status(c) for c in codes), key=SEVERITY.index, default=EXIT_HEALTHY)


def portal_entry(
    portal: dict[str, Any],
    exit_code: int,
    report: dict[str, Any] | None,
    problem: str | None,
    on_disk: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One portal's line: who it is (`portal`: id, line, target...), its job's exit status and
    what its run report says; `problem` says why there is no usable report, and `on_disk` what
    the run left in the job's feed files all the same (`articles_written`, `rejects` counted
    from the lines it appended; `cut_lines`: files ending in a line the kill cut)."""
    report = report or {}
    failures = list(report.get("failures") or [])
    status = portal_status(exit_code)
    if problem and on_disk is not None:
        report = {key: on_disk.get(key, 0) for key in ("articles_written", "rejects")}
        problem += (
            f"; counted from disk, this run appended {report['articles_written']} records and "
            f"{report['rejects']} rejects"
        )
        if on_disk.get("cut_lines"):
            problem += f" (and a cut last line in {', '.join(on_disk['cut_lines'])})"
    if problem:
        failures.append(problem)
        status = EXIT_FAILED
    elif exit_code != report.get("exit_code", exit_code):
        failures.append(
            f"the job exited {exit_code}, its report says {report.get('exit_code')}: "
            "the exit status counts"
        )
    if status == EXIT_FAILED and not failures:
        failures.append(f"the job exited with status {exit_code}")
    return {
        **portal,
        "exit_code": exit_code,
        "status": status,
        "articles_written": int(report.get("articles_written", 0)),
        "articles_skipped_archived": int(report.get("articles_skipped_archived", 0)),
        "rejects": int(report.get("rejects", 0)),
        "reject_rate": float(report.get("reject_rate", 0.0)),
        "coverage": overall_coverage(report),
        "alerts": list(report.get("alerts") or []),
        "failures": failures,
        "duration_seconds": report.get("duration_seconds"),
        # True: no report of this run; written and rejects are its lines counted on disk.
        "counted_from_disk": on_disk is not None and bool(problem),
    }


def written_shown(entry: dict[str, Any]) -> str:
    """Articles written as the table shows them: `31 (disk)` when counted from the files."""
    written = str(entry["articles_written"])
    return f"{written} (disk)" if entry.get("counted_from_disk") else written


def combined_report(entries: list[dict[str, Any]], **about: Any) -> dict[str, Any]:
    """The list's report: `about` (the portals file, the jobs root), each portal's entry, totals,
    and the worst status as the exit status."""
    statuses = [e["status"] for e in entries]
    return {
        **about,
        "portals": entries,
        "totals": {
            "portals": len(entries),
            "healthy": statuses.count(EXIT_HEALTHY),
            "alerts": statuses.count(EXIT_THRESHOLD),
            "failed": statuses.count(EXIT_FAILED),
            "articles_written": sum(e["articles_written"] for e in entries),
            "rejects": sum(e["rejects"] for e in entries),
        },
        "exit_code": worst(statuses),
    }


def overall_coverage(report: dict[str, Any]) -> dict[str, float]:
    """Field coverage over the portal's records of every site (a site profile, generic)."""
    by_site = report.get("written_by_site") or {}
    coverage = report.get("coverage") or {}
    total = sum(int(by_site.get(site, 0)) for site in coverage)
    if not total:
        return {}
    names = sorted({name for fields in coverage.values() for name in fields})
    return {
        name: round(
            sum(
                fields.get(name, 0.0) * int(by_site.get(site, 0))
                for site, fields in coverage.items()
            )
            / total,
            4,
        )
        for name in names
    }


def format_combined(report: dict[str, Any]) -> str:
    """A short text table: per portal, exit status, written, rejects, coverage, alerts."""
    header = ("portal", "exit", "written", "rejects", "title/date/authors/body %", "alerts")
    rows = [header]
    for entry in report["portals"]:
        coverage = entry["coverage"]
        shown = "/".join(f"{100 * coverage[f]:.0f}" if f in coverage else "-" for f in TABLE_FIELDS)
        rows.append(
            (
                entry["id"],
                str(entry["exit_code"]),
                written_shown(entry),
                str(entry["rejects"]),
                shown,
                str(len(entry["alerts"])),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) if i in (0, 4) else cell.rjust(w) for i, (cell, w) in
                  enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]  # fmt: skip
    for entry in report["portals"]:
        lines += [f"{entry['id']}: FAILED: {failure}" for failure in entry["failures"]]
        lines += [f"{entry['id']}: ALERT: {alert}" for alert in entry["alerts"]]
    totals = report["totals"]
    lines.append(
        f"portals: {totals['portals']} (healthy {totals['healthy']}, alerts {totals['alerts']}, "
        f"failed {totals['failed']}); articles written {totals['articles_written']}, "
        f"rejects {totals['rejects']}"
    )
    if any(entry.get("counted_from_disk") for entry in report["portals"]):
        lines.append(
            "(disk): the job left no report; its written and rejects are the lines this run "
            "appended to its articles.jsonl and rejects.jsonl"
        )
    lines.append(f"exit status: {report['exit_code']}")
    return "\n".join(lines)
