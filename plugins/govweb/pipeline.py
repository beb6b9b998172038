"""The evaluation stages as plain functions over the evidence store.

Both the `govweb evaluate` command and the Airflow DAG call these; each stage reads its inputs
from the store and writes its outputs there, returning keys (XCom carries keys, never data).
Re-running a stage for the same year replaces its outputs.
"""

from __future__ import annotations

import io
import json
import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd

from govweb import attempts, inventory, scoring
from govweb.capture import Capture
from govweb.checks import runner
from govweb.evidence import EvidenceStore, capture_key, content_type
from govweb.models import Site
from govweb.runsettings import CONCRETE_MODES, RunSettings, SettingsError  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)
MODES = CONCRETE_MODES


class CrawlHealthError(RuntimeError):
    pass


def results_prefix(year: int, framework: str) -> str:
    return f"results/{year}/{framework}"


def inventory_key(year: int) -> str:
    return f"inventory/{year}/inventory.csv"


def load_capture(store: EvidenceStore, year: int, site_id: str) -> Capture:
    key = capture_key(year, site_id)
    if not store.exists(key):
        raise FileNotFoundError(f"no capture stored at {key} in {store.url}; crawl the site first")
    return Capture.from_json(store.get(key), source=key)


def read_table(store: EvidenceStore, key: str) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(store.get(key)), dtype=str, keep_default_na=False)
    for col in ("passed", "veto", "vetoed", "tie", "active"):
        if col in df:
            df[col] = df[col].map({"True": True, "False": False, "true": True, "false": False, "": None}
                                  ).astype(object)
            df[col] = df[col].where(df[col].notna(), None)
    for col in ("total", "max_total", "score", "max", *[c for c in df.columns if c.startswith("dim:")]):
        if col in df:  # empty where a row's framework lacks the dimension (several frameworks in one table)
            df[col] = pd.to_numeric(df[col].replace("", None)).astype(float)
    if "year" in df:
        df["year"] = df["year"].astype(int)
    if "rank" in df:
        df["rank"] = pd.to_numeric(df["rank"].replace("", None)).astype("Int64")
    if "delta" in df:
        df["delta"] = pd.to_numeric(df["delta"].replace("", None)).astype("Float64")
    return df


def write_table(store: EvidenceStore, key: str, df: pd.DataFrame) -> str:
    return store.put(key, df.to_csv(index=False, lineterminator="\n").encode("utf-8"), "text/csv; charset=utf-8")


# -- stages -------------------------------------------------------------------------------------

def stage_inventory(store: EvidenceStore, source: str | Path, year: int) -> str:
    """Validate the inventory file (every problem, by row and field) and stage it for the year."""
    sites = inventory.load(source)
    key = store.put(inventory_key(year), inventory.to_csv(sites).encode("utf-8"), "text/csv; charset=utf-8")
    log.info("staged %d sites (%d active) from %s as %s", len(sites), len(inventory.active(sites)), source, key)
    return key


def stage_for_run(store: EvidenceStore, run: RunSettings) -> str:
    """Stage the run's inventory; a rescore without the file re-uses the inventory staged for the year."""
    key = inventory_key(run.year)
    if run.mode == "rescore" and not Path(run.inventory).is_file() and store.exists(key):
        log.info("rescore: %s not found; using the inventory staged for %d (%s)", run.inventory, run.year, key)
        return key
    return stage_inventory(store, run.inventory, run.year)


def load_staged(store: EvidenceStore, year: int) -> list[Site]:
    return inventory.parse(store.get_text(inventory_key(year)), source=inventory_key(year))


def validate_inventory(store: EvidenceStore, year: int) -> int:
    """Re-validate the staged inventory (rules + Great Expectations suite); return the active count."""
    from govweb import quality

    sites = load_staged(store, year)
    result = quality.check_inventory(inventory.to_frame(sites))
    store.put_text(f"quality/{year}/inventory.json", result.to_json(), "application/json")
    quality.gate(result)
    return len(inventory.active(sites))


