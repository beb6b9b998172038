"""Which text encoding a fetched page uses: BOM, then the HTTP header, then `<meta>`, then detection.

Real portals often lie: a server default `ISO-8859-1` or `UTF-8` header over a GBK page, or a template's
`<meta charset=gb2312>` over a UTF-8 body. A declared charset is trusted only if it decodes the body strictly;
otherwise the detector's multibyte guess (UTF-8, GB18030, Big5) that does decode wins. A body that is valid
UTF-8 and not plain ASCII is UTF-8 whatever is declared (GBK text practically never is valid UTF-8, while UTF-8
text can pass a strict GB18030 decode).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
META_SCAN_BYTES = 8192
DETECT_BYTES = 200_000
GB_FAMILY = frozenset({"gbk", "gb2312", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "hz-gb-2312", "ms936"})
SINGLE_BYTE_WESTERN = frozenset({"iso8859-1", "cp1252", "ascii", "latin-1"})
MULTIBYTE_CHINESE = ("utf-8", "gb18030", "big5")


def normalise(name: str | None) -> str | None:
    """A Python codec name for a declared charset (GBK family -> gb18030), or None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in GB_FAMILY:
        return "gb18030"
    if label in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _bom(body: bytes) -> str | None:
    for mark, enc in BOMS:
        if body.startswith(mark):
            return enc
    return None


def meta_charset(body: bytes) -> str | None:
    """The charset a page's <meta> declares (within its first bytes), as written."""
    m = META_CHARSET.search(body[:META_SCAN_BYTES])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def _decodes(body: bytes, encoding: str) -> bool:
    """Strict decode, tolerating a multibyte character cut off at the end (size-capped fetches)."""
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(body, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _detected(body: bytes) -> str | None:
    best = from_bytes(body[:DETECT_BYTES]).best()
    if best is None:
        return None
    enc = normalise(best.encoding)
    return "utf-8" if enc == "ascii" else enc


def _multibyte_rescue(body: bytes, detected: str | None) -> str | None:
    """The multibyte encoding that decodes the body: UTF-8, then GB18030 (mainland portals), then Big5 only if
    detected (the detector often calls short GBK texts Big5)."""
    order = ["utf-8", "gb18030", *(["big5"] if detected == "big5" else [])]
    return next((enc for enc in order if _decodes(body, enc)), None)


def detect_encoding(body: bytes, header_charset: str | None) -> str:
    """The Python codec that decodes this page (see the module docstring for the order of trust)."""
    bom = _bom(body)
    if bom:
        return bom
    declared = [enc for enc in (normalise(header_charset), normalise(meta_charset(body))) if enc]
    high_bytes = not body.isascii()
    if high_bytes and _decodes(body, "utf-8"):
        return "utf-8"  # valid UTF-8 with non-ASCII bytes is never accidental in a whole page
    for enc in dict.fromkeys(declared):
        if not _decodes(body, enc):
            continue
        if enc in SINGLE_BYTE_WESTERN and high_bytes:
            detected = _detected(body)
            if detected is not None and detected not in MULTIBYTE_CHINESE:
                return enc  # the detector agrees it is a Western page
            return _multibyte_rescue(body, detected) or _nearly_clean(body) or enc
        return enc
    if not high_bytes:
        return declared[0] if declared else "utf-8"
    detected = _detected(body)
    rescue = _multibyte_rescue(body, detected)
    if rescue:
        return rescue
    if detected and _decodes(body, detected):
        return detected
    return _least_damaged(body, [*declared, *([detected] if detected else []), "utf-8", "gb18030"])


def _nearly_clean(body: bytes) -> str | None:
    """A multibyte encoding that decodes all but a handful of bytes (a page with one broken character)."""
    sample = body[:DETECT_BYTES]
    high = sum(1 for b in sample if b > 0x7F)
    for enc in ("utf-8", "gb18030"):
        if sample.decode(enc, errors="replace").count("\ufffd") <= max(2, high // 200):
            return enc
    return None


def _least_damaged(body: bytes, candidates: list[str]) -> str:
    """Nothing decodes cleanly (a few broken bytes): the candidate with the fewest replacement characters."""
    sample = body[:DETECT_BYTES]
    scores = {enc: sample.decode(enc, errors="replace").count("\ufffd") for enc in dict.fromkeys(candidates)}
    return min(scores, key=lambda enc: (scores[enc], list(scores).index(enc)))


def decode(body: bytes, encoding: str) -> str:
    """Decode with replacement characters; an unknown codec falls back to UTF-8; a leading BOM is dropped."""
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def form_encoding(page_encoding: str | None) -> str:
    """The encoding a browser submits a page's form in: the page's own (for a rendered DOM, the charset its
    <meta> declares), except UTF-16 pages, which submit UTF-8 (HTML standard, "encoding for form submission")."""
    enc = normalise(page_encoding) or "utf-8"
    return "utf-8" if enc.replace("_", "-").startswith("utf-16") else enc
