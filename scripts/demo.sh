#!/usr/bin/env bash
# Command one: set up, serve the offline demo portal on 127.0.0.1, crawl it, print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m portal_scraper.tools.demo "$@"
