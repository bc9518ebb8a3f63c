"""Feed storage that writes each exported line in one unbuffered write.

A reader (or a crash) never meets half a line in the middle of the file: every record reaches
the file whole, in a single `write()` on an append-mode descriptor. A line cut by a kill can
only be the last one, and `repair_tail` removes it before the next run appends.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.spiders import Spider


class LineAtomicFileStorage(FileFeedStorage):
    """`FileFeedStorage` without a write buffer."""

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open(self.write_mode, buffering=0)


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
