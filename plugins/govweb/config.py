"""Runtime settings, read from the environment (one place, so the DAG, CLI and compose agree).

GOVWEB_STORE          file (default) | s3
GOVWEB_STORE_PATH     root folder of the filesystem store (default: ./var/evidence)
GOVWEB_S3_ENDPOINT    host:port of the S3/MinIO endpoint (e.g. minio:9000)
GOVWEB_S3_BUCKET      bucket name (default: govweb-evidence)
GOVWEB_S3_ACCESS_KEY, GOVWEB_S3_SECRET_KEY
GOVWEB_S3_SECURE      true|false (default false)
GOVWEB_S3_REGION      (default us-east-1)
GOVWEB_INCLUDE        folder holding checks/, templates/, inventory/ (default: the repository's include/)
GOVWEB_CHROMIUM       browser binary (default /usr/bin/chromium-headless-shell: Debian's build of Chromium's
                      headless shell, about 4x less CPU per page than the full browser in headless mode)
GOVWEB_OUT            folder of published reports, one sub-folder per year (default: the repository's out/)
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def include_dir() -> Path:
    return Path(env("GOVWEB_INCLUDE") or (REPO_ROOT / "include"))


def checks_dir() -> Path:
    return include_dir() / "checks"


def templates_dir() -> Path:
    return include_dir() / "templates"


def inventory_dir() -> Path:
    return include_dir() / "inventory"


def chromium_path() -> str:
    return env("GOVWEB_CHROMIUM", "/usr/bin/chromium-headless-shell")


def out_root() -> Path:
    """Where published reports go (out/{year}/); GOVWEB_OUT overrides."""
    return Path(env("GOVWEB_OUT") or (REPO_ROOT / "out"))
