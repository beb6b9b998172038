"""Alerts end to end through Airflow's notifiers: a real SMTP server (aiosmtpd) and a JSON webhook receiver
(apprise `json://`) on loopback. Each alert kind arrives once per channel, with the failed sites and reasons."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from govweb.evidence import FileStore
from govweb.sim.process import free_port
from govweb.watch import callbacks
from govweb.watch.warnings import Digest, EarlyWarning

FAILED = [{"site_id": "4403030001", "name": "深圳市罗湖区人民政府", "reason": "timeout", "error": "页面 20 秒未响应"},
          {"site_id": "2200000007", "name": "吉林省人民政府", "reason": "dns", "error": "NXDOMAIN www.jl.gov.test"}]


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append({"path": self.path, **json.loads(body)})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def channels(monkeypatch):
    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=free_port())
    smtp.start()
    Hook.received = []
    http = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    monkeypatch.setenv("AIRFLOW_CONN_GOVWEB_SMTP", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port,
        "extra": {"from_email": "govweb-alerts@example.test", "disable_ssl": True, "disable_tls": True,
                  "retry_limit": 0}}))
    monkeypatch.setenv("AIRFLOW_VAR_GOVWEB_ALERT_EMAIL_TO", "ops@example.test, office@example.test")
    monkeypatch.setenv("AIRFLOW_CONN_GOVWEB_APPRISE", json.dumps({
        "conn_type": "apprise", "extra": {"config": {"path": f"json://127.0.0.1:{http.server_port}/govweb-hook"}}}))
    yield box, Hook.received
    smtp.stop()
    http.shutdown()


def _html(msg) -> str:
    return next(p for p in msg.walk() if p.get_content_type() == "text/html").get_content()


def _attachments(msg) -> dict[str, bytes]:
    return {p.get_filename(): p.get_payload(decode=True) for p in msg.walk() if p.get_filename()}


class TI:
    dag_id, task_id, run_id, try_number, map_index = "govweb_annual_evaluation", "crawl_health", "manual__x", 2, -1
    log_url = "http://127.0.0.1:28080/dags/govweb_annual_evaluation/runs/manual__x/tasks/crawl_health?try_number=2"


def test_failed_task_alert(channels):
    box, hooks = channels
    err = RuntimeError("2 of 11 sites failed to crawl (18% > 10%): 4403030001 (timeout), 2200000007 (dns)")
    callbacks.task_failed({"ti": TI(), "run_id": TI.run_id, "exception": err})
    assert len(box.messages) == 1 and len(hooks) == 1
    msg, hook = box.messages[0], hooks[0]
    assert msg["Subject"] == "【政府网站评估】运行失败：govweb_annual_evaluation / crawl_health"
    assert msg["To"] == "ops@example.test, office@example.test"
    body = _html(msg)
    assert "4403030001 (timeout)" in body and "RuntimeError" in body and TI.log_url.replace("&", "&amp;") in body
    assert hook["path"] == "/govweb-hook" and hook["type"] == "failure" and hook["title"] == msg["Subject"]
    assert "第 2 次尝试" in hook["message"] and "2200000007 (dns)" in hook["message"] and TI.log_url in hook["message"]
    print("EMAIL SUBJECT:", msg["Subject"], "\nWEBHOOK MESSAGE:\n" + hook["message"])


def test_crawl_health_alert_once_with_table_and_csv(channels, tmp_path):
    box, hooks = channels
    store = FileStore(tmp_path)
    store.put_json("quality/2018/crawl_health.json", {"year": 2018, "sites": 11, "failed": FAILED,
                                                      "failed_share": 0.1818})
    ctx = {"ti": TI(), "run_id": TI.run_id}
    assert sorted(callbacks.crawl_health(store, 2018, ctx)) == ["chat", "email"]
    assert callbacks.crawl_health(store, 2018, ctx) == []  # the task's retry does not alert again
    assert len(box.messages) == 1 and len(hooks) == 1
    msg, hook = box.messages[0], hooks[0]
    assert msg["Subject"] == "【政府网站评估】2018 年采集失败 2/11 个网站（18%）"
    body = _html(msg)
    assert "<table" in body and "深圳市罗湖区人民政府" in body and "timeout（超时）" in body
    assert "dns（域名解析失败）" in body and "NXDOMAIN www.jl.gov.test" in body
    csv_bytes = _attachments(msg)["crawl_failed_2018.csv"]
    lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "site_id,name,reason,error" and lines[1].startswith("4403030001,深圳市罗湖区人民政府,timeout")
    assert "4403030001 | 深圳市罗湖区人民政府 | timeout（超时）" in hook["message"] and hook["type"] == "warning"
    (att,) = hook["attachments"]
    assert att["filename"] == "crawl_failed_2018.csv" and base64.b64decode(att["base64"]) == csv_bytes
    assert store.get("quality/2018/crawl_failed.csv") == csv_bytes
    print("EMAIL SUBJECT:", msg["Subject"], "\nWEBHOOK MESSAGE:\n" + hook["message"])


def test_daily_digest_groups_warnings(channels, tmp_path):
    box, hooks = channels
    store = FileStore(tmp_path)
    ws = [EarlyWarning(site_id="3205000001", name="苏州市人民政府", rule="freshness.homepage", title="首页信息更新",
                       value=40, threshold=10, detail="首页信息更新：40天（预警线 >= 10天）"),
          EarlyWarning(site_id="3205000001", name="苏州市人民政府", rule="availability.homepage", title="首页可用性",
                       value=0.04, threshold=0.03, detail="共监测首页 140 次，失败 5 次（3.6%）"),
          EarlyWarning(site_id="1101020001", name="北京市西城区人民政府", rule="columns.empty", title="空白栏目",
                       value=3, threshold=2, detail="空白栏目：3个")]
    d = Digest(day=date(2018, 10, 14), sites=11, warnings=ws)
    callbacks.early_warnings(store, d)
    callbacks.early_warnings(store, d)  # a re-run of the day's digest sends nothing new
    assert len(box.messages) == 1 and len(hooks) == 1
    msg, hook = box.messages[0], hooks[0]
    assert msg["Subject"] == "【政府网站评估】2018-10-14 预警日报：2 个网站 3 条预警"
    assert "3205000001 苏州市人民政府：首页信息更新；首页可用性" in hook["message"]
    assert "1101020001 北京市西城区人民政府：空白栏目" in hook["message"]
    assert _html(msg).count("<tr>") == 4  # header + one row per warning
    print("EMAIL SUBJECT:", msg["Subject"], "\nWEBHOOK MESSAGE:\n" + hook["message"])


def test_a_down_channel_does_not_stop_the_other(channels, monkeypatch):
    box, hooks = channels
    monkeypatch.setenv("AIRFLOW_CONN_GOVWEB_SMTP", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": free_port(),
        "extra": {"from_email": "x@example.test", "disable_ssl": True, "disable_tls": True, "retry_limit": 0,
                  "timeout": 2}}))
    callbacks.task_failed({"ti": TI(), "run_id": TI.run_id, "exception": ValueError("x")})
    assert box.messages == [] and len(hooks) == 1
