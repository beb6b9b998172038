"""Fault injection for the simulated web: slow, hung, failing, resetting, looping, trapping, huge and hostile sites.

A site profile may carry a ``fault:`` mapping; the server validates it once with :func:`check_fault` and then
routes every request of that site through :func:`apply`, which either answers with the fault or falls back to
``render()`` (the normal page). Every kind is one small coroutine in ``_HANDLERS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
from collections.abc import Awaitable, Callable
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import Any

from aiohttp import web

FAULT_KINDS = ("slow", "hang", "error", "reset", "redirect_loop", "trap", "huge", "hostile")
ERROR_STATUSES = (500, 502, 503, 504)
Render = Callable[[], Awaitable[web.Response]]
Handler = Callable[[dict, web.Request, Render], Awaitable[web.StreamResponse]]

_DEFAULT_PATHS = {"hang": ["/"], "redirect_loop": ["/"]}
# Paths a kind always answers itself, whatever `paths` says (the pages its own links lead to).
_OWN_PATHS = {"redirect_loop": "/loop/*", "trap": "/calendar/*", "hostile": "/download/*"}
_LOOP = re.compile(r"^/loop/(\d{1,9})/?$")
_CALENDAR = re.compile(r"^/calendar/(-?\d{1,6})/(\d{1,6})/?$")
_HANG_POLL_S = 0.2
_CHUNK = 64 * 1024
_PAD_LINE = b'<p class="govweb-pad">' + b"govweb simulated padding text. " * 3 + b"</p>\n"


# --- validation -----------------------------------------------------------------------------------

def _number(lo: float, strict: bool = False) -> Callable[[Any], bool]:
    def ok(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and (v > lo if strict else v >= lo)
    return ok


def _integer(lo: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= lo


# kind -> key -> (default, check, description of the allowed values)
_PARAMS: dict[str, dict[str, tuple[Any, Callable[[Any], bool], str]]] = {
    "slow": {"delay_s": (3.0, _number(0), "a number of seconds >= 0")},
    "hang": {"max_s": (300.0, _number(0, strict=True), "a number of seconds > 0")},
    "error": {"status": (503, lambda v: v in ERROR_STATUSES and not isinstance(v, bool),
                         "one of " + ", ".join(map(str, ERROR_STATUSES)))},
    "reset": {},
    "redirect_loop": {"n": (3, _integer(1), "an integer >= 1")},
    "trap": {},
    "huge": {"bytes": (30_000_000, _integer(0), "an integer >= 0")},
    "hostile": {},
}


def check_fault(spec: dict, where: str) -> dict:
    """Validate a profile's ``fault:`` mapping; return a copy with every default filled in."""
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: fault must be a mapping with a 'kind' key, got {spec!r}")
    kind = spec.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"{where}: fault.kind must be one of {', '.join(FAULT_KINDS)}; got {kind!r}")
    params = _PARAMS[kind]
    allowed = ("kind", "paths", *params)
    for key in spec:
        if key not in allowed:
            raise ValueError(f"{where}: unknown fault key {key!r} for kind {kind!r}; "
                             f"allowed keys: {', '.join(allowed)}")
    paths = spec.get("paths", _DEFAULT_PATHS.get(kind, ["*"]))
    if not isinstance(paths, list | tuple) or not all(isinstance(p, str) and p for p in paths):
        raise ValueError(f"{where}: fault.paths must be a list of fnmatch glob strings (e.g. ['/', '/art/*']); "
                         f"got {paths!r}")
    out: dict[str, Any] = {"kind": kind, "paths": list(paths)}
    for key, (default, ok, allowed_values) in params.items():
        value = spec.get(key, default)
        if not ok(value):
            raise ValueError(f"{where}: fault.{key} for kind {kind!r} must be {allowed_values}; got {value!r}")
        out[key] = float(value) if isinstance(default, float) else value
    return out


def _param(spec: dict, key: str) -> Any:
    return spec.get(key, _PARAMS[spec["kind"]][key][0])


# --- helpers --------------------------------------------------------------------------------------