def _batched(store: EvidenceStore, run: RunSettings, sites: list[Site]) -> list[list[str]]:
    """Batches of `sites`, the longest expected crawls first (crawl/schedule.py): they start first, and each
    batch is crawled in order."""
    from govweb.crawl.schedule import crawl_order

    reaches_sites = run.mode in ("live", "sim")  # rescore and archive runs do not request the sites' home pages
    return inventory.batches(crawl_order(sites, store, run.year, run.policy if reaches_sites else None),
                             run.batch_size)


def plan_batches(store: EvidenceStore, run: RunSettings) -> list[list[str]]:
    """Batches of every active site."""
    sites = inventory.active(load_staged(store, run.year))
    plan = _batched(store, run, sites)
    log.info("%d active sites in %d batch(es) of at most %d", len(sites), len(plan), run.batch_size)
    return plan


def plan_for_run(store: EvidenceStore, run: RunSettings) -> list[list[str]]:
    """Batches of the run: every active site, or with failed_only the sites without a usable capture."""
    if not run.failed_only:
        return plan_batches(store, run)
    staged = inventory.active(load_staged(store, run.year))
    sites = [s for s in staged if not attempts.usable(store, run.year, s.site_id)]
    log.info("failed_only: %d site(s) without a usable capture for %d", len(sites), run.year)
    return _batched(store, run, sites)


def crawl(store: EvidenceStore, run: RunSettings, site_ids: list[str]) -> dict[str, str]:
    from govweb.crawl.batch import crawl_batch

    by_id = {s.site_id: s for s in load_staged(store, run.year)}
    unknown = [sid for sid in site_ids if sid not in by_id]
    if unknown:
        raise KeyError(f"site ids not in the staged inventory for {run.year}: {unknown}")
    if run.mode == "rescore":
        missing = [sid for sid in site_ids if not store.exists(capture_key(run.year, sid))]
        if missing:
            raise FileNotFoundError(f"rescore mode: no stored capture for {missing} in {run.year}")
        return {sid: "stored" for sid in site_ids}
    from govweb import catalogue
    from govweb.crawl.settings import CrawlSettings

    cat = catalogue.default()
    avail = cat["availability.homepage"]
    settings = CrawlSettings.for_mode(run.mode, availability_probes=int(avail.threshold("in_run_probes")),
                                      availability_spacing_s=float(avail.threshold("in_run_spacing_s")),
                                      availability_covered=_probe_log_covers(store, run, cat, site_ids))
    result = crawl_batch([by_id[s] for s in site_ids], store, year=run.year, as_of=run.as_of.isoformat(),
                         policy=run.policy, mode=run.mode, settings=settings, concurrency=run.concurrency,
                         force=run.force, processes=run.crawl_processes)
    _fail_if_all_unreachable(result)
    return result


def _probe_log_covers(store: EvidenceStore, run: RunSettings, cat, site_ids: list[str]) -> frozenset[str]:
    """The sites of the batch whose probe log holds enough probes (every day of the judged window): their
    availability is judged on it and the crawl takes no home-page probes of their own. The others (a site
    new to the inventory, one the probe DAG missed for a day) are probed during the crawl."""
    if run.mode not in ("live", "sim"):
        return frozenset()
    from govweb.watch import probelog

    start, end = probelog.judged_window(run.as_of, cat)
    found = probelog.windows(store, start, end, set(site_ids))
    covered = frozenset(sid for sid in site_ids if probelog.summary(found.get(sid, []), site_id=sid, start=start,
                                                                     end=end, cat=cat).enough)
    log.info("probe log %s..%s covers %d of %d site(s) of the batch: availability probed during the crawl for %s",
             start, end, len(covered), len(site_ids),
             "none" if len(covered) == len(site_ids) else f"the other {len(site_ids) - len(covered)}")
    return covered


NETWORK_REASONS = ("timeout", "dns", "tls", "refused", "browser_crash")


class CrawlBatchUnreachable(RuntimeError):
    """Every site of a batch failed for a network reason: the task fails (and is retried)."""


