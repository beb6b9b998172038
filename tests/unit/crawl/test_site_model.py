"""The site model built over HTTP from a hand-written portal: columns (nav, blocks, sections, key areas),
list pages and second pages (TRS script pagination, ?page=2), script-built lists re-rendered, iframes,
the letters board, service guides with their downloads, link checks, robots."""

from __future__ import annotations

import asyncio

import pytest

from govweb.capture import Capture
from govweb.crawl.render import http_page
from govweb.crawl.site import site_model
from tests.unit.crawl.loopweb import FIXTURES, LoopWeb, crawl_env
from tests.unit.crawl.sitefixture import SITE, FakePool, portal

COL_SCRIPT = f"{SITE}col/col103/index.html"


async def _crawl(tmp_path) -> tuple[Capture, FakePool]:
    web = portal(LoopWeb())
    pool = FakePool({COL_SCRIPT: (FIXTURES / "col_script_rendered.html").read_text(encoding="utf-8")})
    async with crawl_env(web, tmp_path, SITE) as sc:
        sc.shared.browser, sc.context = pool, object()
        from govweb.crawl.site import read_robots
        await read_robots(sc)
        home = await http_page(sc, SITE, "home")
        await site_model(sc, home)
        cap = sc.capture
    return Capture.from_json(cap.to_json_bytes()), pool


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return asyncio.run(_crawl(tmp_path_factory.mktemp("site")))


def col(cap: Capture, name: str):
    return next(c for c in cap.columns if c.name == name)


def test_home_page_decoded_from_gbk_meta_with_iframe_items(crawled):
    cap, _ = crawled
    home = cap.home
    assert home.encoding in ("gb18030", "gbk", "gb2312")
    assert home.title == "测试市人民政府门户网站"
    assert home.meta["SiteIDCode"] == "3301000001"
    titles = {i.title for i in home.items}
    assert "我市举行重大项目集中开工仪式" in titles
    assert "关于开展第二次全国污染源普查的公告" in titles  # from the iframe, merged
    framed = cap.page(f"{SITE}frag/notice.html")
    assert framed is not None and framed.kind == "other" and len(framed.items) == 2


def test_columns_classified_from_nav_sections_and_key_areas(crawled):
    cap, _ = crawled
    assert col(cap, "要闻动态").category == "news"
    assert col(cap, "通知公告").category == "notice"
    assert col(cap, "政府信息公开").category == "disclosure"
    assert col(cap, "互动交流").category == "interaction"
    zn = col(cap, "政府信息公开指南")
    assert (zn.found_in, zn.parent, zn.category) == ("section", "政府信息公开", "disclosure")
    policy = col(cap, "政策文件")
    assert policy.found_in == "section" and policy.category == "policy"
    zfcg = col(cap, "政府采购")
    assert (zfcg.category, zfcg.found_in) == ("key_area", "key_area")
    assert len(zfcg.items) == 2
    names = {c.name for c in cap.columns}
    assert not names & {"我要写信", "企业投资项目备案办事指南", "关于道路积水严重的问题"}  # buttons and entries
    land = col(cap, "土地出让")
    assert land.offsite and land.category == "key_area" and not land.list_pages


def test_trs_script_pagination_fetches_index_1(crawled):
    cap, _ = crawled
    news = col(cap, "要闻动态")
    assert news.paginates and news.total_pages == 3
    assert news.list_pages == [f"{SITE}col/col101/index.html", f"{SITE}col/col101/index_1.html"]
    assert len(news.items) == 6  # union of both list pages
    assert {p.kind for p in cap.pages if p.column == news.url and p.url in news.list_pages} == {"column"}
    assert len(news.sampled) == cap.limits.items_per_column and all(cap.page(u).kind == "article" for u in news.sampled)


def test_table_list_with_query_pagination(crawled):
    cap, _ = crawled
    notice = col(cap, "通知公告")
    assert notice.paginates and notice.total_pages == 2
    assert notice.list_pages[1].endswith("index.html?page=2")
    assert {i.date for i in notice.items} >= {"2018-09-20", "2018-06-01"}


def test_script_built_list_is_rerendered_in_the_browser(crawled):
    cap, pool = crawled
    assert pool.visits == [COL_SCRIPT]
    page = cap.page(COL_SCRIPT)
    assert page.via == "browser"
    jd = col(cap, "政策解读")
    assert len(jd.items) == 2 and jd.items[0].date == "2018-10-01"


def test_board_first_and_last_pages_with_sampled_letters(crawled):
    cap, _ = crawled
    board = cap.board
    assert board is not None and board.total_pages == 5
    assert board.list_pages == [f"{SITE}hdjl/", f"{SITE}hdjl/list_5.html"]
    assert len(board.letters) == 4
    assert {x.status_word for x in board.letters} == {"处理中", "已回复", "已办结"}
    detailed = [x for x in board.letters if x.reply_text]
    assert len(detailed) == 3 and all(x.replied == "2018-10-09" for x in detailed)
    waiting = next(x for x in board.letters if x.status_word == "处理中")
    assert not waiting.replied and waiting.asked == "2018-10-12"
    assert {p.kind for p in cap.pages if p.url in board.list_pages} == {"board"}
    assert cap.pages_of("letter")


def test_guides_with_labels_and_attachment_checks(crawled):
    cap, _ = crawled
    assert len(cap.guides) == 2
    guide = cap.guides[0]
    assert {"事项名称", "设定依据"} <= set(guide.labels) or len(guide.labels) >= 5
    by_url = {a.url: a for a in guide.attachments}
    doc = by_url[f"{SITE}bsfw/files/form_1.doc"]
    assert doc.status == 200 and doc.method == "GET"  # HEAD answered 405 -> GET
    assert by_url[f"{SITE}bsfw/files/missing.xls"].broken
    assert [lk.href for lk in cap.platform_links] == ["http://zwfw.gov.test/3301/"]


def test_link_checks_cover_home_and_inner_pages_deduplicated(crawled):
    cap, _ = crawled
    urls = [c.url for c in cap.link_checks]
    assert len(urls) == len(set(urls))
    assert "http://www.gov.test/" in urls
    gone = next(c for c in cap.link_checks if c.url == "http://gone.test/")
    assert gone.broken and gone.source == SITE
    inner = next(c for c in cap.link_checks if c.url == "http://broken.site.test/x.html")
    assert inner.source != SITE and inner.broken


def test_links_to_fetched_pages_take_the_fetch_and_the_rest_are_requested(crawled):
    from govweb.crawl.linkcheck import FROM_CRAWL

    cap, _ = crawled
    fetched = {p.url: p for p in cap.pages if p.status is not None}
    reused = [c for c in cap.link_checks if c.detail == FROM_CRAWL]
    assert reused and all(c.url in fetched and c.status == fetched[c.url].status for c in reused)
    assert all(c.detail != FROM_CRAWL for c in cap.link_checks if c.url not in fetched)
    requested = [c for c in cap.link_checks if c.url not in fetched]
    assert requested and all(c.method in ("HEAD", "GET", "") for c in requested)


def test_robots_recorded_and_obeyed(crawled):
    cap, _ = crawled
    assert cap.robots.fetched and cap.robots.status == 200 and cap.robots.text_key
    assert f"{SITE}col/col999/index.html" in cap.robots.disallowed_paths_hit
    assert cap.page(f"{SITE}col/col999/index.html") is None
