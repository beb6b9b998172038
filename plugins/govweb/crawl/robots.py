"""robots.txt: fetched once per site, stored, and obeyed for every page but the home page."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from govweb.capture import Robots
from govweb.crawl.fetch import USER_AGENT, Fetched

AGENT = "govweb-eval"


class RobotsRules:
    def __init__(self, text: str | None):
        self._parser: RobotFileParser | None = None
        if text:
            self._parser = RobotFileParser()
            self._parser.parse(text.splitlines())

    def allowed(self, url: str) -> bool:
        if self._parser is None:
            return True
        return self._parser.can_fetch(AGENT, url) and self._parser.can_fetch(USER_AGENT, url)


def robots_url(site_url: str) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def from_fetched(f: Fetched, text: str | None, text_key: str) -> tuple[Robots, RobotsRules]:
    """The capture record and the rules: only a 2xx text answer sets rules (4xx: everything allowed)."""
    record = Robots(url=f.url, status=f.status, fetched=f.status is not None, text_key=text_key)
    usable = text is not None and f.status is not None and 200 <= f.status < 300
    return record, RobotsRules(text if usable else None)
