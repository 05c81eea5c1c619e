"""`scrapy store start|stop|status`: the embedded SecantusDB store under AKHBAR_DATA_DIR, by hand."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from scrapy.commands import ScrapyCommand

from crawler.commands.arguments import EX_FAILED, check_no_extra, name_errors, reader_may_stop
from pipelines.storage.config import store_config
from pipelines.storage.embedded import StoreError, ensure_running, running_uri, stop
from pipelines.storage.link import store_error


class Command(ScrapyCommand):
    """Start, stop or show the embedded store; only `start` starts anything."""

    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "start|stop|status"

    def short_desc(self) -> str:
        return "Start, stop or show the embedded store (the default when MONGO_URI is unset)"

    def long_desc(self) -> str:
        return ("Manage the embedded SecantusDB store under ./data (or AKHBAR_DATA_DIR). Ignored when MONGO_URI is "
                "set. start prints its URI (starting it when it is not running), stop stops it, status shows it "
                "(exit status 1 when it is not running).")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        name_errors(parser, "store")
        parser.add_argument("action", choices=["start", "stop", "status"])

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_no_extra(args)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        # The embedded store, whatever MONGO_URI says (not used here, so not checked either).
        embedded = dataclasses.replace(store_config(self.settings, check_uri=False), uri=None)
        with reader_may_stop():
            if opts.action == "start":
                try:
                    print(ensure_running(embedded.data_dir))
                except StoreError as exc:
                    print(store_error(embedded, exc), file=sys.stderr)
                    self.exitcode = EX_FAILED
            elif opts.action == "stop":
                print("stopped" if stop(embedded.data_dir) else "not running")
            else:
                uri = running_uri(embedded.data_dir)
                print(f"running at {uri}" if uri else "not running")
                self.exitcode = 0 if uri else EX_FAILED  # `scrapy store status || scrapy store start`
