"""`scrapy newsite` without the network: saved pages, bad input, the TOML it writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal_scraper.extract import parse_html
from portal_scraper.extract.sites import load_site, site_from_dict
from portal_scraper.record.stages import process_page
from portal_scraper.tools import demo_portal_dnn, new_site, site_review, site_sample
from portal_scraper.tools.fixtures import Case
from tests.support import PROJECT_DIR, free_port
from tests.support.flaky_proxy import every, flaky, paths

BASE = "https://so-thu.example.gov.vn"
# A DNN skin: an ASP.NET form, module controls named dnn_ctr..._.
SKIN = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - Sở Thử Nghiệm</title>{canonical}</head><body>'
    '<form method="post" action="/" id="Form"><input type="hidden" name="__VIEWSTATE" value="x" />'
    '<div id="dnn_dnnMenu" class="dnnMenu"><ul><li><a href="/tin-tuc.aspx">Tin tức</a></li></ul></div>'
    '<div id="dnn_ContentPane">{content}</div></form></body></html>'
)


def article(n: int, canonical: bool = True) -> str:
    body = "".join(
        f"<p>Đoạn {k} của bài {n}: nội dung thử nghiệm viết tay, có dấu tiếng Việt và đủ dài để là một bài báo thật sự.</p>"
        for k in range(4)
    )
    content = (
        f'<div class="DnnModule"><h1 id="dnn_ctr456_ArticleView_lblTitle">Bài viết thử nghiệm số {n} về chuyển đổi số</h1>'
        f'<div id="dnn_ctr456_ArticleView_lblDate">Ngày đăng: 1{n}/03/2024 08:30</div>'
        f'<div id="dnn_ctr456_ArticleView_lblContent">{body}</div>'
        f'<div id="dnn_ctr456_ArticleView_lblAuthor">Tác giả: Nguyễn Văn An</div></div>'
    )
    link = (
        f'<link rel="canonical" href="{BASE}/tin-tuc/ArticleId/{n}/bai-{n}.aspx">'
        if canonical
        else ""
    )
    return SKIN.format(title=f"Bài {n}", canonical=link, content=content)


def listing() -> str:
    items = "".join(
        f'<div class="DNNModuleContent"><h3><a href="/tin-tuc/ArticleId/{n}/bai-{n}.aspx">Bài viết thử nghiệm số {n} về chuyển đổi số</a></h3></div>'
        for n in (1, 2, 3)
    )
    return SKIN.format(title="Tin tức", canonical="", content=items)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n in (1, 2, 3):
        (folder / f"bai-{n}.html").write_text(article(n), encoding="utf-8")
    (folder / "tin-tuc.aspx.html").write_text(listing(), encoding="utf-8")
    for file in folder.iterdir():
        os.utime(file, (1710000000, 1710000000))  # fetch times from the files, fixed
    return folder


def test_saved_pages_give_a_site_file_and_fixtures(pages, tmp_path, capsys) -> None:
    out = tmp_path / "draft"
    code = new_site.main(
        ["--pages", str(pages), "--base-url", BASE, "--out", str(out), "--id", "so-thu"]
    )
    assert code == 0, capsys.readouterr().err
    site = load_site(out / "sites" / "so-thu.toml")
    assert site.platform.id == "dnn"
    assert site.hosts == ("so-thu.example.gov.vn",)
    assert site.listing_paths == ("/tin-tuc.aspx.html",)
    assert site.time_zone == "+07:00"
    assert site.required_fields == ("title", "published_at", "body_text", "source_id")
    cases = sorted((out / "fixtures" / "so-thu").iterdir())
    assert [c.name for c in cases] == ["bai-1", "bai-2", "bai-3"]
    for case in cases:
        saved = Case(case)
        expected = saved.expected()
        assert expected["title"].startswith("Bài viết thử nghiệm số")
        assert expected["published_at"].endswith("+07:00")
        assert expected["fetched_at"] == "2024-03-09T16:00:00Z"
        # The case gives the same record with the drafted site.
        assert process_page(saved.page(), site).to_dict() == expected
    table = capsys.readouterr().out
    assert "title          3/3" in table and "summary        0/3  <- none" in table


def test_pages_without_canonical_need_a_base_url(tmp_path, capsys) -> None:
    (tmp_path / "a.html").write_text(article(1, canonical=False), encoding="utf-8")
    assert new_site.main(["--pages", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "give --base-url" in capsys.readouterr().err


def test_an_empty_folder_is_a_clear_error(tmp_path, capsys) -> None:
    assert new_site.main(["--pages", str(tmp_path), "--base-url", BASE]) == 2
    assert "no saved pages" in capsys.readouterr().err


def test_an_existing_site_file_is_kept_without_force(pages, tmp_path, capsys) -> None:
    out = tmp_path / "draft"
    args = ["--pages", str(pages), "--base-url", BASE, "--out", str(out), "--id", "so-thu"]
    assert new_site.main(args) == 0
    target = out / "sites" / "so-thu.toml"
    target.write_text(target.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    assert new_site.main(args) == 2
    assert "exists" in capsys.readouterr().err and "--force" in target.read_text() + "--force"
    assert target.read_text(encoding="utf-8").endswith("# reviewed\n")
    assert new_site.main([*args, "--force"]) == 0
    assert not target.read_text(encoding="utf-8").endswith("# reviewed\n")


def test_an_unreachable_portal_is_a_clear_error(tmp_path, capsys) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    assert new_site.main([url, "--out", str(tmp_path), "--delay", "0"]) == 1
    err = capsys.readouterr().err
    assert "cannot fetch the home page" in err and "127.0.0.1" in err
    assert not (tmp_path / "sites").exists()


@pytest.mark.parametrize(
    "argv", [[], ["not-a-url"], ["ftp://x.vn/"], ["http://x.vn/", "--samples", "0"]]
)
def test_bad_arguments_exit_2(argv, capsys) -> None:
    assert new_site.main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_the_toml_writer_reads_back() -> None:
    data = {
        "id": "x", "platform": "dnn", "hosts": ["a.gov.vn"],
        "name": 'Cổng "thử" \\ nghiệm\t\x7f\x01 — ok',
        "listing_paths": ["/a.aspx?b=1&c=\"2\""],
        "selectors": {"listing_link": "#dnn_ctr1 a[href], a[title='x']"},
    }  # fmt: skip
    text = new_site.toml_text(data, "header line\nsecond")
    assert tomllib.loads(text) == data
    site_from_dict(tomllib.loads(text), "t.toml")


@pytest.fixture
def dnn_demo() -> Iterator[tuple[str, demo_portal_dnn.DnnPortal]]:
    with demo_portal_dnn.running() as served:
        yield served


@pytest.fixture
def quick_retries(monkeypatch) -> None:
    monkeypatch.setattr(site_sample, "BACKOFF", 0.01)


def draft_of(base: str, out: Path, *extra: str) -> int:
    return new_site.main([f"{base}/", "--out", str(out), "--id", "demo", "--delay", "0", *extra])


def listing_counts(site_path: Path, base: str) -> dict[str, int]:
    """Article links each category's first page shows under the drafted site file."""
    site = load_site(site_path)
    counts = {}
    for path in demo_portal_dnn.CATEGORIES:
        with urllib.request.urlopen(base + path) as response:
            doc = parse_html(response.read().decode("utf-8"))
        counts[path] = len(site.parse_listing(base + path, doc).articles)
    return counts


