"""`python -m portal_scraper.tools.extract_page PAGE --url URL` prints one record for a saved page."""

import json
import subprocess
import sys

import pytest

from portal_scraper.tools.extract_page import EXIT_REJECT, EXIT_USAGE, main
from tests.support import FIXTURES_DIR

SEED = FIXTURES_DIR / "bentre-city" / "seed-1452"
URL = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"


def test_prints_one_record_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal_scraper.tools.extract_page", str(SEED / "page.html"), "--url", URL,
         "--fetched-at", "2026-11-20T08:00:00Z"],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    record = json.loads(lines[0])
    assert record == {**expected, "url": URL, "canonical_url": URL}
    assert "“Dân vận khéo”" in lines[0]  # no ASCII escaping


def test_reject_exit_status(capsys) -> None:
    page = FIXTURES_DIR / "bentre-city" / "deleted-item-1399" / "page.html"
    status = main(
        [str(page), "--url", URL.replace("1452", "1399"), "--fetched-at", "2026-11-20T08:00:00Z"]
    )
    out, err = capsys.readouterr()
    assert status == EXIT_REJECT
    assert json.loads(out)["stage"] == "extract"
    assert "Item does not exist" in err


def test_unknown_host_uses_the_platform_its_markup_shows(capsys) -> None:
    assert main([str(SEED / "page.html"), "--url", "https://example.com/a"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["site"], record["extractor"]) == ("sharepoint2013", "sharepoint2013/1")


def test_unknown_host_and_no_platform_uses_the_generic_profile(capsys, tmp_path) -> None:
    page = tmp_path / "page.html"
    text = "<p>" + "Một đoạn văn bản đủ dài của bài báo này. " * 20 + "</p>"
    page.write_text(f"<html><body><article><h1>Tiêu đề bài viết</h1>{text}</article></body></html>")
    assert main([str(page), "--url", "https://example.com/a"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["site"], record["extractor"]) == ("generic", "generic/1")


def test_missing_file(capsys, tmp_path) -> None:
    assert main([str(tmp_path / "nope.html"), "--url", URL]) == EXIT_USAGE
    assert "No such file" in capsys.readouterr().err


def test_site_option_overrides_host(capsys) -> None:
    status = main([str(SEED / "page.html"), "--url", "http://127.0.0.1:9/Lists/TinTuc/DispForm.aspx?ID=1452",
                   "--site", "bentre-city", "--fetched-at", "2026-11-20T08:00:00Z"])  # fmt: skip
    assert status == 0
    assert json.loads(capsys.readouterr().out)["source_id"] == "1452"


def test_a_page_over_download_maxsize_is_refused_before_it_is_read(capsys, tmp_path) -> None:
    from portal_scraper.settings import DOWNLOAD_MAXSIZE

    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    assert main([str(huge), "--url", URL]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert f"is {50 * 1024 * 1024} bytes" in err
    assert f"DOWNLOAD_MAXSIZE ({DOWNLOAD_MAXSIZE} bytes, 16 MB)" in err


def test_the_size_limit_is_inclusive_and_holds_for_standard_input(capsys, monkeypatch) -> None:
    import io

    from portal_scraper.tools import extract_page as cli

    page = (SEED / "page.html").read_bytes()
    args = ["--url", URL, "--fetched-at", "2026-11-20T08:00:00Z"]
    monkeypatch.setattr(cli, "DOWNLOAD_MAXSIZE", len(page))
    assert main([str(SEED / "page.html"), *args]) == 0
    capsys.readouterr()
    monkeypatch.setattr(cli, "DOWNLOAD_MAXSIZE", len(page) - 1)
    assert main([str(SEED / "page.html"), *args]) == EXIT_USAGE
    assert f"is {len(page)} bytes" in capsys.readouterr().err
    # Standard input (or a FIFO) has no size to check first: it is read up to the limit only.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["-", *args]) == EXIT_USAGE
    assert "standard input is larger than that" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "x"], "argument --url: not an absolute http(s) URL: 'x'"),
        (["--url", "ftp://h.vn/a"], "not an absolute http(s) URL"),
        (["--url", "/Lists/TinTuc/DispForm.aspx?ID=1"], "not an absolute http(s) URL"),
        (["--url", "http://[::1/a"], "argument --url: not a URL"),
        (["--url", "https://h.vn:port/a"], "argument --url: not a URL"),
        (
            ["--url", URL, "--site", "unknown"],
            "unknown site 'unknown'; known sites: bentre-city, dnn, generic, sharepoint2013",
        ),
        (["--url", URL, "--fetched-at", "yesterday"], "not an RFC 3339 UTC time"),
        ([], "the following arguments are required: --url"),
    ],
)
def test_bad_arguments_give_usage_and_exit_2(capsys, args: list[str], message: str) -> None:
    assert main([str(SEED / "page.html"), *args]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: python -m portal_scraper.tools.extract_page")
    assert message in err
    assert "Traceback" not in err


def test_bad_url_as_a_process_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal_scraper.tools.extract_page", str(SEED / "page.html"), "--url", "http://[::1"],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE
    assert "error: argument --url: not a URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_exits_0(capsys) -> None:
    assert main(["--help"]) == 0
    assert "--site {bentre-city,dnn,generic,sharepoint2013}|FILE.toml" in capsys.readouterr().out
