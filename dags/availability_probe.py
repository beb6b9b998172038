"""Availability probes of every inventory home page, and the daily early-warning digest (DESIGN §5).

Wiring only; logic is in govweb.watch. `govweb_availability_probe` runs a probe round every 30 minutes
(48 probes per site per day) and updates the probe-log Asset; `govweb_early_warnings` sends one digest a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, get_current_context, task

from govweb.watch import dags as watch

PROBE_LOG = Asset(name=watch.PROBE_ASSET_NAME, uri=watch.PROBE_ASSET_URI)


def _store():
    from govweb import evidence

    return evidence.from_env()


def _params(specs: dict) -> dict:
    return {name: Param(spec.pop("default"), **spec) for name, spec in specs.items()}


@dag(
    dag_id=watch.PROBE_DAG_ID,
    schedule=watch.PROBE_SCHEDULE,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=_params(watch.probe_param_specs()),
    tags=["govweb", "watch", "availability"],
    default_args={"retries": 1, "retry_delay": timedelta(minutes=1), "owner": "evaluation-office"},
    dagrun_timeout=timedelta(minutes=29),
    doc_md=__doc__,
)
def govweb_availability_probe():
    @task(outlets=[PROBE_LOG], execution_timeout=timedelta(minutes=28))
    def probe_round() -> list[str]:
        ctx = get_current_context()
        return watch.run_probe_round(_store(), ctx["params"], seed=ctx["run_id"])

    probe_round()


@dag(
    dag_id=watch.DIGEST_DAG_ID,
    schedule=watch.DIGEST_SCHEDULE,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=_params(watch.digest_param_specs()),
    tags=["govweb", "watch", "warnings"],
    default_args={"retries": 1, "retry_delay": timedelta(minutes=2), "owner": "evaluation-office"},
    doc_md=__doc__,
)
def govweb_early_warnings():
    @task(inlets=[PROBE_LOG])
    def digest() -> str:
        ctx = get_current_context()
        return watch.run_digest(_store(), ctx["params"], watch.digest_day(ctx["params"], ctx.get("logical_date")),
                                context=ctx)

    digest()


govweb_availability_probe()
govweb_early_warnings()
