"""Link checks (from the capture's link_checks, recorded at crawl time)."""

from __future__ import annotations

from govweb.checks.registry import SiteEvidence, Verdict, detector


def is_broken(check: dict) -> bool:
    return check["status"] is None or check["status"] >= 400


@detector("links.broken_home")
def broken_home(ev: SiteEvidence) -> Verdict:
    """Every link on the home page that answers with an error status or no answer at all."""
    home_url = ev.home["url"]
    broken = [c for c in ev.capture["link_checks"] if c["source"] == home_url and is_broken(c)]
    detail = "; ".join(f"{c['url']} -> {c['status'] or c['error']}" for c in broken[:20])
    return Verdict(not broken, str(len(broken)), detail, [ev.key])
