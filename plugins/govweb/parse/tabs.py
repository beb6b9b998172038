"""Tabbed home-page blocks (选项卡): a strip of tab labels over as many panels, one shown at a time by script.

Portals put two to five columns in one box, e.g.

    <ul class="tab-hd"><li class="on" onmouseover="setTab(1)">政务要闻</li>
      <li onmouseover="setTab(2)">通知公告</li></ul>
    <div id="con1"> …list… <a href="/zwyw/"><img src="more.gif"></a></div>
    <div id="con2" style="display:none"> …list… <a href="/tzgg/"><img src="more.gif"></a></div>

A panel's 更多 link belongs to the column named by the label at the panel's position: not to the label the
script marks current (`on`), and not to the first title of the panel's own list. Labels that are links
themselves (click opens the column, hover switches the panel) are column links of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse.anchors import SELECTOR, target
from govweb.parse.rows import MORE_TEXT, Regions, attr_tokens, norm

MIN_TABS, MAX_TABS = 2, 8
STATE_TOKEN = re.compile(r"^(on|cur|current|active|selected|sel|hover|now|curr)$")
TAB_TOKEN = re.compile(r"tab|^hd$|^bd$|^con\d+$|^tit\d+$|qh|qiehuan")
HIDDEN_TOKEN = re.compile(r"^(hide|hidden|dn|none|undis)$")
LABEL_MIN, LABEL_MAX = 2, 20


@dataclass(frozen=True)
class TabBox:
    labels: list[LexborNode]
    panels: list[LexborNode]


def _elements(node: LexborNode) -> list[LexborNode]:
    return [k for k in node.iter() if k.is_element_node and k.tag not in ("script", "style")]


def _text(node: LexborNode) -> str:
    return norm(node.text(deep=True, separator=" "))


def _shape(node: LexborNode) -> tuple[str, str]:
    """Tag and class of a panel, without state tokens (on, hide) and digits (con1, con2)."""
    tokens = [t for t in (node.attributes.get("class") or "").lower().split()
              if not STATE_TOKEN.match(t) and not HIDDEN_TOKEN.match(t)]
    return node.tag, re.sub(r"\d+", "", " ".join(sorted(tokens)))


def _labels(strip: LexborNode) -> list[LexborNode]:
    """A strip's label elements: its items, through single wrappers (`div.hd > ul > li`); a 更多 link left out."""
    node = strip
    kids = _elements(node)
    while len(kids) == 1 and kids[0].tag != "a":
        node = kids[0]
        kids = _elements(node)
    return [k for k in kids if not MORE_TEXT.match(_text(k))]


def _hidden(node: LexborNode) -> bool:
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or any(HIDDEN_TOKEN.match(t) for t in attr_tokens(node.attributes))


def _scripted(label: LexborNode) -> bool:
    return any(name.lower().startswith("on") for n in (label, *label.css("*")) for name in n.attributes)


def _tabby(strip: LexborNode, labels: list[LexborNode], panels: list[LexborNode]) -> bool:
    """Signs that a strip and a run of panels are tabs: a hidden panel, a label with a handler, exactly one
    label marked current, or tab-named classes."""
    if any(_hidden(p) for p in panels) or any(_scripted(lb) for lb in labels):
        return True
    current = [lb for lb in labels if any(STATE_TOKEN.match(t) for n in (lb, *lb.css("*"))
                                          for t in attr_tokens(n.attributes))]
    if len(current) == 1:
        return True
    return any(TAB_TOKEN.search(t) for n in (strip, panels[0]) for t in attr_tokens(n.attributes))


def _box(strip: LexborNode | None, panels: list[LexborNode], chrome: Regions) -> TabBox | None:
    """`chrome`: a strip in a menu, header, footer, crumb trail or pager is none (a menu marks its current entry
    as tabs do)."""
    if strip is None or not MIN_TABS <= len(panels) <= MAX_TABS or chrome.excluded(strip):
        return None
    labels = _labels(strip)
    if len(labels) != len(panels) or not all(LABEL_MIN <= len(_text(lb)) <= LABEL_MAX for lb in labels):
        return None
    return TabBox(labels, panels) if _tabby(strip, labels, panels) else None


def _previous(node: LexborNode) -> LexborNode | None:
    prev = node.prev
    while prev is not None and not prev.is_element_node:
        prev = prev.prev
    return prev


def tab_boxes(tree: LexborHTMLParser) -> list[TabBox]:
    """Every tab box of the page: a run of two or more same-shaped sibling panels, with a label strip as many
    labels long right before them (a sibling), or right before their wrapper (`div.hd` + `div.bd > div*`)."""
    body = tree.body
    if body is None:
        return []
    boxes, used, chrome = [], set(), Regions(side=False)
    for parent in body.traverse():
        if not parent.is_element_node or parent.tag in ("a", "script", "style", "select"):
            continue
        kids = _elements(parent)
        if len(kids) < MIN_TABS:
            continue
        runs: dict[tuple[str, str], list[LexborNode]] = {}
        for k in kids:
            runs.setdefault(_shape(k), []).append(k)
        for panels in runs.values():
            if len(panels) < MIN_TABS or panels[0].mem_id in used:
                continue
            first = kids.index(panels[0])
            box = _box(kids[first - 1] if first > 0 else None, panels, chrome)
            if box is None and len(panels) == len(kids):
                box = _box(_previous(parent), panels, chrome)
            if box is not None:
                boxes.append(box)
                used.update(p.mem_id for p in panels)
    return boxes


def panel_labels(boxes: list[TabBox]) -> dict[int, str]:
    """mem_id of each panel -> the text of its label."""
    return {p.mem_id: _text(lb) for box in boxes for lb, p in zip(box.labels, box.panels, strict=True)}


def label_anchors(boxes: list[TabBox]) -> list[tuple[str, LexborNode]]:
    """(label text, anchor) for labels that link somewhere themselves."""
    out = []
    for box in boxes:
        for lb in box.labels:
            a = lb if lb.tag == "a" else lb.css_first(SELECTOR)
            if a is not None and target(a):
                out.append((_text(lb), a))
    return out
