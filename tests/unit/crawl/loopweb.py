"""A tiny loopback web for crawler unit tests: pages routed by Host and path, with per-host counters
of requests in flight (politeness), redirects, delays and raw bytes (charsets)."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from aiohttp import web

from govweb.capture import Capture, CrawlLimits
from govweb.crawl.budget import Budget
from govweb.crawl.context import Shared, SiteCrawl
from govweb.crawl.fetch import session
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import DeadHosts
from govweb.crawl.settings import CrawlSettings
from govweb.evidence import FileStore
from govweb.models import Site

AS_OF = date(2018, 10, 15)
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "crawl"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html"
    charset: str | None = "utf-8"
    location: str = ""  # redirect target (status 301/302)
    delay_s: float = 0.0
    head_status: int | None = None  # answer HEAD differently (e.g. 405)
    delay_first_s: float = 0.0  # only the first request waits this long (a busy server, once)
    post: Route | None = None  # answer a POST with this (a server that reads form bodies)


def html(text: str, charset: str | None = "utf-8", **kw) -> Route:
    return Route(text.encode(charset or "utf-8"), charset=charset, **kw)


def fixture(name: str, charset: str | None = "utf-8", encoding: str = "utf-8", **kw) -> Route:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Route(text.encode(encoding), charset=charset, **kw)


@dataclass
class LoopWeb:
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)  # (host, path?query) -> route
    default_delay_s: float = 0.0
    in_flight: Counter = field(default_factory=Counter)
    peak: Counter = field(default_factory=Counter)
    hits: Counter = field(default_factory=Counter)
    methods: dict = field(default_factory=lambda: defaultdict(list))
    port: int = 0
    missing: Route | None = None  # the answer to a path with no route (a soft 404); None: 404

    def add(self, host: str, path: str, route: Route) -> None:
        self.routes[(host, path)] = route

    async def handle(self, request: web.Request) -> web.StreamResponse:
        host = request.host.split(":")[0]
        key = (host, request.path_qs)
        self.hits[key] += 1
        self.methods[key].append(request.method)
        self.in_flight[host] += 1
        self.peak[host] = max(self.peak[host], self.in_flight[host])
        try:
            route = self.routes.get(key) or self.routes.get((host, request.path)) or self.missing
            await asyncio.sleep(route.delay_s if route and route.delay_s else self.default_delay_s)
            if route and route.delay_first_s and self.hits[key] == 1:
                await asyncio.sleep(route.delay_first_s)
            if route is None:
                return web.Response(status=404, text="not found")
            if request.method == "POST" and route.post is not None:
                route = route.post
            if request.method == "HEAD" and route.head_status:
                return web.Response(status=route.head_status)
            if route.location:
                return web.Response(status=route.status, headers={"Location": route.location})
            ct = route.content_type + (f"; charset={route.charset}" if route.charset else "")
            return web.Response(body=route.body, status=route.status, headers={"Content-Type": ct})
        finally:
            self.in_flight[host] -= 1

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return runner


class SilentServer:
    """Accepts connections and never answers (a host that times out)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]
        self._conns: list = []
        self._task: asyncio.Task | None = None

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        self.sock.setblocking(False)
        while True:
            conn, _ = await loop.sock_accept(self.sock)
            self._conns.append(conn)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._accept())

    def close(self) -> None:
        if self._task:
            self._task.cancel()
        for c in self._conns:
            c.close()
        self.sock.close()


@asynccontextmanager
async def crawl_env(web: LoopWeb, store_dir: Path, site_url: str = "http://www.site.test/",
                    limits: CrawlLimits | None = None, dead: DeadHosts | None = None,
                    extra_rules: tuple[str, ...] = ()) -> AsyncIterator[SiteCrawl]:
    """A site crawl context over the loopback web (every *.test host), no browser."""
    runner = await web.start()
    limits = limits or CrawlLimits(page_timeout_s=5, link_timeout_s=2)
    policy = NetworkPolicy.from_args([*extra_rules, f"*.test=127.0.0.1:{web.port}"], allow_private=True)
    try:
        async with session(policy) as http:
            shared = Shared(http=http, policy=policy, settings=CrawlSettings(probes=False), limits=limits,
                            dead=dead if dead is not None else DeadHosts())
            site = Site("t1", "测试市人民政府", site_url, "city", ("city",), "east", "测试")
            cap = Capture(site_id="t1", name=site.name, url=site_url, year=2018, as_of="2018-10-15", limits=limits)
            yield SiteCrawl(site=site, capture=cap, store=FileStore(store_dir), shared=shared, as_of=AS_OF,
                            budget=Budget(limits.max_pages, limits.max_seconds))
    finally:
        await runner.cleanup()


@asynccontextmanager
async def browser_env(web: LoopWeb, store_dir: Path, site_url: str = "http://www.site.test/") \
        -> AsyncIterator[SiteCrawl]:
    """`crawl_env` with the crawler's browser pool and a browser context for the site (Chromium)."""
    from playwright.async_api import async_playwright

    from govweb.crawl.browser import BrowserPool

    async with crawl_env(web, store_dir, site_url) as sc, async_playwright() as pw:
        pool = BrowserPool(pw, sc.shared.policy)
        sc.shared.browser = pool
        try:
            async with pool.context() as ctx:
                sc.context = ctx
                yield sc
        finally:
            await pool.close()


async def crawl_menu_columns(sc: SiteCrawl, site_url: str) -> dict:
    """The columns of the site's home page (by name), each crawled as the crawl plan crawls it."""
    from govweb.crawl.plan import crawl_column, home_columns
    from govweb.crawl.render import http_page

    home = await http_page(sc, site_url, "home")
    cols = {c.name: c for c in home_columns(sc, home)}
    for col in cols.values():
        await crawl_column(sc, col, set())
    return cols


def render_home_in_chromium(web_: LoopWeb, store_dir: Path, site_url: str = "http://www.site.test/"):
    """(Page, stored DOM) of `crawl.home.render_home` on `web_`'s home page, in a Chromium of its own."""
    from playwright.async_api import async_playwright

    from govweb.crawl.browser import launch_options
    from govweb.crawl.home import render_home

    async def run():
        async with crawl_env(web_, store_dir, site_url) as sc, async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options(sc.shared.policy))
            try:
                context = await browser.new_context(locale="zh-CN")
                doc = await render_home(sc, await context.new_page())
                return doc.page, doc.html
            finally:
                await browser.close()
    return asyncio.run(run())
