"""What the commands reading the store (export, reextract, report, search, summary) share: their errors named after
the command, the store checked before they start, and a store that fails while they read it reported in one line
with exit status 1. A mixin, not a ScrapyCommand subclass: Scrapy lists every such class in this package as a
command."""

from __future__ import annotations

import argparse
import sys
from typing import ClassVar

from pymongo.errors import PyMongoError

from crawler.commands.arguments import EX_FAILED, check_no_extra, name_errors, store_settings
from pipelines.storage.embedded import StoreError
from pipelines.storage.link import store_error


class StoreReader:
    """Mixin for `class Command(StoreReader, ScrapyCommand)`: name the command, implement read_store."""

    requires_project = True
    requires_crawler_process = False
    command_name: ClassVar[str]

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)  # type: ignore[misc]
        name_errors(parser, self.command_name)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # type: ignore[misc]
        check_no_extra(args)
        opts.store = store_settings(self.settings)  # type: ignore[attr-defined]

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Run read_store; a store that cannot be reached or fails is one error line and exit status 1."""
        try:
            self.read_store(opts)
        except (PyMongoError, StoreError) as exc:
            print(store_error(opts.store, exc), file=sys.stderr)
            self.exitcode = EX_FAILED

    def read_store(self, opts: argparse.Namespace) -> None:
        """The command's work over the store (opts.store); sets self.exitcode when it fails otherwise."""
        raise NotImplementedError
