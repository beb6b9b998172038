"""The three alert kinds and the Airflow glue that sends them (DAG files only wire these in).

  task_failed        on_failure_callback of every annual-run task: which task, why, link to its log
                     (after the retries: Airflow calls it once, on the last try)
  crawl_health       from the crawl_health task: the failed share passed the warning threshold (Variable
                     `govweb_crawl_warn_failed_share`, default 0.05) even when the run goes on; the failed
                     sites with reasons as a table and an attached CSV (also stored beside the report)
  early_warnings     one digest a day from the probe DAG, grouped by site

Every send is recorded under quality/alerts/ so a retried task never sends the same alert twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from datetime import date

from govweb.evidence import EvidenceStore
from govweb.watch import alerts
from govweb.watch.alerts import Alert, Attachment, Table
from govweb.watch.warnings import Digest

log = logging.getLogger(__name__)
VAR_CRAWL_WARN_SHARE = "govweb_crawl_warn_failed_share"
DEFAULT_CRAWL_WARN_SHARE = 0.05
REASONS_ZH = {"timeout": "超时", "dns": "域名解析失败", "tls": "证书/TLS错误", "refused": "连接被拒绝",
              "http_error": "HTTP错误", "too_large": "页面过大", "browser_crash": "浏览器崩溃",
              "blocked": "目标被禁止访问", "budget": "超出采集预算", "missing": "无采集结果"}


# -- alert texts -------------------------------------------------------------------------------------

def task_failure_alert(dag_id: str, run_id: str, task_id: str, error: str, log_url: str,
                       try_number: int | None = None, map_index: int | None = None) -> Alert:
    task = task_id + (f"[{map_index}]" if map_index is not None and map_index >= 0 else "")
    tries = f"（第 {try_number} 次尝试，重试已用完）" if try_number else ""
    return Alert(kind="task_failed", title=f"{alerts.TITLE_PREFIX}运行失败：{dag_id} / {task}",
                 lines=[f"DAG：{dag_id}", f"运行：{run_id}", f"失败任务：{task}{tries}",
                        f"原因：{error or '未知（见日志）'}"[:2000]], link=log_url)


def failed_csv(failed: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["site_id", "name", "reason", "error"])
    for f in failed:
        w.writerow([f.get("site_id", ""), f.get("name", ""), f.get("reason", ""), f.get("error", "")])
    return buf.getvalue().encode("utf-8-sig")  # BOM: spreadsheet software opens the Chinese names right


def crawl_health_alert(report: dict, threshold: float, run_id: str = "", link: str = "") -> Alert:
    failed = report.get("failed", [])
    year, n, share = report.get("year"), report.get("sites", 0), float(report.get("failed_share", 0))
    rows = [[f.get("site_id", ""), f.get("name", ""), f"{f.get('reason', '')}（{REASONS_ZH.get(f.get('reason'), '')}）",
             (f.get("error") or "")[:120]] for f in failed]
    return Alert(
        kind="crawl_health", title=f"{alerts.TITLE_PREFIX}{year} 年采集失败 {len(failed)}/{n} 个网站（{share:.0%}）",
        lines=[f"{year} 年度评估采集：{n} 个网站中 {len(failed)} 个采集失败，占 {share:.1%}，"
               f"超过预警线 {threshold:.0%}。" + (f"运行：{run_id}。" if run_id else ""),
               "失败网站及原因如下（完整列表见附件 CSV）："],
        table=Table(columns=["网站标识码", "名称", "原因", "详情"], rows=rows), link=link,
        attachments=[Attachment(name=f"crawl_failed_{year}.csv", content=failed_csv(failed))])


def digest_alert(d: Digest) -> Alert:
    rows = [[w.site_id, w.name, w.title or w.rule, w.detail] for w in d.warnings]
    return Alert(kind="early_warnings",
                 title=f"{alerts.TITLE_PREFIX}{d.day} 预警日报：{len(d.by_site())} 个网站 {len(d.warnings)} 条预警",
                 lines=[f"{d.day} 共检查 {d.sites} 个网站，{len(d.by_site())} 个网站有预警："]
                 + [f"{sid} {ws[0].name}：" + "；".join(w.title or w.rule for w in ws)
                    for sid, ws in d.by_site().items()],
                 table=Table(columns=["网站标识码", "名称", "预警项", "说明"], rows=rows))


# -- once-only bookkeeping ---------------------------------------------------------------------------

def _send_once(store: EvidenceStore, key: str, alert: Alert, context: dict | None) -> list[str]:
    digest = hashlib.sha256(alert.model_dump_json(exclude={"link"}).encode("utf-8")).hexdigest()
    if store.exists(key) and store.get_json(key).get("sha256") == digest:
        log.info("alert %r already sent (%s)", alert.title, key)
        return []
    sent = alerts.send(alert, context)
    if sent:  # nothing sent (no channel, or every channel down): a retry may still send it
        store.put_json(key, {"sha256": digest, "title": alert.title, "channels": sent})
    return sent


def _variable_float(key: str, default: float) -> float:
    try:
        return float(alerts._variable(key, str(default)))
    except ValueError:
        log.warning("variable %s is not a number; using %s", key, default)
        return default


# -- Airflow entry points ----------------------------------------------------------------------------

def task_failed(context: dict) -> None:
    """on_failure_callback: one alert per task that failed for good."""
    ti = context.get("ti") or context.get("task_instance")
    error = context.get("exception") or context.get("reason") or ""
    alert = task_failure_alert(
        dag_id=getattr(ti, "dag_id", "") or str(context.get("dag", "")), run_id=context.get("run_id", ""),
        task_id=getattr(ti, "task_id", "?"), error=f"{type(error).__name__}: {error}" if isinstance(
            error, BaseException) else str(error), log_url=getattr(ti, "log_url", "") or "",
        try_number=getattr(ti, "try_number", None), map_index=getattr(ti, "map_index", None))
    alerts.send(alert, context)


def crawl_health(store: EvidenceStore, year: int, context: dict | None = None) -> list[str]:
    """After the crawl_health stage (passed or not): alert when the failed share passes the warning line."""
    from govweb.crawl.schedule import health_key

    key = health_key(year)
    if not store.exists(key):
        log.warning("no crawl health report at %s; no crawl alert", key)
        return []
    report = store.get_json(key)
    threshold = _variable_float(VAR_CRAWL_WARN_SHARE, DEFAULT_CRAWL_WARN_SHARE)
    if float(report.get("failed_share", 0)) <= threshold:
        return []
    ctx = context or {}
    ti = ctx.get("ti")
    alert = crawl_health_alert(report, threshold, run_id=ctx.get("run_id", ""), link=getattr(ti, "log_url", "") or "")
    store.put(f"quality/{year}/crawl_failed.csv", alert.attachments[0].content, "text/csv; charset=utf-8")
    run = (ctx.get("run_id") or "manual").replace("/", "_").replace(":", "")
    return _send_once(store, f"quality/alerts/{year}/crawl_health_{run}.json", alert, context)


def early_warnings(store: EvidenceStore, d: Digest, context: dict | None = None) -> list[str]:
    """The daily digest: one message a day (none when nothing warns)."""
    if not d.warnings:
        log.info("no early warning on %s; no digest sent", d.day)
        return []
    return _send_once(store, f"quality/alerts/warnings/{date.isoformat(d.day)}.json", digest_alert(d), context)
