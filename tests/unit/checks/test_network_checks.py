"""security.https and network.ipv6 from the capture's probes."""

from __future__ import annotations

import pytest

from govweb.capture import HttpsProbe, Ipv6Probe, Probes
from govweb.checks import network
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, store_page


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def ev_with(store, *, url="http://www.x.gov.cn/", https=None, ipv6=None, status=200):
    home = store_page(store, url, "<p>首页</p>", kind="home")
    home.status = status
    probes = Probes(https=https or HttpsProbe(), ipv6=ipv6 or Ipv6Probe())
    return evidence(capture([home], probes=probes), store)


def test_https_probe_ok(store):
    v = network.https(ev_with(store, https=HttpsProbe(attempted=True, url="https://www.x.gov.cn/", ok=True,
                                                      status=200)))
    assert (v.status, v.value) == ("pass", True)
    assert "https://www.x.gov.cn/" in v.detail


def test_https_probe_failed_with_tls_error(store):
    v = network.https(ev_with(store, https=HttpsProbe(attempted=True, url="https://www.x.gov.cn/", ok=False,
                                                      error="tls")))
    assert (v.status, v.value) == ("fail", False)
    assert "证书" in v.detail


def test_https_not_attempted_is_not_measured(store):
    assert network.https(ev_with(store)).status == "not_measured"


def test_https_home_loaded_over_https_passes_without_probe(store):
    v = network.https(ev_with(store, url="https://www.x.gov.cn/"))
    assert v.status == "pass" and "HTTPS" in v.detail


def test_https_home_url_https_but_home_failed(store):
    assert network.https(ev_with(store, url="https://www.x.gov.cn/", status=502)).status == "not_measured"


def test_ipv6_address(store):
    v = network.ipv6(ev_with(store, ipv6=Ipv6Probe(attempted=True, host="www.x.gov.cn", addresses=["240e::1"])))
    assert (v.status, v.value) == ("pass", True)
    assert "240e::1" in v.detail


def test_ipv6_no_aaaa(store):
    v = network.ipv6(ev_with(store, ipv6=Ipv6Probe(attempted=True, host="www.x.gov.cn", error="NoAnswer")))
    assert (v.status, v.value) == ("fail", False)


def test_ipv6_resolver_timeout_is_not_measured(store):
    v = network.ipv6(ev_with(store, ipv6=Ipv6Probe(attempted=True, host="www.x.gov.cn", error="Timeout")))
    assert v.status == "not_measured"


def test_ipv6_not_attempted(store):
    assert network.ipv6(ev_with(store)).status == "not_measured"


def test_ipv6_empty_answer_fails_but_a_name_the_resolver_does_not_know_is_not_measured(store):
    empty = network.ipv6(ev_with(store, ipv6=Ipv6Probe(attempted=True, host="www.x.gov.cn", resolver="system")))
    assert (empty.status, empty.value) == ("fail", False)
    # saved pages served through --host-map: the sandbox's resolver answers NXDOMAIN for the real name
    v = network.ipv6(ev_with(store, ipv6=Ipv6Probe(attempted=True, host="www.yuhang.gov.cn", resolver="system",
                                                   error="dns")))
    assert v.status == "not_measured" and "www.yuhang.gov.cn" in v.detail
