"""How a simulated site writes what it serves: column names, list markup, pagination, date styles,
search box, board and guide layouts, a clock on the home page. Real portals differ in exactly these ways
(TRS WCM, 集约化平台, Hanweb, DedeCMS-like templates); the crawler and the detectors must meet every one of them.

A site's variants are drawn from its own seed (site id, template), independently of its content and
defects, so they never change what the ground truth says; a profile can pin any of them with
``variants: {key: value}`` (see VARIANT_KEYS). Pages show the variant; truth keeps the meaning
(a letter is answered or pending whatever word the board uses for it).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, fields, replace

# Column names as portals write them, per simulated column (all exact entries of the synonyms
# dictionary include/checks/dictionaries/column_synonyms.yaml, in the column's own category).
COLUMN_NAMES = {
    "ywdt": ("要闻动态", "工作动态", "政务要闻"), "bmdt": ("部门动态", "部门信息", "政务动态"),
    "tzgg": ("通知公告", "通知通告", "公告通知"), "gsgg": ("公示公告", "公告公示", "公示"),
    "zcwj": ("政策文件", "政策法规", "文件发布"), "zcjd": ("政策解读", "解读回应", "文件解读"),
    "ghjh": ("规划计划", "发展规划", "规划信息"), "rsxx": ("人事信息", "人事任免"), "tjxx": ("统计信息", "统计数据"),
}
# The navigation entries of the three sections (category disclosure, services, interaction).
SECTION_NAMES = {
    "xxgk": ("政府信息公开", "政务公开", "信息公开"),
    "bsfw": ("办事服务", "网上办事", "政务服务"),
    "hdjl": ("互动交流", "政民互动", "咨询投诉"),
}
BOARD_NAMES = ("领导信箱", "市长信箱", "咨询投诉", "政民互动")
# Key-area sub-columns: slug -> names (exact entries of dictionaries/key_areas.yaml, own area only).
KEY_AREA_NAMES = {
    "gytd": ("国有土地使用权出让", "土地使用权出让", "国有建设用地使用权出让"),
    "zfcg": ("政府采购", "政府采购信息", "采购信息"), "gycq": ("国有产权交易", "产权交易", "国有资产交易"),
    "gcjs": ("工程建设项目招标投标", "工程建设招标投标", "招标投标"),
    "czyjs": ("财政预决算", "预决算公开", "部门预决算"), "zdxm": ("重大建设项目", "重大项目"),
    "hjbh": ("环境保护", "生态环境", "环境信息"), "spyp": ("食品药品安全", "食品安全"),
}
# Guide element labels (canonical element -> labels; exact entries of dictionaries/guide_elements.yaml).
GUIDE_LABELS = {
    "事项名称": ("事项名称", "办理事项", "服务事项"), "设定依据": ("设定依据", "办理依据", "法律依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件"), "办理材料": ("办理材料", "申请材料", "所需材料"),
    "办理地点": ("办理地点", "受理地点", "办公地点"), "办理时间": ("办理时间", "受理时间", "办公时间"),
    "联系电话": ("联系电话", "咨询电话", "联系方式"), "办理流程": ("办理流程", "办事流程", "办理程序"),
}
ANSWERED_WORDS = ("已办结", "已回复", "已答复")
PENDING_WORDS = ("处理中", "待处理", "已受理", "正在办理")

LIST_LAYOUTS = ("template", "div", "ul-em", "ul-span")  # "template": the template's own list markup
PAGERS = ("links", "trs", "query", "trs-inline", "form", "script", "ajax")  # index_N.html + 下一页/尾页
# | createPageHTML script | ?page=N
# | the older inline TRS pager (var currentPage/countPage, document.write of "index"+"_"+nextPage+".html")
# | a form submitted by goPage(n) (its fields as a GET: ?page=N&channelId=…)
# | "script": the list is built by script from the site's JSON API and paged in place by a script pager
#   (下一页 with no address, as layui's laypage writes it): only a browser that clicks it sees page 2
# | "ajax": the same, with the first page's items served in the page (its pager box filled by the script)
TEMPLATE_PAGERS = {"classic": ("links",), "modern": ("query", "links"), "portal": ("trs", "links"), "wcm": ("trs",)}
DATE_STYLES = ("template", "dotted")  # dotted: 2018.09.04 on every date the site shows
BOARD_LAYOUTS = ("table", "ul", "div")
BOARD_PAGERS = ("slash", "total", "fraction")  # 第 1 页 / 共 5 页 | [首页] [下一页] [尾页] 页次：1/5页 (ASP) | 第1/5页
GUIDE_LAYOUTS = ("table", "dl", "p")
SEARCHES = ("form", "script")
# how a home block's 更多 link reads ("template": the template's own); "更&nbsp;多" is the old spaced word
MORE_TEXTS = ("template", "+更多", "[更多]", "【更多】", "&gt;&gt;更多", "更多...", "更&nbsp;多", "更多信息")
# how a list item's link is written: a plain href | href="javascript:void(0)" onclick="window.open('…')" |
# href="javascript:openWin('…')" (a helper of the page's own) | the row is clickable (<li onclick="window.open('…')">)
# around a placeholder link (href="javascript:void(0)")
# | helper_id, with the helper in the site's script file /js/common.js rather than in the page ("helper_file")
ITEM_LINKS = ("href", "onclick", "javascript", "row", "helper_id", "helper_file")
COLUMN_MOVES = ("", "meta", "script")
# how a missing page is answered: 404 | 302 to /404.html, an error page answered 200 | that error page, 200, in place
SOFT_404S = ("", "redirect", "inplace")
YEARLESS_TEMPLATE = "modern"  # the one template whose home blocks may show 09-04 without a year
YEARLESS_MAX_AGE = 300  # year-less dates only when every home item is this recent (no ambiguity)


@dataclass(frozen=True)
class Variants:
    column_names: dict = field(default_factory=dict)  # slug -> shown name
    section_names: dict = field(default_factory=dict)  # xxgk/bsfw/hdjl -> shown name
    board_name: str = "领导信箱"
    key_area_names: dict = field(default_factory=dict)
    guide_labels: dict = field(default_factory=dict)  # canonical element -> shown label
    list_layout: str = "template"
    pager: str = "links"
    page_size: int = 20
    date_style: str = "template"
    home_yearless: bool = False
    plan_month_only: bool = False
    pubdate_meta: bool = False
    search: str = "form"
    login_form: bool = False
    answered_word: str = "已办结"
    pending_word: str = "处理中"
    board_layout: str = "table"
    board_pager: str = "slash"
    guide_layout: str = "table"
    clock: bool = False  # the home page's "今天是…" line, rewritten by a timer every second
    home_tabs: bool = False  # the home lists in one tab box (选项卡); their columns left out of the main menu
    more_text: str = "template"  # the label of the home blocks' 更多 links (MORE_TEXTS; markup, not escaped)
    column_frames: bool = False  # with the ?page=N pager: a column page shows its list in an iframe (list.html)
    item_links: str = "href"  # how list items link to their pages (ITEM_LINKS): opened by script or not
    home_frameset: bool = False  # "/" is a frame shell (<frameset>) whose main frame, /main.html, is the home page
    soft_404: str = ""  # a missing page answered with 200 (SOFT_404S): planted broken links are soft 404s there
    article_script: bool = False  # an article page holds no text: its script fetches the article and writes it in
    column_moves: str = ""  # a column's address answers with a page that moves the browser on to its index.html
    # (COLUMN_MOVES: a meta refresh, or a bare page whose script sets location.href), as TRS menus point at them

    def status_word(self, pending: bool) -> str:
        return self.pending_word if pending else self.answered_word


VARIANT_KEYS = tuple(f.name for f in fields(Variants))
CHOICES = {"list_layout": LIST_LAYOUTS, "pager": PAGERS, "date_style": DATE_STYLES, "search": SEARCHES,
           "answered_word": ANSWERED_WORDS, "pending_word": PENDING_WORDS, "board_layout": BOARD_LAYOUTS,
           "board_pager": BOARD_PAGERS, "guide_layout": GUIDE_LAYOUTS, "more_text": MORE_TEXTS,
           "item_links": ITEM_LINKS, "soft_404": SOFT_404S, "column_moves": COLUMN_MOVES}
PLAIN = {  # the markup of the original simulated web: what `variants: plain` pins
    "column_names": {}, "section_names": {}, "key_area_names": {}, "guide_labels": {}, "list_layout": "template",
    "pager": "links", "page_size": 1000, "date_style": "template", "home_yearless": False, "plan_month_only": False,
    "pubdate_meta": False, "search": "form", "login_form": False, "answered_word": "已办结", "pending_word": "处理中",
    "board_layout": "table", "board_pager": "slash", "guide_layout": "table", "board_name": "领导信箱",
    "clock": False, "home_tabs": False, "more_text": "template", "column_frames": False, "item_links": "href",
    "home_frameset": False, "soft_404": "", "article_script": False, "column_moves": "",
}


def _rng(*parts) -> random.Random:
    seed = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def _pick(rng: random.Random, names: dict) -> dict:
    return {k: (v[0] if rng.random() < 0.5 else rng.choice(v)) for k, v in names.items()}


def seeded(site_id: str, template: str) -> Variants:
    """A site's variants from its own seed: about half of the sites keep the canonical names."""
    rng = _rng("variants", site_id, template)
    v = Variants(
        column_names=_pick(rng, COLUMN_NAMES), section_names=_pick(rng, SECTION_NAMES),
        board_name=rng.choice(BOARD_NAMES), key_area_names=_pick(rng, KEY_AREA_NAMES),
        guide_labels=_pick(rng, GUIDE_LABELS),
        list_layout=rng.choices(LIST_LAYOUTS, weights=(5, 2, 1, 1))[0],
        pager=rng.choice(TEMPLATE_PAGERS[template]), page_size=rng.randint(15, 20),
        date_style=rng.choices(DATE_STYLES, weights=(4, 1))[0],
        home_yearless=template == YEARLESS_TEMPLATE and rng.random() < 0.5,
        plan_month_only=rng.random() < 0.5, pubdate_meta=rng.random() < 0.5,
        search=rng.choices(SEARCHES, weights=(4, 1))[0], login_form=rng.random() < 0.2,
        answered_word=rng.choice(ANSWERED_WORDS), pending_word=rng.choice(PENDING_WORDS),
        board_layout=rng.choices(BOARD_LAYOUTS, weights=(3, 1, 1))[0], board_pager=rng.choice(BOARD_PAGERS),
        guide_layout=rng.choice(GUIDE_LAYOUTS),
        clock=rng.random() < 0.3,  # drawn after the ones above: they stay what they were before it
        home_tabs=rng.random() < 0.25,  # drawn after the ones above, likewise
        more_text=rng.choices(MORE_TEXTS, weights=(6, 1, 1, 1, 1, 1, 1, 1))[0],  # likewise
    )
    if v.pager == "trs" and rng.random() < 0.4:  # drawn last, likewise: about 4 in 10 TRS sites
        v = replace(v, pager="trs-inline")
    if v.pager == "query" and rng.random() < 0.5:  # likewise: half the sites paging with ?page=N
        v = replace(v, column_frames=True)
    links = rng.random()  # drawn last, likewise: 1 site in 10 opens its list items by script, 1 in 20 by a helper,
    if links < 0.2:  # 1 in 20 makes the whole row clickable
        v = replace(v, item_links="onclick" if links < 0.1 else "javascript" if links < 0.15 else "row")
    if rng.random() < 0.03:  # drawn last, likewise: about 3 sites in 100 answer with a frameset
        v = replace(v, home_frameset=True)
    if v.pager == "query" and not v.column_frames and rng.random() < 0.4:  # drawn last, likewise: a form pager
        v = replace(v, pager="form")
    if v.item_links == "javascript" and rng.random() < 0.5:  # drawn last, likewise: half the helper sites pass
        v = replace(v, item_links="helper_id")  # an id to a helper that builds the address
    soft = rng.random()  # drawn last, likewise: 1 site in 25 redirects a missing page, 1 in 50 answers it in place
    if soft < 0.06:
        v = replace(v, soft_404="redirect" if soft < 0.04 else "inplace")
    if v.pager in ("links", "query") and not v.column_frames and rng.random() < 0.04:  # drawn last, likewise: a
        v = replace(v, pager="script")  # site whose lists and pagers are scripts over its JSON API
    if v.pager == "script" and rng.random() < 0.5:  # drawn last, likewise: half of them serve the first page
        v = replace(v, pager="ajax")
    if v.item_links == "helper_id" and rng.random() < 0.5:  # drawn last, likewise: half the id-passing sites
        v = replace(v, item_links="helper_file")  # keep the helper in a script file of the site
    if rng.random() < 0.02:  # drawn last, likewise: 2 sites in 100 write their articles in by script
        v = replace(v, article_script=True)
    moves = rng.random()  # drawn last, likewise: 1 site in 20 paging by file points its columns at a moving page
    if moves < 0.05 and v.pager in ("links", "trs", "trs-inline") and not v.column_frames:
        v = replace(v, column_moves="meta" if moves < 0.025 else "script")
    return v


