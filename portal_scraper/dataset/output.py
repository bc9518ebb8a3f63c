"""Files written under temporary names beside their targets, renamed only when all are whole."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from types import TracebackType

# SQLite keeps a rollback journal beside a database it writes: NAME-journal.
JOURNAL = "-journal"


class Staged:
    """Temporary files for an export and its companions; `commit` renames them, the export last.

    Used as a context manager: leaving it without `commit` (an error, a full disk) removes the
    temporary files, so a half-written export never sits under the name of a complete one.
    """

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def temp_for(self, target: Path) -> Path:
        """A temporary path in the target's directory (a rename there cannot cross devices);
        the temporary files of `target` that killed exports left there are removed first."""
        remove_stale_temps(target)
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
            for path in (temp, temp.with_name(temp.name + JOURNAL)):
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


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove `target`'s temporary files (`.NAME.PID.tmp`, and SQLite's journal beside one) of
    processes no longer running: an export killed with SIGKILL cannot remove its own. One of a
    running process may be another export of the same file, writing now: it is left alone (so
    is one whose PID a new process took). One of this process's own PID is stale (it is made
    only here, after this call): a killed export's PID used again. Returns what was removed."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.tmp(?:{JOURNAL})?")
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for path in target.parent.iterdir():
            found = pattern.fullmatch(path.name)
            if found is None:
                continue
            pid = int(found.group(1))
            if pid != os.getpid() and _running(pid):
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether a process `pid` exists (signal 0 checks without sending anything)."""
    if pid <= 0:
        return True  # 0 or a group: not a process id that an export's name holds; keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False  # no process has such a number
    return True
