"""Service guides (办事指南): which required elements a page shows with content; its downloadable files.

`label_values` reads "label: value" pairs in the ways portals lay them out (th/td, dt/dd, a bold or classed
label followed by text, a heading followed by paragraphs, "标签：内容" runs of text); letter pages use it too.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.capture import Link
from govweb.parse.anchors import SELECTOR, target
from govweb.parse.navigation import is_site_frame

MAX_LABEL = 15
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LABEL_TAGS = ("strong", "b", "label", "th", "dt", *HEADINGS)
LABEL_CLASS = re.compile(r"label|lab$|tit|name|key|^bt|_bt|^th$|^hd$|_hd|^l$|left|item-?t|^dt$|^xm$|^mc$", re.I)
BLOCKS = "div, p, table, ul, ol, li, dl, h1, h2, h3, h4, h5, h6, tr, section, article, form"
INLINE_HOLDERS = ("p", "li", "div", "span", "td", "dd", "font")
INLINE_PAIR = re.compile(r"(?:^|(?<=[\s，。；;,|｜、]))([\u4e00-\u9fffA-Za-z（）()]{2,12})\s*[：:]")
NUMBERING = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳]|[★●◆■·•])\s*")
EMPTY_VALUES = {"", "无", "暂无", "空", "/", "-", "--", "—", "——", "null", "none", "暂无内容", "暂无信息", "待补充",
                "未填写", "无内容"}
FILE_EXT = re.compile(r"\.(docx?|xlsx?|pdf|zip|rar|7z|wps|et|ofd|txt|csv|pptx?)$", re.I)
FILE_HINT = re.compile(r"download|attach|upload|/file|files?/|getfile|downfile|fj|fujian|accessory|filedown|"
                       r"\.(jsp|do|aspx?|php|action)\?.*(id|file|name)=", re.I)
FILE_TEXT = re.compile(r"下载|表格|附件|样表|申请表|范本|模板|\.(docx?|xlsx?|pdf|zip|rar|wps|et|ofd)\b", re.I)


def norm(text: str) -> str:
    return " ".join((text or "").split())


def clean_label(text: str) -> str:
    text = NUMBERING.sub("", norm(text))
    return re.sub(r"\s+", "", text).strip("：:*＊【】[]")


def is_empty(value: str) -> bool:
    squashed = re.sub(r"[\s。.；;，,]+$", "", norm(value)).strip()
    return squashed.lower() in EMPTY_VALUES


def _attr(node: LexborNode, name: str) -> str:
    return (node.attributes.get(name) or "").strip()


def has_block(node: LexborNode) -> bool:
    """Whether a block element sits inside the node (selectolax's css() also matches the node itself)."""
    return any(c.mem_id != node.mem_id for c in node.css(BLOCKS))


def _cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in tr.iter() if c.tag in ("td", "th")]


def _table_pairs(root: LexborNode) -> list[tuple[str, str]]:
    pairs = []
    rows = root.css("tr")
    for n, tr in enumerate(rows):
        cells = _cells(tr)
        if cells and all(c.tag == "th" for c in cells) and n + 1 < len(rows):
            values = _cells(rows[n + 1])
            if len(values) == len(cells) and not any(c.tag == "th" for c in values):
                pairs += [(clean_label(h.text(deep=True)), norm(v.text(deep=True)))
                          for h, v in zip(cells, values, strict=True)]
                continue
        i = 0
        while i < len(cells) - 1:
            label = clean_label(cells[i].text(deep=True))
            if 1 <= len(label) <= MAX_LABEL and (cells[i].tag == "th" or cells[i + 1].tag == "td"):
                pairs.append((label, norm(cells[i + 1].text(deep=True, separator=" "))))
                i += 2
            else:
                i += 1
    return pairs


def _dl_pairs(root: LexborNode) -> list[tuple[str, str]]:
    pairs = []
    for dt in root.css("dt"):
        parts, node = [], dt.next
        while node is not None and node.tag != "dt":
            if node.tag == "dd":
                parts.append(node.text(deep=True, separator=" "))
            node = node.next
        pairs.append((clean_label(dt.text(deep=True)), norm(" ".join(parts))))
    return pairs


def _is_label(node: LexborNode) -> bool:
    raw = norm(node.text(deep=True))
    label = clean_label(raw)
    if not 1 <= len(label) <= MAX_LABEL or has_block(node) and node.tag not in HEADINGS:
        return False
    hinted = any(LABEL_CLASS.search(t) for t in _attr(node, "class").split())
    return node.tag in LABEL_TAGS or hinted or raw.endswith(("：", ":"))


def _value_after(label: LexborNode) -> str:
    parts, node = [], label.next
    heading = label.tag in HEADINGS
    while node is not None:
        if node.tag in HEADINGS and heading:
            break
        if node.tag == label.tag and _is_label(node):
            break
        if node.tag == "-text":
            parts.append(node.text_content or "")
        elif node.tag not in ("script", "style"):
            parts.append(node.text(deep=True, separator=" "))
        node = node.next
    value = norm(" ".join(parts))
    parent = label.parent
    if value or parent is None or heading:
        return value
    if norm(parent.text(deep=True)) == norm(label.text(deep=True)):  # the label alone in its wrapper
        sibling = parent.next
        while sibling is not None and sibling.tag in ("-text", "-comment"):
            sibling = sibling.next
        if sibling is not None and not _is_label(sibling):
            return norm(sibling.text(deep=True, separator=" "))
    return ""


