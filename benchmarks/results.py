"""Writing one benchmark's section of RESULTS.md between its markers, the rest left as it is."""

from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    """The start and end markers of section `name`."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(path: Path, section: str, start: str, end: str) -> None:
    """Replace the marked section of `path` (or append it); the rest of the file stays."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in old:
        old = old[: old.index(start)] + section.rstrip("\n") + old[old.index(end) + len(end) :]
    else:
        old = old.rstrip("\n") + "\n\n" + section
    path.write_text(old, encoding="utf-8")
