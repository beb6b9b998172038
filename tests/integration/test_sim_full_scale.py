"""The full 2018 simulated web (every site of scenario_2018) served by `govweb sim serve` and rendered by Chromium.

The server runs as a subprocess (its own interpreter: it does not share a GIL with Chromium's driver or with
the test). Every home page is loaded through Chromium and must show its site's name; the sites with a
`fault:` profile are checked against their fault instead; then one page per template, a GBK site, a
JavaScript-rendered list and an iframe list are checked in the rendered DOM against govweb.sim.content.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import urllib.request
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from govweb import extract, inventory
from govweb.crawl.network import NetworkPolicy
from govweb.parse import charset
from govweb.sim import variants, world
from govweb.sim.content import HOME_LISTS, SiteContent, fmt_date, generate
from govweb.sim.faults import FAULT_KINDS
from govweb.sim.process import spawned
from govweb.sim.world import TEMPLATES, SimSite, World

pytestmark = pytest.mark.browser

SCENARIO, YEAR = "scenario_2018", 2018
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
PAGES = 5  # concurrent Chromium pages of the bulk pass (2-core machine)
HOME_TIMEOUT_MS = 30_000
SERVER_START_S = 120
# Rows of a news list in any of the four templates' markups (and of the lists JavaScript builds): the innermost
# li/tr/dd elements (portal's JS list nests a <ul> in a <dd>), as [link text, row text].
ROWS_JS = """sel => Array.from(document.querySelectorAll(sel))
  .filter(row => !row.querySelector("li, tr, dd"))
  .map(row => {
    const a = row.querySelector("a");
    return [a ? a.textContent.trim() : "", row.innerText.replace(/\\s+/g, " ").trim()];
})"""


def rows_selector(slug: str) -> str:
    return f"#list-{slug} li, #list-{slug} tr, #list-{slug} dd"


# --- the server (a subprocess) ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_world() -> World:
    return world.load(SCENARIO, YEAR)


@pytest.fixture(scope="module")
def served(full_world, tmp_path_factory) -> int:
    """`govweb sim serve --scale full` on a free loopback port; yields the port."""
    args = ["--scenario", SCENARIO, "--year", str(YEAR), "--scale", "full"]
    with spawned(args, tmp_path_factory.mktemp("sim-full") / "serve.log", SERVER_START_S) as served:
        m = re.search(r"simulated web: (\d+) sites for (\d{4})", served.log_text())
        assert m, served.log_text()
        # the subprocess serves the same world the test reads its expectations from
        assert (int(m.group(1)), int(m.group(2))) == (len(full_world.sites), YEAR)
        yield served.port


@contextlib.asynccontextmanager
async def chromium(port: int) -> AsyncIterator:
    rules = NetworkPolicy.from_args([f"*.gov.test=127.0.0.1:{port}"]).chromium_rules()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"])
        try:
            yield browser
        finally:
            await browser.close()


def content(w: World, sim: SimSite) -> SiteContent:
    return generate(sim, w.year, w.as_of)


# Markup variants (govweb.sim.variants) under which a list keeps its template's own markup and dates.
TEMPLATE_MARKUP = {"list_layout": "template", "date_style": "template"}


def pick(w: World, *, exclude_availability: bool = True, markup: dict | None = None, **want) -> SimSite | None:
    """The first healthy site (by host) whose profile has the wanted values (and markup variants); None if
    there is none."""
    for host in sorted(w.sites):
        sim = w.sites[host]
        if sim.fault or (exclude_availability and sim.defects.get("availability.homepage")):
            continue
        v = variants.for_site(sim.site_id, sim.template, sim.variants)
        if all(getattr(sim, k) == val for k, val in want.items()) and \
                all(getattr(v, k) == val for k, val in (markup or {}).items()):
            return sim
    return None


def run(coro):
    return asyncio.run(coro)


def served_bytes(port: int, host: str, path: str = "/") -> tuple[int, str, bytes]:
    """(status, Content-Type, body) exactly as the server sent them. Playwright's Response.body() is no
    substitute for a GBK page: Chromium hands the document body over already decoded, re-encoded as UTF-8."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    with urllib.request.urlopen(req, timeout=20) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), resp.read()


