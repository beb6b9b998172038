"""Shared fixtures: the simulated web on loopback, a demo crawl, an S3-compatible server (moto)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govweb import evidence, pipeline
from govweb.sim import server, world
from govweb.sim.process import free_port

REPO = Path(__file__).resolve().parents[1]
DEMO_INVENTORY = REPO / "include" / "inventory" / "demo_2018.csv"
AS_OF = date(2018, 10, 15)


@pytest.fixture(scope="session")
def demo_world():
    return world.load("demo_2018", 2018)


@pytest.fixture(scope="session")
def sim_server(demo_world):
    with server.SimServer(demo_world, tls_port=0) as srv:
        yield srv


def sim_host_map(srv: server.SimServer) -> str:
    """The simulated web's host map, with its TLS port (for the https probe)."""
    return f"{srv.host_map},tls:{srv.tls_port}" if srv.tls_port else srv.host_map


def sim_run(srv: server.SimServer, **kw) -> pipeline.RunSettings:
    return pipeline.RunSettings(year=2018, as_of=AS_OF, mode="sim", host_map=(sim_host_map(srv),),
                                allow_private=True, **kw)


@pytest.fixture(scope="session")
def crawled_demo(sim_server, tmp_path_factory):
    """The demo inventory crawled once (Chromium + HTTP) into a filesystem store."""
    store = evidence.FileStore(tmp_path_factory.mktemp("demo-evidence"))
    run = sim_run(sim_server, batch_size=6)
    pipeline.stage_inventory(store, DEMO_INVENTORY, 2018)
    for batch in pipeline.plan_batches(store, run):
        pipeline.crawl(store, run, batch)
    return store, run


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3-compatible server on loopback (a real HTTP server, not a mock object)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    srv = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    srv.start()
    yield f"127.0.0.1:{port}"
    srv.stop()
