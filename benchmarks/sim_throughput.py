"""Throughput of the simulated web (`govweb sim serve`) against the crawler's page rate.

    .venv/bin/python benchmarks/sim_throughput.py [--seconds 15] [--clients 16] [--scale full]

Starts `govweb sim serve` as a subprocess on a free loopback port, then:

1. load: `--clients` concurrent clients (asyncio + aiohttp, each with its own keep-alive connection)
   fetch a mix of URLs of random sites (home, column, article, board, letter, guide, search pages),
   built from the world's content and checked in-process to render with status 200, for `--seconds`
   after a warm-up; prints pages/s, MB/s, p50/p95/p99 latency and errors;
2. the crawler's page rate on the same server: (a) plain HTTP fetch + parse with govweb.extract
   (govweb.crawl.fetch, one client, sequential) and (b) Chromium page loads (the crawler's launch
   options, `--browser-pages` concurrent pages), and the ratio server pages/s / crawler pages/s for each
   (target: >= 10x, so the simulated web is never what limits a crawl).

Every loop is bounded by time or count; every request goes to 127.0.0.1. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, unquote

import aiohttp

from govweb import extract
from govweb.crawl import browser as crawl_browser
from govweb.crawl.fetch import fetch
from govweb.crawl.fetch import session as crawler_session
from govweb.crawl.network import NetworkPolicy
from govweb.sim import world as sim_world
from govweb.sim.content import TOPICS, SiteContent, generate
from govweb.sim.process import spawned
from govweb.sim.render import render
from govweb.sim.world import World

SCENARIO, YEAR = "scenario_2018", 2018
# Share of each page kind in the load mix (roughly what a crawl one level deep plus visitors request).
MIX = {"home": 15, "column": 15, "article": 35, "board": 8, "letter": 10, "guide": 10, "search": 7}
TARGET_RATIO = 10.0
SERVER_START_S = 120
REQUEST_TIMEOUT_S = 30
MAX_REQUESTS_PER_CLIENT = 10_000_000  # a bound besides the clock


@dataclass(frozen=True)
class Target:
    host: str
    path: str  # with the query string
    kind: str


@dataclass
class LoadStats:
    pages: int = 0
    bytes: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)


# --- the server ---------------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the URL mix --------------------------------------------------------------------------------------------

def candidates(c: SiteContent, kind: str, rng: random.Random) -> list[str]:
    """Paths of one kind a site serves with status 200 (from its content, as the routes read it)."""
    s, d = c.sections, c.sim.defects
    if kind == "home":  # availability.homepage fails a share of repeated home requests: left out
        return [] if d.get("availability.homepage") else ["/"]
    if kind == "column":
        return [col.path for col in c.columns.values()] + [col.path for col in s.key_areas.values()]
    if kind == "article":
        cols = [col for col in c.columns.values() if col.items]
        col = rng.choice(cols) if cols else None
        return [it.path for it in col.items] if col else []
    if kind == "board":
        return ["/hdjl/"] + [f"/hdjl/list_{p}.html" for p in range(2, s.board_pages + 1)] if s.channel else []
    if kind == "letter":
        return [x.path for x in s.letters]
    if kind == "guide":
        return [g.path for g in s.guides]
    if kind == "search":
        return [] if d.get("search.present") else [f"/search?q={quote(rng.choice(TOPICS))}"]
    raise ValueError(kind)


def build_targets(w: World, n: int, seed: int) -> tuple[list[Target], list[Target]]:
    """n targets of random healthy sites in the MIX proportions; returns (targets, rejected by render())."""
    rng = random.Random(seed)
    healthy = [s for s in w.sites.values() if not s.fault]
    kinds, weights = list(MIX), list(MIX.values())
    out: list[Target] = []
    for _ in range(n * 20):  # bounded: a draw can miss (a site without a board, search, ...)
        if len(out) >= n:
            break
        sim = rng.choice(healthy)
        kind = rng.choices(kinds, weights)[0]
        paths = candidates(generate(sim, w.year, w.as_of), kind, rng)
        if paths:
            out.append(Target(sim.host, rng.choice(paths), kind))
    good, bad = [], []
    for t in out:  # every URL must be a 200: render it in-process, exactly as the server will
        sim = w.sites[t.host]
        path, _, qs = t.path.partition("?")
        query = dict(p.split("=", 1) for p in qs.split("&") if "=" in p)
        query = {k: unquote(v) for k, v in query.items()}
        (good if render(generate(sim, w.year, w.as_of), path, query).status == 200 else bad).append(t)
    return good, bad


# --- 1. load ------------------------------------------------------------------------------------------------

async def load(port: int, targets: list[Target], clients: int, warmup_s: float, seconds: float) -> LoadStats:
    stats = LoadStats()
    loop = asyncio.get_running_loop()
    firsts = list({t.host: t for t in targets}.values())  # one URL per site in the mix
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)

    async def get(http: aiohttp.ClientSession, t: Target) -> tuple[int, int]:
        async with http.get(f"http://127.0.0.1:{port}{t.path}", headers={"Host": t.host},
                            allow_redirects=False) as resp:
            return resp.status, len(await resp.read())

    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=timeout)
                for _ in range(clients)]
    try:
        # warm-up 1: one request per site in the mix (its content is generated on first use, then cached)
        async def warm_sites(i: int) -> None:
            for t in firsts[i::clients]:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    await get(sessions[i], t)
        await asyncio.gather(*(warm_sites(i) for i in range(clients)))
        # warm-up 2 (warmup_s, not counted), then the measured window
        start = loop.time() + warmup_s
        end = start + seconds

        async def client(i: int) -> None:
            rng = random.Random(1000 + i)
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if loop.time() >= end:
                    return
                t = rng.choice(targets)
                t0 = loop.time()
                try:
                    status, size = await get(sessions[i], t)
                    err = None if status == 200 else f"HTTP {status}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    size, err = 0, type(exc).__name__
                t1 = loop.time()
                if t0 < start or t1 > end:
                    continue
                if err:
                    stats.errors[err] += 1
                    continue
                stats.pages += 1
                stats.bytes += size
                stats.kinds[t.kind] += 1
                stats.latencies_ms.append((t1 - t0) * 1000)

        await asyncio.gather(*(client(i) for i in range(clients)))
    finally:
        for s in sessions:
            await s.close()
    return stats


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# --- 2a. the crawler over plain HTTP ------------------------------------------------------------------------

async def crawler_http(port: int, targets: list[Target], seconds: float) -> tuple[int, float, int]:
    """govweb.crawl.fetch + govweb.extract, one page at a time: (pages, elapsed s, failures)."""
    policy = NetworkPolicy.from_args([f"*.gov.test=127.0.0.1:{port}"], allow_private=True)
    rng = random.Random(7)
    pages = failed = 0
    async with crawler_session(policy, limit=1) as http:
        t0 = time.monotonic()
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() - t0 >= seconds:
                break
            t = rng.choice(targets)
            f = await fetch(http, f"http://{t.host}{t.path}", keep_body=True, timeout_s=10, max_bytes=5_000_000)
            if not f.ok or f.body is None:
                failed += 1
                continue
            tree = extract.parse(extract.decode(f.body, f.encoding))
            parsed = (extract.title(tree), extract.meta(tree), extract.links(tree, f.final_url),
                      extract.dated_items(tree, f.final_url), extract.search_forms(tree),
                      extract.visible_text(tree))  # visible_text last: it removes script/style nodes
            if not parsed[0]:
                failed += 1
                continue
            pages += 1
        return pages, time.monotonic() - t0, failed


# --- 2b. the crawler's browser ------------------------------------------------------------------------------

async def crawler_browser(port: int, homes: list[Target], seconds: float, concurrency: int
                          ) -> tuple[int, float, int, str]:
    """Chromium (the crawler's launch options) loading home pages: goto(load) + page.content()."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    policy = NetworkPolicy.from_args([f"*.gov.test=127.0.0.1:{port}"], allow_private=True)
    pages = failed = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**crawl_browser.launch_options(policy))
        version = browser.version
        try:
            context = await browser.new_context(viewport=crawl_browser.VIEWPORT, locale="zh-CN")
            loop = asyncio.get_running_loop()
            t0 = loop.time()

            async def worker(i: int) -> None:
                nonlocal pages, failed
                rng = random.Random(100 + i)
                page = await context.new_page()
                for _ in range(MAX_REQUESTS_PER_CLIENT):
                    if loop.time() - t0 >= seconds:
                        break
                    t = rng.choice(homes)
                    try:
                        resp = await page.goto(f"http://{t.host}{t.path}", wait_until="load", timeout=20_000)
                        await page.content()
                        if resp is None or resp.status != 200:
                            failed += 1
                        else:
                            pages += 1
                    except PlaywrightError:
                        failed += 1
                await page.close()

            await asyncio.gather(*(worker(i) for i in range(concurrency)))
            elapsed = loop.time() - t0
            await context.close()
        finally:
            await browser.close()
    return pages, elapsed, failed, version


