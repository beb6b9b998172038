"""The blind-run benchmark's bookkeeping: task times from Airflow's metadata DB, the crawl worker's RSS line."""

from __future__ import annotations

import sqlite3

from govweb.bench import blind


def test_task_times_sum_mapped_instances_of_one_run(tmp_path):
    db = tmp_path / "airflow.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE task_instance (dag_id TEXT, run_id TEXT, task_id TEXT, map_index INT, "
                    "start_date TEXT, end_date TEXT)")
        rows = [("r1", "crawl_batch", 0, "2026-01-01T00:00:00+00:00", "2026-01-01T00:01:40+00:00"),
                ("r1", "crawl_batch", 1, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:30+00:00"),
                ("r1", "judge", -1, "2026-01-01T00:02:00+00:00", "2026-01-01T00:02:05.500000+00:00"),
                ("r1", "publish", -1, None, None),  # never ran
                ("r0", "judge", -1, "2025-01-01T00:00:00+00:00", "2025-01-01T01:00:00+00:00")]  # another run
        con.executemany("INSERT INTO task_instance VALUES (?, ?, ?, ?, ?, ?)",
                        [(blind.DAG_ID, *r) for r in rows])
    spent, count = blind.task_times(db, "r1")
    assert spent == {"crawl_batch": 130.0, "judge": 5.5}
    assert count == {"crawl_batch": 2, "judge": 1, "publish": 1}


def test_crawl_worker_rss_is_read_from_the_batch_summary_line():
    log = ("25 sites crawled in 80.0s: 3000 pages (37.5 pages/s), 1 browser launch(es); failure reasons: "
           "none; crawl worker peak RSS 612 MiB (Chromium apart)\n... crawl worker peak RSS 587 MiB ...")
    assert max(int(m) for m in blind.RSS_LINE.findall(log)) == 612


def test_a_relative_workdir_is_made_absolute_for_airflow(tmp_path, monkeypatch):
    """`make blind-run` passes `--workdir var/blind`; Airflow refuses a relative SQLite path."""
    import argparse

    from govweb.bench import cli

    monkeypatch.chdir(tmp_path)
    with cli._workdir(argparse.Namespace(workdir="var/blind")) as work:
        assert work.is_absolute() and work == tmp_path / "var" / "blind"
        work.mkdir(parents=True)
    assert work.is_dir()  # asked for: kept


def test_a_benchmark_without_workdir_leaves_no_folder_behind(tmp_path, monkeypatch):
    """A full-scale crawl benchmark stores gigabytes of evidence: its temporary folder goes when it ends."""
    import argparse

    from govweb.bench import cli

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    with cli._workdir(argparse.Namespace(workdir="")) as work:
        assert work.parent == tmp_path.resolve() and work.name.startswith("govweb-bench-")
        (work / "evidence").mkdir()
        (work / "evidence" / "page.html").write_text("x")
    assert not work.exists() and list(tmp_path.iterdir()) == []
