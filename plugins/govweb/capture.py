"""The typed capture (DESIGN §4): what the crawler stores for one site and year, and all detectors read.

One model per thing the catalogue judges: pages with their links and dated items, the site model
(columns with list pages and items, the letters board, service guides), link checks and probes
(search, mobile, https, ipv6, accessibility, availability). Stored as JSON (`capture.json`) with a
schema version; blobs (HTML, extracted text, screenshots) are content-addressed keys in the store.

A capture written by another schema version fails to load with a message naming both versions.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA_VERSION = 2

CaptureStatus = Literal["ok", "partial", "failed"]
FailureReason = Literal["", "timeout", "dns", "tls", "refused", "http_error", "too_large", "browser_crash",
                        "blocked", "budget", "missing"]
PageKind = Literal["home", "column", "article", "search", "board", "letter", "guide", "disclosure", "other"]
ColumnCategory = Literal["news", "notice", "policy", "interpretation", "plan", "disclosure", "key_area",
                         "interaction", "services", "other"]
Mode = Literal["live", "archive", "sim", "rescore"]


class CaptureSchemaError(ValueError):
    """A stored capture that this version cannot read (other schema version, or malformed)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Link(_Model):
    href: str
    text: str = ""
    internal: bool = False


class DatedItem(_Model):
    """One entry of a list (news list, column page, search results): title, target and its date.

    `date` is ISO `yyyy-mm-dd`; a month-only date (`2018-12`) is stored as the month's first day with
    `precision="month"`. Items without a recognisable date keep `date=""`."""

    title: str
    url: str
    date: str = ""
    precision: Literal["day", "month", ""] = "day"


class Page(_Model):
    url: str
    final_url: str = ""
    kind: PageKind = "other"
    via: Literal["browser", "http", "archive"] = "http"
    status: int | None = None
    elapsed_ms: int = 0
    bytes: int = 0
    encoding: str = ""
    title: str = ""
    html_key: str = ""  # the page as served (browser pages: the DOM after scripts), decoded by `encoding`
    text_key: str = ""  # visible text, UTF-8
    screenshot_key: str = ""
    redirects: list[str] = Field(default_factory=list)  # every URL before final_url
    links: list[Link] = Field(default_factory=list)
    items: list[DatedItem] = Field(default_factory=list)
    meta: dict[str, str] = Field(default_factory=dict)  # <meta name=...> (names as written)
    column: str = ""  # url of the column this page belongs to (list pages, sampled articles)
    reached_by: str = ""  # the control clicked on the page before it (a script pager's 下一页); "" when fetched
    script_keys: list[str] = Field(default_factory=list)  # the script files whose helpers open its items (UTF-8)
    snapshot: str = ""  # archive mode: the snapshot timestamp (YYYYMMDDhhmmss)
    error: str = ""  # failure reason vocabulary when no usable page was obtained
    error_detail: str = ""


class LinkCheck(_Model):
    url: str
    source: str  # the page the link was found on
    text: str = ""
    status: int | None = None
    final_url: str = ""
    method: Literal["HEAD", "GET", ""] = ""
    elapsed_ms: int = 0
    error: str = ""
    detail: str = ""

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400 or self.error == "soft_404"


class Column(_Model):
    """A column (栏目) of the site, recognised from the navigation or a home-page block."""

    name: str
    url: str
    category: ColumnCategory = "other"
    found_in: Literal["nav", "block", "section", "key_area"] = "nav"
    parent: str = ""  # name of the section it sits under (e.g. 政府信息公开 for 重点领域 sub-columns)
    offsite: bool = False  # the column's own link, or its page, only leads to another site
    list_pages: list[str] = Field(default_factory=list)  # urls of the list pages fetched (page 1, page 2)
    paginates: bool = False
    total_pages: int | None = None
    items: list[DatedItem] = Field(default_factory=list)  # union of the fetched list pages' items
    sampled: list[str] = Field(default_factory=list)  # article urls stored as pages
    status: int | None = None
    error: str = ""


