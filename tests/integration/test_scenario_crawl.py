"""The real pipeline (Chromium crawl, detectors, scoring, ranking) reproduces the published 2018
province table, ties and most-improved list included, from the simulated 2017 and 2018 web."""

import csv

import pytest
import yaml

from govweb import cli, config
from govweb.sim import server, world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenario")
    src = (config.inventory_dir() / "scenario_2018.csv").read_text(encoding="utf-8").splitlines()
    provinces = [src[0]] + [line for line in src[1:] if ",province,province," in line]
    assert len(provinces) == 33
    inv = tmp / "provinces.csv"
    inv.write_text("\n".join(provinces) + "\n", encoding="utf-8")
    for year in (2017, 2018):
        with server.SimServer(world.load("scenario_2018", year)) as srv:
            code = cli.main(["evaluate", "--inventory", str(inv), "--year", str(year), "--as-of", f"{year}-10-15",
                             "--out", str(tmp / str(year)), "--store", f"file:{tmp / 'evidence'}", "--mode", "sim",
                             "--host-map", srv.host_map, "--allow-private", "--concurrency", "4"])
            assert code == 0
    with open(tmp / "2018" / "rankings.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_province_top_table_and_most_improved(evaluated):
    published = yaml.safe_load((config.inventory_dir() / "published_2018.yaml").read_text(encoding="utf-8"))
    want = published["groups"]["province"]
    ranked = [r for r in evaluated if r["rank"] and int(r["rank"]) <= want["top"][-1]["rank"]]
    got = {}
    for r in ranked:
        got.setdefault(int(r["rank"]), set()).add(r["site_id"])
    assert got == {t["rank"]: {s["site_id"] for s in t["sites"]} for t in want["top"]}
    improved = sorted((r for r in evaluated if r["delta"] and r["vetoed"] == "False" and float(r["delta"]) > 0),
                      key=lambda r: (-float(r["delta"]), r["site_id"]))
    assert [r["site_id"] for r in improved[:3]] == [m["site_id"] for m in want["most_improved"]]