def decode_served(content_type: str, body: bytes) -> str:
    m = re.search(r"charset=([\w-]+)", content_type)
    return charset.decode(body, charset.detect_encoding(body, m.group(1) if m else None))


# --- every home page --------------------------------------------------------------------------------------

@pytest.mark.timeout(420)
def test_every_home_page_renders_with_its_site_name(full_world, served):
    # full scale: every active site of the inventory is served (the fixture checked the server's count)
    assert len(full_world.sites) == len(inventory.active(inventory.load(world.scenario_paths(SCENARIO)[0])))
    sites = [s for s in full_world.sites.values() if not s.fault]  # faulty ones: the next test
    # a page whose <meta> declares gb2312 over UTF-8 bytes shows mojibake in a browser, as it would on a visitor's:
    # its bytes are checked instead (the crawler reads it right: tests/unit/crawl/test_home_charset.py)
    mislabelled = [s for s in sites if s.encoding == "utf-8-mislabelled"]
    sites = [s for s in sites if s not in mislabelled]
    assert mislabelled
    for s in mislabelled:
        status, content_type, body = served_bytes(served, s.host)
        assert status == 200 and "charset" not in content_type and charset.meta_charset(body) == "gb2312"
        assert s.site.name in body.decode("utf-8") and s.site.name in decode_served(content_type, body)

    async def go() -> tuple[list[str], float]:
        failures: list[str] = []
        queue: asyncio.Queue[SimSite] = asyncio.Queue()
        for s in sites:
            queue.put_nowait(s)
        async with chromium(served) as browser:
            context = await browser.new_context(locale="zh-CN")
            # The bulk pass reads the text: no images or fonts (every image of the simulated web is a pixel).
            await context.route(re.compile(r"\.(png|jpe?g|gif|ico|woff2?|ttf)(\?|$)"), lambda r: r.abort())

            async def worker() -> None:
                page = await context.new_page()
                while not queue.empty():
                    sim = queue.get_nowait()
                    try:
                        resp = await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded",
                                               timeout=HOME_TIMEOUT_MS)
                        title, text, main = await page.evaluate(
                            "() => [document.title, document.body ? document.body.innerText : '',"
                            " [...document.querySelectorAll('frameset frame')].map(f => f.src).pop() || '']")
                        if main:  # a frame shell (variant home_frameset): the home page is its main frame
                            await page.goto(main, wait_until="domcontentloaded", timeout=HOME_TIMEOUT_MS)
                            text = await page.evaluate("() => document.body ? document.body.innerText : ''")
                    except PlaywrightError as exc:
                        failures.append(f"{sim.host}: {str(exc).splitlines()[0]}")
                        with contextlib.suppress(PlaywrightError):
                            await page.close()
                        page = await context.new_page()
                        continue
                    status = resp.status if resp else None
                    if status != 200 or sim.site.name not in title or sim.site.name not in text:
                        failures.append(f"{sim.host}: status {status}, title {title!r}, "
                                        f"name {sim.site.name!r} in text: {sim.site.name in text}")
                await page.close()

            t0 = time.monotonic()
            await asyncio.gather(*(worker() for _ in range(PAGES)))
            elapsed = time.monotonic() - t0
            await context.close()
        return failures, elapsed

    failures, elapsed = run(go())
    print(f"\nChromium home pages: {len(sites)} in {elapsed:.1f}s = {len(sites) / elapsed:.1f} pages/s "
          f"({PAGES} concurrent pages, domcontentloaded, images/fonts aborted)")
    assert failures == [], f"{len(failures)} home pages failed:\n" + "\n".join(failures[:30])


# --- the faulty sites -------------------------------------------------------------------------------------

async def _goto_error(page: Page, url: str, timeout_ms: int = 10_000) -> str:
    try:
        resp = await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout:
        return "timeout"
    except PlaywrightError as exc:
        return str(exc).splitlines()[0]
    return f"no error: status {resp.status if resp else None}"