def _element_pairs(root: LexborNode) -> list[tuple[str, str]]:
    pairs = []
    for node in root.css("strong, b, label, span, em, font, div, p, h2, h3, h4, h5, h6"):
        if node.parent is not None and node.parent.tag in ("td", "th", "dt") and node.tag in ("strong", "b"):
            continue  # the cell is the label
        if _is_label(node):
            pairs.append((clean_label(node.text(deep=True)), _value_after(node)))
    return pairs


def _text_pairs(root: LexborNode) -> list[tuple[str, str]]:
    pairs = []
    for node in root.css(", ".join(INLINE_HOLDERS)):
        if has_block(node):
            continue
        text = norm(node.text(deep=True, separator=" "))
        matches = list(INLINE_PAIR.finditer(text))
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            pairs.append((clean_label(m.group(1)), norm(text[m.end(): end])))
    return pairs


def label_values(root: LexborNode | None) -> list[tuple[str, str]]:
    """Every (label, value) pair found: table cells, dt/dd, labelled elements, then inline "标签：内容" text."""
    if root is None:
        return []
    return _table_pairs(root) + _dl_pairs(root) + _element_pairs(root) + _text_pairs(root)


_SYNONYMS: dict[int, tuple[dict, dict[str, str], list[tuple[str, str]]]] = {}


def _synonym_index(element_synonyms: dict) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The dictionary's cleaned words, once per dictionary object (guide pages ask for every label they show):
    exact word -> element (the first element naming it wins), and the (element, word) pairs of 3+ chars."""
    hit = _SYNONYMS.get(id(element_synonyms))
    if hit is not None and hit[0] is element_synonyms:
        return hit[1], hit[2]
    exact: dict[str, str] = {}
    held: list[tuple[str, str]] = []
    for key, words in element_synonyms.items():
        cleaned = [clean_label(str(w)) for w in words or ()]
        for word in (key, *cleaned):
            exact.setdefault(word, key)
        held += [(key, w) for w in (clean_label(key), *cleaned) if len(w) >= 3]
    _SYNONYMS[id(element_synonyms)] = (element_synonyms, exact, held)
    return exact, held


def canonical_label(label: str, element_synonyms: dict) -> str | None:
    """The required element a label names: exact synonym first, then the longest synonym (3+ chars) it holds."""
    label = clean_label(label)
    if not label:
        return None
    exact, held = _synonym_index(element_synonyms)
    if label in exact:
        return exact[label]
    best, size = None, 0
    for key, w in held:
        if w in label and len(w) > size and len(label) <= len(w) + 6:
            best, size = key, len(w)
    return best


def content(tree: LexborHTMLParser) -> LexborHTMLParser:
    """A copy of the page without its header, footer and crumb trail (a footer's 联系电话 is not the guide's)."""
    copy = LexborHTMLParser(tree.html or "")
    if copy.body is None:
        return copy
    frames = [n for n in copy.body.traverse() if n.tag not in ("-text", "body") and is_site_frame(n)]
    outer = {n.mem_id for n in frames}
    for node in frames:
        parent, nested = node.parent, False
        while parent is not None:
            nested = nested or parent.mem_id in outer
            parent = parent.parent
        if not nested:
            node.decompose()
    return copy


def guide_labels(tree: LexborHTMLParser, element_synonyms: dict) -> list[str]:
    """The required elements (keys of `guide_elements`) the guide shows with content, in dictionary order;
    a label whose value is empty or only 无/暂无 does not count."""
    shown = set()
    for label, value in label_values(content(tree).body):
        key = canonical_label(label, element_synonyms)
        if key and not is_empty(value):
            shown.add(key)
    return [key for key in element_synonyms if key in shown]


def _file_like(url: str) -> bool:
    parts = urlsplit(url)
    if FILE_EXT.search(unquote(parts.path)):
        return True
    return any(FILE_EXT.search(unquote(v)) for v in re.split(r"[&=]", parts.query))


def attachments(tree: LexborHTMLParser, base_url: str) -> list[Link]:
    """Downloadable files linked from the page: file extensions, or 下载/表格/附件 links to file-looking URLs."""
    host = urlsplit(base_url).hostname
    out: dict[str, Link] = {}
    for a in tree.css(SELECTOR):
        raw = target(a)
        if not raw:
            continue
        url = urljoin(base_url, raw).split("#")[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = norm(a.text(deep=True)) or _attr(a, "title")
        if _file_like(url) or (FILE_TEXT.search(text) and FILE_HINT.search(url)):
            out.setdefault(url, Link(href=url, text=text, internal=urlsplit(url).hostname == host))
    return list(out.values())
