"""What the annual-evaluation DAG needs beyond wiring: its trigger-form params and run settings."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from govweb import config
from govweb.pipeline import MODES, RunSettings

DAG_ID = "govweb_annual_evaluation"
# The evaluation runs each year on 15 October; that run evaluates its own year as of that date.
SCHEDULE = "0 0 15 10 *"


def param_specs() -> dict[str, dict]:
    """Trigger-form fields: name -> (default, type, description); turned into airflow Params by the DAG."""
    return {
        "year": {"default": None, "type": ["null", "integer"],
                 "description": "Evaluation year; empty = the run's logical date year"},
        "as_of": {"default": None, "type": ["null", "string"],
                  "description": "Evaluation date YYYY-MM-DD; empty = the run's logical date"},
        "inventory": {"default": str(config.inventory_dir() / "demo_2018.csv"), "type": "string",
                      "description": "Inventory CSV path (as seen by the workers)"},
        "framework": {"default": "performance_2018_local", "type": "string",
                      "description": "Scoring framework in include/checks/"},
        "mode": {"default": "live", "type": "string", "enum": list(MODES),
                 "description": "live: crawl the sites; sim: simulated web; rescore: stored captures only"},
        "host_map": {"default": [], "type": "array",
                     "description": "PATTERN=HOST:PORT rules, e.g. *.gov.test=127.0.0.1:8765"},
        "allow_private": {"default": False, "type": "boolean",
                          "description": "Allow loopback/private targets (the simulated web)"},
        "batch_size": {"default": 25, "type": "integer", "minimum": 1},
        "concurrency": {"default": 3, "type": "integer", "minimum": 1, "maximum": 16},
        "force": {"default": False, "type": "boolean", "description": "Re-crawl sites already captured"},
        "max_failed_share": {"default": 0.2, "type": "number", "minimum": 0, "maximum": 1},
        "out_dir": {"default": "", "type": "string",
                    "description": "Report folder; empty = GOVWEB_OUT/{year}"},
    }


def settings_from(params: dict, logical_date: datetime | None) -> dict:
    """Resolve the run's settings from the trigger form and logical date (JSON-able, for XCom)."""
    if params.get("year") is None and logical_date is None:
        raise ValueError("this run has no logical date: set 'year' (and 'as_of') in the trigger form")
    year = int(params["year"] if params.get("year") is not None else logical_date.year)
    if params.get("as_of"):
        as_of = date.fromisoformat(params["as_of"])
    elif logical_date is not None and logical_date.year == year:
        as_of = logical_date.date()
    else:
        raise ValueError(f"set 'as_of' for year {year}: the logical date {logical_date} is not in that year")
    run = RunSettings(year=year, as_of=as_of, framework=params["framework"], mode=params["mode"],
                      host_map=tuple(params.get("host_map") or ()), allow_private=bool(params["allow_private"]),
                      batch_size=int(params["batch_size"]), concurrency=int(params["concurrency"]),
                      force=bool(params["force"]), max_failed_share=float(params["max_failed_share"]))
    d = asdict(run)
    d["as_of"] = as_of.isoformat()
    d["host_map"] = list(run.host_map)
    d["inventory"] = params["inventory"]
    d["out_dir"] = params.get("out_dir") or str(config.out_root() / str(year))
    return d


def run_settings(d: dict) -> RunSettings:
    keep = {k: v for k, v in d.items() if k not in ("inventory", "out_dir")}
    return RunSettings(**{**keep, "as_of": date.fromisoformat(d["as_of"]), "host_map": tuple(d["host_map"])})
