"""Identity & management checks read from the stored home page: 网站标识码, ICP and 公网安备 numbers,
the 党政机关 badge and the 我为政府网站找错 entry.

Real portals show these in the footer as text, inside links to the registries, as images with alt/title
text, or through the registries' scripts (`dzjgsc.js` filling `<span id="_ideConac">`, `jiucuo.js` in
`<script id="_jiucuo_" sitecode=…>`). Text is NFKC-normalised first, so full-width colons and digits match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from govweb.capture import Page
from govweb.checks.registry import SiteEvidence, Verdict, detector

SITE_CODE = re.compile(r"网站标识码\s*(?:[:]|为|是)?\s*([0-9A-Za-z]{10})(?![0-9A-Za-z])")
ICP = re.compile(r"([\u4e00-\u9fff])\s*ICP\s*[备证]\s*(\d{6,10})\s*号(?:\s*[-－—]\s*\d{1,3})?", re.I)
PSB = re.compile(r"([\u4e00-\u9fff])\s*公网安备\s*(\d{10,16})\s*号?")
RECORD_CODE = re.compile(r"^\d{10,16}$")
ERROR_REPORT_WORDS = ("我为政府网站找错", "网站纠错", "纠错")


def norm(text: str) -> str:
    """NFKC (full-width colons/digits to ASCII) with whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def home_keys(ev: SiteEvidence, page: Page | None = None) -> list[str]:
    """Evidence keys of a page: its stored HTML and screenshot."""
    page = page or ev.home
    return [k for k in (page.html_key, page.screenshot_key) if k]


