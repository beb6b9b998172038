"""The static report site and exports (DESIGN §8): content, escaping, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from govweb.models import FINDING_COLUMNS, INVENTORY_COLUMNS, RANKING_COLUMNS, SCORE_COLUMNS
from govweb.publish import publish_report, safe_site_id, shortcomings
from govweb.ranking import rank

HOSTILE = "<script>alert(1)</script>市"
PNG = b"\x89PNG\r\n\x1a\nfake-png-bytes"
FRAMEWORK = {
    "id": "performance_2018_local", "title": "2018 地方政府网站绩效评估指标", "max_total": 100.0,
    "dimensions": [
        {"id": "manage", "title": "管理保障", "indicators": [
            {"id": "m.https", "title": "HTTPS 加密", "max": 40.0, "check": "security.https", "veto": False},
            {"id": "m.icp", "title": "ICP 备案", "max": 10.0, "check": "identity.icp", "veto": False}]},
        {"id": "info", "title": "信息发布", "indicators": [
            {"id": "i.fresh", "title": "首页更新", "max": 50.0, "check": "freshness.homepage", "veto": True}]},
    ],
}
SITES = [  # site_id, name, groups, url, total, veto, previous total
    ("A001", "甲市人民政府", "provincial_capital;prefecture_city", "https://a.gov.test/", 90.04, False, 85.0),
    ("B002", "乙市人民政府", "prefecture_city", "https://b.gov.test/", 89.96, False, 90.0),
    ("C003", HOSTILE, "prefecture_city", "javascript:alert(2)", 70.0, False, None),
    ("D004", "丁市人民政府", "prefecture_city", "https://d.gov.test/", 95.0, True, 60.0),
    ("E005", "戊省人民政府", "province", "https://e.gov.test/", 75.25, False, 70.0),
]


def tables() -> dict[str, pd.DataFrame]:
    inventory = pd.DataFrame([{
        "site_id": s, "name": n, "url": u, "level": "city", "groups": g, "region": "east",
        "province": "P", "parent_id": "", "active": True} for s, n, g, u, *_ in SITES],
        columns=list(INVENTORY_COLUMNS))
    scores = pd.DataFrame([{
        "site_id": s, "name": n, "year": 2018, "framework": FRAMEWORK["id"], "total": t, "max_total": 100.0,
        "veto": v, "veto_reasons": "i.fresh" if v else "", "grade": "fail" if v else "pass",
        "indicators": json.dumps({"i.fresh": 0.0 if v else 45.0, "m.https": 40.0, "m.icp": 5.0 if v else 10.0}),
    } for s, n, _, _, t, v, _ in SITES], columns=list(SCORE_COLUMNS))
    previous = scores[[p is not None for *_, p in SITES]].assign(
        total=[p for *_, p in SITES if p is not None])
    findings = pd.DataFrame([{
        "site_id": s, "year": 2018, "check_id": c, "passed": not (c == "security.https" and s != "A001"),
        "value": "0" if c == "security.https" else "1", "detail": f"{n} 的说明 <b>bold</b>",
        "evidence": f"evidence/2018/{s}/capture.json;evidence/2018/{s}/shots/home.png"}
        for s, n, *_ in SITES for c in ("security.https", "identity.icp")], columns=list(FINDING_COLUMNS))
    rankings = rank(scores, inventory, 2018, previous_scores=previous)
    return {"inventory": inventory, "scores": scores, "findings": findings, "rankings": rankings}


def publish(out_dir: Path, shuffle: bool = False) -> list[Path]:
    blobs = {"evidence/2018/A001/shots/home.png": PNG}
    inputs = tables()
    if shuffle:  # same rows, another order: the output must not change
        inputs = {k: v.sample(frac=1, random_state=7).reset_index(drop=True) for k, v in inputs.items()}
    return publish_report(
        out_dir, year=2018, as_of="2018-11-30", framework=FRAMEWORK, get_blob=blobs.__getitem__,
        screenshot_keys={"A001": "evidence/2018/A001/shots/home.png"}, **inputs)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("report")
    return out, publish(out)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(html: str, group: str) -> str:
    match = re.search(rf'<section id="group-{group}">(.*?)</section>', html, re.S)
    assert match, f"no section for {group}"
    return match.group(1)


def test_writes_index_scorecards_shots_and_exports(site):
    out, written = site
    expected = {"index.html", "shots/A001.png"} | {f"sites/{s[0]}.html" for s in SITES} | {
        f"exports/{t}.{ext}" for t in ("findings", "scores", "rankings") for ext in ("csv", "json")}
    assert {p.relative_to(out).as_posix() for p in written} == expected
    assert written == sorted(written)
    assert all(p.is_file() for p in written)
    assert (out / "shots" / "A001.png").read_bytes() == PNG
    assert not (out / "shots" / "B002.png").exists()


def test_index_title_summary_and_offline(site):
    html = read(site[0] / "index.html")
    assert "<title>2018 政府网站绩效评估报告</title>" in html
    assert "参评网站<strong>5</strong>" in html
    assert "单项否决<strong>1</strong>" in html
    assert "平均得分<strong>84.1</strong>" in html  # (90.04+89.96+70+95+75.25)/5 = 84.05 -> 84.1
    assert "2018-11-30" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_group_tables_list_ranked_names_in_rank_order_with_ties(site):
    html = read(site[0] / "index.html")
    assert html.index('id="group-province"') < html.index('id="group-provincial_capital"') < html.index(
        'id="group-prefecture_city"')
    pref = section(html, "prefecture_city")
    table = pref.split("</table>")[0]
    positions = [table.index(name) for name in ("甲市人民政府", "乙市人民政府", "&lt;script&gt;")]
    assert positions == sorted(positions)
    assert table.count("并列") == 2  # 90.04 and 89.96 both round to 90.0
    assert "丁市人民政府" not in table  # vetoed: not in the ranked table ...
    assert "单项否决" in pref and "丁市人民政府" in pref.split("</table>")[1]  # ... but listed apart
    assert "甲市人民政府" in section(html, "provincial_capital")
    deltas = re.findall(r'<td class="num">([^<]*)</td></tr>', table)
    assert deltas == ["+5.0", "0.0", "—"]  # 90.0 - 85.0; 90.0 - 90.0; no previous score


def test_most_improved_and_shortcomings(site):
    html = read(site[0] / "index.html")
    improved = section(html, "prefecture_city").split("进步最快")[1]
    assert "甲市人民政府" in improved and "丁市人民政府" not in improved and "乙市人民政府" not in improved
    assert "进步最快" in section(html, "province")  # 75.3 - 70.0
    shortfalls = html.split("常见问题")[1]
    row = r'security\.https</code></td><td>HTTPS 加密</td><td class="num">4<'
    assert re.search(row, shortfalls)
    assert "identity.icp" not in shortfalls  # nobody failed it


def test_shortcomings_count_sites_not_rows():
    findings = pd.DataFrame({"site_id": ["a", "a", "b", "c"], "check_id": ["x", "x", "x", "y"],
                             "passed": [False, False, False, True]})
    assert shortcomings(findings, FRAMEWORK) == [{"check_id": "x", "title": "", "failing": 2}]


def test_scorecard_content(site):
    html = read(site[0] / "sites" / "D004.html")
    assert "丁市人民政府" in html and "95.0 / 100.0" in html
    assert "不合格" in html and "i.fresh</code> 首页更新" in html
    assert '<a href="https://d.gov.test/"' in html
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?) <code>(.*?)</code></td><td class=\"num\">(.*?)</td>"
                      r"<td class=\"num\">(.*?)</td></tr>", html)
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("m.https", "40.0", "40.0"), ("m.icp", "5.0", "10.0"), ("i.fresh", "0.0", "50.0")]
    assert rows[0][0] == "管理保障" and rows[2][0] == "信息发布"
    assert html.count("evidence/2018/D004/capture.json") == 2  # one per finding
    assert "未通过" in html and "security.https" in html and "identity.icp" in html
    assert "否决" in html and "<img" not in html


def test_scorecard_with_screenshot_and_rank_in_each_group(site):
    html = read(site[0] / "sites" / "A001.html")
    assert '<img class="shot" src="../shots/A001.png"' in html
    assert "省会城市" in html and "地级市" in html and "第 1 名" in html


def test_hostile_text_is_escaped_everywhere(site):
    out, written = site
    for path in written:
        if path.suffix == ".html":
            text = read(path)
            assert "<script>" not in text, path
            assert "<b>bold</b>" not in text, path
    card = read(out / "sites" / "C003.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;市" in card
    assert "&lt;b&gt;bold&lt;/b&gt;" in card
    assert 'href="javascript:' not in card and "javascript:alert(2)" in card  # shown, never linked
    assert "&lt;script&gt;alert(1)&lt;/script&gt;市" in read(out / "index.html")


def test_exports_are_sorted_utf8_records(site):
    out = site[0]
    rankings = json.loads(read(out / "exports" / "rankings.json"))
    assert list(rankings[0]) == list(RANKING_COLUMNS)
    vetoed = [r for r in rankings if r["site_id"] == "D004"]
    assert vetoed == [{"year": 2018, "group": "prefecture_city", "rank": None, "site_id": "D004",
                       "name": "丁市人民政府", "total": 95.0, "delta": 35.0, "tie": False, "vetoed": True}]
    assert "丁市人民政府" in read(out / "exports" / "rankings.json")  # ensure_ascii=False
    findings = pd.read_csv(out / "exports" / "findings.csv")
    pairs = list(zip(findings["site_id"], findings["check_id"], strict=True))
    assert pairs == sorted(pairs) and len(pairs) == 10
    scores = json.loads(read(out / "exports" / "scores.json"))
    assert [s["site_id"] for s in scores] == sorted(s[0] for s in SITES)
    assert list(pd.read_csv(out / "exports" / "scores.csv").columns) == list(SCORE_COLUMNS)


@pytest.mark.parametrize("shuffle", [False, True])
def test_two_runs_are_byte_identical_and_rerun_replaces(tmp_path, site, shuffle):
    first_out, first = site
    second = publish(tmp_path / "again", shuffle=shuffle)
    assert [p.relative_to(tmp_path / "again") for p in second] == [p.relative_to(first_out) for p in first]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    stale = tmp_path / "again" / "sites" / "OLD999.html"
    stale.write_text("old", encoding="utf-8")
    publish(tmp_path / "again")
    assert not stale.exists()


def test_unsafe_site_id_is_refused():
    assert safe_site_id("A001") == "A001"
    for bad in ("../etc", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            safe_site_id(bad)
