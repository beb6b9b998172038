"""What the annual-evaluation DAG needs beyond wiring: its trigger-form params, run settings, runbook."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from govweb import settings
from govweb.runsettings import RunSettings, SettingsError, resolve

DAG_ID = "govweb_annual_evaluation"
# The evaluation runs each year on 15 October; that run evaluates its own year as of that date.
SCHEDULE = "0 0 15 10 *"

RUNBOOK = """
### 政府网站绩效评估 · 年度评估 (annual evaluation)

**Trigger the year's run**: *Trigger* → fill 评估年度 (year) and 评估基准日 (as_of), leave the rest as is →
*Trigger*. The inventory is `include/inventory/{year}/inventory.csv` unless 网站清单 (inventory) names another.

**采集方式 (mode)**: `auto` (default) crawls the live web for a recent as-of date and web-archive snapshots for a
past one; `sim` evaluates the simulated government web (demo, training); `rescore` re-judges stored captures
with another framework or thresholds without crawling.

**Past years**: *Backfill* (or `airflow backfill create --dag-id govweb_annual_evaluation --from-date 2017-10-15
--to-date 2017-10-16`): one run per year, from archive snapshots.

**Re-crawl failed sites**: trigger with 仅重采失败网站 (failed_only). A new capture never replaces a better one.

**Where things are**: evidence `evidence/{year}/{site_id}/`, results `results/{year}/{framework}/`, the report
`reports/{year}/index.html` in the evidence store (GOVWEB_STORE) and under GOVWEB_OUT/{year}/.

**A run failed?** The failed task's log says why; `crawl_health` lists the sites that could not be crawled and
their reasons (`quality/{year}/crawl_health.json`).
"""


def param_specs() -> dict[str, dict]:
    """Trigger-form fields (keyword arguments of airflow Param), derived from govweb.settings."""
    return settings.form_params()


def settings_from(params: dict, logical_date: datetime | None) -> dict:
    """Resolve the run's settings from the trigger form and logical date (JSON-able, for XCom).

    Fails (before anything is staged or crawled) when the settings cannot describe a run, e.g. a year
    with no inventory: the message says which file to add."""
    known = {k: v for k, v in params.items() if k in settings.BY_NAME}
    run = resolve(known, logical_date=logical_date)
    if run.mode != "rescore" and not Path(run.inventory).is_file():
        raise SettingsError(f"no inventory for {run.year}: {run.inventory} does not exist. Add the year's inventory "
                            f"there (CSV columns: site_id,name,url,level,groups,region,province,parent_id,active), "
                            f"or name another file in the form's 'inventory' field. Nothing was crawled or written.")
    return run.to_dict()


def run_settings(d: dict) -> RunSettings:
    return RunSettings.from_dict(d)


def batch_label(batch: list[str]) -> str:
    """How a mapped crawl task is shown in the UI: its first and last site and their count."""
    if not batch:
        return "empty batch"
    return f"{batch[0]}…{batch[-1]} ({len(batch)} sites)" if len(batch) > 1 else batch[0]


def on_task_failure(context) -> None:
    """on_failure_callback of every task: the failure alert (govweb.watch; imported only when it fires)."""
    from govweb.watch import callbacks

    callbacks.task_failed(context)


def crawl_health_alert(store, run: dict, context) -> list[str]:
    """After crawl_health: alert when the failed share passes the warning line, even if the run goes on."""
    from govweb.watch import callbacks

    return callbacks.crawl_health(store, int(run["year"]), context)
