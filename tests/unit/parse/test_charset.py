"""Encoding detection for real portal bytes: BOMs, lying headers, meta tags, GBK, UTF-16, truncation."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from govweb.parse.charset import decode, detect_encoding, form_encoding, normalise

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
GBK_PAGE = (FIXTURES / "gbk_news.html").read_text(encoding="utf-8")
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
NO_META_PAGE = GBK_PAGE.replace(META_GB2312, "")
WESTERN = ("<html><head><title>Mairie</title></head><body><p>Bienvenue à la mairie de Saint-Étienne. "
           "Les déclarations fiscales et les démarches administratives se font désormais en ligne. "
           "Horaires d'été : fermé le mercredi après-midi.</p></body></html>")


def test_meta_is_what_the_fixture_declares():
    assert META_GB2312 in GBK_PAGE and META_GB2312 not in NO_META_PAGE


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_wins_over_header_and_meta(bom, encoding):
    body = bom + GBK_PAGE.encode(encoding)
    assert detect_encoding(body, "gbk") == encoding
    text = decode(body, detect_encoding(body, None))
    assert text.startswith("<html>")  # BOM stripped
    assert "县长主持召开县政府常务会议" in text


@pytest.mark.parametrize("header", ["gbk", "GB2312", "x-gbk", " gb18030 ", "GBK", "cp936", '"gbk"'])
def test_gbk_family_header_normalises_to_gb18030(header):
    assert detect_encoding(GBK_PAGE.encode("gbk"), header) == "gb18030"


def test_meta_http_equiv_charset_used_without_header():
    body = GBK_PAGE.encode("gbk")
    assert detect_encoding(body, None) == "gb18030"
    assert "我县举办2018年农民丰收节庆祝活动" in decode(body, detect_encoding(body, None))


def test_meta_charset_attribute_used_without_header():
    body = '<html><head><meta charset="big5"></head><body><p>政府資訊公開</p></body></html>'.encode("big5")
    assert detect_encoding(body, None) == "big5"


@pytest.mark.parametrize("header", ["utf-8", "UTF-8", "ISO-8859-1", "iso-8859-1", None])
def test_gbk_page_with_lying_or_absent_header_and_no_meta(header):
    body = NO_META_PAGE.encode("gbk")
    enc = detect_encoding(body, header)
    assert enc == "gb18030"
    assert "全县教育工作会议召开" in decode(body, enc)


def test_utf8_page_with_lying_gb2312_meta_and_header():
    body = GBK_PAGE.encode("utf-8")
    assert detect_encoding(body, None) == "utf-8"
    assert detect_encoding(body, "gb2312") == "utf-8"


def test_declared_charset_that_decodes_is_kept():
    body = WESTERN.encode("cp1252")
    assert detect_encoding(body, "windows-1252") == "cp1252"


def test_genuine_western_latin1_page_stays_latin1():
    body = WESTERN.encode("latin-1")
    assert detect_encoding(body, "ISO-8859-1") == "iso8859-1"


def test_pure_ascii_pages():
    assert detect_encoding(b"<html><body>ok</body></html>", None) == "utf-8"
    assert detect_encoding(b"<html><body>ok</body></html>", "GB2312") == "gb18030"


def test_unknown_header_charset_is_ignored():
    body = NO_META_PAGE.encode("gbk")
    assert detect_encoding(body, "utf8mb4-bogus") == "gb18030"
    assert detect_encoding(b"<p>ok</p>", "no-such-codec") == "utf-8"


def test_meta_beyond_first_kilobytes_is_not_read():
    filler = "<!-- " + "x" * 9000 + " -->"
    body = f"<html><head>{filler}<meta charset=gbk></head><body>ok</body></html>".encode("ascii")
    assert detect_encoding(body, None) == "utf-8"
    near = f"<html><head><meta charset=gbk>{filler}</head><body>ok</body></html>".encode("ascii")
    assert detect_encoding(near, None) == "gb18030"


def test_body_cut_inside_a_multibyte_character_keeps_its_encoding():
    gbk = GBK_PAGE.encode("gbk")
    cut = gbk[: gbk.index("全县".encode("gbk")) + 1]  # half of 全
    assert detect_encoding(cut, "gbk") == "gb18030"
    utf = GBK_PAGE.encode("utf-8")
    cut_utf = utf[: utf.index("全县".encode()) + 2]
    assert detect_encoding(cut_utf, "utf-8") == "utf-8"


def test_one_broken_byte_does_not_flip_the_encoding():
    utf = GBK_PAGE.encode("utf-8").replace(b"</title>", b"\xff</title>")
    assert detect_encoding(utf, "utf-8") == "utf-8"
    gbk = NO_META_PAGE.encode("gbk").replace(b"</title>", b"\xff</title>")
    assert detect_encoding(gbk, "utf-8") == "gb18030"
    assert detect_encoding(gbk, "iso-8859-1") == "gb18030"


def test_short_gbk_snippet_is_not_taken_for_big5():
    body = "<html><p>某某县人民政府</p></html>".encode("gbk")
    assert detect_encoding(body, None) == "gb18030"


def test_decode_replaces_and_falls_back():
    assert decode(b"abc\xff", "utf-8") == "abc\ufffd"
    assert decode("政务".encode(), "no-such-codec") == "政务"
    assert decode(codecs.BOM_UTF8 + "政务".encode(), "utf-8") == "政务"
    assert decode("政务".encode("gbk"), "gb18030") == "政务"


def test_normalise_names():
    assert normalise("UTF8") == "utf-8"
    assert normalise("Windows-1252") == "cp1252"
    assert normalise("gb_2312-80") == "gb18030"
    assert normalise("") is None and normalise(None) is None and normalise("nope") is None


def test_form_encoding_is_the_pages_except_utf16():
    assert form_encoding("gb18030") == "gb18030" and form_encoding("GBK") == "gb18030"
    assert form_encoding("utf-16") == "utf-8" and form_encoding("utf-16-le") == "utf-8"
    assert form_encoding(None) == "utf-8" and form_encoding("no-such-codec") == "utf-8"
