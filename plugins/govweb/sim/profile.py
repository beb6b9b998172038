"""Seeded per-site profiles: a site's build (template, encoding, scripts, frames) and its defects.

The base profile of a site is drawn from (seed, site_id) and so is the same every year; a year
adds drift from (seed, site_id, year): a defect fixed or a new one appearing, as real sites change.
"""

from __future__ import annotations

from govweb.models import Site
from govweb.sim import catalogue
from govweb.sim.content import rng_for

DEFECT_RATE = 0.12  # chance that a site carries a given defect kind
DRIFT = 0.25  # chance per year that one defect is fixed or one appears
TEMPLATE_WEIGHTS = {"classic": 3, "modern": 3, "portal": 2, "wcm": 2}
UTF16_RATE = 0.003  # a rare UTF-16 site (BOM, charset=utf-16): drawn apart so other draws stay put
MISLABELLED_RATE = 0.015  # a UTF-8 site whose <meta> still says gb2312 (no header charset): drawn apart too


def seeded(site: Site, year: int, seed: str, drift_rate: float = DRIFT) -> dict:
    rng = rng_for("profile", seed, site.site_id)
    templates = list(TEMPLATE_WEIGHTS)
    prof = {
        "template": rng.choices(templates, weights=[TEMPLATE_WEIGHTS[t] for t in templates])[0],
        "encoding": "gbk" if rng.random() < 0.15 else "utf-8",
        "js_lists": rng.random() < 0.2,
        "iframes": rng.random() < 0.15,
    }
    if rng_for("profile-utf16", seed, site.site_id).random() < UTF16_RATE:
        prof["encoding"] = "utf-16"
    elif prof["encoding"] == "utf-8" and rng_for("profile-mislabelled", seed, site.site_id).random() < MISLABELLED_RATE:
        prof["encoding"] = "utf-8-mislabelled"
    defects = {k.check_id: rng.choice(k.severities) for k in catalogue.KINDS if rng.random() < DEFECT_RATE}
    drift = rng_for("profile", seed, site.site_id, year)
    if drift.random() < drift_rate:
        kind = drift.choice(catalogue.KINDS)
        if kind.check_id in defects:
            del defects[kind.check_id]
        else:
            defects[kind.check_id] = drift.choice(kind.severities)
    prof["defects"] = defects
    return prof
