"""成绩证书: one A4 certificate per site, HTML from a Jinja2 template, PDF through Chromium's page.pdf().

A separate step from the report (a PDF costs tens of milliseconds even with one browser and one reused
page). The certificate carries the site's name, year, groups and ranks, score, grade, the evaluation and
issue dates, and the sha256 of the site's result rows (sites/{site_id}.json lets anyone recompute it).
Chromium stamps each PDF with its creation time and a random document id; both are replaced by values
derived from the certificate itself, so re-publishing gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from govweb.publish import exports, scorecard
from govweb.publish.inputs import Inputs
from govweb.publish.site import Writer, catalogue_titles, common_context, environment
from govweb.publish.text import prune, safe_site_id

log = logging.getLogger(__name__)
BATCH = 20  # certificates per Chromium PDF (then split): a larger batch makes each file's font subset larger
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9+\-Z']+\)")
_PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")
# pdfseparate's trailer id: two literal strings of random bytes (the trailer follows the cross-reference table,
# so its length can change without moving any offset)
_TRAILER_ID = re.compile(rb"/ID \[\((?:\\.|[^\\)])*\) ?\((?:\\.|[^\\)])*\) ?\]", re.S)


def contexts(inputs: Inputs, site_ids: list[str] | None = None) -> list[dict]:
    """What each certificate shows, for every scored site or `site_ids` (site_id order)."""
    tables = scorecard.Tables.index(inputs)
    frames = exports.tables(inputs)
    per_site = exports.site_rows(frames)
    titles = catalogue_titles()
    out = []
    for site in inputs.inventory.sort_values("site_id").to_dict("records"):
        sid = safe_site_id(site["site_id"])
        if sid not in tables.scores or (site_ids is not None and sid not in site_ids):
            continue
        ctx = scorecard.context(site, inputs, tables, catalogue_titles=titles, shot_href=None, chart="", quotes={},
                                source_href={})
        ctx["sha256"] = exports.digest(per_site.get(sid, {}))
        out.append(ctx)
    return out


def stable_pdf(pdf: bytes, issued: str) -> bytes:
    """Chromium's creation dates and random /ID replaced in place (same lengths, so offsets stay valid)."""
    stamp = "D:" + issued.replace("-", "") + "000000Z"

    def date(m: re.Match) -> bytes:
        value = (b"/" + m.group(1) + b" (" + stamp.encode() + b")")
        return value.ljust(len(m.group(0)), b" ") if len(value) <= len(m.group(0)) else m.group(0)

    pdf = _PDF_DATE.sub(date, pdf)
    body_hash = hashlib.sha256(_TRAILER_ID.sub(b"", _PDF_ID.sub(b"", pdf))).hexdigest().upper().encode()

    def ident(m: re.Match) -> bytes:
        a = body_hash[: len(m.group(1))].ljust(len(m.group(1)), b"0")
        b = body_hash[: len(m.group(2))].ljust(len(m.group(2)), b"0")
        return b"/ID [<" + a + b"> <" + b + b">]"

    pdf = _PDF_ID.sub(ident, pdf)
    return _TRAILER_ID.sub(lambda m: b"/ID [<" + body_hash[:32] + b"> <" + body_hash[:32] + b">]", pdf)


def render(out_dir: str | Path, inputs: Inputs, *, site_ids: list[str] | None = None, issued: str = "",
           pdf: bool = True) -> list[Path]:
    """certificates/{site_id}.html and .pdf for every scored site (or `site_ids`); one browser, one page."""
    t0 = time.monotonic()
    out = Path(out_dir)
    env = environment()
    template = env.get_template("certificate.html.j2")
    common = common_context(inputs)
    issued = issued or inputs.as_of
    w = Writer(out, inputs.get_blob)
    pages = [(ctx["site"]["site_id"], template.render(**common, **ctx, issued=issued))
             for ctx in contexts(inputs, site_ids)]
    for sid, html in pages:
        w.write(f"certificates/{sid}.html", html)
    if pdf and pages:
        with ThreadPoolExecutor(1) as pool:  # the sync Playwright API refuses a thread running an asyncio loop
            printed = pool.submit(print_pdfs, pages, issued).result()
        for sid, data in printed:
            w.write(f"certificates/{sid}.pdf", data)
    if site_ids is None:
        prune(out / "certificates", "*", w.written)
    log.info("certificates: %d in %.1fs", len(pages), time.monotonic() - t0)
    return sorted(w.written)


def print_pdfs(pages: list[tuple[str, str]], issued: str, batch: int = BATCH) -> list[tuple[str, bytes]]:
    """(site_id, PDF bytes) for each certificate page: one Chromium, one page reused, scripts off, every
    request refused. Certificates are printed `batch` to a PDF (one page each) and split with poppler's
    pdfseparate: Chromium spends most of a PDF's time subsetting the CJK font (about 0.4 s), once per PDF."""
    from playwright.sync_api import sync_playwright

    from govweb.crawl.browser import BASE_ARGS, require_chromium, require_cjk_font

    require_cjk_font()
    splitter = shutil.which("pdfseparate")
    out: list[tuple[str, bytes]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_chromium(), headless=True, args=list(BASE_ARGS))
        try:
            ctx = browser.new_context(java_script_enabled=False, offline=True)
            ctx.route("**/*", lambda route: route.abort())
            page = ctx.new_page()

            def pdf_of(html: str) -> bytes:
                page.set_content(html, wait_until="load")
                return stable_pdf(page.pdf(format="A4", landscape=True, print_background=True,
                                           margin={"top": "0", "right": "0", "bottom": "0", "left": "0"}), issued)

            for i in range(0, len(pages), batch):
                chunk = pages[i:i + batch]
                parts = split(pdf_of(batch_html(chunk)), splitter) if splitter and len(chunk) > 1 else []
                if len(parts) != len(chunk):  # no splitter, or a certificate overflowed its page
                    parts = [pdf_of(html) for _, html in chunk]
                out += [(sid, stable_pdf(data, issued)) for (sid, _), data in zip(chunk, parts, strict=True)]
        finally:
            browser.close()
    return out


def batch_html(chunk: list[tuple[str, str]]) -> str:
    """Several certificate pages as one document, a page each (they share the template's head)."""
    head = chunk[0][1].split("<body>", 1)[0]
    head = re.sub(r"<title>.*?</title>", "<title>成绩证书</title>", head, flags=re.S)
    bodies = [html.split("<body>", 1)[1].rsplit("</body>", 1)[0] for _, html in chunk]
    return head + "<body>" + "".join(f'<div style="break-after: page">{b}</div>' for b in bodies) + "</body></html>"


def split(pdf: bytes, splitter: str) -> list[bytes]:
    """The pages of a PDF as one-page PDFs (poppler's pdfseparate)."""
    with tempfile.TemporaryDirectory(prefix="govweb-cert-") as tmp:
        src = Path(tmp) / "batch.pdf"
        src.write_bytes(pdf)
        subprocess.run([splitter, str(src), str(Path(tmp) / "page-%d.pdf")], check=True, timeout=120,
                       capture_output=True)
        pages = sorted(Path(tmp).glob("page-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))
        return [p.read_bytes() for p in pages]
