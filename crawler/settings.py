"""Scrapy settings for akhbar. This is the only module that reads the environment for configuration: MONGO_URI,
MONGO_DATABASE, AKHBAR_DATA_DIR, AKHBAR_EXTRACT_WORKERS, AKHBAR_LOG_LEVEL and REDIS_URL become the settings below,
which `-s NAME=VALUE` overrides on any `scrapy` command line. Keep secrets (MONGO_URI) in the environment."""

import os
from pathlib import Path

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

# Extraction and normalization run in a process pool of this many workers.
EXTRACT_WORKERS = int(os.environ.get("AKHBAR_EXTRACT_WORKERS", os.cpu_count() or 1))
# Items processed at once per response, not per crawl: an article page yields one item, and Scrapy starts this many
# asyncio tasks for every response whatever it yields (at 16 they were 12% of the reactor thread; scrapy#5182).
CONCURRENT_ITEMS = 1

# The store: MONGO_URI (a MongoDB-wire server), or when it is unset the embedded SecantusDB daemon, started on demand
# under AKHBAR_DATA_DIR (pipelines.storage.embedded). The data directory also holds the site locks and spill journals.
MONGO_URI = os.environ.get("MONGO_URI") or None
MONGO_DATABASE = os.environ.get("MONGO_DATABASE") or "akhbar"
AKHBAR_DATA_DIR = os.environ.get("AKHBAR_DATA_DIR") or str(Path(__file__).resolve().parent.parent / "data")

STORE_BATCH_SIZE = 100
STORE_FLUSH_INTERVAL = 2.0
STORE_RETRY_MAX_S = 30.0  # while the store does not answer: longest wait between attempts (writes go to the journal)
# Deadlines (docs/reliability.md), pymongo's socketTimeoutMS: a crawl waits at most STORE_TIMEOUT_MS for a reply of the
# store, then the operation is an outage and its batch goes to the spill journal; the commands reading the store
# (export, reextract, report, search, summary) wait at most STORE_COMMAND_TIMEOUT_MS (their sorts and scans of a
# large store take long). 0: no limit.
STORE_TIMEOUT_MS = 30_000
STORE_COMMAND_TIMEOUT_MS = 600_000

# Bounds on what a site can make us do (docs/reliability.md); every limit hit is a crawl_errors document.
# Larger HTML is not extracted (too_large): a 5 MB page of 100,000 links costs trafilatura and htmldate 20-40 s of CPU.
EXTRACT_MAX_BYTES = 2 * 1024 * 1024
EXTRACT_MAX_TAGS = 200_000  # nor HTML of more elements (0: any): 210,000 cost an extraction worker 360 MB (too_large)
SITEMAP_MAX_URLS = 50_000  # URLs used per sitemap (the protocol's limit): discovery_capped
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # a gzipped sitemap is inflated up to this: too_large
LISTING_MAX_LINKS = 5_000  # links read per listing page: bounded
LISTING_MAX_BYTES = 4 * 1024 * 1024  # of a listing page's HTML, the rest not read (0: all): bounded
LISTING_MAX_NEXT = 5  # 'next page' links followed from one listing page: bounded
ROBOTS_MAX_SITEMAPS = 100  # Sitemap: lines of robots.txt followed: discovery_capped
FEEDS_MAX_PER_PAGE = 20  # same-site feeds a page announces that are read: discovery_capped
FEED_MAX_ITEMS = 1_000  # items used per feed: discovery_capped
SITEMAP_INDEX_MAX_DEPTH = 5  # sitemap indexes nested deeper are not read: bounded
SITEMAPS_MAX = 2_000  # sitemaps (indexes included) read per run: bounded
DISCOVERY_MAX_URLS = 500_000  # article URLs taken from discovery per run: bounded
# Article requests a sitemap's URLs keep scheduled at a time; the rest wait as planner candidates, about 1 KB less
# each (0: all scheduled at once). Not used in distributed mode, whose queue is in Redis.
PLAN_QUEUE_MAX = 1_000
CRAWL_ERRORS_MAX = 10_000  # crawl_errors documents per run; beyond it errors are only counted
CRAWL_ERRORS_MAX_PER_KIND = 1_000  # of which one kind may fill at most this many (a flood leaves room for the rest)
# Responses: header lines and bytes count against the limits like the body (too_large).
HEADERS_MAX_COUNT = 200
HEADERS_MAX_BYTES = 64 * 1024
# CPU seconds one page's extraction may take; a worker over it is replaced and the page recorded extract_timeout.
EXTRACT_TIMEOUT = 20.0
# HTTP(S) downloads through a handler that bounds the response headers (crawler/downloader/bounded.py); the
# distributed mode's handler below inherits the bounds.
DOWNLOAD_HANDLERS = {"http": "crawler.downloader.bounded.BoundedDownloadHandler",
                     "https": "crawler.downloader.bounded.BoundedDownloadHandler"}
# Error budget per site (crawler.extensions.error_budget): when at least ERROR_BUDGET_MAX_SHARE of the site's last
# ERROR_BUDGET_WINDOW fetches failed, its article requests stop and the crawl ends with reason `error_budget`.
# 0 turns it off.
ERROR_BUDGET_WINDOW = 50
ERROR_BUDGET_MAX_SHARE = 0.9
# Downloader middlewares of the project (crawler/middlewares): cookies bounded per host, retries that slow a host down,
# redirects kept on their site's port and on http(s) (above RedirectMiddleware, 600; between HttpCompression, 590, and
# MetaRefresh, 580).
DOWNLOADER_MIDDLEWARES = {"scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
                          "crawler.middlewares.cookies.BoundedCookiesMiddleware": 700,
                          "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                          "crawler.middlewares.retry_after.PoliteRetryMiddleware": 550,
                          "crawler.middlewares.offsite.SiteRedirectMiddleware": 610,
                          "crawler.middlewares.offsite.MetaRefreshSchemeMiddleware": 585}
# A host's cookies beyond these are refused (`bounded`); the bytes stay under the 8 KB header line common servers
# accept (nginx answers 400 above it).
COOKIES_PER_HOST_MAX = 100
COOKIES_BYTES_PER_HOST_MAX = 7_000
# A host answering 429/503 is slowed down to what its Retry-After asks, at most this many seconds between requests
# (crawler.middlewares.retry_after); a longer wait is capped, not honoured.
RETRY_AFTER_MAX_S = 30.0
LOG_FORMATTER = "crawler.extensions.logformatter.AkhbarLogFormatter"  # 'Dropped:' lines without the page
# Keep each fetched page's raw HTML (gzip) in `raw_pages`, for `scrapy reextract`.
STORE_RAW_PAGES = True

ITEM_PIPELINES = {
    "pipelines.keep_raw_pages.RawPagesPipeline": 50,
    "pipelines.extract_articles.ExtractPipeline": 100,
    "pipelines.check_coverage.CoveragePipeline": 120,
    "pipelines.filter_window.WindowFilterPipeline": 150,
    "pipelines.filter_language.LanguageFilterPipeline": 200,
    "pipelines.assign_stories.StoriesPipeline": 500,
    "pipelines.store_articles.StoreArticlesPipeline": 900,
}

# `scrapy crawl`, `crawlall` and `push`, and the commands over saved pages and the store (extract, reextract, export,
# report, search, summary, store): `scrapy --help` lists them.
COMMANDS_MODULE = "crawler.commands"
# Scheduled and backfill crawls: run records, backfill progress lines, revisits.
EXTENSIONS = {"crawler.extensions.gc_tuning.GcTuning": 50, "crawler.extensions.log_mask.MaskPasswordsExtension": 100,
              "crawler.extensions.reactor_lag.ReactorLag": 480,
              "crawler.extensions.crawl_errors.CrawlErrorRecorder": 490,
              "crawler.extensions.error_budget.ErrorBudget": 495,
              "crawler.extensions.crawl_runs.CrawlRunRecorder": 500,
              "crawler.extensions.progress.BackfillProgress": 510,
              "crawler.extensions.quiet_failures.QuietNetworkFailures": 60,
              "crawler.extensions.shutdown.BoundedShutdown": 70}
GC_THRESHOLDS = [50_000, 20, 100]  # gc.set_threshold at engine start (crawler.extensions.gc_tuning); []: Python's own
REACTOR_LAG_INTERVAL = 0.05  # seconds between reactor lag probes (akhbar/reactor/* stats); 0 turns them off
PROGRESS_INTERVAL = 30.0  # seconds between backfill progress lines; 0 turns them off
# Run records (crawler.extensions.crawl_runs) are written by `scrapy crawl` and `crawlall`, which turn this on; other
# commands that open a spider (shell, parse, push) write none.
RUN_RECORDS = False
# Seconds between run record updates while a crawl runs (0: none): a record left `running` by a process that is gone
# keeps the last counts, and one not updated for 10 intervals is taken as abandoned by the next run of its site.
RUN_HEARTBEAT_INTERVAL = 60.0
# Stopping on SIGTERM/SIGINT (crawler.extensions.shutdown): the transfers under way get DOWNLOAD_TIMEOUT, the close
# (flushes, run record) SHUTDOWN_GRACE more seconds; then the process journals what it holds and exits anyway.
SHUTDOWN_GRACE = 10.0
REVISIT_MAX_AGE_HOURS = 48.0  # incremental runs fetch stored articles this young again, for fresh counters
# Coverage drift alarm: a field's share of a run's articles falling more than DRIFT_MAX_DROP below its median over
# the site's last DRIFT_RUNS finished runs (same mode, each with >= DRIFT_MIN_ARTICLES articles) is an error.
DRIFT_MAX_DROP = 0.3
DRIFT_MIN_ARTICLES = 10
DRIFT_RUNS = 5

LOG_LEVEL = os.environ.get("AKHBAR_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no control port opened by an unattended crawl, like the telnet console

# Distributed mode (docs/operations.md): with REDIS_URL set, `scrapy crawl <site>` on any machine is a
# worker of the run `scrapy push <site>` queued in that Redis (scrapy-redis: shared queue and seen set).
REDIS_URL = os.environ.get("REDIS_URL")
REDIS_RATE_PER_DOMAIN = 4.0  # requests per second to one host, all workers together (0: no shared limit)
REDIS_RATE_BURST = 1  # requests to one host that may go at once after a pause
MAX_IDLE_TIME_BEFORE_CLOSE = 30.0  # a worker without work for this long closes (0: never)
if REDIS_URL:
    SCHEDULER = "crawler.distributed.RedisScheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    SCHEDULER_PERSIST = True  # a worker that closes leaves the queue and the seen set to the others
    SCHEDULER_QUEUE_KEY = "akhbar:%(spider)s:requests"
    SCHEDULER_DUPEFILTER_KEY = "akhbar:%(spider)s:dupefilter"
    DOWNLOAD_HANDLERS = {"http": "crawler.distributed.RateLimitedDownloadHandler",
                         "https": "crawler.distributed.RateLimitedDownloadHandler"}
    EXTENSIONS = {**EXTENSIONS, "crawler.distributed.IdleClose": 520}
