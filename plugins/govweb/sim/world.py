"""The simulated world: which sites exist, how each is built and which defects it carries, per year.

A scenario is an inventory CSV (``include/inventory/{scenario}.csv``) plus an optional profile YAML
(``include/inventory/{scenario}_sim.yaml``):

    generator: seeded            # optional: seeded profiles for every site (govweb.sim.profile)
    seed: "2018"                 #   ... and its seed
    defaults: {template: classic}
    sites:                       # explicit profiles, merged over the generated ones
      "1100000088": {template: modern, encoding: gbk, js_lists: true, iframes: true}
      "2200000007": {defects: {identity.site_code: true, links.broken_home: 2}, fault: {kind: slow}}
    years:                       # per-year overrides, merged over `sites` (defects key by key)
      2017: {"2200000007": {defects: {freshness.homepage: 40}}}

Profile keys: template (classic|modern|portal|wcm), encoding (utf-8|gbk|utf-16: UTF-16 with a BOM|
utf-8-mislabelled: UTF-8 pages whose <meta> declares gb2312, served without a charset in the header),
js_lists (home lists rendered by JavaScript), iframes (a home list inside an iframe), fault
(govweb.sim.faults), defects (check ID -> parameter; govweb.sim.catalogue says what each parameter
means; false/0 removes one), variants (pins markup variants, govweb.sim.variants: a mapping, or
"plain" for the original markup; unpinned variants are drawn from the site's own seed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from govweb import config, inventory
from govweb.models import Site
from govweb.sim import catalogue

TEMPLATES = ("classic", "modern", "portal", "wcm")
ENCODINGS = ("utf-8", "gbk", "utf-16", "utf-8-mislabelled")
PROFILE_KEYS = ("template", "encoding", "js_lists", "iframes", "fault", "defects", "seeded_defects", "variants")
# Hosts every scenario serves besides its sites (national portal, platforms, registries, DNS).
SERVICE_HOSTS = {
    "www.gov.test": "中国政府网",
    "zwfw.gov.test": "全国一体化政务服务平台",
    "beian.miit.gov.test": "ICP/IP地址/域名信息备案管理系统",
    "www.beian.gov.test": "全国互联网安全管理服务平台",
    "bszs.conac.gov.test": "党政机关网站标识",
    "zfwzzc.www.gov.test": "我为政府网站找错",
    "weibo.gov.test": "政务微博",
    "ggzy.gov.test": "公共资源交易平台",
    "dns.gov.test": "DNS-over-HTTPS resolver of the simulated web",
}


def default_as_of(year: int) -> date:
    """The evaluation date the simulated content is dated against."""
    return date(year, 10, 15)


@dataclass(frozen=True, eq=False)  # identity hash: content is cached per SimSite object
class SimSite:
    site: Site
    host: str
    template: str = "classic"
    defects: dict = field(default_factory=dict)
    encoding: str = "utf-8"
    js_lists: bool = False
    iframes: bool = False
    fault: dict | None = None
    variants: dict = field(default_factory=dict)  # pinned markup variants (govweb.sim.variants)

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
        kind = catalogue.BY_ID.get(check_id)
        if kind is None:
            raise ScenarioError(f"{source}: site {site_id}: unknown defect {check_id!r}; "
                                f"known: {', '.join(catalogue.CHECK_IDS)}")
        ok = {bool: type(value) is bool,
              int: type(value) is int and value >= 0,
              float: type(value) in (int, float) and 0 <= value <= 1}[kind.kind]
        if not ok:
            need = {bool: "boolean", int: "non-negative integer", float: "rate between 0 and 1"}[kind.kind]
            raise ScenarioError(f"{source}: site {site_id}: defect {check_id} needs a {need}, got {value!r}")
    return {k: v for k, v in defects.items() if v}  # false/0 means "not planted"


def _sim_site(s: Site, prof: dict, source: str) -> SimSite:
    from govweb.sim import faults, variants

    unknown = sorted(set(prof) - set(PROFILE_KEYS))
    if unknown:
        raise ScenarioError(f"{source}: site {s.site_id}: unknown profile key(s) {unknown}; "
                            f"use {', '.join(PROFILE_KEYS)}")
    template, encoding = prof.get("template", "classic"), prof.get("encoding", "utf-8")
    if not isinstance(prof.get("seeded_defects", True), bool):
        raise ScenarioError(f"{source}: site {s.site_id}: seeded_defects must be true or false")
    if template not in TEMPLATES:
        raise ScenarioError(f"{source}: site {s.site_id}: unknown template {template!r}; "
                            f"use one of {', '.join(TEMPLATES)}")
    if encoding not in ENCODINGS:
        raise ScenarioError(f"{source}: site {s.site_id}: unknown encoding {encoding!r}; "
                            f"use {', '.join(ENCODINGS)}")
    try:
        pinned = variants.check(prof.get("variants"), f"{source}: site {s.site_id}")
    except ValueError as exc:
        raise ScenarioError(str(exc)) from exc
    fault = None
    if prof.get("fault"):
        try:
            fault = faults.check_fault(dict(prof["fault"]), f"{source}: site {s.site_id}")
        except ValueError as exc:
            raise ScenarioError(str(exc)) from exc
    host = (urlsplit(s.url).hostname or "").lower()
    return SimSite(s, host, template, _check_defects(s.site_id, prof.get("defects") or {}, source),
                   encoding, bool(prof.get("js_lists")), bool(prof.get("iframes")), fault, pinned)


def merge(*profiles: dict) -> dict:
    """Merge profiles left to right; `defects` merge key by key (a later `variants` replaces an earlier one)."""
    out: dict = {}
    for p in profiles:
        defects = {**(out.get("defects") or {}), **(p.get("defects") or {})}
        out = {**out, **p, "defects": defects}
    return out


def at_least(defects: dict, floor: dict) -> dict:
    """Defects raised to at least the floor: flags set, counts and rates no lower than the floor's."""
    out = dict(defects)
    for check_id, value in floor.items():
        have = out.get(check_id)
        out[check_id] = value if have is None or isinstance(value, bool) else max(have, value)
    return out


