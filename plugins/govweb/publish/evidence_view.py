"""Evidence as the report shows it: the element a defect is about, quoted from the stored page and pictured
from it; the stored page itself as escaped source text.

Crawled HTML is hostile: it is never opened as a page of the report. Quotes are plain text (escaped by the
templates); the source view is the page's bytes escaped inside <pre>. The picture of a defect's element is
taken in a Chromium that lays the stored page out with JavaScript disabled and every request refused: the
first element holding one of the defect's words is found, the site's names in the page are replaced by the
anonymised ones (某市…), and that region is captured as PNG.

Why not cut the element out of the crawl's screenshot: the stored page does not keep its images and style
sheets, so the page laid out again is shifted against the screenshot (by the images' heights, often 100 px or
more), and a crop or a mask computed on the re-laid-out page would miss the element and could leave the
site's name readable in an anonymised example. The scorecards show the crawl's screenshots themselves.
"""

from __future__ import annotations

import contextlib
import logging
import re
import struct
from dataclasses import dataclass

from govweb.extract import parse
from govweb.parse.charset import decode
from govweb.publish.text import plain

log = logging.getLogger(__name__)
VIEWPORT_WIDTH = 1280  # govweb.crawl.browser.VIEWPORT
QUOTE_CHARS = 160
MAX_HEIGHT = 320  # px of the pictured region at most
MAX_PAGE_CHARS = 600_000  # larger stored pages (crawler traps, huge pages) are neither quoted nor pictured
MIN_SIZE = (560, 90)  # px: a small element is shown with some of its surroundings
PAD = 12
_QUOTED = re.compile(r"“([^”]{2,40})”")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_QUOTE_TAGS = "li, tr, p, dd, dt, h1, h2, h3, h4, td, th, label, a, span, div"
# Blocked images keep their box but show no broken-image icon.
_STYLE = "img,input[type=image]{color:transparent!important;outline:1px dashed #c8ccd1}"

# Replaces the site's names in text and a few attributes, then finds the first visible element holding a
# needle (the closest block not taller than maxH) and returns its box in page coordinates.
_PICTURE_JS = """
([rules, needles, maxH, style]) => {
  const compiled = rules.map(([src, to]) => [new RegExp(src, 'gi'), to]);
  const clean = (s) => { for (const [re, to] of compiled) s = s.replace(re, to); return s; };
  const root = document.body || document.documentElement;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n);
  for (const t of texts) { const v = clean(t.nodeValue); if (v !== t.nodeValue) t.nodeValue = v; }
  for (const el of root.querySelectorAll('[alt],[title],[value],[placeholder]')) {
    for (const a of ['alt', 'title', 'value', 'placeholder']) {
      if (el.hasAttribute(a)) el.setAttribute(a, clean(el.getAttribute(a)));
    }
  }
  const css = document.createElement('style'); css.textContent = style; document.head.appendChild(css);
  const blocks = new Set(['LI','TR','P','DD','DT','H1','H2','H3','H4','H5','TD','TH','FORM','SECTION',
                          'FOOTER','TABLE','UL','DIV','NAV','HEADER']);
  const out = {doc: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth};
  // navigation repeats every column name: look outside it first
  const inNav = (n) => { for (let a = n.parentElement; a; a = a.parentElement) {
    if (a.tagName === 'NAV' || /(^|[^a-z])(nav|menu)/i.test(a.className || '')) return true; } return false; };
  const order = texts.filter(t => !inNav(t)).concat(texts.filter(inNav));
  for (const needle of needles) {
    for (const t of order) {
      if (!t.nodeValue || t.nodeValue.indexOf(needle) < 0) continue;
      const el = t.parentElement;
      let r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      let best = el;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        if (a.getBoundingClientRect().height > maxH) break;
        best = a;
        if (blocks.has(a.tagName)) break;
      }
      best.style.outline = '2px solid #d1242f';
      best.style.outlineOffset = '2px';
      r = best.getBoundingClientRect();
      let box = {x: r.left, y: r.top, w: r.width, h: r.height};
      const next = best.nextElementSibling;
      if (/^H[1-5]$/.test(best.tagName) && next) {  // a column's title: show its list with it
        const n = next.getBoundingClientRect();
        const x = Math.min(r.left, n.left), y = Math.min(r.top, n.top);
        box = {x, y, w: Math.max(r.right, n.right) - x, h: Math.min(maxH, Math.max(r.bottom, n.bottom) - y)};
      }
      return Object.assign(out, {x: box.x + scrollX, y: box.y + scrollY, w: box.w, h: box.h, needle});
    }
  }
  return out;
}
"""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def region(self, page_w: float, page_h: float) -> Box:
        """The padded box, widened to MIN_SIZE around its centre and kept on the page and under MAX_HEIGHT."""
        w = min(page_w, max(self.w + 2 * PAD, MIN_SIZE[0]))
        h = min(page_h, MAX_HEIGHT, max(self.h + 2 * PAD, MIN_SIZE[1]))
        x = min(max(0.0, self.x + self.w / 2 - w / 2), max(0.0, page_w - w))
        y = min(max(0.0, self.y - PAD if self.h + 2 * PAD >= h else self.y + self.h / 2 - h / 2), max(0.0, page_h - h))
        return Box(round(x), round(y), round(w), round(h))


