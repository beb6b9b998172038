"""Alert channels come from Airflow connections/variables; without any, nothing is sent and the log says so."""

import json
import logging

import pytest

from govweb.evidence import FileStore
from govweb.watch import alerts, callbacks

SMTP = json.dumps({"conn_type": "smtp", "host": "127.0.0.1", "port": 2525,
                   "extra": {"from_email": "govweb@example.test", "disable_ssl": True, "disable_tls": True}})
APPRISE = json.dumps({"conn_type": "apprise", "extra": {"config": {"path": "json://127.0.0.1:9/hook"}}})


@pytest.fixture(autouse=True)
def no_channels(monkeypatch):
    for var in ("AIRFLOW_CONN_GOVWEB_SMTP", "AIRFLOW_CONN_GOVWEB_APPRISE", "AIRFLOW_VAR_GOVWEB_ALERT_EMAIL_TO",
                "AIRFLOW_VAR_GOVWEB_CRAWL_WARN_FAILED_SHARE"):
        monkeypatch.delenv(var, raising=False)


def test_no_channel_logs_and_carries_on(caplog, capsys, tmp_path):
    alert = callbacks.task_failure_alert("d", "r", "t", "boom", "http://x/log")
    with caplog.at_level(logging.WARNING, logger="govweb.watch.alerts"):
        assert alerts.send(alert) == []
    assert "no alert channel is set" in caplog.text + capsys.readouterr().out  # airflow may own logging
    store = FileStore(tmp_path)
    store.put_json("quality/2018/crawl_health.json", {"year": 2018, "sites": 2, "failed_share": 0.5, "failed": [
        {"site_id": "1", "name": "甲", "reason": "dns", "error": "x"}]})
    assert callbacks.crawl_health(store, 2018) == []
    assert not list(store.list("quality/alerts"))  # unsent alerts are not marked as sent


def test_channels_from_connections_and_variables(monkeypatch):
    assert alerts.channels().names == []
    monkeypatch.setenv("AIRFLOW_VAR_GOVWEB_ALERT_EMAIL_TO", "a@example.test; b@example.test")
    assert alerts.channels().names == []  # recipients without an SMTP connection: no e-mail channel
    monkeypatch.setenv("AIRFLOW_CONN_GOVWEB_SMTP", SMTP)
    ch = alerts.channels()
    assert ch.names == ["email"] and ch.email_to == ["a@example.test", "b@example.test"]
    assert ch.email_from == "govweb@example.test"
    monkeypatch.setenv("AIRFLOW_CONN_GOVWEB_APPRISE", APPRISE)
    assert alerts.channels().names == ["email", "chat"]


def test_notifiers_are_the_providers_notifiers():
    from airflow.providers.apprise.notifications.apprise import AppriseNotifier
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    alert = callbacks.task_failure_alert("d", "r", "t", "boom {{ ds }}", "http://x/log")
    ch = alerts.Channels(email_to=["a@example.test"], smtp_conn_id="govweb_smtp", apprise_conn_id="govweb_apprise")
    n = alerts.notifiers(alert, ch, ["/tmp/x.csv"])
    assert isinstance(n["email"], SmtpNotifier) and isinstance(n["chat"], AppriseNotifier)
    assert n["email"].files == ["/tmp/x.csv"] and n["chat"].attach == ["/tmp/x.csv"]
    assert "boom {{ ds }}" in n["chat"].body  # texts are sent as written, never rendered as templates


def test_crawl_health_below_the_warning_line_sends_nothing(tmp_path, monkeypatch):
    store = FileStore(tmp_path)
    store.put_json("quality/2018/crawl_health.json", {"year": 2018, "sites": 100, "failed_share": 0.04,
                                                      "failed": []})
    assert callbacks.crawl_health(store, 2018) == []
    assert not store.exists("quality/2018/crawl_failed.csv")
    monkeypatch.setenv("AIRFLOW_VAR_GOVWEB_CRAWL_WARN_FAILED_SHARE", "0.03")
    callbacks.crawl_health(store, 2018)
    assert store.exists("quality/2018/crawl_failed.csv")  # over the (configured) line: CSV kept beside
