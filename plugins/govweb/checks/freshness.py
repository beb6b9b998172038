"""Publishing freshness checks."""

from __future__ import annotations

from datetime import date

from govweb import extract
from govweb.checks.registry import SiteEvidence, Verdict, detector


@detector("freshness.homepage")
def homepage(ev: SiteEvidence) -> Verdict:
    """Newest dated item on the home page must be at most `max_age_days` old on the as-of date.

    Items dated after as_of are ignored (content judged as it stood on the evaluation date)."""
    max_age = int(ev.threshold("freshness.homepage", "max_age_days"))
    home = ev.home
    items = extract.dated_items(ev.home_tree, home["final_url"] or home["url"])
    dates = [date.fromisoformat(i.date) for i in items if date.fromisoformat(i.date) <= ev.as_of]
    keys = [ev.key, home["html_key"]]
    if not dates:
        return Verdict(False, "", "no dated item found on the home page", keys)
    newest = max(dates)
    age = (ev.as_of - newest).days
    newest_item = next(i for i in items if i.date == newest.isoformat())
    detail = f"newest item {newest.isoformat()} ({age} days before {ev.as_of}): {newest_item.title[:60]}"
    return Verdict(age <= max_age, str(age), detail, keys)
