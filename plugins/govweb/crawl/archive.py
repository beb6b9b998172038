"""Archive mode: crawl a past year from a Wayback-compatible web archive.

For each site, the CDX index gives the snapshot nearest the as-of date and not after it (within a
window); every page of the site is then fetched as `{archive}/web/{timestamp}/{original url}` (the
archive serves the capture nearest that time), and the archive's rewriting is undone before the page is
parsed: archive URLs in links become the original URLs again and the archive's toolbar is removed, so
the crawl plan and the detectors see the site as it was. The capture records every snapshot timestamp.

Settings (environment): GOVWEB_ARCHIVE_URL (default http://archive.gov.test, the simulated web's
archive; https://web.archive.org for the Internet Archive), GOVWEB_ARCHIVE_CDX (the CDX path, default
/cdx; /cdx/search/cdx on web.archive.org), GOVWEB_ARCHIVE_WINDOW_DAYS (default 365).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode, urlsplit

from govweb import config

TOOLBAR = re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S)
ARCHIVE_PATH = re.compile(r"/web/(\d{4,14})([a-z]{2}_)?/")


class ArchiveError(RuntimeError):
    """The archive could not be queried (its own failure, not a missing snapshot)."""


@dataclass(frozen=True)
class Snapshot:
    original: str  # the site's URL as the inventory gives it
    timestamp: str  # YYYYMMDDhhmmss

    @property
    def day(self) -> date:
        return datetime.strptime(self.timestamp[:8], "%Y%m%d").date()


@dataclass(frozen=True)
class Archive:
    base: str = "http://archive.gov.test"
    cdx_path: str = "/cdx"
    window_days: int = 365

    @classmethod
    def from_env(cls) -> Archive:
        return cls(config.env("GOVWEB_ARCHIVE_URL", "http://archive.gov.test").rstrip("/"),
                   config.env("GOVWEB_ARCHIVE_CDX", "/cdx"), int(config.env("GOVWEB_ARCHIVE_WINDOW_DAYS", "365")))

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or ""

    def cdx_url(self, site_url: str, as_of: date) -> str:
        host = urlsplit(site_url).hostname or site_url
        first = date.fromordinal(as_of.toordinal() - self.window_days)
        query = {"url": f"{host}/*", "from": first.strftime("%Y%m%d"), "to": as_of.strftime("%Y%m%d") + "235959",
                 "output": "json", "filter": "statuscode:200"}
        return f"{self.base}{self.cdx_path}?{urlencode(query)}"

    def choose(self, cdx_body: str, site_url: str, as_of: date) -> Snapshot | None:
        """The newest 200 snapshot of the site's home page taken on or before as_of, within the window."""
        try:
            rows = json.loads(cdx_body) if cdx_body.strip() else []
        except json.JSONDecodeError as exc:
            raise ArchiveError(f"the archive's CDX answer is not JSON: {cdx_body[:120]!r}") from exc
        if not rows:
            return None
        head, body = rows[0], rows[1:]
        try:
            i_ts, i_orig, i_status = head.index("timestamp"), head.index("original"), head.index("statuscode")
        except ValueError as exc:
            raise ArchiveError(f"the archive's CDX header lacks a column: {head}") from exc
        host = urlsplit(site_url).hostname
        limit = as_of.strftime("%Y%m%d") + "235959"
        first = date.fromordinal(as_of.toordinal() - self.window_days).strftime("%Y%m%d")
        best = None
        for row in body:
            ts, orig, status = row[i_ts], row[i_orig], row[i_status]
            if urlsplit(orig if "://" in orig else "http://" + orig).hostname != host or status not in ("200", "-"):
                continue
            if first <= ts[:8] and ts <= limit and (best is None or ts > best):
                best = ts
        return Snapshot(site_url, best) if best else None

    def url_for(self, url: str, snapshot: Snapshot) -> str:
        """Where the archive serves `url` as of the snapshot (the archive picks the nearest capture)."""
        return f"{self.base}/web/{snapshot.timestamp}/{url}"

    def original(self, url: str) -> tuple[str, str] | None:
        """(timestamp, original url) of an archive URL, else None."""
        parts = urlsplit(url)
        if parts.hostname != self.host:
            return None
        m = ARCHIVE_PATH.match(parts.path)
        if not m:
            return None
        rest = url.split(m.group(0), 1)[1]
        if not rest.startswith(("http://", "https://")):
            rest = "http://" + rest
        return m.group(1), rest

    def unrewrite(self, html: str) -> str:
        """The page as the site served it: archive prefixes removed from every URL, the toolbar dropped."""
        html = TOOLBAR.sub("", html)
        prefix = re.compile(rf"(?:https?:)?(?://{re.escape(self.host)})?/web/\d{{4,14}}(?:[a-z]{{2}}_)?/"
                            r"(https?://|(?=[a-z0-9-]+\.[a-z]))")
        return prefix.sub(lambda m: m.group(1) or "http://", html)


@dataclass
class SiteArchive:
    """One site's snapshot during an archive-mode crawl: where each URL is fetched from, and the timestamps
    of what the archive served (recorded in the capture)."""

    archive: Archive
    snapshot: Snapshot
    served: dict[str, str]  # original url -> timestamp of the capture served

    def fetch_url(self, url: str) -> str:
        return self.archive.url_for(url, self.snapshot)

    def restore(self, url: str, final_url: str) -> str:
        """The original URL of a fetched archive URL (recording the timestamp served)."""
        orig = self.archive.original(final_url)
        if orig is None:
            return final_url
        self.served[url] = orig[0]
        return orig[1]

    def original_of(self, fetched_url: str) -> str:
        """The original URL of an archive URL (the URL itself when it is not one); nothing recorded."""
        orig = self.archive.original(fetched_url)
        return orig[1] if orig else fetched_url

    def unrewrite_bytes(self, body: bytes) -> bytes:
        """Undo the archive's rewriting on raw bytes (its prefixes are ASCII in any page encoding)."""
        text = body.decode("latin-1")
        return self.archive.unrewrite(text).encode("latin-1")
