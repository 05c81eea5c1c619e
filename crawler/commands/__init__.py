"""Project commands: `scrapy crawl` with checked arguments and a per-site lock, and `scrapy crawlall`."""
