"""Browser probes: the page on a phone (mobile.adapted) and axe-core on the live page (accessibility.axe)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from govweb.capture import AxeProbe, AxeViolation, MobileProbe
from govweb.crawl import shots
from govweb.crawl.browser import answer_dialog

log = logging.getLogger(__name__)

PHONE_WIDTH, PHONE_HEIGHT = 375, 667
IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/16.6 Mobile/15E148 Safari/604.1")
PAGE_TIMEOUT_MS = 20_000
SETTLE_MS = 1500
AXE_TIMEOUT_S = 60.0
MAX_TARGETS = 5
# Words of an accessibility / elderly-friendly mode entry (link text, title, alt, aria-label).
ENTRY_WORDS = ("无障碍", "适老化", "长者模式", "长者版", "关怀版", "关怀模式", "读屏", "老年模式", "助老", "盲人")

VIEWPORT_JS = "(() => { const m = document.querySelector('meta[name=viewport i]'); return m ? m.content : ''; })()"
WIDTH_JS = ("Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0)")
ENTRY_MAX_CHARS = 16  # an entry is a short label; a news title that mentions 无障碍 is not one
ENTRY_JS = """(args) => {
  const [words, maxChars] = args;
  const nodes = document.querySelectorAll('a, button, [role=button], [onclick], input[type=button], img');
  for (const n of nodes) {
    const labels = [(n.innerText || n.value || '').trim(), n.getAttribute('title') || '',
                    n.getAttribute('alt') || '', n.getAttribute('aria-label') || ''];
    if (labels.some(l => l.length <= maxChars && words.some(w => l.includes(w)))) return true;
  }
  return false;
}"""

# axe's result reduced in the page to what `violations` reads, as one JSON string: the full result (every
# node's HTML and check data) is large, and Playwright validates a returned object field by field in Python.
AXE_RUN_JS = """async (opts) => {
  const r = await axe.run(document, opts);
  return JSON.stringify({violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))}))});
}"""


def browser_error(exc: BaseException) -> str:
    m = str(exc)
    for needle, reason in (("ERR_NAME_NOT_RESOLVED", "dns"), ("ERR_CERT", "tls"), ("ERR_SSL", "tls"),
                           ("Timeout", "timeout"), ("ERR_TIMED_OUT", "timeout"), ("ERR_CONNECTION", "refused"),
                           ("closed", "browser_crash"), ("crash", "browser_crash")):
        if needle in m:
            return reason
    return f"{type(exc).__name__}: {m}"[:200]


SERVER_ERROR_TRIES = 3
# what a page load's failure says of the site itself (its host, its server), not of the tab it was loaded in
SITE_FAILURES = ("dns", "tls", "timeout", "refused", "http_error")


async def load_answered(page, url: str):
    """Load `url` in `page`; a server error (5xx) is loaded again, up to SERVER_ERROR_TRIES times: a server
    that fails now and then is the availability check's business, the probes judge the page itself."""
    resp = None
    for _ in range(SERVER_ERROR_TRIES):
        resp = await page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        if resp is None or resp.status < 500:
            break
    return resp


async def _phone_view(page, url: str, probe: MobileProbe, shoot) -> None:
    """Load `url` in `page` (set up as a phone) and measure it into `probe`; `shoot()` gives the PNG."""
    resp = await load_answered(page, url)
    if resp is not None and resp.status >= 400:
        probe.error = f"http_error: HTTP {resp.status}"
        return
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    probe.viewport_meta = (await page.evaluate(VIEWPORT_JS) or "").strip()
    probe.scroll_width = int(await page.evaluate(WIDTH_JS))
    probe.overflow_px = max(0, probe.scroll_width - PHONE_WIDTH)
    probe.screenshot_key = await shoot()


async def mobile_probe(browser, url: str, store, prefix: str) -> MobileProbe:
    """Load `url` as an iPhone would (375x667, touch, mobile UA) in a context of its own; record the viewport
    meta, the page width and the horizontal overflow, and a viewport screenshot."""
    probe = MobileProbe(attempted=True, width=PHONE_WIDTH, ran_in="own_context")
    context = None
    try:
        context = await browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, is_mobile=True, has_touch=True,
            device_scale_factor=1, user_agent=IPHONE_UA, locale="zh-CN", accept_downloads=False)
        page = await context.new_page()
        page.on("dialog", answer_dialog)

        async def shoot() -> str:
            return store.put_blob(f"{prefix}/shots", await shots.page_viewport_png(page), "png", "image/png")

        await _phone_view(page, url, probe, shoot)
    except Exception as exc:  # noqa: BLE001 - a probe records its failure, never sinks the crawl
        probe.error = browser_error(exc)
    finally:
        if context is not None:
            with contextlib.suppress(Exception):
                await context.close()
    return probe


