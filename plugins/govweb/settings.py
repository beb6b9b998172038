"""The run settings, defined once: the Airflow trigger form and `govweb evaluate`'s options derive from here.

Each `Setting` says its name, type, default, Chinese title (with the parameter name), description and
form section; `form_params()` turns them into Airflow Param keyword arguments and `add_cli_options()`
into argparse options. `pipeline.RunSettings` holds the resolved values of one run.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from typing import Any

MODES = ("auto", "live", "archive", "sim", "rescore")
S_WHAT, S_CRAWL, S_ADV = "评估对象 What to evaluate", "采集 Crawl", "高级 Advanced"


@dataclass(frozen=True)
class Setting:
    name: str
    type: str  # integer | number | string | boolean | date | array
    default: Any
    title: str
    description: str
    section: str = S_WHAT
    optional: bool = False  # null allowed (the form field may stay empty)
    enum: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    form: bool = True  # shown in the trigger form
    cli: bool = True  # an option of `govweb evaluate`
    cli_required: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("year", "integer", None, "评估年度 (year)",
            "Evaluation year. Empty: the year of the run's logical date (the yearly schedule runs on 15 October).",
            optional=True, minimum=2000, maximum=2100, cli_required=True),
    Setting("as_of", "date", None, "评估基准日 (as_of)",
            "Evaluation date: content is judged as it stood on this day. Empty: the run's logical date when it "
            "falls in the year, else 15 October of the year.",
            optional=True, cli_required=True),
    Setting("inventory", "string", None, "网站清单 (inventory)",
            "Inventory CSV as seen by the workers. Empty: include/inventory/{year}/inventory.csv.",
            optional=True, cli_required=True),
    Setting("framework", "string", "performance_2018", "指标体系 (framework)",
            "Framework set or tree in include/checks/frameworks/: a set ranks each site on its level's framework "
            "(ministry / local) and scores the ones alongside (inspection_2019); a tree applies to every site."),
    Setting("mode", "string", "auto", "采集方式 (mode)",
            "auto: archive for an as-of date more than a few days in the past, live otherwise (with a host map: "
            "live). live: crawl the sites now. archive: web-archive snapshots as of the date. sim: the simulated "
            "government web (its address comes from GOVWEB_SIM_HOST_MAP). rescore: judge stored captures only.",
            enum=MODES),
    Setting("force", "boolean", False, "强制重新采集 (force)",
            "Re-crawl sites already captured for the year. A worse new capture never replaces a better one.",
            section=S_CRAWL),
    Setting("failed_only", "boolean", False, "仅重采失败网站 (failed_only)",
            "Re-crawl only the sites whose current capture failed.", section=S_CRAWL),
    Setting("batch_size", "integer", 25, "每批网站数 (batch_size)",
            "Sites per crawl task (one mapped task per batch; retried on its own).", section=S_CRAWL, minimum=1),
    Setting("concurrency", "integer", 3, "并发网站数 (concurrency)",
            "Sites crawled at once inside one crawl task.", section=S_CRAWL, minimum=1, maximum=16),
    Setting("crawl_processes", "integer", 1, "采集进程数 (crawl_processes)",
            "Worker processes one crawl task spreads its sites over, each with its own browser. Raise it to the "
            "machine's cores when one task crawls alone (govweb evaluate, airflow dags test); keep 1 when the "
            "executor already runs several crawl tasks side by side.", section=S_CRAWL, minimum=1, maximum=16),
    Setting("max_failed_share", "number", 0.2, "失败比例上限 (max_failed_share)",
            "Stop the run before judging when more than this share of sites could not be crawled (0–1).",
            section=S_CRAWL, minimum=0, maximum=1),
    Setting("out_dir", "string", None, "报告目录 (out_dir)",
            "Folder for the published report. Empty: GOVWEB_OUT/{year}.", section=S_ADV, optional=True,
            cli=False),
    Setting("host_map", "array", [], "主机映射 (host_map)",
            "PATTERN=HOST:PORT[,tls:PORT] rules sending hosts to a server without DNS.", form=False),
    Setting("allow_private", "boolean", False, "允许内网地址 (allow_private)",
            "Allow loopback/private targets.", form=False),
)
BY_NAME = {s.name: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    return {s.name: (list(s.default) if isinstance(s.default, list) else s.default) for s in SETTINGS}


def form_params() -> dict[str, dict]:
    """Keyword arguments of airflow.sdk.Param per form field (JSON-schema typed, sections, titles)."""
    out = {}
    for s in SETTINGS:
        if not s.form:
            continue
        base = "string" if s.type == "date" else s.type
        spec: dict[str, Any] = {"default": s.default, "type": ["null", base] if s.optional else base,
                                "title": s.title, "description": s.description, "section": s.section}
        if s.type == "date":
            spec["format"] = "date"
        if s.enum:
            spec["enum"] = list(s.enum)
        if s.minimum is not None:
            spec["minimum"] = s.minimum
        if s.maximum is not None:
            spec["maximum"] = s.maximum
        out[s.name] = spec
    return out


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from exc


def add_cli_options(parser: argparse.ArgumentParser) -> None:
    for s in SETTINGS:
        if not s.cli:
            continue
        kw: dict[str, Any] = {"help": f"{s.description}", "required": s.cli_required}
        if s.type == "boolean":
            kw["action"] = "store_true"
        elif s.type == "array":
            kw.update(action="append", default=[], metavar="PATTERN=HOST:PORT")
        else:
            kw["type"] = {"integer": int, "number": float, "date": _date, "string": str}[s.type]
            kw["default"] = s.default
        if s.enum:
            kw["choices"] = list(s.enum)
        parser.add_argument(s.flag, dest=s.name, **{k: v for k, v in kw.items() if k != "required" or v})