def check(pinned: dict | str | None, source: str) -> dict:
    """A profile's `variants` value, validated: a mapping of VARIANT_KEYS, or "plain"."""
    if pinned in (None, {}):
        return {}
    if pinned == "plain":
        return dict(PLAIN)
    if not isinstance(pinned, dict):
        raise ValueError(f"{source}: variants must be a mapping or 'plain', got {pinned!r}")
    unknown = sorted(set(pinned) - set(VARIANT_KEYS) - {"plain"})
    if unknown:
        raise ValueError(f"{source}: unknown variant key(s) {unknown}; use {', '.join(VARIANT_KEYS)}")
    for key, allowed in CHOICES.items():
        if key in pinned and pinned[key] not in allowed:
            raise ValueError(f"{source}: variant {key} must be one of {', '.join(allowed)}, got {pinned[key]!r}")
    if pinned.get("column_frames") and pinned.get("pager") != "query":
        raise ValueError(f"{source}: variant column_frames pages the framed list with ?page=N; "
                         f"pin pager: query beside it (got pager {pinned.get('pager')!r})")
    out = dict(PLAIN) if pinned.get("plain") else {}
    return {**out, **{k: v for k, v in pinned.items() if k != "plain"}}


def for_site(site_id: str, template: str, pinned: dict) -> Variants:
    v = replace(seeded(site_id, template), **pinned)
    if v.column_frames and v.pager != "query" and "column_frames" not in pinned:
        v = replace(v, column_frames=False)  # drawn for the seed's own ?page=N pager, which a pin replaced
    return v
