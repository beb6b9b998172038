"""Crawl-time probes recorded in the capture (search, mobile, HTTPS, IPv6, accessibility, availability).

Each probe is a coroutine returning its capture model; none raises: a failure is the probe's `error`.
The implementations live in probe_search (with probe_results, probe_forms), probe_browser and
probe_net; this module is the public face.
"""

from __future__ import annotations

from govweb.crawl.probe_browser import axe_probe, mobile_probe, mobile_probe_in_tab
from govweb.crawl.probe_net import availability_probe, https_probe, ipv6_probe, probe_once
from govweb.crawl.probe_results import pick_query, stated_count
from govweb.crawl.probe_search import search_probe

__all__ = ["availability_probe", "axe_probe", "https_probe", "ipv6_probe", "mobile_probe", "mobile_probe_in_tab",
           "pick_query", "probe_once", "search_probe", "stated_count"]
