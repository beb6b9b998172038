"""Publishing time for a full year (937 sites): the report, scorecards, results.json and exports, then the
certificates, from synthetic stored results built from the 2018 inventory (govweb.publish.synthetic).

    .venv/bin/python benchmarks/publish.py [--sites N] [--no-certificates] [--keep DIR]

Prints the time of each step and the report's size. Target (issue 10): publishing 937 sites <= 60 s;
certificates are a separate step and are timed on their own.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from govweb import evidence
from govweb.publish import certificates, from_store, publish, synthetic


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sites", type=int, default=0, help="only the first N sites of each level (default: all)")
    p.add_argument("--no-certificates", action="store_true")
    p.add_argument("--no-locate", action="store_true", help="skip laying out evidence pages in Chromium")
    p.add_argument("--keep", type=Path, default=None, help="write store and report here (default: a temp folder)")
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    root = a.keep or Path(tempfile.mkdtemp(prefix="govweb-publish-bench-"))
    store = evidence.FileStore(root / "store")
    inv_file = synthetic.subset_inventory(root / "inventory.csv", a.sites) if a.sites else None
    t = time.monotonic()
    year = synthetic.build(store, inventory_file=inv_file)
    print(f"synthetic stored results: {len(year.inventory)} sites, {len(year.findings)} findings, "
          f"{len(year.scores)} score rows, {len(year.rankings)} ranking rows ({time.monotonic() - t:.1f} s)")

    out = root / "report"
    c0 = time.process_time()
    t0 = time.monotonic()
    inputs = from_store(store, 2018, "performance_2018", as_of="2018-10-15", inventory=year.inventory)
    t1 = time.monotonic()
    files = publish(out, inputs, locate=not a.no_locate)
    t2 = time.monotonic()
    n, size = folder_size(out)
    print(f"publish: read stored results and captures {t1 - t0:.1f} s, write report {t2 - t1:.1f} s, "
          f"total {t2 - t0:.1f} s for {len(year.inventory)} sites (target <= 60 s); Python CPU "
          f"{time.process_time() - c0:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"report: {n} files ({len(files)} written), {size / 1e6:.1f} MB in {out}")
    if not a.no_certificates:
        t3 = time.monotonic()
        certs = certificates.render(out, inputs)
        t4 = time.monotonic()
        pdfs = [f for f in certs if f.suffix == ".pdf"]
        print(f"certificates: {len(pdfs)} PDFs in {t4 - t3:.1f} s ({1000 * (t4 - t3) / max(1, len(pdfs)):.0f} ms each, "
              f"one Chromium, one page reused)")
        n, size = folder_size(out)
        print(f"report with certificates: {n} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
