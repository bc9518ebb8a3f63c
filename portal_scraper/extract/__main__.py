"""Deprecated: `python -m portal_scraper.extract` is now `portal-extract`
(`python -m portal_scraper.tools.extract_page`); this name goes in the next release."""

import sys

# The one upward import allowed (tests/test_layers.py, DEPRECATED_SHIMS): a command kept for a
# release at its old name.
from portal_scraper.tools.extract_page import main

if __name__ == "__main__":
    print(
        "note: `python -m portal_scraper.extract` is now `portal-extract`; the old name goes "
        "in the next release",
        file=sys.stderr,
    )
    sys.exit(main())
