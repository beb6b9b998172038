"""PNG pictures of a published report for a reader who does not open it: the report's first screen, one
scorecard, and one certificate (its PDF's first page through pdftoppm). Used by `make demo`.

    python -m govweb.publish.screens REPORT_DIR OUT_DIR [--site SITE_ID]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def page_shots(report: Path, out: Path, site_id: str | None = None, full_page: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from govweb.crawl.browser import BASE_ARGS, require_chromium

    cards = sorted((report / "sites").glob("*.html"))
    card = report / "sites" / f"{site_id}.html" if site_id else (cards[0] if cards else None)
    targets = [("report-index.png", report / "index.html")] + ([("scorecard.png", card)] if card else [])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_chromium(), headless=True, args=list(BASE_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
            for name, path in targets:
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.screenshot(path=str(out / name), full_page=full_page)
                written.append(out / name)
        finally:
            browser.close()
    return written


def certificate_shot(report: Path, out: Path, site_id: str | None = None) -> Path | None:
    """The first page of a certificate PDF as PNG (pdftoppm, 100 dpi)."""
    pdfs = sorted((report / "certificates").glob("*.pdf"))
    pdf = report / "certificates" / f"{site_id}.pdf" if site_id else (pdfs[0] if pdfs else None)
    if pdf is None or not pdf.is_file() or not shutil.which("pdftoppm"):
        return None
    out.mkdir(parents=True, exist_ok=True)
    stem = out / "certificate"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, timeout=60)
    return stem.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m govweb.publish.screens", description=__doc__.splitlines()[0])
    p.add_argument("report", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--site", default=None, help="the scorecard and certificate to show (default: the first)")
    a = p.parse_args(argv)
    shots = page_shots(a.report, a.out, a.site)
    cert = certificate_shot(a.report, a.out, a.site)
    for path in [*shots, *([cert] if cert else [])]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
