"""Exports: findings, scores, rankings (and leaf scores) as CSV and JSON, the three main tables as one XLSX
workbook with Chinese column headers, and one `results.json` per site for its owner, carrying the verification
hash printed on the site's certificate.

Every file is deterministic: rows sorted, the workbook's dates fixed to the evaluation date and its zip
entries dated 1980-01-01, so re-publishing a year gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pandas as pd

from govweb.publish.text import plain, records, to_json_records, truthy
from govweb.ranking import group_order

HEADERS = {
    "site_id": "网站编号", "name": "网站名称", "year": "年度", "check_id": "检查项编号", "passed": "是否通过",
    "value": "测量值", "detail": "说明", "evidence": "证据（存储键）", "status": "状态", "framework": "指标体系",
    "total": "总分", "max_total": "满分", "veto": "单项否决", "veto_reasons": "否决指标", "grade": "等级",
    "indicators": "三级指标得分（JSON）", "group": "排名组别", "rank": "名次", "delta": "较上年变化", "tie": "并列",
    "vetoed": "被否决", "dimension_id": "一级指标", "indicator_id": "二级指标", "leaf_id": "三级指标", "score": "得分",
    "max": "满分", "source": "评分来源", "rule": "评分规则", "check_ids": "检查项",
}
SHEETS = (("findings", "检查结果"), ("scores", "得分"), ("rankings", "排名"))
# JSON exports of the whole year; leaf scores are CSV only (35 MB as JSON for 937 sites) and are in every
# site's results.json.
JSON_TABLES = ("findings", "scores", "rankings")


def sorted_findings(findings: pd.DataFrame) -> pd.DataFrame:
    return findings.sort_values(["site_id", "check_id"], kind="stable").reset_index(drop=True)


def sorted_scores(scores: pd.DataFrame) -> pd.DataFrame:
    return scores.sort_values(["site_id", "framework"], kind="stable").reset_index(drop=True)


def sorted_rankings(rankings: pd.DataFrame) -> pd.DataFrame:
    """Groups in models.GROUPS order; ranked rows by rank then site_id; vetoed rows last."""
    order = {g: i for i, g in enumerate(group_order(set(rankings["group"])))}
    keys = pd.DataFrame({
        "g": rankings["group"].map(order), "v": rankings["vetoed"].map(truthy),
        "r": rankings["rank"].astype("Float64").fillna(float("inf")), "s": rankings["site_id"].astype(str),
    })
    return rankings.loc[keys.sort_values(["g", "v", "r", "s"], kind="stable").index].reset_index(drop=True)


def sorted_leaves(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["site_id", "framework"], kind="stable").reset_index(drop=True)


def tables(inputs) -> dict[str, pd.DataFrame]:
    out = {"findings": sorted_findings(inputs.findings), "scores": sorted_scores(inputs.scores),
           "rankings": sorted_rankings(inputs.rankings)}
    if inputs.indicator_scores is not None:
        out["indicator_scores"] = sorted_leaves(inputs.indicator_scores)
    return out


def csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def header(column: str, dimension_titles: dict[str, str]) -> str:
    if column.startswith("dim:"):
        return f"一级指标得分：{dimension_titles.get(column[4:], column[4:])}"
    return HEADERS.get(column, column)


def xlsx(frames: dict[str, pd.DataFrame], dimension_titles: dict[str, str], as_of: str) -> bytes:
    """One workbook, a sheet per table, Chinese headers; byte-identical for the same tables and date.

    openpyxl builds the workbook (styles, workbook and sheet parts, properties) with each sheet's header row;
    the data rows are then written into each sheet's XML directly: openpyxl writes about 20 000 cells a
    second, and the findings of 937 sites are 250 000."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    fixed = datetime.fromisoformat(as_of) if as_of else datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "govweb-eval"
    for _, title in SHEETS:
        wb.create_sheet(title)
    buf = io.BytesIO()
    wb.save(buf)
    sheets = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(frames[name], dimension_titles)
              for i, (name, _) in enumerate(SHEETS, 1)}
    return _fixed_zip(buf.getvalue(), fixed, sheets)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sheet_xml(frame: pd.DataFrame, dimension_titles: dict[str, str]) -> bytes:
    """A worksheet part: a frozen header row, then one row per record (inline strings, no shared-string table)."""
    rows = ["<row>" + "".join(_cell_xml(header(c, dimension_titles)) for c in frame.columns) + "</row>"]
    for rec in records(frame):
        rows.append("<row>" + "".join(_cell_xml(v) for v in rec.values()) + "</row>")
    body = "".join(rows)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<sheetData>{body}</sheetData></worksheet>').encode()


def _cell_xml(value: Any) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    text = _ILLEGAL.sub("", str(value))[:32767]  # the most a cell holds
    # an inline string is never a formula, whatever it starts with (=, +, -, @)
    return f'<c t="inlineStr"><is><t xml:space="preserve">{xml_escape(text)}</t></is></c>'


def _fixed_zip(data: bytes, when: datetime, replace: dict[str, bytes]) -> bytes:
    """The same archive with `replace`d parts, every entry dated the same (zip entries otherwise carry the write
    time), and docProps/core.xml's dates fixed (openpyxl stamps the save time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = replace.get(info.filename) or src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fix_dates(body.decode("utf-8"), stamp).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, body, compresslevel=6)
    return out.getvalue()


def _fix_dates(xml: str, stamp: str) -> str:
    return re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", xml)


# -- per-site results ---------------------------------------------------------------------------------

RESULT_TABLES = ("scores", "rankings", "indicator_scores", "findings")


def site_rows(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[dict]]]:
    """{site_id: {table: [records]}}: the site's rows of every table the year has, in export order."""
    present = [t for t in RESULT_TABLES if t in frames]
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {t: [] for t in present})
    for name in present:
        for rec in records(frames[name]):
            out[str(rec["site_id"])][name].append(rec)
    return out


DIGEST_HOW = "sha256(json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(',', ':')))"


def canonical(results: dict[str, list[dict]]) -> str:
    """The site's result rows as canonical JSON (keys sorted, no spaces): what the hash is taken of."""
    return json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(results: dict[str, list[dict]] | str) -> str:
    """sha256 of the site's result rows as canonical JSON (UTF-8): what the certificate prints and what
    `results.json` lets anyone recompute."""
    text = results if isinstance(results, str) else canonical(results)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def results_json(site: dict, year: int, as_of: str, results: dict[str, list[dict]] | str, sha: str) -> str:
    """The site's results.json: who, when, the verification hash and the result rows (in the canonical form
    the hash is taken of, so the file is encoded once)."""
    head = {
        "site": {"site_id": plain(site.get("site_id")), "name": plain(site.get("name")), "url": plain(site.get("url")),
                 "level": plain(site.get("level")), "groups": plain(site.get("groups")),
                 "region": plain(site.get("region"))},
        "year": year, "as_of": as_of,
        "verification": {"sha256": sha, "of": "results", "how": DIGEST_HOW},
    }
    body = results if isinstance(results, str) else canonical(results)
    return json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "results": ' + body + "\n}\n"


__all__ = ["HEADERS", "csv_text", "digest", "results_json", "site_rows", "tables", "to_json_records", "xlsx"]
