"""The cyclic garbage collector during a crawl.

A crawl worker allocates a few hundred thousand container objects a site (parsed rows, links, page models)
and keeps a dozen sites' captures alive at once. With CPython's default thresholds (700, 10, 10) the
collector ran about a thousand times per 36 sites, and each full collection walked every long-lived object,
imported modules included: 2.8–3.8 CPU-s per worker in a 72-site crawl (2 workers), about 5% of the
machine's CPU (measured with gc.callbacks). Freezing what exists when the crawl starts (modules, settings)
and running the youngest generation 14 times less often cut that to 1.3 CPU-s, at the same peak memory.
The older generations keep their default cadence relative to it: with full collections ten times rarer
still, the trees of finished sites that waited in reference cycles for one reached 8 GiB in a full-scale
crawl worker (context.TreeKeeper.clear now lets them go when the site is done).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

CRAWL_THRESHOLDS = (10_000, 10, 10)
_lock = threading.Lock()
_active = 0  # crawls in this process inside crawl_gc (the collector's settings are the process's own)
_before: tuple[int, ...] = ()


@contextlib.contextmanager
def crawl_gc(thresholds: tuple[int, int, int] = CRAWL_THRESHOLDS) -> Iterator[None]:
    """Within the block: objects that exist now are frozen (never scanned again) and the collector runs at
    `thresholds`; when the last crawl of the process leaves, the previous thresholds are restored and the
    frozen objects are scanned again (crawls that overlap in one process share the setting)."""
    global _active, _before
    with _lock:
        _active += 1
        if _active == 1:
            _before = gc.get_threshold()
            gc.collect()
            gc.freeze()
            gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_before)
                gc.unfreeze()
