"""办事服务 detectors: the link to the 政务服务 platform, the 8 elements of the sampled 办事指南, their forms.

Sites without guide pages of their own: since the 2018 integration most county/city portals hand their
services over to the provincial 政务服务网. No guide captured and a platform link present -> the guide checks
are not applicable (the platform, not this site, publishes the guides); no guide and no platform link -> not
measured (the crawl may have missed them; services.platform_link already fails such a site).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from govweb.capture import Capture, Guide, Link, LinkCheck
from govweb.checks._dates import short
from govweb.checks.columns import list_pages, unique_columns
from govweb.checks.links import reason
from govweb.checks.registry import SiteEvidence, Verdict, detector

LABEL_CELLS = "th, td, dt, dd, strong, b, label, span, h3, h4, h5"
LABEL_PUNCT = re.compile(r"[\s：:【】\[\]（）()]+")
TITLE_SUFFIX = re.compile(r"\s*(?:[-－_|｜—]+)\s*[^-－_|｜—]*$")  # "… - 某某市人民政府" after a page title
UNCHECKED = ("budget", "skipped", "robots", "not_checked")  # attachment link checks the crawl did not make


# -- services.platform_link ------------------------------------------------------------------------------------

def _platform_match(link: Link, texts: list[str], hosts: list[str]) -> bool:
    host = (urlsplit(link.href).hostname or "").lower()
    if any(h.lower() in host for h in hosts):
        return True
    # by text only when the link leaves the site: an internal "政务服务" nav entry is the site's own section
    return not link.internal and any(t in link.text for t in texts)


def platform_links(ev: SiteEvidence) -> list[Link]:
    """Links to the 政务服务 platform: the crawler's, else home/services-page links matching platform_words."""
    cap = ev.capture
    if cap.platform_links:
        return list(cap.platform_links)
    words = ev.dictionary("platform_words") or {}
    texts, hosts = list(words.get("texts") or []), list(words.get("hosts") or [])
    pages = [cap.home] if cap.home else []
    pages += [p for col in unique_columns(cap, ("services",)) for p in list_pages(cap, col)]
    return [x for p in pages for x in p.links if _platform_match(x, texts, hosts)]


@detector("services.platform_link")
def platform_link(ev: SiteEvidence) -> Verdict:
    """A link to the 政务服务 platform on the home page or the services section (crawler's platform_links, or a
    link whose host or, for external links, text matches dictionary platform_words)."""
    keys = [ev.home.html_key]
    found = platform_links(ev)
    if not found:
        return Verdict.judged(False, False, "首页及办事服务栏目未发现政务服务平台链接", keys)
    first = found[0]
    return Verdict.judged(True, True, f"发现政务服务平台链接：{short(first.text or '（无文字）', 20)}（{first.href}）",
                          keys)


# -- guides ----------------------------------------------------------------------------------------------------

def guide_name(g: Guide) -> str:
    """The guide's name without the site name page titles append (办事指南 - 某某区人民政府)."""
    title = " ".join((g.title or "").split())
    name = TITLE_SUFFIX.sub("", title) if TITLE_SUFFIX.search(title) else title
    return short(name or title, 24) if (name or title) else g.url


def _no_guides(ev: SiteEvidence) -> Verdict:
    if platform_links(ev):
        return Verdict.not_applicable("本网站未发布办事指南页面，办事服务由政务服务平台提供")
    return Verdict.not_measured("未采集到办事指南页面")


def _loaded_guides(cap: Capture) -> list[Guide]:
    """Guides whose page did not fail (a failed guide page is a broken link, not a guide lacking elements)."""
    out = []
    for g in cap.guides:
        page = cap.page(g.url)
        if page is None or (page.status is not None and page.status < 400):
            out.append(g)
    return out


def canonical_label(label: str, elements: dict[str, list[str]]) -> str:
    """The canonical element a label names: exact canonical or synonym first, then the longest synonym the
    label contains ("" when none)."""
    label = LABEL_PUNCT.sub("", label or "")
    for canonical, synonyms in elements.items():
        if label == canonical or label in (synonyms or []):
            return canonical
    best, size = "", 0
    for canonical, synonyms in elements.items():
        for word in [canonical, *(synonyms or [])]:
            if len(word) > size and word in label and len(label) <= len(word) + 6:
                best, size = canonical, len(word)
    return best


