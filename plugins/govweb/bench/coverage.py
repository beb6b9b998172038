"""Crawl coverage against the simulated web's served structure (govweb.sim.structure), per page kind,
and the comparison with the naive all-Chromium crawler (govweb.bench.naive) on the same sites.

    govweb bench crawl --scale 60 [--naive 50] [--check]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

from govweb.capture import Capture


def norm(url: str) -> str:
    url = urldefrag(url)[0]
    for tail in ("index.html", "index.htm", "index.shtml"):
        if url.endswith("/" + tail):
            return url[: -len(tail)]
    return url


@dataclass
class Ratio:
    found: int = 0
    served: int = 0

    def add(self, found: int, served: int) -> None:
        self.found += found
        self.served += served

    @property
    def value(self) -> float:
        return self.found / self.served if self.served else 1.0


@dataclass
class Coverage:
    kinds: dict[str, Ratio] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, found: int, served: int, miss: str = "") -> None:
        self.kinds.setdefault(kind, Ratio()).add(found, served)
        if miss and found < served and len(self.misses.setdefault(kind, [])) < 8:
            self.misses[kind].append(miss)

    def render(self) -> str:
        lines = [f"{'page kind':22} {'found':>7} {'served':>7} {'coverage':>8}"]
        for kind, r in self.kinds.items():
            lines.append(f"{kind:22} {r.found:7d} {r.served:7d} {r.value:8.3f}")
        return "\n".join(lines)

    def below(self, bar: float) -> list[str]:
        return [f"{k}: {r.value:.3f} < {bar}" for k, r in self.kinds.items() if r.value < bar]


def site_coverage(cov: Coverage, st, cap: Capture) -> None:
    """Add one site's capture against its served structure."""
    sid = st.site_id
    cols = {norm(c.url): c for c in cap.columns}
    pages = {norm(p.url) for p in cap.pages if p.status and p.status < 400} | {
        norm(p.final_url) for p in cap.pages if p.final_url and p.status and p.status < 400}
    for col in st.columns:
        got = cols.get(norm(col.url))
        cov.add("columns", got is not None, 1, f"{sid} {col.name} {col.url}")
        if col.offsite:
            continue
        listed = got is not None and any(norm(u) in pages for u in got.list_pages[:1])
        cov.add("list pages", listed, 1, f"{sid} {col.name}")
        if col.paginates:
            # read, and listing other items than the first (a script pager's page 2 has the first page's address)
            second = got is not None and len(got.list_pages) >= 2 and norm(got.list_pages[1]) in pages \
                and len(got.items) > col.items_first_page
            cov.add("second pages", second, 1, f"{sid} {col.name} {col.page_urls[1]}")
        if col.items_first_page:
            n = len(got.items) if got is not None else 0
            cov.add("items", min(n, col.items_first_page), col.items_first_page, f"{sid} {col.name} {n}")
    d = st.disclosure
    for name, url in (("guide", d.guide), ("catalog", d.catalog), ("annual_reports", d.annual_reports),
                      ("key_areas", d.key_areas)):
        cov.add("disclosure pages", norm(url) in pages, 1, f"{sid} {name} {url}")
    if st.board:
        b = st.board
        want = [b.page_urls[0], b.page_urls[-1]] if b.pages > 1 else [b.page_urls[0]]
        got = {norm(u) for u in cap.board.list_pages} if cap.board else set()
        cov.add("board pages", sum(norm(u) in got for u in want), len(want), f"{sid} {b.url}")
        cov.add("letters", bool(cap.board and cap.board.letters), 1, f"{sid} {b.url}")
    want_guides = {norm(g.url): g for g in st.guides}
    got_guides = {norm(g.url): g for g in cap.guides}
    limit = min(len(want_guides), cap.limits.guides)
    cov.add("guides", min(len(set(want_guides) & set(got_guides)), limit), limit, f"{sid} {len(got_guides)}")
    for url, g in got_guides.items():
        if url in want_guides:
            served = {norm(a) for a in want_guides[url].attachments}
            checked = {norm(a.url) for a in g.attachments}
            cov.add("downloads", len(served & checked), len(served), f"{sid} {url}")
    if st.search.how != "none":
        cov.add("search probe", cap.probes.search.how != "none" and cap.probes.search.result_url != "", 1,
                f"{sid} {st.search.how} {cap.probes.search.error}")
    cov.add("mobile probe", cap.probes.mobile.attempted and cap.probes.mobile.scroll_width is not None, 1,
            f"{sid} {cap.probes.mobile.error}")
    cov.add("https probe", cap.probes.https.attempted, 1, sid)
    cov.add("ipv6 probe", cap.probes.ipv6.attempted and not cap.probes.ipv6.error, 1,
            f"{sid} {cap.probes.ipv6.error}")


