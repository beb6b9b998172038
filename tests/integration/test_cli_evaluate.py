"""`govweb evaluate` end to end on the simulated web, its refusals, and byte-for-byte reproducibility."""

import csv
import shutil

import pytest

from govweb import cli, evidence, pipeline
from tests.conftest import DEMO_INVENTORY

pytestmark = pytest.mark.browser


def read(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def evaluated(sim_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-out")
    code = cli.main(["evaluate", "--inventory", str(DEMO_INVENTORY), "--year", "2018", "--as-of", "2018-10-15",
                     "--out", str(out), "--host-map", sim_server.host_map, "--allow-private", "--mode", "sim"])
    assert code == 0
    return out


def test_outputs_and_their_columns(evaluated):
    findings, scores, rankings = (read(evaluated / f"{n}.csv") for n in ("findings", "scores", "rankings"))
    assert list(findings[0])[:8] == ["site_id", "year", "check_id", "passed", "value", "detail", "evidence",
                                     "status"]
    assert list(rankings[0]) == ["year", "group", "rank", "site_id", "name", "total", "delta", "tie", "vetoed"]
    assert len(findings) == 11 * 33  # every catalogue check for every site
    # each site on its level's ranking framework and on the inspection rules alongside (framework set default)
    assert len(scores) == 11 * 2 and {s["framework"] for s in scores} == {"performance_2018_local", "inspection_2019"}
    assert {f["status"] for f in findings} <= {"pass", "fail", "not_applicable", "not_measured"}
    assert all(f["passed"] == "" for f in findings if f["status"] in ("not_applicable", "not_measured"))
    assert (evaluated / "index.html").is_file()
    assert len(list((evaluated / "sites").glob("*.html"))) == 11


def test_rankings_follow_the_planted_defects(evaluated):
    rankings = read(evaluated / "rankings.csv")
    province = [(r["rank"], r["name"], r["tie"]) for r in rankings if r["group"] == "province"]
    # Beijing and Shanghai are clean (tie at 1); Sichuan has one broken link; Jilin lacks both codes.
    assert province == [("1", "北京市人民政府", "True"), ("1", "上海市人民政府", "True"),
                        ("2", "四川省人民政府", "False"), ("3", "吉林省人民政府", "False")]
    suzhou = next(r for r in rankings if r["site_id"] == "3205000001")
    assert suzhou["vetoed"] == "True" and suzhou["rank"] == ""  # home page not updated for 40 days


def test_report_is_in_the_evidence_store_too(evaluated):
    store = evidence.FileStore(evaluated / "evidence")
    keys = set(store.list("reports/2018/"))
    assert {"reports/2018/index.html", "reports/2018/rankings.csv"} <= keys
    assert not any(k.startswith("reports/2018/evidence/") for k in keys)


def test_rescore_from_stored_evidence_is_byte_identical(evaluated, tmp_path):
    """Principle 2: the same captures + framework give the same numbers, byte for byte."""
    shutil.copytree(evaluated / "evidence", tmp_path / "evidence")
    code = cli.main(["evaluate", "--inventory", str(DEMO_INVENTORY), "--year", "2018", "--as-of", "2018-10-15",
                     "--out", str(tmp_path), "--mode", "rescore"])
    assert code == 0
    for name in ("findings.csv", "scores.csv", "rankings.csv"):
        assert (tmp_path / name).read_bytes() == (evaluated / name).read_bytes(), name


def test_loopback_target_refused_without_allow_private(sim_server, tmp_path, capsys):
    code = cli.main(["evaluate", "--inventory", str(DEMO_INVENTORY), "--year", "2018", "--as-of", "2018-10-15",
                     "--out", str(tmp_path), "--host-map", sim_server.host_map])
    assert code == 2
    err = capsys.readouterr().err
    assert "11 of 11 sites failed to crawl" in err and "(blocked)" in err
    cap = evidence.FileStore(tmp_path / "evidence").get_json("evidence/2018/1100000088/capture.json")
    assert cap["failure_reason"] == "blocked" and "--allow-private" in cap["error"]


def test_bad_inventory_fails_before_any_crawl(tmp_path, capsys):
    bad = tmp_path / "inv.csv"
    bad.write_text(DEMO_INVENTORY.read_text(encoding="utf-8").replace("http://www.sc.gov.test/", "ftp://sc"),
                   encoding="utf-8")
    code = cli.main(["evaluate", "--inventory", str(bad), "--year", "2018", "--as-of", "2018-10-15",
                     "--out", str(tmp_path / "o"), "--host-map", "*.gov.test=127.0.0.1:9", "--allow-private"])
    assert code == 2
    assert "row 4 (site_id '5100000062'): field 'url'" in capsys.readouterr().err
    assert not (tmp_path / "o" / "evidence" / "evidence").exists()


def test_retry_skips_captured_sites(crawled_demo, caplog):
    store, run = crawled_demo
    before = store.get("evidence/2018/1100000088/capture.json")
    result = pipeline.crawl(store, run, ["1100000088", "3100000052"])
    assert result == {"1100000088": "skipped", "3100000052": "skipped"}
    assert store.get("evidence/2018/1100000088/capture.json") == before


def test_bad_host_map_is_a_clear_error(tmp_path, capsys):
    code = cli.main(["evaluate", "--inventory", str(DEMO_INVENTORY), "--year", "2018", "--as-of", "2018-10-15",
                     "--out", str(tmp_path), "--host-map", "*.gov.test"])
    assert code == 2 and "expected PATTERN=HOST[:PORT]" in capsys.readouterr().err
