"""axe-core in warm pages: one context per browser holds a few pages with axe injected once, and each site's
rendered home DOM (the one stored as evidence) is written into one of them and judged there.

Injecting axe (550 KB) into every home page and running it cold in the site's fresh renderer cost 0.52 CPU-s
a site; in a warm page the same judgement costs about 0.28 (36 sites, equal violations on all). The DOM is made
inert before it is written: scripts, `<noscript>`, event-handler attributes and frame sources removed (axe
runs with `iframes: false`), a `<base>` set to the page's URL so its stylesheets and images load as they did
on the site, and its doctype kept so the page lays out in the same (quirks or standards) mode. A page whose
head would act when written (`<meta http-equiv>` refresh or CSP) is left to the live tab (`run` returns None).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from govweb.crawl.browser import VIEWPORT, answer_dialog
from govweb.crawl.probe_browser import axe_script

log = logging.getLogger(__name__)

RUNS_PER_PAGE = 200  # a warm page is replaced after this many runs (bounds what its renderer accumulates)
RESOURCE_WAIT_MS = 5000  # stylesheets and images of the written DOM: waited for at most this long

# Returns "" when written, or why the DOM is not moved. The written document keeps the page's globals
# (axe) across document.open(); its compatibility mode must be the one the site's own doctype gave.
WRITE_JS = """async ([html, base, waitMs]) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  if (doc.querySelector('meta[http-equiv="refresh" i], meta[http-equiv="content-security-policy" i]'))
    return 'meta http-equiv refresh/CSP would act when written';
  const given = doc.querySelector('base[href]');
  let href = base;
  try { href = new URL(given ? given.getAttribute('href') : base, base).href; } catch (e) {}
  doc.querySelectorAll('base, script, noscript').forEach(el => el.remove());
  const b = doc.createElement('base');
  b.setAttribute('href', href);
  doc.head.prepend(b);
  doc.querySelectorAll('iframe, frame').forEach(el => { el.removeAttribute('src'); el.removeAttribute('srcdoc'); });
  for (const el of doc.querySelectorAll('*'))
    for (const a of [...el.attributes]) if (a.name.toLowerCase().startsWith('on')) el.removeAttribute(a.name);
  const doctype = doc.doctype ? new XMLSerializer().serializeToString(doc.doctype) : '';
  document.open();
  document.write(doctype + doc.documentElement.outerHTML);
  document.close();
  if (document.compatMode !== doc.compatMode) return 'layout mode ' + document.compatMode + ' != ' + doc.compatMode;
  if (typeof axe === 'undefined') return 'axe lost when the document was written';
  const waits = [...document.querySelectorAll('link[rel~=stylesheet]')].filter(l => !l.sheet)
    .concat([...document.images].filter(i => !i.complete && i.loading !== 'lazy'))
    .map(el => new Promise(r => { el.addEventListener('load', r); el.addEventListener('error', r); }));
  await Promise.race([Promise.all(waits), new Promise(r => setTimeout(r, waitMs))]);
  return '';
}"""


class WarmAxe:
    """Warm axe pages over a `BrowserPool`'s current browser: at most `size` runs at once (axe is not
    re-entrant in one page). Call `run` while holding one of the pool's contexts, so the browser is not
    relaunched under it."""

    def __init__(self, pool, size: int = 2) -> None:
        self._pool = pool
        self._slots = asyncio.Semaphore(size)
        self._idle: list = []  # (page, runs)
        self._browser = None
        self._context = None
        self._lock = asyncio.Lock()

    async def _page(self):
        """A warm page of the current browser (a new one when the browser was relaunched)."""
        browser = await self._pool.current()
        async with self._lock:
            if browser is not self._browser or self._context is None:
                self._idle.clear()
                self._browser = browser
                self._context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN",
                                                          accept_downloads=False)
            while self._idle:
                page, runs = self._idle.pop()
                if not page.is_closed():
                    return page, runs
            context = self._context
        page = await context.new_page()
        page.on("dialog", answer_dialog)
        await page.evaluate(axe_script())
        return page, 0

    async def run(self, html: str, base_url: str, run_js: str, options: dict, timeout_s: float) -> str | None:
        """axe's answer (what `run_js` returns) for `html`, or None when this DOM must be judged live.
        A page that failed or timed out is closed (axe would go on running in it), never reused."""
        async with self._slots:
            page, runs = await self._page()
            ok = False
            try:
                why = await page.evaluate(WRITE_JS, [html, base_url, RESOURCE_WAIT_MS])
                if why:
                    log.debug("axe on the live page for %s: %s", base_url, why)
                    ok = "lost" not in why  # the page still has axe: it takes the next DOM
                    return None
                response = await asyncio.wait_for(page.evaluate(run_js, options), timeout_s)
                ok = True
                return response
            finally:
                if ok and runs + 1 < RUNS_PER_PAGE:
                    self._idle.append((page, runs + 1))
                else:
                    with contextlib.suppress(Exception):
                        await page.close()

    async def close(self) -> None:
        context, self._context, self._idle = self._context, None, []
        if context is not None:
            with contextlib.suppress(Exception):
                await context.close()