def served_pages(st) -> set[str]:
    """The HTML pages a complete crawl loads (for the URL-for-URL comparison with the naive crawler)."""
    urls = set()
    for col in st.columns:
        if not col.offsite:
            urls |= {norm(u) for u in col.page_urls[:2]}
    d = st.disclosure
    urls |= {norm(u) for u in (d.guide, d.catalog, d.annual_reports, d.key_areas)}
    if st.board:
        urls |= {norm(st.board.page_urls[0]), norm(st.board.page_urls[-1])}
    urls |= {norm(g.url) for g in st.guides}
    return urls


def main(a: argparse.Namespace, world, workdir: Path) -> int:
    from govweb.bench import naive, run
    from govweb.sim import server, structure

    sim = run.SimArgs(a.scenario, a.year, a.scale) if a.sim_process else None
    bench = run.crawl_and_judge(world, workdir, concurrency=a.concurrency, judge=False, probes=False,
                                processes=a.processes, sim=sim, batch_size=a.batch_size)
    structs = {st.site_id: st for st in structure.structures(world)}
    cov = Coverage()
    caps = {}
    for sid in bench.site_ids:
        if sid in bench.faulty:
            continue
        caps[sid] = Capture.from_json(bench.store.get(f"evidence/{world.year}/{sid}/capture.json"))
        site_coverage(cov, structs[sid], caps[sid])
    n = len(caps)
    secs = bench.timings["crawl"]
    pages = sum(len(c.pages) for c in caps.values())
    print(f"crawl coverage on {n} sites of {a.scenario} {a.year} ({len(bench.faulty)} with a planted fault left "
          f"out): {secs:.1f}s for {len(bench.site_ids)} sites in {a.processes} process(es) x {a.concurrency} sites, "
          f"{pages} pages stored ({pages / secs:.1f} pages/s), peak RSS {bench.peak_rss_mib:.0f} MiB "
          f"(largest process), simulated web {'in its own process' if sim else 'in this process'}")
    print(cov.render())
    for kind, misses in cov.misses.items():
        print(f"  missed {kind}: " + "; ".join(misses))
    result = {"sites": n, "crawl_s": secs, "pages": pages, "peak_rss_mib": bench.peak_rss_mib,
              "coverage": {k: r.value for k, r in cov.kinds.items()}}
    if a.naive:
        ids = sorted(caps)[: a.naive]
        t0 = time.monotonic()
        sub = type(world)(world.year, world.as_of, {h: s for h, s in world.sites.items() if s.site_id in ids})
        ours = run.crawl_and_judge(sub, workdir / "subset", concurrency=a.concurrency, judge=False, probes=False)
        ours_s = ours.timings["crawl"]
        budget = caps[ids[0]].limits.max_pages
        with server.SimServer(sub, tls_port=0) as srv:
            from govweb.crawl.network import NetworkPolicy

            policy = NetworkPolicy.from_args([srv.host_map], allow_private=True)
            loaded, naive_s = naive.crawl([structs[i].home for i in ids], policy, budget)
        want = got_ours = got_naive = 0
        for sid in ids:
            st = structs[sid]
            target = served_pages(st)
            cap = Capture.from_json(ours.store.get(f"evidence/{world.year}/{sid}/capture.json"))
            mine = {norm(p.url) for p in cap.pages} | {norm(u) for c in cap.columns for u in c.list_pages}
            want += len(target)
            got_ours += len(target & mine)
            got_naive += len(target & {norm(u) for u in loaded.get(st.home, set())})
        print(f"\nnaive comparison on {len(ids)} sites (page budget {budget}): govweb {ours_s:.1f}s, coverage "
              f"{got_ours / want:.3f}; naive (all Chromium, 8 at a time) {naive_s:.1f}s, coverage "
              f"{got_naive / want:.3f}; speed ratio {naive_s / ours_s:.1f}x  [{time.monotonic() - t0:.0f}s]")
        result["naive"] = {"sites": len(ids), "govweb_s": ours_s, "naive_s": naive_s, "ratio": naive_s / ours_s,
                           "govweb_coverage": got_ours / want, "naive_coverage": got_naive / want}
    (workdir / "coverage.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    problems = cov.below(a.min_coverage)
    if problems and a.check:
        print("BELOW THE BAR:\n  " + "\n  ".join(problems))
        return 1
    return 0
