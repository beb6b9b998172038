"""The 2018 scenario inventory of real entities and the published results it must reproduce."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from govweb import inventory
from govweb.models import INVENTORY_COLUMNS

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "build_scenario_2018.py"
CSV = REPO / "include" / "inventory" / "scenario_2018.csv"
PUBLISHED = REPO / "include" / "inventory" / "published_2018.yaml"
GROUPS = ("province", "subprovincial_city", "provincial_capital", "prefecture_city", "county")


@pytest.fixture(scope="module")
def sites():
    return inventory.load(CSV)


@pytest.fixture(scope="module")
def published():
    return yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))


def test_csv_passes_the_inventory_validator_with_exactly_the_inventory_columns(sites):
    header = CSV.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(INVENTORY_COLUMNS)
    assert len(sites) == 937
    assert all(s.active for s in sites)


def test_row_counts_per_level(sites):
    assert Counter(s.level for s in sites) == {"ministry": 64, "province": 32, "city": 334, "county": 507}


def test_group_membership(sites):
    groups = Counter(g for s in sites for g in s.groups)
    assert groups["subprovincial_city"] == 15
    assert groups["provincial_capital"] == 27
    assert groups["prefecture_city"] == 334 - 32  # 15 sub-provincial + 27 capitals, 10 of them both
    assert sum(1 for s in sites if s.level == "city") == 334
    assert groups["ministry"] == 64 and groups["province"] == 32 and groups["county"] == 507
    by_name = {s.name: s for s in sites}
    assert by_name["成都市人民政府"].groups == ("subprovincial_city", "provincial_capital")
    assert by_name["大连市人民政府"].groups == ("subprovincial_city",)
    assert by_name["拉萨市人民政府"].groups == ("provincial_capital",)
    assert by_name["凉山彝族自治州人民政府"].groups == ("prefecture_city",)
    for s in sites:
        expected = {"ministry": {"ministry"}, "province": {"province"}, "county": {"county"},
                    "city": {"prefecture_city", "subprovincial_city", "provincial_capital"}}[s.level]
        assert set(s.groups) <= expected, s


def test_site_ids_and_hosts_are_unique_and_well_formed(sites):
    ids = [s.site_id for s in sites]
    hosts = [urlsplit(s.url).hostname for s in sites]
    assert len(set(ids)) == len(ids)
    assert len(set(hosts)) == len(hosts)
    for s, host in zip(sites, hosts, strict=True):
        pattern = r"bm\d{8}" if s.level == "ministry" else r"\d{10}"
        assert re.fullmatch(pattern, s.site_id), s.site_id
        assert re.fullmatch(r"www\.[a-z0-9-]+\.gov\.test", host), s.url
        assert s.url == f"http://{host}/"


def test_regions_provinces_and_parents_are_consistent(sites):
    by_id = {s.site_id: s for s in sites}
    for s in sites:
        if s.level == "ministry":
            assert (s.region, s.province, s.parent_id) == ("national", "", "")
        elif s.level == "province":
            assert s.region in ("east", "central", "west", "northeast") and s.province and not s.parent_id
        else:
            parent = by_id[s.parent_id]
            assert parent.province == s.province and parent.region == s.region
            assert parent.level in (("province",) if s.level == "city" else ("city", "province"))
            if s.level == "county" and parent.level == "province":  # only when the city is not a site
                assert not any(c.level == "city" and c.site_id[:4] == s.site_id[:4] for c in sites)
    regions = {s.province: s.region for s in sites if s.level == "province"}
    assert regions["北京"] == "east" and regions["河南"] == "central"
    assert regions["四川"] == "west" and regions["吉林"] == "northeast"
    assert by_id["4403030001"].name == "深圳市罗湖区人民政府"
    assert by_id["4403030001"].url == "http://www.szlh.gov.test/"
    assert by_id["3210810001"].name == "仪征市人民政府"


def test_every_published_site_exists_with_its_group(sites, published):
    by_id = {s.site_id: s for s in sites}
    assert set(published["groups"]) == set(GROUPS)
    for group, result in published["groups"].items():
        ranks = [entry["rank"] for entry in result["top"]]
        assert ranks == list(range(1, len(ranks) + 1)), group
        named = [site for entry in result["top"] for site in entry["sites"]] + result["most_improved"]
        assert named, group
        for site in named:
            assert site["site_id"] in by_id, (group, site)
            assert by_id[site["site_id"]].name == site["name"]
            assert group in by_id[site["site_id"]].groups, (group, site)


def test_published_details(published):
    groups = published["groups"]

    def top(group):
        return {e["rank"]: [s["name"] for s in e["sites"]] for e in groups[group]["top"]}

    assert top("province")[1] == ["北京市人民政府"]
    assert top("provincial_capital")[5] == ["贵阳市人民政府", "南宁市人民政府"]
    capitals = top("provincial_capital")
    assert [capitals[r] for r in (7, 8, 9)] == [["济南市人民政府"], ["郑州市人民政府"], ["南昌市人民政府"]]
    assert top("prefecture_city")[4] == ["潍坊市人民政府", "凉山彝族自治州人民政府"]
    assert top("county")[7] == ["仪征市人民政府"]
    assert [s["name"] for s in groups["county"]["most_improved"]][-1] == "都江堰市人民政府"
    assert any("南宁" in note for note in published["notes"])
    assert "2018" in published["source"]
    assert published["sizes"] == {"ministry": 64, "province": 32, "prefecture_city": 334, "county": 507,
                                  "total": 937}


def test_generator_reproduces_both_files_byte_for_byte(tmp_path):
    out, pub = tmp_path / "scenario.csv", tmp_path / "published.yaml"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--published", str(pub)],
                   check=True, capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == CSV.read_bytes()
    assert pub.read_bytes() == PUBLISHED.read_bytes()
