"""The 政府信息公开, 办事服务 and 互动交流 sections of a simulated site, with their planted defects."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from govweb.sim.content import Column, SiteContent, _items

KEY_AREAS = {  # slug: title — the required 重点领域 sub-columns (公共资源配置 and others)
    "gytd": "国有土地使用权出让", "zfcg": "政府采购", "gycq": "国有产权交易", "gcjs": "工程建设项目招标投标",
    "czyjs": "财政预决算", "zdxm": "重大建设项目", "hjbh": "环境保护", "spyp": "食品药品安全",
}
GUIDE_ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程")
SERVICES = ("企业投资项目备案", "社会团体成立登记", "建筑工程施工许可", "城镇职工基本养老保险关系转移",
            "最低生活保障审批", "公共场所卫生许可", "户外广告设置审批", "残疾人证办理", "医疗机构执业登记",
            "道路运输经营许可", "取水许可", "食品经营许可")
LETTER_TOPICS = ("小区供暖不达标", "道路积水严重", "学校周边交通拥堵", "噪音扰民", "公交线路调整建议",
                 "拖欠工资", "物业服务问题", "违章建筑", "医保报销咨询", "营业执照办理咨询")
DIRECT_REPLY = "经核查，相关部门已于近日完成整改，感谢您对我们工作的监督。"
INDIRECT_REPLIES = ("请您拨打12345政务服务便民热线咨询。", "此事不属于本单位职责，请向区相关部门反映。")
PAGE_SIZE = 10


@dataclass
class Guide:
    n: int
    title: str
    elements: dict[str, str]  # element -> text; missing elements are absent
    attachment: str
    attachment_broken: bool

    @property
    def path(self) -> str:
        return f"/bsfw/guide/{self.n}.html"


@dataclass
class Letter:
    n: int
    title: str
    asked: date
    status: str  # 已办结 | 处理中: the meaning; the board shows the site's own word (Variants.status_word)
    question: str
    replied: date | None = None
    reply: str = ""
    indirect: bool = False

    @property
    def pending(self) -> bool:
        return self.status == "处理中"

    @property
    def path(self) -> str:
        return f"/hdjl/letter/{self.n}.html"


@dataclass
class Sections:
    key_areas: dict[str, Column]  # present sub-columns only
    catalog_linked: bool
    annual_reports: list[int]  # years with a published report, newest first
    guides: list[Guide]
    platform_link: bool
    letters: list[Letter] = field(default_factory=list)  # newest first; empty when there is no channel
    channel: bool = True

    def board_page(self, page: int) -> list[Letter]:
        return self.letters[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]

    @property
    def board_pages(self) -> int:
        return max(1, -(-len(self.letters) // PAGE_SIZE))

    def oldest_unanswered_age(self, as_of: date) -> int:
        waiting = [(as_of - x.asked).days for x in self.letters if x.pending]
        return max(waiting, default=0)

    def median_latency(self) -> float:
        days = [(x.replied - x.asked).days for x in self.letters if x.replied]
        return float(median(days)) if days else 0.0


def _key_areas(c: SiteContent, rng: random.Random) -> dict[str, Column]:
    missing = c.defect("disclosure.key_areas", 0)
    present = list(KEY_AREAS)[missing:]
    offsite = set(present[: c.defect("disclosure.offsite_substitution", 0)])

    def name(slug: str) -> str:
        return c.variants.key_area_names.get(slug, KEY_AREAS[slug])

    out = {}
    for slug in present:
        if slug in offsite:
            out[slug] = Column(slug, name(slug), "key_area", [], offsite=f"http://ggzy.gov.test/{slug}/")
        else:
            newest = c.as_of - timedelta(days=rng.randint(3, 90))
            out[slug] = Column(slug, name(slug), "key_area", _items(rng, slug, rng.randint(6, 15), newest,
                                                                          c.place))
    return out


def _guides(c: SiteContent, rng: random.Random) -> list[Guide]:
    lacking = c.defect("services.guide_elements", 0)
    broken = c.defect("services.form_downloads", 0)
    guides = []
    for n, title in enumerate(SERVICES):
        drop = rng.randint(4, 6) if n < lacking else (1 if n == lacking and n < len(SERVICES) - 1 else 0)
        keep = GUIDE_ELEMENTS[: len(GUIDE_ELEMENTS) - drop] if drop else GUIDE_ELEMENTS
        elements = {e: _element_text(e, title, c) for e in keep}
        guides.append(Guide(n, title, elements, f"/bsfw/files/form_{n}.doc", n >= len(SERVICES) - broken))
    return guides


def _element_text(element: str, title: str, c: SiteContent) -> str:
    return {
        "事项名称": title, "设定依据": "《中华人民共和国行政许可法》及相关法规",
        "申请条件": "符合相关法律法规规定的申请人", "办理材料": "申请书、身份证明材料、相关证明文件",
        "办理地点": f"{c.place}政务服务中心", "办理时间": "工作日 9:00-12:00，13:30-17:00",
        "联系电话": "0" + c.sim.site_id[:3] + "-12345678", "办理流程": "申请—受理—审查—决定—送达",
    }[element]


def _letters(c: SiteContent, rng: random.Random) -> list[Letter]:
    latency = c.defect("interaction.reply_latency")
    backlog = c.defect("interaction.backlog")
    indirect = c.defect("interaction.indirect_reply", 0)
    total = rng.randint(40, 300)
    letters, asked = [], c.as_of - timedelta(days=rng.randint(0, 2))
    for n in range(total):
        title = f"关于{rng.choice(LETTER_TOPICS)}的问题"
        question = f"您好，我反映{title[2:-3]}，希望尽快处理。"
        days = latency + rng.randint(-3, 3) if latency else rng.randint(1, 9)
        replied = asked + timedelta(days=max(1, days))
        if replied > c.as_of:  # not yet answered on the evaluation date
            letters.append(Letter(n, title, asked, "处理中", question))
        else:
            letters.append(Letter(n, title, asked, "已办结", question, replied, DIRECT_REPLY))
        asked -= timedelta(days=rng.randint(0, 3))
    for i in range(indirect):  # the oldest answered letters got a reply that only redirects
        x = [x for x in letters if x.replied][-1 - i]
        x.reply, x.indirect = INDIRECT_REPLIES[i % 2], True
    if backlog:  # one valid letter left unanswered for `backlog` days
        x = letters[len(letters) // 2]
        x.asked, x.status, x.replied, x.reply = c.as_of - timedelta(days=backlog), "处理中", None, ""
        letters.sort(key=lambda y: (y.asked, y.n), reverse=True)
    return letters


def build(c: SiteContent, rng: random.Random) -> Sections:
    reports_lag = c.defect("disclosure.annual_report", 0)
    newest_report = c.year - 1 - reports_lag
    return Sections(
        key_areas=_key_areas(c, rng),
        catalog_linked=not c.defect("disclosure.catalog_linked"),
        annual_reports=list(range(newest_report, max(2008, newest_report - 6), -1)),
        guides=_guides(c, rng),
        platform_link=not c.defect("services.platform_link"),
        letters=[] if c.defect("interaction.channel") else _letters(c, rng),
        channel=not c.defect("interaction.channel"),
    )
