"""Host-map rules, reserved test domains and the private-target guard (crawl/network.py)."""

from __future__ import annotations

import asyncio
import socket

import pytest

from govweb.crawl.network import (
    HostMapError,
    HostRule,
    NameNotFound,
    NetworkPolicy,
    PolicyResolver,
    TargetBlocked,
    parse_rule,
)

SIM_RULE = "*.gov.test=127.0.0.1:8765"


@pytest.fixture
def no_dns(monkeypatch):
    """Fail the test if anything asks the system resolver."""
    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected DNS lookup {args!r}")
    monkeypatch.setattr(socket, "getaddrinfo", boom)
    monkeypatch.setattr(socket, "gethostbyname", boom)


# --- parse_rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    (SIM_RULE, HostRule("*.gov.test", "127.0.0.1", 8765)),
    ("*.gov.test=127.0.0.1", HostRule("*.gov.test", "127.0.0.1", None)),
    ("  *.GOV.Test = 10.0.0.5:80 ", HostRule("*.gov.test", "10.0.0.5", 80)),
    ("www.example.test=sim.local:9000", HostRule("www.example.test", "sim.local", 9000)),
])
def test_parse_rule_ok(text, expected):
    assert parse_rule(text) == expected


@pytest.mark.parametrize("text", [
    "*.gov.test",                      # no '='
    "=127.0.0.1:8765",                 # no pattern
    "*.gov.test=",                     # no target
    "  =  ",
    "*.gov.test=127.0.0.1:http",       # port not a number
    "*.gov.test=127.0.0.1:-1",
])
def test_parse_rule_errors_name_the_bad_text(text):
    with pytest.raises(HostMapError) as err:
        parse_rule(text)
    assert repr(text) in str(err.value)


def test_parse_rule_rejects_an_empty_host():
    with pytest.raises(HostMapError):
        parse_rule("*.gov.test=:8765")


@pytest.mark.parametrize("text", ["*.gov.test=127.0.0.1:99999", "*.gov.test=127.0.0.1:0"])
def test_parse_rule_rejects_out_of_range_ports(text):
    with pytest.raises(HostMapError):
        parse_rule(text)


def test_from_args_parses_every_rule_in_order():
    policy = NetworkPolicy.from_args([SIM_RULE, "x.test=10.0.0.1"], allow_private=True)
    assert policy.rules == (HostRule("*.gov.test", "127.0.0.1", 8765), HostRule("x.test", "10.0.0.1", None))
    assert policy.allow_private is True
    with pytest.raises(HostMapError, match="bad"):
        NetworkPolicy.from_args(["bad"])


# --- mapped / chromium_rules --------------------------------------------------------------------

def test_mapped_glob_first_rule_wins_case_insensitive():
    policy = NetworkPolicy.from_args(["www.beijing.gov.test=10.0.0.9:81", SIM_RULE, "*=192.0.2.1"])
    assert policy.mapped("www.beijing.gov.test").host == "10.0.0.9"
    assert policy.mapped("WWW.Beijing.GOV.test").port == 81
    assert policy.mapped("www.beijing.gov.test.").port == 81           # trailing dot of an FQDN
    assert policy.mapped("www.sc.gov.test") == HostRule("*.gov.test", "127.0.0.1", 8765)
    assert policy.mapped("ZWFW.GOV.TEST").port == 8765
    assert policy.mapped("example.org") == HostRule("*", "192.0.2.1", None)


def test_mapped_none_when_no_rule_matches():
    policy = NetworkPolicy.from_args([SIM_RULE])
    assert policy.mapped("gov.test") is None           # "*." needs a label before the dot
    assert policy.mapped("www.gov.test.cn") is None
    assert policy.mapped("www.example.com") is None
    assert NetworkPolicy().mapped("www.gov.test") is None


def test_chromium_rules_map_then_notfound_for_reserved_suffixes():
    rules = NetworkPolicy.from_args([SIM_RULE, "a.example=10.0.0.1"]).chromium_rules()
    parts = rules.split(", ")
    assert parts[0] == "MAP *.gov.test 127.0.0.1:8765"
    assert parts[1] == "MAP a.example 10.0.0.1"
    assert {"MAP *.test ~NOTFOUND", "MAP *.invalid ~NOTFOUND", "MAP *.example ~NOTFOUND"} <= set(parts[2:])
    assert "MAP *.gov.test 127.0.0.1:8765" in rules


