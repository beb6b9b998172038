"""What the probe and early-warning DAGs need beyond wiring: ids, schedules, trigger forms, task bodies.

Probe load: a round every 30 minutes = 48 probes per site per day (the rule asks for 20 or more), each
one HEAD request (a GET only when HEAD is refused), spread over 20 minutes with jitter, at most one in
flight per host and 2 s between two probes of one host.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from govweb import catalogue as catalogue_mod
from govweb import config, inventory
from govweb.crawl.network import NetworkPolicy
from govweb.evidence import EvidenceStore
from govweb.watch import callbacks, probe, probelog, warnings

PROBE_DAG_ID = "govweb_availability_probe"
PROBE_INTERVAL_MINUTES = 30
PROBE_SCHEDULE = f"*/{PROBE_INTERVAL_MINUTES} * * * *"
DIGEST_DAG_ID = "govweb_early_warnings"
DIGEST_SCHEDULE = "0 1 * * *"  # 09:00 Beijing time, for the day before
PROBE_ASSET_NAME = "govweb_probe_log"
PROBE_ASSET_URI = "govweb://evidence/probes/"


def probe_param_specs() -> dict[str, dict]:
    return {
        "inventory": {"default": None, "type": ["null", "string"],
                      "description": "Inventory CSV whose active sites' home pages are probed. Empty: the "
                                     "latest include/inventory/{year}/inventory.csv up to this year"},
        "host_map": {"default": [], "type": "array",
                     "description": "PATTERN=HOST:PORT rules, e.g. *.gov.test=127.0.0.1:8765"},
        "allow_private": {"default": False, "type": "boolean",
                          "description": "Allow loopback/private targets (the simulated web)"},
        "spread_s": {"default": 1200, "type": "number", "minimum": 0,
                     "description": "Seconds one round is spread over (jitter per site)"},
        "concurrency": {"default": 32, "type": "integer", "minimum": 1, "maximum": 256},
        "host_gap_s": {"default": 2.0, "type": "number", "minimum": 0,
                       "description": "Least seconds between two probes of one host"},
    }


def digest_param_specs() -> dict[str, dict]:
    return {
        "inventory": probe_param_specs()["inventory"],
        "day": {"default": None, "type": ["null", "string"],
                "description": "Day YYYY-MM-DD the digest covers (its window ends that day); empty = yesterday"},
    }


def inventory_path(params: dict, today: date | None = None) -> str:
    """The inventory the probes follow: the form's, else the newest per-year inventory not after this year."""
    if params.get("inventory"):
        return params["inventory"]
    year = (today or date.today()).year
    years = sorted(int(p.parent.name) for p in config.inventory_dir().glob("*/inventory.csv")
                   if p.parent.name.isdigit() and int(p.parent.name) <= year)
    if not years:
        raise FileNotFoundError(f"no inventory to probe: add {config.inventory_dir()}/{year}/inventory.csv or "
                                f"name one in the 'inventory' field")
    return str(config.inventory_dir() / str(years[-1]) / "inventory.csv")


def run_probe_round(store: EvidenceStore, params: dict, seed: str) -> list[str]:
    """One round over the inventory's active home pages, appended to the probe log; returns the keys."""
    sites = inventory.active(inventory.load(inventory_path(params)))
    plan = probe.ProbePlan.from_catalogue(spread_s=float(params["spread_s"]), concurrency=int(params["concurrency"]),
                                          host_gap_s=float(params["host_gap_s"]), seed=seed)
    policy = NetworkPolicy.from_args(tuple(params.get("host_map") or ()), bool(params["allow_private"]))
    return probelog.append(store, probe.run_round(probe.targets(sites), policy, plan))


def digest_day(params: dict, logical_date: datetime | None) -> date:
    if params.get("day"):
        return date.fromisoformat(params["day"])
    return ((logical_date or datetime.now()) - timedelta(days=1)).date()


def run_digest(store: EvidenceStore, params: dict, day: date, context: dict | None = None) -> str:
    """Compute the day's early warnings, store them, send one digest; returns the digest's key."""
    sites = inventory.active(inventory.load(inventory_path(params)))
    d = warnings.digest(store, sites, day, catalogue_mod.default())
    key = warnings.save(store, d)
    callbacks.early_warnings(store, d, context)
    return key
