"""Feed storage that writes each exported line whole, and the repair of a file a crash cut.

A reader (or a crash) never meets half a line in the middle of the file: every record reaches
the file whole, in unbuffered writes on an append-mode descriptor that go on until every byte is
written. A line cut by a kill can only be the last one, and `repair_tail` removes it before the
next run appends; `drop_bad_lines` removes any other line that is not JSON.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.spiders import Spider

from portal_scraper.contracts.jobdir import DAMAGED_SUFFIX


class FullWriteFile(io.FileIO):
    """A raw file whose `write` writes every byte or raises (one raw write may stop short)."""

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            count = super().write(view[done:])
            if not count:
                raise OSError(f"no progress writing {self.name}")
            done += count
        return done


class LineAtomicFileStorage(FileFeedStorage):
    """`FileFeedStorage` without a write buffer, whose writes never stop half-way silently."""

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return FullWriteFile(path, self.write_mode.replace("b", ""))


def repair_tail(path: Path) -> int:
    """Cut an incomplete last line (no final newline) off `path`; return the bytes removed."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("r+b") as handle:
        size = handle.seek(0, 2)
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        # Walk back to the last newline; everything after it is the cut line.
        position = size
        while position > 0:
            step = min(65536, position)
            handle.seek(position - step)
            chunk = handle.read(step)
            index = chunk.rfind(b"\n")
            if index >= 0:
                keep = position - step + index + 1
                handle.truncate(keep)
                return size - keep
            position -= step
        handle.truncate(0)
        return size


def drop_bad_lines(path: Path, start: int = 0) -> int:
    """Move lines after byte `start` that are not JSON objects to `<path>.damaged`; return
    how many. The file is rewritten (atomically) only when there is one."""
    if not path.exists() or path.stat().st_size <= start:
        return 0
    bad: list[bytes] = []
    with path.open("rb") as handle:
        handle.seek(start)
        for line in handle:
            if not _json_object(line):
                bad.append(line)
    if not bad:
        return 0
    partial = path.with_name(path.name + ".repair")
    try:
        with path.open("rb") as source, partial.open("wb") as target:
            head = start
            while head > 0:
                chunk = source.read(min(head, 1 << 20))
                target.write(chunk)
                head -= len(chunk)
            for line in source:
                if _json_object(line):
                    target.write(line)
            target.flush()
            os.fsync(target.fileno())
        with path.with_name(path.name + DAMAGED_SUFFIX).open("ab") as damaged:
            damaged.writelines(line if line.endswith(b"\n") else line + b"\n" for line in bad)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # a full disk: the file stays as it was, the run fails
        raise
    return len(bad)


def _json_object(line: bytes) -> bool:
    if not line.strip():
        return True  # a blank line is harmless
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def whole_lines_end(path: Path) -> int:
    """The byte just after the file's last whole line (0 when there is none or no file): where
    the next run appends, once `repair_tail` has cut an incomplete last line."""
    try:
        with path.open("rb") as handle:
            position = handle.seek(0, 2)
            while position > 0:
                step = min(65536, position)
                handle.seek(position - step)
                index = handle.read(step).rfind(b"\n")
                if index >= 0:
                    return position - step + index + 1
                position -= step
    except FileNotFoundError:
        pass
    return 0


def lines_from(path: Path, start: int) -> tuple[int, bool]:
    """The whole lines of `path` after byte `start` (blank ones not counted), and whether an
    incomplete last line follows them (cut by a kill: removed at the next start)."""
    count, cut = 0, False
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            for line in handle:
                if not line.endswith(b"\n"):
                    cut = True
                elif line.strip():
                    count += 1
    except FileNotFoundError:
        pass
    return count, cut
