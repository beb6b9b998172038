"""Launching Debian's Chromium through Playwright, with the checks a evidence-grade crawl needs."""

from __future__ import annotations

import os
import shutil
import subprocess

from govweb import config
from govweb.crawl.network import NetworkPolicy

BASE_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 900}


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
        raise CrawlerSetupError(f"Chromium not found at {path}; install it (apt-get install -y chromium) "
                                f"or set GOVWEB_CHROMIUM to the browser binary")
    return path


def launch_options(policy: NetworkPolicy) -> dict:
    return {
        "executable_path": require_chromium(),
        "headless": True,
        "args": [*BASE_ARGS, f"--host-resolver-rules={policy.chromium_rules()}"],
    }
