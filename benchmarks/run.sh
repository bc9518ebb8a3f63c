#!/usr/bin/env bash
# Set up a benchmark environment (.venv-bench: the project plus the compared extractors) and
# run the extraction benchmark; arguments go to benchmarks/extraction.py.
# Example: bash benchmarks/run.sh --data ../shared/data --write benchmarks/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv-bench/bin/python ]; then
    "$PYTHON" -m venv .venv-bench
    # pip 23's resolver trips over newspaper4k's lxml[html-clean] extra.
    .venv-bench/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
fi
stamp=.venv-bench/.installed
if [ ! -f "$stamp" ] || ! cat requirements.lock benchmarks/requirements.txt | cmp -s - "$stamp"; then
    .venv-bench/bin/python -m pip install --quiet --disable-pip-version-check \
        -e . -r benchmarks/requirements.txt
    cat requirements.lock benchmarks/requirements.txt > "$stamp"
fi
exec .venv-bench/bin/python benchmarks/extraction.py "$@"
