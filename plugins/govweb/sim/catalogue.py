"""Every defect the simulated web can plant, one per catalogue check ID (DESIGN §6).

The check IDs themselves are production data (include/checks/catalogue.yaml, govweb.catalogue): this
module only says what each defect means in the simulated web, and refuses to load when its kinds and
the catalogue's IDs differ (one message naming every missing and unknown ID).

A defect kind says what its parameter means and how large a "severity" is; the profile decides the
parameter per site and year, the content generator realises it in the served pages, and the ground
truth reports what was realised (govweb.sim.truth). Adding a defect kind: add it here, realise it in
content.py / the templates, and report it in truth.py; tests/unit/test_sim.py checks that
the three agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefectKind:
    check_id: str
    kind: type  # bool: the element is absent/broken; int: a count or an age in days; float: a rate
    meaning: str
    severities: tuple  # parameter values the seeded profile draws from, mild to severe


KINDS = (
    DefectKind("availability.homepage", float, "share of home-page requests answered 503", (0.02, 0.06, 0.12)),
    DefectKind("identity.site_code", bool, "no 网站标识码 in footer or SiteIDCode meta", (True,)),
    DefectKind("identity.icp", bool, "no ICP备案号", (True,)),
    DefectKind("identity.psb", bool, "no 公网安备号", (True,)),
    DefectKind("identity.conac_badge", bool, "no 党政机关标识", (True,)),
    DefectKind("identity.error_report_entry", bool, "no 我为政府网站找错 entry", (True,)),
    DefectKind("security.https", bool, "the site does not answer over HTTPS", (True,)),
    DefectKind("network.ipv6", bool, "the host has no AAAA record", (True,)),
    DefectKind("links.broken_home", int, "broken links on the home page", (1, 2, 4)),
    DefectKind("links.broken_inner", int, "broken links on inner pages", (1, 3, 6)),
    DefectKind("content.typos", int, "wrong words (include/checks/typos.csv) in articles", (1, 2, 4)),
    DefectKind("content.outdated_agency", int, "abolished agency names in articles", (1, 2, 3)),
    DefectKind("privacy.personal_data", int, "ID-card / mobile numbers exposed in pages", (1, 2, 3)),
    DefectKind("freshness.homepage", int, "age in days of the newest home-page item", (20, 40, 90)),
    DefectKind("freshness.columns", int, "stale news/notice/policy columns", (1, 3, 5)),
    DefectKind("columns.empty", int, "columns with no items", (1, 3, 5)),
    DefectKind("disclosure.catalog_linked", bool, "信息公开目录 entries are plain text, not links", (True,)),
    DefectKind("disclosure.key_areas", int, "required 重点领域 sub-columns missing", (1, 2, 4)),
    DefectKind("disclosure.offsite_substitution", int, "columns that only link to another site", (1, 2)),
    DefectKind("disclosure.annual_report", int, "years the latest 信息公开年报 lags behind", (1, 2)),
    DefectKind("interpretation.present", bool, "no 政策解读 column", (True,)),
    DefectKind("services.platform_link", bool, "no link to the 政务服务 platform", (True,)),
    DefectKind("services.guide_elements", int, "service guides lacking >= 4 required elements", (1, 3, 5)),
    DefectKind("services.form_downloads", int, "broken form/attachment downloads", (1, 2, 4)),
    DefectKind("interaction.channel", bool, "no letters/consultation channel", (True,)),
    DefectKind("interaction.backlog", int, "age in days of the oldest unanswered valid message", (40, 100, 200)),
    DefectKind("interaction.reply_latency", int, "median days from message to reply", (20, 35, 60)),
    DefectKind("interaction.indirect_reply", int, "replies that only redirect elsewhere", (1, 2, 4)),
    DefectKind("search.present", bool, "no site search on the home page", (True,)),
    DefectKind("search.works", bool, "site search finds nothing", (True,)),
    DefectKind("mobile.adapted", bool, "no viewport meta, fixed 1200px layout", (True,)),
    DefectKind("media.channels", int, "number of the 微博/微信/App channels missing", (1, 2, 3)),
    DefectKind("accessibility.axe", int, "home-page images without alt text", (2, 5, 10)),
)


class CatalogueMismatch(ValueError):
    pass


def check_kinds(kinds: tuple[DefectKind, ...], ids: tuple[str, ...], source: str) -> None:
    """The simulated web plants exactly the catalogue's check IDs, one defect kind each."""
    have = [k.check_id for k in kinds]
    problems = [f"check ID {cid!r} of the catalogue {source} has no defect kind in govweb.sim.catalogue"
                for cid in sorted(set(ids) - set(have))]
    problems += [f"defect kind {cid!r} of govweb.sim.catalogue is not a check ID of the catalogue {source}"
                 for cid in sorted(set(have) - set(ids))]
    problems += [f"defect kind {cid!r} is defined twice" for cid in sorted({c for c in have if have.count(c) > 1})]
    if problems:
        raise CatalogueMismatch("the simulated web's defects and the check catalogue disagree:\n  "
                                + "\n  ".join(problems))


def _production_ids() -> tuple[str, ...]:
    from govweb import catalogue as production

    cat = production.default()
    check_kinds(KINDS, cat.ids, cat.source)
    return tuple(cat.ids)


CHECK_IDS = _production_ids()  # the production catalogue's IDs, in its order
BY_ID = {k.check_id: k for k in KINDS}
