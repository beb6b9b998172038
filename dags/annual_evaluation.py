"""Annual evaluation: one run = one evaluation year (DESIGN §5). Wiring only; logic is in govweb."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, get_current_context, task

from govweb import dag_support

PARAMS = {name: Param(spec.pop("default"), **spec) for name, spec in dag_support.param_specs().items()}


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
    default_args={"retries": 1, "retry_delay": timedelta(seconds=30), "owner": "evaluation-office"},
    doc_md=__doc__,
)
def govweb_annual_evaluation():
    @task
    def resolve_run() -> dict:
        ctx = get_current_context()
        return dag_support.settings_from(ctx["params"], ctx.get("logical_date"))

    @task
    def stage_inventory(run: dict) -> str:
        from govweb import pipeline

        return pipeline.stage_inventory(_store(), run["inventory"], run["year"])

    @task
    def validate_inventory(run: dict, staged_key: str) -> int:
        from govweb import pipeline

        return pipeline.validate_inventory(_store(), run["year"])

    @task
    def plan_batches(run: dict, active_sites: int) -> list[list[str]]:
        from govweb import pipeline

        return pipeline.plan_batches(_store(), run["year"], run["batch_size"])

    @task(retries=2, retry_delay=timedelta(seconds=20), retry_exponential_backoff=True,
          max_active_tis_per_dag=2, queue="crawl", execution_timeout=timedelta(hours=2))
    def crawl_batch(batch: list[str], run: dict) -> dict:
        from govweb import pipeline

        return pipeline.crawl(_store(), _run(run), batch)

    @task(trigger_rule="all_done")
    def crawl_health(run: dict, crawled: list[dict]) -> dict:
        from govweb import pipeline

        return pipeline.crawl_health(_store(), _run(run))

    @task
    def judge(run: dict, health: dict) -> str:
        from govweb import pipeline

        return pipeline.judge(_store(), _run(run))

    @task
    def score(run: dict, findings_key: str) -> str:
        from govweb import pipeline

        return pipeline.score(_store(), _run(run))

    @task
    def validate_results(run: dict, scores_key: str) -> str:
        from govweb import pipeline

        return pipeline.validate_results(_store(), _run(run))

    @task
    def rank(run: dict, quality_key: str) -> str:
        from govweb import pipeline

        return pipeline.rank(_store(), _run(run))

    @task
    def publish(run: dict, rankings_key: str) -> list[str]:
        from govweb import pipeline

        return pipeline.publish(_store(), _run(run), run["out_dir"])

    run = resolve_run()
    staged = stage_inventory(run)
    active = validate_inventory(run, staged)
    batches = plan_batches(run, active)
    crawled = crawl_batch.partial(run=run).expand(batch=batches)
    health = crawl_health(run, crawled)
    findings = judge(run, health)
    scores = score(run, findings)
    quality = validate_results(run, scores)
    rankings = rank(run, quality)
    publish(run, rankings)


govweb_annual_evaluation()
