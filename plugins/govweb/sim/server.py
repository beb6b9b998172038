"""aiohttp server for the simulated web: every site on one port, routed by the Host header.

Besides the sites it serves the service hosts (platforms, registries), a DNS-over-HTTPS JSON
resolver (dns.gov.test, for network.ipv6), the web archive (archive.gov.test) and, on an optional
second port, HTTPS (for security.https). Pages are generated on request, never pre-rendered; the most recently
rendered ones are kept a while (a crawler asks for the same page again soon: link check, crawl, probes), which
spares the machine the template work the crawl it serves is measured against.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

from aiohttp import web

from govweb.sim import archive, faults
from govweb.sim.content import SiteContent, generate
from govweb.sim.render import NOT_FOUND, Page, render
from govweb.sim.world import SERVICE_HOSTS, SimSite, World

log = logging.getLogger(__name__)
WEB = web.AppKey("web", object)
RENDERED_PAGES = 4096  # rendered pages kept: the pages of the sites a crawl has in flight


class Web:
    """The worlds of every year, built on demand from one loader (for the archive's past years)."""

    def __init__(self, world: World, loader: Callable[[int], World] | None = None):
        self.world = world
        self._loader = loader
        self._years = {world.year: world}
        self.home_hits: Counter[str] = Counter()
        self._rendered: OrderedDict[tuple, Page] = OrderedDict()

    def year(self, year: int) -> World | None:
        if year not in self._years:
            if self._loader is None or year > self.world.year or year < archive.FIRST_YEAR:
                return None
            self._years[year] = self._loader(year)
        return self._years[year]

    def rendered(self, c: SiteContent, year: int, host: str, path: str, query) -> Page:
        """`render(c, path, query)`, from the recently rendered pages when it is one (rendering is a pure
        function of the site's content, the path and the query)."""
        key = (year, host, path, tuple(query.items()))
        page = self._rendered.get(key)
        if page is not None:
            self._rendered.move_to_end(key)
            return page
        page = self._rendered[key] = render(c, path, query)
        if len(self._rendered) > RENDERED_PAGES:
            self._rendered.popitem(last=False)
        return page

    def as_of(self, year: int) -> date:
        w = self.year(year)
        return w.as_of if w else date(year, 10, 15)


SOFT_404_PAGE = "/404.html"  # where a site with soft_404 "redirect" sends a missing page
SOFT_404_HTML = ("<html><head><title>页面不存在</title></head><body><div class=\"error\">"
                 "对不起，您访问的页面不存在或已被删除！</div><a href=\"/\">返回首页</a></body></html>")


def answered_missing(status: int, body: str) -> bool:
    """Whether an answer of this server is its answer to a page a site does not have: 404, or the soft 404 of a
    site with variant soft_404 (a redirect to SOFT_404_PAGE, or the error page answered 200)."""
    return status == 404 or status == 302 or (status == 200 and "您访问的页面不存在" in body)


def to_response(page: Page, encoding: str) -> web.Response:
    if isinstance(page.body, bytes):
        return web.Response(body=page.body, status=page.status, content_type=page.content_type)
    if encoding == "utf-8-mislabelled" and page.content_type == "text/html":  # the <meta> says gb2312
        return web.Response(body=page.body.encode("utf-8"), status=page.status, content_type=page.content_type)
    charset = encoding if encoding in ("gbk", "utf-16") and page.content_type == "text/html" else "utf-8"
    body = page.body.encode(charset, errors="xmlcharrefreplace")  # utf-16: with its BOM
    return web.Response(body=body, status=page.status, content_type=page.content_type, charset=charset)


def unavailable(w: Web, sim: SimSite, path: str) -> bool:
    """availability.homepage: exactly floor(n * rate) of the first n home-page requests fail."""
    rate = sim.defects.get("availability.homepage")
    if not rate or path not in ("/", "/index.html", "/index.htm"):
        return False
    w.home_hits[sim.host] += 1
    n = w.home_hits[sim.host]
    return int(n * rate) > int((n - 1) * rate)


def service_page(w: Web, host: str, request: web.Request) -> web.Response:
    if host == "dns.gov.test":
        return web.json_response(resolve(w.world, request.query.get("name", ""), request.query.get("type", "A")))
    title = SERVICE_HOSTS[host]
    return web.Response(text=f"<html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                             f"<body><h1>{title}</h1></body></html>", content_type="text/html")


def resolve(world: World, name: str, rtype: str) -> dict:
    """DNS JSON (application/dns-json): A and AAAA for simulated hosts; no AAAA where network.ipv6."""
    host = name.lower().rstrip(".")
    sim = world.by_host(host)
    if sim is None and host not in SERVICE_HOSTS:
        return {"Status": 3, "Question": [{"name": name, "type": rtype}], "Answer": []}
    answer = []
    if rtype.upper() in ("A", "1"):
        answer = [{"name": host, "type": 1, "TTL": 300, "data": "127.0.0.1"}]
    elif rtype.upper() in ("AAAA", "28") and not (sim and sim.defects.get("network.ipv6")):
        answer = [{"name": host, "type": 28, "TTL": 300, "data": "::1"}]
    return {"Status": 0, "Question": [{"name": host, "type": rtype}], "Answer": answer}


async def site_response(w: Web, world: World, sim: SimSite, request: web.Request, path: str,
                        query, rewrite: Callable[[str], str] | None = None) -> web.StreamResponse:
    c: SiteContent = generate(sim, world.year, world.as_of)

    async def normal() -> web.Response:
        page = w.rendered(c, world.year, sim.host, path, query)
        if page.status == 404 and c.variants.soft_404 and rewrite is None:  # the site's error page, answered 200
            if c.variants.soft_404 == "redirect" and path != SOFT_404_PAGE:
                raise web.HTTPFound(SOFT_404_PAGE)
            page = Page(200, SOFT_404_HTML)
        if rewrite and isinstance(page.body, str) and page.content_type == "text/html":
            page = Page(page.status, rewrite(page.body), page.content_type)
        return to_response(page, sim.encoding)

    if unavailable(w, sim, path):
        return to_response(Page(503, "<html><body><h1>503 Service Unavailable</h1></body></html>"), "utf-8")
    if sim.fault and rewrite is None:
        spec = {**sim.fault, "anchor": (world.as_of.year, world.as_of.month)}
        return await faults.apply(spec, request, normal)
    return await normal()


async def archived(w: Web, request: web.Request) -> web.StreamResponse:
    if request.path == "/cdx":
        text = archive.cdx_query(dict(request.query), sorted(w.world.sites), w.world.year, w.as_of)
        return web.Response(text=text, content_type="application/json" if request.query.get("output") == "json"
                            else "text/plain")
    parsed = archive.parse_web_path(request.raw_path)
    world = w.year(parsed[0]) if parsed else None
    if not parsed or world is None:
        return to_response(NOT_FOUND, "utf-8")
    url = urlsplit(parsed[1])
    sim = world.by_host(url.hostname or "")
    if sim is None:
        return to_response(NOT_FOUND, "utf-8")
    ts = archive.timestamp(world.year, world.as_of)
    query = dict(p.split("=", 1) if "=" in p else (p, "") for p in url.query.split("&") if p)
    return await site_response(w, world, sim, request, url.path or "/", query,
                               rewrite=lambda html: archive.rewrite_links(html, ts, sim.host))


def make_app(world: World, loader: Callable[[int], World] | None = None) -> web.Application:
    w = Web(world, loader)

    async def handle(request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0].lower()
        if host == archive.ARCHIVE_HOST:
            return await archived(w, request)
        if host in SERVICE_HOSTS:
            return service_page(w, host, request)
        sim = w.world.by_host(host)
        if sim is None:
            return web.Response(text=f"<html><body>no simulated site for host {host!r}</body></html>",
                                status=404, content_type="text/html")
        return await site_response(w, w.world, sim, request, request.path, request.query)

    app = web.Application()
    app[WEB] = w
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def https_ok(world: World) -> Callable[[str], bool]:
    def ok(host: str) -> bool:
        sim = world.by_host(host)
        return host in SERVICE_HOSTS or (sim is not None and not sim.defects.get("security.https"))
    return ok


class SimServer:
    """Run the simulated web in a background thread (tests, benchmarks)."""

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0, tls_port: int | None = None,
                 loader: Callable[[int], World] | None = None):
        self.world, self.host, self.port, self.tls_port, self.loader = world, host, port, tls_port, loader
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="govweb-sim", daemon=True)

    async def _start(self) -> tuple[int, int | None]:
        self._runner = web.AppRunner(make_app(self.world, self.loader), access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        tls = None
        if self.tls_port is not None:
            from govweb.sim import tls as tls_mod

            tsite = web.TCPSite(self._runner, self.host, self.tls_port,
                                ssl_context=tls_mod.server_context(https_ok(self.world)))
            await tsite.start()
            tls = tsite._server.sockets[0].getsockname()[1]
        return site._server.sockets[0].getsockname()[1], tls

    def __enter__(self) -> SimServer:
        self._thread.start()
        self.port, self.tls_port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(30)
        log.info("simulated web: %d sites on http://%s:%d", len(self.world.sites), self.host, self.port)
        return self

    def __exit__(self, *exc) -> None:
        if self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def host_map(self) -> str:
        return f"*.gov.test={self.host}:{self.port}"


def built(world: World) -> float:
    """Build every site's content now (seconds taken): the sites of a real web exist before anyone asks for
    them, so the first request of each simulated site should not pay for building it (the crawl order's timing
    of 937 home pages did: 2.9 CPU-s of the simulated web's one core, while the crawl waited)."""
    t0 = time.monotonic()
    for sim in world.sites.values():
        generate(sim, world.year, world.as_of)
    return time.monotonic() - t0


def serve(world: World, host: str = "127.0.0.1", port: int = 8765, tls_port: int | None = None,
          loader: Callable[[int], World] | None = None) -> None:
    log.info("built the content of %d sites in %.1fs", len(world.sites), built(world))
    with SimServer(world, host, port, tls_port, loader) as srv:
        print(f"simulated web: {len(world.sites)} sites for {world.year} (as of {world.as_of}) on "
              f"http://{host}:{srv.port}" + (f" and https://{host}:{srv.tls_port}" if srv.tls_port else "")
              + f"\nhost map: *.gov.test={host}:{srv.port}  (archive: http://{archive.ARCHIVE_HOST}/web/...)",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