# --- main ---------------------------------------------------------------------------------------------------

def versions() -> str:
    names = ("aiohttp", "jinja2", "selectolax", "playwright")
    found = []
    for n in names:
        try:
            found.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            found.append(f"{n} (not installed)")
    return ", ".join(found)


def crawler_govweb(port: int, w: World, sites: int, tmp: str) -> tuple[int, float]:
    """(c) the project's own crawler (govweb.crawl.batch): browser home page + HTTP linked pages and
    link checks, as an evaluation runs it; pages = requests made (pages fetched, probes and link checks)."""
    from govweb.capture import Capture
    from govweb.crawl.batch import crawl_batch
    from govweb.crawl.network import NetworkPolicy
    from govweb.evidence import FileStore, capture_key

    chosen = [s.site for s in sorted(w.sites.values(), key=lambda s: s.site_id)
              if not s.fault and not s.defects.get("availability.homepage")][:sites]
    store = FileStore(Path(tmp) / "evidence")
    t0 = time.monotonic()
    crawl_batch(chosen, store, year=YEAR, as_of=w.as_of.isoformat(), mode="sim", force=True,
                policy=NetworkPolicy.from_args([f"*.gov.test=127.0.0.1:{port}"], allow_private=True))
    secs = time.monotonic() - t0
    pages = 0
    for s in chosen:
        cap = Capture.from_json(store.get(capture_key(YEAR, s.site_id)))
        pages += cap.stats.requests + len(cap.link_checks)
    return pages, secs


