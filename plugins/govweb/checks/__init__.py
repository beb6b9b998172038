"""Detectors, one function per check ID, registered with @detector; run by govweb.checks.runner.

Modules by dimension: identity, network (https, ipv6), links, content (typos, outdated names, privacy),
availability, freshness, columns, disclosure (incl. interpretation), services, interaction, function
(search, mobile, media, accessibility). `load_all()` imports them (registration); `verify()` checks
that detectors and the catalogue agree both ways.
"""

from __future__ import annotations

import importlib

from govweb.checks.registry import REGISTRY, detector  # noqa: F401

MODULES = ("availability", "columns", "content", "disclosure", "freshness", "function", "identity", "interaction",
           "links", "network", "services")


def load_all() -> dict:
    for name in MODULES:
        importlib.import_module(f"govweb.checks.{name}")
    return REGISTRY


def verify(cat=None) -> None:
    """Fail with one message when detectors and the catalogue disagree (either way)."""
    from govweb import catalogue

    catalogue.check_registry(cat or catalogue.default(), set(load_all()))
