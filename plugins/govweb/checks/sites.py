"""Judge the stored captures of many sites, spread over worker processes (detectors are pure CPU work).

Sites are judged in chunks; the findings come back in the sites' order whatever the number of processes, so
findings.csv is the same bytes with one process or many.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import repeat

from govweb import catalogue as catalogue_mod
from govweb.capture import AvailabilityProbe, Capture
from govweb.checks import runner
from govweb.models import Finding

log = logging.getLogger(__name__)

CHUNK = 20  # sites per unit of work handed to a process
MIN_SITES_PER_PROCESS = 40  # below this a worker's start-up (imports, catalogue) costs more than it saves
MAX_PROCESSES = 8


@dataclass(frozen=True)
class SiteToJudge:
    site_id: str
    expected_site_code: str = ""
    probes: tuple = ()  # availability probes from the probe log, when it has some


@dataclass(frozen=True)
class JudgeJob:
    """What every worker needs besides the sites: picklable, so it crosses into spawned processes."""
    store: object  # an EvidenceStore
    year: int
    as_of: date
    check_ids: tuple[str, ...]
    probe_window: tuple[str, str] | None = None


def default_processes() -> int:
    """The cores this process may use (the judge task runs alone: nothing else of the run is working then)."""
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def _judge_chunk(job: JudgeJob, sites: list[SiteToJudge], load: Callable[[object, int, str], Capture]) \
        -> list[Finding]:
    cat = catalogue_mod.default()
    out: list[Finding] = []
    for s in sites:
        cap = load(job.store, job.year, s.site_id)
        if s.probes and job.probe_window is not None:  # the scheduled probes of the window before as_of
            start, end = job.probe_window
            cap.probes.availability = AvailabilityProbe(attempted=True, source="probe_log", window_start=start,
                                                        window_end=end, probes=list(s.probes))
        out += runner.judge_capture(cap, job.store, as_of=job.as_of, check_ids=list(job.check_ids), catalogue=cat,
                                    expected_site_code=s.expected_site_code)
    return out


def _chunks(sites: list[SiteToJudge]) -> Iterator[list[SiteToJudge]]:
    for i in range(0, len(sites), CHUNK):
        yield sites[i:i + CHUNK]


def judge_sites(job: JudgeJob, sites: list[SiteToJudge], load: Callable[[object, int, str], Capture],
                processes: int | None = None) -> list[Finding]:
    """Findings of every check for every site, in the sites' order. `load(store, year, site_id)` reads a
    capture (a module-level function: it is sent to the workers). Progress is logged as chunks finish."""
    wanted = default_processes() if processes is None else processes
    procs = max(1, min(wanted, len(sites) // MIN_SITES_PER_PROCESS))
    log.info("judging %d site(s) in %d process(es)", len(sites), procs)
    chunks = list(_chunks(sites))
    findings: list[Finding] = []
    done = 0
    with contextlib.ExitStack() as stack:
        if procs == 1:
            results: Iterator[list[Finding]] = map(_judge_chunk, repeat(job), chunks, repeat(load))
        else:  # spawned: no forked locks, loggers or sockets of the task
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=procs,
                                                           mp_context=multiprocessing.get_context("spawn")))
            results = pool.map(_judge_chunk, repeat(job), chunks, repeat(load))
        for chunk, found in zip(chunks, results, strict=True):  # in the sites' order
            findings += found
            done += len(chunk)
            _progress(done, len(sites))
    return findings


def _progress(done: int, total: int) -> None:
    if done % 100 < CHUNK or done == total:
        log.info("judged %d/%d sites", done, total)
