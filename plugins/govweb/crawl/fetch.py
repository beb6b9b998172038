"""Plain HTTP (aiohttp) for every page but the home page, and for link checks: no browser where none is needed."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import aiohttp

from govweb.crawl.network import NameNotFound, NetworkPolicy, PolicyResolver, TargetBlocked
from govweb.parse.charset import detect_encoding

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) govweb-eval/0.1 (+government website evaluation)"


@dataclass
class Fetched:
    url: str
    method: str = "GET"
    status: int | None = None
    final_url: str = ""
    elapsed_ms: int = 0
    header_charset: str | None = None
    encoding: str = ""  # of the body (parse.charset: header, BOM, meta, detection)
    body: bytes | None = None
    content_type: str = ""
    redirects: list[str] = field(default_factory=list)  # every URL before final_url
    error: str = ""  # failure reason (DESIGN §4 vocabulary) when no HTTP status was obtained
    error_detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def is_html(self) -> bool:
        ct = self.content_type.lower()
        return not ct or "html" in ct or "xml" in ct


def classify(exc: BaseException) -> str:
    if isinstance(exc, TargetBlocked):
        return "blocked"
    if isinstance(exc, NameNotFound | aiohttp.ClientConnectorDNSError):
        return "dns"
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return "tls"
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error
        if isinstance(cause, TargetBlocked):
            return "blocked"
        if isinstance(cause, NameNotFound):
            return "dns"
        return "refused"
    if isinstance(exc, aiohttp.TooManyRedirects | aiohttp.ClientResponseError):
        return "http_error"
    return "refused"


def session(policy: NetworkPolicy, limit: int = 64) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=PolicyResolver(policy), limit=limit, limit_per_host=0,
                                     ssl=None, ttl_dns_cache=300)
    return aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT},
                                 auto_decompress=True)


async def fetch(http: aiohttp.ClientSession, url: str, *, keep_body: bool, timeout_s: float,
                max_bytes: int, method: str = "GET") -> Fetched:
    """Request `url` following redirects; keep the body (bounded by max_bytes) only when asked."""
    out = Fetched(url, method=method)
    t0 = time.monotonic()
    try:
        async with http.request(method, url, allow_redirects=True, max_redirects=10,
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
            out.status, out.final_url = resp.status, str(resp.url)
            out.redirects = [str(r.url) for r in resp.history]
            out.content_type = resp.headers.get("Content-Type", "")
            out.header_charset = resp.charset
            if keep_body and method == "GET":
                body = await resp.content.read(max_bytes + 1)
                if len(body) > max_bytes:
                    out.error, out.error_detail = "too_large", f"body exceeds {max_bytes} bytes"
                    body = body[:max_bytes]
                out.body = body
                out.encoding = detect_encoding(body, resp.charset)
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        out.error, out.error_detail = classify(exc), f"{type(exc).__name__}: {exc}"[:300]
    out.elapsed_ms = int((time.monotonic() - t0) * 1000)
    return out
