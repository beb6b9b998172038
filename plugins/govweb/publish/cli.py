"""`govweb publish`: (re-)publish a year's report from its stored results, optionally with the certificates and
PNG pictures of the report for a reader (the demo's screenshots). Nothing is crawled or scored."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)


def _as_of(store, year: int) -> date:
    """The as-of date the year's captures were made for (the first one found), else 15 October."""
    from govweb.pipeline import inventory_key, load_staged

    if store.exists(inventory_key(year)):
        for site in load_staged(store, year):
            key = f"evidence/{year}/{site.site_id}/capture.json"
            if store.exists(key):
                return date.fromisoformat(json.loads(store.get(key))["as_of"])
    return date(year, 10, 15)


def cmd_publish(a: argparse.Namespace) -> int:
    from govweb import config, evidence, pipeline

    store = evidence.from_env() if a.store == "env" else evidence.FileStore(a.store.removeprefix("file:"))
    out = Path(a.out) if a.out else config.out_root() / str(a.year)
    run = pipeline.RunSettings(year=a.year, as_of=a.as_of or _as_of(store, a.year), framework=a.framework,
                               mode="rescore")
    if not a.certificates_only:
        keys = pipeline.publish(store, run, out)
        print(f"report: {out / 'index.html'} ({len(keys)} files)")
    if a.certificates or a.certificates_only:
        keys = pipeline.publish_certificates(store, run, out)
        print(f"certificates: {out / 'certificates'} ({sum(k.endswith('.pdf') for k in keys)} PDFs)")
    if a.screenshots:
        from govweb.publish import screens

        for path in screens.page_shots(out, Path(a.screenshots), a.site):
            print(f"screenshot: {path}")
        cert = screens.certificate_shot(out, Path(a.screenshots), a.site)
        if cert:
            print(f"screenshot: {cert}")
    return 0


def add_parser(sub) -> None:
    from govweb import settings

    p = sub.add_parser("publish", help="publish a year's report from its stored results (no crawl)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", dest="as_of", type=date.fromisoformat, default=None,
                   help="evaluation date printed in the report (default: the stored captures' as-of date)")
    p.add_argument("--framework", default=settings.BY_NAME["framework"].default,
                   help="framework setting the results were scored under (results/{year}/{framework}/)")
    p.add_argument("--store", default="env", help="evidence store: env (GOVWEB_STORE settings) or file:PATH")
    p.add_argument("--out", default="", help="report folder (default: GOVWEB_OUT/{year})")
    p.add_argument("--certificates", action="store_true", help="also print the 成绩证书 PDFs (Chromium)")
    p.add_argument("--certificates-only", action="store_true", help="only the certificates, into an existing report")
    p.add_argument("--screenshots", default="", metavar="DIR",
                   help="write PNG pictures of the report index, a scorecard and a certificate into DIR")
    p.add_argument("--site", default=None, help="the scorecard and certificate pictured (default: the first)")
    p.set_defaults(fn=cmd_publish)
