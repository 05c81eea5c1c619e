"""Bytes to text: BOM, HTTP charset, meta charset, detection."""

from __future__ import annotations

from pipelines.extraction.decode import decode_html

TEXT = "<html><head>{meta}</head><body><h1>أعلنت الحكومة اليوم عن خطة جديدة للتعليم في البلاد</h1></body></html>"


def test_http_charset_windows_1256():
    body = TEXT.format(meta="").encode("cp1256")
    assert "أعلنت الحكومة" in decode_html(body, "text/html; charset=windows-1256")[1]


def test_meta_charset_without_header():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    body = TEXT.format(meta=meta).encode("cp1256")
    assert "أعلنت الحكومة" in decode_html(body, "text/html")[1]


def test_bom_wins_over_a_wrong_header():
    body = b"\xef\xbb\xbf" + TEXT.format(meta="").encode("utf-8")
    assert "أعلنت الحكومة" in decode_html(body, "text/html; charset=iso-8859-1")[1]


def test_no_charset_anywhere_is_detected():
    body = TEXT.format(meta="").encode("cp1256") * 3
    assert "أعلنت الحكومة" in decode_html(body, None)[1]


def test_undecodable_bytes_never_raise():
    _, text = decode_html(b"\xff\xfe\xfa<html>\x81\x8d</html>", "text/html; charset=utf-8")
    assert isinstance(text, str)
