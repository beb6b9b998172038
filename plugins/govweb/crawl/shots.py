"""Screenshots through the DevTools protocol's own capture (`Page.captureScreenshot`).

Playwright's `page.screenshot` wraps the same capture in two script runs in every frame of the page (a style
that hides the text caret, and its removal) and a wait for the page's fonts. Asked directly, with the same
clip and format, the protocol returns the same pixels for less work: on 24 home pages of the simulated web,
0.094 machine CPU-s a shot instead of 0.133–0.176 (Playwright's first shot in a page also builds its
script world in every frame). `optimizeForSpeed` lets the browser compress a PNG less (about a fifth larger
files, 0.02 CPU-s less a shot); the image itself is the same, pixel for pixel
(`tests/unit/crawl/test_shots.py` compares them). The caret of a focused text box is not hidden: the shot
shows the page as a visitor sees it."""

from __future__ import annotations

import base64
import contextlib

# The page's height once its web fonts are in (a heading set in a web font can change the height; Playwright
# waits for the same before a screenshot), at most FONT_WAIT_MS after the page asked for them.
FONT_WAIT_MS = 3000
HEIGHT_AFTER_FONTS_JS = """async (waitMs) => {
  try {
    await Promise.race([document.fonts.ready, new Promise(r => setTimeout(r, waitMs))]);
  } catch (e) {}
  return document.documentElement ? document.documentElement.scrollHeight : 0;
}"""


async def height_after_fonts(page) -> int:
    """The document's scroll height in CSS pixels, once its fonts have loaded (or FONT_WAIT_MS)."""
    return int(await page.evaluate(HEIGHT_AFTER_FONTS_JS, FONT_WAIT_MS) or 0)


def capture_params(width: int, height: int, viewport_height: int, fmt: str = "png", quality: int = 80) -> dict:
    """`Page.captureScreenshot`'s parameters for the top `width` x `height` CSS pixels of the page at scale 1
    (beyond the viewport when taller than it, as Playwright asks for a full-page clip)."""
    if fmt not in ("png", "jpeg"):
        raise ValueError(f"screenshot format must be png or jpeg, not {fmt!r}")
    params: dict = {"format": fmt, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                    "captureBeyondViewport": height > viewport_height, "optimizeForSpeed": True}
    if fmt == "jpeg":
        params["quality"] = quality
    return params


async def _shot(cdp, params: dict) -> bytes:
    shot = await cdp.send("Page.captureScreenshot", params)
    return base64.b64decode(shot["data"])


async def _send(page, params: dict) -> bytes:
    """`_shot` through a protocol session of its own on `page`."""
    cdp = await page.context.new_cdp_session(page)
    try:
        return await _shot(cdp, params)
    finally:
        with contextlib.suppress(Exception):  # the page may have closed itself: the shot is taken
            await cdp.detach()


async def capture(page, width: int, height: int, viewport_height: int, fmt: str = "png",
                  quality: int = 80) -> bytes:
    """The image of the top `width` x `height` CSS pixels of `page` (a Playwright page)."""
    return await _send(page, capture_params(width, height, viewport_height, fmt, quality))


VIEWPORT_PNG = {"format": "png", "optimizeForSpeed": True}


async def viewport_png(cdp) -> bytes:
    """A PNG of the viewport, through an attached protocol session `cdp` (whose emulated size it has)."""
    return await _shot(cdp, VIEWPORT_PNG)


async def page_viewport_png(page) -> bytes:
    """A PNG of `page`'s viewport (a Playwright page)."""
    return await _send(page, VIEWPORT_PNG)
