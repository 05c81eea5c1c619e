"""Bytes to text: BOM, HTTP charset, meta charset, detection; any encoding Python knows, and no label trusted whose
text is not HTML."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(("encoding", "content_type"), [
    ("utf-16-le", "text/html; charset=utf-16"),  # no BOM, labelled in the header
    ("utf-16-be", "text/html; charset=utf-16"),
    ("utf-16-le", "text/html"),  # no BOM, no label: the NULs tell
    ("utf-16", "text/html; charset=utf-8"),  # a BOM wins over a wrong label
    ("utf-32", "text/html"),
    ("cp1256", "text/html; charset=utf-16"),  # a wrong label whose text is no HTML
    ("utf-8", "text/html; charset=cp037"),
    ("utf-8", "text/html; charset=x-klingon"),
])
def test_any_unicode_form_or_wrong_label_decodes_to_the_page(encoding: str, content_type: str) -> None:
    body = TEXT.format(meta="").encode(encoding)
    assert "أعلنت الحكومة" in decode_html(body, content_type)[1]


def test_a_utf16_page_labelled_only_in_its_meta_decodes() -> None:
    body = TEXT.format(meta='<meta charset="utf-16">').encode("utf-16-le")
    assert "أعلنت الحكومة" in decode_html(body, "text/html")[1]


@pytest.mark.parametrize("content_type", ["text/html; charset=cp037", "text/html; charset=IBM037", "text/html"])
def test_an_ebcdic_page_decodes_with_or_without_its_label(content_type: str) -> None:
    body = TEXT.format(meta='<meta charset="cp037">').encode("cp037", "xmlcharrefreplace")  # Arabic as &#…;
    encoding, text = decode_html(body, content_type)
    assert encoding == "cp037" and "<h1>&#1571;&#1593;&#1604;&#1606;&#1578; " in text
