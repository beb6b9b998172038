"""Build the 2018 scenario inventory of real entities and the published results it must reproduce.

Writes ``include/inventory/scenario_2018.csv`` (937 sites: 64 ministries, 32 provincial-level sites,
334 prefecture-level cities, 507 county-level units) and ``include/inventory/published_2018.yaml`` (the
published 2018 ranking by group, with site_ids resolved from the CSV). Pure Python and deterministic: the
same tables (``scenario_2018_data.py`` beside this file) always give the same bytes.

    python scripts/build_scenario_2018.py [--out CSV] [--published YAML]

Conventions (DESIGN §4):
  site_id  10 characters shaped like a 网站标识码: the 6-digit division code + ``0001``; ministries
           ``bm`` + 2-digit ordinal + ``000001``.
  name     the portal's name: ``佛山市人民政府``; districts carry their city (``深圳市罗湖区人民政府``),
           counties and county-level cities do not (``仪征市人民政府``); prefectures and leagues are
           ``…行政公署``.
  url      ``http://www.{label}.gov.test/``: provinces and cities by pinyin (a colliding city gets its
           province's ISO code appended: 宿州 -> suzhouah), counties by the initials of their city and of
           their own name (深圳罗湖区 -> szlh; on a collision the county's full pinyin, then a digit).
  parent   cities -> their province; counties -> their city, or their province (municipality districts,
           province-administered county-level cities).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import scenario_2018_data as data

from govweb import inventory
from govweb.models import Site

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / "include" / "inventory" / "scenario_2018.csv"
DEFAULT_PUBLISHED = ROOT / "include" / "inventory" / "published_2018.yaml"
EXPECTED = {"ministry": 64, "province": 32, "city": 334, "county": 507}


@dataclass(frozen=True)
class Row:
    site_id: str
    name: str
    url: str
    level: str
    groups: tuple[str, ...]
    region: str
    province: str
    parent_id: str
    code: str = ""  # the division code (not written): used to resolve published names


def _table(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


def _joined(pinyin: str) -> str:
    return pinyin.replace("-", "")


def _initials(pinyin: str) -> str:
    return "".join(syllable[0] for syllable in pinyin.split("-"))


def _url(label: str) -> str:
    return f"http://www.{label}.gov.test/"


class Hosts:
    """Hands out host labels, first come first served, never the same one twice."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, *candidates: str) -> str:
        for label in candidates:
            if label not in self.taken:
                self.taken.add(label)
                return label
        base, n = candidates[-1], 2
        while f"{base}{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}{n}")
        return f"{base}{n}"


def build() -> list[Row]:
    hosts = Hosts()
    rows: list[Row] = []
    for i, (name, label) in enumerate(data.MINISTRIES, start=1):
        rows.append(Row(f"bm{i:02d}000001", name, _url(hosts.take(label)), "ministry", ("ministry",),
                        "national", "", ""))

    provinces: dict[str, tuple[Row, str]] = {}  # 2-digit prefix -> (row, ISO suffix)
    for code, name, short, label, region, iso in _table(data.PROVINCES):
        portal = name if name.endswith("兵团") else f"{name}人民政府"
        row = Row(f"{code}0001", portal, _url(hosts.take(label)), "province", ("province",), region, short, "",
                  code)
        provinces[code[:2]] = (row, iso)
        rows.append(row)

    cities: dict[str, tuple[Row, str]] = {}  # code -> (row, host prefix for its counties)
    for code, name, pinyin in _table(data.CITIES):
        prov, iso = provinces[code[:2]]
        # Sub-provincial cities and provincial capitals are ranked in their own groups, not among
        # the ordinary prefecture-level cities (as the published tables do: 青岛 tops its group, 佛山 this one).
        groups = []
        if code in data.SUBPROVINCIAL:
            groups.append("subprovincial_city")
        if code in data.PROVINCIAL_CAPITALS:
            groups.append("provincial_capital")
        groups = groups or ["prefecture_city"]
        portal = f"{name}行政公署" if name.endswith(("地区", "盟")) else f"{name}人民政府"
        label = hosts.take(_joined(pinyin), _joined(pinyin) + iso)
        row = Row(f"{code}0001", portal, _url(label), "city", tuple(groups), prov.region, prov.province,
                  prov.site_id, code)
        cities[code] = (row, _initials(pinyin))
        rows.append(row)

    for code, name, pinyin in _table(data.COUNTIES):
        prov, _ = provinces[code[:2]]
        city, prefix = cities.get(code[:4] + "00", (None, ""))
        parent = city or prov
        if city is None:
            prefix = data.MUNICIPALITY_PREFIX[prov.code]
        city_name = city.name.removesuffix("人民政府") if city else prov.name.removesuffix("人民政府")
        portal = f"{city_name}{name}人民政府" if name.endswith("区") else f"{name}人民政府"
        label = hosts.take(prefix + _initials(pinyin), prefix + _joined(pinyin))
        rows.append(Row(f"{code}0001", portal, _url(label), "county", ("county",), prov.region, prov.province,
                        parent.site_id, code))

    counts = {level: sum(r.level == level for r in rows) for level in EXPECTED}
    if counts != EXPECTED:
        raise SystemExit(f"row counts {counts} differ from the expected {EXPECTED}")
    if len({r.site_id for r in rows}) != len(rows):
        raise SystemExit("duplicate site_id")
    return rows


