"""Annual evaluation: one run = one evaluation year (DESIGN §5). Wiring only; logic is in govweb."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, get_current_context, task

from govweb import dag_support

PARAMS = {name: Param(spec.pop("default"), **spec) for name, spec in dag_support.param_specs().items()}
DETERMINISTIC = {"retries": 0}  # a verdict that a retry cannot change (bad settings, a failed gate)


def _store():
    from govweb import evidence

    return evidence.from_env()


def _run(d: dict):
    return dag_support.run_settings(d)


@dag(
    dag_id=dag_support.DAG_ID,
    schedule=dag_support.SCHEDULE,
    start_date=datetime(2016, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    tags=["govweb", "evaluation", "annual"],
    default_args={"retries": 1, "retry_delay": timedelta(seconds=30), "owner": "evaluation-office",
                  "on_failure_callback": dag_support.on_task_failure},
    doc_md=dag_support.RUNBOOK,
)
def govweb_annual_evaluation():
    @task(**DETERMINISTIC)
    def resolve_run() -> dict:
        ctx = get_current_context()
        return dag_support.settings_from(ctx["params"], ctx.get("logical_date"))

    @task
    def stage_inventory(run: dict) -> str:
        from govweb import pipeline

        return pipeline.stage_for_run(_store(), _run(run))

    @task(**DETERMINISTIC)
    def validate_inventory(run: dict) -> int:
        from govweb import pipeline

        return pipeline.validate_inventory(_store(), run["year"])

    @task
    def plan_batches(run: dict) -> list[list[str]]:
        from govweb import pipeline

        return pipeline.plan_for_run(_store(), _run(run))

    @task(retries=2, retry_delay=timedelta(seconds=20), retry_exponential_backoff=True,
          max_active_tis_per_dag=2, queue="crawl", execution_timeout=timedelta(hours=2),
          map_index_template="{{ batch_label }}")
    def crawl_batch(batch: list[str], run: dict) -> dict:
        from govweb import pipeline

        get_current_context()["batch_label"] = dag_support.batch_label(batch)
        return pipeline.crawl(_store(), _run(run), batch)

    @task(trigger_rule="all_done", **DETERMINISTIC)
    def crawl_health(run: dict) -> dict:
        from govweb import pipeline

        try:
            return pipeline.crawl_health(_store(), _run(run))
        finally:  # the report is written before a too-high failed share fails the task: alert either way
            dag_support.crawl_health_alert(_store(), run, get_current_context())

    @task
    def judge(run: dict) -> str:
        from govweb import pipeline

        return pipeline.judge(_store(), _run(run))

    @task
    def score(run: dict) -> str:
        from govweb import pipeline

        return pipeline.score(_store(), _run(run))

    @task(**DETERMINISTIC)
    def validate_results(run: dict) -> str:
        from govweb import pipeline

        return pipeline.validate_results(_store(), _run(run))

    @task
    def rank(run: dict) -> str:
        from govweb import pipeline

        return pipeline.rank(_store(), _run(run))

    @task
    def publish(run: dict) -> list[str]:
        from govweb import pipeline

        return pipeline.publish(_store(), _run(run), run["out_dir"])

    @task
    def certificates(run: dict) -> list[str]:
        from govweb import pipeline

        return pipeline.publish_certificates(_store(), _run(run), run["out_dir"])

    run = resolve_run()
    staged = stage_inventory(run)
    batches = plan_batches(run)
    staged >> validate_inventory(run) >> batches
    crawled = crawl_batch.partial(run=run).expand(batch=batches)
    health = crawl_health(run)
    ranked = crawled >> health >> judge(run) >> score(run) >> validate_results(run) >> rank(run)
    ranked >> publish(run) >> certificates(run)


govweb_annual_evaluation()
