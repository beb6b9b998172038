"""The demo sites crawled for real (Chromium + HTTP), judged by every detector, agree with the ground truth."""

import pytest

from govweb import catalogue, pipeline
from govweb.bench import accuracy
from govweb.capture import Capture
from govweb.sim import truth

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def judged(crawled_demo):
    store, run = crawled_demo
    return pipeline.read_table(store, pipeline.judge(store, run))


def test_every_site_captured_with_its_site_model(crawled_demo, demo_world):
    store, run = crawled_demo
    for sim in demo_world.sites.values():
        cap = Capture.from_json(store.get(f"evidence/2018/{sim.site_id}/capture.json"))
        assert cap.status in ("ok", "partial"), (sim.site_id, cap.error, cap.partial_reasons)
        home = cap.home
        assert home is not None and home.status == 200 and home.via == "browser"
        assert store.get(home.screenshot_key).startswith(b"\x89PNG")
        assert sim.site.name in store.get_text(home.text_key)
        assert len(cap.columns) >= 8 and any(c.paginates for c in cap.columns)
        assert cap.board is None or cap.board.letters


def test_every_check_id_has_a_finding_with_a_status_for_every_site(judged, demo_world):
    assert len(judged) == len(demo_world.sites) * len(catalogue.default().ids)
    assert set(judged["check_id"]) == set(catalogue.default().ids)
    assert set(judged["status"]) <= {"pass", "fail", "not_applicable", "not_measured"}
    judged_rows = judged[judged["status"].isin(["pass", "fail"])]
    assert judged_rows["passed"].map(lambda v: v in (True, False)).all()


def test_findings_match_the_ground_truth(judged, demo_world):
    table = accuracy.compare(judged, truth.rows(demo_world))
    wrong = [e for acc in table.values() for e in acc.errors]
    assert wrong == [], "\n" + accuracy.render(table) + "\n" + "\n".join(wrong)


def test_findings_point_to_stored_evidence(judged, crawled_demo):
    store, _ = crawled_demo
    for f in judged.to_dict("records"):
        keys = f["evidence"].split(";")
        assert keys and all(store.exists(k) for k in keys), f


def test_details_are_chinese(judged):
    details = [d for d in judged["detail"] if d]
    assert details and all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for d in details)