def _fail_if_all_unreachable(result: dict[str, str]) -> None:
    tried = {sid: st for sid, st in result.items() if st != "skipped"}
    failed = {sid: st.split(":", 1)[1] for sid, st in tried.items() if st.startswith("failed:")}
    if tried and len(failed) == len(tried) and all(r in NETWORK_REASONS for r in failed.values()):
        raise CrawlBatchUnreachable(f"all {len(tried)} site(s) of this batch failed for a network reason: "
                                    + ", ".join(f"{sid} ({r})" for sid, r in sorted(failed.items())))
    for sid, reason in sorted(failed.items()):
        log.warning("crawl failed: %s (%s)", sid, reason)


def crawl_health(store: EvidenceStore, run: RunSettings) -> dict:
    """Summarise capture statuses; raise when the failed share passes the threshold."""
    from govweb.crawl.schedule import health_key

    sites = inventory.active(load_staged(store, run.year))
    failed, seconds = [], {}
    for s in sites:
        key = capture_key(run.year, s.site_id)
        cap = store.get_json(key) if store.exists(key) else {"status": "failed", "failure_reason": "missing",
                                                             "error": "no capture stored"}
        if cap["status"] == "failed":
            failed.append({"site_id": s.site_id, "name": s.name, "reason": cap["failure_reason"],
                           "error": cap.get("error", "")})
        if (cap.get("stats") or {}).get("seconds") is not None:
            seconds[s.site_id] = cap["stats"]["seconds"]  # next year's crawl starts the slowest sites first
    share = len(failed) / len(sites) if sites else 0.0
    report = {"year": run.year, "sites": len(sites), "failed": failed, "failed_share": round(share, 4),
              "seconds": seconds}
    store.put_json(health_key(run.year), report)
    for f in failed:
        log.warning("crawl failed: %s %s (%s) %s", f["site_id"], f["name"], f["reason"], f["error"][:200])
    if share > run.max_failed_share:
        raise CrawlHealthError(f"{len(failed)} of {len(sites)} sites failed to crawl ({share:.0%} > "
                               f"{run.max_failed_share:.0%}): " + ", ".join(f"{f['site_id']} ({f['reason']})"
                                                                           for f in failed[:20]))
    return report


def judge(store: EvidenceStore, run: RunSettings) -> str:
    from govweb import catalogue, checks
    from govweb.checks import sites as judging

    cat = catalogue.default()
    checks.verify(cat)
    sites = inventory.active(load_staged(store, run.year))
    probe_log = _probe_log(store, run, cat, {s.site_id for s in sites})
    job = judging.JudgeJob(store, run.year, run.as_of, tuple(cat.ids),  # every check ID: frameworks pick theirs
                           probe_log["window"])
    todo = [judging.SiteToJudge(s.site_id, inventory.site_code(s), tuple(probe_log.get(s.site_id) or ()))
            for s in sites]
    findings = judging.judge_sites(job, todo, load_capture)
    keep_previous_version(store, run)
    return write_table(store, f"{results_prefix(run.year, run.framework)}/findings.csv", runner.to_frame(findings))


def rules_version(framework: str, year: int | None = None) -> dict[str, str]:
    """Digests of what the results depend on besides the captures: the framework files (a set and its
    trees), the catalogue (thresholds) and its dictionaries, and the year's manual inputs (expert scores,
    innovation cases) when `year` is given."""
    from govweb import catalogue, config, evidence
    from govweb.frameworks import manual

    paths = scoring.framework_files(framework)
    files = {"framework": paths[0], **{f"framework:{p.stem}": p for p in paths[1:]},
             "catalogue": config.checks_dir() / "catalogue.yaml"}
    files |= {f"dictionary:{n}": p for n, p in sorted(catalogue.default().dictionary_paths.items())}
    if year is not None:
        files |= {f"manual:{p.name}": p for p in (manual.year_dir(year) / "expert_scores.csv",
                                                   manual.year_dir(year) / "expert_scores.xlsx",
                                                   manual.year_dir(year) / "innovation_cases.yaml")}
    out = {k: evidence.sha256(p.read_bytes()) for k, p in files.items() if p.is_file()}
    out["version"] = evidence.sha256(json.dumps(out, sort_keys=True).encode())[:12]
    return out


