"""What the tests (and benchmarks/crawl.py) share: where the checkout is, a free port.

Only for a checkout: the tests and the fixtures are not part of the installed package.
"""

from __future__ import annotations

import socket
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES_DIR = PROJECT_DIR / "fixtures"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
