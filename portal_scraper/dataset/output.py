"""Files written under temporary names beside their targets, renamed only when all are whole."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType


class Staged:
    """Temporary files for an export and its companions; `commit` renames them, the export last.

    Used as a context manager: leaving it without `commit` (an error, a full disk) removes the
    temporary files, so a half-written export never sits under the name of a complete one.
    """

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def temp_for(self, target: Path) -> Path:
        """A temporary path in the target's directory (a rename there cannot cross devices)."""
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        self._pairs.append((temp, target))
        return temp

    def commit(self) -> None:
        """Sync each temporary file and rename it to its target, the first one registered last."""
        for temp, target in [*self._pairs[1:], *self._pairs[:1]]:
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
            temp.replace(target)
        for directory in {target.parent for _, target in self._pairs}:
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self._pairs = []

    def discard(self) -> None:
        """Remove every temporary file not yet renamed (and SQLite's journal beside it)."""
        for temp, _ in self._pairs:
            for path in (temp, temp.with_name(temp.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        self._pairs = []

    def __enter__(self) -> Staged:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()
