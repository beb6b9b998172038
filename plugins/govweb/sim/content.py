"""Deterministic content of a simulated site for one year (seeded by site id and year).

Everything a page shows is decided here, once per site and year, from the site's profile: the
columns and their dated items, the planted defects, the disclosure, service and interaction
sections (govweb.sim.sections). Pages (govweb.sim.render) only lay it out; the ground truth
(govweb.sim.truth) reads the same objects, so truth and pages cannot disagree.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache

from govweb.sim import variants
from govweb.sim.variants import Variants
from govweb.sim.world import SimSite

# slug: (title, kind). Kinds: news/notice/policy are "timed" (freshness.columns), plan too (1 year).
COLUMNS = {
    "ywdt": ("要闻动态", "news"), "bmdt": ("部门动态", "news"), "tzgg": ("通知公告", "notice"),
    "gsgg": ("公示公告", "notice"), "zcwj": ("政策文件", "policy"), "zcjd": ("政策解读", "interpretation"),
    "ghjh": ("规划计划", "plan"), "rsxx": ("人事信息", "plan"), "tjxx": ("统计信息", "plan"),
    "jytabl": ("建议提案办理", "other"), "yjgl": ("应急管理", "other"),
}
# Order in which freshness.columns makes columns stale (home-page lists last) and columns.empty empties.
STALE_ORDER = ("bmdt", "gsgg", "zcwj", "zcjd", "tzgg", "ywdt")
EMPTY_ORDER = ("jytabl", "yjgl", "tjxx", "rsxx", "ghjh")
HOME_LISTS = (("ywdt", 8), ("tzgg", 6), ("zcwj", 5))
HOME_SLUGS = tuple(slug for slug, _ in HOME_LISTS)
TOPICS = ("营商环境", "乡村振兴", "生态环境保护", "安全生产", "民生实事", "放管服改革", "就业创业",
          "教育发展", "医疗卫生", "防汛抗旱", "脱贫攻坚", "招商引资", "城市更新", "交通建设")
ACTIONS = ("召开专题会议研究部署", "印发实施方案推进", "开展督查调研", "举行新闻发布会介绍",
           "出台若干措施支持", "召开常务会议审议", "部署开展专项行动", "公开征求意见")
PROVINCE_ABBR = {"11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
                 "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
                 "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "蜀", "52": "黔",
                 "53": "滇", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新"}
DATE_STYLES = {"classic": "iso", "modern": "bracket", "portal": "chinese", "wcm": "slash", "dotted": "dotted"}


@dataclass
class Item:
    column: str
    n: int
    title: str
    date: date
    body: list[str] = field(default_factory=list)  # extra paragraphs (planted defects live here)
    related: list[tuple[str, str]] = field(default_factory=list)  # (href, text) links under the article

    @property
    def path(self) -> str:
        return f"/art/{self.column}/{self.n}.html"


@dataclass
class Column:
    slug: str
    title: str
    kind: str
    items: list[Item]
    offsite: str = ""  # a column that only links to another site (disclosure.offsite_substitution)

    @property
    def path(self) -> str:
        return f"/col/{self.slug}/"


@dataclass
class SiteContent:
    sim: SimSite
    year: int
    as_of: date
    columns: dict[str, Column]
    broken_home: list[str]
    icp: str
    psb: str
    channels: list[str]
    images_without_alt: int
    sections: object = None  # govweb.sim.sections.Sections, attached by generate()
    variants: Variants = field(default_factory=Variants)  # how the pages write it (govweb.sim.variants)

    @property
    def site_code(self) -> str:
        return self.sim.site_id

    @property
    def place(self) -> str:
        return self.sim.site.name.replace("人民政府", "")

    def defect(self, check_id: str, default=None):
        return self.sim.defects.get(check_id, default)

    def item(self, column: str, n: int) -> Item | None:
        col = self.columns.get(column)
        return col.items[n] if col and 0 <= n < len(col.items) else None

    def home_lists(self) -> list[Column]:
        return [self._head(self.columns[slug], k) for slug, k in HOME_LISTS if slug in self.columns]

    @staticmethod
    def _head(col: Column, k: int) -> Column:
        return Column(col.slug, col.title, col.kind, col.items[:k], col.offsite)

    def all_items(self) -> list[Item]:
        return [it for col in self.columns.values() for it in col.items]

    def search(self, query: str) -> list[Item]:
        """Titles holding the query, over everything the site publishes: its columns and the key-area
        sub-columns of 政府信息公开 (a site search indexes both)."""
        q = query.strip()
        if not q or self.defect("search.works"):
            return []
        key_areas = [it for col in (self.sections.key_areas.values() if self.sections else ())
                     if not col.offsite for it in col.items]
        return [it for it in [*self.all_items(), *key_areas] if q in it.title]


def fmt_date(d: date, template: str) -> str:
    """A date as the template (or a date style: "dotted") writes it."""
    style = DATE_STYLES[template]
    if style == "dotted":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "bracket":
        return f"[{d.isoformat()}]"
    if style == "chinese":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    return d.isoformat()


def rng_for(*parts) -> random.Random:
    seed = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


@cache
def dictionary(name: str):
    """A dictionary of the production catalogue (include/checks/dictionaries/), by its catalogue name
    ("typos") or its file name ("typos.csv")."""
    from govweb import catalogue as production

    return production.default().dictionary(name.rsplit(".", 1)[0])


def _items(rng: random.Random, column: str, count: int, newest: date, place: str) -> list[Item]:
    out, d = [], newest
    for n in range(count):
        out.append(Item(column, n, f"{place}{rng.choice(ACTIONS)}{rng.choice(TOPICS)}工作", d))
        d -= timedelta(days=rng.randint(1, 4))
    return out


def _newest_age(rng: random.Random, slug: str, kind: str, stale: set[str], home_age: int | None) -> int:
    """Days between as_of and a column's newest item."""
    if slug in stale:
        age = {"news": 30, "notice": 200, "policy": 200, "interpretation": 200}[kind] + rng.randint(0, 40)
    else:
        age = {"news": rng.randint(0, 5), "notice": rng.randint(3, 20), "policy": rng.randint(5, 60),
               "interpretation": rng.randint(5, 60), "plan": rng.randint(30, 200),
               "other": rng.randint(10, 300)}[kind]
    if home_age is not None and slug in HOME_SLUGS:  # a stale home page: nothing on it is newer
        age = home_age if slug == "ywdt" else max(age, home_age + rng.randint(0, 10))
    return age


