"""The evidence store: one interface, two backends (local filesystem, S3/MinIO via the minio SDK).

Keys are `/`-separated relative paths (DESIGN §4 prefixes: inventory/, evidence/, probes/,
results/, quality/, reports/). Blobs are content-addressed (sha256) and written once; documents
such as capture.json are replaced on re-run so a task re-run is idempotent.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from govweb import config


class EvidenceKeyError(ValueError):
    pass


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise EvidenceKeyError(f"invalid evidence key {key!r}: use a relative path like 'evidence/2018/x.json'")
    return key


def capture_key(year: int, site_id: str) -> str:
    """Where a site's capture for a year lives (DESIGN §4: evidence/{year}/{site_id}/capture.json)."""
    return f"evidence/{year}/{site_id}/capture.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class EvidenceStore(ABC):
    """Minimal object-store interface; every stage talks to evidence through it."""

    url: str

    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str: ...

    @abstractmethod
    def get(self, key: str) -> bytes: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list(self, prefix: str) -> Iterator[str]: ...

    def put_blob(self, prefix: str, data: bytes, ext: str, content_type: str) -> str:
        """Write `data` once under `{prefix}/{sha256}.{ext}` and return the key."""
        key = f"{prefix.rstrip('/')}/{sha256(data)}.{ext}"
        if not self.exists(key):
            self.put(key, data, content_type)
        return key

    def put_json(self, key: str, obj) -> str:
        data = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        return self.put(key, data, "application/json")

    def get_json(self, key: str):
        return json.loads(self.get(key).decode("utf-8"))

    def put_text(self, key: str, text: str, content_type: str = "text/plain; charset=utf-8") -> str:
        return self.put(key, text.encode("utf-8"), content_type)

    def get_text(self, key: str) -> str:
        return self.get(key).decode("utf-8")



def content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {
        "html": "text/html; charset=utf-8", "json": "application/json", "csv": "text/csv; charset=utf-8",
        "png": "image/png", "css": "text/css", "svg": "image/svg+xml",
    }.get(ext, "application/octet-stream")


_TMP_SEQ = itertools.count()


class FileStore(EvidenceStore):
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = f"file://{self.root}"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        path = self._path(key)
        while True:  # a temporary name no other process or thread uses (pid, counter), created exclusively
            tmp = path.parent / f".tmp-{os.getpid()}-{next(_TMP_SEQ)}"
            try:
                fh = open(tmp, "xb")  # noqa: SIM115 - closed below, before the rename
                break
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
            except FileExistsError:  # left by a crashed process that had the same pid
                continue
        with fh:
            fh.write(data)
        os.replace(tmp, path)  # atomic: a crash never leaves a half-written object
        return key

    def get(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise KeyError(f"no evidence object {key!r} in {self.url}")
        return path.read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> Iterator[str]:
        base = self.root / prefix.rstrip("/") if prefix else self.root
        if not base.exists():
            return iter(())
        return iter(sorted(p.relative_to(self.root).as_posix() for p in base.rglob("*")
                           if p.is_file() and not p.name.startswith(".tmp-")))


class S3Store(EvidenceStore):
    def __init__(self, endpoint: str, bucket: str, access_key: str, secret_key: str,
                 secure: bool = False, region: str = "us-east-1", create_bucket: bool = True):
        from minio import Minio

        self._args = (endpoint, bucket, access_key, secret_key, secure, region)
        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure,
                            region=region)
        self.bucket = bucket
        self.url = f"s3://{bucket}@{endpoint}"
        if create_bucket and not self.client.bucket_exists(bucket):
            # Evidence is immutable: versioning and object lock on, as the compose MinIO bucket is created.
            self.client.make_bucket(bucket, object_lock=True)

    def __reduce__(self):
        """Picklable for crawl worker processes: rebuilt from its settings (the bucket exists by then)."""
        return _s3_store, self._args

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        self.client.put_object(self.bucket, check_key(key), io.BytesIO(data), len(data),
                               content_type=content_type)
        return key

    def get(self, key: str) -> bytes:
        from minio.error import S3Error

        try:
            resp = self.client.get_object(self.bucket, check_key(key))
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                raise KeyError(f"no evidence object {key!r} in {self.url}") from exc
            raise
        try:
            return resp.read()
        finally:
            resp.close()
            resp.release_conn()

    def exists(self, key: str) -> bool:
        from minio.error import S3Error

        try:
            self.client.stat_object(self.bucket, check_key(key))
            return True
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NotFound", "NoSuchObject"):
                return False
            raise

    def list(self, prefix: str) -> Iterator[str]:
        objs = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
        return iter(sorted(o.object_name for o in objs))


def _s3_store(endpoint: str, bucket: str, access_key: str, secret_key: str, secure: bool, region: str) -> S3Store:
    return S3Store(endpoint, bucket, access_key, secret_key, secure=secure, region=region, create_bucket=False)


def from_env() -> EvidenceStore:
    """Build the store the environment asks for (see govweb.config); no silent fallback."""
    kind = config.env("GOVWEB_STORE", "file")
    if kind == "file":
        return FileStore(config.env("GOVWEB_STORE_PATH") or Path.cwd() / "var" / "evidence")
    if kind == "s3":
        missing = [v for v in ("GOVWEB_S3_ENDPOINT", "GOVWEB_S3_ACCESS_KEY", "GOVWEB_S3_SECRET_KEY")
                   if not config.env(v)]
        if missing:
            raise RuntimeError(f"GOVWEB_STORE=s3 needs {', '.join(missing)} set")
        return S3Store(
            config.env("GOVWEB_S3_ENDPOINT"), config.env("GOVWEB_S3_BUCKET", "govweb-evidence"),
            config.env("GOVWEB_S3_ACCESS_KEY"), config.env("GOVWEB_S3_SECRET_KEY"),
            secure=config.env("GOVWEB_S3_SECURE", "false").lower() == "true",
            region=config.env("GOVWEB_S3_REGION", "us-east-1"),
        )
    raise RuntimeError(f"GOVWEB_STORE={kind!r} is not a store kind; use 'file' or 's3'")
