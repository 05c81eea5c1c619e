"""A TCP proxy in front of a store daemon that can stall it: while stalled, the store still answers its monitors and
the link's probe (hello, isMaster, ping) but never finishes anything else, the way the embedded store retrying write
conflicts for minutes looked to a crawl (a SIGSTOPped store is noticed by pymongo's monitor within its heartbeat
timeout; this one never is)."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

OP_MSG = 2013
ANSWERED = frozenset({b"hello", b"ismaster", b"isMaster", b"ping", b"endSessions"})


def command_name(message: bytes) -> bytes | None:
    """The command of an OP_MSG (the first key of its body section); None for other messages (the handshake's
    legacy OP_QUERY)."""
    (opcode,) = struct.unpack_from("<i", message, 12)
    if opcode != OP_MSG or len(message) < 26 or message[20] != 0:  # header 16, flagBits 4, section kind 0, document
        return None
    name_start = 21 + 4 + 1  # document length, then the first element's type byte
    return message[name_start:message.index(b"\0", name_start)]


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class StallingProxy:
    """Listens on a free loopback port and forwards to 127.0.0.1:upstream; stall() and release() switch stalling."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.released = threading.Event()
        self.released.set()
        self.held = 0  # commands held while stalled
        self._closed = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def stall(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self._closed = True
        self.released.set()
        for sock in [self.listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            self._sockets += [client, server]
            threading.Thread(target=self._requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._replies, args=(server, client), daemon=True).start()

    def _requests(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while True:
                header = _read_exactly(client, 16)
                message = header + _read_exactly(client, struct.unpack_from("<i", header)[0] - 16)
                name = command_name(message)
                if name is not None and name not in ANSWERED and not self.released.is_set():
                    self.held += 1
                    self.released.wait()
                server.sendall(message)
        except (OSError, ConnectionError, struct.error, ValueError):
            pass
        finally:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.close()

    @staticmethod
    def _replies(server: socket.socket, client: socket.socket) -> None:
        try:
            while data := server.recv(65536):
                client.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.close()
