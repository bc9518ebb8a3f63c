"""`python -m portal_scraper.extract PAGE --url URL` prints one record for a saved page."""

import json
import subprocess
import sys

from portal_scraper.extract.__main__ import EXIT_REJECT, EXIT_USAGE, main
from portal_scraper.tools.fixtures import FIXTURES_DIR

SEED = FIXTURES_DIR / "bentre-city" / "seed-1452"
URL = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"


def test_prints_one_record_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal_scraper.extract", str(SEED / "page.html"), "--url", URL,
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


def test_unknown_host_uses_the_generic_profile(capsys) -> None:
    assert main([str(SEED / "page.html"), "--url", "https://example.com/a"]) == 0
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