@dataclass(frozen=True)
class Picture:
    png: bytes
    width: int
    height: int
    needle: str


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG, read from its header (no image library needed)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker, size = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h
            i += 2 + size
    return None


def needles_for(words: list[str], value: str, detail: str = "") -> list[str]:
    """The words that find a defect's element: the theme's words, where `value` means the finding's value,
    `quoted` the “…” quotes of its detail and `listed` the 、-separated names after the detail's last ：."""
    out: list[str] = []
    for w in words:
        if w == "value":
            out += [p.strip() for p in plain(value).replace("；", ";").split(";")]
        elif w == "quoted":
            out += [q.strip() for q in _QUOTED.findall(plain(detail))]
        elif w == "listed":
            tail = plain(detail).rsplit("：", 1)[-1] if "：" in plain(detail) else ""
            out += [_PAREN.sub("", p).strip() for p in tail.split("、")]
        elif w:
            out.append(w)
    usable = [n for n in out if 2 <= len(n) <= 40 and not n.replace(".", "").isdigit()
              and n.lower() not in ("true", "false")]
    return list(dict.fromkeys(usable))


def block_texts(html: str) -> list[str]:
    """The text of every block of a stored page (scripts and styles left out), for quoting."""
    if not html or len(html) > MAX_PAGE_CHARS:
        return []
    tree = parse(html)
    for tag in ("script", "style", "noscript", "template"):
        for node in tree.css(tag):
            node.decompose()
    return [" ".join(n.text(deep=True, separator=" ").split()) for n in tree.css(_QUOTE_TAGS)]


def quote_from(texts: list[str], needles: list[str]) -> str:
    """The shortest block holding a needle, as plain text (shortened around the needle)."""
    for needle in needles:
        holding = [t for t in texts if needle in t]
        if holding:
            best = min(holding, key=len)
            return best if len(best) <= QUOTE_CHARS else _around(best, needle)
    return ""


def quote(html: str, needles: list[str]) -> str:
    """The shortest block of the stored page that holds a needle."""
    if not needles or not any(n in html for n in needles):
        return ""
    return quote_from(block_texts(html), needles)


def _around(text: str, needle: str) -> str:
    at = text.find(needle)
    start = max(0, at - QUOTE_CHARS // 3)
    cut = text[start:start + QUOTE_CHARS]
    return ("…" if start else "") + cut + ("…" if start + QUOTE_CHARS < len(text) else "")


def page_text(raw: bytes, encoding: str = "utf-8") -> str:
    return decode(raw, encoding or "utf-8")


class Locator:
    """One Chromium picturing elements of stored pages (scripts off, every request refused, one page reused)."""

    def __init__(self):
        self._pw = self._browser = self._page = None
        self.failed = ""

    def __enter__(self) -> Locator:
        try:
            from playwright.sync_api import sync_playwright

            from govweb.crawl.browser import BASE_ARGS, require_chromium

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=require_chromium(), headless=True,
                                                     args=list(BASE_ARGS))
            ctx = self._browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": 900},
                                            java_script_enabled=False, offline=True, device_scale_factor=1)
            ctx.route("**/*", lambda route: route.abort())
            self._page = ctx.new_page()
        except Exception as exc:  # noqa: BLE001 - no browser: the report quotes the elements only
            self.failed = f"{type(exc).__name__}: {exc}"
            log.warning("no browser to picture evidence elements (%s); examples are quoted only", self.failed)
            self.__exit__(None, None, None)
        return self

    @property
    def ready(self) -> bool:
        return self._page is not None

    def picture(self, html: str, needles: list[str], rules: list[tuple[str, str]]) -> Picture | None:
        """The region of the first element holding a needle, names replaced by `rules`, as PNG."""
        if self._page is None or not needles or len(html) > MAX_PAGE_CHARS:
            return None
        try:
            self._page.set_content(html, wait_until="domcontentloaded", timeout=15000)
            got = self._page.evaluate(_PICTURE_JS, [rules, needles, MAX_HEIGHT, _STYLE])
            if "x" not in got:
                return None
            box = Box(got["x"], got["y"], got["w"], got["h"]).region(max(got["width"], VIEWPORT_WIDTH), got["doc"])
            if box.w <= 0 or box.h <= 0:
                return None
            png = self._page.screenshot(type="png", full_page=True, animations="disabled", caret="hide",
                                        clip={"x": box.x, "y": box.y, "width": box.w, "height": box.h})
        except Exception as exc:  # noqa: BLE001 - one page that does not lay out loses its picture only
            log.warning("could not picture an element of a stored page (%s): %s", needles[:3], exc)
            return None
        return Picture(png, int(box.w), int(box.h), str(got.get("needle", "")))

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                self._browser.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                self._pw.stop()
        self._pw = self._browser = self._page = None
