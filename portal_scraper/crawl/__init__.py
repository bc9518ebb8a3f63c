"""The Scrapy side: the `portal` spider and pipelines that call extract, normalize, validate."""