def scenario_paths(scenario: str) -> tuple[Path, Path]:
    return (config.inventory_dir() / f"{scenario}.csv", config.inventory_dir() / f"{scenario}_sim.yaml")


def load(scenario: str = "demo_2018", year: int = 2018, as_of: date | None = None,
         scale: int | None = None) -> World:
    inv_path, prof_path = scenario_paths(scenario)
    if not inv_path.is_file():
        known = sorted(p.stem for p in config.inventory_dir().glob("*.csv"))
        raise ScenarioError(f"no scenario {scenario!r}: {inv_path} not found; known: {', '.join(known)}")
    sites = inventory.active(inventory.load(inv_path))
    known = {s.site_id for s in sites}
    if scale is not None:
        if scale < 1:
            raise ScenarioError(f"scale must be >= 1, got {scale}")
        sites = select(sites, scale, prof_path)
    return build(sites, prof_path, year, as_of, known)


def select(sites: list[Site], n: int, prof_path: Path) -> list[Site]:
    """The first n sites, explicitly profiled ones first (so a scaled-down world keeps them)."""
    doc = yaml.safe_load(prof_path.read_text(encoding="utf-8")) if prof_path.is_file() else {}
    named = {str(k) for k in ((doc or {}).get("sites") or {})}
    return ([s for s in sites if s.site_id in named] + [s for s in sites if s.site_id not in named])[:n]


def build(sites: list[Site], profile_path: Path, year: int, as_of: date | None = None,
          known_ids: set[str] | None = None) -> World:
    from govweb.sim import profile

    doc = (yaml.safe_load(profile_path.read_text(encoding="utf-8")) if profile_path.is_file() else None) or {}
    source = str(profile_path)
    defaults = doc.get("defaults", {})
    profiles = {str(k): v or {} for k, v in (doc.get("sites") or {}).items()}
    overrides = {str(k): v or {} for k, v in ((doc.get("years") or {}).get(year) or {}).items()}
    generator = doc.get("generator")
    if generator not in (None, "seeded"):
        raise ScenarioError(f"{source}: unknown generator {generator!r}; use 'seeded' or leave it out")
    floor = (doc.get("floor") or {}).get("defects") or {}
    drift = float(doc.get("drift", profile.DRIFT))
    known = known_ids or {s.site_id for s in sites}
    for sid in list(profiles) + list(overrides):
        if sid not in known:
            raise ScenarioError(f"{source}: site {sid!r} is not in the inventory")
    out: dict[str, SimSite] = {}
    for s in sites:
        explicit = merge(profiles.get(s.site_id, {}), overrides.get(s.site_id, {}))
        generated = profile.seeded(s, year, str(doc.get("seed", "")), drift) if generator else {}
        if not explicit.get("seeded_defects", True):
            generated = {**generated, "defects": {}}
        elif floor:  # every site with seeded defects carries at least the floor's defects
            generated = {**generated, "defects": at_least(generated.get("defects") or {}, floor)}
        prof = merge(defaults, generated, explicit)
        sim = _sim_site(s, prof, source)
        out[sim.host] = sim
    return World(year, as_of or default_as_of(year), out)
