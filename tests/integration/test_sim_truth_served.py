"""The ground truth of scenario_2018 is complete and says "not applicable" where the element is absent.

Whether the truth agrees with what is SERVED is measured by the production detectors on a real crawl
(tests/integration/test_accuracy.py, `govweb bench accuracy`): there is no second, test-only detector here.
"""

from __future__ import annotations

import pytest

from govweb.sim import catalogue, server, truth, world

PER_SIDE = 2


@pytest.fixture(scope="module")
def world_2018_full():
    return world.load("scenario_2018", 2018)


@pytest.fixture(scope="module")
def truth_rows(world_2018_full):
    return truth.rows(world_2018_full)


def picks(rows: list[dict], w: world.World, check_id: str, only: set[str] | None = None,
          per_side: int = PER_SIDE) -> list[dict]:
    faulty = {s.site_id for s in w.sites.values() if s.fault}
    mine = sorted((r for r in rows if r["check_id"] == check_id and r["site_id"] not in faulty
                   and (only is None or r["site_id"] in only)), key=lambda r: r["site_id"])
    return [r for r in mine if r["defect"]][:per_side] + [r for r in mine if not r["defect"]][:per_side]


def by_id(w: world.World) -> dict[str, world.SimSite]:
    return {s.site_id: s for s in w.sites.values()}


# check ID -> the check whose defect removes what it measures: there the truth says "not applicable"
ABSENT_ELEMENT = {"interaction.indirect_reply": "interaction.channel", "search.works": "search.present"}


@pytest.mark.parametrize("check_id", list(ABSENT_ELEMENT))
def test_truth_says_not_applicable_where_the_element_is_absent(check_id, truth_rows, world_2018_full):
    """Where the element a check looks at is not served at all, the truth says "not applicable"
    (no defect, empty value) and the served site indeed has nothing to judge."""
    absent = {r["site_id"] for r in truth_rows if r["check_id"] == ABSENT_ELEMENT[check_id] and r["defect"]}
    chosen = picks(truth_rows, world_2018_full, check_id, absent)
    assert len(chosen) == PER_SIDE and all((r["defect"], r["expected_value"]) == (False, "") for r in chosen)
    paths = {"interaction.indirect_reply": "/hdjl/", "search.works": "/search?q=x"}
    sites = by_id(world_2018_full)
    with server.SimServer(world_2018_full) as srv:
        import http.client

        for r in chosen:
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            conn.request("GET", paths[check_id], headers={"Host": sites[r["site_id"]].host})
            assert conn.getresponse().status == 404
            conn.close()


@pytest.mark.parametrize("check_id", catalogue.CHECK_IDS)
def test_truth_covers_every_site_and_check(check_id, truth_rows, world_2018_full):
    assert len(world_2018_full.sites) == 937
    assert len(truth_rows) == 937 * 33 == len({(r["site_id"], r["check_id"]) for r in truth_rows})
    mine = [r for r in truth_rows if r["check_id"] == check_id]
    assert sorted(r["site_id"] for r in mine) == sorted(by_id(world_2018_full))
    assert all(tuple(r) == truth.TRUTH_COLUMNS and isinstance(r["defect"], bool)
               and isinstance(r["expected_value"], str) for r in mine)
