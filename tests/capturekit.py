"""Build small captures for detector tests: pages stored in a FileStore, typed models around them.

    store = FileStore(tmp_path)
    home = store_page(store, "http://www.x.gov.cn/", html, kind="home")
    ev = evidence(Capture(site_id="3300000020", url=home.url, year=2018, as_of="2018-10-15", pages=[home]), store)
    verdict = REGISTRY["identity.icp"](ev)

Fixture pages live in tests/fixtures/captures/<name>/ (HTML as real portals serve them, any encoding);
`fixture_page` stores one of them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from govweb import extract
from govweb.capture import Capture, Page
from govweb.checks.registry import SiteEvidence
from govweb.evidence import EvidenceStore
from govweb.parse import charset

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "captures"


def store_page(store: EvidenceStore, url: str, html: str | bytes, *, kind: str = "other",
               encoding: str = "utf-8", **fields) -> Page:
    body = html.encode(encoding) if isinstance(html, str) else html
    key = store.put_blob("evidence/test/pages", body, "html", f"text/html; charset={encoding}")
    tree = extract.parse(charset.decode(body, encoding))
    fields.setdefault("title", extract.title(tree))
    fields.setdefault("links", [{"href": link.href, "text": link.text, "internal": link.internal}
                                for link in extract.links(tree, url)])
    return Page(url=url, final_url=url, kind=kind, status=200, html_key=key, encoding=encoding,
                bytes=len(body), **fields)


def fixture_page(store: EvidenceStore, name: str, url: str, *, kind: str = "other", encoding: str = "utf-8",
                 **fields) -> Page:
    return store_page(store, url, (FIXTURES / name).read_bytes(), kind=kind, encoding=encoding, **fields)


def capture(pages: list[Page], *, site_id: str = "3300000020", year: int = 2018, as_of: str = "2018-10-15",
            **fields) -> Capture:
    url = next((p.url for p in pages if p.kind == "home"), pages[0].url if pages else "http://www.x.gov.cn/")
    return Capture(site_id=site_id, url=url, year=year, as_of=as_of, pages=pages, **fields)


def evidence(cap: Capture, store: EvidenceStore, *, as_of: date | None = None, site_code: str = "") -> SiteEvidence:
    return SiteEvidence(cap, store, as_of or date.fromisoformat(cap.as_of), expected_site_code=site_code)
