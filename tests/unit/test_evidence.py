"""Both evidence-store backends pass the same contract; S3 runs against moto's server on loopback."""

import pytest

from govweb import evidence


@pytest.fixture(params=["file", "s3"])
def store(request, tmp_path):
    if request.param == "file":
        return evidence.FileStore(tmp_path / "ev")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"t-{abs(hash(request.node.name)) % 10**8}"
    return evidence.S3Store(endpoint, bucket, "testing", "testing", secure=False)


def test_put_get_exists_list(store):
    assert not store.exists("evidence/2018/a/capture.json")
    store.put_json("evidence/2018/a/capture.json", {"site": "甲", "n": 1})
    store.put_text("evidence/2018/b/x.txt", "乙")
    assert store.exists("evidence/2018/a/capture.json")
    assert store.get_json("evidence/2018/a/capture.json") == {"site": "甲", "n": 1}
    assert store.get_text("evidence/2018/b/x.txt") == "乙"
    assert list(store.list("evidence/2018/")) == ["evidence/2018/a/capture.json", "evidence/2018/b/x.txt"]
    assert list(store.list("evidence/2019/")) == []


def test_blobs_are_content_addressed_and_written_once(store):
    k1 = store.put_blob("evidence/2018/a/pages", b"<html>1</html>", "html", "text/html")
    k2 = store.put_blob("evidence/2018/a/pages", b"<html>1</html>", "html", "text/html")
    assert k1 == k2 == f"evidence/2018/a/pages/{evidence.sha256(b'<html>1</html>')}.html"
    assert store.get(k1) == b"<html>1</html>"


def test_documents_are_replaced_on_rerun(store):
    store.put_json("results/2018/x.json", {"v": 1})
    store.put_json("results/2018/x.json", {"v": 2})
    assert store.get_json("results/2018/x.json") == {"v": 2}


def test_missing_key_and_bad_keys(store):
    with pytest.raises(KeyError, match="no evidence object"):
        store.get("nope/x")
    for bad in ("/abs", "a/../b", "a//b", ""):
        with pytest.raises(evidence.EvidenceKeyError):
            store.put(bad, b"x")


def test_from_env_requires_complete_s3_settings(monkeypatch):
    monkeypatch.setenv("GOVWEB_STORE", "s3")
    monkeypatch.delenv("GOVWEB_S3_ENDPOINT", raising=False)
    with pytest.raises(RuntimeError, match="GOVWEB_S3_ENDPOINT"):
        evidence.from_env()
    monkeypatch.setenv("GOVWEB_STORE", "ftp")
    with pytest.raises(RuntimeError, match="not a store kind"):
        evidence.from_env()


def test_from_env_s3(monkeypatch, s3_endpoint):
    monkeypatch.setenv("GOVWEB_STORE", "s3")
    monkeypatch.setenv("GOVWEB_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("GOVWEB_S3_BUCKET", "from-env")
    monkeypatch.setenv("GOVWEB_S3_ACCESS_KEY", "testing")
    monkeypatch.setenv("GOVWEB_S3_SECRET_KEY", "testing")
    store = evidence.from_env()
    assert isinstance(store, evidence.S3Store)
    store.put_text("quality/2018/x.json", "{}")
    assert store.client.bucket_exists("from-env")
    assert list(store.list("quality/")) == ["quality/2018/x.json"]


def test_s3_bucket_is_created_versioned_with_object_lock(s3_endpoint):
    store = evidence.S3Store(s3_endpoint, "locked-evidence", "testing", "testing")
    assert store.client.get_bucket_versioning("locked-evidence").status == "Enabled"
    assert store.client.get_object_lock_config("locked-evidence") is not None
    store.put("evidence/2018/x/capture.json", b"{}")
    store.put("evidence/2018/x/capture.json", b'{"a": 1}')
    versions = list(store.client.list_objects("locked-evidence", prefix="evidence/", recursive=True,
                                              include_version=True))
    assert len(versions) == 2  # a replaced capture keeps its earlier version


def test_store_travels_to_a_worker_process(store):
    """Crawl worker processes get the store pickled: the copy reads and writes the same objects."""
    import pickle

    store.put("results/2018/x.txt", b"before")
    copy = pickle.loads(pickle.dumps(store))
    assert copy.get("results/2018/x.txt") == b"before"
    copy.put("results/2018/y.txt", b"from the worker")
    assert store.get("results/2018/y.txt") == b"from the worker"


def test_a_file_write_survives_a_temporary_file_left_by_a_crashed_process(tmp_path, monkeypatch):
    import itertools
    import os

    store = evidence.FileStore(tmp_path / "ev")
    store.put_text("evidence/2018/a/x.txt", "旧")
    monkeypatch.setattr(evidence, "_TMP_SEQ", itertools.count(7))
    stale = tmp_path / "ev" / "evidence" / "2018" / "a" / f".tmp-{os.getpid()}-7"
    stale.write_bytes(b"half")  # the name this process would pick next
    store.put_text("evidence/2018/a/x.txt", "新")
    assert store.get_text("evidence/2018/a/x.txt") == "新"
    assert stale.read_bytes() == b"half"
    assert list(store.list("evidence/2018/a/")) == ["evidence/2018/a/x.txt"]  # temporaries are never listed
    assert not [p for p in stale.parent.iterdir() if p.name.startswith(".tmp-") and p != stale]
