"""Scoring entry points: the frameworks (govweb.frameworks) applied to findings, and the catalogue's
thresholds. The engine, the rules and the framework trees live in govweb.frameworks; this module keeps
the names the pipeline, the calibration and the CLI call.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govweb.frameworks import (  # noqa: F401  (re-exported)
    Framework,
    FrameworkError,
    FrameworkPlan,
    ManualInputError,
    ManualInputs,
    ScoreTables,
    engine,
    load,
    plan,
)
from govweb.frameworks.plan import is_set
from govweb.frameworks.plan import path as framework_file


def framework_path(name: str) -> Path:
    return framework_file(name)


def framework_files(name: str) -> list[Path]:
    """The files a run's framework setting reads: the set file and every tree it names."""
    files = [framework_file(name)]
    if files[0].is_file() and is_set(name):
        files += [framework_file(fw.id) for fw in plan(name).frameworks()]
    return files


def check_ids(fw: Framework | FrameworkPlan) -> list[str]:
    """Check IDs the framework (or every framework of a plan) scores."""
    trees = fw.frameworks() if isinstance(fw, FrameworkPlan) else (fw,)
    return sorted({c for t in trees for c in t.check_ids()})


def load_thresholds() -> dict:
    """Every check's thresholds, from the catalogue (include/checks/catalogue.yaml)."""
    from govweb import catalogue

    return catalogue.default().thresholds()


def score_tables(findings: pd.DataFrame, inventory: pd.DataFrame, fw: Framework | FrameworkPlan, year: int,
                 manual: ManualInputs | None = None) -> ScoreTables:
    """Scores (one row per site and framework) and indicator scores (one row per site, framework and leaf)."""
    return engine.score(findings, inventory, fw, year, manual)


def score(findings: pd.DataFrame, inventory: pd.DataFrame, fw: Framework | FrameworkPlan, year: int,
          manual: ManualInputs | None = None) -> pd.DataFrame:
    """The scores table alone (models.SCORE_COLUMNS + dim:{dimension} columns)."""
    return engine.score(findings, inventory, fw, year, manual).scores
