"""The DAG imports cleanly, only wires tasks, and carries retries, tags and a trigger form."""

from datetime import datetime

import pytest

from govweb import dag_support
from tests.dags.conftest import REPO


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert dag_support.DAG_ID in dagbag.dags


def test_every_task_retries_and_the_dag_is_tagged(dagbag):
    dag = dagbag.dags[dag_support.DAG_ID]
    assert {"govweb", "evaluation"} <= set(dag.tags)
    for task in dag.tasks:
        assert task.retries >= 1, task.task_id
    crawl = dag.get_task("crawl_batch")
    assert crawl.retries >= 2 and crawl.queue == "crawl" and crawl.max_active_tis_per_dag == 2


def test_stage_order(dagbag):
    dag = dagbag.dags[dag_support.DAG_ID]
    order = ["resolve_run", "stage_inventory", "validate_inventory", "plan_batches", "crawl_batch",
             "crawl_health", "judge", "score", "validate_results", "rank", "publish"]
    for up, down in zip(order, order[1:], strict=False):
        assert down in dag.get_task(up).downstream_task_ids, (up, down)
    assert dag.get_task("crawl_health").trigger_rule == "all_done"


def test_trigger_form_params(dagbag):
    params = dagbag.dags[dag_support.DAG_ID].params
    assert set(params.keys()) == set(dag_support.param_specs())
    assert params["mode"] == "live"


def test_dag_file_is_wiring_only():
    text = (REPO / "dags" / "annual_evaluation.py").read_text(encoding="utf-8")
    assert len(text) < 6000
    assert "import pandas" not in text and "great_expectations" not in text


def test_settings_from_logical_date_and_form():
    base = {k: v["default"] for k, v in dag_support.param_specs().items()}
    s = dag_support.settings_from(base, datetime(2018, 10, 15))
    assert (s["year"], s["as_of"]) == (2018, "2018-10-15")
    s = dag_support.settings_from({**base, "year": 2017, "as_of": "2017-10-20"}, None)
    assert (s["year"], s["as_of"]) == (2017, "2017-10-20")
    with pytest.raises(ValueError, match="set 'year'"):
        dag_support.settings_from(base, None)
    with pytest.raises(ValueError, match="set 'as_of'"):
        dag_support.settings_from({**base, "year": 2016}, datetime(2018, 10, 15))
    with pytest.raises(ValueError, match="host-map"):
        dag_support.settings_from({**base, "host_map": ["nonsense"]}, datetime(2018, 10, 15))
    run = dag_support.run_settings(dag_support.settings_from(base, datetime(2018, 10, 15)))
    assert run.year == 2018 and run.framework == "performance_2018_local"
