"""Calling the probes (`crawl/probes.py`, written separately): each one guarded, so a probe that fails
or is missing records its error in the capture and never sinks the site's crawl."""

from __future__ import annotations

import importlib
import logging
import time
from urllib.parse import urlsplit

from govweb.capture import AvailabilityProbe, AxeProbe, HttpsProbe, Ipv6Probe, MobileProbe, SearchProbe
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.probe_browser import SITE_FAILURES

log = logging.getLogger(__name__)


def _module():
    try:
        return importlib.import_module("govweb.crawl.probes")
    except ImportError as exc:
        log.warning("probes unavailable (govweb.crawl.probes: %s); probes recorded as not attempted", exc)
        return None


async def _guard(model, name: str, *args, **kwargs):
    mod = _module()
    fn = getattr(mod, name, None) if mod else None
    if fn is None:
        return model(error=f"probe {name} not available in govweb.crawl.probes")
    try:
        return await fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a probe failure is recorded, the crawl goes on
        log.info("%s failed: %s", name, exc)
        return model(attempted=True, error=f"{type(exc).__name__}: {exc}"[:300])


async def live_page_probes(sc: SiteCrawl, tab, home: Doc) -> None:
    """The accessibility probe, while the home page's tab is open: the entry on the live page; axe on its
    stored DOM in a warm page (`crawl/axe_warm.py`), or on the live page. Not warm in archive mode: the
    stored DOM names the site's original URLs, whose stylesheets must not be fetched from the live site."""
    if not sc.settings.probes:
        return
    size, limit = home.page.bytes, sc.limits.max_bytes
    too_large = f"home page DOM {size} bytes > max_bytes {limit}" if size > limit else ""
    warm = sc.shared.axe if sc.archive is None else None
    sc.capture.probes.axe = await _guard(AxeProbe, "axe_probe", tab, too_large, warm, home.html,
                                         home.page.final_url or home.page.url)


async def search(sc: SiteCrawl, home: Doc) -> None:
    """The search probe (in pages of the site's context; the home page's tab may be closed)."""
    if not sc.settings.probes:
        return
    probes = sc.capture.probes
    if sc.archive is not None:  # an archive has no working site search
        probes.search = SearchProbe(attempted=False, error="archive mode: the site search cannot be probed")
        return
    probes.search = await _guard(SearchProbe, "search_probe", sc.context, home.page, home.html,
                                 sc.capture, sc.store, sc.prefix, sc.shared.policy)


async def mobile(sc: SiteCrawl, tab=None) -> None:
    """The phone load: in the home page's `tab` once axe is done with it (no context and renderer of its
    own), unless axe failed in that tab (a timed-out axe goes on running in the renderer, the phone load
    would queue behind it): then, or without a tab, in a context of its own. When the tab's own state fails
    the load (the page navigated itself away under it, e.g. a meta refresh to a download; the protocol session
    detached), the load is made again in a context of its own; `ran_in` records where the result came from."""
    if not sc.settings.probes or sc.shared.browser is None:
        return
    t0 = time.monotonic()
    url = sc.archive.fetch_url(sc.capture.url) if sc.archive is not None else sc.capture.url
    axe = sc.capture.probes.axe
    probe = None
    if tab is not None and (not axe.error or axe.ran_on == "stored_dom" or axe.error.startswith("too_large")):
        probe = await _guard(MobileProbe, "mobile_probe_in_tab", tab, url, sc.store, sc.prefix)
        if probe.error and not probe.error.startswith(SITE_FAILURES):
            log.info("%s: phone load in the home tab failed (%s); again in a context of its own",
                     sc.site.site_id, probe.error[:200])
            probe = None
    if probe is None:
        browser = await sc.shared.browser.current()
        probe = await _guard(MobileProbe, "mobile_probe", browser, url, sc.store, sc.prefix)
    sc.capture.probes.mobile = probe
    log.debug("%s: mobile probe %.2fs", sc.site.site_id, time.monotonic() - t0)


async def network_probes(sc: SiteCrawl) -> None:
    """https, ipv6 and the in-run availability probes (HTTP only; run beside the page crawl)."""
    if not sc.settings.probes:
        return
    probes, s = sc.capture.probes, sc.settings
    host = urlsplit(sc.capture.url).hostname or ""
    if sc.archive is not None:  # HTTPS, IPv6 and availability are properties of today's host, not the past
        why = "archive mode: measured on the live host only"
        probes.https, probes.ipv6 = HttpsProbe(error=why), Ipv6Probe(host=host, error=why)
        return
    t0 = time.monotonic()
    rule = sc.shared.policy.mapped(host)
    if rule is not None and rule.https_unknown:
        # the host map sends this host to a server whose TLS port we do not know (e.g. saved pages served
        # on loopback): whether the real site answers over HTTPS cannot be measured here
        probes.https = HttpsProbe(attempted=False, url=f"https://{host}/",
                                  error="host mapped by --host-map without a TLS port (,tls:PORT)")
    else:
        probes.https = await _guard(HttpsProbe, "https_probe", sc.capture.url, sc.shared.policy,
                                    sc.limits.link_timeout_s, verify=s.verify_tls,
                                    tls_port=rule.tls_port if rule else None)
    probes.ipv6 = await _guard(Ipv6Probe, "ipv6_probe", host, s.ipv6_resolver, policy=sc.shared.policy,
                               timeout_s=sc.limits.link_timeout_s)
    if s.availability_probes > 0 and sc.site.site_id not in s.availability_covered:
        probes.availability = await _guard(AvailabilityProbe, "availability_probe", sc.shared.http,
                                           sc.capture.url, s.availability_probes, s.availability_spacing_s)
    log.debug("%s: network probes %.2fs", sc.site.site_id, time.monotonic() - t0)
