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


# Tasks whose verdict cannot change on a retry (bad settings, a failed gate) fail at once.
DETERMINISTIC = {"resolve_run", "validate_inventory", "crawl_health", "validate_results"}


def test_tasks_retry_unless_their_verdict_is_deterministic_and_the_dag_is_tagged(dagbag):
    dag = dagbag.dags[dag_support.DAG_ID]
    assert {"govweb", "evaluation"} <= set(dag.tags)
    for task in dag.tasks:
        if task.task_id in DETERMINISTIC:
            assert task.retries == 0, task.task_id
        else:
            assert task.retries >= 1, task.task_id
    crawl = dag.get_task("crawl_batch")
    assert crawl.retries >= 2 and crawl.queue == "crawl" and crawl.max_active_tis_per_dag == 2


def test_stage_order(dagbag):
    dag = dagbag.dags[dag_support.DAG_ID]
    order = ["resolve_run", "stage_inventory", "validate_inventory", "plan_batches", "crawl_batch",
             "crawl_health", "judge", "score", "validate_results", "rank", "publish", "certificates"]
    for up, down in zip(order, order[1:], strict=False):
        assert down in dag.get_task(up).downstream_task_ids, (up, down)
    assert dag.get_task("crawl_health").trigger_rule == "all_done"


def test_trigger_form_params_are_titled_described_and_typed(dagbag):
    from govweb import settings

    params = dagbag.dags[dag_support.DAG_ID].params
    assert set(params.keys()) == {s.name for s in settings.SETTINGS if s.form}
    assert params["mode"] == "auto"
    for name in params:
        schema = params.get_param(name).schema
        assert schema["title"].endswith(f"({name})") and params.get_param(name).description, name
        assert schema["section"], name
    assert params.get_param("as_of").schema["format"] == "date"
    assert params.get_param("year").schema["type"] == ["null", "integer"]
    assert params.get_param("out_dir").schema["type"] == ["null", "string"]
    # the form can be submitted as it is: every default validates
    params.validate()


def test_form_and_cli_derive_from_one_definition():
    from govweb import cli, settings

    evaluate = next(a for a in cli.parser()._subparsers._group_actions[0].choices["evaluate"]._actions
                    if a.dest == "mode")
    assert evaluate.default == settings.BY_NAME["mode"].default == dag_support.param_specs()["mode"]["default"]
    assert list(evaluate.choices) == dag_support.param_specs()["mode"]["enum"]


def test_dag_file_is_wiring_only():
    text = (REPO / "dags" / "annual_evaluation.py").read_text(encoding="utf-8")
    assert len(text) < 6000
    assert "import pandas" not in text and "great_expectations" not in text


def test_settings_from_logical_date_and_form():
    base = {k: v["default"] for k, v in dag_support.param_specs().items()}
    s = dag_support.settings_from(base, datetime(2018, 10, 15))
    assert (s["year"], s["as_of"], s["mode"]) == (2018, "2018-10-15", "archive")  # auto: a past date
    assert s["inventory"].endswith("include/inventory/2018/inventory.csv")
    s = dag_support.settings_from({**base, "year": 2017, "as_of": "2017-10-20", "mode": "sim"}, None)
    assert (s["year"], s["as_of"], s["allow_private"]) == (2017, "2017-10-20", True)
    assert s["host_map"] and s["host_map"][0].startswith("*.gov.test=")  # sim: from configuration
    with pytest.raises(ValueError, match="set 'year'"):
        dag_support.settings_from(base, None)
    assert dag_support.settings_from({**base, "year": 2016}, datetime(2018, 11, 3))["as_of"] == "2016-10-15"
    with pytest.raises(ValueError, match="live mode crawls the web as it is today"):
        dag_support.settings_from({**base, "mode": "live"}, datetime(2018, 10, 15))
    run = dag_support.run_settings(dag_support.settings_from(base, datetime(2018, 10, 15)))
    assert run.year == 2018 and run.framework == "performance_2018"


def test_a_year_without_inventory_fails_before_anything_is_written():
    base = {k: v["default"] for k, v in dag_support.param_specs().items()}
    with pytest.raises(ValueError, match=r"no inventory for 2025: .*include/inventory/2025/inventory.csv"):
        dag_support.settings_from(base, datetime(2025, 10, 15))
