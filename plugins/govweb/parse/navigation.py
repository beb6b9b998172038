"""Column candidates from a portal's navigation, home-page blocks and section pages; column categories."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse import tabs
from govweb.parse.anchors import ITEM_SELECTOR, SELECTOR, target
from govweb.parse.rows import MORE_TEXT, attr_tokens, tokens

NAV_TOKEN = re.compile(r"nav|menu|daohang|^dh\d*$|^dh[_-]|[_-]dh\d*$|^[a-z]*dh$|^dh[a-z]{0,4}$")
HEADER_TOKEN = re.compile(r"^(header|head|top|toubu|banner|topbar|top[_-]?bar|site[_-]?head|headwrap|head[_-]?wrap)$")
FOOTER_TOKEN = re.compile(r"^(footer|foot|bottom|copyright|dibu|di|db|footwrap|foot[_-]?wrap|copy)$|footer|bottom")
CRUMB_TOKEN = re.compile(r"crumb|position|location|weizhi|dqwz|^wz$|dangqian|current[_-]?pos")
SIDE_TOKEN = re.compile(r"left|side|sub|second|erji|lmdh|zlm|sublm|column|lanmu|lm[_-]?list")
CRUMB_WORDS = ("当前位置", "您现在的位置", "您的位置", "现在位置", "所在位置")
EXCLUDED_NAMES = re.compile(
    r"^(首页|网站首页|返回首页|主页|home|index)$|^(用户|个人|法人|企业)?(登录|注册|登录/注册|注册/登录)$|^(用户中心|个人中心|退出)$|"
    r"无障碍|适老化|长者模式|关怀版|"
    r"^(english|en|繁体|繁體|简体|簡體|繁体版|简体版|中文|中文版|英文版|英文|繁|简|繁體版)$|网站地图|联系我们|关于我们|"
    r"^(上一页|下一页|尾页|末页|上页|下页)$",
    re.I,
)
MIN_NAV_LINKS = 3
HOME_PATHS = ("", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/index.php", "/index.asp",
              "/index.aspx", "/default.asp", "/default.aspx", "/default.htm", "/default.html")
MAX_NAME_LEN = 20
DATE_LIKE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}-\d{1,2}(?!\d)")


@dataclass(frozen=True)
class ColumnLink:
    name: str
    url: str
    found_in: str  # "nav" | "block" | "section"
    internal: bool = True


def norm(text: str) -> str:
    return " ".join((text or "").split())


def _matches(node: LexborNode, pattern: re.Pattern) -> bool:
    return any(pattern.search(t) for t in tokens(node))


def is_site_frame(node: LexborNode) -> bool:
    """A page header, footer or crumb trail: the parts every page of the site repeats (_is_header, _is_footer,
    _is_crumb in one pass over the node's attributes: guide and letter pages ask it of every element)."""
    tag = node.tag
    if tag in ("header", "footer"):
        return True
    attrs = node.attributes
    if attrs:
        if attrs.get("role") == "contentinfo":
            return True
        for t in attr_tokens(attrs):
            if HEADER_TOKEN.search(t) or FOOTER_TOKEN.search(t) or CRUMB_TOKEN.search(t):
                return True
    if tag not in ("div", "td", "p", "span"):
        return False
    return norm(node.text(deep=False)).replace(" ", "").startswith(CRUMB_WORDS)


def _is_nav(node: LexborNode) -> bool:
    return node.tag == "nav" or node.attributes.get("role") == "navigation" or _matches(node, NAV_TOKEN)


def _is_header(node: LexborNode) -> bool:
    return node.tag == "header" or _matches(node, HEADER_TOKEN)


def _is_footer(node: LexborNode) -> bool:
    return node.tag == "footer" or node.attributes.get("role") == "contentinfo" or _matches(node, FOOTER_TOKEN)


def _is_crumb(node: LexborNode) -> bool:
    if _matches(node, CRUMB_TOKEN):
        return True
    own = norm(node.text(deep=False)).replace(" ", "")
    return node.tag in ("div", "td", "p", "span") and own.startswith(CRUMB_WORDS)


def _ancestors(node: LexborNode):
    node = node.parent
    while node is not None and node.tag not in ("body", "html", "-undef"):
        yield node
        node = node.parent


def link_name(a: LexborNode) -> str:
    """The anchor's visible text, else its title, else an image's alt/title."""
    text = norm(a.text(deep=True, separator=" "))
    if text:
        return text
    title = norm(a.attributes.get("title") or "")
    if title:
        return title
    for img in a.css("img"):
        alt = norm(img.attributes.get("alt") or img.attributes.get("title") or "")
        if alt:
            return alt
    return ""


def absolute(base_url: str, raw: str | None) -> str:
    """The absolute http(s) URL of an href, or "" for javascript:, mailto:, tel:, bare fragments."""
    raw = (raw or "").strip()
    if not raw or raw.startswith("#") or raw.lower().startswith(("javascript:", "mailto:", "tel:", "vbscript:")):
        return ""
    url = urldefrag(urljoin(base_url, raw))[0]
    return url if urlsplit(url).scheme in ("http", "https") else ""


def is_internal(url: str, base_url: str) -> bool:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    base = (urlsplit(base_url).hostname or "").removeprefix("www.")
    return bool(host) and host == base


CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
TAB_CURRENT = re.compile(r"^(on|cur|current|active|selected|sel|hover)$")


def _clean_name(name: str) -> str:
    """Whitespace normalised, CJK words rejoined, an English subtitle beside a Chinese name dropped."""
    name = CJK_GAP.sub("", norm(name))
    if re.search(r"[\u4e00-\u9fff]", name):
        name = " ".join(t for t in name.split() if not re.fullmatch(r"[A-Za-z&'.\-]+", t))
    return name.strip("|｜:：·•>›»【】[] ")


def _acceptable(name: str, url: str, base_url: str) -> bool:
    squashed = re.sub(r"\s+", "", name)
    if not name or not url or len(name) > MAX_NAME_LEN or EXCLUDED_NAMES.search(squashed) or MORE_TEXT.match(name):
        return False
    parts = urlsplit(url)
    home = parts.path.lower() in HOME_PATHS
    return not (home and not parts.query and parts.hostname == urlsplit(base_url).hostname)


def _nav_containers(tree: LexborHTMLParser) -> list[LexborNode]:
    body = tree.body
    if body is None:
        return []
    found = []
    home_menus = _home_menu_ids(tree)
    for node in body.traverse():
        if node.tag in ("a", "-text", "script", "style", "img", "input"):
            continue
        if any(_is_footer(a) or _is_crumb(a) for a in [node, *_ancestors(node)]):
            continue
        menu = _is_nav(node) and len(node.css(SELECTOR)) >= 2
        header_list = node.tag == "ul" and len(node.css(ITEM_SELECTOR)) >= MIN_NAV_LINKS and any(
            _is_header(a) for a in [node, *_ancestors(node)])
        if menu or header_list or node.mem_id in home_menus:
            found.append(node)
    return found


def _add(out: dict[str, ColumnLink], link: ColumnLink, *, replace: bool = False) -> None:
    if link.url not in out or replace:
        out[link.url] = link


def nav_links(tree: LexborHTMLParser, base_url: str) -> list[ColumnLink]:
    out: dict[str, ColumnLink] = {}
    for container in _nav_containers(tree):
        for a in container.css(SELECTOR):
            url = absolute(base_url, target(a))
            name = _clean_name(link_name(a))
            if _acceptable(name, url, base_url):
                _add(out, ColumnLink(name, url, "nav", is_internal(url, base_url)))
    return list(out.values())


def _is_more(a: LexborNode) -> bool:
    text = norm(a.text(deep=True, separator=" "))
    if text and MORE_TEXT.match(text):
        return True
    if text:
        return False
    hints = " ".join([a.attributes.get("class") or "", a.attributes.get("title") or ""] + [
        f"{i.attributes.get('src') or ''} {i.attributes.get('alt') or ''}" for i in a.css("img")]).lower()
    return "more" in hints or "更多" in hints


def _text_outside(container: LexborNode, skip: LexborNode) -> str:
    parts = []
    for node in container.traverse(include_text=True):
        if node.tag == "-text" and not any(p.mem_id == skip.mem_id for p in _ancestors(node)):
            parent = node.parent
            if parent is not None and parent.tag in ("script", "style"):
                continue
            parts.append(node.text_content or "")
    return norm(" ".join(parts))


HEADING_SELECTOR = "h1, h2, h3, h4, h5, h6, th, strong, b, span, em, a, div, p, li"
HEADING_HINT = re.compile(r"tit|ttl|title|^hd|hd$|head|^bt|name|caption")


def _heading_in(container: LexborNode, more: LexborNode) -> str:
    """A short heading text inside a larger block (a title element, or the current tab)."""
    best = ""
    for node in container.css(HEADING_SELECTOR):
        if node.mem_id == more.mem_id or any(p.mem_id == more.mem_id for p in _ancestors(node)):
            continue
        hinted = node.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th") or _matches(node, HEADING_HINT)
        if not hinted:
            continue
        text = _clean_name(node.text(deep=True, separator=" "))
        if 2 <= len(text) <= MAX_NAME_LEN and not MORE_TEXT.match(text):
            return text
    return best


def _current_tab(container: LexborNode) -> str:
    for node in container.css("li, span, a, div, h3, h2"):
        if _matches(node, TAB_CURRENT):
            return _clean_name(node.text(deep=True, separator=" "))
    return ""


def _image_text(container: LexborNode, skip: LexborNode) -> str:
    """A heading drawn as an image: its alt (or title) text."""
    for img in container.css("img"):
        if not _inside(img, skip):
            alt = norm(img.attributes.get("alt") or img.attributes.get("title") or "")
            if alt:
                return alt
    return ""


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    return any(a.mem_id == ancestor.mem_id for a in _ancestors(node))


def _block_name(more: LexborNode, panels: dict[int, str]) -> str:
    """The name of the block a 更多 link belongs to: the label of its tab panel (`parse/tabs.py`), else the
    current tab or the short text around it, nearest first. A text holding a date is a list's only item, not
    a heading."""
    for node in _ancestors(more):
        if node.mem_id in panels:
            return _clean_name(panels[node.mem_id])
    node = more
    for _ in range(4):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html"):
            return ""
        tab = _current_tab(parent)
        if 2 <= len(tab) <= MAX_NAME_LEN:
            return tab
        text = _clean_name(_text_outside(parent, more) or _image_text(parent, more))
        if 2 <= len(text) <= MAX_NAME_LEN and not DATE_LIKE.search(text):
            return text
        if len(text) > MAX_NAME_LEN:
            return _heading_in(parent, more)
        node = parent
    return ""


def block_links(tree: LexborHTMLParser, base_url: str) -> list[ColumnLink]:
    """Blocks with a 更多 link, and tab labels that link to their column."""
    out: dict[str, ColumnLink] = {}
    boxes = tabs.tab_boxes(tree)
    panels = tabs.panel_labels(boxes)
    for a in tree.css(SELECTOR):
        if not _is_more(a):
            continue
        url = absolute(base_url, target(a))
        name = _block_name(a, panels)
        if _acceptable(name, url, base_url):
            _add(out, ColumnLink(name, url, "block", is_internal(url, base_url)))
    for text, a in tabs.label_anchors(boxes):
        url, name = absolute(base_url, target(a)), _clean_name(text)
        if _acceptable(name, url, base_url):
            _add(out, ColumnLink(name, url, "block", is_internal(url, base_url)))
    return list(out.values())


def column_links(tree: LexborHTMLParser, base_url: str) -> list[ColumnLink]:
    """Column candidates on a home page: navigation menus first, then blocks with a 更多 link."""
    out: dict[str, ColumnLink] = {}
    for link in nav_links(tree, base_url):
        _add(out, link)
    for link in block_links(tree, base_url):
        _add(out, link, replace=link.url in out and MORE_TEXT.match(out[link.url].name) is not None)
    return list(out.values())


def _content_start(tree: LexborHTMLParser, order: dict[int, int]) -> int:
    """Document position where a section page's own content starts: the crumb trail, else <main>, else <h1>."""
    body = tree.body
    if body is None:
        return 0
    crumbs = [order[n.mem_id] for n in body.traverse() if n.tag in ("div", "td", "p", "span", "ol", "ul", "nav")
              and _is_crumb(n)]
    if crumbs:
        return min(crumbs)
    for selector in ("main, [role=main]", "h1"):
        for node in tree.css(selector):
            if not any(_is_header(a) for a in [node, *_ancestors(node)]):
                return order.get(node.mem_id, 0)
    return len(order)


def _site_chrome(node: LexborNode, order: dict[int, int], start: int, own_menus: bool = False) -> bool:
    for a in [node, *_ancestors(node)]:
        if _is_header(a) or _is_footer(a) or _is_crumb(a):
            return True
        if not own_menus and _is_nav(a) and not _matches(a, SIDE_TOKEN) and order.get(a.mem_id, 0) < start:
            return True
    return False


def _home_menu_ids(tree: LexborHTMLParser) -> set[int]:
    """Lists that hold a 首页 link among several others: the site menu even when unmarked."""
    ids = set()
    for a in tree.css(SELECTOR):
        if not re.fullmatch(r"首页|网站首页|返回首页", re.sub(r"\s+", "", link_name(a))):
            continue
        node = a.parent
        if node is not None and node.tag in ("li", "td", "span"):
            node = node.parent
        if node is None or node.tag in ("body", "html") or any(_is_crumb(x) for x in [node, *_ancestors(node)]):
            continue
        if 4 <= len(node.css(SELECTOR)) <= 40:
            ids.add(node.mem_id)
    return ids


def section_links(tree: LexborHTMLParser, base_url: str, own_menus: bool = False) -> list[ColumnLink]:
    """Sub-column links in a section page's own content area (site header, menu, crumbs, footer left out).
    own_menus: the section is a platform of its own (xxgk.<site domain>), whose menus list the section's
    columns rather than repeat the portal's: only headers, footers and crumbs are chrome there."""
    menus = _home_menu_ids(tree)
    order = {n.mem_id: i for i, n in enumerate(tree.body.traverse())} if tree.body is not None else {}
    start = _content_start(tree, order)
    out: dict[str, ColumnLink] = {}
    for a in tree.css(SELECTOR):
        if _site_chrome(a, order, start, own_menus) or any(p.mem_id in menus for p in _ancestors(a)):
            continue
        url = absolute(base_url, target(a))
        name = _clean_name(link_name(a))
        if not _acceptable(name, url, base_url) or url.rstrip("/") == base_url.rstrip("/"):
            continue
        row = a.parent
        if row is not None and row.tag in ("li", "td", "dd", "p") and DATE_LIKE.search(_text_outside(row, a)):
            continue  # a dated item in a list: an article, not a column
        _add(out, ColumnLink(name, url, "section", is_internal(url, base_url)))
    return list(out.values())


def _squash(name: str) -> str:
    return re.sub(r"\s+", "", name or "").strip("|｜:：·•>›»【】[]")


def _categories(synonyms: dict) -> dict[str, list[str]]:
    return {k: [str(s) for s in v] for k, v in synonyms.items() if k != "section_words" and isinstance(v, list)}


def _best(name: str, groups: dict[str, list[str]], min_contained: int = 2) -> str | None:
    key = _squash(name)
    if not key:
        return None
    for group, words in groups.items():
        if key in (_squash(w) for w in words):
            return group
    best, best_len = None, 0
    for group, words in groups.items():
        for word in words:
            w = _squash(word)
            if len(w) >= min_contained and w in key and len(w) > best_len:
                best, best_len = group, len(w)
    return best


def classify(name: str, synonyms: dict) -> str:
    """The category of a column name (news, notice, policy, interpretation, plan, disclosure, interaction,
    services) from the `column_synonyms` dictionary: exact match first, then the longest synonym contained."""
    return _best(name, _categories(synonyms)) or "other"


def key_area_match(name: str, key_areas: dict) -> str | None:
    """The required 重点领域 (a key of the `key_areas` dictionary) a sub-column name denotes, if any."""
    groups = {k: [k, *map(str, v or [])] for k, v in key_areas.items()}
    return _best(name, groups, min_contained=3)
