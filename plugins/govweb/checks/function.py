"""Function checks: site search (present, works), mobile adaptation, new-media channels, accessibility."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from govweb.checks.links import REASONS
from govweb.checks.registry import SiteEvidence, Verdict, detector
from govweb.parse.anchors import target
from govweb.parse.forms import search_forms

MOBILE_SITE = re.compile(r"""(?:https?:)?//(m|wap|mobile|sj|h5)\.[\w.-]+""", re.I)
CHANNEL_NAMES = {"weibo": "政务微博", "wechat": "微信公众号", "app": "移动客户端"}
MAX_WORD_TEXT = 16  # a channel's link or image text is short; longer texts are news titles
AXE_COUNTED = ("critical",)
AXE_LISTED = ("critical", "serious")
AXE_RULES = {"image-alt": "图片缺少替代文字", "color-contrast": "文字与背景颜色对比度不足",
             "link-name": "链接缺少可识别的文字", "button-name": "按钮缺少可识别的文字",
             "html-has-lang": "页面未声明语言", "html-lang-valid": "页面声明的语言无效",
             "document-title": "页面缺少标题", "label": "表单输入框缺少标签", "frame-title": "框架(iframe)缺少标题",
             "input-image-alt": "图片按钮缺少替代文字", "area-alt": "图片热区缺少替代文字",
             "select-name": "下拉框缺少标签", "aria-required-attr": "ARIA属性缺失",
             "meta-viewport": "页面禁止缩放", "object-alt": "嵌入对象缺少替代文字", "list": "列表结构不正确",
             "listitem": "列表项不在列表中", "duplicate-id-aria": "ARIA引用的ID重复"}
ACCESS_WORDS = ("无障碍", "适老化", "长者模式", "关怀版", "老年版", "读屏")


def _keys(*keys: str) -> list[str]:
    return [k for k in keys if k]


# -- search ----------------------------------------------------------------------------------------

@detector("search.present")
def search_present(ev: SiteEvidence) -> Verdict:
    """A site search on the home page: the search probe found a form or a script-driven box, else the
    stored home page holds a search form (told apart from login, comment and letter forms)."""
    probe = ev.capture.probes.search
    if probe.attempted and probe.how in ("form", "script"):
        how = "搜索表单" if probe.how == "form" else "脚本驱动的搜索框"
        where = f"（{probe.action}）" if probe.action else ""
        home = ev.capture.home
        return Verdict.judged(True, True, f"首页有站内搜索：{how}{where}", _keys(home.html_key if home else ""))
    home = ev.home
    forms = search_forms(ev.home_tree, home.final_url or home.url)
    if forms:
        f = forms[0]
        how = "搜索表单" if f.how == "form" else "脚本驱动的搜索框"
        return Verdict.judged(True, True, f"首页有站内搜索：{how}{'（' + f.action + '）' if f.action else ''}",
                              _keys(home.html_key))
    return Verdict.judged(False, False, "首页未发现站内搜索框", _keys(home.html_key, home.screenshot_key))


@detector("search.works")
def search_works(ev: SiteEvidence) -> Verdict:
    """The search probe's query (a known page's title) finds that page. Not applicable without a search;
    not measured when the probe did not run or failed before a result page."""
    probe = ev.capture.probes.search
    if not probe.attempted:
        return Verdict.not_measured("未进行站内搜索探测")
    if probe.how == "none":
        home = ev.capture.home
        if home is not None and home.html_key and search_forms(ev.tree(home), home.final_url or home.url):
            return Verdict.not_measured("首页有搜索框，但搜索探测未能使用")
        return Verdict.not_applicable("网站没有站内搜索，不检测搜索是否可用")
    has_result = bool(probe.result_key or probe.result_url) or probe.result_count is not None
    if probe.found_target is None or (probe.error and not has_result):
        return Verdict.not_measured(f"站内搜索探测未得到结果页：{probe.error or '未知原因'}"[:200],
                                    _keys(probe.result_key))
    count = "未知" if probe.result_count is None else f"{probe.result_count}条"
    if probe.found_target:
        return Verdict.judged(True, True, f"搜索“{probe.query}”返回{count}结果，包含目标页面{probe.target_url}",
                              _keys(probe.result_key))
    return Verdict.judged(False, False, f"搜索“{probe.query}”返回{count}结果，未包含目标页面{probe.target_url}",
                          _keys(probe.result_key))


