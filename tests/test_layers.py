"""Packages import downward only: helpers, profiles, the record, then the Scrapy glue and tools."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import portal_scraper

PACKAGE = Path(portal_scraper.__file__).parent
# Bottom first. A unit is a first-level package of portal_scraper, or a top-level module.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("normalize",),  # text, date, URL and body-HTML helpers
    ("extract",),  # site and platform profiles: (url, html) -> RawArticle
    ("record",),  # the typed record, its schema, the stages that build and check it
    ("contracts",),  # names shared by the Scrapy components: meta keys, stats keys, signals
    ("export",),  # feed files written whole
    ("crawl",),  # spider, middlewares, pipelines, ledger, state store, WARC, Redis
    ("dataset",),  # job directories read back: latest versions, exports, dataset card
    ("report",),  # the run report, built from the crawl's stats; the HTML report of a job
    ("commands", "tools", "settings"),  # what people run
    ("items", "process", "validate"),  # old module names, kept for a release (deprecated)
)
# Old paths kept for a release that must import upward to stay where they were.
DEPRECATED_SHIMS = {"portal_scraper.extract.__main__", "portal_scraper.export.report"}
LAYER_OF = {unit: level for level, units in enumerate(LAYERS) for unit in units}
MAX_LINES = 400


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "portal_scraper"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every portal_scraper module `path` imports, at run time or for type checking."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from portal_scraper import record` imports the package `record`.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "portal_scraper"}


def _graph() -> dict[str, set[tuple[str, str]]]:
    """unit -> {(imported unit, importing module)}."""
    graph: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for target in _imports(path):
            if target == "portal_scraper" or _unit(target) not in _units():
                continue  # the root package itself, or `from pkg import name` of a non-module
            if _unit(target) != _unit(module):
                graph[_unit(module)].add((_unit(target), module))
    return graph


def _units() -> set[str]:
    names = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    return names | {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def test_every_unit_has_a_layer() -> None:
    assert _units() - {"portal_scraper"} <= set(LAYER_OF), "add the new package to LAYERS"


def test_packages_import_downward_only() -> None:
    upward = [
        f"{module} imports {target} (layer {LAYER_OF[target]} > {LAYER_OF[unit]})"
        for unit, edges in _graph().items()
        for target, module in sorted(edges)
        if LAYER_OF[target] > LAYER_OF[unit] and module not in DEPRECATED_SHIMS
    ]
    assert upward == []


def test_no_cycle_between_packages() -> None:
    graph = {
        unit: {target for target, module in edges if module not in DEPRECATED_SHIMS}
        for unit, edges in _graph().items()
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert [unit for unit in graph if reaches(unit, unit, {unit})] == []


def test_no_module_is_over_the_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_deprecated_shims_only_re_export() -> None:
    for name in DEPRECATED_SHIMS:
        path = PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)], name


def test_the_profiles_and_the_record_never_import_scrapy() -> None:
    for unit in ("normalize", "extract", "record"):
        for path in (PACKAGE / unit).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
            names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
            assert not [n for n in names if n.split(".")[0] in ("scrapy", "twisted")], path