async def _check_slow(page: Page, sim: SimSite, port: int) -> str | None:
    t0 = time.monotonic()
    resp = await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded", timeout=30_000)
    took = time.monotonic() - t0
    if resp is None or resp.status != 200 or sim.site.name not in await page.title():
        return f"status {resp and resp.status}, title {await page.title()!r}"
    return None if took >= sim.fault["delay_s"] - 0.05 else f"answered in {took:.2f}s < {sim.fault['delay_s']}s"


async def _check_hang(page: Page, sim: SimSite, port: int) -> str | None:
    err = await _goto_error(page, f"http://{sim.host}/", timeout_ms=2_000)
    return None if err == "timeout" else f"expected no answer (a timeout), got {err}"


async def _check_error(page: Page, sim: SimSite, port: int) -> str | None:
    resp = await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded", timeout=10_000)
    status = resp.status if resp else None
    return None if status == sim.fault["status"] else f"status {status}, expected {sim.fault['status']}"


async def _check_reset(page: Page, sim: SimSite, port: int) -> str | None:
    err = await _goto_error(page, f"http://{sim.host}/")
    ok = any(code in err for code in ("ERR_CONNECTION_RESET", "ERR_EMPTY_RESPONSE", "ERR_CONNECTION_CLOSED"))
    return None if ok else f"expected a reset connection, got {err}"


async def _check_redirect_loop(page: Page, sim: SimSite, port: int) -> str | None:
    err = await _goto_error(page, f"http://{sim.host}/")
    return None if "ERR_TOO_MANY_REDIRECTS" in err else f"expected too many redirects, got {err}"


async def _check_trap(page: Page, sim: SimSite, port: int) -> str | None:
    resp = await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded", timeout=10_000)
    if resp is None or resp.status != 200 or sim.site.name not in await page.title():
        return f"home: status {resp and resp.status}"
    hrefs = await page.eval_on_selector_all('a[href^="/calendar/"]', "els => els.map(e => e.getAttribute('href'))")
    if not hrefs:
        return "no calendar link on the home page"
    await page.goto(f"http://{sim.host}{hrefs[0]}", wait_until="domcontentloaded", timeout=10_000)
    nxt = await page.eval_on_selector_all('a[href^="/calendar/"]', "els => els.map(e => e.textContent)")
    title = await page.title()
    return None if "活动日历" in title and "下一月" in nxt else f"calendar page {title!r} links {nxt}"


async def _check_huge(page: Page, sim: SimSite, port: int) -> str | None:
    resp = await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded", timeout=60_000)
    length = resp.headers.get("content-length") if resp else None
    if resp is None or resp.status != 200 or length != str(sim.fault["bytes"]):
        return f"status {resp and resp.status}, content-length {length}, expected {sim.fault['bytes']}"
    return None if sim.site.name in await page.title() else f"title {await page.title()!r}"


async def _check_hostile(page: Page, sim: SimSite, port: int) -> str | None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), asyncio.ensure_future(d.dismiss())))
    resp = await page.goto(f"http://{sim.host}/", wait_until="load", timeout=10_000)
    problems = [] if resp and resp.status == 200 else [f"status {resp and resp.status}"]
    _, ctype, body = await asyncio.to_thread(served_bytes, port, sim.host)
    served_title = extract.title(extract.parse(decode_served(ctype, body)))
    if not served_title.startswith("【恭喜中奖】") or sim.site.name not in served_title:
        problems.append(f"served title {served_title!r}")
    if not dialogs:
        problems.append("no alert() dialog")
    if not await page.query_selector("ul.govweb-hostile"):
        problems.append("no injected list")
    return "; ".join(problems) or None


FAULT_CHECKS = {"slow": _check_slow, "hang": _check_hang, "error": _check_error, "reset": _check_reset,
                "redirect_loop": _check_redirect_loop, "trap": _check_trap, "huge": _check_huge,
                "hostile": _check_hostile}


