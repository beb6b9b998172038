"""Synthetic stored results for the publish benchmark and the report's tests: a year of findings for every site
of an inventory (seeded), scored by the real frameworks and ranked by the real ranking code, with a minimal
capture, a home page and a screenshot per site in an evidence store.

`published=True` then sets the ranking totals so that the published 2018 top tables and most-improved lists
(include/inventory/published_2018.yaml) come out of ranking.rank: the display of a blind run can be compared
with the published tables. Those totals no longer equal the sum of the leaves; this is test data.
"""

from __future__ import annotations

import json
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from govweb import config, ranking
from govweb import inventory as inventory_mod
from govweb.evidence import EvidenceStore, capture_key, sha256
from govweb.models import FINDING_COLUMNS

FAIL_SHARE = 0.18
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass
class Year:
    year: int
    inventory: pd.DataFrame
    findings: pd.DataFrame
    scores: pd.DataFrame
    indicator_scores: pd.DataFrame
    rankings: pd.DataFrame


def subset_inventory(path: Path, per_level: int, year: int = 2018) -> Path:
    """The first `per_level` sites of each level of the year's inventory (parents outside it dropped), as CSV."""
    import csv
    import io

    text = (config.inventory_dir() / str(year) / "inventory.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    picked, seen = [], {}
    for r in rows:
        if seen.get(r["level"], 0) < per_level:
            seen[r["level"]] = seen.get(r["level"], 0) + 1
            picked.append(r)
    ids = {r["site_id"] for r in picked}
    for r in picked:
        r["parent_id"] = r["parent_id"] if r["parent_id"] in ids else ""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(picked)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def png(width: int, height: int, seed: int) -> bytes:
    """A valid RGB PNG with a few coloured bands (no image library)."""
    rng = random.Random(seed)
    bands = [bytes([rng.randrange(256), rng.randrange(256), rng.randrange(256)]) * width for _ in range(6)]
    rows = b"".join(b"\x00" + bands[(y * 6) // height] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def home_html(site: dict, hostile: bool = False) -> str:
    name = site["name"]
    items = "".join(f'<li><a href="/art/{i}.html">{name}召开专题会议研究部署工作{i}</a><span>2018-10-{1 + i % 14:02d}'
                    f'</span></li>' for i in range(24))
    extra = f"<p>{HOSTILE}</p>" if hostile else ""
    nav = "".join(f'<a href="/{p}/">{t}</a> | ' for p, t in (("col/ywdt", "政务要闻"), ("xxgk", "信息公开"),
                                                              ("bs", "办事服务"), ("hd", "互动交流")))
    foot = (f'<div class="foot"><p>主办：{name}办公厅</p><p>网站标识码：{site["site_id"]} ICP备05060001号 '
            f'公网安备 11000002000001号</p><p><a href="#">政务微博</a> 微信公众号 <a href="#">移动客户端</a></p></div>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title><style>body{{font:14px serif}}'
            f'.top{{background:#b20000;color:#fff;padding:8px}}</style></head><body><div class="top"><h1>{name}</h1>'
            f'</div><nav>{nav}</nav><ul>{items}</ul>{extra}{foot}</body></html>')


def findings(inv: pd.DataFrame, year: int, seed: int, check_ids: list[str], value_types: dict[str, str],
             keys: dict[str, tuple[str, str]], hostile: set[str] = frozenset()) -> pd.DataFrame:
    rng = random.Random(f"{seed}:{year}")
    rows = []
    for site in inv.sort_values("site_id").to_dict("records"):
        sid = site["site_id"]
        cap = capture_key(year, sid)
        html_key, shot_key = keys.get(sid, ("", ""))
        quality = rng.random()
        for cid in check_ids:
            fail = rng.random() < FAIL_SHARE * (0.4 + quality)
            vt = value_types.get(cid, "flag")
            value = {"count": str(rng.randint(1, 6)) if fail else "0", "flag": "false" if fail else "true",
                     "days": str(rng.randint(20, 200) if fail else rng.randint(0, 10)),
                     "rate": f"{rng.uniform(0.05, 0.3) if fail else 0.0:.4f}".rstrip("0").rstrip("."),
                     "text": "" if fail else sid}.get(vt, "")
            if cid == "media.channels":
                value = ";".join(c for c in ("weibo", "wechat", "app") if not fail or rng.random() < 0.5)
            detail = (f"{site['name']}：检查项{cid}未通过，“政务要闻”栏目存在问题（测量值{value}）" if fail
                      else f"{cid}检查通过")
            if sid in hostile:
                detail = HOSTILE + detail
            evidence = ";".join(k for k in (cap, html_key, shot_key) if k)
            rows.append({"site_id": sid, "year": year, "check_id": cid, "passed": not fail, "value": value,
                         "detail": detail, "evidence": evidence, "status": "fail" if fail else "pass"})
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def published_totals(inv: pd.DataFrame, rng: random.Random) -> tuple[dict[str, float], dict[str, float]]:
    """Totals (this year and last) that make ranking.rank reproduce include/inventory/published_2018.yaml."""
    from govweb.sim.calibrate import levels

    published = yaml.safe_load((config.inventory_dir() / "published_2018.yaml").read_text(encoding="utf-8"))
    groups = published["groups"]
    members: dict[str, set[str]] = {}
    for sid, gs in zip(inv["site_id"], inv["groups"], strict=True):
        for g in ranking.split_groups(gs):
            members.setdefault(g, set()).add(str(sid))
    level = levels(groups, members)
    now = {sid: 98.0 - 0.5 * lv for sid, lv in level.items()}
    low = min(now.values()) - 1.0
    for sid in inv["site_id"].astype(str):
        now.setdefault(sid, round(rng.uniform(45.0, low), 1))
    before = {sid: max(0.0, t - rng.uniform(0.0, 2.0)) for sid, t in now.items()}
    for g in groups.values():  # most improved: gains 30, 29, ... in the published order
        for i, s in enumerate(g.get("most_improved") or []):
            before[s["site_id"]] = now[s["site_id"]] - (30.0 - i)
    return now, before


def build(store: EvidenceStore, *, year: int = 2018, framework: str = "performance_2018", seed: int = 7,
          published: bool = False, hostile: set[str] = frozenset(), inventory_file: Path | None = None,
          shot_size: tuple[int, int] = (1280, 900)) -> Year:
    """Store a synthetic year (and its previous year) under results/ and evidence/; return this year's tables."""
    from govweb import catalogue, frameworks
    from govweb.frameworks import manual
    from govweb.pipeline import inventory_key, results_prefix, write_table

    sites = inventory_mod.load(inventory_file or config.inventory_dir() / str(year) / "inventory.csv")
    inv = inventory_mod.to_frame(inventory_mod.active(sites))
    for y in (year - 1, year):
        store.put(inventory_key(y), inventory_mod.to_csv(sites).encode("utf-8"), "text/csv; charset=utf-8")
    cat = catalogue.default()
    check_ids = list(cat.ids)
    types = {cid: spec.value for cid, spec in cat.checks.items()}
    plan = frameworks.plan(framework)
    try:
        manual_in = manual.load(year, plan, {s.site_id: manual.SiteInfo(s.name, s.level) for s in sites})
    except manual.ManualInputError:
        manual_in = None
    rng = random.Random(seed)
    out = None
    for y in (year - 1, year):
        keys = {}
        for n, site in enumerate(inv.to_dict("records")):
            sid = site["site_id"]
            html = home_html(site, hostile=sid in hostile).encode("utf-8")
            html_key = store.put_blob(f"evidence/{y}/{sid}/pages", html, "html", "text/html; charset=utf-8")
            shot = png(*shot_size, seed=n)
            shot_key = f"evidence/{y}/{sid}/shots/{sha256(shot)}.png"
            if not store.exists(shot_key):
                store.put(shot_key, shot, "image/png")
            keys[sid] = (html_key, shot_key)
            cap = {"schema_version": 2, "site_id": sid, "name": site["name"], "url": site["url"], "year": y,
                   "as_of": f"{y}-10-15", "mode": "sim", "status": "ok",
                   "pages": [{"url": site["url"], "final_url": site["url"], "kind": "home", "title": site["name"],
                              "html_key": html_key, "screenshot_key": shot_key, "encoding": "utf-8"}]}
            store.put(capture_key(y, sid), json.dumps(cap, ensure_ascii=False).encode("utf-8"), "application/json")
        found = findings(inv, y, seed, check_ids, types, keys, hostile)
        tables = frameworks.score(found, inv, plan, y, manual_in if y == year else None, cat)
        scores = tables.scores
        prefix = results_prefix(y, framework)
        write_table(store, f"{prefix}/findings.csv", found)
        write_table(store, f"{prefix}/indicator_scores.csv", tables.indicators)
        out = (found, tables.indicators, scores)
        if y == year - 1:
            prev_scores = scores
    found, leaves, scores = out
    ranking_for = {lvl: fw.id for lvl, fw in plan.ranking.items()}
    if published:
        now, before = published_totals(inv, rng)
        scores, prev_scores = _with_totals(scores, now, ranking_for, inv), _with_totals(prev_scores, before,
                                                                                        ranking_for, inv)
    previous = results_prefix(year - 1, framework)
    write_table(store, f"{previous}/scores.csv", prev_scores)
    write_table(store, f"{previous}/rankings.csv", ranking.rank(prev_scores, inv, year - 1, None, ranking_for))
    rankings = ranking.rank(scores, inv, year, prev_scores, ranking_for)
    prefix = results_prefix(year, framework)
    write_table(store, f"{prefix}/scores.csv", scores)
    write_table(store, f"{prefix}/rankings.csv", rankings)
    return Year(year, inv, found, scores, leaves, rankings)


def _with_totals(scores: pd.DataFrame, totals: dict[str, float], ranking_for: dict, inv: pd.DataFrame) -> pd.DataFrame:
    level_of = dict(zip(inv["site_id"].astype(str), inv["level"], strict=True))
    out = scores.copy()
    mask = [ranking_for.get(level_of.get(str(s))) == f for s, f in zip(out["site_id"], out["framework"], strict=True)]
    for i in out.index[mask]:
        sid = str(out.at[i, "site_id"])
        out.at[i, "total"] = round(totals[sid], 1)
        out.at[i, "veto"] = False
        out.at[i, "veto_reasons"] = ""
        out.at[i, "grade"] = "pass" if totals[sid] >= 60 else "fail"
    return out