def _html(text: str, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(text=text, status=status, headers=headers, content_type="text/html", charset="utf-8")


def _body(resp: web.Response) -> bytes:
    return bytes(resp.body) if isinstance(resp.body, bytes | bytearray) else b""


def _is_html(resp: web.StreamResponse) -> bool:
    return isinstance(resp, web.Response) and resp.content_type == "text/html" and isinstance(
        resp.body, bytes | bytearray)


def _rewrite(resp: web.Response, edit: Callable[[str], str]) -> web.Response:
    """Apply `edit` to an HTML response's text, keeping its charset (unencodable characters become &#...;)."""
    if not _is_html(resp):
        return resp
    charset = resp.charset or "utf-8"
    text = _body(resp).decode(charset, errors="replace")
    resp.body = edit(text).encode(charset, errors="xmlcharrefreplace")
    return resp


def _before_body_end(html: str, snippet: str) -> str:
    i = html.lower().rfind("</body>")
    return html + snippet if i < 0 else html[:i] + snippet + html[i:]


def _into_head(html: str, snippet: str) -> str:
    m = re.search(r"<head\b[^>]*>", html, re.I) or re.search(r"<html\b[^>]*>", html, re.I)
    return html[:m.end()] + snippet + html[m.end():] if m else snippet + html


def _drop(request: web.Request) -> None:
    """Abort the client's TCP connection with a RST (SO_LINGER 0), so it never sees an HTTP response."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _unsent() -> web.Response:
    # Returned after _drop(): aiohttp fails to write it to the closed transport and treats that as a client
    # disconnection (no 500, no error log).
    return web.Response(status=204)


# --- one coroutine per kind -----------------------------------------------------------------------

async def _slow(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    await asyncio.sleep(_param(spec, "delay_s"))
    return await render()


async def _hang(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _param(spec, "max_s")
    while (left := deadline - loop.time()) > 0:
        transport = request.transport
        if transport is None or transport.is_closing():  # the client gave up
            break
        await asyncio.sleep(min(_HANG_POLL_S, left))
    _drop(request)  # never answer: past max_s the connection is cut without a response
    return _unsent()


async def _error(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    status = _param(spec, "status")
    title = f"{status} {HTTPStatus(status).phrase}"
    return _html(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                 f"<p>服务暂时不可用，请稍后再试。</p></body></html>", status)


async def _reset(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    _drop(request)
    return _unsent()


async def _redirect_loop(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    n = _param(spec, "n")
    m = _LOOP.match(request.path)
    step = int(m.group(1)) % n + 1 if m else 1
    location = f"/loop/{step}"
    return _html(f'<html><body><a href="{location}">{location}</a></body></html>', 302, {"Location": location})


def _month(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"/calendar/{year}/{month0 + 1}/"


def _anchor(spec: dict) -> tuple[int, int]:
    """(year, month) the trap starts at: the world's evaluation month, set by the server (never today:
    served pages are deterministic)."""
    return tuple(spec.get("anchor") or (2018, 10))


def _calendar_page(spec: dict, path: str, query: dict) -> web.Response:
    year0, month0 = _anchor(spec)
    m = _CALENDAR.match(path)
    index = int(m.group(1)) * 12 + int(m.group(2)) - 1 if m else year0 * 12 + month0 - 1
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    here = _month(index)
    year, month0 = divmod(index, 12)
    return _html(f"<html><head><meta charset=\"utf-8\"><title>活动日历 {year}年{month0 + 1}月 第{page}页</title>"
                 f"</head><body><h1>活动日历 {year}年{month0 + 1}月</h1><p>本月暂无活动。</p>"
                 f'<a href="{_month(index - 1)}">上一月</a> <a href="{_month(index + 1)}">下一月</a> '
                 f'<a href="{here}?page={page + 1}">下一页</a></body></html>')


async def _trap(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    if request.path.startswith("/calendar/"):
        return _calendar_page(spec, request.path, dict(request.query))
    year, month = _anchor(spec)
    link = f'<p><a href="/calendar/{year}/{month}/">活动日历</a></p>'
    return _rewrite(await render(), lambda html: _before_body_end(html, link))


async def _huge(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    resp = await render()
    body = _body(resp)
    cut = body.lower().rfind(b"</body>")
    head, tail = (body, b"") if cut < 0 else (body[:cut], body[cut:])
    pad = max(0, _param(spec, "bytes") - len(body))
    out = web.StreamResponse(status=resp.status, reason=resp.reason)
    for key, value in resp.headers.items():
        if key.lower() not in ("content-length", "transfer-encoding", "content-encoding"):
            out.headers.add(key, value)
    out.content_length = len(body) + pad
    await out.prepare(request)
    if request.method == "HEAD":  # headers only: body bytes here would corrupt the keep-alive connection
        await out.write_eof()
        return out
    await out.write(head)
    block = _PAD_LINE * (_CHUNK // len(_PAD_LINE))
    while pad >= len(block):
        await out.write(block)
        pad -= len(block)
    lines, rest = divmod(pad, len(_PAD_LINE))
    await out.write(_PAD_LINE * lines + b" " * rest + tail)
    await out.write_eof()
    return out


HOSTILE_HEAD = ('<meta http-equiv="refresh" content="1;url=/download/setup.exe">'
                '<script>alert("govweb")</script>'
                '<script>window.onbeforeunload = function (e) { e.preventDefault(); e.returnValue = "确定离开？"; '
                'return "确定离开？"; };</script>')
HOSTILE_ITEM = ('<ul class="govweb-hostile"><li>恭喜中奖 <img src=x onerror=alert(1)> '
                "</title><script>document.title='pwned'</script> 立即领取</li></ul>")
HOSTILE_TITLE = "【恭喜中奖】"
DOWNLOAD_BODY = b"MZ" + b"\0" * 62 + b"govweb simulated download: not a real program.\n"


async def _hostile(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    if request.path.startswith("/download/"):
        return web.Response(body=DOWNLOAD_BODY, content_type="application/octet-stream",
                            headers={"Content-Disposition": 'attachment; filename="setup.exe"'})

    def edit(html: str) -> str:
        html, titled = re.subn(r"(<title\b[^>]*>)", lambda m: m.group(1) + HOSTILE_TITLE, html, count=1, flags=re.I)
        head = HOSTILE_HEAD if titled else f"<title>{HOSTILE_TITLE}</title>{HOSTILE_HEAD}"
        return _before_body_end(_into_head(html, head), HOSTILE_ITEM)

    return _rewrite(await render(), edit)


_HANDLERS: dict[str, Handler] = {
    "slow": _slow, "hang": _hang, "error": _error, "reset": _reset, "redirect_loop": _redirect_loop,
    "trap": _trap, "huge": _huge, "hostile": _hostile,
}


def _matches(spec: dict, path: str) -> bool:
    kind = spec["kind"]
    own = _OWN_PATHS.get(kind)
    if own and fnmatchcase(path, own):
        return True
    paths = spec.get("paths")
    return any(fnmatchcase(path, p) for p in (_DEFAULT_PATHS.get(kind, ["*"]) if paths is None else paths))


async def apply(spec: dict, request: web.Request, render: Render) -> web.StreamResponse:
    """Answer `request` with the fault in `spec` if its path is affected, else with the normal ``render()``."""
    if _matches(spec, request.path):
        return await _HANDLERS[spec["kind"]](spec, request, render)
    return await render()
