"""`scrapy newsite` without the network: saved pages, bad input, the TOML it writes."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from portal_scraper.extract.sites import load_site, site_from_dict
from portal_scraper.record.stages import process_page
from portal_scraper.tools import new_site
from portal_scraper.tools.fixtures import Case
from tests.support import free_port

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
