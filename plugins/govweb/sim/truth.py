"""Ground truth of a simulated world: per site and check ID, is the defect there and its value.

Values are computed from the generated content (the same objects the pages are rendered from),
and "defect" applies the thresholds of the check catalogue (include/checks/catalogue.yaml, through
govweb.scoring.load_thresholds()), the detectors' own.
"""

from __future__ import annotations

from collections.abc import Callable

from govweb import scoring
from govweb.sim import catalogue
from govweb.sim.content import COLUMNS, STALE_ORDER, SiteContent, generate
from govweb.sim.sections import GUIDE_ELEMENTS, KEY_AREAS
from govweb.sim.world import World

TRUTH_COLUMNS = ("site_id", "check_id", "defect", "expected_value", "status")
# check ID -> the check whose defect removes the element it looks at: there the truth is "not_applicable"
ABSENT_ELEMENT = {"search.works": "search.present", "interaction.indirect_reply": "interaction.channel",
                  "interaction.backlog": "interaction.channel", "interaction.reply_latency": "interaction.channel"}
Fact = Callable[[SiteContent, dict], tuple[bool, str]]
FACTS: dict[str, Fact] = {}


def fact(check_id: str):
    def add(fn: Fact) -> Fact:
        FACTS[check_id] = fn
        return fn
    return add


def _flag(c: SiteContent, check_id: str) -> tuple[bool, str]:
    """A present/absent element: defect when absent; value 'true' when present."""
    absent = bool(c.defect(check_id))
    return absent, "false" if absent else "true"


def _count(c: SiteContent, check_id: str) -> tuple[bool, str]:
    n = c.defect(check_id, 0)
    return n > 0, str(n)


for _cid in ("identity.conac_badge", "identity.error_report_entry", "security.https", "network.ipv6",
             "disclosure.catalog_linked", "interpretation.present", "services.platform_link",
             "interaction.channel", "search.present", "mobile.adapted"):
    FACTS[_cid] = lambda c, t, _cid=_cid: _flag(c, _cid)
for _cid in ("links.broken_home", "links.broken_inner", "content.typos", "privacy.personal_data",
             "services.form_downloads", "accessibility.axe"):
    FACTS[_cid] = lambda c, t, _cid=_cid: _count(c, _cid)


@fact("availability.homepage")
def _availability(c, t):
    rate = float(c.defect("availability.homepage", 0.0))
    return rate >= t["availability.homepage"]["max_failure_rate"], f"{rate:.2f}"


@fact("identity.site_code")
def _site_code(c, t):
    return (True, "") if c.defect("identity.site_code") else (False, c.site_code)


@fact("identity.icp")
def _icp(c, t):
    return (True, "") if c.defect("identity.icp") else (False, c.icp)


@fact("identity.psb")
def _psb(c, t):
    return (True, "") if c.defect("identity.psb") else (False, c.psb)


@fact("search.works")
def _search_works(c, t):
    if c.defect("search.present"):  # no search at all: "works" does not apply (search.present fails)
        return False, ""
    return _flag(c, "search.works")


@fact("interaction.indirect_reply")
def _indirect(c, t):
    if not c.sections.channel:  # no letters board: nothing to judge (interaction.channel fails)
        return False, ""
    return _count(c, "interaction.indirect_reply")


@fact("content.outdated_agency")
def _outdated(c, t):
    """Abolished names in articles published after the abolition (what was planted, counted from content)."""
    from datetime import date as _date

    from govweb.sim.content import dictionary

    gone = {r["old"]: _date.fromisoformat(r["abolished"]) for r in dictionary("outdated_agencies.csv")}
    n = sum(text.count(old) for it in c.all_items() for text in it.body for old, day in gone.items()
            if it.date > day and "联系单位" in text)
    return n > 0, str(n)


def newest_age(c: SiteContent, slugs) -> int | None:
    dates = [it.date for s in slugs if s in c.columns for it in c.columns[s].items if it.date <= c.as_of]
    return (c.as_of - max(dates)).days if dates else None


@fact("freshness.homepage")
def _fresh_home(c, t):
    dates = [it.date for col in c.home_lists() for it in col.items if it.date <= c.as_of]
    age = (c.as_of - max(dates)).days if dates else None
    return (age is None or age > t["freshness.homepage"]["max_age_days"]), "" if age is None else str(age)


def stale_columns(c: SiteContent, t: dict) -> list[str]:
    tc = t["freshness.columns"]
    limits = {"news": tc["news_days"], "notice": tc["notice_days"], "policy": tc["policy_days"],
              "interpretation": tc["interpretation_days"]}
    out = []
    for slug in STALE_ORDER:
        if slug in c.columns and c.columns[slug].items:
            age = newest_age(c, [slug])
            if age is not None and age > limits[COLUMNS[slug][1]]:
                out.append(slug)
    return sorted(out)


@fact("freshness.columns")
def _fresh_cols(c, t):
    n = len(stale_columns(c, t))
    return n > 0, str(n)


@fact("columns.empty")
def _empty(c, t):
    n = sum(1 for col in c.columns.values() if not col.items and not col.offsite)
    n += sum(1 for col in c.sections.key_areas.values() if not col.items and not col.offsite)
    return n > 0, str(n)


@fact("disclosure.key_areas")
def _key_areas(c, t):
    missing = len(KEY_AREAS) - len(c.sections.key_areas)
    return missing > 0, str(missing)


@fact("disclosure.offsite_substitution")
def _offsite(c, t):
    n = sum(1 for col in c.sections.key_areas.values() if col.offsite)
    return n > 0, str(n)


@fact("disclosure.annual_report")
def _annual(c, t):
    latest = max(c.sections.annual_reports, default=None)
    return latest is None or latest < c.year - 1, "" if latest is None else str(latest)


@fact("services.guide_elements")
def _guides(c, t):
    need = t["services.guide_elements"]["min_missing"]
    n = sum(1 for g in c.sections.guides if len(GUIDE_ELEMENTS) - len(g.elements) >= need)
    return n > 0, str(n)


@fact("interaction.backlog")
def _backlog(c, t):
    if not c.sections.channel:
        return False, ""
    age = c.sections.oldest_unanswered_age(c.as_of)
    return age > t["interaction.backlog"]["max_wait_days"], str(age)


@fact("interaction.reply_latency")
def _latency(c, t):
    if not c.sections.channel:
        return False, ""
    days = c.sections.median_latency()
    return days > t["interaction.reply_latency"]["max_median_days"], f"{days:.1f}"


@fact("media.channels")
def _media(c, t):
    return len(c.channels) < 3, ";".join(c.channels)


def status(c: SiteContent, check_id: str, defect: bool) -> str:
    """pass | fail | not_applicable (the element the check looks at is not served at all)."""
    if check_id in ABSENT_ELEMENT and c.defect(ABSENT_ELEMENT[check_id]):
        return "not_applicable"
    return "fail" if defect else "pass"


def site_rows(c: SiteContent, t: dict) -> list[dict]:
    out = []
    for check_id in sorted(catalogue.CHECK_IDS):
        defect, value = FACTS[check_id](c, t)
        out.append({"site_id": c.sim.site_id, "check_id": check_id, "defect": bool(defect),
                    "expected_value": value, "status": status(c, check_id, bool(defect))})
    return out


def rows(world: World) -> list[dict]:
    t = scoring.load_thresholds()
    out = []
    for sim in sorted(world.sites.values(), key=lambda s: s.site_id):
        out += site_rows(generate(sim, world.year, world.as_of), t)
    return out
