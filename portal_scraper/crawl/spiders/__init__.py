"""Spiders of the project (`scrapy list`)."""
