"""DemoSite: one ThreadingHTTPServer per loopback address (127.0.0.1 index, .2-.4 outlets, .5 hostile) on one port."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Protocol

from .hostile import HostileSite
from .layouts import UNDATED_LAYOUTS
from .model import (
    DEFAULT_ARTICLES,
    DEFAULT_END_DATE,
    HOSTILE_NAME,
    INDEX_HOST,
    OUTLET_NAMES,
    Outlet,
    generate_site,
    make_outlet,
)
from .site import IndexSite, OutletSite, RawResponse, Response


class _Site(Protocol):
    def get(self, target: str) -> Response | RawResponse: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive client connections must not delay shutdown
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site: _Site, log: bool) -> None:
        self.site = site
        self.log = log
        self.access_log: list[tuple[float, str]] = []  # (time.monotonic(), request target) of every request
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (size caps, timeouts, hostile-outlet tests) are not server errors."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "akhbar-demosite/1.0"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True  # headers and body are separate writes; avoid 40 ms delayed-ACK stalls
    server: _Server

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        self.server.access_log.append((time.monotonic(), self.path))
        try:
            response = self.server.site.get(self.path)
        except Exception as exc:  # keep serving; report the bug on stderr and answer 500
            print(f"demosite: error rendering {self.path}: {exc!r}", file=sys.stderr)
            response = Response(500, "text/plain; charset=utf-8", b"internal error\n")
        if isinstance(response, RawResponse):  # hostile outlet: streamed, slow, lying or reset responses
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client gave up (timeout, size cap) or the site is stopping
                response.send(self, head)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            super().log_message(format, *args)


class DemoSite:
    """The generated demo news site; use as a context manager or call start()/stop()."""

    def __init__(self, port: int | None = None, articles_per_outlet: int = DEFAULT_ARTICLES,
                 end_date: date = DEFAULT_END_DATE, log: bool = False, hostile: bool = True) -> None:
        self.requested_port = port
        self.articles_per_outlet = articles_per_outlet
        self.end_date = end_date
        self.log = log
        self.hostile = hostile  # also serve the hostile outlet (bad pages and responses) on 127.0.0.5
        self.views_clock = 0
        self.port = 0
        self.outlets: list[Outlet] = []
        self._sites: dict[str, OutletSite | HostileSite] = {}
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    @property
    def index_url(self) -> str:
        """URL of the index page linking to every outlet."""
        return f"http://{INDEX_HOST}:{self.port}/"

    def outlet(self, name: str) -> Outlet:
        """The Outlet record for `name`."""
        return next(o for o in self.outlets if o.name == name)

    def truth(self, name: str) -> list[dict[str, Any]]:
        """Truth records of one outlet (same content as its /_truth.jsonl), newest first."""
        return self._sites[name].truth()

    def access_log(self, name: str) -> list[tuple[float, str]]:
        """(time.monotonic(), request target) of every request the outlet has received, in arrival order."""
        return next(server.access_log for server in self._servers if server.site is self._sites[name])

    def bump_views(self, step: int = 1) -> None:
        """Advance the readers' clock: every article shows more views (a fixed amount per article; truth follows)."""
        self.views_clock += step
        specs = generate_site(self.articles_per_outlet, self.end_date)
        for server in self._servers:
            if isinstance(server.site, OutletSite):
                outlet = server.site.outlet
                bumped = [replace(s, views=s.views + self.views_clock * (s.id % 7 + 1)) for s in specs[outlet.name]]
                server.site = self._sites[outlet.name] = OutletSite(outlet, bumped, type(server.site.layout))

    def drop_dates(self, name: str) -> None:
        """Redesign one outlet: its article pages stop showing the publication date (listings, feeds keep it)."""
        for server in self._servers:
            if isinstance(server.site, OutletSite) and server.site.outlet.name == name:
                site = server.site
                server.site = self._sites[name] = OutletSite(site.outlet, site.specs, UNDATED_LAYOUTS[name])

    def start(self) -> DemoSite:
        """Generate the content, bind every address and serve in background threads."""
        specs = generate_site(self.articles_per_outlet, self.end_date)
        if self.requested_port is not None:
            self._bind_all(self.requested_port, specs)
        else:
            self._bind_free_port(specs)
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"demosite-{server.server_address[0]}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and close every socket; pending hostile slow responses and streams are aborted."""
        for site in self._sites.values():
            if isinstance(site, HostileSite):
                site.close()
        for server in self._servers:
            server.shutdown()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _bind_free_port(self, specs: dict[str, Any]) -> None:
        last_error: OSError | None = None
        for _ in range(50):
            with socket.socket() as probe:
                probe.bind((INDEX_HOST, 0))
                port = probe.getsockname()[1]
            try:
                self._bind_all(port, specs)
                return
            except OSError as exc:
                last_error = exc
        raise OSError(f"no port free on all demo addresses: {last_error}")

    def _bind_all(self, port: int, specs: dict[str, Any]) -> None:
        outlets = [make_outlet(name, port) for name in OUTLET_NAMES]
        outlet_sites: dict[str, OutletSite | HostileSite] = {o.name: OutletSite(o, specs[o.name]) for o in outlets}
        if self.hostile:
            outlets.append(make_outlet(HOSTILE_NAME, port))
            outlet_sites[HOSTILE_NAME] = HostileSite(outlets[-1], self.end_date)
        sites: list[tuple[str, _Site]] = [(INDEX_HOST, IndexSite(outlets))]
        sites += [(o.host, outlet_sites[o.name]) for o in outlets]
        servers: list[_Server] = []
        try:
            for host, site in sites:
                servers.append(_Server((host, port), site, self.log))
        except OSError:
            for server in servers:
                server.server_close()
            raise
        self.port, self.outlets, self._sites, self._servers = port, outlets, outlet_sites, servers
