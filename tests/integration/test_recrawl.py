"""A forced re-crawl while the site is unreachable never replaces its good capture; the task fails honestly."""

from __future__ import annotations

import pytest

from govweb import attempts, evidence, pipeline
from govweb.capture import Capture
from govweb.sim.process import free_port
from tests.conftest import DEMO_INVENTORY, sim_run

pytestmark = pytest.mark.browser
SITE = "1100000088"


def test_forced_recrawl_against_a_dead_web_keeps_the_ok_capture(sim_server, tmp_path):
    store = evidence.FileStore(tmp_path)
    pipeline.stage_inventory(store, DEMO_INVENTORY, 2018)
    assert pipeline.crawl(store, sim_run(sim_server), [SITE]) == {SITE: "ok"}
    good = Capture.from_json(store.get(f"evidence/2018/{SITE}/capture.json"))
    assert good.status == "ok" and len(good.pages) > 20

    dead = pipeline.RunSettings(year=2018, as_of=sim_run(sim_server).as_of, mode="sim",
                                host_map=(f"*.gov.test=127.0.0.1:{free_port()}",), allow_private=True, force=True)
    with pytest.raises(pipeline.CrawlBatchUnreachable, match=f"{SITE} \\(refused\\)"):
        pipeline.crawl(store, dead, [SITE])  # every site of the batch failed for a network reason: retry

    current = Capture.from_json(store.get(f"evidence/2018/{SITE}/capture.json"))
    assert current == good  # the good capture stays current
    history = attempts.history(store, 2018, SITE)
    assert len(history) == 2
    assert [Capture.from_json(store.get(k)).status for k in history] == ["ok", "failed"]
