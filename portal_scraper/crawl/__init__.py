"""The Scrapy side: the `portal` spider and the item pipelines that call extract/normalize/validate."""
