"""Old module paths, class paths and the old extract command work for one more release, warning."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from scrapy.exceptions import ScrapyDeprecationWarning

from portal_scraper.record.model import ArticleRecord
from tests.support import FIXTURES_DIR
from tests.support.records import record as make_record

SEED = FIXTURES_DIR / "bentre-city" / "seed-1452"
URL = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("portal_scraper.items", "ArticleItem"),
        ("portal_scraper.process", "process_page"),
        ("portal_scraper.validate", "validate_record"),
        ("portal_scraper.export.report", "RunReport"),
    ],
)
def test_an_old_module_path_still_imports_with_a_warning(module: str, name: str) -> None:
    sys.modules.pop(module, None)
    with pytest.warns(ScrapyDeprecationWarning, match="is now"):
        loaded = importlib.import_module(module)
    assert getattr(loaded, name)


def test_the_old_pipeline_names_still_run_the_stages() -> None:
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from portal_scraper.crawl.pipelines import ExtractPipeline, NormalizePipeline, StagesPipeline

    crawler = SimpleNamespace(stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    with pytest.warns(ScrapyDeprecationWarning, match="ExtractPipeline is now StagesPipeline"):
        extract = ExtractPipeline.from_crawler(crawler)  # type: ignore[arg-type]
    assert isinstance(extract, StagesPipeline)
    with pytest.warns(ScrapyDeprecationWarning, match="NormalizePipeline"):
        normalize = NormalizePipeline.from_crawler(crawler)  # type: ignore[arg-type]
    item = make_record()
    assert normalize.process_item(item) is item


def test_the_old_extract_command_still_prints_the_record() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal_scraper.extract", str(SEED / "page.html"), "--url", URL],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "portal-extract" in result.stderr
    assert ArticleRecord.from_dict(__import__("json").loads(result.stdout)).source_id == "1452"


def test_a_pipeline_written_for_dict_records_still_reads_and_sets_fields() -> None:
    item = make_record()
    item["title"] = item["title"] + "!"
    assert item.get("title") == "Tin!" and "title" in item and item.get("nope") is None
    assert dict(item)["title"] == "Tin!"
    with pytest.raises(KeyError):
        item["nope"] = 1
