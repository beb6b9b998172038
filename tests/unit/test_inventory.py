from pathlib import Path

import pytest

from govweb import inventory
from govweb.inventory import InventoryError

HEADER = "site_id,name,url,level,groups,region,province,parent_id,active\n"
GOOD = "A000000001,甲省人民政府,http://www.a.gov.test/,province,province,east,甲,,true\n"


def problems(text: str) -> list[str]:
    with pytest.raises(InventoryError) as exc:
        inventory.parse(text, "t.csv")
    return exc.value.problems


def test_demo_inventory_is_valid():
    sites = inventory.load(Path(__file__).parents[2] / "include" / "inventory" / "demo_2018.csv")
    assert len(sites) == 11
    chengdu = next(s for s in sites if s.site_id == "5101000035")
    assert chengdu.groups == ("subprovincial_city", "provincial_capital")


def test_duplicate_site_id_names_both_rows():
    p = problems(HEADER + GOOD + GOOD.replace("甲省", "乙省"))
    assert p == ["row 3 (site_id 'A000000001'): field 'site_id': duplicates row 2; site_id must be unique"]


def test_unknown_group_names_row_and_field():
    p = problems(HEADER + GOOD.replace(",province,province,", ",province,province;galaxy,"))
    assert len(p) == 1 and p[0].startswith("row 2 (site_id 'A000000001'): field 'groups': unknown group 'galaxy'")


@pytest.mark.parametrize("url", ["ftp://www.a.gov.test/", "www.a.gov.test", "javascript:alert(1)", "http://"])
def test_non_http_url_is_refused(url):
    p = problems(HEADER + GOOD.replace("http://www.a.gov.test/", url))
    assert len(p) == 1 and "field 'url'" in p[0] and "row 2" in p[0]


def test_every_problem_is_reported_not_just_the_first():
    bad = "B1,,gopher://x,planet,province,mars,,,maybe\n"
    p = problems(HEADER + GOOD + bad)
    fields = sorted(msg.split("field '")[1].split("'")[0] for msg in p)
    assert fields == ["active", "level", "name", "region", "url"]
    assert all(msg.startswith("row 3 (site_id 'B1')") for msg in p)


def test_missing_column_and_empty_file():
    assert "missing column(s) url" in problems("site_id,name,level,groups,region\n1,x,province,province,east\n")[0]
    assert "no rows" in problems(HEADER)[0]


def test_unknown_parent_is_refused():
    p = problems(HEADER + GOOD.replace(",甲,,true", ",甲,NOPE,true"))
    assert "field 'parent_id'" in p[0]


def test_csv_round_trip_and_batches():
    sites = inventory.parse(HEADER + GOOD + GOOD.replace("A000000001", "A000000002")
                            .replace(",true", ",false"))
    again = inventory.parse(inventory.to_csv(sites))
    assert again == sites
    assert [s.site_id for s in inventory.active(sites)] == ["A000000001"]
    assert inventory.batches(sites, 1) == [["A000000001"], ["A000000002"]]
    with pytest.raises(ValueError):
        inventory.batches(sites, 0)
