"""Required 办事指南 elements shown with content, and downloadable attachments."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb import catalogue
from govweb.capture import Link
from govweb.parse.guides import attachments, canonical_label, guide_labels

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "site"


@pytest.fixture(scope="module")
def elements() -> dict:
    return catalogue.default().dictionary("guide_elements")


def tree(name: str, encoding: str = "utf-8") -> LexborHTMLParser:
    return LexborHTMLParser((SITE / name).read_bytes().decode(encoding))


def test_table_guide_with_synonyms_and_blank_values(elements):
    shown = guide_labels(tree("guide_table.html"), elements)
    # 法律依据 -> 设定依据, 受理条件 -> 申请条件, 申请材料 -> 办理材料, 办理时限 -> 办理时间, 咨询电话 -> 联系电话
    assert shown == ["事项名称", "设定依据", "申请条件", "办理材料", "办理时间", "联系电话"]
    # 办理地点 has only &nbsp;, 办理流程 only 暂无


def test_dl_guide_gbk(elements):
    shown = guide_labels(tree("guide_dl.html", "gb18030"), elements)
    assert shown == ["事项名称", "设定依据", "办理材料", "办理地点", "办理流程"]  # 暂无, 无 and empty dd missing


def test_strong_heading_and_span_labels(elements):
    shown = guide_labels(tree("guide_strong.html"), elements)
    # 申请条件 is "暂无。"; 办理时间 is a heading followed straight by the next heading
    assert shown == ["事项名称", "设定依据", "办理材料", "办理地点", "联系电话", "办理流程"]


def test_no_labels_no_elements(elements):
    html = "<html><body><h1>办事指南</h1><p>请到窗口咨询。</p></body></html>"
    assert guide_labels(LexborHTMLParser(html), elements) == []


@pytest.mark.parametrize(("label", "key"), [
    ("受理条件", "申请条件"), ("法律依据：", "设定依据"), ("咨询电话", "联系电话"), ("（三）申请材料清单", "办理材料"),
    ("事项类型", None), ("收费标准", None), ("监督投诉电话", "联系电话"), ("依据", "设定依据"),
    ("办公地址", "办理地点"), ("办事地址：", "办理地点"), ("收费依据及标准", None),
])
def test_canonical_label(elements, label, key):
    assert canonical_label(label, elements) == key


def test_attachments():
    found = attachments(tree("guide_table.html"), "http://www.mm.gov.cn/bsfw/zn/1.html")
    assert all(isinstance(x, Link) for x in found)
    assert [x.href for x in found] == [
        "http://www.mm.gov.cn/attach/0/201809/abc123.doc",
        "http://www.mm.gov.cn/module/download/downfile.jsp?classid=0&filename=1809041234.docx",
        "http://www.mm.gov.cn/download.jsp?id=88",
        "http://www.mm.gov.cn/files/guide/%E6%B5%81%E7%A8%8B%E5%9B%BE.PDF",
    ]
    assert found[0].text == "建设工程消防验收申报表.doc" and found[0].internal


def test_attachment_offsite_and_plain_pages():
    html = """<body><a href="http://zwfw.x.gov.cn/attach/form.xlsx">表格</a>
    <a href="/bsfw/list.html">下载中心</a><a href="/a.ofd">通知</a><a href="/img/a.png">图片</a></body>"""
    found = attachments(LexborHTMLParser(html), "http://www.mm.gov.cn/")
    assert [(x.href, x.internal) for x in found] == [("http://zwfw.x.gov.cn/attach/form.xlsx", False),
                                                     ("http://www.mm.gov.cn/a.ofd", True)]


def test_footer_phone_is_not_the_guides(elements):
    html = """<html><body><div class="head"><p>办理时间：周一至周五</p></div>
    <table><tr><th>事项名称</th><td>取水许可</td></tr><tr><th>联系电话</th><td>暂无</td></tr></table>
    <div class="footer"><p>主办：某某市人民政府办公厅 联系电话：0571-12345678</p></div></body></html>"""
    tree = LexborHTMLParser(html)
    assert guide_labels(tree, elements) == ["事项名称"]
    assert "联系电话：0571" in tree.html  # the caller's tree is left as it was
