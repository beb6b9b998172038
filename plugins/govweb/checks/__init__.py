"""Detectors, one function per check ID, registered with @detector; run by govweb.checks.runner.

Modules by dimension: identity, network (https, ipv6), links, content (typos, outdated names, privacy),
availability, freshness, columns, disclosure (incl. interpretation), services, interaction, function
(search, mobile, media, accessibility).
"""

from govweb.checks import (  # noqa: F401  (registration)
    availability,
    columns,
    content,
    disclosure,
    freshness,
    function,
    identity,
    interaction,
    links,
    network,
    services,
)
from govweb.checks.registry import REGISTRY, detector  # noqa: F401


def verify(cat=None) -> None:
    """Fail with one message when detectors and the catalogue disagree (either way)."""
    from govweb import catalogue

    catalogue.check_registry(cat or catalogue.default(), set(REGISTRY))
