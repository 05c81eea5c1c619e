"""Extraction processes die with the process that started them, however it ends (kill -9 included).

A pool (pipelines.extraction.pool) is a fork server, started by the crawl, and the workers the fork server forks. The
fork server imports this module first of its preload modules (start_forkserver); when it finds itself started by the
process that set PARENT_ENV, it asks the kernel for SIGKILL when that process dies (PR_SET_PDEATHSIG) and moves to a
process group of its own, so that the signals meant for the crawl's group (Ctrl-C, `timeout`, `kill -- -PGID`) reach
the crawl alone, which then stops its pool in order. Each worker does the same towards the fork server in the pool's
initializer (worker_lifeline). When the crawl dies, the fork server is killed, which kills the workers; the resource
tracker then sees its last client gone and exits too. Nothing here runs in the crawl itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing.forkserver
import os
import signal
import sys
import threading
import time

PARENT_ENV = "AKHBAR_FORKSERVER_PARENT"  # the pid of the process starting a fork server, only while it starts it
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have the kernel send sig to this process when its parent dies (Linux); elsewhere a thread watches the parent."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0:
                return
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def running(pid: int) -> bool:
    """Whether a process with this pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_forkserver() -> None:
    """Start the fork server now, from this process and thread, marked as ours (PARENT_ENV for its start only). The
    kernel signals a child when the *thread* that started it ends: call this from the main thread (the reactor's),
    or from one that lives as long as the pool."""
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        os.environ.pop(PARENT_ENV, None)


def worker_lifeline(crawl_pid: int) -> None:
    """A pool's initializer, in each worker: die with the fork server (the worker's parent), never outlive the crawl,
    and leave Ctrl-C to the crawl."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if not running(crawl_pid):  # the crawl died before the line above took effect
        os._exit(1)


def _forkserver_lifeline(parent: int) -> None:
    die_with_parent()
    if os.getppid() != parent:  # the crawl died before the line above took effect
        os._exit(1)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)


if os.environ.get(PARENT_ENV) == str(os.getppid()):  # imported by the fork server start_forkserver started
    _forkserver_lifeline(os.getppid())
