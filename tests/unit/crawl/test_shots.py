"""Screenshots through the DevTools protocol (crawl/shots.py): the same pixels as Playwright's own screenshot
of the same clip, the height read once the page's fonts are in."""

from __future__ import annotations

import asyncio
import base64
import struct

import pytest
from aiohttp import web

from govweb.crawl import shots
from tests.unit.crawl.test_probes_browser import with_browser

TALL = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font-size: 18px; }
.band { height: 380px; border-bottom: 6px solid #c00; padding: 12px; }
.band:nth-child(2n) { background: linear-gradient(90deg, #fde, #def); }
</style></head><body>
<div class="band">政务公开 通知公告 <input value="搜索" autofocus></div>
<div class="band">政策文件 2018-10-12 市政府召开常务会议</div>
<div class="band">互动交流 领导信箱 已办结</div>
<div class="band">办事服务 网上办事 下载表格</div>
<div class="band">网站地图 联系我们 版权所有</div>
</body></html>"""

# Both images drawn to a canvas in the browser and compared pixel by pixel: the number of differing bytes.
SAME_PIXELS_JS = """async ([a, b]) => {
  const load = src => new Promise((ok, no) => {
    const i = new Image(); i.onload = () => ok(i); i.onerror = no; i.src = src; });
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.width !== y.width || x.height !== y.height) return -1;
  const data = img => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; };
  const [p, q] = [data(x), data(y)];
  let differ = 0;
  for (let k = 0; k < p.length; k++) if (p[k] !== q[k]) differ++;
  return differ;
}"""


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_capture_params_follow_the_clip_and_format():
    tall = shots.capture_params(1280, 2000, 900)
    assert tall["clip"] == {"x": 0, "y": 0, "width": 1280, "height": 2000, "scale": 1}
    assert tall["captureBeyondViewport"] is True and tall["format"] == "png" and "quality" not in tall
    short = shots.capture_params(1280, 900, 900, "jpeg", 70)
    assert short["captureBeyondViewport"] is False and short["format"] == "jpeg" and short["quality"] == 70
    with pytest.raises(ValueError, match="png or jpeg"):
        shots.capture_params(1280, 900, 900, "gif")


@pytest.mark.browser
def test_protocol_capture_has_playwrights_pixels():
    async def tall(_):
        return web.Response(text=TALL, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", tall)

    async def work(browser, _policy):
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            page = await context.new_page()
            await page.goto("http://www.probe.test/", wait_until="load")
            height = await shots.height_after_fonts(page)
            ours = await shots.capture(page, 1280, height, 900)
            theirs = await page.screenshot(full_page=True, type="png",
                                           clip={"x": 0, "y": 0, "width": 1280, "height": height})
            phone = await shots.page_viewport_png(page)
            jpeg = await shots.capture(page, 1280, height, 900, "jpeg")
            blank = await context.new_page()
            await page.evaluate("document.querySelector('input').blur()")  # the caret is not part of either
            ours_blurred = await shots.capture(page, 1280, height, 900)
            theirs_blurred = await page.screenshot(full_page=True, type="png",
                                                   clip={"x": 0, "y": 0, "width": 1280, "height": height})
            differ = await blank.evaluate(SAME_PIXELS_JS, [data_url(ours_blurred), data_url(theirs_blurred)])
            return height, ours, theirs, phone, jpeg, differ
        finally:
            await context.close()

    height, ours, theirs, phone, jpeg, differ = asyncio.run(with_browser(app, work))
    assert height == 5 * (380 + 2 * 12 + 6)  # five bands: height, padding, border; no body margin
    assert png_size(ours) == png_size(theirs) == (1280, height)
    assert differ == 0
    assert png_size(phone) == (1280, 900)
    assert jpeg[:3] == b"\xff\xd8\xff"
