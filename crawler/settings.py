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
# Keep each fetched page's raw HTML (gzip) in `raw_pages`, for `python -m pipelines.reextract`.
STORE_RAW_PAGES = True

ITEM_PIPELINES = {
    "pipelines.raw_pages.RawPagesPipeline": 50,
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.window_filter.WindowFilterPipeline": 150,
    "pipelines.language_filter.LanguageFilterPipeline": 200,
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.stories.StoriesPipeline": 500,
    "pipelines.store_articles.StoreArticlesPipeline": 900,
}

# Scheduled and backfill crawls: `scrapy crawlall`, run records, backfill progress lines, revisits.
COMMANDS_MODULE = "crawler.commands"
EXTENSIONS = {"pipelines.crawl_runs.CrawlRunRecorder": 500, "crawler.progress.BackfillProgress": 510}
PROGRESS_INTERVAL = 30.0  # seconds between backfill progress lines; 0 turns them off
REVISIT_MAX_AGE_HOURS = 48.0  # incremental runs fetch stored articles this young again, for fresh counters

LOG_LEVEL = os.environ.get("AKHBAR_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
