"""Re-publishing a past year from its stored results (pipeline.publish and pipeline.publish_certificates, as the
DAG and `govweb publish` call them) gives the same files, byte for byte, except the generation time printed in
each page's footer; the copies under reports/{year}/ in the store are replaced the same way."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from govweb import evidence, pipeline
from govweb.publish import synthetic

pytestmark = pytest.mark.browser
GENERATED = re.compile(rb'<span class="generated">[^<]*</span>')


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): GENERATED.sub(b"", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("republish")
    s = evidence.FileStore(root / "store")
    synthetic.build(s, inventory_file=synthetic.subset_inventory(root / "inventory.csv", 3), shot_size=(64, 48))
    return s


def run_for(year: int) -> pipeline.RunSettings:
    return pipeline.RunSettings(year=year, as_of=date(year, 10, 15), framework="performance_2018", mode="rescore")


def test_past_year_publishes_to_the_same_bytes(store, tmp_path):
    run = run_for(2017)  # the year before the synthetic one: stored results, no previous year to compare
    first, second = tmp_path / "first", tmp_path / "second"
    keys = pipeline.publish(store, run, first) + pipeline.publish_certificates(store, run, first)
    stored_first = {k: GENERATED.sub(b"", store.get(k)) for k in keys}
    pipeline.publish(store, run, second)
    pipeline.publish_certificates(store, run, second)
    a, b = files(first), files(second)
    assert a.keys() == b.keys() and "index.html" in a and any(k.endswith(".pdf") for k in a)
    assert [k for k in a if a[k] != b[k]] == []
    html = (second / "index.html").read_text(encoding="utf-8")
    assert "2017年中国政府网站绩效评估报告" in html and "不列进步最快网站" in html
    assert {k: GENERATED.sub(b"", store.get(k)) for k in keys} == stored_first  # reports/2017/ replaced alike


def test_republishing_into_the_same_folder_replaces_only_what_changed(store, tmp_path):
    run = run_for(2018)
    pipeline.publish(store, run, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.json")}
    stale = tmp_path / "sites" / "GONE000001.html"
    stale.write_text("a site no longer evaluated", encoding="utf-8")
    pipeline.publish(store, run, tmp_path)
    assert not stale.exists()
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.json")} == before  # unchanged files untouched
