"""The tools users run work from an installed package: no path into a checkout, data they read is
package data or a folder given with `--fixtures`."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

import portal_scraper
from portal_scraper.record.schema import schema
from portal_scraper.tools import demo, demo_portal, fixtures
from portal_scraper.tools.demo_portal import DemoPortal
from tests.support import FIXTURES_DIR, PROJECT_DIR

PACKAGE_DIR = Path(portal_scraper.__file__).parent


def test_package_data_globs_name_files_that_exist() -> None:
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["portal_scraper"]
    for pattern in globs:
        assert list(PACKAGE_DIR.glob(pattern)), f"package-data {pattern!r} matches no file"
    # What ships as package data is read through importlib.resources.
    assert schema()["title"]


def test_the_package_neither_imports_tests_nor_finds_the_checkout() -> None:
    for path in PACKAGE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "tests", path
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "tests" for a in node.names), path
            if isinstance(node, ast.Attribute) and node.attr == "parents":
                pytest.fail(f"{path}: `.parents` of a module path assumes a checkout")


@pytest.mark.parametrize(
    "main",
    [
        lambda a: demo_portal.main([*a, "--port", "0"]),
        lambda a: demo.main(a),
        lambda a: fixtures.main(["list", *a]),
        lambda a: fixtures.main(["update", *a]),
    ],
    ids=["demo_portal", "demo", "fixtures list", "fixtures update"],
)
def test_a_missing_fixtures_folder_is_a_usage_error_naming_the_flag(
    main, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./fixtures here
    for args in ([], ["--fixtures", str(tmp_path / "nowhere")]):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code == 2
        assert "--fixtures DIR" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_empty_fixtures_folder_is_a_usage_error(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        fixtures.main(["list", "--fixtures", str(tmp_path)])
    assert stop.value.code == 2
    assert "--fixtures" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        demo_portal.main(["--fixtures", str(tmp_path), "--port", "0"])
    assert "has no bentre-city/seed-1452/page.html" in capsys.readouterr().err


def test_the_portal_reads_the_folder_it_is_given_from_any_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    portal = DemoPortal(FIXTURES_DIR)
    assert len(portal.expected_article_ids()) == 35
    assert portal.non_article_ids() == {1399}
    with pytest.raises(FileNotFoundError, match="--fixtures DIR"):
        DemoPortal(tmp_path / "nowhere")


def test_fixtures_list_from_another_directory(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert fixtures.main(["list", "--fixtures", str(FIXTURES_DIR)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(fixtures.cases(FIXTURES_DIR)) >= 14
    assert all(line.startswith("same ") for line in lines)
