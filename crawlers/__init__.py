"""Crawling: Scrapy spiders (one base per feed platform), pure parsers, ordered pipelines, one batch per process."""
