"""The report folder (govweb.publish): what it holds, that crawled text stays text in every output, and that
publishing the same stored results twice gives the same bytes (DESIGN §8)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from govweb import evidence, frameworks
from govweb import inventory as inventory_mod
from govweb.publish import exports, from_store, publish, safe_site_id, synthetic

HOSTILE_NAME = "<script>alert('name')</script>某县人民政府"
GENERATED = re.compile(r'<span class="generated">[^<]*</span>')


def hostile_inventory(path: Path) -> tuple[Path, str]:
    """Four sites per level; one county renamed with a script (inventories are typed by hand too)."""
    synthetic.subset_inventory(path, 4)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    county = next(r for r in rows if r["level"] == "county")
    county["name"] = HOSTILE_NAME
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, county["site_id"]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    inv_file, hostile_id = hostile_inventory(root / "inventory.csv")
    store = evidence.FileStore(root / "store")
    year = synthetic.build(store, inventory_file=inv_file, hostile={hostile_id}, shot_size=(320, 240))
    return store, year, hostile_id


def inputs_of(store, year, generated="2026-01-01T00:00:00+00:00"):
    return from_store(store, 2018, "performance_2018", as_of="2018-10-15", inventory=year.inventory,
                      generated=generated)


@pytest.fixture(scope="module")
def site(stored, tmp_path_factory):
    store, year, hostile_id = stored
    out = tmp_path_factory.mktemp("report")
    return out, publish(out, inputs_of(store, year), locate=False), year, hostile_id


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_folder_holds_report_scorecards_results_and_exports(site):
    out, written, year, _ = site
    names = {p.relative_to(out).as_posix() for p in written}
    sids = set(year.inventory["site_id"])
    assert {"index.html", "exports/results.xlsx"} <= names
    assert {f"sites/{s}.html" for s in sids} | {f"sites/{s}.json" for s in sids} <= names
    assert {f"exports/{t}.{e}" for t in ("findings", "scores", "rankings") for e in ("csv", "json")} <= names
    assert "exports/indicator_scores.csv" in names
    assert written == sorted(written) and all(p.is_file() for p in written)
    shots = [n for n in names if n.startswith("shots/")]
    assert shots and all(re.fullmatch(r"shots/[0-9a-f]{64}\.png", n) for n in shots)  # named by content


def test_index_sections_and_offline(site):
    html = read(site[0] / "index.html")
    for title in ("一、评估概况", "二、指标体系", "三、评估结果", "四、主要亮点", "五、存在的问题", "六、区域比较"):
        assert title in html
    assert "http-equiv=\"Content-Security-Policy\"" in html and "default-src 'none'" in html
    assert "<script" not in html and "src=\"http" not in html and "href=\"http" not in html
    assert "<details>" in html and "完整排名" in html
    assert html.count("<svg") >= 2  # the regional chart and the score distributions


def test_indicator_tree_counts_come_from_the_frameworks(site):
    html = read(site[0] / "index.html")
    for fw in frameworks.plan("performance_2018").frameworks():
        c = fw.counts()
        row = re.search(re.escape(fw.title) + r"</td>.*?</tr>", html, re.S).group(0)
        nums = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert nums[2:6] == [str(c.total), str(c.automated), str(c.manual), str(c.innovation)], fw.id


def test_top_lines_are_in_the_published_style(site):
    html = read(site[0] / "index.html")
    lines = re.findall(r'<li data-rank="(\d+)"><span class="ordinal">(第.+?名)</span>：(.*?)<span class="meta">',
                       html)
    assert lines and lines[0][:2] == ("1", "第一名")
    names = re.sub(r"<[^>]+>", "", lines[0][2])
    assert "人民政府" not in names  # the published tables name the entity: 北京市, not 北京市人民政府


def test_scorecard_lists_every_leaf_with_rule_and_status(site):
    out, _, year, _ = site
    plan = frameworks.plan("performance_2018")
    inv = year.inventory.set_index("site_id")
    sid = sorted(year.inventory["site_id"])[0]
    html = read(out / "sites" / f"{sid}.html")
    fw = plan.ranking_for(inv.loc[sid, "level"])
    leaves = re.findall(r'<tr data-leaf="([^"]+)">', html)
    assert leaves == [r.leaf.id for r in fw.leaves()]
    assert "评分规则" in html and "检查结果" in html and "绩效得分" in html
    assert "合格" in html  # the inspection grade beside the performance score
    assert 'href="../certificates/' in html and f'href="{sid}.json"' in html


def test_results_json_carries_a_verifiable_hash(site):
    out, _, year, _ = site
    sid = sorted(year.inventory["site_id"])[-1]
    doc = json.loads(read(out / "sites" / f"{sid}.json"))
    assert doc["site"]["site_id"] == sid and doc["year"] == 2018
    assert set(doc["results"]) == {"scores", "rankings", "indicator_scores", "findings"}
    assert all(r["site_id"] == sid for rows in doc["results"].values() for r in rows)
    assert exports.digest(doc["results"]) == doc["verification"]["sha256"]
    assert doc["verification"]["sha256"] in read(out / "sites" / f"{sid}.html")


def test_xlsx_has_chinese_headers_and_every_row(site):
    out, _, year, _ = site
    wb = load_workbook(out / "exports" / "results.xlsx", read_only=True)
    assert wb.sheetnames == ["检查结果", "得分", "排名"]
    rows = list(wb["检查结果"].iter_rows(values_only=True))
    assert rows[0][:4] == ("网站编号", "年度", "检查项编号", "是否通过")
    assert len(rows) == len(year.findings) + 1
    header = next(wb["得分"].iter_rows(values_only=True))
    assert "总分" in header and any(str(h).startswith("一级指标得分：") for h in header)


def test_exports_are_sorted_and_plain_json(site):
    out = site[0]
    findings = pd.read_csv(out / "exports" / "findings.csv", dtype=str)
    pairs = list(zip(findings["site_id"], findings["check_id"], strict=True))
    assert pairs == sorted(pairs)
    text = read(out / "exports" / "findings.json")
    assert "\\/" not in text and "evidence/2018/" in text
    assert len(json.loads(text)) == len(findings)


def test_crawled_script_is_only_text_in_every_output(site):
    out, written, _, hostile_id = site
    for path in written:
        if path.suffix == ".html":
            text = read(path)
            assert "<script" not in text.lower(), path  # no script of any origin: the report runs nothing
            assert "<img src=x" not in text, path
    card = read(out / "sites" / f"{hostile_id}.html")
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;某县人民政府" in card
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in card  # the finding's detail, escaped
    assert "&lt;script&gt;alert(&#39;name&#39;)" in read(out / "index.html")
    # the exports keep the text as data, byte for byte
    assert any(r["name"] == HOSTILE_NAME for r in json.loads(read(out / "exports" / "scores.json")))
    assert any(synthetic.HOSTILE in r["detail"] for r in json.loads(read(out / "exports" / "findings.json")))
    cells = [c for row in load_workbook(out / "exports" / "results.xlsx", read_only=True)["检查结果"].iter_rows(
        values_only=True) for c in row if isinstance(c, str)]
    assert any(synthetic.HOSTILE in c for c in cells)


def test_stored_pages_are_shown_as_escaped_source_only(site):
    out = site[0]
    views = list((out / "pages").glob("*.html"))
    assert views
    text = read(views[0])
    assert "<pre" in text and "&lt;!DOCTYPE html&gt;" in text
    assert "<iframe" not in text and '<div class="top">' not in text


def test_publishing_again_gives_the_same_bytes_except_the_generation_time(stored, site, tmp_path):
    store, year, _ = stored
    first_out, first = site[0], site[1]
    again = publish(tmp_path, inputs_of(store, year, generated="2030-05-05T05:05:05+08:00"), locate=False)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(first_out) for p in first]
    for a, b in zip(first, again, strict=True):
        if a.suffix == ".html":
            assert GENERATED.sub("", read(a)) == GENERATED.sub("", read(b)), a.name
            assert "2030-05-05T05:05:05+08:00" in read(b)
        else:
            assert a.read_bytes() == b.read_bytes(), a.name
    stale = tmp_path / "sites" / "OLD999.html"
    stale.write_text("old", encoding="utf-8")
    publish(tmp_path, inputs_of(store, year), locate=False)
    assert not stale.exists()


def test_unsafe_site_id_is_refused():
    assert safe_site_id("bm01000001") == "bm01000001"
    for bad in ("../etc", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            safe_site_id(bad)


def test_inventory_of_the_fixture_is_valid(stored):
    store = stored[0]
    sites = inventory_mod.parse(store.get_text("inventory/2018/inventory.csv"))
    assert any(s.name == HOSTILE_NAME for s in sites)