def keep_previous_version(store: EvidenceStore, run: RunSettings) -> None:
    """Re-judging a year under another framework or thresholds version keeps the earlier results: they move
    to results/{year}/{framework}/versions/{version}/ before the new ones are written."""
    prefix = results_prefix(run.year, run.framework)
    now = rules_version(run.framework, run.year)
    key = f"{prefix}/version.json"
    if store.exists(key):
        before = store.get_json(key)
        if before.get("version") != now["version"]:
            for name in ("findings.csv", "scores.csv", "indicator_scores.csv", "rankings.csv", "version.json"):
                if store.exists(f"{prefix}/{name}"):
                    store.put(f"{prefix}/versions/{before['version']}/{name}", store.get(f"{prefix}/{name}"))
            log.info("rules changed (%s -> %s): earlier results kept under %s/versions/%s/", before["version"],
                     now["version"], prefix, before["version"])
    store.put_json(key, now)


def _probe_log(store: EvidenceStore, run: RunSettings, cat, site_ids: set[str]) -> dict:
    """Availability probes from the probe log (govweb_availability_probe) for the window before as_of."""
    from govweb.watch import probelog

    start, end = probelog.judged_window(run.as_of, cat)
    found = probelog.windows(store, start, end, site_ids)
    log.info("probe log %s..%s: probes for %d of %d site(s)%s", start, end, len(found), len(site_ids),
             "" if found else " (availability judged on the probes taken during the crawl)")
    return {**found, "window": (start.isoformat(), end.isoformat())}


def manual_inputs(run: RunSettings, plan: scoring.FrameworkPlan, sites: list[Site]) -> scoring.ManualInputs:
    """The year's expert scores and innovation cases, validated (every problem at once) before scoring."""
    from govweb.frameworks import manual

    return manual.load(run.year, plan, {s.site_id: manual.SiteInfo(s.name, s.level) for s in sites})


def score(store: EvidenceStore, run: RunSettings) -> str:
    """scores.csv (one row per site and framework) and indicator_scores.csv (one row per site, framework and
    leaf): each site on its level's ranking framework and on every framework scored alongside."""
    plan = scoring.plan(run.framework)
    prefix = results_prefix(run.year, run.framework)
    sites = inventory.active(load_staged(store, run.year))
    manual = manual_inputs(run, plan, sites)
    tables = scoring.score_tables(read_table(store, f"{prefix}/findings.csv"), inventory.to_frame(sites), plan,
                                  run.year, manual)
    write_table(store, f"{prefix}/indicator_scores.csv", tables.indicators)
    return write_table(store, f"{prefix}/scores.csv", tables.scores)


def validate_results(store: EvidenceStore, run: RunSettings) -> str:
    from govweb import catalogue, quality

    plan = scoring.plan(run.framework)  # a bad framework fails here, before the gate
    prefix = results_prefix(run.year, run.framework)
    inv = inventory.to_frame(inventory.active(load_staged(store, run.year)))
    results = [
        quality.check_findings(read_table(store, f"{prefix}/findings.csv"), catalogue.default().ids,
                               list(inv["site_id"])),
        quality.check_scores(read_table(store, f"{prefix}/scores.csv"), inv, plan),
        quality.check_indicator_scores(read_table(store, f"{prefix}/indicator_scores.csv"), inv, plan),
    ]
    key = store.put_json(f"quality/{run.year}/{run.framework}.json",
                         [json.loads(r.to_json()) for r in results])
    for r in results:
        quality.gate(r)
    return key


def rank(store: EvidenceStore, run: RunSettings) -> str:
    from govweb import ranking

    prefix = results_prefix(run.year, run.framework)
    prev_key = f"{results_prefix(run.year - 1, run.framework)}/scores.csv"
    previous = read_table(store, prev_key) if store.exists(prev_key) else None
    log.info("previous year's scores: %s", prev_key if previous is not None else "none")
    inv = inventory.to_frame(inventory.active(load_staged(store, run.year)))
    ranking_for = {lvl: fw.id for lvl, fw in scoring.plan(run.framework).ranking.items()}
    rankings = ranking.rank(read_table(store, f"{prefix}/scores.csv"), inv, run.year, previous, ranking_for)
    return write_table(store, f"{prefix}/rankings.csv", rankings)


