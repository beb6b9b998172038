"""Launching Debian's Chromium through Playwright, with the checks a evidence-grade crawl needs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import subprocess
from collections.abc import AsyncIterator

from govweb import config
from govweb.crawl.network import NetworkPolicy

BASE_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
    # A document the crawler serves to a tab itself (doc_charset: a page reloaded in its real charset) has no
    # address space of its own; Chromium's Local Network Access checks would then block its frames and
    # resources on a private or loopback host (--allow-private). The crawler is not a visitor's browser.
    "--disable-features=LocalNetworkAccessChecks",
)
VIEWPORT = {"width": 1280, "height": 900}
log = logging.getLogger(__name__)


def answer_dialog(dialog) -> None:
    """A page's alert, confirm or prompt is dismissed; its "leave this page?" (beforeunload) is accepted: the
    crawler always leaves, and dismissing it cancels the crawler's own next load of the tab (net::ERR_ABORTED)."""
    asyncio.ensure_future(dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())


class CrawlerSetupError(RuntimeError):
    """The machine cannot produce trustworthy evidence (no browser, no CJK font)."""


def require_cjk_font() -> str:
    """Refuse to crawl without a CJK font: screenshots are evidence and must show the Chinese text."""
    if not shutil.which("fc-list"):
        raise CrawlerSetupError("fc-list (fontconfig) not found; install fontconfig and fonts-wqy-zenhei")
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    fonts = sorted({line.strip() for line in out.splitlines() if line.strip()})
    if not fonts:
        raise CrawlerSetupError("no CJK font installed: Chromium would draw Chinese text as empty boxes in "
                                "the evidence screenshots. Install one: apt-get install -y fonts-wqy-zenhei")
    return fonts[0]


def require_chromium() -> str:
    path = config.chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise CrawlerSetupError(f"Chromium not found at {path}; install it (apt-get install -y "
                                f"chromium-headless-shell) or set GOVWEB_CHROMIUM to the browser binary")
    return path


def launch_options(policy: NetworkPolicy) -> dict:
    return {
        "executable_path": require_chromium(),
        "headless": True,
        "args": [*BASE_ARGS, f"--host-resolver-rules={policy.chromium_rules()}"],
    }


class BrowserPool:
    """One Chromium per worker process: one context per site, bounded open tabs per context,
    relaunched after `restart_after` pages (once no context is open) or when it crashed."""

    def __init__(self, pw, policy: NetworkPolicy, restart_after: int = 300, tabs_per_context: int = 2):
        self._pw = pw
        self._policy = policy
        self.restart_after = restart_after
        self.tabs_per_context = tabs_per_context
        self._browser = None
        self._pages = 0
        self._open_contexts = 0
        self._idle = asyncio.Condition()
        self._tabs: dict[int, asyncio.Semaphore] = {}
        self.launches = 0

    async def _launch(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
        self._browser = await self._pw.chromium.launch(**launch_options(self._policy))
        self._pages = 0
        self.launches += 1

    async def _ready(self):
        async with self._idle:
            if self._pages >= self.restart_after:
                await self._idle.wait_for(lambda: self._open_contexts == 0 or self._pages < self.restart_after)
                if self._pages >= self.restart_after:
                    log.info("relaunching the browser after %d pages", self._pages)
                    await self._launch()
            if self._browser is None or not self._browser.is_connected():
                if self._browser is not None:
                    log.warning("browser disconnected; relaunching")
                await self._launch()
            self._open_contexts += 1
            return self._browser

    @contextlib.asynccontextmanager
    async def context(self, **options) -> AsyncIterator:
        browser = await self._ready()
        ctx = None
        try:
            ctx = await browser.new_context(**{"viewport": VIEWPORT, "locale": "zh-CN", "accept_downloads": False,
                                               **options})
            self._tabs[id(ctx)] = asyncio.Semaphore(self.tabs_per_context)
            yield ctx
        finally:
            if ctx is not None:
                self._tabs.pop(id(ctx), None)
                with contextlib.suppress(Exception):
                    await ctx.close()
            async with self._idle:
                self._open_contexts -= 1
                self._idle.notify_all()

    @contextlib.asynccontextmanager
    async def tab(self, ctx) -> AsyncIterator:
        """A new page in `ctx`, at most `tabs_per_context` open at once; closed on exit."""
        sem = self._tabs.setdefault(id(ctx), asyncio.Semaphore(self.tabs_per_context))
        async with sem:
            page = await ctx.new_page()
            page.on("dialog", answer_dialog)
            self._pages += 1
            try:
                yield page
            finally:
                with contextlib.suppress(Exception):
                    await page.close()

    async def current(self):
        """The running browser (call while holding a context, so no relaunch happens under it)."""
        if self._browser is None or not self._browser.is_connected():
            await self._launch()
        return self._browser

    async def close(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
            self._browser = None
