"""The run report: built from the crawl's stats (build), and the extension that makes it."""
