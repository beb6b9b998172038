"""Broken links, from the capture's link checks recorded at crawl time (home page and sampled inner pages).

A link counts as broken when it answered with a status >= 400 or did not answer (timeout, DNS, refused,
TLS error), or answered as the site answers a page it does not have (a soft 404: crawl/soft404). Links the
crawler did not try (blocked by its network policy, over budget, robots) are left out: they say nothing about
the site.
"""

from __future__ import annotations

from govweb.capture import LinkCheck
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector

NOT_TRIED = ("blocked", "budget", "robots", "skipped")
REASONS = {"timeout": "超时", "dns": "域名无法解析", "refused": "拒绝连接", "tls": "证书错误",
           "http_error": "请求出错", "too_large": "内容过大", "browser_crash": "浏览器崩溃",
           "soft_404": "页面不存在（服务器返回正常状态码）"}
STATUS_WORDS = {404: "页面不存在", 403: "禁止访问", 410: "已删除", 500: "服务器错误", 502: "网关错误",
                503: "服务不可用", 504: "网关超时"}
SHOWN = 10


def tried(check: LinkCheck) -> bool:
    return not any(check.error.startswith(w) for w in NOT_TRIED)


def is_broken(check: LinkCheck) -> bool:
    return check.broken and tried(check)


def reason(check: LinkCheck) -> str:
    """The reason in Chinese: `404 页面不存在`, `超时`, `域名无法解析` …"""
    if check.error == "soft_404":
        return f"{check.status} {REASONS['soft_404']}"
    if check.status is not None:
        word = STATUS_WORDS.get(check.status, "")
        return f"{check.status} {word}".strip()
    return REASONS.get(check.error, check.error or "无响应")


def listing(broken: list[LinkCheck]) -> str:
    shown = "；".join(f"{c.url}（{reason(c)}{'，“' + c.text[:20] + '”' if c.text else ''}）" for c in broken[:SHOWN])
    more = f"等{len(broken)}个" if len(broken) > SHOWN else ""
    return shown + more


def home_urls(ev: SiteEvidence) -> set[str]:
    home = ev.home
    return {u for u in (home.url, home.final_url, ev.capture.url) if u}


@detector("links.broken_home")
def broken_home(ev: SiteEvidence) -> Verdict:
    """Count of home-page links (link checks whose source is the home page) that are broken."""
    home = ev.home
    sources = home_urls(ev)
    checks = [c for c in ev.capture.link_checks if c.source in sources and tried(c)]
    if not checks and home.links:
        raise MissingEvidence(f"首页有{len(home.links)}个链接但未做可用性检查")
    broken = [c for c in checks if is_broken(c)]
    keys = [k for k in (home.html_key, home.screenshot_key) if k]
    if not broken:
        return Verdict.judged(True, 0, f"首页{len(checks)}个链接均可访问", keys)
    return Verdict.judged(False, len(broken), f"首页有{len(broken)}个不可用链接：{listing(broken)}", keys)


@detector("links.broken_inner")
def broken_inner(ev: SiteEvidence) -> Verdict:
    """Count of broken links found on the sampled inner pages (link checks whose source is not the home
    page); not measured when no inner page's links were checked."""
    sources = home_urls(ev)
    checks = [c for c in ev.capture.link_checks if c.source not in sources and tried(c)]
    # link checks are deduplicated by URL: an inner page whose links all appear on the home page has no
    # check of its own, yet was checked; inner pages with links were sampled when the home page's were
    checked = {c.url for c in ev.capture.link_checks if tried(c)}
    inner = [p for p in ev.capture.pages if p.kind not in ("home", "search") and p.html_key
             and any(lk.href in checked for lk in p.links)]
    if not checks and not inner:
        return Verdict.not_measured("未检查首页以外页面的链接")
    pages = sorted({c.source for c in checks}) or sorted({p.url for p in inner})[: ev.capture.limits.inner_link_pages]
    broken = [c for c in checks if is_broken(c)]
    bad_sources = list(dict.fromkeys(c.source for c in broken))
    keys = [p.html_key for src in bad_sources[:5] if (p := ev.capture.page(src)) is not None and p.html_key]
    if not checks:
        return Verdict.judged(True, 0, f"抽查的{len(pages)}个页面的链接均与首页链接相同，已在首页检查", keys)
    if not broken:
        return Verdict.judged(True, 0, f"抽查{len(pages)}个页面的{len(checks)}个链接均可访问", keys)
    where = "、".join(bad_sources[:3]) + ("等" if len(bad_sources) > 3 else "")
    return Verdict.judged(False, len(broken), f"抽查{len(pages)}个页面，{len(bad_sources)}个页面（{where}）有"
                          f"{len(broken)}个不可用链接：{listing(broken)}", keys)
