"""What an animated home page costs the crawl: Chromium's CPU with such pages left open, and a crawl of them.

    .venv/bin/python benchmarks/animated_portal.py [--sites 24] [--processes 2] [--concurrency 12]

Real portals put a marquee (滚动通知), a carousel and CSS-animated banners on their home page; a tab showing
one keeps the renderer and the compositor drawing for as long as it is open. The simulated web has none, so
this script serves its own slow animated portal on loopback (every host the same site: the animated home
page, 12 columns of 20 dated articles, every response `--delay` s late) and prints:

1. Chromium's CPU while `--sites` tabs of the animated home page stay open for `--idle-seconds`, and the same
   for the page without its animations (what a crawl pays for each tab it leaves open);
2. a crawl of `--sites` such sites with `crawl_batch` (the crawler's settings, `--processes` ×
   `--concurrency`): wall time, the machine's CPU and Chromium's CPU (every Chromium process sampled each
   0.5 s, so a renderer that exits between samples loses at most its last 0.5 s).

Every request goes to 127.0.0.1. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import threading
import time
from pathlib import Path

import psutil
from aiohttp import web

from govweb.crawl.batch import crawl_batch
from govweb.crawl.browser import launch_options
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.settings import CrawlSettings
from govweb.evidence import FileStore
from govweb.models import Site

MOTION = """<style>.roll{animation:roll 6s linear infinite;white-space:nowrap}
@keyframes roll{from{transform:translateX(0)}to{transform:translateX(-500px)}}.box{overflow:hidden;width:900px}</style>
<div class="box"><marquee>滚动通知：关于开展政府网站普查工作的通知</marquee>
<div class="roll">图片新闻 一 二 三 四 五</div></div><div id="slide">1</div>
<script>let n=0;setInterval(()=>{document.getElementById('slide').textContent=++n},3000)</script>"""
COLUMNS = ("工作动态", "通知公告", "政策文件", "政策解读", "部门动态", "公示公告", "人事信息", "统计信息", "规划计划",
           "政府信息公开", "互动交流", "办事服务")
DOMAIN = "anim.test"


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body>{body}</body></html>')


def home(motion: bool) -> str:
    nav = "".join(f'<a href="/col/c{i}/">{name}</a>' for i, name in enumerate(COLUMNS))
    items = "".join(f'<li><a href="/art/c0/{j}.html">关于推进第{j}项政务服务工作的通知</a>'
                    f'<span>2018-09-{10 + j % 9:02d}</span></li>' for j in range(10))
    news = f'<div class="news"><h3>工作动态</h3><a href="/col/c0/">更多</a><ul>{items}</ul></div>'
    return _page("动画县人民政府", (MOTION if motion else "") + f'<div class="nav">{nav}</div>{news}')


def column(slug: str) -> str:
    items = "".join(f'<li><a href="/art/{slug}/{j}.html">{slug}栏目第{j}条信息标题</a>'
                    f'<span>2018-0{1 + j % 9}-1{j % 9}</span></li>' for j in range(20))
    return _page(slug, f'<ul class="list">{items}</ul>')


def article() -> str:
    return _page("文章", "<h1>文章标题</h1><p>发布时间：2018-09-10</p><p>" + "正文内容。" * 200 + "</p>")


def serve(delay_s: float) -> int:
    """The portal in a thread of its own; returns the port."""
    async def handle(request: web.Request) -> web.Response:
        await asyncio.sleep(delay_s)
        path = request.path
        if path in ("/", "/static.html"):
            body = home(motion=path == "/")
        elif path.startswith("/col/"):
            body = column(path.split("/")[2])
        elif path.startswith("/art/"):
            body = article()
        else:
            return web.Response(status=404)
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    ready: list[int] = []

    def run() -> None:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        ready.append(site._server.sockets[0].getsockname()[1])
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    while not ready:
        time.sleep(0.05)
    return ready[0]


def chromium_cpu(seen: dict) -> float:
    """Sample every Chromium process into `seen` ((pid, start) -> CPU-s); the sum of the last samples."""
    for p in psutil.process_iter(["pid", "create_time", "cmdline", "cpu_times"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if p.info["cpu_times"] is not None and ("chromium" in cmd or "headless_shell" in cmd):
            seen[(p.info["pid"], p.info["create_time"])] = p.info["cpu_times"].user + p.info["cpu_times"].system
    return sum(seen.values())


def machine_busy() -> float:
    t = psutil.cpu_times()
    return t.user + t.system + t.nice + t.irq + t.softirq


async def open_tabs(policy: NetworkPolicy, url: str, count: int, seconds: float) -> float:
    """Chromium CPU-s while `count` tabs of `url` (one context each) stay open for `seconds`."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options(policy))
        for _ in range(count):
            context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = await context.new_page()
            await page.goto(url, wait_until="load")
        await asyncio.sleep(2)
        seen: dict = {}
        before = chromium_cpu(seen)
        await asyncio.sleep(seconds)
        used = chromium_cpu(seen) - before
        await browser.close()
    return used


