"""Home-page availability: the failure rate of the stored availability probes (national rule: veto at 5%)."""

from __future__ import annotations

from collections import Counter

from govweb.capture import Probe
from govweb.checks.registry import SiteEvidence, Verdict, detector

REASONS = {"timeout": "超时", "dns": "域名无法解析", "refused": "拒绝连接", "tls": "证书错误",
           "http_error": "请求出错", "blocked": "访问被拦截"}


def _in_window(probe: Probe, start: str, end: str) -> bool:
    """ISO timestamps compare as text; a window bound given as a date covers that whole day."""
    t = probe.time
    return (not start or t[: len(start)] >= start) and (not end or t[: len(end)] <= end)


def _failure(probe: Probe) -> str:
    if probe.status is not None and probe.status >= 400:
        return f"状态{probe.status}"
    return REASONS.get(probe.error, probe.error or "无响应")


def _source(avail, n: int) -> str:
    if avail.source == "in_run":
        return f"本次评估期间对首页探测{n}次（无探测日志）"
    window = f"{avail.window_start[:10]}至{avail.window_end[:10]}" if avail.window_start else "探测窗口内"
    return f"探测日志{window}共{n}次探测"


@detector("availability.homepage")
def homepage(ev: SiteEvidence) -> Verdict:
    """Failure rate = failed probes / probes in the window (value, a float in [0, 1]); fail when the rate
    reaches `max_failure_rate`. The detail says whether the probes came from the probe log or were taken
    during this run; not measured without probes."""
    avail = ev.capture.probes.availability
    if not avail.attempted:
        return Verdict.not_measured("未进行首页可用性探测")
    probes = [p for p in avail.probes if avail.source == "in_run" or _in_window(p, avail.window_start,
                                                                                  avail.window_end)]
    if not probes:
        return Verdict.not_measured("探测窗口内没有首页可用性探测记录")
    failed = [p for p in probes if not p.ok]
    rate = len(failed) / len(probes)
    limit = float(ev.threshold("availability.homepage", "max_failure_rate"))
    ok = len(failed) < limit * len(probes) - 1e-9
    why = Counter(_failure(p) for p in failed)
    reasons = "，".join(f"{k}{v}次" for k, v in why.most_common(4))
    detail = (f"{_source(avail, len(probes))}，失败{len(failed)}次{'（' + reasons + '）' if reasons else ''}，"
              f"失败率{rate:.1%}，{'低于' if ok else '达到'}{limit:.0%}的限值")
    if avail.source == "probe_log":
        per_day = ev.threshold("availability.homepage", "min_probes_per_day")
        days = len({p.time[:10] for p in probes})
        if len(probes) < per_day * max(days, 1):
            detail += f"；探测次数少于每日{per_day}次的要求"
    return Verdict.judged(ok, rate, detail)