def test_one_sample_still_drafts_the_article_paths_of_every_listing(
    dnn_demo, tmp_path, capsys
) -> None:
    """The article paths come from every listing's links, not only from the samples'."""
    base, _portal = dnn_demo
    assert draft_of(base, tmp_path, "--samples", "1") == 0, capsys.readouterr().err
    site_path = tmp_path / "sites" / "demo.toml"
    data = tomllib.loads(site_path.read_text(encoding="utf-8"))
    assert data["listing_paths"] == list(demo_portal_dnn.CATEGORIES)
    assert data["article_paths"] == ["/tin-tuc/chi-tiet/", "/thong-bao/chi-tiet/"]
    assert listing_counts(site_path, base) == {"/tin-tuc.aspx": 5, "/thong-bao.aspx": 5}
    out = capsys.readouterr().out
    assert re.search(r"^/tin-tuc\.aspx +5$", out, re.M) and re.search(
        r"^/thong-bao\.aspx +5$", out, re.M
    ), out


def test_a_listing_without_article_links_under_the_draft_is_flagged(dnn_demo, tmp_path) -> None:
    base, _portal = dnn_demo
    survey = site_sample.survey_portal(site_sample.Fetcher(f"{base}/", delay=0), f"{base}/", 1)
    data = {**new_site.site_data(survey, "demo"), "article_paths": ["/tin-tuc/chi-tiet/"]}
    site = site_from_dict(data, "demo.toml")
    text, warnings = site_review.review(site, survey, tmp_path)
    assert re.search(r"^/thong-bao\.aspx +0  <- none: a crawl reads no article", text, re.M)
    assert re.search(r"^/tin-tuc\.aspx +5$", text, re.M)
    assert warnings == ["listing /thong-bao.aspx has no article link"]
    assert "WARNING: listing /thong-bao.aspx has no article link" in text


