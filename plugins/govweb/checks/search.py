"""Site-search function checks."""

from __future__ import annotations

from govweb import extract
from govweb.checks.registry import SiteEvidence, Verdict, detector


@detector("search.present")
def present(ev: SiteEvidence) -> Verdict:
    """The home page offers a site search (a form with a text/search input)."""
    forms = extract.search_forms(ev.home_tree)
    keys = [ev.key, ev.home["html_key"]]
    if not forms:
        return Verdict(False, "false", "no search form on the home page", keys)
    return Verdict(True, "true", f"search form action {forms[0] or '(same page)'}", keys)
