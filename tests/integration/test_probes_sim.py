"""The crawl-time probes against the simulated web (demo world): search finds its target, IPv6 via dns.gov.test."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from govweb import extract
from govweb.capture import Capture, Link, Page
from govweb.crawl import probes, shell
from govweb.crawl.browser import launch_options
from govweb.crawl.network import NetworkPolicy
from govweb.evidence import FileStore
from govweb.parse import lists

AS_OF = date(2018, 10, 15)
# a plain GET form; a GBK site; a script-driven box beside a login form (iframes, a clock); no search at all
SITES = ("www.beijing.gov.test", "www.szlh.gov.test", "www.sc.gov.test", "www.qingdao.gov.test")


async def _home(context, url: str) -> tuple[Page, str]:
    tab = await context.new_page()
    await tab.goto(url, wait_until="load")
    html, final = await tab.content(), tab.url
    framed = await shell.main_frame(tab, lambda url: True)  # a frameset site: its main frame is the home page
    if framed is not None:
        final, html = framed
    await tab.close()
    tree = extract.parse(html)
    page = Page(url=url, final_url=final, kind="home", via="browser",
                links=[Link(href=lk.href, text=lk.text, internal=lk.internal) for lk in extract.links(tree, final)],
                items=lists.list_items(tree, final, AS_OF))
    return page, html


@pytest.mark.browser
def test_search_probe_on_sim_sites(sim_server, demo_world, tmp_path):
    from playwright.async_api import async_playwright

    policy = NetworkPolicy.from_args([sim_server.host_map], allow_private=True)
    store = FileStore(tmp_path)

    async def go():
        out = {}
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options(policy))
            for host in SITES:
                context = await browser.new_context(locale="zh-CN")
                home, html = await _home(context, f"http://{host}/")
                cap = Capture(site_id=host, url=home.url, year=2018, as_of=AS_OF.isoformat(), pages=[home])
                out[host] = await probes.search_probe(context, home, html, cap, store, f"ev/{host}", policy)
                await context.close()
            await browser.close()
        return out

    results = asyncio.run(go())
    for host in SITES:
        probe, sim = results[host], demo_world.by_host(host)
        if sim.defects.get("search.present"):
            assert probe.attempted and probe.how == "none" and probe.result_key == "", host
            continue
        assert probe.error == "" and probe.query and probe.target_url.startswith(f"http://{host}/"), (host, probe)
        assert probe.found_target is True and probe.result_count >= 1, (host, probe)
        assert (tmp_path / probe.result_key).exists()
    assert results["www.sc.gov.test"].how == "script" and results["www.beijing.gov.test"].how == "form"
    # sc: a script box without an Enter handler beside a login form, and a clock rewritten every second
    # (neither the clock's changes nor the home page's own link to the target are the search's results)
    assert results["www.sc.gov.test"].result_url.startswith("http://www.sc.gov.test/search?q=")


def test_ipv6_probe_through_the_sim_resolver(sim_server, demo_world):
    policy = NetworkPolicy.from_args([sim_server.host_map], allow_private=True)
    hosts = sorted(demo_world.sites)

    async def go():
        return await asyncio.gather(*(probes.ipv6_probe(h, "http://dns.gov.test/resolve", policy=policy)
                                      for h in [*hosts, "www.nowhere.gov.test"]))

    *found, missing = asyncio.run(go())
    for host, probe in zip(hosts, found, strict=True):
        expected = [] if demo_world.sites[host].defects.get("network.ipv6") else ["::1"]
        assert (probe.addresses, probe.error) == (expected, ""), host
    assert missing.error == "dns" and missing.addresses == []
