"""A portal list's pieces: the portals file, checked whole before anything runs, and the combined
report with the worst status."""

from __future__ import annotations

import pytest

from portal_scraper.commands.portals_file import PortalsFileError, default_id, parse_portals
from portal_scraper.export.storage import lines_from, whole_lines_end
from portal_scraper.report.combined import (
    combined_report,
    format_combined,
    portal_entry,
    worst,
)


def test_a_portals_file_gives_each_portal_its_arguments_and_job_name() -> None:
    portals = parse_portals(
        "# provinces\n"
        "\n"
        "bentre-city since=2024-01-01   # the city portal\n"
        "http://portal.example.gov.vn/ since=2024-02-01\n"
        "  https://Example.VN:8443/tin-tuc#top id=example-news\n"
        "http://127.0.0.1:8765/ site=bentre-city id=mirror\n"
    )
    assert [(p.line, p.id, p.spider_arguments()) for p in portals] == [
        (3, "bentre-city", {"site": "bentre-city", "since": "2024-01-01"}),
        (4, "portal.example.gov.vn",
         {"start_url": "http://portal.example.gov.vn/", "since": "2024-02-01"}),
        (5, "example-news", {"start_url": "https://Example.VN:8443/tin-tuc#top"}),
        (6, "mirror", {"site": "bentre-city", "start_url": "http://127.0.0.1:8765/"}),
    ]  # fmt: skip


def test_a_list_wide_since_is_the_default_of_every_line() -> None:
    portals = parse_portals(
        "bentre-city\nhttp://a.example/ since=2024-05-01\n", defaults={"since": "2023-01-01"}
    )
    assert [p.since for p in portals] == ["2023-01-01", "2024-05-01"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8765/", "127.0.0.1-8765"),
        ("https://portal.example.gov.vn/", "portal.example.gov.vn"),
        ("https://example.vn/Tin-Tuc/Default.aspx", "example.vn-tin-tuc-default.aspx"),
    ],
)
def test_a_start_url_names_its_job_by_host_port_and_path(url: str, expected: str) -> None:
    assert default_id(url) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("no-such-site", "line 2: unknown site 'no-such-site'"),
        ("bentre-city since=2024-13-01", "line 2: since must be a date like 2018-01-31"),
        ("ftp://portal.example/", "line 2: start_url must be an absolute http(s) URL"),
        ("http:///nohost", "line 2: start_url must be an absolute http(s) URL"),
        ("bentre-city", "line 2: id 'bentre-city' is also the id of line 1"),
        ("http://b.example/ id=BENTRE-CITY", "is also the id of line 1"),
        ("http://b.example/ foo=bar", "line 2: 'foo=bar' is not one of since=..., id=..."),
        ("bentre-city site=generic id=x", "line 2: 'site=generic' is not one of since=..., id="),
        ("http://b.example/ id=../up", "line 2: id '../up' cannot name a job directory"),
        ("http://b.example/ id=report.json", "id 'report.json' cannot name a job directory"),
        ("http://b.example/ since=", "line 2: since= needs a value"),
        ("http://b.example/ id=a id=b", "line 2: id= is given twice"),
    ],
)
def test_a_bad_line_is_named(line: str, message: str) -> None:
    with pytest.raises(PortalsFileError) as caught:
        parse_portals(f"bentre-city\n{line}\n", "portals.txt")
    assert message in str(caught.value)
    assert str(caught.value).startswith("portals.txt line 2: ")


def test_every_bad_line_is_named_at_once_and_an_empty_file_is_refused() -> None:
    with pytest.raises(PortalsFileError) as caught:
        parse_portals("nope\nbentre-city since=x\nbentre-city\n", "p.txt")
    first, second = str(caught.value).splitlines()[:2]
    assert first.startswith("p.txt line 1: unknown site 'nope'; known sites: bentre-city, ")
    assert second == "p.txt line 2: since must be a date like 2018-01-31, got 'x'"
    with pytest.raises(PortalsFileError, match="no portals"):
        parse_portals("# nothing yet\n\n", "p.txt")


