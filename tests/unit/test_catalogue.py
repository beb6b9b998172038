"""The check catalogue is production data: validated at load, every problem listed, agreeing with detectors."""

from __future__ import annotations

import pytest
import yaml

from govweb import catalogue, scoring
from govweb.catalogue import CatalogueError


def write(tmp_path, doc: dict, dictionaries: dict[str, str] | None = None):
    for name, text in (dictionaries or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_catalogue_loads_with_33_checks_and_readable_dictionaries():
    cat = catalogue.load()
    assert len(cat.ids) == 33 and len(set(cat.ids)) == 33
    assert all(spec.title and spec.dimension in cat.dimensions for spec in cat.checks.values())
    for spec in cat.checks.values():
        for name in spec.dictionaries:
            assert cat.dictionary(name), (spec.id, name)
    assert cat["freshness.homepage"].threshold("max_age_days") == 14
    assert cat["availability.homepage"].threshold("max_failure_rate") == 0.05


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, {
        "dimensions": {"identity": "标识"},
        "checks": {
            "identity.a": {"title": "A", "dimension": "nope", "value": "flag"},
            "identity.b": {"title": "B", "dimension": "identity", "value": "weird", "dictionaries": ["missing"]},
            "identity.c": {"dimension": "identity", "value": "count", "thresholds": {"x": "ten"}},
            "nodot": {"title": "D", "dimension": "identity", "value": "flag", "colour": "red"},
        },
        "dictionaries": {"typos": "typos.csv"},
    })
    with pytest.raises(CatalogueError) as err:
        catalogue.load(path)
    msg = str(err.value)
    for expected in ("identity.a: dimension 'nope'", "identity.b: value type 'weird'",
                     "identity.b: dictionary 'missing'", "identity.c: missing 'title'",
                     "identity.c.thresholds.x: expected a number", "nodot: unknown field(s) colour",
                     "nodot: a check ID is 'dimension.name'", "dictionaries.typos: file"):
        assert expected in msg, expected


def test_unknown_threshold_names_the_check_and_the_known_ones():
    with pytest.raises(CatalogueError, match=r"freshness.homepage.nope .*known: max_age_days"):
        catalogue.default()["freshness.homepage"].threshold("nope")


def test_registry_and_catalogue_must_agree_both_ways():
    cat = catalogue.default()
    with pytest.raises(CatalogueError) as err:
        catalogue.check_registry(cat, (set(cat.ids) - {"identity.icp"}) | {"identity.fax"})
    assert "'identity.fax', which the catalogue" in str(err.value)
    assert "'identity.icp' has no registered detector" in str(err.value)


def test_every_catalogue_check_has_a_registered_detector():
    from govweb import checks

    catalogue.check_registry(catalogue.default(), set(checks.load_all()))


def test_a_framework_naming_an_unknown_check_fails_at_load():
    from govweb.frameworks.loader import parse

    fw = {"id": "x", "title": "x", "kind": "performance", "max_total": 10, "pass_mark": 6, "notes": "n",
          "dimensions": [{"id": "d", "title": "d", "max": 10, "indicators": [
              {"id": "i", "title": "i", "max": 10, "leaves": [
                  {"id": "l", "title": "l", "check": "identity.fax", "max": 10, "rule": "binary"}]}]}]}
    with pytest.raises(scoring.FrameworkError, match="identity.fax' is not in the check catalogue"):
        parse(fw, "x.yaml", catalogue.default())