class Letter(_Model):
    url: str = ""
    title: str = ""
    asked: str = ""  # ISO date the message was sent
    status_word: str = ""  # as written on the board: 已办结, 已回复, 处理中, 待处理, 已受理, 正在办理 ...
    replied: str = ""  # ISO date of the reply, when shown
    reply_text: str = ""


class Board(_Model):
    url: str
    name: str = ""
    total_pages: int | None = None
    list_pages: list[str] = Field(default_factory=list)  # the first and the last list page
    letters: list[Letter] = Field(default_factory=list)


class Guide(_Model):
    url: str
    title: str = ""
    labels: list[str] = Field(default_factory=list)  # field labels shown (办理依据, 申请材料 ...)
    attachments: list[LinkCheck] = Field(default_factory=list)


class SearchProbe(_Model):
    attempted: bool = False
    how: Literal["form", "script", "none"] = "none"
    action: str = ""
    query: str = ""
    target_url: str = ""  # the page whose title was searched for
    result_url: str = ""
    result_key: str = ""  # the result page as stored
    result_count: int | None = None
    found_target: bool | None = None
    error: str = ""


class MobileProbe(_Model):
    attempted: bool = False
    viewport_meta: str = ""
    width: int = 375
    scroll_width: int | None = None
    overflow_px: int | None = None
    screenshot_key: str = ""
    error: str = ""
    # where the phone load ran: the home page's tab (phone emulation), or a context of its own
    ran_in: Literal["", "home_tab", "own_context"] = ""


class HttpsProbe(_Model):
    attempted: bool = False
    url: str = ""
    ok: bool | None = None
    status: int | None = None
    error: str = ""


class Ipv6Probe(_Model):
    attempted: bool = False
    host: str = ""
    resolver: str = ""
    addresses: list[str] = Field(default_factory=list)
    error: str = ""


