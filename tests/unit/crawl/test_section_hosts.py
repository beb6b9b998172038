"""County portals serving 政府信息公开 from xxgk.<their domain> (an ASP.NET platform, GBK, its own left menu) and
政民互动 from hd.<their domain>: the section hosts linked from the home navigation are the site's own; other
subdomains (a department's site) stay other sites."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from govweb.crawl import markup
from govweb.crawl.plan import discover, sibling_host, site_domain
from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import LoopWeb, Route, html

CAPTURES = Path(__file__).resolve().parents[2] / "fixtures" / "captures" / "publishing"
HOST = "www.mouxian.test"
SITE = f"http://{HOST}/"
XXGK = "http://xxgk.mouxian.test/"
HOME = f"""<html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>
<table class="menu"><tr>
  <td><a href="/index.asp">网站首页</a></td><td><a href="/list.aspx?ClassID=1">政务要闻</a></td>
  <td><a href="{XXGK}">政府信息公开</a></td><td><a href="http://fgw.mouxian.test/">县发改委</a></td>
  <td><a href="http://www.hnzwfw.test/">网上办事</a></td></tr></table>
<p>主办：某某县人民政府办公室</p></body></html>"""


@pytest.mark.parametrize(("host", "site", "same"), [
    ("xxgk.songchuan.gov.cn", "www.songchuan.gov.cn", True),
    ("songchuan.gov.cn", "www.songchuan.gov.cn", True),
    ("www.songchuan.gov.cn", "www.songchuan.gov.cn", False),  # the site itself, not a sibling
    ("www.hnzwfw.gov.cn", "www.songchuan.gov.cn", False),
    ("xxgk.henan.gov.cn", "www.gov.cn", False),  # www.gov.cn's domain would be the whole of gov.cn
    ("hd.site.test", "www.site.test", True),
])
def test_sibling_hosts(host, site, same):
    assert sibling_host(host, site) is same
    assert site_domain("www.gov.cn") == "" and site_domain("www.songchuan.gov.cn") == "songchuan.gov.cn"


def test_links_internal_on_any_own_host():
    tree = markup.tree_of(HOME)
    found = {lk.href: lk.internal for lk in markup.links(tree, SITE, {HOST, "xxgk.mouxian.test"})}
    assert found[XXGK] and found[f"{SITE}list.aspx?ClassID=1"]
    assert not found["http://fgw.mouxian.test/"] and not found["http://www.hnzwfw.test/"]


async def _discover(tmp_path):
    from tests.unit.crawl.loopweb import crawl_env

    web = LoopWeb()
    web.add(HOST, "/", html(HOME))
    platform = (CAPTURES / "xxgk_platform_aspnet_gbk.html").read_bytes()
    web.add("xxgk.mouxian.test", "/", Route(platform, charset="gb2312"))
    async with crawl_env(web, tmp_path, SITE) as sc:
        home = await http_page(sc, SITE, "home")
        await discover(sc, home)
        return sc.capture.columns, sc.section_hosts


def test_disclosure_platform_on_a_subdomain_is_opened_as_the_sites_section(tmp_path):
    cols, hosts = asyncio.run(_discover(tmp_path))
    by_name = {c.name: c for c in cols}
    assert hosts == {"xxgk.mouxian.test"}
    assert not by_name["政府信息公开"].offsite and by_name["网上办事"].offsite and by_name["县发改委"].offsite
    # the platform's left menu (class xxgk_menu) lists the section's columns; its 信息公开首页 link is no column
    subs = [c.name for c in cols if c.parent == "政府信息公开"]
    assert subs == ["信息公开指南", "信息公开制度", "信息公开目录", "政府文件", "重点领域信息公开", "信息公开年报",
                    "依申请公开"]
    assert all(not c.offsite for c in cols if c.parent == "政府信息公开")


async def _robots_on_section_host(tmp_path):
    from tests.unit.crawl.loopweb import crawl_env

    web = LoopWeb()
    web.add(HOST, "/", html(HOME))
    platform = (CAPTURES / "xxgk_platform_aspnet_gbk.html").read_bytes()
    web.add("xxgk.mouxian.test", "/", Route(platform, charset="gb2312"))
    web.add("xxgk.mouxian.test", "/robots.txt", Route(b"User-agent: *\nDisallow: /Info.aspx\n",
                                                      content_type="text/plain"))
    async with crawl_env(web, tmp_path, SITE) as sc:
        home = await http_page(sc, SITE, "home")
        await discover(sc, home)
        blocked = await http_page(sc, f"{XXGK}Info.aspx?id=1", "disclosure")
        return sc, web, blocked


def test_an_adopted_section_hosts_robots_txt_is_read_recorded_and_obeyed(tmp_path):
    sc, web, blocked = asyncio.run(_robots_on_section_host(tmp_path))
    [record] = sc.capture.section_robots
    assert record.url == f"{XXGK}robots.txt" and record.status == 200 and record.text_key
    assert sc.store.get(record.text_key).startswith(b"User-agent")
    # the section host's rule governs its own pages only: never requested, listed as skipped
    assert blocked is None and web.hits[("xxgk.mouxian.test", "/Info.aspx?id=1")] == 0
    assert f"{XXGK}Info.aspx?id=1" in sc.capture.robots.disallowed_paths_hit
    assert sc.robots_allow(f"{SITE}Info.aspx?id=1") and sc.robots_allow(f"{XXGK}List.aspx?cid=10")
    # the home navigation's other hosts (a department's site) are not adopted: their robots.txt is not read
    assert web.hits[("fgw.mouxian.test", "/robots.txt")] == 0
