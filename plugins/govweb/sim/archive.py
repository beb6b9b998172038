"""A web-archive-style view of the simulated web: past years' versions of every site.

    GET http://archive.gov.test/web/{YYYYMMDDhhmmss}/{original-url}   the snapshot at or before the time
    GET http://archive.gov.test/cdx?url={host}/*&from=YYYY&to=YYYY&output=json   the capture index

One snapshot per site and year, taken on that year's evaluation date; links in archived pages are
rewritten to archive URLs, as web archives do, so an archive-mode crawl stays inside the archive.
"""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urlsplit

ARCHIVE_HOST = "archive.gov.test"
FIRST_YEAR = 2010
WEB = re.compile(r"^/web/(\d{4})(\d{10})?[a-z_]*/(.+)$")
LINK = re.compile(r"""(\b(?:href|src|action)=")(/[^"]*|https?://[a-z0-9.-]+\.gov\.test[^"]*)(")""")


def timestamp(year: int, as_of) -> str:
    return f"{as_of.year:04d}{as_of.month:02d}{as_of.day:02d}000000" if as_of.year == year else f"{year}1015000000"


def parse_web_path(path_qs: str) -> tuple[int, str] | None:
    """(year, original url) of /web/... — the snapshot year is the timestamp's year."""
    m = WEB.match(path_qs)
    if not m:
        return None
    url = m.group(3)
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    return int(m.group(1)), url


def rewrite_links(html: str, ts: str, host: str) -> str:
    def fix(m: re.Match) -> str:
        target = m.group(2)
        absolute = f"http://{host}{target}" if target.startswith("/") else target
        return f"{m.group(1)}/web/{ts}/{absolute}{m.group(3)}"
    return LINK.sub(fix, html)


def cdx_rows(hosts: list[str], years: range, as_of_for) -> list[list[str]]:
    rows = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]]
    for host in sorted(hosts):
        key = ",".join(reversed(host.split("."))) + ")/"
        for y in years:
            ts = timestamp(y, as_of_for(y))
            digest = hashlib.sha1(f"{host}:{y}".encode()).hexdigest()[:32].upper()
            rows.append([key, ts, f"http://{host}/", "text/html", "200", digest, "0"])
    return rows


def cdx_query(query: dict, all_hosts: list[str], current_year: int, as_of_for) -> str:
    url = query.get("url", "")
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    hosts = [h for h in all_hosts if h == host] if host else []
    try:
        first = int(str(query.get("from", FIRST_YEAR))[:4])
        last = int(str(query.get("to", current_year))[:4])
    except ValueError:
        first, last = FIRST_YEAR, current_year
    years = range(max(first, FIRST_YEAR), min(last, current_year) + 1)
    rows = cdx_rows(hosts, years, as_of_for)
    if query.get("output") == "json":
        return json.dumps(rows)
    return "\n".join(" ".join(r) for r in rows[1:]) + "\n"