@pytest.mark.timeout(180)
def test_fault_sites_behave_as_their_fault_says(full_world, served):
    assert set(FAULT_CHECKS) == set(FAULT_KINDS)
    faulty = [s for s in full_world.sites.values() if s.fault]
    assert faulty, "the full scenario has no faulty site"

    async def go() -> dict[str, str]:
        async with chromium(served) as browser:
            context = await browser.new_context(locale="zh-CN", accept_downloads=False)

            async def one(sim: SimSite) -> tuple[str, str | None]:
                page = await context.new_page()
                try:
                    return sim.host, await FAULT_CHECKS[sim.fault["kind"]](page, sim, served)
                except PlaywrightError as exc:
                    return sim.host, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                finally:
                    with contextlib.suppress(PlaywrightError):
                        await page.close()

            results = await asyncio.gather(*(one(s) for s in faulty))
            await context.close()
        return {host: problem for host, problem in results if problem}

    problems = run(go())
    kinds = sorted(s.fault["kind"] for s in faulty)
    print(f"\nfaulty sites checked: {len(faulty)} ({', '.join(kinds)})")
    assert problems == {}


# --- one page per template, GBK, JavaScript lists, iframes -------------------------------------------------

def _expected_rows(items, template: str) -> list[tuple[str, str]]:
    return [(it.title, fmt_date(it.date, template)) for it in items]


def _mismatches(rows: list[list[str]], expected: list[tuple[str, str]]) -> list:
    if len(rows) != len(expected):
        return [f"{len(rows)} rows, expected {len(expected)}"]
    return [(got, want) for got, want in zip(rows, expected, strict=True)
            if got[0] != want[0] or want[1] not in got[1]]


@pytest.mark.timeout(120)
def test_a_column_page_of_each_template_shows_its_items_and_date_format(full_world, served):
    date_shapes = {"classic": r"^\d{4}-\d{2}-\d{2}$", "modern": r"^\[\d{4}-\d{2}-\d{2}\]$",
                   "portal": r"^\d{4}年\d{1,2}月\d{1,2}日$", "wcm": r"^\d{4}/\d{1,2}/\d{1,2}$"}
    assert set(date_shapes) == set(TEMPLATES)

    async def go() -> dict:
        out = {}
        async with chromium(served) as browser:
            page = await browser.new_page(locale="zh-CN")
            for template in TEMPLATES:
                sim = pick(full_world, template=template, exclude_availability=False, markup=TEMPLATE_MARKUP)
                assert sim is not None, f"no healthy {template} site"
                c = content(full_world, sim)
                col = c.columns["ywdt"]
                resp = await page.goto(f"http://{sim.host}{col.path}", wait_until="load", timeout=20_000)
                assert resp is not None and resp.status == 200, (sim.host, resp and resp.status)
                rows = await page.evaluate(ROWS_JS, rows_selector("ywdt"))
                heading = await page.inner_text("h1.column-title")
                expected = _expected_rows(col.items[: c.variants.page_size], template)  # the first list page
                shapes = [d for _, d in expected if not re.match(date_shapes[template], d)]
                out[template] = (sim.host, heading, _mismatches(rows, expected), shapes, len(rows), col.title)
            await page.close()
        return out

    for template, (host, heading, mismatches, shapes, n, title) in run(go()).items():
        print(f"\n{template}: {host} /col/ywdt/: {n} items checked")
        assert heading == title and title in variants.COLUMN_NAMES["ywdt"], (template, host)
        assert n >= 12, (template, host)
        assert mismatches == [], (template, host)
        assert shapes == [], (template, host)


@pytest.mark.timeout(60)
def test_gbk_site_renders_its_chinese_text(full_world, served):
    sim = pick(full_world, encoding="gbk", js_lists=False, iframes=False)
    assert sim is not None, "no healthy GBK site with server-rendered lists"
    c = content(full_world, sim)
    first = c.home_lists()[0].items[0].title

    async def go():
        async with chromium(served) as browser:
            page = await browser.new_page(locale="zh-CN")
            resp = await page.goto(f"http://{sim.host}/", wait_until="load", timeout=20_000)
            charset, text = await page.evaluate("() => [document.characterSet, document.body.innerText]")
            return resp.status, resp.headers.get("content-type", ""), charset, text, await page.title()

    status, ctype, charset, text, title = run(go())
    assert status == 200
    assert "charset=gbk" in ctype.replace(" ", "").lower(), ctype  # the header Chromium received
    assert charset.lower() == "gbk"  # ...and the decoder Chromium used
    assert sim.site.name in text and sim.site.name in title
    assert first in text
    # the bytes on the wire really are GBK (not UTF-8 labelled gbk)
    _, _, body = served_bytes(served, sim.host)
    assert sim.site.name.encode("gbk") in body and sim.site.name.encode("utf-8") not in body


