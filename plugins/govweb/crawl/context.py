"""What a site's crawl shares between its steps, and what a batch shares between its sites."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit

import aiohttp

from govweb import catalogue
from govweb.capture import Capture, CrawlLimits, Page
from govweb.crawl.budget import Budget
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import DeadHosts, HostGate
from govweb.crawl.robots import RobotsRules
from govweb.crawl.settings import CrawlSettings
from govweb.evidence import EvidenceStore
from govweb.models import Site


@dataclass
class Dictionaries:
    column_synonyms: dict
    key_areas: dict
    guide_elements: dict
    status_words: dict
    platform_words: dict
    backlog_days: int = 90  # how far back the letters board is walked (interaction.backlog's limit)

    @classmethod
    def load(cls) -> Dictionaries:
        cat = catalogue.default()
        return cls(*(cat.dictionary(n) for n in ("column_synonyms", "key_areas", "guide_elements",
                                                   "status_words", "platform_words")),
                   backlog_days=int(cat["interaction.backlog"].threshold("max_wait_days")))


@dataclass
class Shared:
    """One per batch (worker process): the HTTP client, per-host gates, dead hosts, the browser."""

    http: aiohttp.ClientSession
    policy: NetworkPolicy
    settings: CrawlSettings
    limits: CrawlLimits
    browser: object | None = None  # crawl.browser.BrowserPool
    # one memory per batch (this crawl's sites): a host that was down in an earlier crawl of this process
    # (another run, another test, another server on the same name) is asked again, not failed unseen
    dead: DeadHosts = field(default_factory=DeadHosts)
    gate: HostGate | None = None

    def __post_init__(self) -> None:
        if self.gate is None:
            self.gate = HostGate(self.limits.per_host_concurrency, self.limits.per_host_delay_s)

    @cached_property
    def link_slots(self) -> asyncio.Semaphore:
        return asyncio.Semaphore(self.settings.link_concurrency)

    @cached_property
    def dicts(self) -> Dictionaries:
        return Dictionaries.load()


@dataclass
class Doc:
    """A fetched page with its parsed tree (None when no HTML was obtained)."""

    page: Page
    tree: object | None = None
    html: str = ""
    base: str = ""
    main: list | None = None  # the page's own list (parse.lists.main_list), computed once


@dataclass
class SiteCrawl:
    site: Site
    capture: Capture
    store: EvidenceStore
    shared: Shared
    as_of: date
    budget: Budget
    robots: RobotsRules = field(default_factory=lambda: RobotsRules(None))
    section_robots: dict[str, RobotsRules] = field(default_factory=dict)  # section host -> its robots.txt
    context: object | None = None  # the site's Playwright browser context
    docs: dict[str, Doc] = field(default_factory=dict)  # url -> fetched page (each url fetched once)
    fetching: dict[str, asyncio.Future] = field(default_factory=dict)  # url -> fetch in flight
    section_hosts: set[str] = field(default_factory=set)  # the site's own subdomains serving a section
    archive: object | None = None  # crawl.archive.SiteArchive in archive mode

    @property
    def prefix(self) -> str:
        return f"evidence/{self.capture.year}/{self.site.site_id}"

    @property
    def limits(self) -> CrawlLimits:
        return self.capture.limits

    @property
    def settings(self) -> CrawlSettings:
        return self.shared.settings

    @cached_property
    def host(self) -> str:
        return (urlsplit(self.capture.url).hostname or "").lower()

    @property
    def own_hosts(self) -> frozenset[str]:
        """The site's host and the subdomains adopted as its sections (plan.adopt_section_hosts)."""
        return frozenset({self.host, *self.section_hosts})

    def internal(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host == self.host or host in self.section_hosts

    def robots_allow(self, url: str) -> bool:
        """robots.txt of the url's own host: the site's, or an adopted section host's (read on adoption);
        another site's pages are not governed by this site's robots.txt (its own is not read)."""
        host = (urlsplit(url).hostname or "").lower()
        rules = self.robots if host == self.host else self.section_robots.get(host)
        return rules is None or rules.allowed(url)

    def fail(self, reason: str) -> None:
        stats = self.capture.stats
        stats.failures[reason] = stats.failures.get(reason, 0) + 1

    def partial(self, reason: str) -> None:
        if reason not in self.capture.partial_reasons:
            self.capture.partial_reasons.append(reason)