def test_chromium_rules_without_host_map_still_block_reserved_names():
    assert NetworkPolicy().chromium_rules().split(", ") == [
        "MAP *.test ~NOTFOUND", "MAP *.invalid ~NOTFOUND", "MAP *.example ~NOTFOUND"]


# --- resolve (blocking) -------------------------------------------------------------------------

def test_resolve_refuses_loopback_without_allow_private():
    policy = NetworkPolicy.from_args([SIM_RULE])
    with pytest.raises(TargetBlocked, match="--allow-private") as err:
        policy.resolve("www.beijing.gov.test", 80)
    assert "127.0.0.1" in str(err.value) and "www.beijing.gov.test" in str(err.value)


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.1", "169.254.1.1", "::1", "0.0.0.0"])
def test_check_address_blocks_private_ranges(address):
    with pytest.raises(TargetBlocked):
        NetworkPolicy().check_address("h", address)
    NetworkPolicy(allow_private=True).check_address("h", address)  # no exception


def test_check_address_allows_public():
    NetworkPolicy().check_address("h", "8.8.8.8")  # does not raise


def test_resolve_allows_loopback_with_allow_private_and_uses_the_rule_port():
    policy = NetworkPolicy.from_args([SIM_RULE], allow_private=True)
    assert policy.resolve("www.beijing.gov.test", 80) == [("127.0.0.1", 8765)]
    no_port = NetworkPolicy.from_args(["*.gov.test=127.0.0.1"], allow_private=True)
    assert no_port.resolve("www.sc.gov.test", 443) == [("127.0.0.1", 443)]


@pytest.mark.parametrize("name", ["www.unmapped.test", "WWW.X.TEST.", "a.invalid", "b.example"])
def test_reserved_name_without_rule_is_not_found_without_dns(no_dns, name):
    policy = NetworkPolicy.from_args(["*.gov.test=127.0.0.1:8765"], allow_private=True)
    with pytest.raises(NameNotFound, match="reserved"):
        policy.resolve(name, 80)


def test_reserved_name_async_resolver_without_dns(no_dns):
    async def go():
        resolver = PolicyResolver(NetworkPolicy(allow_private=True))
        try:
            with pytest.raises(NameNotFound):
                await resolver.resolve("www.nothing.test", 80)
        finally:
            await resolver.close()
    asyncio.run(go())


# --- PolicyResolver (aiohttp) -------------------------------------------------------------------

def _resolve_async(policy: NetworkPolicy, host: str, port: int):
    async def go():
        resolver = PolicyResolver(policy)
        try:
            return await resolver.resolve(host, port, socket.AF_INET)
        finally:
            await resolver.close()
    return asyncio.run(go())


def test_policy_resolver_maps_to_rule_port_and_keeps_hostname():
    results = _resolve_async(NetworkPolicy.from_args([SIM_RULE], allow_private=True), "www.jl.gov.test", 80)
    assert results
    for r in results:
        assert r["host"] == "127.0.0.1"
        assert r["port"] == 8765
        assert r["hostname"] == "www.jl.gov.test"


def test_policy_resolver_without_rule_port_keeps_request_port():
    policy = NetworkPolicy.from_args(["*.gov.test=127.0.0.1"], allow_private=True)
    assert {r["port"] for r in _resolve_async(policy, "www.jl.gov.test", 8080)} == {8080}


def test_policy_resolver_blocks_loopback_without_allow_private():
    with pytest.raises(TargetBlocked, match="--allow-private"):
        _resolve_async(NetworkPolicy.from_args([SIM_RULE]), "www.jl.gov.test", 80)


def test_a_rule_can_name_the_servers_tls_port_for_https():
    rule = parse_rule("*.gov.test=127.0.0.1:8765,tls:8766")
    assert (rule.port, rule.tls_port) == (8765, 8766)
    assert rule.target_port(443) == 8766 and rule.target_port(80) == 8765
    assert parse_rule("*.gov.test=127.0.0.1:8765").target_port(443) == 8765
    with pytest.raises(HostMapError, match="TLS port 'x'"):
        parse_rule("*.gov.test=127.0.0.1:8765,tls:x")
