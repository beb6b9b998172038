"""Column candidates from home-page menus and blocks, section sub-columns, column categories."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb import catalogue
from govweb.parse.navigation import ColumnLink, classify, column_links, key_area_match, section_links

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "site"


def page(name: str, encoding: str = "utf-8") -> LexborHTMLParser:
    return LexborHTMLParser((SITE / name).read_bytes().decode(encoding))


@pytest.fixture(scope="module")
def synonyms() -> dict:
    return catalogue.default().dictionary("column_synonyms")


@pytest.fixture(scope="module")
def key_areas() -> dict:
    return catalogue.default().dictionary("key_areas")


def by_name(links: list[ColumnLink]) -> dict[str, ColumnLink]:
    return {c.name: c for c in links}


def test_trs_mega_menu_and_blocks():
    cols = column_links(page("trs_home.html"), "http://www.mm.gov.cn/")
    names = by_name(cols)
    # top-level menu entries and their sub-menus are columns
    expected = ("政务动态", "政务要闻", "部门动态", "县区动态", "信息公开指南", "信息公开年报", "互动交流", "市长信箱")
    for name in expected:
        assert names[name].found_in == "nav", name
    assert names["政务动态"].url == "http://www.mm.gov.cn/zwdt/"
    # a name broken over two source lines is joined
    assert names["政府信息公开"].url == "http://www.mm.gov.cn/zfxxgk/"
    # an image link counts through its alt text; an image with no text at all does not
    assert names["图片新闻"].url == "http://www.mm.gov.cn/zwdt/tpxw/"
    assert all(c.url != "http://www.mm.gov.cn/zmhd/" for c in cols)
    # the service platform is a column on another host
    assert names["政务服务"].internal is False
    assert names["市长信箱"].internal is True


def test_trs_blocks_take_heading_and_more_url():
    cols = column_links(page("trs_home.html"), "http://www.mm.gov.cn/")
    blocks = {c.name: c.url for c in cols if c.found_in == "block"}
    assert blocks == {
        "通知公告": "http://www.mm.gov.cn/tzgg/",
        "政策解读": "http://www.mm.gov.cn/zcjd/",
        "政策文件": "http://www.mm.gov.cn/zcwj/",  # 更多 link below the list, heading above it
    }
    # 政务要闻 appears in the menu and as a block (image 更多): one column, by URL
    assert [c.name for c in cols if c.url == "http://www.mm.gov.cn/zwdt/zwyw/"] == ["政务要闻"]


def test_trs_exclusions():
    cols = column_links(page("trs_home.html"), "http://www.mm.gov.cn/")
    names = {c.name for c in cols}
    for bad in ("首页", "网站首页", "English", "无障碍浏览", "登录", "注册", "设为首页", "网上调查", "联系邮箱",
                "网站地图", "联系我们", "关于本站", "更多>>"):
        assert bad not in names, bad
    assert len({c.url for c in cols}) == len(cols)
    assert all(c.url.startswith("http") for c in cols)


def test_hanweb_gbk_home():
    cols = column_links(page("hanweb_home.html", "gb18030"), "http://www.mx.gov.cn/col/col1/index.html")
    names = by_name(cols)
    assert names["政务要闻"] == ColumnLink("政务要闻", "http://www.mx.gov.cn/col/col1212/index.html", "block", True)
    assert names["通知公告"].url == "http://www.mx.gov.cn/col/col1213/index.html"
    assert names["部门动态"].url == "http://www.mx.gov.cn/col/col1214/index.html"  # the current tab names the block
    assert names["专题专栏"].found_in == "nav"  # image link named by its title attribute
    for bad in ("首 页", "首页", "网站首页", "繁體", "无障碍", "长者模式", "网站地图"):
        assert bad not in names
    assert [c.found_in for c in cols[:5]] == ["nav"] * 5


def test_section_links_skip_site_chrome():
    links = section_links(page("xxgk_section.html"), "http://www.mm.gov.cn/zfxxgk/")
    names = by_name(links)
    assert {"政府信息公开指南", "政府信息公开目录", "政府信息公开年报", "依申请公开", "国有土地使用权出让",
            "政府采购信息", "工程建设项目招标投标"} <= set(names)
    assert all(c.found_in == "section" for c in links)
    # the site menu repeated on top (unmarked list with 首页), crumbs, header search, footer
    for bad in ("政务动态", "办事服务", "互动交流", "首页", "网站地图", "联系我们", "政府信息公开"):
        assert bad not in names, bad
    # a dated document in the content is an article, not a sub-column
    assert not any("第三季度" in c.name for c in links)
    assert names["环境保护"].internal is False


@pytest.mark.parametrize(("name", "category"), [
    ("政策解读", "interpretation"), ("政策文件解读", "interpretation"), ("政策法规解读", "interpretation"),
    ("政务公开", "disclosure"), ("政府信息公开年报", "disclosure"), ("重点领域信息公开", "disclosure"),
    ("政务服务", "services"), ("政务服务网", "services"), ("政务要闻", "news"), ("互动交流", "interaction"),
    ("通知公告", "notice"), ("公示公告", "notice"), ("政策文件", "policy"), ("规范性文件", "policy"),
    ("市长信箱", "interaction"), ("部门动态", "news"), ("人事任免", "plan"), ("走进某县", "other"),
    (" 通知 公告 ", "notice"), ("", "other"),
])
def test_classify(synonyms, name, category):
    assert classify(name, synonyms) == category


def test_classify_longest_synonym_wins():
    syn = {"policy": ["政策"], "interpretation": ["政策解读"], "section_words": ["政策解读"]}
    assert classify("最新政策解读材料", syn) == "interpretation"
    assert classify("最新政策", syn) == "policy"


@pytest.mark.parametrize(("name", "area"), [
    ("国有土地使用权出让", "国有土地使用权出让"), ("土地出让信息", "国有土地使用权出让"), ("政府采购信息", "政府采购"),
    ("工程建设项目招标投标", "工程建设项目招标投标"), ("财政预决算", "财政预决算"), ("生态环境", "环境保护"),
    ("政府信息公开指南", None), ("采购", None),
])
def test_key_area_match(key_areas, name, area):
    assert key_area_match(name, key_areas) == area


def test_section_sub_menu_after_the_crumb_is_content():
    html = """<html><body>
    <table class="top"><tr><td><h1>某某省人民政府</h1></td></tr></table>
    <table class="nav"><tr><td><a href="/col/ywdt/">要闻动态</a> | <a href="/xxgk/">政府信息公开</a></td></tr></table>
    <table><tr><td class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开</td></tr></table>
    <h1>政府信息公开</h1><ul class="xxgk-nav"><li><a href="/xxgk/zn/">政府信息公开指南</a></li>
    <li><a href="/xxgk/nb/">政府信息公开年报</a></li><li><a href="/xxgk/zdly/">重点领域信息公开</a></li></ul>
    <div class="footer"><a href="/wza/">无障碍浏览</a><a href="/about/">关于我们</a></div></body></html>"""
    links = section_links(LexborHTMLParser(html), "http://www.x.gov.test/xxgk/")
    assert [c.name for c in links] == ["政府信息公开指南", "政府信息公开年报", "重点领域信息公开"]


def test_classic_table_blocks_and_span_headings():
    html = """<html><body>
    <table class="lanmu"><tr><th align="left"><a href="/col/tzgg/">通知公告</a></th>
      <th align="right"><a href="/col/tzgg/">更多</a></th></tr></table>
    <div class="lm"><div class="lm_title"><span>政策文件</span><a href="/col/zcwj/">更多</a></div>
      <ul><li><a href="/col/zcwj/1.html">关于印发某某办法的通知</a> 2018-09-01</li></ul></div>
    <div class="box"><span class="tit">人事信息</span><a href="/col/rsxx/" class="more">MORE+</a></div>
    <div class="box"><a href="/col/x/">更多</a></div>
    </body></html>"""
    links = column_links(LexborHTMLParser(html), "http://www.x.gov.test/")
    assert [(c.name, c.url, c.found_in) for c in links] == [
        ("通知公告", "http://www.x.gov.test/col/tzgg/", "block"),
        ("政策文件", "http://www.x.gov.test/col/zcwj/", "block"),
        ("人事信息", "http://www.x.gov.test/col/rsxx/", "block"),
    ]


def test_english_subtitles_dropped():
    html = """<html><body><div class="nav"><a href="/zwgk/">政务公开 <span>Government Affairs</span></a>
    <a href="/hdjl/">互动交流<br>Interaction</a><a href="/en/">English</a></div>
    <div class="box">
    <div class="tit"><h3>通知公告<span>NOTICE</span></h3><a class="more" href="/tzgg/">更多 +</a></div></div>
    </body></html>"""
    links = column_links(LexborHTMLParser(html), "http://www.x.gov.test/")
    assert [(c.name, c.found_in) for c in links] == [("政务公开", "nav"), ("互动交流", "nav"), ("通知公告", "block")]


def test_unmarked_menu_with_home_link_and_image_headings():
    cols = column_links(page("xxgk_section.html"), "http://www.mm.gov.cn/")
    nav = [c.name for c in cols if c.found_in == "nav"]
    assert nav[:4] == ["政务动态", "政府信息公开", "办事服务", "互动交流"]  # the plain <ul> holding 首页
    html = """<body><div class="lm"><div class="lm_t"><img src="/images/tzgg.png" alt="通知公告"></div>
    <div class="lm_more"><a href="/tzgg/"><img src="/images/more.gif" alt="更多"></a></div></div></body>"""
    (block,) = column_links(LexborHTMLParser(html), "http://www.x.gov.test/")
    assert (block.name, block.url, block.found_in) == ("通知公告", "http://www.x.gov.test/tzgg/", "block")


def test_site_frame_is_a_header_footer_or_crumb_on_every_fixture_element():
    """is_site_frame reads a node's attributes once (guide and letter pages ask it of every element); it must
    say what the three predicates say."""
    from govweb.parse.navigation import _is_crumb, _is_footer, _is_header, is_site_frame

    pages = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
    asked = framed = 0
    for path in sorted(pages.rglob("*.html")):
        tree = LexborHTMLParser(path.read_bytes().decode("utf-8", errors="replace"))
        for node in tree.body.traverse() if tree.body is not None else ():
            want = _is_header(node) or _is_footer(node) or _is_crumb(node)
            assert is_site_frame(node) == want, (path.name, node.tag, node.attributes)
            asked, framed = asked + 1, framed + want
    assert asked > 1000 and framed > 20


@pytest.mark.parametrize(("name", "expected"), [
    ("tabs_handlers.html", {"政务要闻": "/col/col2/index.html", "通知公告": "/col/col3/index.html"}),
    ("tabs_current_class.html", {"政务要闻": "/zwyw/", "部门动态": "/bmdt/", "乡镇动态": "/xzdt/"}),
    ("tabs_linked_labels.html", {"政策文件": "/zcwj/", "政策解读": "/zcjd/"}),
], ids=["handlers-and-inline-hidden-panels", "current-class-and-hidden-class-panels", "labels-that-link"])
def test_tabbed_blocks_name_each_panel_by_its_own_label(name, expected):
    """Each panel's 更多 link takes the label at the panel's position: not the label marked current (which
    named every panel of the box before), not the only title of a one-item list."""
    links = column_links(page(name), "http://www.x.gov.test/")
    assert {c.name: c.url.removeprefix("http://www.x.gov.test") for c in links} == expected
    assert {c.found_in for c in links} == {"block"}


def test_a_strip_of_plain_items_before_ordinary_blocks_is_not_a_tab_box():
    """Same count of short items and boxes, but nothing of a tab (no handler, no current label, no hidden panel,
    no tab class): the boxes keep their own headings."""
    html = """<html><body><ul class="links"><li>政务要闻</li><li>通知公告</li></ul>
    <div class="box"><h3>工作动态</h3><a class="more" href="/gzdt/">更多</a></div>
    <div class="box"><h3>人事信息</h3><a class="more" href="/rsxx/">更多</a></div></body></html>"""
    links = column_links(LexborHTMLParser(html), "http://www.x.gov.test/")
    assert [(c.name, c.url) for c in links] == [("工作动态", "http://www.x.gov.test/gzdt/"),
                                               ("人事信息", "http://www.x.gov.test/rsxx/")]
    # a menu marking the current entry is no tab strip either, even when as long as the run of boxes after it
    menu = html.replace('<ul class="links"><li>', '<ul class="menu"><li class="on">')
    assert [c.name for c in column_links(LexborHTMLParser(menu), "http://www.x.gov.test/")] == ["工作动态", "人事信息"]


def test_a_dated_title_is_not_a_block_name():
    html = """<html><body><div class="box"><ul><li><a href="/art/3.html">关于国庆假期安排的通知</a>[09-28]</li></ul>
    <a href="/col/col3/"><img src="/images/more.gif"></a></div></body></html>"""
    assert column_links(LexborHTMLParser(html), "http://www.x.gov.test/") == []


@pytest.mark.parametrize("label", ["更多>>", "+更多", "[更多]", "【更多】", ">>更多", "更多...", "更多…", "更&nbsp;多",
                                   "更多通知", "查看全部", "MORE+", "&gt;&gt; 更多"])
def test_more_links_as_portals_write_them(label):
    html = f"""<html><body><div class="box"><div class="t"><h3>通知公告</h3><a href="/tzgg/">{label}</a></div>
    <ul><li><a href="/tzgg/1.html">关于国庆假期安排的通知</a> 2018-09-28</li>
    <li><a href="/tzgg/2.html">关于开展安全生产大检查的通知</a> 2018-09-20</li></ul></div></body></html>"""
    links = column_links(LexborHTMLParser(html), "http://www.x.gov.test/")
    assert [(c.name, c.url, c.found_in) for c in links] == [("通知公告", "http://www.x.gov.test/tzgg/", "block")]
