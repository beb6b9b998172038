"""Load and validate the site inventory (DESIGN §4).

Validation happens before any crawl and names the row, the field and what to do, e.g.
``row 4 (site_id 'A'): field 'url': 'ftp://x' is not an http(s) URL; use http:// or https://``.
Row numbers are CSV line numbers (the header is line 1), so a user can jump straight to them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from govweb.models import GROUPS, INVENTORY_COLUMNS, LEVELS, REGIONS, SITE_CODE_PATTERN, Site

REQUIRED = ("site_id", "name", "url", "level", "groups", "region")
TRUE_WORDS = {"true", "1", "yes", "y", ""}
FALSE_WORDS = {"false", "0", "no", "n"}


class InventoryError(ValueError):
    """The inventory is invalid; `problems` lists every problem found (not just the first)."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"inventory {source} is invalid ({len(problems)} problem(s)):\n  {shown}{more}")


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _check_row(line: int, row: dict[str, str], seen: dict[str, int]) -> tuple[Site | None, list[str]]:
    problems: list[str] = []
    sid = (row.get("site_id") or "").strip()
    where = f"row {line} (site_id {sid!r})"

    def bad(field: str, msg: str) -> None:
        problems.append(f"{where}: field {field!r}: {msg}")

    for field in REQUIRED:
        if not (row.get(field) or "").strip():
            bad(field, "is empty; every site needs it")
    if sid and sid in seen:
        bad("site_id", f"duplicates row {seen[sid]}; site_id must be unique")
    url = (row.get("url") or "").strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.hostname):
        bad("url", f"{url!r} is not an http(s) URL; write it as http://host/ or https://host/")
    level = (row.get("level") or "").strip()
    if level and level not in LEVELS:
        bad("level", f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    groups = tuple(g.strip() for g in (row.get("groups") or "").split(";") if g.strip())
    for g in groups:
        if g not in GROUPS:
            bad("groups", f"unknown group {g!r}; use ';'-separated names from {', '.join(GROUPS)}")
    region = (row.get("region") or "").strip()
    if region and region not in REGIONS:
        bad("region", f"unknown region {region!r}; use one of {', '.join(REGIONS)}")
    active_word = (row.get("active") or "").strip().lower()
    if active_word not in TRUE_WORDS | FALSE_WORDS:
        bad("active", f"{row.get('active')!r} is not a boolean; use true or false")
    code = (row.get("site_code") or "").strip()
    if code and not re.match(SITE_CODE_PATTERN, code):
        bad("site_code", f"{code!r} is not a 网站标识码 (10 digits, or 2 letters and 8 digits); "
                         f"fix it or leave it empty")
    if problems:
        return None, problems
    site = Site(
        site_id=sid, name=row["name"].strip(), url=url, level=level, groups=groups, region=region,
        province=(row.get("province") or "").strip(), parent_id=(row.get("parent_id") or "").strip(),
        active=active_word in TRUE_WORDS, site_code=code,
    )
    return site, []


def parse(text: str, source: str = "<inventory>") -> list[Site]:
    """Parse and validate inventory CSV text; raise InventoryError listing every problem."""
    rows = read_rows(text)
    if not rows:
        raise InventoryError(source, ["no rows: the file needs a header line and at least one site"])
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise InventoryError(source, [f"header (row 1): missing column(s) {', '.join(missing)}; "
                                      f"expected {','.join(INVENTORY_COLUMNS)}"])
    sites: list[Site] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=2):
        site, errs = _check_row(i, row, seen)
        problems.extend(errs)
        sid = (row.get("site_id") or "").strip()
        if sid and sid not in seen:
            seen[sid] = i
        if site:
            sites.append(site)
    parents = {s.site_id for s in sites}
    for i, row in enumerate(rows, start=2):
        pid = (row.get("parent_id") or "").strip()
        if pid and pid not in parents and not problems:
            problems.append(f"row {i} (site_id {row['site_id']!r}): field 'parent_id': {pid!r} is not a "
                            f"site_id in this inventory; leave it empty or add the parent")
    if problems:
        raise InventoryError(source, problems)
    return sites


def load(path: str | Path) -> list[Site]:
    p = Path(path)
    if not p.is_file():
        raise InventoryError(str(p), [f"file not found: {p}"])
    return parse(p.read_text(encoding="utf-8"), source=str(p))


def to_frame(sites: Iterable[Site]) -> pd.DataFrame:
    return pd.DataFrame([s.to_row() for s in sites], columns=list(INVENTORY_COLUMNS))


def to_csv(sites: Iterable[Site]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(INVENTORY_COLUMNS), lineterminator="\n")
    w.writeheader()
    for s in sites:
        w.writerow({**s.to_row(), "active": "true" if s.active else "false"})
    return buf.getvalue()


def site_code(site: Site) -> str:
    """The 网站标识码 to compare the shown one with: the site_code column, else a code-shaped site_id, else ''
    (an inventory whose IDs are not codes must not fail every site's identity check)."""
    if site.site_code:
        return site.site_code
    return site.site_id if re.match(SITE_CODE_PATTERN, site.site_id) else ""


def active(sites: Iterable[Site]) -> list[Site]:
    return [s for s in sites if s.active]


def batches(sites: list[Site], size: int) -> list[list[str]]:
    """Split site ids into batches of at most `size`, in inventory order (deterministic)."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    ids = [s.site_id for s in sites]
    return [ids[i:i + size] for i in range(0, len(ids), size)]
