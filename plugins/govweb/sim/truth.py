"""Ground truth of a simulated world: per site and check ID, is the defect there and its value."""

from __future__ import annotations

from govweb.sim.content import generate
from govweb.sim.world import World

TRUTH_COLUMNS = ("site_id", "check_id", "defect", "expected_value")


def rows(world: World) -> list[dict]:
    out = []
    for sim in sorted(world.sites.values(), key=lambda s: s.site_id):
        c = generate(sim, world.year, world.as_of)
        d = sim.defects
        values = {
            "identity.site_code": ("" if d.get("identity.site_code") else c.site_code),
            "identity.icp": ("" if d.get("identity.icp") else c.icp),
            "freshness.homepage": str(c.newest_home_age),
            "links.broken_home": str(len(c.broken_paths)),
            "search.present": "false" if d.get("search.present") else "true",
        }
        defect = {
            "identity.site_code": bool(d.get("identity.site_code")),
            "identity.icp": bool(d.get("identity.icp")),
            "freshness.homepage": c.newest_home_age > 14,
            "links.broken_home": len(c.broken_paths) > 0,
            "search.present": bool(d.get("search.present")),
        }
        for check_id in sorted(values):
            out.append({"site_id": sim.site_id, "check_id": check_id, "defect": defect[check_id],
                        "expected_value": values[check_id]})
    return out