MODE_TITLES = {"live": "实时采集", "archive": "网页存档快照", "sim": "模拟网站", "rescore": "已存采集重新评分"}


def _modes_text(modes: Counter) -> str:
    return "、".join(f"{MODE_TITLES.get(m, m)}{n}个" for m, n in sorted(modes.items()))


def provenance(store: EvidenceStore, run: RunSettings, modes: Counter) -> str:
    """How this year's captures were made, and the previous year's that progress is computed against."""
    now = _modes_text(modes)
    prev_key = f"{results_prefix(run.year - 1, run.framework)}/scores.csv"
    if not store.exists(prev_key):
        return f"采集方式：{now}；无上一年度同一指标体系的结果，不计算进步幅度"
    from govweb.publish.inputs import CaptureInfo

    prev = Counter()
    for sid in read_table(store, prev_key)["site_id"]:
        key = capture_key(run.year - 1, sid)
        if store.exists(key):  # the mode only, from the capture's first fields (not the typed model: seconds)
            prev[CaptureInfo.mode_of(store.get(key))] += 1
    before = _modes_text(prev) or "未知"
    return f"采集方式：{now}；进步幅度对比{run.year - 1}年度同一指标体系（{before}）"


def publish(store: EvidenceStore, run: RunSettings, out_dir: str | Path) -> list[str]:
    """Write findings/scores/rankings CSVs and the report site into out_dir; copy it to reports/{year}/.
    The report is built from the stored results only (govweb.publish); certificates are publish_certificates."""
    from govweb import publish as report

    out = Path(out_dir)
    inv = inventory.to_frame(inventory.active(load_staged(store, run.year)))
    inputs = report.from_store(store, run.year, run.framework, as_of=run.as_of.isoformat(), inventory=inv)
    inputs.provenance = provenance(store, run, inputs.modes)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("findings", "scores", "rankings"):
        path = out / f"{name}.csv"
        path.write_text(getattr(inputs, name).to_csv(index=False, lineterminator="\n"), encoding="utf-8")
        written.append(path)
    written += report.publish(out, inputs)
    keys = [store.put(f"reports/{run.year}/{p.relative_to(out).as_posix()}", p.read_bytes(), content_type(p.name))
            for p in sorted(written)]
    log.info("report: %s (%d files, also under reports/%d/ in %s)", out / "index.html", len(keys), run.year,
             store.url)
    return keys


def publish_certificates(store: EvidenceStore, run: RunSettings, out_dir: str | Path) -> list[str]:
    """The 成绩证书 PDFs (one Chromium, one page reused) into out_dir/certificates and reports/{year}/."""
    from govweb import publish as report
    from govweb.publish import certificates

    out = Path(out_dir)
    inv = inventory.to_frame(inventory.active(load_staged(store, run.year)))
    inputs = report.from_store(store, run.year, run.framework, as_of=run.as_of.isoformat(), inventory=inv)
    written = certificates.render(out, inputs)
    return [store.put(f"reports/{run.year}/{p.relative_to(out).as_posix()}", p.read_bytes(), content_type(p.name))
            for p in sorted(written)]


def evaluate(store: EvidenceStore, run: RunSettings, inventory_file: str | Path, out_dir: str | Path) -> dict:
    """Every stage in order, without Airflow (the `govweb evaluate` command)."""
    stage_for_run(store, replace(run, inventory=str(inventory_file)))
    validate_inventory(store, run.year)
    crawled: dict[str, str] = {}
    for n, batch in enumerate(plan_for_run(store, run), 1):
        log.info("crawling batch %d (%d sites)", n, len(batch))
        crawled.update(crawl(store, run, batch))
    health = crawl_health(store, run)
    judge(store, run)
    score(store, run)
    validate_results(store, run)
    rank(store, run)
    publish(store, run, out_dir)
    return {"crawled": crawled, "health": health}