def report(code: int, written: int = 10, alerts: tuple[str, ...] = ()) -> dict:
    return {
        "exit_code": code, "articles_written": written, "rejects": 1, "reject_rate": 0.1,
        "written_by_site": {"generic": written, "bentre-city": written},
        "coverage": {"generic": {"title": 1.0, "authors": 0.5},
                     "bentre-city": {"title": 1.0, "authors": 1.0}},
        "alerts": list(alerts), "failures": ["no page was fetched"] if code == 1 else [],
    }  # fmt: skip


def test_the_worst_status_wins_and_a_job_that_did_not_report_failed() -> None:
    assert worst([]) == 0
    assert worst([0, 3, 0]) == 3
    assert worst([3, 1, 0]) == 1
    assert worst([0, 2]) == 1  # a job directory in use: that portal was not archived
    assert worst([0, -9]) == 1  # killed
    entries = [
        portal_entry({"id": "a"}, 0, report(0), None),
        portal_entry({"id": "b"}, 3, report(3, alerts=("listing x: HTTP 404",)), None),
        portal_entry({"id": "c"}, 2, None, "the job wrote no report (exit 2): in use"),
    ]
    assert [e["status"] for e in entries] == [0, 3, 1]
    assert entries[0]["coverage"] == {"authors": 0.75, "title": 1.0}
    combined = combined_report(entries, jobs_root="/j")
    assert combined["exit_code"] == 1
    assert combined["totals"] == {
        "portals": 3, "healthy": 1, "alerts": 1, "failed": 1, "articles_written": 20, "rejects": 2
    }  # fmt: skip
    table = format_combined(combined).splitlines()
    assert table[0].split() == ["portal", "exit", "written", "rejects", "title/date/authors/body",
                                "%", "alerts"]  # fmt: skip
    assert table[1].split() == ["a", "0", "10", "1", "100/-/75/-", "0"]
    assert table[3].split() == ["c", "2", "0", "0", "-/-/-/-", "0"]
    assert "b: ALERT: listing x: HTTP 404" in table
    assert "c: FAILED: the job wrote no report (exit 2): in use" in table
    assert table[-1] == "exit status: 1"


def test_an_exit_status_that_contradicts_the_report_is_said() -> None:
    entry = portal_entry({"id": "a"}, 1, report(0), None)
    assert entry["status"] == 1
    assert entry["failures"] == ["the job exited 1, its report says 0: the exit status counts"]


def test_a_killed_job_reports_its_lines_counted_from_disk() -> None:
    killed = "the job was killed by SIGKILL: see log"
    entry = portal_entry({"id": "k"}, -9, None, killed, {"articles_written": 31, "rejects": 2})
    assert (entry["status"], entry["articles_written"], entry["rejects"]) == (1, 31, 2)
    assert entry["counted_from_disk"] is True
    assert entry["failures"] == [
        f"{killed}; counted from disk, this run appended 31 records and 2 rejects"
    ]
    healthy = portal_entry({"id": "a"}, 0, report(0), None)
    assert healthy["counted_from_disk"] is False
    combined = combined_report([healthy, entry])
    assert combined["totals"]["articles_written"] == 41
    table = format_combined(combined).splitlines()
    assert table[2].split() == ["k", "-9", "31", "(disk)", "2", "-/-/-/-", "0"]
    assert table[-2].startswith("(disk): the job left no report")


def test_the_lines_a_run_appended_are_counted_from_where_it_started(tmp_path) -> None:
    path = tmp_path / "articles.jsonl"
    assert whole_lines_end(path) == 0 and lines_from(path, 0) == (0, False)
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"cut')  # a cut line the next start removes
    start = whole_lines_end(path)
    assert start == len(b'{"a": 1}\n{"b": 2}\n')
    with path.open("r+b") as handle:  # the next run: repaired, then appended, then killed
        handle.truncate(start)
        handle.seek(start)
        handle.write(b'{"c": 3}\n{"d": 4}\n{"e"')
    assert lines_from(path, start) == (2, True)
