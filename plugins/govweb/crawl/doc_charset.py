"""The home page decoded as the crawler's HTTP pages are: when the browser believed a charset the page declares
but is not written in, the page is loaded again with the right one.

Portals migrated to UTF-8 keep their template's `<meta charset=gb2312>` (and servers send no charset, or a wrong
one). Chromium trusts the declaration and turns every Chinese character of the home page into mojibake: its
title, menus and news titles, so every check that reads the home page would judge garbage. `parse.charset`
decides on the bytes (a strict decode must succeed); when its answer differs from the document's
`characterSet`, the same bytes are served to the tab again with the charset in the Content-Type header (which
the HTML standard puts before `<meta>`), and the page's scripts run again on the right text.
"""

from __future__ import annotations

import logging
import re

from govweb.parse.charset import detect_encoding, normalise

log = logging.getLogger(__name__)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# Python codec names that browsers know under another label
BROWSER_LABELS = {"gb18030": "gb18030", "utf-8": "utf-8", "big5": "big5", "shift_jis": "shift_jis",
                  "euc_jp": "euc-jp", "euc_kr": "euc-kr", "latin-1": "iso-8859-1", "iso8859-1": "iso-8859-1"}


def browser_label(codec: str) -> str:
    """The WHATWG label of a Python codec name (cp1252 -> windows-1252, iso8859-2 -> iso-8859-2)."""
    if codec in BROWSER_LABELS:
        return BROWSER_LABELS[codec]
    if m := re.fullmatch(r"cp(12\d\d)", codec):
        return f"windows-{m.group(1)}"
    if m := re.fullmatch(r"iso8859-(\d+)", codec):
        return f"iso-8859-{m.group(1)}"
    return codec.replace("_", "-")


def header_charset(content_type: str) -> str | None:
    m = HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


async def misdecoded(tab, resp, html: str, raw_of) -> tuple[bytes, str, str] | None:
    """(the document's bytes, the codec they are written in, the charset the browser used) when the browser
    decoded the loaded document (its DOM `html`) with another charset; None when it decoded it right.

    Playwright's `response.body()` is no help: for a document the browser decoded as text it is that text,
    re-encoded. The bytes are fetched again (`raw_of(url)`, the crawler's own polite GET) only when the
    browser did not read UTF-8, or its UTF-8 reading replaced broken bytes (U+FFFD): a page read as UTF-8
    without a broken byte is UTF-8."""
    if resp is None or not resp.ok:
        return None
    used = await tab.evaluate("document.characterSet")
    if normalise(used) == "utf-8" and "\ufffd" not in html:
        return None
    body = await raw_of(resp.url)
    if not body or body.isascii():
        return None
    codec = detect_encoding(body, header_charset(resp.headers.get("content-type", "")))
    if codec.startswith("utf-16") or normalise(used) == codec:
        return None
    return body, codec, used


async def reload_decoded(tab, resp, body: bytes, codec: str, timeout_ms: int):
    """Load the document at `resp.url` again in `tab`, served from `body` with `codec` in its header; the
    new response (None when the load failed: the first one stands)."""
    url = resp.url
    content_type = f"text/html; charset={browser_label(codec)}"

    async def serve(route) -> None:
        await route.fulfill(status=resp.status, headers={"content-type": content_type}, body=body)

    await tab.route(url, serve)
    try:
        return await tab.goto(url, wait_until="load", timeout=timeout_ms)
    except Exception as exc:  # noqa: BLE001 - the page as first decoded stays the evidence
        log.warning("reloading %s as %s failed: %s", url, codec, exc)
        return None
    finally:
        await tab.unroute(url, serve)