@pytest.mark.timeout(90)
def test_js_rendered_home_lists_appear_after_load(full_world, served):
    slug, k = HOME_LISTS[0]
    sites = [s for t in TEMPLATES if (s := pick(full_world, template=t, js_lists=True, iframes=False,
                                                markup={"date_style": "template"}))]
    assert sites, "no healthy js_lists site"

    async def go() -> list:
        out = []
        async with chromium(served) as browser:
            page = await browser.new_page(locale="zh-CN")
            for sim in sites:
                await page.goto(f"http://{sim.host}/", wait_until="domcontentloaded", timeout=20_000)
                await page.wait_for_selector(f"#list-{slug} a", timeout=10_000)
                rows = await page.evaluate(ROWS_JS, rows_selector(slug))
                out.append((sim, rows))
            await page.close()
        return out

    for sim, rows in run(go()):
        c = content(full_world, sim)
        _, ctype, raw = served_bytes(served, sim.host)
        tree = extract.parse(decode_served(ctype, raw))
        # the served HTML has an empty list that names its JSON source...
        assert tree.css_first(f"#list-{slug}") is not None, sim.host
        assert tree.css(f"#list-{slug} a") == [], sim.host
        assert tree.css_first(f"#list-{slug}[data-src], #list-{slug} [data-src]") is not None, sim.host
        # ...which the page's script fills in: every home item with its date in the template's format
        expected = _expected_rows(c.columns[slug].items[:k], sim.template)
        assert _mismatches(rows, expected) == [], (sim.host, sim.template)
    print(f"\nJS-rendered lists checked on {', '.join(f'{s.host} ({s.template})' for s in sites)}")


@pytest.mark.timeout(60)
def test_iframe_home_list_is_read_through_the_frame(full_world, served):
    sim = pick(full_world, iframes=True, js_lists=False, markup=TEMPLATE_MARKUP)
    assert sim is not None, "no healthy iframes site"
    c = content(full_world, sim)
    expected = _expected_rows(next(col for col in c.home_lists() if col.slug == "tzgg").items, sim.template)

    async def go():
        async with chromium(served) as browser:
            page = await browser.new_page(locale="zh-CN")
            await page.goto(f"http://{sim.host}/", wait_until="load", timeout=20_000)
            in_main = await page.query_selector("#list-tzgg") is not None
            frame = next((f for f in page.frames if f.url.endswith("/frag/col/tzgg.html")), None)
            assert frame is not None, [f.url for f in page.frames]
            await frame.wait_for_selector("#list-tzgg a", timeout=10_000)
            rows = await frame.evaluate(ROWS_JS, rows_selector("tzgg"))
            return in_main, frame.url, rows

    in_main, frame_url, rows = run(go())
    assert not in_main  # the list is not in the top document...
    assert frame_url == f"http://{sim.host}/frag/col/tzgg.html"
    assert len(rows) >= len(expected)  # ...but in the frame, newest first
    assert _mismatches(rows[: len(expected)], expected) == [], sim.host


@pytest.mark.timeout(60)
def test_utf16_site_renders_its_chinese_text(full_world, served):
    sim = pick(full_world, encoding="utf-16", exclude_availability=False)
    assert sim is not None, "no healthy UTF-16 site"

    async def go():
        async with chromium(served) as browser:
            page = await browser.new_page(locale="zh-CN")
            resp = await page.goto(f"http://{sim.host}/", wait_until="load", timeout=20_000)
            charset, text = await page.evaluate("() => [document.characterSet, document.body.innerText]")
            return resp.status, charset, text

    status, charset, text = run(go())
    assert status == 200 and charset.lower().startswith("utf-16") and sim.site.name in text
    _, ctype, body = served_bytes(served, sim.host)
    assert "charset=utf-16" in ctype and body[:2] in (b"\xff\xfe", b"\xfe\xff")
