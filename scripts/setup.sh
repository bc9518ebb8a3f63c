#!/usr/bin/env bash
# Set up .venv with the locked dependencies and the project (idempotent; safe to rerun).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        # Debian/Ubuntu ship venv separately; install it when we are allowed to.
        if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
            echo "python3 -m venv failed; installing Debian's python3-venv" >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            "$PYTHON" -m venv .venv
        else
            echo "error: '$PYTHON -m venv' failed; install your system's venv package (Debian: python3-venv)" >&2
            exit 1
        fi
    fi
fi

stamp=.venv/.installed-lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
    echo "installing locked dependencies into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    cp requirements.lock "$stamp"
fi
if ! .venv/bin/python -m pip show --quiet portal-scraper >/dev/null 2>&1; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi
