"""Project commands (COMMANDS_MODULE), one module each, named as typed: `scrapy crawl` with checked arguments and a
per-site lock, `scrapy crawlall`, `scrapy push`, and over saved pages and the store `scrapy extract`, `reextract`,
`export`, `report`, `search`, `summary` and `store start|stop|status`. `scrapy --help` lists them, `scrapy <command>
--help` describes one.

A command holds its arguments and what it prints; the work is in functions of pipelines.analysis and
pipelines.storage. Scrapy imports every module here for every `scrapy` call, a crawl's included, so the commands import
pipelines.analysis (matplotlib, pyarrow, the extraction code) in their methods, when they are the one that runs; and
the commands without a crawl (requires_crawler_process = False) start neither the reactor nor the extraction pool, and
the store only when they read it. Modules here that hold no command (arguments, runguard, runlock) must not define a
ScrapyCommand subclass: Scrapy would list it as a command."""
