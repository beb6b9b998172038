"""Identity & management checks read from the home page (footer text and meta tags)."""

from __future__ import annotations

import re

from govweb import extract
from govweb.checks.registry import SiteEvidence, Verdict, detector

SITE_CODE = re.compile(r"网站标识码\s*[：:]?\s*([0-9A-Za-z]{10})(?![0-9A-Za-z])")
ICP = re.compile(r"[\u4e00-\u9fff]\s*ICP\s*备\s*\d{6,10}\s*号(?:\s*-\s*\d+)?")


@detector("identity.site_code")
def site_code(ev: SiteEvidence) -> Verdict:
    """网站标识码 in the footer text or <meta name="SiteIDCode">; must match the inventory's code."""
    keys = [ev.key, ev.home["html_key"]]
    meta = {k.lower(): v for k, v in extract.meta(ev.home_tree).items()}
    m = SITE_CODE.search(ev.home_text)
    code = (m.group(1) if m else "") or meta.get("siteidcode", "")
    if not code:
        return Verdict(False, "", "no 网站标识码 in the home page footer or SiteIDCode meta", keys)
    if ev.site_id_expected and code != ev.site_id_expected:
        return Verdict(False, code, f"site code {code} differs from the inventory's {ev.site_id_expected}", keys)
    return Verdict(True, code, "", keys)


@detector("identity.icp")
def icp(ev: SiteEvidence) -> Verdict:
    """ICP备案号 shown on the home page."""
    keys = [ev.key, ev.home["html_key"]]
    m = ICP.search(ev.home_text)
    if not m:
        return Verdict(False, "", "no ICP备案号 on the home page", keys)
    return Verdict(True, re.sub(r"\s+", "", m.group(0)), "", keys)
