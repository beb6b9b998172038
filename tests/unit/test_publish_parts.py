"""The report's parts on small tables: wording, anonymisation, top lines with ties, highlights, exports."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from govweb.publish import anonymise, charts, exports, groups, highlights, text
from govweb.publish.evidence_view import needles_for, quote

LEVELS = {"ministry": {"anonymous": "某部委"}, "province": {"anonymous": "某省"}, "city": {"anonymous": "某市"},
          "county": {"anonymous": "某县"}}


@pytest.mark.parametrize(("n", "want"), [(1, "第一名"), (4, "第四名"), (10, "第十名"), (12, "第十二名"),
                                         (20, "第二十名"), (35, "第三十五名")])
def test_ordinals(n, want):
    assert text.ordinal(n) == want


def test_numbers_and_names_as_the_report_writes_them():
    assert text.short_name("湖北省人民政府") == "湖北省"
    assert text.short_name("深圳市福田区人民政府") == "深圳市福田区"
    assert text.short_name("水利部") == "水利部"
    assert text.fmt_score(84.25) == "84.3" and text.fmt_score(None) == "—"
    assert text.fmt_delta(None) == "—" and text.fmt_delta(5) == "+5.0" and text.fmt_delta(0.04) == "0.0"
    assert text.display_value("false") == "否" and text.display_value("3") == "3"


def test_records_are_plain_json_values():
    frame = pd.DataFrame({"a": ["evidence/2018/x.png", None], "r": pd.array([1, None], dtype="Int64"),
                          "t": [0.1 + 0.2, float("nan")]})
    assert text.records(frame) == [{"a": "evidence/2018/x.png", "r": 1, "t": 0.3},
                                   {"a": None, "r": None, "t": None}]
    assert "\\/" not in text.to_json_records(frame)


def test_anonymised_names_places_addresses_and_codes():
    an = anonymise.for_site({"name": "深圳市福田区人民政府", "level": "county", "province": "广东",
                             "url": "http://www.szft.gov.test/", "site_id": "4403040001"}, LEVELS)
    assert an.label == "某区"
    got = an("深圳市福田区人民政府门户网站 http://www.szft.gov.test/a.html 福田区 深圳 广东省 4403040001")
    assert got == "某区门户网站 某网站地址 某区 某区 某省 某区"
    city = anonymise.for_site({"name": "武汉市人民政府", "level": "city", "province": "湖北",
                               "url": "http://www.wuhan.gov.test/", "site_id": "4201000001"}, LEVELS)
    assert city("湖北省武汉市人民政府（www.wuhan.gov.test）") == "某省某市（某网站地址）"
    ministry = anonymise.for_site({"name": "国家市场监督管理总局", "level": "ministry", "site_id": "bm1",
                                   "url": "http://www.samr.gov.test/"}, LEVELS)
    assert ministry("国家市场监督管理总局网站写作“国家税务局”") == "某部委网站写作“国家税务局”"  # other names stay


def test_anonymiser_rules_work_as_plain_regular_expressions():
    import re

    an = anonymise.for_site({"name": "武汉市人民政府", "level": "city", "province": "湖北",
                             "url": "http://www.wuhan.gov.test/", "site_id": "4201000001"}, LEVELS)
    value = "武汉市召开会议 http://www.wuhan.gov.test/x 湖北省"
    for pattern, replacement in an.rules():
        value = re.sub(pattern, replacement, value, flags=re.I)
    assert value == "某市召开会议 某网站地址 某省"


def row(rank, sid, name, total, tie=False, delta=None, linked=True):
    return {"rank": rank, "site_id": sid, "name": name, "short": text.short_name(name), "total": total,
            "delta": delta, "tie": tie, "vetoed": False, "linked": linked}


def test_top_lines_share_a_line_for_tied_sites():
    ranked = [row(1, "11", "北京市人民政府", "97.0"), row(2, "35", "福建省人民政府", "95.0", True),
              row(2, "42", "湖北省人民政府", "95.0", True)] + [row(r, str(r), f"{r}省人民政府", "90") for r in
                                                               range(3, 13)]
    lines = groups.top_lines(ranked, 10)
    assert [x["text"] for x in lines[:2]] == ["第一名：北京市", "第二名：福建省、湖北省"]
    assert lines[-1]["rank"] == 10


def test_score_distribution_bins():
    labels, counts = groups.distribution([45.0, 59.9, 60.0, 95.0, 90.0])
    assert labels == ["<50", "50–60", "60–70", "70–80", "80–90", "≥90"] and counts == [1, 1, 1, 0, 0, 2]


def test_adoption_counts_with_channel_words():
    findings = pd.DataFrame([
        {"site_id": "a", "check_id": "media.channels", "value": "weibo;wechat;app", "status": "pass"},
        {"site_id": "b", "check_id": "media.channels", "value": "weibo", "status": "fail"},
        {"site_id": "c", "check_id": "media.channels", "value": "", "status": "not_measured"},
        {"site_id": "a", "check_id": "security.https", "value": "true", "status": "pass"},
        {"site_id": "b", "check_id": "security.https", "value": "false", "status": "fail"},
    ])
    measures = [{"id": "all", "check": "media.channels", "when": {"value_has": ["weibo", "wechat", "app"]}},
                {"id": "weibo", "check": "media.channels", "when": {"value_has": ["weibo"]}},
                {"id": "https", "check": "security.https", "when": "pass"}]
    got = highlights.counts(findings, {"a": "ministry", "b": "ministry", "c": "ministry"}, measures)
    assert got == {("ministry", "all"): (1, 3), ("ministry", "weibo"): (2, 3), ("ministry", "https"): (1, 2)}


def test_needles_come_from_the_theme_and_the_finding():
    detail = "首页有2个不可用链接：“历史专题1”（404）；“历史专题2”（404）"
    assert needles_for(["quoted", "专题"], "2", detail) == ["历史专题1", "历史专题2", "专题"]
    assert needles_for(["listed"], "", "3个栏目为空白栏目：统计信息、建议提案办理（无）、应急管理") == [
        "统计信息", "建议提案办理", "应急管理"]
    html = "<ul><li>主办：某某办公厅</li><li><a>历史专题1</a> 2018-01-01</li></ul><script>var x='历史专题1'</script>"
    assert quote(html, ["历史专题1"]) == "历史专题1"


def test_xlsx_is_the_same_bytes_and_never_holds_a_formula():
    frame = pd.DataFrame({"site_id": ["a"], "detail": ["=HYPERLINK(\"http://x\")\x01"], "total": [1.5]})
    frames = {"findings": frame, "scores": frame, "rankings": frame}
    one, two = exports.xlsx(frames, {}, "2018-10-15"), exports.xlsx(frames, {}, "2018-10-15")
    assert one == two
    sheet = zipfile.ZipFile(io.BytesIO(one)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and 't="inlineStr"' in sheet and "=HYPERLINK(&quot;" not in sheet
    assert "\x01" not in sheet and "说明" in sheet


def test_digest_is_over_canonical_json():
    rows = {"scores": [{"site_id": "a", "total": 90.0, "name": "甲"}], "findings": []}
    same = {"findings": [], "scores": [{"name": "甲", "total": 90.0, "site_id": "a"}]}
    assert exports.digest(rows) == exports.digest(same)
    doc = json.loads(exports.results_json({"site_id": "a", "name": "甲"}, 2018, "2018-10-15", rows,
                                          exports.digest(rows)))
    assert exports.digest(doc["results"]) == doc["verification"]["sha256"]


def test_charts_are_static_and_reproducible():
    a = charts.regional("r", ["信息发布", "办事服务"], [("东部地区", [80.0, 70.0]), ("全国", [75.0, None])])
    b = charts.regional("r", ["信息发布", "办事服务"], [("东部地区", [80.0, 70.0]), ("全国", [75.0, None])])
    assert a == b and a.startswith("<svg") and "<script" not in a and "<!--" not in a and "http://" not in a.replace(
        "http://www.w3.org/", "")
    bars = charts.breakdown("x", ["<b>信息发布</b>"], [50.0], [40.0])
    assert "&lt;b&gt;信息发布&lt;/b&gt;" in bars and "<b>" not in bars


def test_capture_summary_read_fast_equals_the_parsed_one():
    from govweb.capture import Capture, DatedItem, Link, LinkCheck, Page
    from govweb.publish.inputs import CaptureInfo

    pages = [Page(url="http://a.gov.test/", final_url="http://a.gov.test/", kind="home", title='首页 "引号" \\ 斜杠',
                  html_key="evidence/2018/a/pages/1.html", screenshot_key="evidence/2018/a/shots/1.png",
                  links=[Link(href="http://a.gov.test/x", text="x")], items=[DatedItem(title="t", url="u")]),
             Page(url="http://a.gov.test/b", kind="board", html_key="evidence/2018/a/pages/2.html", encoding="gbk"),
             Page(url="http://a.gov.test/c", kind="article", error="timeout")]
    cap = Capture(site_id="a", url="http://a.gov.test/", year=2018, as_of="2018-10-15", mode="sim", pages=pages,
                  link_checks=[LinkCheck(url="http://a.gov.test/x", source="http://a.gov.test/")])
    raw = cap.to_json_bytes()
    fast = CaptureInfo._scan(raw)
    doc = json.loads(raw)
    assert fast is not None
    assert fast == CaptureInfo._of(doc["site_id"], doc["mode"], doc["status"], doc["pages"])
    assert fast.home_shot == "evidence/2018/a/shots/1.png"
    assert fast.pages["evidence/2018/a/pages/2.html"].encoding == "gbk"
    assert fast.pages["evidence/2018/a/pages/1.html"].title == '首页 "引号" \\ 斜杠'
    assert CaptureInfo._scan(raw.replace(b'"kind":"board"', b'"kind" : "board"')) is None  # another layout: parse
