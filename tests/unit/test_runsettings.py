"""Run settings resolve to a concrete run, or fail with a message that says what to do."""

from datetime import date, datetime

import pytest

from govweb.runsettings import SettingsError, resolve

TODAY = date(2026, 11, 27)


def test_auto_mode_is_archive_for_a_past_date_and_live_for_today():
    assert resolve({"year": 2018, "as_of": "2018-10-15"}, today=TODAY).mode == "archive"
    assert resolve({"year": 2026, "as_of": "2026-11-20"}, today=TODAY).mode == "live"
    # host-map rules say where the sites are served now (saved pages on loopback): live
    run = resolve({"year": 2018, "as_of": "2018-10-15", "host_map": ["*.gov.cn=127.0.0.1:9000"],
                   "allow_private": True}, today=TODAY)
    assert (run.mode, run.allow_private) == ("live", True)


def test_live_with_a_past_date_is_refused():
    with pytest.raises(SettingsError, match="live mode crawls the web as it is today"):
        resolve({"year": 2018, "as_of": "2018-10-15", "mode": "live"}, today=TODAY)


def test_sim_and_archive_take_their_addresses_from_configuration(monkeypatch):
    monkeypatch.setenv("GOVWEB_SIM_HOST_MAP", "*.gov.test=127.0.0.1:9999")
    run = resolve({"year": 2018, "as_of": "2018-10-15", "mode": "sim"}, today=TODAY)
    assert run.host_map == ("*.gov.test=127.0.0.1:9999",) and run.allow_private
    monkeypatch.setenv("GOVWEB_ARCHIVE_HOST_MAP", "archive.gov.test=127.0.0.1:9999")
    monkeypatch.setenv("GOVWEB_ARCHIVE_ALLOW_PRIVATE", "true")
    run = resolve({"year": 2017, "as_of": "2017-10-15"}, today=TODAY)
    assert (run.mode, run.host_map, run.allow_private) == ("archive", ("archive.gov.test=127.0.0.1:9999",), True)


def test_year_and_date_from_the_logical_date_and_the_inventory_by_convention():
    run = resolve({}, logical_date=datetime(2017, 10, 15), today=TODAY)
    assert (run.year, run.as_of) == (2017, date(2017, 10, 15))
    assert run.inventory.endswith("include/inventory/2017/inventory.csv")
    # a year other than the logical date's: that year's evaluation day
    assert resolve({"year": 2016}, logical_date=datetime(2017, 11, 1), today=TODAY).as_of == date(2016, 10, 15)
    with pytest.raises(SettingsError, match="not a date"):
        resolve({"year": 2017, "as_of": "15/10/2017"}, today=TODAY)
    with pytest.raises(SettingsError, match="unknown setting"):
        resolve({"year": 2017, "as_of": "2017-10-15", "colour": "red"}, today=TODAY)


def test_round_trip_through_xcom():
    from govweb.runsettings import RunSettings

    run = resolve({"year": 2018, "as_of": "2018-10-15", "mode": "sim"}, today=TODAY)
    assert RunSettings.from_dict(run.to_dict()) == run


def test_the_framework_defaults_to_the_set_and_an_unknown_one_lists_the_available():
    assert resolve({"year": 2018, "as_of": "2018-10-15", "mode": "rescore"}).framework == "performance_2018"
    assert resolve({"year": 2018, "as_of": "2018-10-15", "mode": "rescore",
                    "framework": "inspection_2019"}).framework == "inspection_2019"  # a single tree is fine too
    with pytest.raises(SettingsError) as err:
        resolve({"year": 2018, "as_of": "2018-10-15", "mode": "rescore", "framework": "performance_1999"})
    assert "'performance_1999' unknown" in str(err.value)
    assert "performance_2018_local" in str(err.value) and "inspection_2019" in str(err.value)
