"""Pages whose text a script writes in (an article fetched by ajax into `<div id="zoom">`, a Vue template) are
told from pages that carry their text and run scripts beside it (a visit counter, a share box)."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.lists import script_content_pending

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "articles"


@pytest.mark.parametrize(("name", "pending"), [
    ("shell_xhr.html", True),  # <div id="zoom">正在加载……</div> filled by $.getJSON
    ("shell_vue.html", True),  # {{ info.title }} and v-html
    ("served_with_counter.html", False),  # its text is in the page; the script fills a counter and a share box
])
def test_a_page_whose_text_a_script_writes_in(name, pending):
    html = (ARTICLES / name).read_text(encoding="utf-8")
    assert script_content_pending(LexborHTMLParser(html)) is pending


def test_an_empty_body_box_no_script_fills_is_no_script_page():
    html = '<html><body><div id="content"></div><script>var a = 1;</script></body></html>'
    assert script_content_pending(LexborHTMLParser(html)) is False


def test_a_shell_with_a_long_footer_is_still_a_shell():
    footer = ("<div class='footer'><p>主办：某某县人民政府办公室 承办：某某县信息中心 地址：某某县人民路1号 "
              "邮编：000000 联系电话：0000-12345678 网站标识码：1234000001 "
              "某ICP备12345678号 某公网安备 00000000000000号</p></div>")
    html = (ARTICLES / "shell_xhr.html").read_text(encoding="utf-8").replace("</body>", footer + "</body>")
    assert script_content_pending(LexborHTMLParser(html)) is True


def test_an_article_written_with_br_in_a_div_carries_its_text():
    """Old CMSs write the text in one <div> with <br> between the lines: the page is no shell, whatever box
    named like a body (a QR code, a share box) its scripts fill."""
    line = "各乡镇人民政府，县政府各部门：根据省、市有关文件精神，经县政府研究决定，现将有关事项通知如下。"
    lines = "<br>".join([line] * 3)
    html = (f"<html><body><div class='zw'>{lines}</div><div id='wxcon'></div>"
            "<script>document.getElementById('wxcon').innerHTML = '<img src=/qr.png>';</script></body></html>")
    assert script_content_pending(LexborHTMLParser(html)) is False
