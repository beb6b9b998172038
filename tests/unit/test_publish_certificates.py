"""成绩证书: HTML from the template (escaped), PDF through Chromium, the same bytes when printed again, the
verification hash of the site's results.json."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from govweb import evidence
from govweb.publish import certificates, exports, from_store, synthetic
from tests.unit.test_publish import HOSTILE_NAME, hostile_inventory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("certificates")
    inv_file, hostile_id = hostile_inventory(root / "inventory.csv")
    store = evidence.FileStore(root / "store")
    year = synthetic.build(store, inventory_file=inv_file, hostile={hostile_id}, shot_size=(64, 48))
    got = from_store(store, 2018, "performance_2018", as_of="2018-10-15", inventory=year.inventory)
    return got, hostile_id, sorted(year.inventory["site_id"])


def test_certificate_html_pdf_and_hash(inputs, tmp_path):
    got, hostile_id, sids = inputs
    wanted = [sids[0], hostile_id]
    files = certificates.render(tmp_path, got, site_ids=wanted, issued="2018-12-20")
    names = sorted(p.name for p in files)
    assert names == sorted([f"{s}.html" for s in wanted] + [f"{s}.pdf" for s in wanted])
    pdf = (tmp_path / "certificates" / f"{sids[0]}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/CreationDate (D:20181220000000Z)" in pdf
    if shutil.which("pdfinfo"):  # one page per certificate (they are printed in batches and split)
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60).stdout.decode()
        assert re.search(r"^Pages:\s+1$", info, re.M), info
    html = (tmp_path / "certificates" / f"{hostile_id}.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "成绩证书" in html and "2018-12-20" in html and "2018-10-15" in html
    rows = exports.site_rows(exports.tables(got))[hostile_id]
    assert exports.digest(rows) in html
    again = certificates.render(tmp_path / "again", got, site_ids=wanted, issued="2018-12-20")
    first = sorted(p for p in files if p.suffix == ".pdf")
    assert [p.read_bytes() for p in sorted(again) if p.suffix == ".pdf"] == [p.read_bytes() for p in first]


def test_hash_matches_the_sites_results_json(inputs, tmp_path):
    got, _, sids = inputs
    from govweb.publish import publish

    publish(tmp_path, got, locate=False)
    certificates.render(tmp_path, got, site_ids=sids[:1], pdf=False)
    doc = json.loads((tmp_path / "sites" / f"{sids[0]}.json").read_text(encoding="utf-8"))
    html = (tmp_path / "certificates" / f"{sids[0]}.html").read_text(encoding="utf-8")
    assert doc["verification"]["sha256"] in html
    assert HOSTILE_NAME not in html