def _labels_from_page(ev: SiteEvidence, guide: Guide, elements: dict[str, list[str]]) -> set[str]:
    """Fallback when the crawler stored no labels: label cells of the stored guide page."""
    page = ev.capture.page(guide.url)
    if page is None or not page.html_key:
        return set()
    found = set()
    for node in ev.tree(page).css(LABEL_CELLS):
        text = node.text(deep=True).strip()
        if 0 < len(text) <= 16:
            name = canonical_label(text, elements)
            if name:
                found.add(name)
    return found


def guide_elements_present(ev: SiteEvidence, guide: Guide, elements: dict[str, list[str]]) -> set[str]:
    have = {name for label in guide.labels if (name := canonical_label(label, elements))}
    return have or _labels_from_page(ev, guide, elements)


@detector("services.guide_elements")
def guide_elements(ev: SiteEvidence) -> Verdict:
    """Number of sampled 办事指南 lacking at least min_missing of the 8 required elements (labels matched with
    their synonyms, dictionary guide_elements). See the module note for sites without guides."""
    cap = ev.capture
    need = int(ev.threshold("services.guide_elements", "min_missing"))
    elements: dict[str, list[str]] = ev.dictionary("guide_elements")
    guides = _loaded_guides(cap)
    if not guides:
        return _no_guides(ev)
    lacking: list[tuple[Guide, list[str]]] = []
    for g in guides:
        have = guide_elements_present(ev, g, elements)
        missing = [e for e in elements if e not in have]
        if len(missing) >= need:
            lacking.append((g, missing))
    keys = [p.html_key for g, _ in lacking if (p := cap.page(g.url)) is not None and p.html_key]
    if not lacking:
        return Verdict.judged(True, 0, f"抽查{len(guides)}个办事指南，要素均基本齐全（缺少少于{need}项）", keys)
    listed = "；".join(f"{guide_name(g)}缺少{len(m)}项（{'、'.join(m)}）" for g, m in lacking)
    return Verdict.judged(False, len(lacking),
                          f"抽查{len(guides)}个办事指南，{len(lacking)}个缺少{need}项及以上要素：{listed}", keys)


# -- services.form_downloads -----------------------------------------------------------------------------------

def _why(att: LinkCheck) -> str:
    """A failed download's status or error, a soft 404 said as one (200 from the site's error page)."""
    return reason(att) if att.error == "soft_404" else str(att.status or att.error or "无响应")


def _broken(att: LinkCheck) -> bool:
    return att.broken and att.error not in UNCHECKED


@detector("services.form_downloads")
def form_downloads(ev: SiteEvidence) -> Verdict:
    """Number of the sampled guides' downloadable forms (attachments) that failed to download (deduplicated by
    url). Not applicable when the guides offer no attachment at all."""
    cap = ev.capture
    guides = _loaded_guides(cap)
    if not guides:
        return _no_guides(ev)
    atts = list({a.url: a for g in guides for a in g.attachments}.values())
    if not atts:
        return Verdict.not_applicable(f"抽查的{len(guides)}个办事指南均未提供表格下载")
    broken = [a for a in atts if _broken(a)]
    unchecked = sum(1 for a in atts if a.broken and not _broken(a))
    note = f"（另有{unchecked}个附件未检测）" if unchecked else ""
    keys = list(dict.fromkeys(p.html_key for g in guides for a in g.attachments if a in broken
                              and (p := cap.page(g.url)) is not None and p.html_key))
    if not broken:
        return Verdict.judged(True, 0, f"检查{len(atts)}个表格附件，均可下载{note}", keys)
    listed = "；".join(f"{short(a.text or a.url, 24)}（{_why(a)}）" for a in broken)
    return Verdict.judged(False, len(broken), f"{len(broken)}个表格附件无法下载：{listed}{note}", keys)