def quote(text: str, limit: int = 40) -> str:
    text = norm(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Element:
    """One element of the home page that can carry an identity mark: tag, url (href/src), words, id."""

    tag: str
    url: str
    words: str
    id: str = ""
    code: str = ""  # an inline script's text (document.write(unescape("%3Cspan id='_ideConac'…")))


def footer_pages(ev: SiteEvidence) -> list[Page]:
    """The home page and the stored pages of its iframes (footers included as /footer.html frames)."""
    home = ev.home
    tree = ev.home_tree
    srcs = {urljoin(home.final_url or home.url, (f.attributes.get("src") or "").strip())
            for f in tree.css("iframe[src], frame[src]")}
    frames = [p for p in ev.capture.pages if p is not home and p.html_key and (p.url in srcs or p.final_url in srcs)]
    return [home, *frames]


def _elements_of(tree) -> list[Element]:
    out = []
    for node in tree.css("a, img, script, iframe, span, div, input, area"):
        attrs = node.attributes
        url = (attrs.get("href") or attrs.get("src") or "").strip()
        words = " ".join(v for v in (attrs.get("alt"), attrs.get("title"), attrs.get("value")) if v)
        if node.tag in ("a", "area"):
            words = f"{node.text(deep=True)} {words}"
        ident = (attrs.get("id") or "").strip()
        code = unquote(node.text()[:3000]) if node.tag == "script" and not url else ""
        if url or words.strip() or ident or code:
            out.append(Element(node.tag, url, norm(words), ident, code))
    return out


def elements(ev: SiteEvidence) -> list[Element]:
    """Links, images, scripts, iframes and id'd containers of the home page and its iframe pages."""
    key = ("identity.elements", ev.home.html_key)
    if key not in ev._cache:
        ev._cache[key] = [e for page in footer_pages(ev) for e in _elements_of(ev.tree(page))]
    return ev._cache[key]


def host_labels(url: str) -> list[str]:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return []
    return host.lower().split(".")


def identity_text(ev: SiteEvidence) -> str:
    """The home page's visible text plus alt/title texts and link texts (marks shown as images)."""
    parts = [ev.text(p) for p in footer_pages(ev)] + [e.words for e in elements(ev)]
    parts += [link.text for link in ev.home.links]
    return norm(" ".join(parts))


# -- 网站标识码 --------------------------------------------------------------------------------------

def site_codes(ev: SiteEvidence) -> list[tuple[str, str]]:
    """(code, where) found: footer text / alt-title, then the SiteIDCode meta (name in any case)."""
    found = [(m.group(1), "页面文字") for m in SITE_CODE.finditer(identity_text(ev))]
    meta = {k.lower(): v for k, v in ev.home.meta.items()}
    if "siteidcode" not in meta:
        for node in ev.home_tree.css("meta[name]"):
            if (node.attributes.get("name") or "").strip().lower() == "siteidcode":
                meta["siteidcode"] = node.attributes.get("content") or ""
    code = norm(meta.get("siteidcode", "")).replace(" ", "")
    if code:
        found.append((code, "SiteIDCode元数据"))
    seen, out = set(), []
    for code, where in found:
        if (code.upper(), where) not in seen:
            seen.add((code.upper(), where))
            out.append((code, where))
    return out


@detector("identity.site_code")
def site_code(ev: SiteEvidence) -> Verdict:
    """网站标识码 in the footer (text, image alt/title) or `<meta name="SiteIDCode">`; value the code shown
    (footer first). Compared with the inventory's code only when the inventory gives one."""
    keys = home_keys(ev)
    found = site_codes(ev)
    if not found:
        return Verdict.judged(False, "", "首页页脚和SiteIDCode元数据中均未发现网站标识码", keys)
    code, where = found[0]
    shown = "；".join(f"{c}（{w}）" for c, w in found)
    expected = ev.expected_site_code.strip()
    if not expected:
        return Verdict.judged(True, code, f"首页有网站标识码{code}（{where}）", keys)
    if any(c.upper() == expected.upper() for c, _ in found):
        match = next(c for c, _ in found if c.upper() == expected.upper())
        return Verdict.judged(True, match, f"网站标识码{match}与清单一致", keys)
    return Verdict.judged(False, code, f"首页网站标识码{shown}与清单中的{expected}不一致", keys)


# -- ICP / 公网安备 ----------------------------------------------------------------------------------

@detector("identity.icp")
def icp(ev: SiteEvidence) -> Verdict:
    """ICP备案号 with its province prefix (京ICP备05070218号, 浙ICP备05011620号-1), in the footer text or the
    text of a link to beian.miit.gov.cn; value the number as shown with whitespace removed."""
    keys = home_keys(ev)
    m = ICP.search(identity_text(ev))
    if not m:
        linked = [e for e in elements(ev) if "beian" in host_labels(e.url) and "miit" in host_labels(e.url)]
        extra = f"（有指向工信部备案系统的链接“{quote(linked[0].words)}”但无备案号）" if linked else ""
        return Verdict.judged(False, "", f"首页未发现ICP备案编号{extra}", keys)
    number = re.sub(r"\s+", "", m.group(0))
    return Verdict.judged(True, number, f"首页有ICP备案编号“{number}”", keys)


def _record_codes(ev: SiteEvidence) -> list[str]:
    """recordcode= of links to the 全国互联网安全管理服务平台 (beian.gov.cn)."""
    out = []
    for e in elements(ev):
        labels = host_labels(e.url)
        if "beian" in labels and "miit" not in labels:
            for value in parse_qs(urlsplit(e.url).query).get("recordcode", []):
                if RECORD_CODE.match(value.strip()):
                    out.append(value.strip())
    return out


@detector("identity.psb")
def psb(ev: SiteEvidence) -> Verdict:
    """公网安备 number (京公网安备 11010502030143号) in the footer text or link text, else the `recordcode=`
    of a link to beian.gov.cn; value the number as shown (whitespace runs collapsed to one space)."""
    keys = home_keys(ev)
    m = PSB.search(identity_text(ev))
    if m:
        number = m.group(0).strip()
        return Verdict.judged(True, number, f"首页有公网安备号“{number}”", keys)
    codes = _record_codes(ev)
    if codes:
        detail = f"首页有指向公安机关备案系统的链接，备案号{codes[0]}（链接参数recordcode）"
        return Verdict.judged(True, codes[0], detail, keys)
    return Verdict.judged(False, "", "首页未发现公网安备号", keys)


# -- 党政机关标识 / 我为政府网站找错 -------------------------------------------------------------------

def conac_marks(ev: SiteEvidence) -> list[str]:
    """Descriptions of the 党政机关 badge's traces: conac link, badge image, _ideConac container, script."""
    out = []
    for e in elements(ev):
        low = e.url.lower()
        if e.tag in ("a", "area") and "conac" in host_labels(e.url):
            out.append(f"链接{e.url}")
        elif e.tag == "img" and ("conac" in low or "党政机关" in e.words):
            out.append(f"标识图片{e.url or quote(e.words)}")
        elif e.id.lower() == "_ideconac":
            out.append("标识容器_ideConac")
        elif e.tag == "script" and ("conac" in low or "dzjgsc" in low):
            out.append(f"标识脚本{e.url}")
        elif e.tag == "script" and ("_ideConac" in e.code or "conac.cn" in e.code):
            out.append("写入标识的内嵌脚本（_ideConac）")
    return out


@detector("identity.conac_badge")
def conac_badge(ev: SiteEvidence) -> Verdict:
    """党政机关网站标识: a link to conac (bszs.conac.cn, any host with the label `conac`), the badge image
    (src with conac, alt/title 党政机关), the `_ideConac` container or the conac/dzjgsc script."""
    keys = home_keys(ev)
    marks = conac_marks(ev)
    if not marks:
        return Verdict.judged(False, False, "首页未发现党政机关网站标识", keys)
    return Verdict.judged(True, True, f"首页有党政机关网站标识：{'；'.join(dict.fromkeys(marks[:3]))}", keys)


def error_report_marks(ev: SiteEvidence) -> list[str]:
    out = []
    for e in elements(ev):
        low = e.url.lower()
        if e.tag in ("a", "area") and "zfwzzc" in host_labels(e.url):
            out.append(f"链接{e.url}")
        elif e.tag in ("img", "script") and ("jiucuo" in low or "zfwzzc" in low):
            out.append(f"{'图片' if e.tag == 'img' else '脚本'}{e.url}")
        elif "jiucuo" in e.id.lower():
            out.append(f"纠错容器{e.id}")
        elif e.tag == "script" and ("jiucuo.js" in e.code or "zfwzzc" in e.code):
            out.append("写入纠错入口的内嵌脚本（jiucuo.js）")
        elif e.tag in ("a", "area") and any(w in e.words for w in ERROR_REPORT_WORDS):
            out.append(f"链接“{quote(e.words)}”")
    return out


@detector("identity.error_report_entry")
def error_report_entry(ev: SiteEvidence) -> Verdict:
    """我为政府网站找错 entry: a link to zfwzzc.www.gov.cn (any host with the label `zfwzzc`), its image or
    script (jiucuo.js, `_jiucuo_`), or a link reading 我为政府网站找错 / 网站纠错 / 纠错."""
    keys = home_keys(ev)
    marks = error_report_marks(ev)
    if not marks:
        return Verdict.judged(False, False, "首页未发现“我为政府网站找错”入口", keys)
    return Verdict.judged(True, True, f"首页有“我为政府网站找错”入口：{'；'.join(dict.fromkeys(marks[:3]))}", keys)
