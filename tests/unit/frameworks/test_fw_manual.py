"""Manual inputs validated before scoring: every kind of bad expert sheet (CSV and XLSX) gives its message
with row and field; innovation cases resolve to exactly one site; the project's files load."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from govweb import config, frameworks
from govweb.frameworks import manual
from govweb.frameworks.manual import ManualInputError, SiteInfo

PLAN = frameworks.plan("performance_2018")
KNOWN = {fw.id: fw for fw in PLAN.frameworks()}
SITES = {"1100000001": SiteInfo("北京市人民政府", "province"), "bm18000001": SiteInfo("水利部", "ministry"),
         "4403030001": SiteInfo("深圳市罗湖区人民政府", "county"),
         "4403040001": SiteInfo("深圳市福田区人民政府", "county"), "3205000001": SiteInfo("苏州市人民政府", "city")}
HEADER = ["site_id", "framework", "leaf_id", "score", "note"]
LOCAL, MINISTRY = "performance_2018_local", "performance_2018_ministry"


def manual_leaf(fw_id: str) -> tuple[str, float]:
    ref = next(r for r in KNOWN[fw_id].leaves() if r.leaf.source == "manual" and r.leaf.max > 0)
    return ref.leaf.id, float(ref.leaf.max)


def auto_leaf(fw_id: str) -> str:
    return next(r.leaf.id for r in KNOWN[fw_id].leaves() if r.leaf.source == "auto")


def write(path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for r in [header, *rows]:
            ws.append(r)
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write("# a comment line, counted in row numbers\n")
            csv.writer(f, lineterminator="\n").writerows([header, *rows])
    return path


def first_data_row(path: Path) -> int:
    return 2 if path.suffix == ".xlsx" else 3  # CSV: a comment line, then the header


@pytest.fixture(params=["csv", "xlsx"])
def sheet(request, tmp_path) -> Path:
    return tmp_path / f"expert_scores.{request.param}"


def test_a_good_sheet_gives_typed_scores(sheet):
    leaf, top = manual_leaf(LOCAL)
    mleaf, _ = manual_leaf(MINISTRY)
    path = write(sheet, [["1100000001", LOCAL, leaf, top, "ok"], ["bm18000001", MINISTRY, mleaf, "0.5", ""]])
    got = manual.validate_sheet(path, SITES, PLAN, KNOWN)
    assert [(s.site_id, s.leaf_id, float(s.score)) for s in got] == [("1100000001", leaf, top),
                                                                    ("bm18000001", mleaf, 0.5)]
    inputs = manual.ManualInputs.of(got)
    assert inputs.expert[(LOCAL, "1100000001", leaf)] == got[0].score


@pytest.mark.parametrize(("row", "field", "needle"), [
    (["9999999999", LOCAL, "{leaf}", 1, ""], "site_id", "not a site of the year's inventory"),
    (["1100000001", "performance_1999", "{leaf}", 1, ""], "framework", "is not a framework tree"),
    (["1100000001", LOCAL, "no_such_leaf", 1, ""], "leaf_id", "is not a leaf of performance_2018_local"),
    (["1100000001", LOCAL, "{auto}", 1, ""], "leaf_id", "not by experts"),
    (["1100000001", LOCAL, "{leaf}", 99, ""], "score", "is outside [0,"),
    (["1100000001", LOCAL, "{leaf}", -1, ""], "score", "is outside [0,"),
    (["1100000001", LOCAL, "{leaf}", "abc", ""], "score", "is not a number"),
    (["1100000001", LOCAL, "{leaf}", "", ""], "score", "is not a number"),
    (["1100000001", MINISTRY, "{mleaf}", 1, ""], "framework", "does not score 1100000001"),
])
def test_each_bad_row_names_its_row_and_field(sheet, row, field, needle):
    leaf, _ = manual_leaf(LOCAL)
    fill = {"{leaf}": leaf, "{auto}": auto_leaf(LOCAL), "{mleaf}": manual_leaf(MINISTRY)[0]}
    row = [fill.get(v, v) if isinstance(v, str) else v for v in row]
    path = write(sheet, [["1100000001", LOCAL, leaf, 1, "good row"], row])
    with pytest.raises(ManualInputError) as err:
        manual.validate_sheet(path, SITES, PLAN, KNOWN)
    text = str(err.value)
    assert str(path) in text and f"row {first_data_row(path) + 1}: field {field!r}" in text and needle in text
    assert f"row {first_data_row(path)}:" not in text  # the good row is not blamed


def test_duplicates_and_several_problems_are_reported_together(sheet):
    leaf, _ = manual_leaf(LOCAL)
    path = write(sheet, [["1100000001", LOCAL, leaf, 1, ""], ["1100000001", LOCAL, leaf, 1, ""],
                         ["nope", LOCAL, leaf, "x", ""]])
    with pytest.raises(ManualInputError) as err:
        manual.validate_sheet(path, SITES, PLAN, KNOWN)
    first = first_data_row(path)
    text = str(err.value)
    assert f"row {first + 1}: field 'site_id': duplicate of row {first}" in text
    assert f"row {first + 2}: field 'site_id'" in text and f"row {first + 2}: field 'score'" in text
    assert len(err.value.problems) == 3


def test_a_missing_column_is_named(sheet):
    path = write(sheet, [["1100000001", LOCAL, "x"]], header=["site_id", "framework", "leaf_id"])
    with pytest.raises(ManualInputError, match=r"row 1 \(header\): missing column\(s\) score, note"):
        manual.validate_sheet(path, SITES, PLAN, KNOWN)


def test_the_manual_veto_item_takes_0_or_1(sheet):
    leaf = next(r.leaf for r in KNOWN["inspection_2019"].leaves() if r.leaf.source == "manual")
    assert manual.validate_sheet(write(sheet, [["1100000001", "inspection_2019", leaf.id, 1, ""]]), SITES, PLAN, KNOWN)
    with pytest.raises(ManualInputError, match=r"outside \[0, 1\]"):
        manual.validate_sheet(write(sheet, [["1100000001", "inspection_2019", leaf.id, 2, ""]]), SITES, PLAN, KNOWN)


# --- innovation cases ---------------------------------------------------------------------------------

def cases(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "innovation_cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cases_resolve_by_name_and_by_site_name(tmp_path):
    path = cases(tmp_path, "cases:\n"
                 "  - {group: ministry, entity: 水利部, case: 平台}\n"
                 "  - {group: province, entity: 北京市, case: 地图}\n"
                 "  - {group: county, entity: 深圳罗湖区, case: 五公开, site_name: 深圳市罗湖区人民政府}\n")
    got = manual.validate_cases(path, SITES)
    assert [c.site_id for c in got] == ["bm18000001", "1100000001", "4403030001"]
    assert manual.ManualInputs.of(cases=got).innovation["4403030001"] == ("五公开",)


@pytest.mark.parametrize(("entry", "needle"), [
    ("{group: county, entity: 深圳罗湖区, case: c}", "matches 0 inventory sites"),
    ("{group: county, entity: 罗湖, case: c, site_name: 深圳市南山区人民政府}", "matches 0 inventory sites"),
    ("{group: city, entity: 北京市, case: c}", "a province site"),
    ("{group: town, entity: 水利部, case: c}", "'town' unknown"),
    ("{group: ministry, entity: 水利部}", "field 'case' missing"),
    ("{group: ministry, entity: 水利部, case: c, colour: red}", "unknown field 'colour'"),
])
def test_bad_cases_are_named(tmp_path, entry, needle):
    with pytest.raises(ManualInputError) as err:
        text = f"cases:\n  - {{group: ministry, entity: 水利部, case: ok}}\n  - {entry}\n"
        manual.validate_cases(cases(tmp_path, text), SITES)
    assert "cases[1]" in str(err.value) and needle in str(err.value)


def test_an_ambiguous_name_fails(tmp_path):
    sites = {**SITES, "x": SiteInfo("水利部", "ministry")}
    with pytest.raises(ManualInputError, match="matches 2 inventory sites"):
        manual.validate_cases(cases(tmp_path, "cases:\n  - {group: ministry, entity: 水利部, case: c}\n"), sites)


def test_an_excluded_case_must_really_be_missing_from_the_inventory(tmp_path):
    text = ("cases: []\nexcluded:\n"
            "  - {group: county, entity: 福田, case: c, site_name: 深圳市福田区人民政府, reason: r}\n")
    with pytest.raises(ManualInputError, match="move the case to 'cases'"):
        manual.validate_cases(cases(tmp_path, text), SITES)


# --- the project's files ------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2016, 2017, 2018])
def test_the_years_manual_inputs_load(year):
    inputs = manual.load(year, PLAN)
    sites = manual.year_sites(year)
    assert len(inputs.sources) == 2
    # every site has the same expert score on every manual leaf of each framework scoring it
    for fw in PLAN.frameworks():
        for ref in fw.leaves():
            if ref.leaf.source != "manual":
                continue
            got = {inputs.expert.get((fw.id, sid, ref.leaf.id)) for sid, s in sites.items()
                   if fw.id == PLAN.ranking_for(s.level).id or fw in PLAN.alongside}
            assert len(got) == 1 and None not in got, (fw.id, ref.leaf.id)


def test_the_2018_innovation_cases_are_the_published_forty():
    import yaml

    raw = yaml.safe_load((config.inventory_dir() / "2018" / "innovation_cases.yaml").read_text(encoding="utf-8"))
    listed = raw["cases"] + raw["excluded"]
    assert len(listed) == 40
    assert {g: sum(1 for c in listed if c["group"] == g) for g in ("ministry", "province", "city", "county")} == \
        {"ministry": 10, "province": 10, "city": 10, "county": 10}
    inputs = manual.load(2018, PLAN)
    assert sum(len(v) for v in inputs.innovation.values()) == len(raw["cases"])
    assert all(r["reason"] for r in raw["excluded"])
