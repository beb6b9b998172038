"""`govweb sim serve` in its own process (own interpreter and GIL), for benchmarks and tests that
must not share a CPU-bound event loop with the client they measure."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    proc: subprocess.Popen
    port: int
    log: Path
    ready_s: float

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


class SpawnError(RuntimeError):
    pass


def _answering(port: int) -> bool:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "www.gov.test"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with contextlib.suppress(OSError), opener.open(req, timeout=2) as resp:
        return resp.status == 200
    return False


@contextlib.contextmanager
def spawned(args: list[str], log: Path, start_timeout_s: float = 60.0) -> Iterator[Served]:
    """Run `govweb sim serve ARGS --port P` on a free loopback port until the block ends."""
    port = free_port()
    cmd = [sys.executable, "-m", "govweb.cli", "sim", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    t0 = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        while not _answering(port):
            if proc.poll() is not None:
                raise SpawnError(f"govweb sim serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() - t0 > start_timeout_s:
                raise SpawnError(f"govweb sim serve did not answer on port {port} within {start_timeout_s}s")
            time.sleep(0.3)
        yield Served(proc, port, log, time.monotonic() - t0)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