class NotFoundProbe(_Model):
    """What the site answers for a page it does not have (a made-up address on its own host). A 404 is right; a
    200, in place or after a redirect to an error page or the home page, is a soft 404: a link check's 200 on
    this site then proves nothing until it is told apart from that answer (crawl/soft404)."""

    attempted: bool = False
    url: str = ""
    status: int | None = None
    final_url: str = ""
    title: str = ""
    says_missing: bool = False  # its title or text says the page is missing (不存在, 找不到, 404 …)
    error: str = ""

    @property
    def soft(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url


class AxeViolation(_Model):
    id: str
    impact: str = ""
    help: str = ""
    nodes: int = 0
    targets: list[str] = Field(default_factory=list)


class AxeProbe(_Model):
    attempted: bool = False
    violations: list[AxeViolation] = Field(default_factory=list)
    entry_found: bool = False  # a 无障碍 / 适老化 / 长者模式 entry on the home page
    error: str = ""
    # where axe judged the page (or was running when it failed): its rendered DOM (as stored) written into a
    # warm axe page, or the live tab
    ran_on: Literal["", "stored_dom", "live_page"] = ""


class Probe(_Model):
    """One availability probe of a home page (the probe DAG's record, also taken during a run)."""

    site_id: str = ""
    url: str
    time: str  # ISO timestamp, UTC
    method: Literal["HEAD", "GET", ""] = ""
    status: int | None = None
    elapsed_ms: int = 0
    ok: bool = False
    error: str = ""
    length: int | None = None  # the body's length as the server declared it (Content-Length), when it did


class AvailabilityProbe(_Model):
    attempted: bool = False
    source: Literal["", "probe_log", "in_run"] = ""
    window_start: str = ""
    window_end: str = ""
    probes: list[Probe] = Field(default_factory=list)


class Probes(_Model):
    search: SearchProbe = Field(default_factory=SearchProbe)
    mobile: MobileProbe = Field(default_factory=MobileProbe)
    https: HttpsProbe = Field(default_factory=HttpsProbe)
    ipv6: Ipv6Probe = Field(default_factory=Ipv6Probe)
    axe: AxeProbe = Field(default_factory=AxeProbe)
    availability: AvailabilityProbe = Field(default_factory=AvailabilityProbe)
    not_found: NotFoundProbe = Field(default_factory=NotFoundProbe)


class CrawlLimits(_Model):
    max_pages: int = 300
    max_seconds: float = 240.0
    max_bytes: int = 5_000_000
    page_timeout_s: float = 20.0
    link_timeout_s: float = 10.0
    columns: int = 40
    items_per_column: int = 1
    home_articles: int = 24  # articles listed on the home page, stored (content checks read them)
    guides: int = 15
    letters: int = 24  # letter pages fetched (answered ones, oldest first: reply date and text)
    board_pages: int = 40  # letters-board list pages walked (the last page always among them)
    inner_link_pages: int = 10
    per_host_concurrency: int = 4
    per_host_delay_s: float = 0.0


class Robots(_Model):
    url: str = ""
    status: int | None = None
    fetched: bool = False
    text_key: str = ""
    disallowed_paths_hit: list[str] = Field(default_factory=list)  # urls the crawl skipped because of robots


class CrawlStats(_Model):
    pages: int = 0
    browser_pages: int = 0
    http_pages: int = 0
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    budget_hit: str = ""  # "", "pages" or "time"
    failures: dict[str, int] = Field(default_factory=dict)  # failure reason -> count


class Capture(_Model):
    schema_version: int = SCHEMA_VERSION
    site_id: str
    name: str = ""
    url: str
    year: int
    as_of: str  # ISO date
    mode: Mode = "live"
    started: str = ""
    finished: str = ""
    status: CaptureStatus = "ok"
    failure_reason: FailureReason = ""
    error: str = ""
    partial_reasons: list[str] = Field(default_factory=list)
    snapshots: dict[str, str] = Field(default_factory=dict)  # archive mode: original url -> timestamp
    limits: CrawlLimits = Field(default_factory=CrawlLimits)
    robots: Robots = Field(default_factory=Robots)
    section_robots: list[Robots] = Field(default_factory=list)  # robots.txt of the adopted section hosts
    stats: CrawlStats = Field(default_factory=CrawlStats)
    pages: list[Page] = Field(default_factory=list)
    link_checks: list[LinkCheck] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    board: Board | None = None
    guides: list[Guide] = Field(default_factory=list)
    platform_links: list[Link] = Field(default_factory=list)  # links to the 政务服务 platform
    probes: Probes = Field(default_factory=Probes)

    # -- views used by detectors -------------------------------------------------------------------
    @property
    def home(self) -> Page | None:
        return next((p for p in self.pages if p.kind == "home"), None)

    def pages_of(self, kind: str) -> list[Page]:
        return [p for p in self.pages if p.kind == kind]

    def page(self, url: str) -> Page | None:
        return next((p for p in self.pages if url in (p.url, p.final_url)), None)

    # -- serialisation -----------------------------------------------------------------------------
    def to_json_bytes(self) -> bytes:
        """Deterministic JSON (fields in declaration order), so equal captures are equal bytes. Compact: pydantic's
        serialiser, several times faster than json.dumps with indentation on captures of a few hundred pages."""
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str | dict, source: str = "capture") -> Capture:
        obj = json.loads(data) if isinstance(data, bytes | str) else data
        if not isinstance(obj, dict):
            raise CaptureSchemaError(f"{source}: not a JSON object")
        version = obj.get("schema_version", 1)
        if version != SCHEMA_VERSION:
            raise CaptureSchemaError(
                f"{source}: capture schema version {version} cannot be read by this version of govweb "
                f"(schema {SCHEMA_VERSION}); re-crawl the site (force) to store a current capture")
        try:
            return cls.model_validate(obj)
        except ValidationError as exc:
            raise CaptureSchemaError(f"{source}: invalid capture (schema {version}): {exc}") from exc


def failed_capture(site_id: str, url: str, year: int, as_of: str, reason: str, error: str,
                   **kw) -> Capture:
    return Capture(site_id=site_id, url=url, year=year, as_of=as_of, status="failed",
                   failure_reason=reason, error=error[:500], **kw)
