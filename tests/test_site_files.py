"""Site files: loaded and checked (errors name the file and key), selector overrides applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_scraper.crawl.spiders.arguments import parse_arguments
from portal_scraper.extract import (
    SiteFileError,
    get_profile,
    load_site,
    parse_html,
    profile_for_url,
)
from portal_scraper.extract.base import NotAnArticle
from portal_scraper.extract.sites import SITES_ENV, bundled_site_files, site_from_dict
from portal_scraper.record.stages import process_page
from portal_scraper.tools.fixtures import cases
from tests.support import FIXTURES_DIR

VALID = {"id": "so-khcn", "platform": "dnn", "hosts": ["sokhcn.example.gov.vn"]}
DNN_SEED = FIXTURES_DIR / "dnn" / "ngay-dang-photo-1234"


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bentre_city_is_a_bundled_site_file_over_sharepoint() -> None:
    assert [f.name for f in bundled_site_files()] == ["bentre-city.toml"]
    site = get_profile("bentre-city")
    assert site.platform.id == "sharepoint2013"  # type: ignore[attr-defined]
    assert (site.extractor, site.utc_offset) == ("bentre-city/1", "+07:00")
    assert profile_for_url("https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1") is site
    assert site.is_article_url("https://tpbentre.bentre.gov.vn/lists/tintuc/dispform.aspx?ID=1")
    assert not site.is_article_url("https://tpbentre.bentre.gov.vn/Lists/VanBan/DispForm.aspx?ID=1")
    assert "portal" in site.required_fields


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        ({"platform": "wordpress"}, "platform", "unknown platform 'wordpress'"),
        ({"hosts": "sokhcn.example.gov.vn"}, "hosts", "must be a list of strings"),
        ({"hosts": []}, "hosts", "at least one host"),
        ({"id": "Sở KHCN"}, "id", "lowercase"),
        ({"listing_paths": ["tin-tuc"]}, "listing_paths", "must be a path starting with /"),
        ({"base_url": "ftp://x"}, "base_url", "not an absolute http(s) URL"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "no time zone"),
        ({"time_zone": "Europe/Paris"}, "time_zone", "changes offset"),
        ({"required_fields": ["titel"]}, "required_fields", "'titel' is no record field"),
        ({"selectors": {"headline": "h1"}}, "selectors.headline", "no such selector on dnn"),
        (
            {"selectors": {"title": {"xpath": "//h1[", "css": "h1"}}},
            "selectors.title",
            "exactly one",
        ),
        ({"selectors": {"title": {"xpath": "//h1["}}}, "selectors.title", "invalid xpath"),
        ({"selectors": {"title": {"css": "h1[["}}}, "selectors.title", "invalid css"),
        ({"listing_path": ["/tin-tuc"]}, "listing_path", "unknown key"),
    ],
)
def test_errors_name_the_file_and_key(change, key, problem) -> None:
    with pytest.raises(SiteFileError) as error:
        site_from_dict({**VALID, **change}, "sites/so-khcn.toml")
    assert error.value.key == key
    assert str(error.value).startswith(f"sites/so-khcn.toml: {key}: ")
    assert problem in str(error.value)


def test_missing_key_and_bad_toml(tmp_path: Path) -> None:
    path = write(tmp_path, 'id = "so-khcn"\nplatform = "dnn"\n')
    with pytest.raises(SiteFileError, match=r"site\.toml: hosts: missing \(required\)"):
        load_site(path)
    path = write(tmp_path, 'id = "so-khcn\n')
    with pytest.raises(SiteFileError, match=r"site\.toml: not valid TOML"):
        load_site(path)


def test_time_zone_by_name_and_defaults() -> None:
    site = site_from_dict({**VALID, "time_zone": "Asia/Ho_Chi_Minh"})
    assert site.utc_offset == "+07:00"
    assert site.base_url == "https://sokhcn.example.gov.vn"
    assert site.required_fields == ("title", "body_text")


def test_selector_overrides_are_applied(tmp_path: Path) -> None:
    """A field the platform rules get wrong is read where the site file says."""
    case = next(c for c in cases(FIXTURES_DIR) if c.path == DNN_SEED)
    plain = process_page(case.page(), get_profile("dnn")).to_dict()
    path = write(
        tmp_path,
        'id = "so-khcn"\nplatform = "dnn"\nhosts = ["sokhcn.example.gov.vn"]\n'
        'time_zone = "+07:00"\nrequired_fields = ["title", "published_at", "body_text"]\n'
        "[selectors]\n"
        'summary = ".news-meta"\n'  # a CSS string
        "title = { xpath = \"//span[contains(@id, '_lblDate')]\" }\n"
        # In the module a CSS selector finds nothing outside it; "//" searches the page.
        "byline = { xpath = \"//span[@id='dnn_dnnCopyright_lblCopyright']\" }\n",
    )
    site = load_site(path)
    record = process_page(case.page(), site).to_dict()
    assert record["title"] == "Ngày đăng: 12/03/2024 08:30"
    assert record["summary"] == "Ngày đăng: 12/03/2024 08:30 Lượt xem: 1.234"
    assert record["authors"] == ["Copyright 2024 by Sở KHCN"]
    assert (record["site"], record["extractor"]) == ("so-khcn", "so-khcn/1")
    # Every other field as the platform reads it.
    changed = {k for k in plain if plain[k] != record[k]}
    assert changed == {"title", "summary", "authors", "site", "extractor"}
    # The platform's own profile is untouched by the site's overrides.
    assert process_page(case.page(), get_profile("dnn")).to_dict() == plain


def test_site_given_as_a_file_and_sites_folder(tmp_path: Path, monkeypatch) -> None:
    text = 'id = "so-khcn"\nplatform = "dnn"\nhosts = ["sokhcn.example.gov.vn"]\n'
    text += 'listing_paths = ["/tin-tuc-su-kien"]\n'
    path = write(tmp_path, text, "so-khcn.toml")
    arguments = parse_arguments(site=str(path))
    assert arguments.profile.id == "so-khcn"
    assert arguments.base_url == "https://sokhcn.example.gov.vn/"
    with pytest.raises(SiteFileError, match=r"nope\.toml: cannot be read"):
        get_profile(str(tmp_path / "nope.toml"))
    monkeypatch.setenv(SITES_ENV, str(tmp_path))
    assert get_profile("so-khcn").id == "so-khcn"
    assert profile_for_url("https://sokhcn.example.gov.vn/tin-tuc-su-kien").id == "so-khcn"
    assert get_profile("bentre-city").id == "bentre-city"  # the package's are still there


def test_a_site_over_the_platform_reads_the_listing() -> None:
    site = site_from_dict({**VALID, "listing_paths": ["/tin-tuc-su-kien"]})
    html = (FIXTURES_DIR / "dnn-listings" / "tin-tuc-su-kien-p1.html").read_text(encoding="utf-8")
    listing = site.parse_listing("https://sokhcn.example.gov.vn/tin-tuc-su-kien", parse_html(html))
    assert len(listing.articles) == 4 and len(listing.postbacks) == 3


SP_ARTICLE = FIXTURES_DIR / "bentre-city" / "attachments-1447"
SP = {"id": "t1", "platform": "sharepoint2013", "hosts": ["tpbentre.bentre.gov.vn"]}


@pytest.mark.parametrize(
    ("site", "selectors", "named", "not_named"),
    [
        (SP, {"title": "h1.nonexistent"}, "title 'h1.nonexistent' (site file)", "h1.news-title"),
        (SP, {"article": "div.nothing"}, "article 'div.nothing' (site file)", "div.news-detail"),
        (SP, {"body": "div.nonexistent"}, "body 'div.nonexistent' (site file)", "news-content"),
        (VALID, {"title": {"xpath": "//h6"}}, "title '//h6' (site file)", "lblTitle"),
        (VALID, {"body": "div.nonexistent"}, "body 'div.nonexistent' (site file)", "divContent"),
    ],
)
def test_a_reject_names_the_selector_the_site_file_gave(site, selectors, named, not_named) -> None:
    """An override that matches nothing is named in the reason, not the platform's default."""
    seed = SP_ARTICLE if site is SP else DNN_SEED
    case = next(c for c in cases(FIXTURES_DIR) if c.path == seed)
    result = process_page(case.page(), site_from_dict({**site, "selectors": selectors}))
    assert result.to_dict()["stage"] == "extract", result
    reason = result.to_dict()["reason"]
    assert named in reason and not_named not in reason, reason


def test_a_reject_names_the_platforms_own_selector_without_an_override() -> None:
    page = process_page(
        next(c for c in cases(FIXTURES_DIR) if c.path == SP_ARTICLE).page(),
        site_from_dict({**SP, "selectors": {"article": "div.news-detail"}}),
    )
    assert page.to_dict().get("title")  # an override equal to the default reads the page
    doc = "<html><body><div class='news-detail'><p>x</p></div></body></html>"
    with pytest.raises(NotAnArticle, match=r"title 'h1\.news-title' in article"):
        get_profile("sharepoint2013").extract("https://x.gov.vn/a", parse_html(doc))
