"""A site's page and time budgets: enforced before each page, recorded in the capture."""

from __future__ import annotations

import time


class BudgetExceeded(Exception):
    def __init__(self, kind: str):
        super().__init__(f"{kind} budget exhausted")
        self.kind = kind  # "pages" | "time"


class Budget:
    def __init__(self, max_pages: int, max_seconds: float) -> None:
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.t0 = time.monotonic()
        self.pages = 0
        self.hit = ""

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def remaining_s(self) -> float:
        return max(0.0, self.max_seconds - self.elapsed)

    def check(self) -> None:
        """Raise when the time budget is spent (or the page budget already was)."""
        if self.elapsed >= self.max_seconds:
            self.hit = self.hit or "time"
            raise BudgetExceeded(self.hit)
        if self.pages >= self.max_pages:
            self.hit = self.hit or "pages"
            raise BudgetExceeded(self.hit)

    def take(self) -> None:
        """Count one page against the budget (raises when none is left)."""
        self.check()
        self.pages += 1
