"""One run's resolved settings (from the trigger form or `govweb evaluate`; fields defined in govweb.settings).

`resolve()` turns the raw values into a concrete run: the year and as-of date from the logical date
when empty, the inventory by convention (`include/inventory/{year}/inventory.csv`), and the mode:
`auto` becomes `archive` for an as-of date more than `GOVWEB_AUTO_ARCHIVE_DAYS` days in the past and
`live` otherwise (with explicit host-map rules, `live`: the rules say where the sites are served now,
e.g. saved pages on loopback); `sim` takes the simulated web's address from configuration
(GOVWEB_SIM_HOST_MAP), `archive` the archive's (GOVWEB_ARCHIVE_HOST_MAP, GOVWEB_ARCHIVE_ALLOW_PRIVATE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from govweb import config
from govweb.crawl.network import NetworkPolicy

CONCRETE_MODES = ("live", "archive", "sim", "rescore")


class SettingsError(ValueError):
    """Run settings (year, as_of, mode...) that cannot describe an evaluation."""


@dataclass(frozen=True)
class RunSettings:
    year: int
    as_of: date
    framework: str = "performance_2018"
    mode: str = "live"
    host_map: tuple[str, ...] = ()
    allow_private: bool = False
    batch_size: int = 25
    concurrency: int = 3
    crawl_processes: int = 1
    force: bool = False
    failed_only: bool = False
    max_failed_share: float = 0.2
    inventory: str = ""
    out_dir: str = ""

    def __post_init__(self):
        if self.mode not in CONCRETE_MODES:
            raise SettingsError(f"mode {self.mode!r} unknown; use one of {', '.join(CONCRETE_MODES)} "
                                f"(or auto, resolved before the run starts)")
        if not 2000 <= self.year <= 2100:
            raise SettingsError(f"year {self.year} out of range")
        if self.as_of.year not in (self.year, self.year + 1):
            raise SettingsError(f"as_of {self.as_of} does not fall in evaluation year {self.year} (or early next year)")
        if self.batch_size < 1 or self.concurrency < 1 or self.crawl_processes < 1:
            raise SettingsError("batch_size, concurrency and crawl_processes must be at least 1")
        if not 0 <= self.max_failed_share <= 1:
            raise SettingsError(f"max_failed_share {self.max_failed_share} must be between 0 and 1")
        self.policy  # noqa: B018 - parses the --host-map rules now, before anything is staged or crawled

    @property
    def policy(self) -> NetworkPolicy:
        return NetworkPolicy.from_args(self.host_map, self.allow_private)

    def to_dict(self) -> dict:
        """JSON-able (XCom)."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        return {**d, "as_of": self.as_of.isoformat(), "host_map": list(self.host_map)}

    @classmethod
    def from_dict(cls, d: dict) -> RunSettings:
        return cls(**{**d, "as_of": date.fromisoformat(d["as_of"]), "host_map": tuple(d.get("host_map") or ())})


def default_inventory(year: int) -> Path:
    return config.inventory_dir() / str(year) / "inventory.csv"


def resolve(values: dict, *, logical_date: datetime | date | None = None, today: date | None = None) -> RunSettings:
    """Raw settings (form or CLI, names of govweb.settings) -> a concrete RunSettings, or a clear SettingsError."""
    from govweb import settings

    v = {**settings.defaults(), **{k: x for k, x in values.items() if x is not None}}
    unknown = sorted(set(values) - set(settings.BY_NAME))
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(settings.BY_NAME)}")
    logical = logical_date.date() if isinstance(logical_date, datetime) else logical_date
    if v.get("year") is None and logical is None:
        raise SettingsError("this run has no logical date: set 'year' (and 'as_of') in the trigger form")
    year = int(v["year"] if v.get("year") is not None else logical.year)
    as_of = v.get("as_of")
    if isinstance(as_of, str) and as_of:
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise SettingsError(f"as_of {as_of!r} is not a date; use YYYY-MM-DD") from None
    if not as_of:  # the logical date when it falls in the year, else the year's evaluation day (15 October)
        as_of = logical if logical is not None and logical.year == year else date(year, 10, 15)
    today = today or date.today()
    host_map, allow_private = tuple(v.get("host_map") or ()), bool(v.get("allow_private"))
    mode = v["mode"]
    if mode not in settings.MODES:
        raise SettingsError(f"mode {mode!r} unknown; use one of {', '.join(settings.MODES)}")
    past = (today - as_of).days > int(config.env("GOVWEB_AUTO_ARCHIVE_DAYS", "30"))
    if mode == "auto":
        mode = "archive" if past and not host_map else "live"
    if mode == "live" and past and not host_map:
        raise SettingsError(f"live mode crawls the web as it is today ({today}); the as-of date {as_of} is in the "
                            f"past: use mode archive (web-archive snapshots as of that date) or rescore")
    if mode == "sim" and not host_map:
        host_map, allow_private = (config.env("GOVWEB_SIM_HOST_MAP", "*.gov.test=127.0.0.1:8765"),), True
    if mode == "archive" and not host_map and config.env("GOVWEB_ARCHIVE_HOST_MAP"):
        # where the archive is reached (e.g. the simulated web's archive on loopback), from configuration
        host_map = tuple(r for r in config.env("GOVWEB_ARCHIVE_HOST_MAP").split() if r)
        allow_private = config.env("GOVWEB_ARCHIVE_ALLOW_PRIVATE", "false").lower() == "true"
    inventory = v.get("inventory") or str(default_inventory(year))
    _check_framework(v["framework"])
    return RunSettings(year=year, as_of=as_of, framework=v["framework"], mode=mode, host_map=host_map,
                       allow_private=allow_private, batch_size=int(v["batch_size"]),
                       concurrency=int(v["concurrency"]), crawl_processes=int(v["crawl_processes"]),
                       force=bool(v["force"]),
                       failed_only=bool(v["failed_only"]), max_failed_share=float(v["max_failed_share"]),
                       inventory=inventory, out_dir=v.get("out_dir") or str(config.out_root() / str(year)))


def _check_framework(name: str) -> None:
    """An unknown framework fails before any crawl, naming the available ones."""
    from govweb.frameworks.plan import available, path

    if not isinstance(name, str) or not name or "/" in name or not path(name).is_file():
        raise SettingsError(f"framework {name!r} unknown; available in {path('x').parent}: "
                            f"{', '.join(available())}")
