"""main_list dates rows only of the groups that could still win (_best_group): its choice must be the one a
full scoring of every group makes (max score, the first of equals in document order)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.lists import _best_group, _groups
from govweb.parse.rows import RowDater, document_base

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
LIST_PAGES = sorted(p for p in PAGES.rglob("*.html") if p.parent.name in ("lists", "site", "crawl"))
AS_OF = date(2018, 10, 15)


def _fully_scored_best(tree: LexborHTMLParser, base: str):
    dater = RowDater(AS_OF)
    groups = _groups(tree, base, dater)
    for group in groups:
        group.date_rows(dater)
    scored = [g for g in groups if g.score() > 0]
    return groups.index(max(scored, key=lambda g: g.score())) if scored else None, groups


@pytest.mark.parametrize("path", LIST_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lazy_dating_picks_the_group_full_scoring_picks(path):
    html = path.read_bytes().decode("utf-8", errors="replace")
    base = document_base(LexborHTMLParser(html), "http://www.example.gov.cn/col/index.html")
    want, _ = _fully_scored_best(LexborHTMLParser(html), base)
    dater = RowDater(AS_OF)
    groups = _groups(LexborHTMLParser(html), base, dater)
    best = _best_group(groups, dater)
    assert (groups.index(best) if best is not None else None) == want


def test_a_group_that_cannot_win_is_never_dated():
    rows = "".join(f"<li><a href='/a/{i}.html'>第{i}条关于做好全市重点工作的通知公告正文标题</a>"
                   f"<span>2018-09-{i + 1:02d}</span></li>" for i in range(12))
    side = "".join(f"<p><a href='/b/{i}.html'>链接{i}</a></p>" for i in range(3))
    tree = LexborHTMLParser(f"<html><body><div class='main'><ul>{rows}</ul></div><div class='x'>{side}</div>"
                            "</body></html>")
    dater = RowDater(AS_OF)
    groups = _groups(tree, "http://www.example.gov.cn/", dater)
    best = _best_group(groups, dater)
    assert best is not None and len(best.rows) == 12 and all(found for _, _, found in best.rows)
    side_groups = [g for g in groups if len(g.links) == 3]
    assert side_groups and all(g.rows is None for g in side_groups)  # ceiling below the dated list's score
