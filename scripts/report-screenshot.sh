#!/usr/bin/env bash
# Remake docs/report.png: four archive runs of the offline demo portal, their HTML report, a
# screenshot of it in Debian's Chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m tests.support.report_demo docs/report.png
