"""Site-search boxes on a page: real forms, and script-driven boxes, told apart from login/letter/subscription."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

TEXT_TYPES = ("", "text", "search")
QUERY_NAME = re.compile(r"^(q|qt|query|keys?|keywords?|searchword|searchkey|search_?text|searchvalue|kw|wd|word|"
                        r"sword|words|text|search|s|content_?key|title_?key|sstext|ss|searchinput|txtsearch|"
                        r"keyword_?input|search_?key(word)?|input_?search|zoom_?search)$", re.I)
QUERY_HINT = re.compile(r"关键字|关键词|搜索|检索|搜 索|search", re.I)
BUTTON_STRONG = re.compile(r"搜\s*索|检\s*索|^搜$|search|^go$", re.I)
BUTTON_WEAK = re.compile(r"查\s*询")
ACTION_HINT = re.compile(r"search|sousuo|/so\b|/so/|/s\?|/s$|jsearch|was5|trssearch|fulltext|qsearch|ss\.jsp|"
                         r"/ss/", re.I)
CONTAINER_HINT = re.compile(r"search|sousuo|^ss|ss$|^so$|srch|jiansuo", re.I)
LOGIN_WORDS = re.compile(r"登\s*录|用户名|密\s*码|注\s*册|验证码|login|logon|signin", re.I)
MESSAGE_WORDS = re.compile(r"留言|提\s*交|信件|评论|写信|投诉|订阅|我要|反馈|发表")
MESSAGE_FIELDS = re.compile(r"^(title|content|phone|tel|mobile|email|e-?mail|mail|username|user|name|xm|lxdh|"
                            r"sjhm|dz|address|yzm|captcha|code|checkcode|subject|body|message|msg)$", re.I)
CAPTCHA = re.compile(r"yzm|captcha|verify|checkcode|valid", re.I)
PAGE_FORM_CONTROLS = 12
SCRIPT_CALL = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")
SCRIPT_URL = re.compile(
    r"(?:window\.open|(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=|location\.(?:assign|replace))"
    r"\s*\(?\s*[\"']([^\"']+)[\"']")
SEARCH_FUNCTION = re.compile(r"search|sousuo|jiansuo|^ss$|^so$|^sou$", re.I)


@dataclass(frozen=True)
class SearchForm:
    action: str
    method: str
    query_field: str
    hidden: tuple[tuple[str, str], ...]
    how: str  # "form" | "script"
    selector: str = ""  # CSS selector of the text input (for the browser probe)


def _attr(node: LexborNode, name: str) -> str:
    return (node.attributes.get(name) or "").strip()


def _is_text_input(node: LexborNode) -> bool:
    return node.tag == "input" and _attr(node, "type").lower() in TEXT_TYPES


def _within(node: LexborNode, ancestor_tag: str) -> LexborNode | None:
    node = node.parent
    while node is not None:
        if node.tag == ancestor_tag:
            return node
        node = node.parent
    return None


def _fields(form: LexborNode) -> list[LexborNode]:
    """The form's controls; a form the parser emptied (a <form> between <table> and <tr>) owns its table's."""
    controls = form.css("input, button, textarea, select")
    if controls:
        return controls
    table = _within(form, "table")
    if table is None:
        return []
    return [n for n in table.css("input, button, textarea, select") if _within(n, "form") is None]


def _label(node: LexborNode) -> str:
    text = node.text(deep=True) if node.tag not in ("input", "select", "textarea") else ""
    parts = [text if len(text) <= 12 else ""]
    parts += [_attr(node, k) for k in ("value", "alt", "title", "aria-label", "placeholder")]
    parts += [_attr(img, "alt") + " " + _attr(img, "src") for img in node.css("img")]
    return " ".join(p for p in parts if p)


def _query_score(node: LexborNode) -> int:
    score = 0
    if QUERY_NAME.match(_attr(node, "name")) or QUERY_NAME.match(_attr(node, "id")):
        score += 2
    if QUERY_HINT.search(" ".join(_attr(node, k) for k in ("placeholder", "value", "title", "aria-label", "class",
                                                          "id", "name"))):
        score += 2
    return score


def _button_score(fields: list[LexborNode], any_tag: bool = False) -> int:
    best = 0
    for node in fields:
        kind = _attr(node, "type").lower()
        if any_tag or node.tag == "button" or kind in ("submit", "button", "image"):
            label = _label(node)
            best = max(best, 2 if BUTTON_STRONG.search(label) else 1 if BUTTON_WEAK.search(label) else 0)
    return best


def _not_search(fields: list[LexborNode], text: str) -> bool:
    """Login, letter/comment and subscription forms."""
    if any(_attr(n, "type").lower() == "password" or n.tag == "textarea" for n in fields):
        return True
    if LOGIN_WORDS.search(text) or MESSAGE_WORDS.search(text):
        return True
    texts = [n for n in fields if _is_text_input(n)]
    named = sum(1 for n in texts if MESSAGE_FIELDS.match(_attr(n, "name") or _attr(n, "id")))
    return named >= 2 or (_attr(texts[0], "type").lower() == "email" if texts else False)


def css_selector(node: LexborNode, tree: LexborHTMLParser) -> str:
    """A selector that finds this input: its id, else its name when unique, else a path of nth-of-type steps."""
    ident = _attr(node, "id")
    if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident) and len(tree.css(f"#{ident}")) == 1:
        return f"#{ident}"
    name = _attr(node, "name")
    if name and re.fullmatch(r"[\w-]+", name) and len(tree.css(f'input[name="{name}"]')) == 1:
        return f'input[name="{name}"]'
    steps = []
    while node is not None and node.tag not in ("html", "-document"):
        parent = node.parent
        if parent is None:
            break
        same = [c for c in parent.iter() if c.tag == node.tag]
        index = next(i for i, c in enumerate(same, 1) if c.mem_id == node.mem_id)
        steps.append(f"{node.tag}:nth-of-type({index})" if len(same) > 1 else node.tag)
        node = parent
    return " > ".join(reversed(steps))


def _script_text(tree: LexborHTMLParser) -> str:
    return "\n".join(s.text() for s in tree.css("script") if not _attr(s, "src"))


def _function_body(scripts: str, name: str) -> str:
    m = re.search(rf"function\s+{re.escape(name)}\s*\(|{re.escape(name)}\s*=\s*function\s*\(", scripts)
    return scripts[m.start(): m.start() + 2000] if m else ""


def script_target(handlers: list[str], tree: LexborHTMLParser, base_url: str) -> str:
    """The URL a script-driven search goes to, when an inline handler or a named inline function shows it."""
    scripts = None
    for code in handlers:
        m = SCRIPT_URL.search(code)
        if m:
            return urljoin(base_url, m.group(1))
        for call in SCRIPT_CALL.findall(code):
            if call in ("if", "return", "function", "void", "encodeURI", "encodeURIComponent", "escape"):
                continue
            scripts = _script_text(tree) if scripts is None else scripts
            m = SCRIPT_URL.search(_function_body(scripts, call))
            if m:
                return urljoin(base_url, m.group(1))
    return ""


def _handlers(nodes: list[LexborNode]) -> list[str]:
    out = []
    for node in nodes:
        for key in ("onclick", "onsubmit", "onkeydown", "onkeyup", "onkeypress", "href", "action"):
            value = _attr(node, key)
            if value and (key.startswith("on") or value.lower().startswith("javascript:")):
                out.append(value)
    return out


def _pick_query(texts: list[LexborNode]) -> LexborNode:
    return max(texts, key=_query_score)  # first best in document order


def _from_form(form: LexborNode, tree: LexborHTMLParser, base_url: str) -> tuple[SearchForm | None, set[int]]:
    fields = _fields(form)
    used = {n.mem_id for n in fields}
    texts = [n for n in fields if _is_text_input(n)]
    if not texts:
        return None, used
    buttons = " ".join(_label(n) for n in fields if n.tag == "button" or _attr(n, "type").lower() in (
        "submit", "button", "image"))
    if _not_search(fields, f"{buttons} {form.text(deep=True)}") or len(texts) > 3:
        return None, used
    query = _pick_query(texts)
    action = _attr(form, "action")
    score = _query_score(query) + _button_score(fields) + (2 if ACTION_HINT.search(action) else 0)
    score += 3 if _attr(form, "role") == "search" or CONTAINER_HINT.search(
        f"{_attr(form, 'id')} {_attr(form, 'name')} {_attr(form, 'class')}") else 0
    if score < 2:
        return None, used
    hidden = tuple((_attr(n, "name"), _attr(n, "value")) for n in fields
                   if n.tag == "input" and _attr(n, "type").lower() == "hidden" and _attr(n, "name"))
    field = _attr(query, "name") or _attr(query, "id")
    selector = css_selector(query, tree)
    handlers = _handlers([form, *fields])
    if action.lower().startswith("javascript:") or (action.startswith("#") and handlers):
        target = script_target(handlers, tree, base_url)
        return SearchForm(target, "get", field, hidden, "script", selector), used
    method = (_attr(form, "method") or "get").lower()
    return SearchForm(urldefrag(urljoin(base_url, action))[0], method, field, hidden, "form", selector), used


def _triggers(node: LexborNode) -> list[LexborNode]:
    """Clickable things next to a bare input: within its parent, or its grandparent."""
    found = []
    scope = node.parent
    for _ in range(2):
        if scope is None:
            break
        for c in scope.css("a, button, input, img, span, div, i"):
            if c.mem_id == node.mem_id:
                continue
            handler = " ".join(_handlers([c]))
            if handler or (c.tag in ("button", "input") and _attr(c, "type").lower() in ("button", "submit", "image")):
                found.append(c)
        if found:
            break
        scope = scope.parent
    return found


def _from_input(node: LexborNode, tree: LexborHTMLParser, base_url: str) -> SearchForm | None:
    """A search box without a form: an input beside a button or link that calls a script."""
    triggers = _triggers(node)
    handlers = _handlers([node, *triggers])
    calls = [c for h in handlers for c in SCRIPT_CALL.findall(h)]
    scripted = any(SEARCH_FUNCTION.search(c) for c in calls) or any(SCRIPT_URL.search(h) for h in handlers)
    labels = " ".join(_label(t) for t in triggers)
    if LOGIN_WORDS.search(labels) or MESSAGE_WORDS.search(labels):
        return None
    if MESSAGE_FIELDS.match(_attr(node, "name") or _attr(node, "id")) or CAPTCHA.search(
            f"{_attr(node, 'name')} {_attr(node, 'id')}"):
        return None
    score = _query_score(node) + _button_score(triggers, any_tag=True) + (2 if scripted else 0)
    if score < 3 or not (scripted or triggers):
        return None
    target = script_target(handlers, tree, base_url)
    return SearchForm(target, "get", _attr(node, "name") or _attr(node, "id"), (), "script", css_selector(node, tree))


def search_forms(tree: LexborHTMLParser, base_url: str) -> list[SearchForm]:
    """Site-search boxes in document order (forms: action made absolute; script boxes: the target when visible)."""
    out: list[SearchForm] = []
    used: set[int] = set()
    page_forms = {f.mem_id for f in tree.css("form") if len(f.css("input, select, textarea")) > PAGE_FORM_CONTROLS}
    for node in tree.css("form, input"):
        if node.tag == "form" and node.mem_id not in page_forms:
            found, fields = _from_form(node, tree, base_url)
            used |= fields
            if found:
                out.append(found)
        elif node.tag == "input" and node.mem_id not in used and _is_text_input(node) and (
                _within(node, "form") is None or _within(node, "form").mem_id in page_forms):
            found = _from_input(node, tree, base_url)
            if found:
                out.append(found)
    return out
