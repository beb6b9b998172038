"""Small pure helpers every part of the report shares: numbers as the report writes them, safe file
names, crawled text made plain, files written once and deterministically."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from govweb.ranking import round_total

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
_DIGITS = "零一二三四五六七八九"
# Suffixes that make an entity's website name longer than the entity itself (湖北省人民政府 -> 湖北省).
NAME_SUFFIXES = ("人民政府门户网站", "政府门户网站", "门户网站", "人民政府", "政府网站", "网站")


def fmt_score(value: Any) -> str:
    """A score as the report prints it: one decimal, half up (ranking.round_total)."""
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return "—"
    return f"{float(round_total(float(value))):.1f}"


def fmt_delta(value: Any) -> str:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return "—"
    rounded = round_total(float(value))
    return "0.0" if rounded == 0 else f"{float(rounded):+.1f}"


def fmt_share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def ordinal(n: int) -> str:
    """第一名, 第四名, 第十名, 第十二名, 第二十名 (1..99)."""
    return f"第{chinese_number(n)}名"


def chinese_number(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def short_name(name: str) -> str:
    """The entity as the published tables name it: 湖北省人民政府 -> 湖北省, 水利部网站 -> 水利部."""
    text = plain(name).strip()
    for suffix in NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def display_value(value: Any) -> str:
    """A finding's value for a reader: flags as 是/否, the rest as stored."""
    text = plain(value)
    return {"true": "是", "false": "否"}.get(text.lower(), text)


def safe_site_id(site_id: Any) -> str:
    """A site_id used as a file name; refuse anything that could escape the output folder."""
    text = str(site_id)
    if not _SAFE_ID.match(text):
        raise ValueError(f"site_id {text!r} is not safe as a file name")
    return text


def plain(value: Any) -> str:
    """Any cell as text ('' for missing values)."""
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return ""
    return str(value)


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return False if value is None or pd.isna(value) else bool(value)


def number(value: Any, default: float = 0.0) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if out != out else out


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def json_value(value: Any) -> Any:
    """A DataFrame cell as a JSON value (None for missing, numpy scalars unwrapped)."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _json(frame: pd.DataFrame) -> str:
    # pandas' C encoder escapes every "/" as "\/"; it never writes a bare "/", so undoing it is exact
    return frame.to_json(orient="records", force_ascii=False, double_precision=15).replace("\\/", "/")


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as plain JSON values (missing values None), through pandas' C encoder: iterating rows of
    string-typed columns in Python is ten times slower."""
    return json.loads(_json(frame))


def to_json_records(frame: pd.DataFrame) -> str:
    return _json(frame) + "\n"


def write(path: Path, content: str | bytes) -> Path:
    """Write a file; an unchanged file is left alone (its bytes and mtime stay)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
        path.write_bytes(data)
    return path


def prune(folder: Path, pattern: str, keep: list[Path]) -> None:
    """Remove files of sites no longer in the report, so a re-run replaces its outputs."""
    if folder.is_dir():
        kept = set(keep)
        for stale in folder.glob(pattern):
            if stale.is_file() and stale not in kept:
                stale.unlink()