def to_csv(rows: list[Row]) -> str:
    return inventory.to_csv(Site(r.site_id, r.name, r.url, r.level, r.groups, r.region, r.province, r.parent_id)
                            for r in rows)


class Resolver:
    """Finds the rows the published results name."""

    def __init__(self, rows: list[Row]):
        by_id = {r.site_id: r for r in rows}
        self.province = {r.province: r for r in rows if r.level == "province"}
        self.city = {r.name.removesuffix("人民政府"): r for r in rows if r.level == "city"}
        self.county: dict[tuple[str, str], Row] = {}
        for r in rows:
            if r.level == "county":
                parent = by_id[r.parent_id].name.removesuffix("人民政府")
                self.county[(parent, r.name.removesuffix("人民政府").removeprefix(parent))] = r

    def __call__(self, group: str, key) -> Row:
        if group == "province":
            return self.province[key]
        if group == "county":
            return self.county[tuple(key)]
        return self.city[key]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def to_yaml(rows: list[Row]) -> str:
    resolve = Resolver(rows)
    published = {
        "province": data.PUBLISHED_PROVINCE,
        "subprovincial_city": data.PUBLISHED_SUBPROVINCIAL,
        "provincial_capital": data.PUBLISHED_CAPITAL,
        "prefecture_city": data.PUBLISHED_PREFECTURE,
        "county": data.PUBLISHED_COUNTY,
    }
    sizes = {"ministry": 64, "province": 32, "prefecture_city": 334, "county": 507, "total": len(rows)}
    out = [
        "# Published 2018 results the scenario must reproduce, by ranking group.",
        "# Generated by scripts/build_scenario_2018.py from scripts/scenario_2018_data.py: do not edit.",
        "# site_ids refer to include/inventory/scenario_2018.csv.",
        f"source: {_q(data.SOURCE)}",
        "sizes: {" + ", ".join(f"{k}: {v}" for k, v in sizes.items()) + "}",
        "notes:",
        *(f"  - {_q(note)}" for note in data.NOTES),
        "groups:",
    ]

    def site(row: Row) -> str:
        return f"{{site_id: {_q(row.site_id)}, name: {_q(row.name)}}}"

    for group, result in published.items():
        out.append(f"  {group}:")
        out.append("    top:")
        for rank, keys in result["top"]:
            out.append(f"      - rank: {rank}")
            out.append("        sites:")
            out.extend(f"          - {site(resolve(group, key))}" for key in keys)
        if result["most_improved"]:
            out.append("    most_improved:")
            out.extend(f"      - {site(resolve(group, key))}" for key in result["most_improved"])
        else:
            out.append("    most_improved: []")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_CSV, help="inventory CSV to write")
    ap.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED, help="published results YAML to write")
    args = ap.parse_args(argv)
    rows = build()
    for path, text in ((args.out, to_csv(rows)), (args.published, to_yaml(rows))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    print(f"wrote {len(rows)} sites to {args.out} and the published results to {args.published}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
