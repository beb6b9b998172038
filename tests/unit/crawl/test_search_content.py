"""Reading the search result page while a late navigation commits (seen in the full-scale blind run: seven
script searches lost on a loaded machine with "Page.content: Unable to retrieve content because the page is
navigating and changing the content")."""

from __future__ import annotations

import asyncio

import pytest

from govweb.crawl import probe_search


class LatePage:
    """A page whose first `fails` content() calls hit a navigation under way."""

    def __init__(self, fails: int, error: str = "Page.content: Unable to retrieve content because the page is "
                                                 "navigating and changing the content."):
        self.fails, self.error, self.waits, self.reads = fails, error, [], 0

    async def content(self) -> str:
        self.reads += 1
        if self.reads <= self.fails:
            raise RuntimeError(self.error)
        return "<html><body>共找到 12 条结果</body></html>"

    async def wait_for_load_state(self, state: str, timeout: float | None = None) -> None:
        self.waits.append(state)


def test_content_is_read_again_once_the_late_navigation_has_loaded():
    page = LatePage(fails=2)
    html = asyncio.run(probe_search.settled_content(page))
    assert "共找到 12 条结果" in html
    assert page.reads == 3 and page.waits.count("load") == 2


def test_other_errors_and_a_page_that_never_settles_are_not_swallowed():
    with pytest.raises(RuntimeError, match="Target closed"):
        asyncio.run(probe_search.settled_content(LatePage(fails=1, error="Target closed")))
    stuck = LatePage(fails=probe_search.CONTENT_ATTEMPTS)
    with pytest.raises(RuntimeError, match="navigating"):
        asyncio.run(probe_search.settled_content(stuck))
    assert stuck.reads == probe_search.CONTENT_ATTEMPTS
