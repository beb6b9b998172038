"""Deterministic content of a simulated site for one year (seeded by site id and year)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from govweb.sim.world import SimSite

COLUMNS = {  # slug: (title, items on the column page)
    "ywdt": ("要闻动态", 24),
    "tzgg": ("通知公告", 18),
    "zcwj": ("政策文件", 12),
    "zcjd": ("政策解读", 10),
}
HOME_LISTS = (("ywdt", 8), ("tzgg", 6))
TOPICS = ("营商环境", "乡村振兴", "生态环境保护", "安全生产", "民生实事", "放管服改革", "就业创业",
          "教育发展", "医疗卫生", "防汛抗旱", "脱贫攻坚", "招商引资", "城市更新", "交通建设")
ACTIONS = ("召开专题会议研究部署", "印发实施方案推进", "开展督查调研", "举行新闻发布会介绍",
           "出台若干措施支持", "召开常务会议审议", "部署开展专项行动", "公开征求意见")
ICP_PREFIX = {"11": "京", "31": "沪", "51": "蜀", "22": "吉", "37": "鲁", "43": "湘", "44": "粤",
              "32": "苏", "35": "闽", "42": "鄂", "45": "桂", "36": "赣", "52": "黔", "34": "皖",
              "33": "浙", "46": "琼"}
DATE_FORMATS = {"classic": "iso", "modern": "bracket", "portal": "chinese"}


@dataclass(frozen=True)
class Item:
    column: str
    n: int
    title: str
    date: date

    @property
    def path(self) -> str:
        return f"/art/{self.column}/{self.n}.html"


@dataclass(frozen=True)
class SiteContent:
    sim: SimSite
    year: int
    as_of: date
    columns: dict[str, list[Item]]
    broken_paths: tuple[str, ...]
    icp: str
    newest_home_age: int

    @property
    def site_code(self) -> str:
        return self.sim.site_id

    def item(self, column: str, n: int) -> Item | None:
        items = self.columns.get(column) or []
        return items[n] if 0 <= n < len(items) else None

    def home_lists(self) -> list[tuple[str, str, list[Item]]]:
        return [(slug, COLUMNS[slug][0], self.columns[slug][:k]) for slug, k in HOME_LISTS]

    def search(self, query: str) -> list[Item]:
        q = query.strip()
        if not q:
            return []
        return [it for items in self.columns.values() for it in items if q in it.title]


def fmt_date(d: date, template: str) -> str:
    style = DATE_FORMATS[template]
    if style == "bracket":
        return f"[{d.isoformat()}]"
    if style == "chinese":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def _rng(*parts) -> random.Random:
    seed = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def _items(rng: random.Random, column: str, count: int, newest: date, place: str) -> list[Item]:
    out, d = [], newest
    for n in range(count):
        title = f"{place}{rng.choice(ACTIONS)}{rng.choice(TOPICS)}工作"
        out.append(Item(column, n, title, d))
        d -= timedelta(days=rng.randint(1, 4))
    return out


@lru_cache(maxsize=4096)
def generate(sim: SimSite, year: int, as_of: date) -> SiteContent:
    rng = _rng(sim.site_id, year)
    stale = sim.defects.get("freshness.homepage")
    news_age = stale if stale is not None else rng.randint(0, 5)
    # A stale site's notices are older still, so nothing on its home page is newer than `stale`.
    notice_age = news_age + rng.randint(0, 10) if stale is not None else rng.randint(3, 20)
    place = sim.site.name.replace("人民政府", "")
    columns = {
        "ywdt": _items(rng, "ywdt", COLUMNS["ywdt"][1], as_of - timedelta(days=news_age), place),
        "tzgg": _items(rng, "tzgg", COLUMNS["tzgg"][1], as_of - timedelta(days=notice_age), place),
        "zcwj": _items(rng, "zcwj", COLUMNS["zcwj"][1], as_of - timedelta(days=rng.randint(5, 60)), place),
        "zcjd": _items(rng, "zcjd", COLUMNS["zcjd"][1], as_of - timedelta(days=rng.randint(5, 60)), place),
    }
    broken = tuple(f"/zt/{year - 3}/special-{k}.html" for k in range(sim.defects.get("links.broken_home", 0)))
    icp = f"{ICP_PREFIX.get(sim.site_id[:2], '京')}ICP备{int(sim.site_id[-6:]) + 5060000:08d}号"
    return SiteContent(sim, year, as_of, columns, broken, icp, min(news_age, notice_age))
