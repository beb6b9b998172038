"""Network probes: HTTPS (security.https), IPv6 AAAA records (network.ipv6), home-page availability.

The HTTPS probe goes through the host map like every other request; a host-map rule's port is the
plain-HTTP port, so TLS goes to `tls_port` when one is given (the simulated web serves TLS on a port
of its own), else 443 on the mapped address.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from govweb.capture import AvailabilityProbe, HttpsProbe, Ipv6Probe, Probe
from govweb.crawl.fetch import USER_AGENT, classify
from govweb.crawl.network import NetworkPolicy, PolicyResolver

AAAA = 28
HEAD_REFUSED = (400, 403, 404, 405, 406, 501)  # servers that answer HEAD so, but serve GET


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TlsResolver(AbstractResolver):
    """The policy's resolver, but a mapped host's TLS connection (port 443) goes to `tls_port` (else
    443 on the mapped address); plain HTTP (a redirect back to http://) keeps the rule's port."""

    def __init__(self, policy: NetworkPolicy, tls_port: int | None):
        self.policy, self.tls_port = policy, tls_port
        self._inner = PolicyResolver(policy)

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        rule = self.policy.mapped(host)
        results = await self._inner.resolve(host, port, family)
        if rule is None or port != 443:
            return results
        target = self.tls_port or port
        return [{**r, "port": target} for r in results]

    async def close(self) -> None:
        await self._inner.close()


HTTPS_ATTEMPTS = 2  # a timeout is tried once more: one slow answer must not judge the site as having no HTTPS
HTTPS_RETRY_PAUSE_S = 2.0


async def https_probe(url: str, policy: NetworkPolicy, timeout_s: float, *, verify: bool = True,
                      tls_port: int | None = None) -> HttpsProbe:
    """GET https://host/: ok when the host completes a TLS handshake (certificate verified unless
    `verify` is False) and answers over HTTPS without sending the visitor back to http://. A timeout is
    tried again once after a pause (the full-scale blind run lost a TLS site to one slow answer under load);
    a refusal or a TLS error is an answer and is not retried."""
    probe = await _https_once(url, policy, timeout_s, verify, tls_port)
    for _ in range(HTTPS_ATTEMPTS - 1):
        if probe.error != "timeout":
            break
        await asyncio.sleep(HTTPS_RETRY_PAUSE_S)
        probe = await _https_once(url, policy, timeout_s, verify, tls_port)
    return probe


async def _https_once(url: str, policy: NetworkPolicy, timeout_s: float, verify: bool,
                      tls_port: int | None) -> HttpsProbe:
    host = urlsplit(url).hostname or ""
    probe = HttpsProbe(attempted=True, url=f"https://{host}/")
    connector = aiohttp.TCPConnector(resolver=TlsResolver(policy, tls_port), ssl=None if verify else False)
    try:
        async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as http, \
                http.get(probe.url, allow_redirects=True, max_redirects=10,
                         timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
            probe.status = resp.status
            if resp.url.scheme != "https":
                probe.ok, probe.error = False, "redirects_to_http"
            else:  # the host answered over TLS (with a valid certificate when verified): HTTPS works, whatever
                # the status of this one request (a server error now and then is availability's business)
                probe.ok, probe.error = True, ""
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
        probe.ok, probe.error = False, _tls_failure(exc)
    return probe


def _tls_failure(exc: BaseException) -> str:
    """A connection accepted and then reset during the handshake (an SNI gate, a server that speaks no
    TLS on the port) is a TLS failure; a refused connection is `refused` (nothing listens on 443)."""
    cause = getattr(exc, "os_error", None) or exc.__cause__
    if isinstance(cause, ssl.SSLError | ConnectionResetError) or isinstance(exc, ssl.SSLError):
        return "tls"
    return classify(exc)


# -- IPv6 ------------------------------------------------------------------------------------------
async def _dnspython_aaaa(host: str, nameserver: str | None, timeout_s: float) -> tuple[list[str], str]:
    """AAAA via dnspython: the system's resolvers (nameserver None) or one `IP[:PORT]` nameserver.
    No AAAA record is a result (empty list), not an error; a name that does not exist is `dns`."""
    try:
        import dns.asyncresolver
        import dns.exception
        import dns.resolver
    except ImportError:  # dnspython missing: fall back to the operating system's resolver
        return await _getaddrinfo_aaaa(host) if nameserver is None else ([], "dnspython_missing")
    try:
        if nameserver is None:
            resolver = dns.asyncresolver.get_default_resolver()
        else:
            ip, _, port = nameserver.rpartition(":") if nameserver.count(":") == 1 else (nameserver, "", "")
            resolver = dns.asyncresolver.Resolver(configure=False)
            resolver.nameservers, resolver.port = [ip], int(port or 53)
        answer = await resolver.resolve(host, "AAAA", lifetime=timeout_s)
        return sorted({r.to_text() for r in answer}), ""
    except dns.resolver.NoAnswer:
        return [], ""
    except dns.resolver.NXDOMAIN:
        return [], "dns"
    except dns.exception.Timeout:
        return [], "timeout"
    except dns.exception.DNSException as exc:
        return [], f"dns: {type(exc).__name__}"


async def _getaddrinfo_aaaa(host: str) -> tuple[list[str], str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, family=socket.AF_INET6)
    except socket.gaierror:
        return [], ""
    return sorted({i[4][0] for i in infos}), ""


async def _json_aaaa(host: str, resolver: str, policy: NetworkPolicy | None,
                     timeout_s: float) -> tuple[list[str], str]:
    """DNS JSON (Google/Cloudflare `application/dns-json`): `Status` 0 = answer, 3 = NXDOMAIN."""
    connector = aiohttp.TCPConnector(resolver=PolicyResolver(policy)) if policy else aiohttp.TCPConnector()
    async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as http, \
            http.get(resolver, params={"name": host, "type": "AAAA"}, headers={"Accept": "application/dns-json"},
                     timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
        if resp.status >= 400:
            return [], f"resolver_http_{resp.status}"
        data = await resp.json(content_type=None)
    status = data.get("Status", 2)
    if status == 3:
        return [], "dns"
    if status != 0:
        return [], f"dns: status {status}"
    return sorted({a["data"] for a in data.get("Answer") or [] if a.get("type") == AAAA and a.get("data")}), ""


async def ipv6_probe(host: str, resolver: str | None, *, policy: NetworkPolicy | None = None,
                     timeout_s: float = 10.0) -> Ipv6Probe:
    """The host's AAAA records. `resolver`: None = the system resolver; `http(s)://.../resolve` = a
    DNS-JSON resolver (Google/Cloudflare style; the simulated web's dns.gov.test), reached through
    `policy`'s host map; `dns://IP[:PORT]` = one nameserver asked directly (e.g. dns://223.5.5.5)."""
    probe = Ipv6Probe(attempted=True, host=host, resolver=resolver or "system")
    try:
        if resolver and resolver.startswith(("http://", "https://")):
            probe.addresses, probe.error = await _json_aaaa(host, resolver, policy, timeout_s)
        elif resolver and resolver.startswith("dns://"):
            probe.addresses, probe.error = await _dnspython_aaaa(host, resolver[6:].strip("/"), timeout_s)
        else:
            probe.addresses, probe.error = await _dnspython_aaaa(host, None, timeout_s)
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        probe.error = f"resolver_{classify(exc)}"
    except ValueError as exc:  # a resolver answer that is not DNS JSON
        probe.error = f"resolver_bad_answer: {exc}"[:200]
    return probe


# -- availability ----------------------------------------------------------------------------------
async def _request(http: aiohttp.ClientSession, method: str, url: str, timeout_s: float) -> tuple[int, int | None]:
    """The final status and declared body length (Content-Length) of `method` on `url`."""
    async with http.request(method, url, allow_redirects=True, max_redirects=10,
                            timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
        if method == "GET":
            await resp.content.read(65536)  # the first bytes of the page arrive, not only the headers
        return resp.status, resp.content_length


async def probe_once(http: aiohttp.ClientSession, url: str, timeout_s: float = 15.0) -> Probe:
    """One availability probe: HEAD, then GET when HEAD is refused (405 and the like, or a dropped
    connection); ok when the final status is below 400."""
    probe = Probe(url=url, time=_now())
    t0 = time.monotonic()
    for method in ("HEAD", "GET"):
        probe.method, probe.status, probe.error, probe.length = method, None, "", None
        try:
            probe.status, probe.length = await _request(http, method, url,
                                                        max(0.1, timeout_s - (time.monotonic() - t0)))
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            probe.error = classify(exc)
            if method == "HEAD" and isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
                continue
            break
        if not (method == "HEAD" and probe.status in HEAD_REFUSED):
            break
    probe.elapsed_ms = int((time.monotonic() - t0) * 1000)
    probe.ok = probe.status is not None and probe.status < 400
    if not probe.ok and not probe.error:
        probe.error = "http_error"
    return probe


async def availability_probe(http: aiohttp.ClientSession, url: str, count: int, spacing_s: float, *,
                             timeout_s: float = 15.0) -> AvailabilityProbe:
    """`count` probes of the home page, `spacing_s` apart (a one-off evaluation without probe history)."""
    out = AvailabilityProbe(attempted=True, source="in_run", window_start=_now())
    for i in range(count):
        if i:
            await asyncio.sleep(spacing_s)
        out.probes.append(await probe_once(http, url, timeout_s))
    out.window_end = _now()
    return out