def ratio_line(label: str, server_rate: float, crawler_rate: float) -> str:
    if crawler_rate <= 0:
        return f"  {label}: crawler rate 0 pages/s: no ratio"
    r = server_rate / crawler_rate
    verdict = "meets" if r >= TARGET_RATIO else "BELOW"
    return (f"  {label}: {crawler_rate:8.1f} pages/s -> server/crawler = {r:6.1f}x  "
            f"({verdict} target >= {TARGET_RATIO:g}x)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=15.0, help="measured load window (default 15)")
    p.add_argument("--clients", type=int, default=16, help="concurrent load clients (default 16)")
    p.add_argument("--scale", default="full", help="sites served: N or 'full' (default full)")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (default 2)")
    p.add_argument("--urls", type=int, default=3000, help="URLs in the mix (default 3000)")
    p.add_argument("--http-seconds", type=float, default=10.0, help="crawler (a) window (default 10)")
    p.add_argument("--browser-seconds", type=float, default=10.0, help="crawler (b) window (default 10)")
    p.add_argument("--browser-pages", type=int, default=4, help="crawler (b) concurrent pages (default 4)")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    p.add_argument("--crawl-sites", type=int, default=20, help="crawler (c) sites (default 20)")
    a = p.parse_args(argv)
    if a.seconds <= 0 or a.clients < 1 or a.urls < 1:
        p.error("--seconds, --clients and --urls must be positive")
    scale = None if a.scale == "full" else int(a.scale)

    print(f"machine: nproc {os.cpu_count()} (usable {len(os.sched_getaffinity(0))}), {platform.platform()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"python {platform.python_version()}; {versions()}")

    w = sim_world.load(SCENARIO, YEAR, scale=scale)
    t0 = time.monotonic()
    targets, rejected = build_targets(w, a.urls, seed=2018)
    mix = Counter(t.kind for t in targets)
    print(f"world: {SCENARIO} {YEAR}, {len(w.sites)} sites ({sum(1 for s in w.sites.values() if s.fault)} with a "
          f"fault, left out); URL mix of {len(targets)} URLs on {len({t.host for t in targets})} sites, built "
          f"and rendered in-process in {time.monotonic() - t0:.1f}s: "
          + ", ".join(f"{k} {mix[k]}" for k in MIX))
    if rejected:
        print(f"WARNING: {len(rejected)} URLs built from the content did not render 200 and were dropped, e.g. "
              + ", ".join(f"http://{t.host}{t.path}" for t in rejected[:5]))
    homes = [t for t in targets if t.kind == "home"] or [Target(s.host, "/", "home") for s in w.sites.values()
                                                          if not s.fault and not s.defects.get("availability.homepage")]

    args = ["--scenario", SCENARIO, "--year", str(YEAR), "--scale", a.scale]
    with tempfile.TemporaryDirectory(prefix="govweb-bench-") as tmp, \
            spawned(args, Path(tmp) / "serve.log", SERVER_START_S) as served:
        proc, port = served.proc, served.port
        print(f"server: `govweb sim serve --scale {a.scale}` (pid {proc.pid}) on 127.0.0.1:{port}, "
              f"answering after {served.ready_s:.1f}s")

        cpu0, wall0, own0 = cpu_seconds(proc.pid), time.monotonic(), time.process_time()
        st = asyncio.run(load(port, targets, a.clients, a.warmup, a.seconds))
        cpu1, wall1, own1 = cpu_seconds(proc.pid), time.monotonic(), time.process_time()
        rate = st.pages / a.seconds
        print(f"\n1. server load: {a.clients} clients (one keep-alive connection each), {a.seconds:g}s measured "
              f"after warm-up (one request per site + {a.warmup:g}s)")
        print(f"   pages/s     {rate:10.1f}   ({st.pages} pages with status 200)")
        print(f"   MB/s        {st.bytes / a.seconds / 1e6:10.2f}   ({st.bytes / max(st.pages, 1) / 1024:.1f} KiB "
              f"per page on average)")
        print(f"   latency ms  p50 {percentile(st.latencies_ms, 50):.1f}  p95 {percentile(st.latencies_ms, 95):.1f}"
              f"  p99 {percentile(st.latencies_ms, 99):.1f}  max {max(st.latencies_ms, default=float('nan')):.1f}")
        print(f"   errors      {sum(st.errors.values()):10d}   {dict(st.errors) or ''}")
        print("   served mix  " + ", ".join(f"{k} {st.kinds[k]}" for k in MIX))
        print(f"   CPU during warm-up + load ({wall1 - wall0:.1f}s wall): server {cpu1 - cpu0:.1f}s "
              f"({(cpu1 - cpu0) / (wall1 - wall0):.0%} of a core), load clients {own1 - own0:.1f}s "
              f"({(own1 - own0) / (wall1 - wall0):.0%} of a core)")

        print("\n2. the crawler's page rate on the same server")
        h_pages, h_secs, h_failed = asyncio.run(crawler_http(port, targets, a.http_seconds))
        h_rate = h_pages / h_secs if h_secs else 0.0
        print(f"   (a) HTTP fetch + govweb.extract parse, 1 client, sequential: {h_pages} pages in {h_secs:.1f}s "
              f"= {h_rate:.1f} pages/s ({h_failed} failed)")
        b_rate = None
        if not a.no_browser:
            b_pages, b_secs, b_failed, chromium = asyncio.run(
                crawler_browser(port, homes, a.browser_seconds, a.browser_pages))
            b_rate = b_pages / b_secs if b_secs else 0.0
            print(f"   (b) Chromium {chromium}, {a.browser_pages} concurrent pages, home pages, "
                  f"goto(load) + content(): {b_pages} pages in {b_secs:.1f}s = {b_rate:.1f} pages/s "
                  f"({b_failed} failed)")

        c_rate = None
        if not a.no_browser:
            logging.disable(logging.INFO)
            c_pages, c_secs = crawler_govweb(port, w, a.crawl_sites, tmp)
            logging.disable(logging.NOTSET)
            c_rate = c_pages / c_secs if c_secs else 0.0
            print(f"   (c) govweb crawler (crawl_batch, defaults: 3 sites at once, browser home + HTTP links), "
                  f"{a.crawl_sites} sites: {c_pages} requests in {c_secs:.1f}s = {c_rate:.1f} pages/s")

        print(f"\n3. server pages/s / crawler pages/s (server: {rate:.1f} pages/s)")
        print(ratio_line("(a) HTTP fetch+parse", rate, h_rate))
        if b_rate is not None:
            print(ratio_line("(b) Chromium        ", rate, b_rate))
        if c_rate is not None:
            print(ratio_line("(c) govweb crawler  ", rate, c_rate))
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
