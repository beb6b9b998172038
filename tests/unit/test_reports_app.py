"""The reports app serves what was published, nothing else, with a strict content security policy."""

from fastapi.testclient import TestClient

from govweb import evidence
from govweb.reports_app import create_app


def test_serves_published_reports_only(tmp_path):
    store = evidence.FileStore(tmp_path)
    store.put_text("reports/2018/index.html", "<h1>2018年度报告</h1>", "text/html; charset=utf-8")
    store.put_text("reports/2018/sites/1100000088.html", "<p>北京</p>", "text/html; charset=utf-8")
    store.put_text("evidence/2018/x/capture.json", "{}")
    client = TestClient(create_app(store))
    index = client.get("/")
    assert index.status_code == 200 and 'href="reports/2018/index.html"' in index.text
    page = client.get("/reports/2018/sites/1100000088.html")
    assert page.status_code == 200 and "北京" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/reports/2018/nothing.html").status_code == 404
    assert client.get("/reports/2018/../../evidence/2018/x/capture.json").status_code in (400, 404)


def test_the_plugin_registers_the_app_and_a_nav_entry():
    from govweb.airflow_plugin import GovwebReportsPlugin

    assert GovwebReportsPlugin.fastapi_apps[0]["url_prefix"] == "/govweb"
    assert GovwebReportsPlugin.external_views[0]["href"] == "govweb/"
