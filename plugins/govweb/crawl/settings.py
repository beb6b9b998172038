"""Crawl settings that are not per-site limits (those are `capture.CrawlLimits`, recorded in the capture)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlSettings:
    settle_ms: int = 1500  # wait for network idle after load, so script-built lists are in the DOM
    link_concurrency: int = 48  # link checks in flight per process (per host: CrawlLimits)
    site_concurrency: int = 6  # pages in flight per site (per host: CrawlLimits)
    browser_pages: int = 2  # open browser tabs per site context
    browser_restart_after: int = 300  # pages rendered before the browser is relaunched
    ipv6_resolver: str | None = None  # resolver spec for the ipv6 probe (None: the system resolver)
    availability_probes: int = 3  # in-run home-page availability probes
    availability_spacing_s: float = 1.0
    availability_covered: frozenset[str] = frozenset()  # sites the probe log covers: no in-run probes of theirs
    probes: bool = True  # run the probes (search, mobile, https, ipv6, axe, availability)
    verify_tls: bool = True  # the https probe checks the certificate (the simulated web's is self-signed)
    max_shot_height: int = 6000
    screenshot_format: str = "png"  # "jpeg" is cheaper to encode and store (quality 80)
    warm_axe: bool = True  # axe judges the stored home DOM in a warm page (crawl/axe_warm.py); False: live tab

    @classmethod
    def for_mode(cls, mode: str, **kw) -> CrawlSettings:
        """Defaults per run mode: in sim mode the ipv6 probe asks the simulated web's DNS-JSON resolver."""
        if mode == "sim":
            kw.setdefault("ipv6_resolver", SIM_RESOLVER)
            kw.setdefault("verify_tls", False)
        return cls(**kw)


SIM_RESOLVER = "http://dns.gov.test/resolve"
