"""The collector's settings during a crawl: frozen start-up objects, rarer collections, restored after."""

from __future__ import annotations

import gc
import threading

from govweb.crawl.gcpolicy import CRAWL_THRESHOLDS, crawl_gc


def test_crawl_settings_apply_inside_and_are_restored_after():
    before = gc.get_threshold()
    with crawl_gc():
        assert gc.get_threshold() == CRAWL_THRESHOLDS
        assert gc.get_freeze_count() > 0  # what existed when the crawl started is not scanned again
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_crawls_restore_the_settings_only_when_the_last_one_leaves():
    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()
    seen = []

    def other() -> None:
        with crawl_gc():
            inside.set()
            release.wait(5)
        seen.append(gc.get_threshold())

    with crawl_gc():
        t = threading.Thread(target=other)
        t.start()
        assert inside.wait(5)
    assert gc.get_threshold() == CRAWL_THRESHOLDS  # the other crawl is still running
    release.set()
    t.join(5)
    assert seen == [before]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_cycles_made_during_a_crawl_are_still_collected():
    class Node:
        pass

    with crawl_gc():
        for _ in range(50_000):
            a, b = Node(), Node()
            a.peer, b.peer = b, a
        alive = sum(isinstance(o, Node) for o in gc.get_objects())
    assert alive < 50_000 * 2  # collected along the way, not all kept until the end