def test_transient_server_errors_are_tried_again(dnn_demo, tmp_path, capsys, quick_retries):
    """Every second request a 500: each is tried again, the draft is whole."""
    with flaky(dnn_demo[0], every(2)) as (base, failed):
        assert draft_of(base, tmp_path) == 0, capsys.readouterr().err
    assert len(failed) >= 3
    data = tomllib.loads((tmp_path / "sites" / "demo.toml").read_text(encoding="utf-8"))
    assert data["listing_paths"] == list(demo_portal_dnn.CATEGORIES)
    assert data["article_paths"] == ["/tin-tuc/chi-tiet/", "/thong-bao/chi-tiet/"]
    assert len(list((tmp_path / "fixtures" / "demo").iterdir())) == 5


def test_a_menu_listing_that_keeps_failing_is_kept_and_the_draft_is_incomplete(
    dnn_demo, tmp_path, capsys, quick_retries
) -> None:
    with flaky(dnn_demo[0], paths("/thong-bao.aspx")) as (base, failed):
        code = draft_of(base, tmp_path)
    out, err = capsys.readouterr()
    assert code == site_review.EXIT_INCOMPLETE == 3, err
    assert failed == ["/thong-bao.aspx"] * 3  # tried twice more
    data = tomllib.loads((tmp_path / "sites" / "demo.toml").read_text(encoding="utf-8"))
    assert data["listing_paths"] == list(demo_portal_dnn.CATEGORIES)  # kept, in menu order
    assert re.search(r"^/thong-bao\.aspx +-  <- not read: HTTP 500 \(3 tries\)", out, re.M), out
    assert "WARNING: menu page /thong-bao.aspx not read (HTTP 500 (3 tries))" in out
    assert err.startswith("warning: the draft is incomplete") and "exit 3" in err


def test_a_request_cap_that_stops_the_survey_is_said(dnn_demo, tmp_path, capsys) -> None:
    assert draft_of(dnn_demo[0], tmp_path, "--max-requests", "4") == 1
    assert "lien-he.aspx: not fetched: --max-requests 4 reached" in capsys.readouterr().err


def readme_section(title: str) -> str:
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    return text[start : text.index("\n## ", start + 1)]


def test_help_lists_every_option_the_readme_names() -> None:
    # Options of other commands the section shows (scrapy crawl / archive ...) are theirs.
    text = re.sub(r"scrapy (crawl|archive)[^`\n]*", "", readme_section("Adding a portal"))
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))
    assert {"--max-requests", "--delay", "--samples", "--pages", "--force"} <= named
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    shown = subprocess.run(
        [sys.executable, "-m", "scrapy", "newsite", "--help"], cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    usage = shown[: shown.index("Options")]
    for option in named - {"--help"}:
        assert option in usage, f"{option} not in the usage line"
        assert re.search(rf"^\s+{option}\b", shown, re.M), f"{option} not in --help"
    assert "3 drafted but incomplete" in " ".join(shown.split())
