"""The files of an archive job directory (`scrapy archive --job-dir`), named once for the
command that writes them and the tools that read them back (export, report, portal lists)."""

ARTICLES_FILE = "articles.jsonl"
REJECTS_FILE = "rejects.jsonl"
WARC_DIR = "warc"
STATE_FILE = "state.sqlite"
REPORT_FILE = "report.json"
# Lines of a records file that are not JSON are moved to the file's name plus this.
DAMAGED_SUFFIX = ".damaged"
