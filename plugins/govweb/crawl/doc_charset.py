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


async def misdecoded(frame, url: str, html: str, raw_of) -> tuple[bytes, str, str] | None:
    """(the document's bytes, the codec they are written in, the charset the browser used) when the browser
    decoded the document at `url` shown in `frame` (a Playwright page or frame; its DOM `html`) with another
    charset; None when it decoded it right.

    Playwright's `response.body()` is no help: for a document the browser decoded as text it is that text,
    re-encoded. The bytes are fetched again (`raw_of(url)`: (body, header charset) by the crawler's own polite
    GET, or None) only when the browser did not read UTF-8, or its UTF-8 reading replaced broken bytes
    (U+FFFD): a page read as UTF-8 without a broken byte is UTF-8."""
    used = await frame.evaluate("document.characterSet")
    if normalise(used) == "utf-8" and "\ufffd" not in html:
        return None
    got = await raw_of(url)
    if got is None or not got[0] or got[0].isascii():
        return None
    body, header = got
    codec = detect_encoding(body, header)
    if codec.startswith("utf-16") or normalise(used) == codec:
        return None
    return body, codec, used


async def reload_decoded(tab, url: str, documents: dict[str, tuple[bytes, str]], timeout_ms: int):
    """Load `url` again in `tab`, each document of `documents` ({url: (bytes, codec)}: the page, a frame) served
    from its bytes with its codec in the header; the new response (None when the load failed: the first one
    stands)."""
    def serve(body: bytes, codec: str):
        async def fulfil(route) -> None:
            await route.fulfill(status=200, headers={"content-type": f"text/html; charset={browser_label(codec)}"},
                                body=body)
        return fulfil

    routes = [(lambda u, d=doc: u == d, serve(body, codec)) for doc, (body, codec) in documents.items()]
    for matcher, handler in routes:
        await tab.route(matcher, handler)
    try:
        return await tab.goto(url, wait_until="load", timeout=timeout_ms)
    except Exception as exc:  # noqa: BLE001 - the page as first decoded stays the evidence
        log.warning("reloading %s in its documents' charsets failed: %s", url, exc)
        return None
    finally:
        for matcher, handler in routes:
            await tab.unroute(matcher, handler)
