"""The simulated world: which sites exist, their templates and their planted defects, per year.

A scenario is an inventory CSV plus a profile YAML (``include/inventory/{scenario}_sim.yaml``):

    defaults: {template: classic}
    sites:
      "1100000088": {template: modern}
      "2200000007": {defects: {identity.site_code: true, links.broken_home: 2}}
    years:            # optional per-year overrides, merged over `sites` (defects merged key by key)
      2017: {"2200000007": {defects: {freshness.homepage: 40}}}

Defect parameters (check ID -> value): identity.site_code / identity.icp / search.present: true
(the element is absent); freshness.homepage: age in days of the newest home-page item;
links.broken_home: number of broken links on the home page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from govweb import config, inventory
from govweb.models import Site

TEMPLATES = ("classic", "modern", "portal")
DEFECT_KINDS = {
    "identity.site_code": bool, "identity.icp": bool, "search.present": bool,
    "freshness.homepage": int, "links.broken_home": int,
}
# Hosts every scenario serves besides its sites: national portal and the service platform.
SERVICE_HOSTS = {
    "www.gov.test": "中国政府网",
    "zwfw.gov.test": "全国一体化政务服务平台",
    "beian.miit.gov.test": "ICP/IP地址/域名信息备案管理系统",
}


def default_as_of(year: int) -> date:
    """The evaluation date the simulated content is dated against."""
    return date(year, 10, 15)


@dataclass(frozen=True, eq=False)  # identity hash: content is cached per SimSite object
class SimSite:
    site: Site
    host: str
    template: str
    defects: dict = field(default_factory=dict)

    @property
    def site_id(self) -> str:
        return self.site.site_id


class ScenarioError(ValueError):
    pass


@dataclass
class World:
    year: int
    as_of: date
    sites: dict[str, SimSite]  # by host

    def by_host(self, host: str) -> SimSite | None:
        return self.sites.get(host.split(":")[0].lower())


def _check_defects(site_id: str, defects: dict, source: str) -> dict:
    for check_id, value in defects.items():
        kind = DEFECT_KINDS.get(check_id)
        if kind is None:
            raise ScenarioError(f"{source}: site {site_id}: unknown defect {check_id!r}; "
                                f"known: {', '.join(sorted(DEFECT_KINDS))}")
        if type(value) is not kind or (kind is int and value < 0):  # bool is an int: refuse it
            raise ScenarioError(f"{source}: site {site_id}: defect {check_id} needs a "
                                f"{'non-negative integer' if kind is int else 'boolean'}, got {value!r}")
    return dict(defects)


def load(scenario: str = "demo_2018", year: int = 2018, as_of: date | None = None) -> World:
    inv_path = config.inventory_dir() / f"{scenario}.csv"
    prof_path = config.inventory_dir() / f"{scenario}_sim.yaml"
    return build(inventory.load(inv_path), prof_path, year, as_of)


def build(sites: list[Site], profile_path: Path, year: int, as_of: date | None = None) -> World:
    doc = yaml.safe_load(profile_path.read_text(encoding="utf-8")) or {}
    defaults = doc.get("defaults", {})
    profiles = {str(k): v or {} for k, v in (doc.get("sites") or {}).items()}
    overrides = {str(k): v or {} for k, v in ((doc.get("years") or {}).get(year) or {}).items()}
    known = {s.site_id for s in sites}
    for sid in list(profiles) + list(overrides):
        if sid not in known:
            raise ScenarioError(f"{profile_path}: site {sid!r} is not in the inventory")
    out: dict[str, SimSite] = {}
    for s in sites:
        site_prof, year_prof = profiles.get(s.site_id, {}), overrides.get(s.site_id, {})
        prof = {**defaults, **site_prof, **year_prof}
        # A year's defects are merged over the site's (set one to false/0 to remove it that year).
        prof["defects"] = {**(site_prof.get("defects") or {}), **(year_prof.get("defects") or {})}
        template = prof.get("template", "classic")
        if template not in TEMPLATES:
            raise ScenarioError(f"{profile_path}: site {s.site_id}: unknown template {template!r}; "
                                f"use one of {', '.join(TEMPLATES)}")
        host = (urlsplit(s.url).hostname or "").lower()
        defects = _check_defects(s.site_id, prof.get("defects") or {}, str(profile_path))
        out[host] = SimSite(s, host, template, defects)
    return World(year, as_of or default_as_of(year), out)
