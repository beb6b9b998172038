"""The published reports, served from the evidence store (`reports/{year}/…`) by a small FastAPI app.

Mounted inside the Airflow API server by govweb.airflow_plugin (so the report opens from the Airflow
UI), and usable on its own. Only keys under `reports/` are served; evidence blobs that a scorecard
links are served as downloads with a strict content security policy (crawled HTML never runs here).
"""

from __future__ import annotations

import html
import mimetypes
import re

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

from govweb import evidence

YEAR = re.compile(r"^reports/(\d{4})/")
CSP = "default-src 'self' 'unsafe-inline' data:; script-src 'self' 'unsafe-inline'; frame-ancestors 'self'"


def create_app(store: evidence.EvidenceStore | None = None) -> FastAPI:
    app = FastAPI(title="govweb reports")

    def _store() -> evidence.EvidenceStore:
        return store or evidence.from_env()

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        years = sorted({m.group(1) for k in _store().list("reports/") if (m := YEAR.match(k))}, reverse=True)
        items = "".join(f'<li><a href="reports/{y}/index.html">{y}年度政府网站绩效评估报告</a></li>' for y in years)
        return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>评估报告</title>'
                f'<h1>政府网站绩效评估报告</h1><ul>{items or "<li>尚未发布报告</li>"}</ul></html>')

    @app.get("/reports/{year}/{path:path}")
    def report_file(year: int, path: str) -> Response:
        key = f"reports/{year}/{path or 'index.html'}"
        try:
            key = evidence.check_key(key)
        except evidence.EvidenceKeyError:
            raise HTTPException(400, "bad path") from None
        s = _store()
        if not s.exists(key):
            raise HTTPException(404, f"{html.escape(key)} is not published")
        kind = evidence.content_type(key) if "." in key.rsplit("/", 1)[-1] else "application/octet-stream"
        kind = kind if kind != "application/octet-stream" else (mimetypes.guess_type(key)[0] or kind)
        return Response(s.get(key), media_type=kind, headers={"Content-Security-Policy": CSP,
                                                               "X-Content-Type-Options": "nosniff"})

    return app
