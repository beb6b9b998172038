"""Security and network checks judged from the crawl's probes: HTTPS access and IPv6 (AAAA) support."""

from __future__ import annotations

from govweb.checks.registry import SiteEvidence, Verdict, detector

# Resolver errors that say nothing about the site's AAAA records (the lookup itself failed).
INCONCLUSIVE_DNS = ("timeout", "timed out", "servfail", "no nameservers", "refused", "unreachable")
ERROR_WORDS = {"timeout": "超时", "dns": "域名无法解析", "tls": "证书或加密连接错误", "refused": "拒绝连接",
               "http_error": "返回错误状态", "blocked": "访问被拦截"}


def error_words(error: str) -> str:
    low = error.lower()
    return next((word for key, word in ERROR_WORDS.items() if key in low), error or "未知原因")


def _home_loaded_over_https(ev: SiteEvidence) -> str:
    """The https URL the home page was loaded from (site URL or final URL), or ""."""
    home = ev.capture.home
    if home is None or home.status is None or home.status >= 400 or not home.html_key:
        return ""
    for url in (home.final_url, home.url, ev.capture.url):
        if url.lower().startswith("https://"):
            return url
    return ""


@detector("security.https")
def https(ev: SiteEvidence) -> Verdict:
    """HTTPS access: the https probe answered (ok), or the home page itself was loaded over https.

    Not measured when neither the probe ran nor the home page came over https."""
    probe = ev.capture.probes.https
    loaded = _home_loaded_over_https(ev)
    keys = [ev.capture.home.html_key] if loaded and ev.capture.home else []
    if probe.attempted and probe.ok:
        return Verdict.judged(True, True, f"网站支持HTTPS访问：{probe.url or loaded}（状态{probe.status}）", keys)
    if loaded:
        return Verdict.judged(True, True, f"首页通过HTTPS加载：{loaded}", keys)
    if not probe.attempted:
        return Verdict.not_measured("未进行HTTPS访问探测")
    reason = f"状态{probe.status}" if probe.status else error_words(probe.error)
    return Verdict.judged(False, False, f"网站不支持HTTPS访问：{probe.url or ev.capture.url}（{reason}）")


@detector("network.ipv6")
def ipv6(ev: SiteEvidence) -> Verdict:
    """IPv6 support: the site's host has an AAAA address (the ipv6 probe). No AAAA answer is a fail. A failed
    lookup (timeout, SERVFAIL) is not measured, and so is NXDOMAIN: the name does not exist for the resolver
    asked although the site was crawled (a host served through --host-map, saved pages on loopback)."""
    probe = ev.capture.probes.ipv6
    if not probe.attempted:
        return Verdict.not_measured("未进行IPv6解析探测")
    host = probe.host or ev.capture.url
    if probe.addresses:
        return Verdict.judged(True, True, f"{host}有IPv6地址：{'、'.join(probe.addresses[:3])}")
    if probe.error and any(w in probe.error.lower() for w in INCONCLUSIVE_DNS):
        return Verdict.not_measured(f"{host}的IPv6(AAAA)解析未完成：{probe.error[:100]}")
    if probe.error == "dns":
        return Verdict.not_measured(f"解析器（{probe.resolver or '系统'}）中不存在域名{host}，无法判断其IPv6支持")
    return Verdict.judged(False, False, f"{host}没有IPv6(AAAA)地址")