def _columns(sim: SimSite, rng: random.Random, as_of: date, place: str) -> dict[str, Column]:
    d = sim.defects
    stale = set(STALE_ORDER[: d.get("freshness.columns", 0)])
    empty = set(EMPTY_ORDER[: d.get("columns.empty", 0)])
    home_age = d.get("freshness.homepage")
    cols = {}
    for slug, (title, kind) in COLUMNS.items():
        if slug == "zcjd" and d.get("interpretation.present"):
            continue
        age = _newest_age(rng, slug, kind, stale, home_age)
        count = 0 if slug in empty else rng.randint(12, 30)
        cols[slug] = Column(slug, title, kind, _items(rng, slug, count, as_of - timedelta(days=age), place))
    if "zcjd" in cols:  # each interpretation names and links the policy it explains
        policies = cols["zcwj"].items
        for it in cols["zcjd"].items:
            policy = policies[it.n % len(policies)]
            it.title = f"《{policy.title}》政策解读"
            it.related.append((policy.path, f"相关文件：{policy.title}"))
    return cols


def _plant_text(cols: dict[str, Column], sim: SimSite, year: int, rng: random.Random) -> None:
    """Typos, abolished agency names, exposed personal data, broken inner links: in articles listed
    on the home page (so a crawl one level deep reaches every one of them)."""
    home_items = [it for slug, k in HOME_LISTS if slug in cols for it in cols[slug].items[:k]]
    d = sim.defects
    typos = dictionary("typos.csv")
    for i in range(d.get("content.typos", 0)):
        home_items[i].body.append(f"会议强调，要{typos[i % len(typos)]['wrong']}上级部署，抓好落实。")
    agencies = dictionary("outdated_agencies.csv")
    for i in range(d.get("content.outdated_agency", 0) if year >= 2018 else 0):
        # an abolished name is a defect only in what was published after the abolition: plant it in the
        # oldest home-page article published after that date (none: nothing to plant)
        agency = agencies[i % len(agencies)]
        after = [it for it in home_items if it.date > date.fromisoformat(agency["abolished"])
                 and not any("联系单位" in b for b in it.body)]
        if after:
            min(after, key=lambda it: (it.date, it.path)).body.append(
                f"联系单位：{sim.site.province or ''}{agency['old']}办公室。")
    for i in range(d.get("privacy.personal_data", 0)):
        it = home_items[len(home_items) // 2 + i]
        # one exposed number per unit of the defect: an ID card, then a mobile, alternately
        it.body.append(f"申请人：张某，身份证号：{fake_id_number(rng)}。" if i % 2 == 0
                       else f"经办人手机：{fake_mobile(rng)}。")
    for i in range(d.get("links.broken_inner", 0)):
        home_items[i % len(home_items)].related.append((f"/old/{year - 4}/doc_{i}.html", f"相关链接{i + 1}"))


def fake_id_number(rng: random.Random) -> str:
    """An 18-digit resident ID with a valid check digit (GB 11643), for the privacy defect."""
    body = f"{rng.choice(['110101', '440106', '510104'])}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}" \
           f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def fake_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


@lru_cache(maxsize=2048)
def generate(sim: SimSite, year: int, as_of: date) -> SiteContent:
    from govweb.sim import sections

    rng = rng_for(sim.site_id, year)
    place = sim.site.name.replace("人民政府", "")
    cols = _columns(sim, rng, as_of, place)
    _plant_text(cols, sim, year, rng)
    d = sim.defects
    prov = PROVINCE_ABBR.get(sim.site_id[:2], "京")
    broken = [f"/zt/{year - 3}/special-{k}.html" for k in range(d.get("links.broken_home", 0))]
    digits = "".join(c for c in sim.site_id if c.isdigit()).ljust(10, "0")
    icp = f"{prov}ICP备{int(digits[-6:]) + 5060000:08d}号"
    psb = f"{prov}公网安备 {digits[:6]}0200{digits[-4:]}号"
    channels = ["weibo", "wechat", "app"][: 3 - d.get("media.channels", 0)]
    v = variants.for_site(sim.site_id, sim.template, sim.variants)
    for slug, col in cols.items():  # the names this site gives its columns (synonyms)
        col.title = v.column_names.get(slug, col.title)
    c = SiteContent(sim, year, as_of, cols, broken, icp, psb, channels, d.get("accessibility.axe", 0), variants=v)
    c.sections = sections.build(c, rng_for(sim.site_id, year, "sections"))
    return c