def portal_sites(count: int) -> list[Site]:
    """`count` county sites, every one on its own host of the animated portal."""
    return [Site(f"99{i:08d}", f"动画县{i}人民政府", f"http://www{i}.{DOMAIN}/", "county", ("county",), "west", "测试")
            for i in range(count)]


def crawl(policy: NetworkPolicy, sites: int, processes: int, concurrency: int) -> tuple[float, float, float]:
    """Wall s, machine CPU-s and Chromium CPU-s of a crawl of `sites` animated sites."""
    with tempfile.TemporaryDirectory(prefix="govweb-anim-") as tmp:
        settings = CrawlSettings.for_mode("sim", availability_probes=3, availability_spacing_s=0.05)
        seen: dict = {}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                chromium_cpu(seen)

        sampler = threading.Thread(target=sample, daemon=True)
        busy0, t0 = machine_busy(), time.monotonic()
        sampler.start()
        result = crawl_batch(portal_sites(sites), FileStore(Path(tmp) / "ev"), year=2018,
                             as_of="2018-10-15", policy=policy, mode="sim", force=True, concurrency=concurrency,
                             settings=settings, processes=processes)
        done.set()
        sampler.join()
        failed = sorted(sid for sid, status in result.items() if status.startswith("failed"))
        if failed:
            raise SystemExit(f"{len(failed)} of {sites} sites failed to crawl, e.g. {failed[0]}: see the log")
        return time.monotonic() - t0, machine_busy() - busy0, sum(seen.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=24)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=12)
    ap.add_argument("--delay", type=float, default=0.3, help="seconds every response waits")
    ap.add_argument("--idle-seconds", type=float, default=20.0)
    args = ap.parse_args()
    port = serve(args.delay)
    policy = NetworkPolicy.from_args((f"*.{DOMAIN}=127.0.0.1:{port}",), True)
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, load {os.getloadavg()[0]:.2f}")
    for label, path in (("animated", "/"), ("static", "/static.html")):
        used = asyncio.run(open_tabs(policy, f"http://www0.{DOMAIN}{path}", args.sites, args.idle_seconds))
        print(f"{args.sites} {label} home pages left open {args.idle_seconds:.0f} s: Chromium {used:.2f} CPU-s "
              f"({used / args.idle_seconds:.2f} cores)")
    wall, busy, chrome = crawl(policy, args.sites, args.processes, args.concurrency)
    print(f"crawl of {args.sites} animated sites ({args.processes} processes x {args.concurrency}): wall {wall:.1f} s, "
          f"machine {busy:.1f} CPU-s ({busy / args.sites:.2f} per site), Chromium {chrome:.1f} CPU-s "
          f"({chrome / args.sites:.2f} per site)")


if __name__ == "__main__":
    main()
