"""Fault injection for the simulated web (govweb.sim.faults), exercised over real loopback HTTP."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from govweb.sim import faults

TITLE = "测试市人民政府"
PAGE = f"<html><head><title>{TITLE}</title></head><body><h1>首页</h1><ul><li>政务公开</li></ul></body></html>"
SHORT = aiohttp.ClientTimeout(total=5)


def make_app(spec: dict, finished: list[str]) -> web.Application:
    """Every path renders PAGE; paths under /gbk/ render it GBK-encoded. Each request goes through faults.apply."""

    async def handle(request: web.Request) -> web.StreamResponse:
        charset = "gbk" if request.path.startswith("/gbk/") else "utf-8"

        async def render() -> web.Response:
            return web.Response(text=PAGE, content_type="text/html", charset=charset)

        try:
            return await faults.apply(spec, request, render)
        finally:
            finished.append(request.path)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def run(spec: dict, scenario: Callable[[TestClient], Awaitable[object]], finished: list[str] | None = None):
    spec = faults.check_fault(spec, "test-site")

    async def main():
        async with TestClient(TestServer(make_app(spec, [] if finished is None else finished))) as client:
            return await scenario(client)

    return asyncio.run(main())


async def fetch(client: TestClient, path: str, **kw) -> tuple[int, bytes, aiohttp.ClientResponse]:
    async with client.get(path, timeout=SHORT, **kw) as resp:
        return resp.status, await resp.read(), resp


# --- check_fault ----------------------------------------------------------------------------------

def test_check_fault_fills_defaults():
    assert faults.check_fault({"kind": "slow"}, "w") == {"kind": "slow", "paths": ["*"], "delay_s": 3.0}
    assert faults.check_fault({"kind": "hang"}, "w") == {"kind": "hang", "paths": ["/"], "max_s": 300.0}
    assert faults.check_fault({"kind": "error"}, "w")["status"] == 503
    assert faults.check_fault({"kind": "redirect_loop"}, "w") == {"kind": "redirect_loop", "paths": ["/"], "n": 3}
    assert faults.check_fault({"kind": "huge"}, "w")["bytes"] == 30_000_000
    assert faults.check_fault({"kind": "trap", "paths": ("/", "/col/*")}, "w")["paths"] == ["/", "/col/*"]
    for kind in ("reset", "hostile"):
        assert faults.check_fault({"kind": kind}, "w") == {"kind": kind, "paths": ["*"]}
    spec = {"kind": "slow", "delay_s": 1}
    assert faults.check_fault(spec, "w")["delay_s"] == 1.0 and spec == {"kind": "slow", "delay_s": 1}


@pytest.mark.parametrize(("spec", "mentions"), [
    ({"kind": "explode"}, ["kind", "slow", "hostile"]),
    ({}, ["kind", "redirect_loop"]),
    ("slow", ["mapping"]),
    ({"kind": "slow", "delay_s": "3s"}, ["delay_s", ">= 0"]),
    ({"kind": "slow", "delay_s": True}, ["delay_s"]),
    ({"kind": "slow", "delay_s": -1}, ["delay_s"]),
    ({"kind": "hang", "max_s": 0}, ["max_s", "> 0"]),
    ({"kind": "error", "status": 404}, ["status", "500, 502, 503, 504"]),
    ({"kind": "error", "status": "503"}, ["status", "500, 502, 503, 504"]),
    ({"kind": "redirect_loop", "n": 2.5}, ["n", "integer"]),
    ({"kind": "huge", "bytes": "big"}, ["bytes", "integer"]),
    ({"kind": "trap", "paths": "/"}, ["paths", "list"]),
    ({"kind": "trap", "paths": ["/", 3]}, ["paths"]),
    ({"kind": "reset", "delay_s": 1}, ["delay_s", "allowed keys: kind, paths"]),
])
def test_check_fault_rejects_bad_specs(spec, mentions):
    with pytest.raises(ValueError) as exc:
        faults.check_fault(spec, "profiles/hubei.yaml:www.wuhan.gov.test")
    message = str(exc.value)
    assert "profiles/hubei.yaml:www.wuhan.gov.test" in message
    for word in mentions:
        assert word in message


def test_fault_kinds_all_have_handlers():
    assert set(faults.FAULT_KINDS) == set(faults._HANDLERS) == set(faults._PARAMS)


# --- kinds ----------------------------------------------------------------------------------------

def test_slow_delays_only_matching_paths():
    async def scenario(client):
        t0 = time.monotonic()
        status, body, _ = await fetch(client, "/slow/page.html")
        slow = time.monotonic() - t0
        t0 = time.monotonic()
        fast_status, _, _ = await fetch(client, "/other")
        return status, body, slow, fast_status, time.monotonic() - t0

    status, body, slow, fast_status, fast = run({"kind": "slow", "delay_s": 0.3, "paths": ["/slow/*"]}, scenario)
    assert status == fast_status == 200 and TITLE in body.decode()
    assert slow >= 0.3 and fast < 0.3


def test_hang_times_out_without_blocking_other_requests_and_ends_on_disconnect():
    finished: list[str] = []

    async def scenario(client):
        async def hung():
            t0 = time.monotonic()
            with pytest.raises(asyncio.TimeoutError):
                await client.get("/", timeout=aiohttp.ClientTimeout(total=0.5))
            return time.monotonic() - t0

        async def meanwhile():
            await asyncio.sleep(0.1)
            status, body, _ = await fetch(client, "/index.html")
            return status, body, list(finished)

        waited, (status, body, done_then) = await asyncio.gather(hung(), meanwhile())
        for _ in range(40):  # the hung handler notices the client went away and returns
            if "/" in finished:
                break
            await asyncio.sleep(0.05)
        return waited, status, body, done_then, list(finished)

    waited, status, body, done_then, done = run({"kind": "hang"}, scenario, finished)
    assert waited >= 0.5
    assert status == 200 and TITLE in body.decode()
    assert "/" not in done_then  # answered while the hang was still in progress
    assert "/" in done


def test_hang_cuts_the_connection_after_max_s():
    async def scenario(client):
        t0 = time.monotonic()
        with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
            await client.get("/", timeout=SHORT)
        return time.monotonic() - t0

    assert 0.3 <= run({"kind": "hang", "max_s": 0.3}, scenario) < 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_error_answers_status_with_small_html_page(status):
    async def scenario(client):
        return await fetch(client, "/art/ywdt/1.html")

    got, body, resp = run({"kind": "error", "status": status}, scenario)
    assert got == status and resp.content_type == "text/html"
    assert f"<h1>{status} " in body.decode() and len(body) < 1000


def test_error_default_status_and_unvalidated_spec():
    async def scenario(client):
        return await fetch(client, "/")

    async def main():  # apply works on a spec that never went through check_fault, using defaults
        async with TestClient(TestServer(make_app({"kind": "error"}, []))) as client:
            return await scenario(client)

    assert asyncio.run(main())[0] == 503


def test_reset_drops_the_connection_without_any_http_response():
    async def scenario(client):
        for path in ("/", "/art/ywdt/1.html"):
            with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)) as exc:
                await client.get(path, timeout=SHORT)
            assert not isinstance(exc.value, aiohttp.ClientResponseError)
        return (await fetch(client, "/healthy"))[0]

    assert run({"kind": "reset", "paths": ["/", "/art/*"]}, scenario) == 200


def test_redirect_loop_cycles_through_loop_pages():
    async def scenario(client):
        with pytest.raises(aiohttp.TooManyRedirects) as exc:
            await client.get("/", max_redirects=10, timeout=SHORT)
        history = [r.url.path for r in exc.value.history]
        direct = await fetch(client, "/loop/2", allow_redirects=False)
        other = await fetch(client, "/col/ywdt/", allow_redirects=False)
        return history, direct[2].headers["Location"], direct[0], other[0]

    history, location, direct_status, other_status = run({"kind": "redirect_loop", "n": 4}, scenario)
    assert history[0] == "/"
    assert history[1:9] == ["/loop/1", "/loop/2", "/loop/3", "/loop/4"] * 2
    assert (direct_status, location) == (302, "/loop/3")
    assert other_status == 200  # default paths: only "/" enters the loop


def test_loop_pages_loop_even_outside_paths():
    async def scenario(client):
        return [await fetch(client, p, allow_redirects=False) for p in ("/", "/index.html", "/loop/3", "/loop/x")]

    got = run({"kind": "redirect_loop", "paths": ["/index.html"]}, scenario)
    assert [(s, r.headers.get("Location")) for s, _, r in got] == [
        (200, None), (302, "/loop/1"), (302, "/loop/1"), (302, "/loop/1")]


def _link(body: bytes, text: str, charset: str = "utf-8") -> str:
    m = re.search(rf'<a href="([^"]+)">{text}</a>', body.decode(charset))
    assert m, f"no {text!r} link"
    return m.group(1)


def test_trap_is_an_endless_calendar():
    async def scenario(client):
        status, home, _ = await fetch(client, "/")
        url, seen, statuses = _link(home, "活动日历"), [], []
        for label in ("下一月", "上一月", "下一页"):
            start = url
            for _ in range(50):
                status, body, _ = await fetch(client, start)
                statuses.append(status)
                seen.append(start)
                start = _link(body, label)
        bogus = await fetch(client, "/calendar/not/a/month")
        return status, url, seen, statuses, bogus

    status, first, seen, statuses, bogus = run({"kind": "trap"}, scenario)
    assert re.fullmatch(r"/calendar/\d{4}/\d{1,2}/", first)
    assert set(statuses) == {200}
    assert len(set(seen)) == len(seen) - 2  # each walk of 50 is new; only the start is shared by the 3 walks
    assert any("?page=50" in u for u in seen)
    assert bogus[0] == 200 and "下一月" in bogus[1].decode()


def test_trap_keeps_gbk_pages_gbk():
    async def scenario(client):
        return await fetch(client, "/gbk/index.html")

    status, body, resp = run({"kind": "trap"}, scenario)
    assert status == 200 and resp.charset == "gbk"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    assert TITLE in text and re.search(r'<a href="/calendar/\d+/\d+/">活动日历</a></p></body>', text)


@pytest.mark.parametrize("path", ["/", "/gbk/big.html"])
def test_huge_streams_a_padded_page_with_content_length(path):
    async def scenario(client):
        status, body, resp = await fetch(client, path)
        return status, body, resp.content_length, resp.headers.get("Transfer-Encoding"), resp.charset

    status, body, length, chunked, charset = run({"kind": "huge", "bytes": 2_000_000}, scenario)
    assert status == 200 and chunked is None
    assert length >= 2_000_000 and len(body) == length
    text = body.decode(charset)
    assert text.startswith(PAGE.split("</body>")[0]) and text.endswith("</body></html>")


def test_huge_head_request_gets_headers_only_and_connection_stays_usable():
    async def scenario(client):
        async with client.head("/", timeout=SHORT) as resp:
            head = resp.status, resp.content_length, await resp.read()
        return head, (await fetch(client, "/"))[0]

    (status, length, body), after = run({"kind": "huge", "bytes": 2_000_000}, scenario)
    assert status == 200 and length >= 2_000_000 and body == b"" and after == 200


def test_huge_leaves_other_paths_alone():
    async def scenario(client):
        return await fetch(client, "/small")

    status, body, _ = run({"kind": "huge", "bytes": 2_000_000, "paths": ["/"]}, scenario)
    assert status == 200 and body.decode() == PAGE


def _assert_hostile(text: str) -> None:
    assert '<script>alert("govweb")</script>' in text
    assert '<meta http-equiv="refresh" content="1;url=/download/setup.exe">' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "</title><script>document.title='pwned'</script>" in text
    assert "onbeforeunload" in text
    assert f"<title>{faults.HOSTILE_TITLE}{TITLE}</title>" in text
    assert re.search(r"<li>[^<]*<img src=x onerror=alert\(1\)>", text)
    assert text.index("<meta http-equiv") < text.index("</head>") < text.index("<li>恭喜")


def test_hostile_injects_raw_hostile_markup_and_a_download():
    async def scenario(client):
        page = await fetch(client, "/")
        download = await fetch(client, "/download/setup.exe")
        return page, download

    (status, body, _), (dstatus, dbody, dresp) = run({"kind": "hostile"}, scenario)
    assert status == 200
    _assert_hostile(body.decode())
    assert dstatus == 200 and dresp.content_type == "application/octet-stream"
    assert dresp.headers["Content-Disposition"] == 'attachment; filename="setup.exe"'
    assert 0 < len(dbody) < 1024


def test_hostile_keeps_gbk_pages_gbk_and_download_is_always_served():
    async def scenario(client):
        return await fetch(client, "/gbk/index.html"), await fetch(client, "/download/setup.exe")

    (status, body, resp), (dstatus, _, dresp) = run({"kind": "hostile", "paths": ["/gbk/*"]}, scenario)
    assert status == 200 and resp.charset == "gbk"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    _assert_hostile(body.decode("gbk"))
    assert dstatus == 200 and "attachment" in dresp.headers["Content-Disposition"]
