"""Evaluation frameworks as data (DESIGN §7): typed trees loaded from `include/checks/frameworks/`,
framework plans (a ranking tree per inventory level plus trees scored alongside), the year's manual
inputs (expert scores, innovation cases) and the scoring engine.

    frameworks.load(name) -> Framework          one tree, include/checks/frameworks/{name}.yaml
    frameworks.plan(name) -> FrameworkPlan      a tree (every site) or a set file (ranking per level + alongside)
    frameworks.manual.load(year, plan) -> ManualInputs
    frameworks.score(findings, inventory, plan, year, manual) -> ScoreTables(scores, indicators)
"""

from govweb.frameworks.engine import ScoreTables, score
from govweb.frameworks.manual import ManualInputError, ManualInputs
from govweb.frameworks.models import (
    KINDS,
    LEAF_STATUSES,
    RULES,
    SOURCES,
    Band,
    Binding,
    Framework,
    FrameworkError,
    FrameworkPlan,
    LeafCounts,
    LeafRef,
    Node,
)
from govweb.frameworks.plan import available, frameworks_dir, is_set, load, path, plan

__all__ = [
    "KINDS", "LEAF_STATUSES", "RULES", "SOURCES", "Band", "Binding", "Framework", "FrameworkError",
    "FrameworkPlan", "LeafCounts", "LeafRef", "ManualInputError", "ManualInputs", "Node", "ScoreTables",
    "available", "frameworks_dir", "is_set", "load", "path", "plan", "score",
]
