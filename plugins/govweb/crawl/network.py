"""Where a host name goes: `--host-map` rules, reserved test domains, and the private-target guard.

The same rules drive Chromium (`--host-resolver-rules`) and the aiohttp client (a resolver that
applies them), so the browser and the link checker always reach the same server.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import socket
from dataclasses import dataclass

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

# RFC 6761/2606 names that never exist in DNS: answered "not found" without asking a resolver.
RESERVED_SUFFIXES = (".test", ".invalid", ".example")


class TargetBlocked(OSError):
    """A request to a loopback/private address without --allow-private."""


class NameNotFound(OSError):
    pass


class HostMapError(ValueError):
    """A --host-map rule that cannot be parsed."""


@dataclass(frozen=True)
class HostRule:
    pattern: str
    host: str
    port: int | None
    tls_port: int | None = None  # where https (port 443) requests go, when the server has a TLS port of its own

    @property
    def https_unknown(self) -> bool:
        """The rule sends the host to one plain port and names no TLS port (e.g. saved pages served on
        loopback): what the real host does over HTTPS cannot be measured through it."""
        return self.port is not None and self.tls_port is None

    def target_port(self, port: int) -> int:
        if port == 443 and self.tls_port:
            return self.tls_port
        return self.port or port


def parse_rule(text: str) -> HostRule:
    """Parse `PATTERN=HOST[:PORT][,tls:PORT]`, e.g. `*.gov.test=127.0.0.1:8765,tls:8766`."""
    original = text
    text, has_tls, tls = text.partition(",tls:")
    tls_port = None
    if has_tls:
        if not (tls.strip().isdigit() and 1 <= int(tls) <= 65535):
            raise HostMapError(f"--host-map {original!r}: the TLS port {tls!r} is not a number in 1..65535")
        tls_port = int(tls)
    pattern, sep, target = text.partition("=")
    if not sep or not pattern.strip() or not target.strip():
        raise HostMapError(f"--host-map {text!r}: expected PATTERN=HOST[:PORT], e.g. *.gov.test=127.0.0.1:8765")
    host, _, port = target.strip().rpartition(":") if ":" in target else (target.strip(), "", "")
    if not host:
        raise HostMapError(f"--host-map {text!r}: the target host is empty")
    if ":" in target and not port:
        raise HostMapError(f"--host-map {text!r}: the port after ':' is empty")
    if port and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise HostMapError(f"--host-map {text!r}: port {port!r} is not a number in 1..65535")
    return HostRule(pattern.strip().lower(), host, int(port) if port else None, tls_port)


@dataclass(frozen=True)
class NetworkPolicy:
    rules: tuple[HostRule, ...] = ()
    allow_private: bool = False

    @classmethod
    def from_args(cls, host_map: list[str] | tuple[str, ...] = (), allow_private: bool = False):
        return cls(tuple(parse_rule(r) for r in host_map), allow_private)

    def mapped(self, hostname: str) -> HostRule | None:
        name = hostname.lower().rstrip(".")
        return next((r for r in self.rules if fnmatch.fnmatchcase(name, r.pattern)), None)

    def chromium_rules(self) -> str:
        rules = [f"MAP {r.pattern} {r.host}" + (f":{r.port}" if r.port else "") for r in self.rules]
        rules += [f"MAP *{s} ~NOTFOUND" for s in RESERVED_SUFFIXES]
        return ", ".join(rules)

    def check_address(self, hostname: str, address: str) -> None:
        ip = ipaddress.ip_address(address)
        if not self.allow_private and (ip.is_private or ip.is_loopback or ip.is_link_local
                                       or ip.is_reserved or ip.is_unspecified):
            raise TargetBlocked(f"{hostname} -> {address} is a loopback/private address; "
                                f"pass --allow-private to evaluate sites on a private network")

    def resolve(self, hostname: str, port: int) -> list[tuple[str, int]]:
        """Blocking resolution honoring the rules (used before a browser visit)."""
        rule = self.mapped(hostname)
        if rule:
            addrs = [(socket.gethostbyname(rule.host), rule.target_port(port))]
        elif hostname.lower().rstrip(".").endswith(RESERVED_SUFFIXES):
            raise NameNotFound(f"{hostname}: reserved test domain with no --host-map rule")
        else:
            addrs = [(ai[4][0], port) for ai in socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)]
        for addr, _ in addrs:
            self.check_address(hostname, addr)
        return addrs


class PolicyResolver(AbstractResolver):
    """aiohttp resolver applying a NetworkPolicy (host map, reserved names, private guard)."""

    def __init__(self, policy: NetworkPolicy):
        self.policy = policy
        self._dns = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        rule = self.policy.mapped(host)
        if rule:
            target = rule.target_port(port)
            results = await self._dns.resolve(rule.host, target, family)
            results = [{**r, "hostname": host, "port": target} for r in results]
        elif host.lower().rstrip(".").endswith(RESERVED_SUFFIXES):
            raise NameNotFound(f"{host}: reserved test domain with no --host-map rule")
        else:
            results = await self._dns.resolve(host, port, family)
        for r in results:
            self.policy.check_address(host, r["host"])
        return results

    async def close(self) -> None:
        await self._dns.close()
