"""Airflow 3 plugin: the published reports inside the Airflow UI (a nav entry and the app serving them)."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from govweb.reports_app import create_app


class GovwebReportsPlugin(AirflowPlugin):
    name = "govweb_reports"
    fastapi_apps = [{"app": create_app(), "url_prefix": "/govweb", "name": "政府网站绩效评估报告"}]
    external_views = [{"name": "评估报告 Reports", "href": "govweb/", "destination": "nav", "category": "browse",
                       "url_route": "govweb_reports"}]
