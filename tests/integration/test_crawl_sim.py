"""The crawl of three demo sites of the simulated web: the typed capture has columns, list pages, second
pages, items, the board with letters, guides with attachments, link checks and probes; politeness holds."""

from __future__ import annotations

import logging
import time

import pytest

from govweb import evidence, pipeline
from govweb.capture import CrawlLimits
from govweb.crawl.batch import already_captured, crawl_batch
from tests.conftest import AS_OF, DEMO_INVENTORY, sim_run

pytestmark = pytest.mark.browser
log = logging.getLogger(__name__)
SITES = 3


@pytest.fixture(scope="module")
def crawl(sim_server, tmp_path_factory):
    store = evidence.FileStore(tmp_path_factory.mktemp("crawl-evidence"))
    run = sim_run(sim_server)
    pipeline.stage_inventory(store, DEMO_INVENTORY, 2018)
    sites = pipeline.load_staged(store, 2018)[:SITES]
    limits = CrawlLimits(per_host_concurrency=3)
    t0 = time.monotonic()
    # two worker processes (as `govweb evaluate --crawl-processes 2` runs): the captures below come from both
    result = crawl_batch(sites, store, year=2018, as_of="2018-10-15", policy=run.policy, mode="sim",
                         force=True, limits=limits, processes=2)
    elapsed = time.monotonic() - t0
    caps = [pipeline.load_capture(store, 2018, s.site_id) for s in sites]
    pages = sum(c.stats.pages for c in caps)
    log.warning("crawled %d sites, %d pages in %.1fs: %.1f pages/s", len(caps), pages, elapsed, pages / elapsed)
    return store, sites, result, caps


def test_every_site_captured_ok(crawl):
    store, sites, result, caps = crawl
    assert set(result) == {s.site_id for s in sites}
    assert all(c.status in ("ok", "partial") for c in caps), [(c.site_id, c.status, c.error) for c in caps]
    assert all(already_captured(store, 2018, s.site_id) for s in sites)
    assert crawl_batch(sites, store, year=2018, as_of="2018-10-15", policy=pipeline.RunSettings(
        year=2018, as_of=AS_OF).policy, mode="sim") == {s.site_id: "skipped" for s in sites}


def test_home_page_rendered_with_screenshot_and_items(crawl):
    store, _, _, caps = crawl
    for cap in caps:
        home = cap.home
        assert home.via == "browser" and home.status == 200
        assert home.screenshot_key and store.exists(home.screenshot_key)
        assert home.html_key and home.text_key and home.items and home.links


def test_columns_list_pages_second_pages_items_and_samples(crawl):
    _, _, _, caps = crawl
    for cap in caps:
        cats = {c.category for c in cap.columns}
        assert {"news", "notice", "policy", "disclosure", "services"} <= cats, cats
        assert any(c.category == "key_area" and c.found_in == "key_area" for c in cap.columns)
        listed = [c for c in cap.columns if c.list_pages]
        assert len(listed) >= 10
        assert any(len(c.list_pages) >= 2 and c.paginates for c in cap.columns)  # a column or the board
        assert sum(len(c.items) for c in cap.columns) > 50
        assert cap.pages_of("column") and cap.pages_of("article") and cap.pages_of("disclosure")
        sampled = [u for c in cap.columns for u in c.sampled]
        assert sampled and all(cap.page(u).kind == "article" for u in sampled)


def test_board_letters_and_guides_with_attachments(crawl):
    _, _, _, caps = crawl
    boards = [c.board for c in caps if c.board]
    assert boards, "no board found on any site"
    for board in boards:
        assert board.letters and board.list_pages
        assert any(x.status_word for x in board.letters)
        assert any(x.replied or x.reply_text for x in board.letters)
    for cap in caps:
        assert cap.guides and all(g.labels for g in cap.guides)
        assert any(g.attachments and g.attachments[0].status is not None for g in cap.guides)


def test_link_checks_probes_and_stats(crawl):
    _, _, _, caps = crawl
    for cap in caps:
        assert cap.link_checks and len({c.url for c in cap.link_checks}) == len(cap.link_checks)
        checked = {c.url for c in cap.link_checks}
        articles = cap.pages_of("article")[: cap.limits.inner_link_pages]
        assert {lk.href for p in articles for lk in p.links} <= checked, "inner-page links not checked"
        assert {lk.href for lk in cap.home.links} <= checked
        assert cap.robots.fetched
        assert cap.stats.pages == len([p for p in cap.pages if p.status is not None])
        assert cap.stats.browser_pages >= 1 and cap.stats.http_pages > 20
        assert cap.probes.https.attempted and cap.probes.ipv6.attempted
        assert cap.limits.per_host_concurrency == 3


def test_the_search_query_is_chosen_from_the_whole_capture(crawl):
    """The search runs once the columns are crawled: its query is the one the finished capture gives (chosen
    from the items crawled so far, it would depend on timing, and so would the evidence)."""
    from govweb.crawl.probe_results import pick_query

    _, _, _, caps = crawl
    searched = [c for c in caps if c.probes.search.query]
    assert searched, "no site was searched"
    for cap in searched:
        query, target = pick_query(cap, cap.home)
        assert (cap.probes.search.query, cap.probes.search.target_url) == (query, target.url), cap.site_id
