"""Binary bodies and socket-level responses of the hostile outlet: gzip bomb, PDF, PNG, streams (sized or chunked),
stalls, resets and endless headers."""

from __future__ import annotations

import socket
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler

from .site import RawResponse, Response

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
BOMB_SIZE = 1 << 30  # decompressed size of the gzip bomb: 1 GiB of zeros
_BOMB_BLOCK = 1 << 20
_bomb_lock = threading.Lock()
_bomb: list[bytes] = []
_WRITE_SIZE = 1 << 16
HEADER_BYTES_PER_S = 1 << 20


def redirect(location: str, status: int = 302) -> Response:
    """A redirect with an empty body."""
    return Response(status, HTML, b"", (("Location", location),))


def gzip_bomb() -> bytes:
    """A ~1 MiB gzip member that expands to BOMB_SIZE zero bytes; built once (~0.3 s) on first use, then cached."""
    with _bomb_lock:
        if not _bomb:
            zeros = bytes(_BOMB_BLOCK)
            deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
            # A full flush resets the compressor, so every 1 MiB block of zeros compresses to the same bytes.
            block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
            crc = 0
            for _ in range(BOMB_SIZE // _BOMB_BLOCK):
                crc = zlib.crc32(zeros, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, max compression
            trailer = struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
            _bomb.append(header + block * (BOMB_SIZE // _BOMB_BLOCK) + deflate.flush(zlib.Z_FINISH) + trailer)
        return _bomb[0]


def pdf_document() -> bytes:
    """A small valid one-page PDF with a binary marker line and a compressed content stream."""
    stream = zlib.compress(b"BT /F1 24 Tf 72 720 Td (akhbar hostile outlet) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_image(width: int = 64, height: int = 64) -> bytes:
    """A valid RGB PNG with a colour gradient."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (x * 4 % 256, y * 4 % 256, 160))
                    for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _headers(handler: BaseHTTPRequestHandler, status: int, content_type: str, length: int,
             extra: tuple[tuple[str, str], ...] = ()) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(length))
    for name, value in extra:
        handler.send_header(name, value)
    handler.end_headers()


def streamed(content_type: str, head: bytes, unit: bytes, total: int, tail: bytes,
             closing: threading.Event) -> RawResponse:
    """Exactly `total` bytes: head, `unit` repeated, spaces, tail; written in 64 KiB pieces, never held whole."""
    repeats, pad = divmod(total - len(head) - len(tail), len(unit))
    if repeats < 0:
        raise ValueError("total is smaller than head + tail")
    per_write = max(1, _WRITE_SIZE // len(unit))
    batch = unit * per_write

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        _headers(handler, 200, content_type, total)
        if head_only:
            return
        handler.wfile.write(head)
        left = repeats
        while left and not closing.is_set():
            n = min(left, per_write)
            handler.wfile.write(batch if n == per_write else unit * n)
            left -= n
        if not left:  # when the site stops mid-stream the connection just closes short
            handler.wfile.write(b" " * pad + tail)

    return RawResponse(send)


def delayed(response: Response, seconds: float, closing: threading.Event) -> RawResponse:
    """`response` after `seconds`; when the site stops first, the connection closes without an answer."""

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        if closing.wait(seconds):
            return
        _headers(handler, response.status, response.content_type, len(response.body), response.headers)
        if not head_only:
            handler.wfile.write(response.body)

    return RawResponse(send)


def reset_connection() -> RawResponse:
    """Half a status line, then a TCP reset (SO_LINGER 0 and close)."""

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Ty")
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()  # the fd really closes (with RST) once the handler's files are closed

    return RawResponse(send)


def short_body(response: Response, claimed: int) -> RawResponse:
    """`response` with Content-Length: `claimed` but only its own (shorter) body sent, then the connection closes."""
    if claimed <= len(response.body):
        raise ValueError("the claimed length must exceed the body")

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        _headers(handler, response.status, response.content_type, claimed, response.headers)
        if not head_only:
            handler.wfile.write(response.body)

    return RawResponse(send)


def endless_headers(closing: threading.Event, per_second: int = HEADER_BYTES_PER_S) -> RawResponse:
    """A status line, then header lines without end (`per_second` bytes a second) until the client or the site
    closes; the rate keeps a client that stores every header line within memory for DOWNLOAD_TIMEOUT seconds."""
    batch = 64

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n")
        line = 0
        while not closing.is_set():
            lines = b"".join(b"X-Pad-%d: %s\r\n" % (line + n, b"h" * 32) for n in range(batch))
            handler.wfile.write(lines)  # OSError once the client has dropped the connection
            handler.wfile.flush()
            line += batch
            closing.wait(len(lines) / per_second)

    return RawResponse(send)


def chunked(content_type: str, head: bytes, unit: bytes, total: int, tail: bytes,
            closing: threading.Event) -> RawResponse:
    """About `total` bytes (head, `unit` repeated, tail) in chunked transfer coding: no Content-Length, never held
    whole; the stream stops short when the site stops."""
    per_write = max(1, _WRITE_SIZE // len(unit))
    batch = unit * per_write

    def chunk(data: bytes) -> bytes:
        return b"%x\r\n%b\r\n" % (len(data), data)

    def send(handler: BaseHTTPRequestHandler, head_only: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        if head_only:
            return
        handler.wfile.write(chunk(head))
        sent = len(head)
        while sent < total - len(tail):
            if closing.is_set():
                return
            handler.wfile.write(chunk(batch))
            sent += len(batch)
        handler.wfile.write(chunk(tail) + b"0\r\n\r\n")

    return RawResponse(send)
