"""Detectors, one function per check ID, registered with @detector; run by govweb.checks.runner."""

from govweb.checks import freshness, identity, links, search  # noqa: F401,E402  (registration)
from govweb.checks.registry import REGISTRY, detector  # noqa: F401
