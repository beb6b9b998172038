"""List extraction on portal markup: TRS, Hanweb tables and datastores, div rows, dl, flat <br> lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.lists import iframe_sources, list_items, main_list, script_list_pending

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
AS_OF = date(2018, 10, 15)
SITE = "http://www.example.gov.cn"


def page(name: str) -> LexborHTMLParser:
    return LexborHTMLParser((FIXTURES / name).read_text(encoding="utf-8"))


def html(body: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>")


# ---------------------------------------------------------------- list_items


def test_trs_column_items_dates_and_titles():
    items = list_items(page("trs_column.html"), f"{SITE}/zwgk/tzgg/index.html", AS_OF)
    assert len(items) == 8
    assert items[0].url == f"{SITE}/zwgk/tzgg/201810/t20181012_3456789.html"
    assert items[0].date == "2018-10-12" and items[0].precision == "day"
    assert items[1].title == "某某市人民政府办公室关于印发2018年全市政务公开工作要点的通知"  # title attr for "..."
    assert items[-1].url == "http://www.other.gov.cn/art/2018/3/26/art_1_999.html"
    urls = {i.url for i in items}
    assert not any("/zwgk/zwdt/" in u or u.endswith("/wzdt/") for u in urls)  # sidebar, footer (dated) excluded
    assert [i.date for i in items] == sorted((i.date for i in items), reverse=True)


def test_hanweb_table_date_cell_beats_date_in_title():
    items = list_items(page("hanweb_table.html"), f"{SITE}/col/col1301/index.html", AS_OF)
    by_title = {i.title: i for i in items}
    assert len(items) == 4
    assert by_title["关于2018年9月1日起实施新版城乡居民医保政策的通知"].date == "2018-09-04"
    assert by_title["某某县人民政府关于印发2018年工作要点的通知"].date == "2018-09-30"
    assert all("〔" not in i.title for i in items)
    assert not any("col1229" in i.url for i in items)  # nav row, and the dated footer row has no link


def test_div_rows_respect_base_href_drop_fragments_future_and_duplicates():
    items = list_items(page("div_rows_base.html"), "http://elsewhere.example.org/x/y.html", AS_OF)
    assert [i.url for i in items] == [
        f"{SITE}/zwgk/zwdt/202011/t20201102_001.html",
        f"{SITE}/zwgk/zwdt/202010/t20201029_002.html",
        f"{SITE}/zwgk/tzgg/t20181008_003.html",
    ]
    assert items[1].title == "副市长带队督查秋冬季大气污染防治工作"  # first occurrence kept
    assert items[2].title == "关于举办2018年秋季人才交流大会的通知"  # "…" truncation -> title attribute
    assert [i.date for i in items] == ["2018-10-12", "2018-10-09", "2018-10-08"]


def test_future_item_appears_once_as_of_moves():
    later = list_items(page("div_rows_base.html"), SITE, date(2018, 11, 1))
    assert any(i.url.endswith("t20181031_004.html") and i.date == "2018-10-31" for i in later)


def test_dl_pairs_flat_br_lists_and_date_first_rows():
    items = {i.url.rsplit("/", 2)[-2] + "/" + i.url.rsplit("/", 1)[-1]: i.date
             for i in list_items(page("dl_and_flat.html"), SITE, AS_OF)}
    assert items == {
        "0912/501.html": "2018-09-12",
        "0905/500.html": "2018-09-05",
        "gg/31.html": "2018-08-21",
        "gg/30.html": "2018-07-10",
        "tz/9.html": "2018-06-18",
        "rq/2.html": "2018-06-01",
        "rq/1.html": "2018-05-20",
    }  # 499 ("暂无日期") and gg/29 (no date after it) carry no date of their own


def test_month_only_archive():
    items = list_items(page("month_archive.html"), f"{SITE}/tjxx/", AS_OF)
    assert [(i.date, i.precision) for i in items] == [
        ("2018-09-01", "month"), ("2018-08-01", "month"), ("2018-07-01", "month"), ("2018-06-01", "month")]
    assert not any("201812" in i.url for i in items)  # 2018-12 is after as_of


def test_yearless_dates_around_new_year():
    items = list_items(page("yearless_newyear.html"), SITE, date(2018, 1, 5))
    assert [i.date for i in items] == ["2018-01-03", "2018-01-02", "2017-12-30", "2017-12-28", "2017-01-06"]


def test_gbk_page_decoded_then_listed():
    from govweb.parse.charset import decode, detect_encoding

    body = (FIXTURES / "gbk_news.html").read_text(encoding="utf-8").encode("gbk")
    tree = LexborHTMLParser(decode(body, detect_encoding(body, "utf-8")))
    items = list_items(tree, SITE, AS_OF)
    assert [i.title for i in items][:1] == ["县长主持召开县政府常务会议研究部署秋冬季重点工作"]
    assert [i.date for i in items] == ["2018-09-10", "2018-09-06", "2018-09-01"]


def test_hanweb_datastore_records_are_read():
    items = list_items(page("hanweb_datastore.html"), SITE, AS_OF)
    assert [i.url for i in items] == [f"{SITE}/art/2018/10/12/art_1229_90001.html",
                                      f"{SITE}/art/2018/10/10/art_1229_90000.html"]


def test_date_never_taken_from_neighbour_row_or_footer():
    tree = html("""
      <ul class="news"><li><a href="/a.html">没有日期的一条</a></li><li><a href="/b.html">有日期的一条</a>
      <span>2018-09-04</span></li></ul>
      <div class="box"><div class="item"><a href="/c.html">无日期条目</a></div>
      <div class="item"><a href="/d.html">有日期条目</a><span>2018-09-05</span></div></div>
      <div class="single"><a href="/e.html">孤立链接</a></div><p>本页更新于2018-10-14</p>
      <div id="footer"><a href="/map.html">网站地图</a> 2018-10-14</div>""")
    items = list_items(tree, SITE, AS_OF)
    assert [(i.url, i.date) for i in items] == [(f"{SITE}/b.html", "2018-09-04"), (f"{SITE}/d.html", "2018-09-05")]


def test_date_inside_anchor_text_or_title_attribute():
    tree = html("""
      <ul><li><a href="/a.html"><span class="t">会议纪要</span><span class="d">2018-09-04</span></a></li>
      <li><a href="/b.html" title="发布于2018年9月3日">会议通知</a></li>
      <li><a href="/c.html">2018年工作要点</a></li></ul>""")
    items = list_items(tree, SITE, AS_OF)
    assert [(i.url.rsplit("/", 1)[-1], i.date) for i in items] == [("a.html", "2018-09-04"), ("b.html", "2018-09-03")]


def test_column_tag_link_in_row_is_not_an_item():
    tree = html("""<ul><li><a href="/col/zwdt/">[政务动态]</a><a href="/art/1.html">全市经济运行分析会召开</a>
      <span>2018-09-04</span></li></ul>""")
    assert [i.url for i in list_items(tree, SITE, AS_OF)] == [f"{SITE}/art/1.html"]


def test_nav_breadcrumb_pager_never_items_even_with_dates():
    tree = html("""
      <nav><a href="/n1.html">政务公开 2018-09-01</a></nav>
      <div class="mainnav"><ul><li><a href="/n2.html">首页</a><span>2018-09-02</span></li></ul></div>
      <div class="breadcrumb"><a href="/n3.html">首页</a> 2018-09-03</div>
      <div class="pagination"><a href="/n4.html">下一页</a> 2018-09-04</div>
      <ul class="list"><li><a href="/ok.html">正文条目</a> 2018-09-05</li></ul>""")
    assert [i.url for i in list_items(tree, SITE, AS_OF)] == [f"{SITE}/ok.html"]


def test_non_http_links_ignored():
    tree = html("""<ul><li><a href="javascript:void(0)">脚本</a> 2018-09-01</li>
      <li><a href="mailto:a@b.cn">邮件</a> 2018-09-02</li><li><a href="#top">顶部</a> 2018-09-03</li></ul>""")
    assert list_items(tree, SITE, AS_OF) == []


# ---------------------------------------------------------------- main_list


def test_main_list_trs_merges_chunked_uls_and_skips_sidebar():
    items = main_list(page("trs_column.html"), f"{SITE}/zwgk/tzgg/index.html", AS_OF)
    assert len(items) == 8
    assert all(i.date for i in items)


def test_main_list_keeps_undated_rows_and_future_rows_undated():
    items = main_list(page("month_archive.html"), f"{SITE}/tjxx/", AS_OF)
    assert len(items) == 5
    assert items[-1].url.endswith("201812.html") and items[-1].date == "" and items[-1].precision == ""


def test_main_list_undated_column_beats_short_nav():
    tree = html("""
      <div class="top"><ul id="dh"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
        <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
        <li><a href="/sy/">专题</a></li></ul></div>
      <div class="l"><ul><li><a href="/c1/">机构职能</a></li><li><a href="/c2/">领导信息</a></li>
        <li><a href="/c3/">政策文件</a></li><li><a href="/c4/">规划计划</a></li><li><a href="/c5/">统计信息</a></li>
        <li><a href="/c6/">人事信息</a></li></ul></div>
      <div class="r"><ul><li><a href="/p/1.html">某某市人民政府关于印发某某市城市总体规划的通知</a></li>
        <li><a href="/p/2.html">某某市国民经济和社会发展第十三个五年规划纲要</a></li>
        <li><a href="/p/3.html">某某市土地利用总体规划（2006-2020年）调整方案</a></li></ul></div>""")
    items = main_list(tree, SITE, AS_OF)
    assert [i.url.rsplit("/", 1)[-1] for i in items] == ["1.html", "2.html", "3.html"]
    assert all(i.date == "" for i in items)


def test_main_list_empty_column_page():
    tree = html("""<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
      <div class="list"><ul></ul><p>暂无信息</p></div><div class="footer">主办单位 2018-10-14</div>""")
    assert main_list(tree, SITE, AS_OF) == []


def test_main_list_table_rows_with_links_only():
    items = main_list(page("hanweb_table.html"), f"{SITE}/col/col1301/index.html", AS_OF)
    assert len(items) == 4
    assert items[0].title == "某某县人民政府关于印发2018年工作要点的通知"


def test_main_list_single_dated_item_falls_back_to_list_items():
    tree = html("""<div class="list"><ul><li><a href="/only.html">唯一一条信息</a>
      <span>2018-09-01</span></li></ul></div>""")
    assert [i.date for i in main_list(tree, SITE, AS_OF)] == ["2018-09-01"]


def test_main_list_ignores_pager_number_links():
    tree = html("""<div class="box"><a href="?p=1">1</a><a href="?p=2">2</a><a href="?p=3">3</a><a href="?p=4">4</a>
      <a href="?p=2">下一页</a></div>
      <ul class="zx"><li><a href="/x/1.html">关于开展安全生产大检查的通知</a></li>
      <li><a href="/x/2.html">关于做好冬季供暖工作的通知</a></li></ul>""")
    assert [i.url.rsplit("/", 1)[-1] for i in main_list(tree, SITE, AS_OF)] == ["1.html", "2.html"]


# ---------------------------------------------------------------- script_list_pending


@pytest.mark.parametrize("name", ["ajax_list.html", "vue_list.html"])
def test_script_built_lists_are_pending(name):
    assert script_list_pending(page(name))


@pytest.mark.parametrize("name", ["trs_column.html", "hanweb_table.html", "div_rows_base.html",
                                  "hanweb_datastore.html", "month_archive.html", "frames.html"])
def test_static_pages_are_not_pending(name):
    assert not script_list_pending(page(name))


def test_pending_variants():
    fetcher = "<script>fetch('/api/list').then(r => r.json()).then(render)</script>"
    assert script_list_pending(html('<div class="list" data-src="/api/list?col=12"></div>'))
    assert script_list_pending(html(f"<table><tbody id='tb'></tbody></table>{fetcher}"))
    header_only = "<table><thead><tr><th>标题</th><th>日期</th></tr></thead><tbody></tbody></table>"
    assert script_list_pending(html(header_only + fetcher))
    assert not script_list_pending(html(header_only))
    assert script_list_pending(html("<ul id='news'><li>加载中...</li></ul>"
                                    "<script>document.write('<li><a href=1.html>x</a></li>')</script>"))
    xhr = ("<script>var x=new XMLHttpRequest();x.open('GET','/l');"
           "x.onload=function(){document.getElementById('box').innerHTML=x.responseText}")
    assert script_list_pending(html(f"<div id='box'></div>{xhr};</script>"))
    # an empty list but no script filling it: nothing for a browser to add
    assert not script_list_pending(html("<ul class='list'></ul><p>暂无信息</p>"))
    # analytics + jQuery on a static, undated list
    static = "".join(f"<li><a href='/a/{i}.html'>关于开展第{i}批政务公开标准化试点的通知</a></li>" for i in range(5))
    analytics = "<script>$.ajax({url:'/count',data:{id:1}});var _hmt=[];</script><div id='count'></div>"
    assert not script_list_pending(html(f"<ul class='list'>{static}</ul>{analytics}"))


# ---------------------------------------------------------------- iframes


def test_iframe_sources_resolved_unique_http_only():
    assert iframe_sources(page("frames.html"), "http://www.example.gov.cn/") == [
        "http://xxgk.example.gov.cn/sites/catalog/list.jsp?dept=12",
        "http://map.example.gov.cn/embed?id=3",
    ]


def test_frameset_frames():
    tree = LexborHTMLParser("<html><frameset cols='20%,80%'><frame src='left.html'><frame src='main.html'>"
                            "<frame src='about:blank'></frameset></html>")
    assert iframe_sources(tree, "https://www.example.gov.cn/xxgk/") == [
        "https://www.example.gov.cn/xxgk/left.html", "https://www.example.gov.cn/xxgk/main.html"]


def test_today_clock_widget_is_no_items_date():
    tree = html("""<div class="box"><div class="zt"><a href="/zt/2018.html">专题：2018年改革开放四十周年</a></div>
      <div class="clock">今天是2018年10月15日 星期一</div><div class="links"><a href="/l1">链接一</a></div></div>""")
    assert list_items(tree, SITE, AS_OF) == []


def test_template_element_and_placeholders_are_pending():
    row_template = "<template id='row'><li><a></a><span></span></li></template>"
    assert script_list_pending(html(f"<ul class='list'></ul>{row_template}"))
    assert script_list_pending(html("<div class='list'><p>{{ item.title }}</p></div>"))
    assert not script_list_pending(html("<div class='list'><p>暂无内容</p></div>"))


def test_article_prose_with_link_and_date_is_not_a_list_row():
    prose = ("根据《某某市人民政府关于进一步加强政务公开工作的意见》要求，现将有关事项通知如下。" * 5)
    tree = html(f"""<div class="article"><p>{prose}详见<a href="/zcwj/1.html">原文件</a>，
      自2018年9月4日起施行。</p><p>附件：<a href="/fj/1.doc">申请表</a> 2018-09-04</p></div>""")
    assert [i.url for i in list_items(tree, SITE, AS_OF)] == [f"{SITE}/fj/1.doc"]
