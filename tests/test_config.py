"""The project's settings: one prefix, resolved once, the old names kept for a release."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import Settings

import portal_scraper.settings as project_settings
from portal_scraper.contracts.config import (
    RENAMED,
    PortalConfig,
    config,
    from_environment,
    setting_name,
    upgrade_settings,
)
from tests.support import PROJECT_DIR


def test_the_settings_module_gives_the_defaults_the_config_has() -> None:
    defined = {name: getattr(project_settings, name) for name in dir(project_settings)}
    for spec in dataclasses.fields(PortalConfig):
        name = setting_name(spec.name)
        if name in defined:
            value = defined[name]
            assert PortalConfig.from_settings(Settings({name: value})) == PortalConfig(), name
            assert (tuple(value) if isinstance(value, tuple) else value) == spec.default, name
    assert not [n for n in defined if n in RENAMED], "old names stay out of settings.py"


def test_values_are_typed_from_command_line_strings() -> None:
    own = PortalConfig.from_settings(
        Settings({
            "PORTAL_STATE_PATH": "job/state.sqlite", "PORTAL_FEED_FSYNC": "True",
            "PORTAL_LISTING_MAX_PAGES": "7", "PORTAL_REPORT_MAX_REJECT_RATE": "0.5",
            "PORTAL_GC_THRESHOLD": "100,5", "PORTAL_WARC_DIR": "",
        })
    )  # fmt: skip
    assert own.state_path == "job/state.sqlite" and own.feed_fsync is True
    assert own.listing_max_pages == 7 and own.report_max_reject_rate == 0.5
    assert own.gc_threshold == ("100", "5")  # checked by the GC extension, which says why
    assert own.warc_dir is None


def test_an_old_name_still_works_with_a_warning_and_the_new_name_wins() -> None:
    settings = Settings({"STATE_PATH": "old.sqlite"}, priority="cmdline")
    with pytest.warns(ScrapyDeprecationWarning, match="STATE_PATH is now PORTAL_STATE_PATH"):
        assert upgrade_settings(settings) == ["STATE_PATH"]
    assert PortalConfig.from_settings(settings).state_path == "old.sqlite"
    assert upgrade_settings(settings) == []  # moved once, said once
    both = Settings({"STATE_PATH": "old.sqlite"}, priority="project")
    both.set("PORTAL_STATE_PATH", "new.sqlite", priority="cmdline")
    with pytest.warns(ScrapyDeprecationWarning):
        upgrade_settings(both)
    assert PortalConfig.from_settings(both).state_path == "new.sqlite"
    same = Settings({"STATE_PATH": "old.sqlite", "PORTAL_STATE_PATH": "new.sqlite"}, "cmdline")
    with pytest.warns(ScrapyDeprecationWarning):
        upgrade_settings(same)
    assert PortalConfig.from_settings(same).state_path == "new.sqlite"
    # A settings module that imports ours (PORTAL_ defaults) and sets an old name: the old name.
    module = Settings({"PORTAL_STATE_PATH": None, "PORTAL_LISTING_MAX_PAGES": 10_000}, "project")
    module.setdict({"STATE_PATH": "mine.sqlite", "LISTING_MAX_PAGES": 5}, "project")
    with pytest.warns(ScrapyDeprecationWarning):
        upgrade_settings(module)
    assert PortalConfig.from_settings(module).state_path == "mine.sqlite"
    assert PortalConfig.from_settings(module).listing_max_pages == 5


def test_the_config_is_resolved_once_per_crawler() -> None:
    class Holder:
        settings = Settings({"PORTAL_LISTING_MAX_PAGES": 3})

    holder = Holder()
    first = config(holder)
    holder.settings.set("PORTAL_LISTING_MAX_PAGES", 9)
    assert config(holder) is first and first.listing_max_pages == 3


def test_an_old_environment_variable_still_works_with_a_warning(monkeypatch) -> None:
    monkeypatch.delenv("PORTAL_REDIS_JOB", raising=False)
    monkeypatch.setenv("REDIS_JOB", "bentre")
    with pytest.warns(ScrapyDeprecationWarning, match="REDIS_JOB is now PORTAL_REDIS_JOB"):
        assert from_environment("REDIS_JOB") == "bentre"
    monkeypatch.setenv("PORTAL_REDIS_JOB", "tinh")
    assert from_environment("REDIS_JOB") == "tinh"


def test_a_crawl_given_an_old_name_uses_it_and_says_so(tmp_path) -> None:
    """`scrapy crawl -s REPORT_PATH=...` still writes the report, and the log says the new name."""
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "start_url=http://127.0.0.1:9/",
         "-O", str(tmp_path / "a.jsonl"), "-s", f"REPORT_PATH={report}", "-s", "RETRY_TIMES=0",
         "-s", "ROBOTSTXT_OBEY=False"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "REPORT_PATH is now PORTAL_REPORT_PATH" in result.stderr
    assert report.is_file(), result.stderr[-2000:]