# What an iPhone-sized browser tells the page, set on the site's own tab through the DevTools protocol (the
# calls Playwright makes for a context with is_mobile, has_touch and this user agent): the phone load runs in
# the home page's renderer, not a new context and process (24 home pages: 0.15 instead of 0.24 CPU-s a site,
# byte-identical screenshots).
PHONE_METRICS = {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": True,
                 "screenWidth": PHONE_WIDTH, "screenHeight": PHONE_HEIGHT,
                 "screenOrientation": {"angle": 0, "type": "portraitPrimary"}}
PHONE_TOUCH = {"enabled": True, "maxTouchPoints": 1}
PHONE_AGENT = {"userAgent": IPHONE_UA, "acceptLanguage": "zh-CN", "platform": "iPhone"}


async def mobile_probe_in_tab(tab, url: str, store, prefix: str) -> MobileProbe:
    """`mobile_probe` in `tab`, the site's home tab once the desktop probes are done with it (it navigates
    the tab; the phone settings last while the probe's protocol session is attached)."""
    probe = MobileProbe(attempted=True, width=PHONE_WIDTH, ran_in="home_tab")
    cdp = None
    try:
        cdp = await tab.context.new_cdp_session(tab)
        await cdp.send("Emulation.setDeviceMetricsOverride", PHONE_METRICS)
        await cdp.send("Emulation.setTouchEmulationEnabled", PHONE_TOUCH)
        await cdp.send("Emulation.setUserAgentOverride", PHONE_AGENT)

        async def shoot() -> str:  # the protocol's capture: Playwright's sizes the shot by its own viewport
            return store.put_blob(f"{prefix}/shots", await shots.viewport_png(cdp), "png", "image/png")

        await _phone_view(tab, url, probe, shoot)
    except Exception as exc:  # noqa: BLE001 - a probe records its failure, never sinks the crawl
        probe.error = browser_error(exc)
    finally:
        if cdp is not None:
            with contextlib.suppress(Exception):
                await cdp.detach()
    return probe


def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT
    return AXE_SCRIPT


def violations(response: dict) -> list[AxeViolation]:
    out = []
    for v in response.get("violations") or []:
        nodes = v.get("nodes") or []
        targets = [" ".join(map(str, n.get("target") or [])) for n in nodes[:MAX_TARGETS]]
        out.append(AxeViolation(id=str(v.get("id", "")), impact=str(v.get("impact") or ""),
                                help=str(v.get("help") or ""), nodes=len(nodes), targets=targets))
    return out


async def axe_probe(page, too_large: str = "", warm=None, html: str = "", base_url: str = "") -> AxeProbe:
    """Run axe-core (shipped by axe-playwright-python) on the home page; look for an accessibility
    entry (无障碍 / 适老化 / 长者模式 ...) among the live page's links and buttons. With `warm`
    (`crawl.axe_warm.WarmAxe`), axe judges `html` (the page's rendered DOM, as stored) in a warm page, unless
    that DOM cannot be moved (then the live page, as without it). `too_large` (why the page is too large for
    axe, from the caller's page-size limit) records that axe was not run: on a DOM of many megabytes it runs
    for minutes, and goes on in the renderer after its timeout here."""
    probe = AxeProbe(attempted=True)
    try:
        probe.entry_found = bool(await page.evaluate(ENTRY_JS, [list(ENTRY_WORDS), ENTRY_MAX_CHARS]))
        if too_large:
            probe.error = f"too_large: {too_large}"
            return probe
        # iframes off: frames from other hosts (maps, video, stats) would be waited for and then time out.
        options = {"resultTypes": ["violations"], "iframes": False}
        response = None
        if warm is not None:
            probe.ran_on = "stored_dom"
            response = await warm.run(html, base_url, AXE_RUN_JS, options, AXE_TIMEOUT_S)
        if response is None:
            probe.ran_on = "live_page"
            await page.evaluate(axe_script())
            response = await asyncio.wait_for(page.evaluate(AXE_RUN_JS, options), AXE_TIMEOUT_S)
        probe.violations = violations(json.loads(response))
    except ImportError:
        probe.error = "axe_unavailable: install axe-playwright-python"
    except Exception as exc:  # noqa: BLE001 - a probe records its failure, never sinks the crawl
        probe.error = browser_error(exc) if not isinstance(exc, TimeoutError) else "timeout"
    return probe
