"""Scrapy settings for akhbar. Secrets (MONGO_URI) come from the environment only."""

import os

BOT_NAME = "akhbar"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "akhbar (+https://github.com/akhbar/akhbar)"
ROBOTSTXT_OBEY = True

# Politeness for real sites; the demo outlet spiders lift it for their loopback hosts.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

# Extraction runs in a process pool; a few items in flight per worker keep it busy without
# piling up pages in memory (the default of 100 costs throughput, scrapy#5182).
EXTRACT_WORKERS = int(os.environ.get("AKHBAR_EXTRACT_WORKERS", os.cpu_count() or 1))
CONCURRENT_ITEMS = 16

STORE_BATCH_SIZE = 100
STORE_FLUSH_INTERVAL = 2.0

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.store_articles.StoreArticlesPipeline": 900,
}

LOG_LEVEL = os.environ.get("AKHBAR_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
