"""aiohttp server for the simulated web: every site on one port, routed by the Host header."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from pathlib import Path

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from govweb.sim.content import COLUMNS, SiteContent, fmt_date, generate
from govweb.sim.world import SERVICE_HOSTS, World

log = logging.getLogger(__name__)
ART = re.compile(r"^/art/(\w+)/(\d+)\.html$")
COL = re.compile(r"^/col/(\w+)/(?:index\.html)?$")
STATIC_PAGES = {"/hdjl/": "互动交流", "/jiucuo/": "我为政府网站找错", "/about/": "联系我们", "/sitemap/": "网站地图"}

WORLD = web.AppKey("world", World)
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["j2"]), keep_trailing_newline=True)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def render_page(c: SiteContent, path: str, query: dict) -> tuple[int, str]:
    """(status, html) for one path of one site. Pure, so tests can call it without a socket."""
    ctx = {"c": c, "d": c.sim.defects, "fmt": lambda d: fmt_date(d, c.sim.template),
           "columns": [(slug, t) for slug, (t, _) in COLUMNS.items()]}
    page = _env.get_template("page.html.j2")
    if path in ("/", "/index.html"):
        return 200, _env.get_template(f"{c.sim.template}.html.j2").render(**ctx)
    if (m := COL.match(path)) and m.group(1) in COLUMNS:
        slug = m.group(1)
        return 200, page.render(**ctx, heading=COLUMNS[slug][0], items=c.columns[slug], body="")
    if m := ART.match(path):
        it = c.item(m.group(1), int(m.group(2)))
        if it:
            body = f"发布日期：{fmt_date(it.date, c.sim.template)}。{it.title}。"
            return 200, page.render(**ctx, heading=it.title, items=None, body=body)
    if path == "/search":
        q = query.get("q", "")
        return 200, page.render(**ctx, heading=f"搜索：{q}", items=c.search(q), body="")
    if path in STATIC_PAGES:
        return 200, page.render(**ctx, heading=STATIC_PAGES[path], items=None, body="")
    return 404, "<html><body><h1>404 页面不存在</h1></body></html>"


def make_app(world: World) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        host = (request.host or "").split(":")[0].lower()
        if host in SERVICE_HOSTS:
            return _html(f"<html><head><title>{SERVICE_HOSTS[host]}</title></head>"
                         f"<body><h1>{SERVICE_HOSTS[host]}</h1></body></html>")
        sim = world.by_host(host)
        if sim is None:
            return _html(f"<html><body>no simulated site for host {host!r}</body></html>", 404)
        status, text = render_page(generate(sim, world.year, world.as_of), request.path, dict(request.query))
        return _html(text, status)

    app = web.Application()
    app[WORLD] = world
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


class SimServer:
    """Run the simulated web in a background thread (tests, the CLI's evaluate --sim)."""

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0):
        self.world, self.host, self.port = world, host, port
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="govweb-sim", daemon=True)

    async def _start(self) -> int:
        self._runner = web.AppRunner(make_app(self.world), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        return site._server.sockets[0].getsockname()[1]

    def __enter__(self) -> SimServer:
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(30)
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


def serve(world: World, host: str = "127.0.0.1", port: int = 8765) -> None:
    print(f"simulated web: {len(world.sites)} sites for {world.year} (as of {world.as_of}) "
          f"on http://{host}:{port}  host map: *.gov.test={host}:{port}", flush=True)
    web.run_app(make_app(world), host=host, port=port, access_log=None, print=None)