# -- mobile ----------------------------------------------------------------------------------------

def _viewport(ev: SiteEvidence) -> str:
    if ev.capture.probes.mobile.viewport_meta:
        return ev.capture.probes.mobile.viewport_meta
    home = ev.capture.home
    meta = {k.lower(): v for k, v in (home.meta if home else {}).items()}
    return meta.get("viewport", "")


def mobile_site(ev: SiteEvidence) -> str:
    """The separate mobile site the home page sends phones to (m.xxx / wap.xxx), when it declares one:
    `<meta name="mobile-agent">`, `<link rel="alternate" media=…>` or a user-agent redirect script."""
    home = ev.capture.home
    if home is None or not home.html_key:
        return ""
    meta = {k.lower(): v for k, v in home.meta.items()}
    for value in (meta.get("mobile-agent", ""), meta.get("applicable-device", "")):
        if m := MOBILE_SITE.search(value):
            return m.group(0)
    tree = ev.tree(home)
    for link in tree.css("link[rel=alternate][media]"):
        if m := MOBILE_SITE.search(link.attributes.get("href") or ""):
            return m.group(0)
    for script in tree.css("script"):
        code = script.text()
        redirects = re.search(r"userAgent|mobile|iPhone|Android", code, re.I) and "location" in code
        if redirects and (m := MOBILE_SITE.search(code)):
            return m.group(0)
    return ""


@detector("mobile.adapted")
def mobile_adapted(ev: SiteEvidence) -> Verdict:
    """At 375 px: a viewport meta with width=device-width (or initial-scale) and no horizontal overflow
    beyond `max_overflow_px`; a home page that sends phones to a separate mobile site (m.xxx) counts when
    the probe shows no overflow."""
    probe = ev.capture.probes.mobile
    if not probe.attempted:
        return Verdict.not_measured("未进行移动端访问探测")
    overflow = probe.overflow_px
    if overflow is None and probe.scroll_width is not None:
        overflow = max(0, probe.scroll_width - probe.width)
    if overflow is None:
        return Verdict.not_measured(f"移动端探测未得到页面宽度：{probe.error or '未知原因'}"[:200])
    limit = int(ev.threshold("mobile.adapted", "max_overflow_px"))
    viewport = _viewport(ev).replace(" ", "").lower()
    # width=1200,initial-scale=0.3 only zooms a desktop layout out: not an adaptation
    has_viewport = "width=device-width" in viewport or ("initial-scale" in viewport
                                                        and not re.search(r"(?<![-\w])width=\d", viewport))
    keys = _keys(probe.screenshot_key)
    fits = overflow <= limit
    width = f"{probe.width}像素宽度下页面横向溢出{overflow}像素"
    if has_viewport and fits:
        return Verdict.judged(True, True, f"首页声明viewport（{_viewport(ev)}），{width}", keys)
    site = mobile_site(ev)
    if site and fits:
        return Verdict.judged(True, True, f"手机访问转到独立移动站点{site}，{width}", keys)
    problems = ([] if has_viewport else ["首页未声明适配手机的viewport"]) + \
               ([] if fits else [f"{width}（限值{limit}像素）"])
    return Verdict.judged(False, False, "；".join(problems), keys)


# -- new media -------------------------------------------------------------------------------------

def _host_matches(url: str, hosts: list[str]) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in hosts)


def channels_found(ev: SiteEvidence) -> dict[str, str]:
    """channel key -> what showed it (link host, link text, image alt/title)."""
    spec = ev.dictionary("media_channels")
    found: dict[str, str] = {}
    nodes = ev.home_tree.css("a, img, area, input[type=image]")
    for key in ("weibo", "wechat", "app"):
        words, hosts = spec[key].get("words", []), spec[key].get("hosts", [])
        for node in nodes:
            attrs = node.attributes
            href = target(node) if node.tag == "a" else attrs.get("href") or ""
            texts = [attrs.get("alt") or "", attrs.get("title") or ""]
            if node.tag in ("a", "area"):
                texts.append(" ".join(node.text(deep=True).split()))
            if href and _host_matches(href, hosts):
                found[key] = f"链接{href}"
                break
            hit = next((t for t in texts if t and len(t) <= MAX_WORD_TEXT and any(w in t for w in words)), "")
            if hit:
                found[key] = f"“{hit}”"
                break
    return found


