"""Home pages that are only a frame shell: the site a visitor sees is the shell's main frame.

Old portals still answer their address with `<frameset rows="0,*"><frame src="main.html">`, or with a body
that holds nothing but one iframe filling the window. The top document then has no links, columns, lists,
footer or search box of its own: read as the home page, every home check would judge an empty page, and the
site's own links would be checked as an inner page's. The main frame's DOM (after scripts) is read as the
home page instead, with a `<base href>` to the frame's address so its links resolve as they do in the frame;
the screenshot is of the window as shown (the frames drawn in it).
"""

from __future__ import annotations

import html as html_lib
import re

# The index of the frame that is the page: a frameset's largest frame, or an iframe covering at least half the
# window when the top document has no more than 3 links and 200 characters of text of its own; -1 otherwise.
MAIN_FRAME_JS = """() => {
  const frames = [...document.querySelectorAll('frame, iframe')];
  if (!frames.length) return -1;
  const body = document.body;
  const frameset = document.querySelector('frameset') !== null;
  const links = body ? body.querySelectorAll('a[href]').length : 0;
  const text = body ? (body.innerText || '').trim().length : 0;
  let best = -1, area = 0;
  frames.forEach((f, i) => {
    const r = f.getBoundingClientRect();
    const a = Math.max(r.width, 0) * Math.max(r.height, 0);
    if (a > area) { area = a; best = i; }
  });
  if (best < 0) return -1;
  const covers = area >= 0.5 * window.innerWidth * window.innerHeight;
  return frameset || (links <= 3 && text <= 200 && covers) ? best : -1;
}"""
HEAD = re.compile(r"<head\b[^>]*>", re.I)
BASE = re.compile(r"<base\b[^>]*\bhref\s*=", re.I)
DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.I)
META = re.compile(r"<meta\b[^>]*>", re.I)
META_NAME = re.compile(r"""\bname\s*=\s*(['"]?)([^'"\s>]+)\1""", re.I)


def _meta_name(tag: str) -> str:
    m = META_NAME.search(tag)
    return (m.group(2) if m else "").strip().lower()


def with_base(html: str, url: str, shell_url: str, shell_html: str = "") -> str:
    """The main frame's DOM as the home page's: a note naming the shell, a `<base href>` to the frame's
    address unless the frame sets its own, and the shell's named `<meta>` tags the frame lacks (SiteIDCode,
    keywords: some shells carry them for the whole site), all at the start of its `<head>` (after the doctype
    when it has no head: the layout mode stays the frame's)."""
    note = (f"<!-- govweb: {html_lib.escape(shell_url)} is a frame shell; "
            f"this is its main frame {html_lib.escape(url)} -->")
    own = {_meta_name(t) for t in META.findall(html)}
    metas = "".join(t for t in META.findall(shell_html) if _meta_name(t) and _meta_name(t) not in own)
    head = note + ("" if BASE.search(html) else f'<base href="{html_lib.escape(url)}">') + metas
    m = HEAD.search(html) or DOCTYPE.match(html)
    return html[: m.end()] + head + html[m.end():] if m else head + html


async def frame_of(tab):
    """The Playwright frame a frame-shell page in `tab` shows (MAIN_FRAME_JS), of any address; None for an
    ordinary page."""
    index = await tab.evaluate(MAIN_FRAME_JS)
    if not isinstance(index, int) or index < 0:
        return None
    handles = await tab.query_selector_all("frame, iframe")
    return await handles[index].content_frame() if index < len(handles) else None


async def main_frame(tab, internal, original=None) -> tuple[str, str] | None:
    """(url, DOM after scripts) of the frame a frame-shell page in `tab` shows, when it is of the site
    (`internal(url)`); None for an ordinary page. `original` maps an archive URL to the site's own (archive
    mode: the frame is served from the archive too)."""
    frame = await frame_of(tab)
    if frame is None or not frame.url.startswith(("http://", "https://")):
        return None
    url = original(frame.url) if original is not None else frame.url
    return (url, await frame.content()) if internal(url) else None
