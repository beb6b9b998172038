"""What a site's crawl shares between its steps, and what a batch shares between its sites."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit

import aiohttp
from selectolax.lexbor import LexborHTMLParser

from govweb import catalogue
from govweb.capture import Capture, CrawlLimits, Page
from govweb.crawl import markup
from govweb.crawl.budget import Budget
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import DeadHosts, HostGate
from govweb.crawl.robots import RobotsRules
from govweb.crawl.settings import CrawlSettings
from govweb.evidence import EvidenceStore
from govweb.models import Site

# parsed trees a site's crawl keeps (TreeKeeper): more than the pages it has in flight (site_concurrency,
# a column's list pages, the board walk) so a page is seldom parsed twice
LIVE_TREES = 24


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
    axe: object | None = None  # crawl.axe_warm.WarmAxe over that browser (None: axe runs in the live tab)
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


class TreeKeeper:
    """The parsed trees a site's crawl keeps: those of its `size` most recently used pages. A lexbor tree
    holds about 1 MiB whatever the page's size, and a site fetches a hundred pages or more; a page whose tree
    was let go is parsed again from its HTML when asked (parsing is about 0.2 ms a page)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.live: OrderedDict[int, Doc] = OrderedDict()

    def touch(self, doc: Doc) -> None:
        self.live[id(doc)] = doc
        self.live.move_to_end(id(doc))
        while len(self.live) > self.size:
            _, old = self.live.popitem(last=False)
            old.release()

    def clear(self) -> None:
        """Let every tree go now (the site is done). A kept page refers to its keeper and the keeper to it: left
        to the cyclic collector, the trees of finished sites (about 1 MiB each) piled up between its full
        collections (8 GiB in a crawl worker once those ran less often, see crawl/gcpolicy.py)."""
        for doc in self.live.values():
            doc.release()
        self.live.clear()


@dataclass(eq=False)
class Doc:
    """A fetched page with its decoded HTML (None when no HTML was obtained) and its parsed tree, parsed on
    demand: a caller holding the tree keeps it valid after the keeper lets the page's reference go."""

    page: Page
    html: str | None = None
    base: str = ""
    main: list | None = None  # the page's own list (parse.lists.main_list), computed once
    next_doc: Doc | None = None  # the list its script pager showed when clicked (crawl.script_pager)
    scripts: tuple[str, ...] = ()  # texts of the script files whose helpers its items call (crawl.page_scripts)
    keeper: TreeKeeper | None = field(default=None, repr=False)
    _tree: LexborHTMLParser | None = field(default=None, repr=False)

    @property
    def tree(self) -> LexborHTMLParser | None:
        if self.html is None:
            return None
        if self._tree is None:
            self._tree = markup.tree_of(self.html, self.scripts)
        if self.keeper is not None:
            self.keeper.touch(self)
        return self._tree

    def parsed(self, html: str, base: str, tree: LexborHTMLParser, scripts: tuple[str, ...] = ()) -> None:
        """The page's HTML was (re)obtained and parsed into `tree` (with those script files' helpers)."""
        self.html, self.base, self._tree, self.main, self.scripts = html, base, tree, None, scripts
        if self.keeper is not None:
            self.keeper.touch(self)

    def release(self) -> None:
        self._tree = None


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
    trees: TreeKeeper = field(default_factory=lambda: TreeKeeper(LIVE_TREES))
    fetching: dict[str, asyncio.Future] = field(default_factory=dict)  # url -> fetch in flight
    section_hosts: set[str] = field(default_factory=set)  # the site's own subdomains serving a section
    archive: object | None = None  # crawl.archive.SiteArchive in archive mode
    script_files: dict[str, asyncio.Future] = field(default_factory=dict)  # url -> crawl.page_scripts.ScriptFile

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