@detector("media.channels")
def media_channels(ev: SiteEvidence) -> Verdict:
    """政务微博 / 微信公众号 / 移动客户端 shown on the home page (dictionary `media_channels`: words in short
    link texts, image alt/title; link hosts); value the present channels as `weibo;wechat;app` (that
    order); fail when any is missing."""
    found = channels_found(ev)
    present = [k for k in ("weibo", "wechat", "app") if k in found]
    missing = [CHANNEL_NAMES[k] for k in ("weibo", "wechat", "app") if k not in found]
    shown = "；".join(f"{CHANNEL_NAMES[k]}（{found[k]}）" for k in present)
    keys = _keys(ev.home.html_key)
    if not missing:
        return Verdict.judged(True, ";".join(present), f"首页有全部政务新媒体渠道：{shown}", keys)
    detail = f"首页未发现{'、'.join(missing)}" + (f"；已有{shown}" if shown else "")
    return Verdict.judged(False, ";".join(present), detail, keys)


# -- accessibility ---------------------------------------------------------------------------------

def _access_entry(ev: SiteEvidence) -> bool:
    if ev.capture.probes.axe.entry_found:
        return True
    home = ev.capture.home
    return home is not None and any(w in link.text for link in home.links for w in ACCESS_WORDS)


@detector("accessibility.axe")
def axe(ev: SiteEvidence) -> Verdict:
    """axe-core on the home page.

    Value: the number of elements (nodes) affected by violations of impact `critical` — image-alt (an
    image without a text alternative; counted whatever impact it reports), unlabelled form controls and
    buttons, image buttons and map areas without alt. These shut screen-reader users out of content, so
    each affected element is one defect. `serious` findings (color-contrast, html-has-lang, frame-title …)
    are named in the detail but not counted: nearly every portal has some, and with `max_violations` 0
    counting them would fail every site and tell none apart. Fail when the value exceeds `max_violations`.
    The detail names the worst rules in Chinese and whether a 无障碍/适老化 entry exists."""
    probe = ev.capture.probes.axe
    if not probe.attempted:
        return Verdict.not_measured("未进行无障碍(axe)检测")
    if probe.error and not probe.violations:
        word = REASONS.get(probe.error.split(":", 1)[0], "")
        return Verdict.not_measured(f"无障碍检测未完成：{word + '，' if word else ''}{probe.error}"[:200])
    counted = [v for v in probe.violations if v.impact in AXE_COUNTED or v.id == "image-alt"]
    serious = [v for v in probe.violations if v.impact in AXE_LISTED and v not in counted]
    value = sum(max(v.nodes, 1) for v in counted)
    limit = int(ev.threshold("accessibility.axe", "max_violations"))
    entry = "首页有无障碍/适老化入口" if _access_entry(ev) else "首页未发现无障碍/适老化入口"
    home = ev.capture.home
    keys = _keys(home.html_key if home else "", home.screenshot_key if home else "")
    also = f"；另有{len(serious)}类较严重问题：{_rules(serious, 3)}" if serious else ""
    if not counted:
        return Verdict.judged(value <= limit, value, f"首页未发现致命的无障碍问题{also}；{entry}", keys)
    detail = f"首页有{value}处致命的无障碍问题：{_rules(counted, 5)}{also}；{entry}"
    return Verdict.judged(value <= limit, value, detail, keys)


def _rules(violations, limit: int) -> str:
    worst = sorted(violations, key=lambda v: (v.impact != "critical", -v.nodes, v.id))
    return "、".join(f"{v.id}（{AXE_RULES.get(v.id, v.help or '无障碍问题')}，{v.nodes}处）" for v in worst[:limit])
