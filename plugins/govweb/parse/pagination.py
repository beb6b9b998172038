"""Where a list page continues: next/last page links, page counts, and the CMS pagination scripts.

Recognised: 下一页/下页/后页/>/» and 尾页/末页/最后一页 links (also bracketed: [下一页]);
"共N页", "第N页", "N/M页", "第 1 页 / 共 5 页",
"页次：1/5"; page-number links; the TRS WCM script `createPageHTML(countPage, currentPage, "index", "html")`
(page i > 0 is `index_{i}.html` beside `index.html`; 4 to 6 arguments, `createPageHTML2` too), and its older
inline form (`var currentPage = 0; var countPage = 5` with `document.write` of `"index_" + nextPage + ".html"`);
and `javascript:goPage(2)` links when the page script shows the URL template the function navigates to, or
the form the function submits (form_pager).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse.anchors import SELECTOR, script_of, scripted, target
from govweb.parse.form_pager import form_page_url
from govweb.parse.rows import anchor_title, document_base, norm, resolve
from govweb.parse.script_calls import helpers_in, without_comments

NEXT_WORDS = ("下一页", "下页", "后页", "后一页", "下一頁", "next", "next page")  # also the script pager's (crawl)
NEXT_TEXT = re.compile(rf"^({'|'.join(NEXT_WORDS)}|[>›»＞]|>>|»»|＞＞)$", re.I)
LAST_TEXT = re.compile(r"^(尾页|末页|最后一页|最末页|尾頁|末頁|last|last page|>\||»\|)$", re.I)
# arrows and the brackets old ASP pagers put around every label: [首页] [上一页] [下一页] [尾页]
ARROWS = re.compile(r"^[\s<>›»＞«‹＜|\[\]【】［］]+|[\s<>›»＞«‹＜|\[\]【】［］]+$")
TOTAL_TEXT = re.compile(r"共\s*(\d{1,5})\s*页")
CURRENT_TEXT = re.compile(r"第\s*(\d{1,5})\s*页|当前\s*第?\s*(\d{1,5})\s*页")
FRACTION_TEXT = re.compile(
    r"(?:页次|页码|当前页?|第)\s*[:：]?\s*(\d{1,5})\s*/\s*(\d{1,5})"  # 页次：1/5, 第3/7页
    r"|(?<![\d/])(\d{1,5})\s*/\s*(\d{1,5})\s*页"  # 3/7页
)
TRS_CALL = re.compile(r"createPageHTML2?\s*\(([^()]*)\)")
ARG = re.compile(r"""\s*(?:(['"])(.*?)\1|([\w.$]+))\s*""")
VAR_NUMBER = re.compile(r"""\bvar\s+(\w+)\s*=\s*['"]?(\d+)['"]?""")
JS_CALL = re.compile(r"javascript:\s*(\w+)\s*\(\s*['\"]?(\d+)['\"]?\s*\)", re.I)
JS_TEMPLATE = re.compile(
    r"""function\s+(\w+)\s*\(\s*(\w+)\s*\)\s*\{[^}]*?location(?:\.href)?\s*=\s*(['"])([^'"]*)\3\s*\+\s*\2"""
    r"""(?:\s*\+\s*(['"])([^'"]*)\5)?""",
)
# the inline TRS pager writes its next link as "index"+"_" + nextPage + "."+"html" (or currentPage+1)
TRS_NEXT = re.compile(r"\bnextPage\b|\bcurrentPage\s*\+\s*1\b")
JS_GLUE = re.compile(r"""[\s'"+\\()]""")  # what joins the pieces of a written string: quotes, +, escapes
TRS_STEM = re.compile(r"([\w-]+)_$")
TRS_EXT = re.compile(r"\.(s?html?|jsp|php|aspx?)", re.I)
PAGED_FILE = re.compile(r"^(?P<stem>[\w-]+?)_(?P<n>\d+)\.(?P<ext>s?html?|jsp|php|aspx?)$", re.I)
PAGE_PARAMS = ("page", "pageno", "pageindex", "p", "pn", "curpage", "currentpage", "pagenum", "page_no")


@dataclass(frozen=True)
class Pagination:
    next_url: str | None
    last_url: str | None
    total_pages: int | None
    current: int | None
    by_form: bool = False  # next/last are a form's fields sent as a GET (form_pager): check the page differs


@dataclass(frozen=True)
class _TrsCall:
    count: int
    current: int  # 0-based
    prefix: str
    suffix: str

    def url(self, page_url: str, index: int) -> str:
        name = f"{self.prefix}.{self.suffix}" if index == 0 else f"{self.prefix}_{index}.{self.suffix}"
        return urljoin(page_url, name)


def _is_next(label: str) -> bool:
    """下一页, "下一页 >", "» 下页", or a bare arrow."""
    return bool(NEXT_TEXT.match(label) or NEXT_TEXT.match(ARROWS.sub("", label)))


def _is_last(label: str) -> bool:
    return bool(LAST_TEXT.match(label) or LAST_TEXT.match(ARROWS.sub("", label)))


def _trs_call(script: str) -> _TrsCall | None:
    """The arguments of a TRS `createPageHTML(...)` call: the first two numbers, then the next two strings."""
    variables = {m[1]: int(m[2]) for m in VAR_NUMBER.finditer(script)}
    for call in TRS_CALL.finditer(script):
        args: list[int | str] = []
        for raw in call[1].split(","):
            m = ARG.fullmatch(raw)
            if m is None:
                break
            token = m[2] if m[1] else m[3]
            if token.isdigit():
                args.append(int(token))
            elif not m[1] and token in variables:
                args.append(variables[token])
            else:
                args.append(token)
        for i in range(len(args) - 3):
            count, current, prefix, suffix = args[i : i + 4]
            if isinstance(count, int) and isinstance(current, int) and isinstance(prefix, str) \
                    and isinstance(suffix, str) and count > 0:
                if current >= count:  # a 1-based variant on its last page
                    current = count - 1
                return _TrsCall(count, current, prefix, suffix.lstrip("."))
    return None


def _trs_vars(script: str) -> _TrsCall | None:
    """The inline TRS pager: `var currentPage = 0` (0-based) and `var countPage = 5` beside a `document.write` of
    the next page's link, "index"+"_" + nextPage + "."+"html" (the pieces read with quotes, + and escapes
    taken out)."""
    variables = {m[1]: int(m[2]) for m in VAR_NUMBER.finditer(script)}
    count, current = variables.get("countPage"), variables.get("currentPage")
    if not count or current is None:
        return None
    for m in TRS_NEXT.finditer(script):
        stem = TRS_STEM.search(JS_GLUE.sub("", script[max(0, m.start() - 80): m.start()]))
        ext = TRS_EXT.match(JS_GLUE.sub("", script[m.end(): m.end() + 40]))
        if stem and ext:
            return _TrsCall(count, min(current, count - 1), stem[1], ext[1])
    return None


def _pager_texts(tree: LexborHTMLParser) -> list[str]:
    """Texts to read page counts from: around the next/last links (up to three levels), then the whole body."""
    texts: list[str] = []
    for a in tree.css("a"):
        if _is_next(anchor_title(a)) or _is_last(anchor_title(a)):
            node: LexborNode | None = a.parent
            for _ in range(3):
                if node is None or node.tag == "body":
                    break
                texts.append(norm(node.text(deep=True, separator=" ")))
                node = node.parent
            break
    body = tree.body
    if body is not None:
        texts.append(norm(body.text(deep=True, separator=" ")))
    return texts


def _counts(text: str) -> tuple[int | None, int | None]:
    """(total pages, current page) stated in text."""
    total = current = None
    m = TOTAL_TEXT.search(text)
    if m:
        total = int(m[1])
    m = CURRENT_TEXT.search(text)
    if m:
        current = int(m[1] or m[2])
    if total is None or current is None:
        for m in FRACTION_TEXT.finditer(text):
            cur, tot = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
            if 1 <= cur <= tot:
                current, total = current or cur, total or tot
                break
    return total, current


def _js_target(href: str, script: str, page_url: str) -> str | None:
    """`javascript:goPage(3)` resolved through the page's own `function goPage(n){location.href="..."+n}`."""
    call = JS_CALL.search(href)
    if call is None:
        return None
    for fn in JS_TEMPLATE.finditer(script):
        if fn[1] == call[1]:
            return urljoin(page_url, f"{fn[4]}{call[2]}{fn[6] or ''}")
    return None


def _link_target(a: LexborNode, base: str, script: str, page_url: str) -> str | None:
    href = (a.attributes.get("href") or "").strip()
    onclick = a.attributes.get("onclick") or ""
    url = resolve(base, href)
    if url is None:
        url = _js_target(href, script, page_url) or _js_target(f"javascript:{onclick}", script, page_url)
    if url is None and (onclick or href.lower().startswith("javascript:")):
        url = resolve(base, scripted(f"{href} {onclick}"))
    return url


def _page_of_url(url: str) -> int | None:
    """The page number a URL names: `index_2.html` is page 3 (TRS counts from index.html), `?page=2` page 2."""
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    m = PAGED_FILE.match(name)
    if m and m["stem"].lower() == "index":
        return int(m["n"]) + 1
    if m:
        return int(m["n"])
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    return None


def _with_page(url: str, page: int) -> str | None:
    """`url` moved to page `page` (1-based) when it uses a recognised page scheme, else None."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    m = PAGED_FILE.match(name)
    if m:
        n = page - 1 if m["stem"].lower() == "index" else page
        name = f"{m['stem']}.{m['ext']}" if n == 0 and m["stem"].lower() == "index" else f"{m['stem']}_{n}.{m['ext']}"
        return urlunsplit(parts._replace(path=f"{folder}/{name}"))
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower() in PAGE_PARAMS for k, _ in query):
        query = [(k, str(page) if k.lower() in PAGE_PARAMS else v) for k, v in query]
        return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def _number_links(tree: LexborHTMLParser, base: str) -> dict[int, str]:
    """Page-number links (`<a>2</a>`) pointing at URLs."""
    out: dict[int, str] = {}
    for a in tree.css(SELECTOR):
        text = norm(a.text(deep=True)).strip("[]")
        if text.isdigit() and 0 < int(text) < 10000:
            url = resolve(base, target(a))
            if url is not None:
                out.setdefault(int(text), url)
    return out


def _current_marker(tree: LexborHTMLParser) -> int | None:
    """The current page shown unlinked in a pager: `<span class="current">3</span>`, `<b>3</b>`, `<font>`."""
    for node in tree.css(".current, .cur, .active, .on, .selected, .curr, span.page, b, strong, font"):
        text = norm(node.text(deep=True)).strip("[]")
        if text.isdigit() and node.css_first("a") is None and node.parent is not None \
                and node.parent.css_first("a[href]") is not None:
            return int(text)
    return None


NEXT_WORD = re.compile(rf"^({'|'.join(NEXT_WORDS)})$", re.I)  # a word, not a bare arrow (crumbs are written with those)


PAGER_BOX = re.compile(r"pag|fenye|\bfy\b|laypage", re.I)


def _pager_box_pending(tree: LexborHTMLParser) -> bool:
    """An empty pager box a script of the page fills: `<div id="pageBar"></div>` with `laypage.render({elem:
    'pageBar', …})` or `$("#pageBar").pagination(…)` (layui, jQuery pager plugins)."""
    script = None
    for node in tree.css("div[id], span[id], ul[id], p[id], nav[id]"):
        ident = (node.attributes.get("id") or "").strip()
        if not ident or not PAGER_BOX.search(f"{ident} {node.attributes.get('class') or ''}") \
                or node.text(deep=True).strip() or any(c.is_element_node for c in node.iter()):
            continue
        if script is None:
            script = "\n".join(n.text(deep=True) for n in tree.css("script:not([src])"))
        if re.search(rf"""['"#]{re.escape(ident)}['"]""", script):
            return True
    return False


def scripted_next(tree: LexborHTMLParser) -> bool:
    """The page's next list page is shown by script, with no address behind it: an anchor reading 下一页 whose
    script names no page, a button or span reading 下一页, or an empty pager box a script fills (a pager whose
    pages only a browser's click shows; see crawl.script_pager)."""
    if _pager_box_pending(tree):
        return True
    for node in tree.css("a, button, span, li, input[type=button]"):
        classes = (node.attributes.get("class") or "").lower()
        if "disabled" in classes or "disabled" in node.attributes:
            continue
        if node.tag == "a":
            if _is_next(anchor_title(node) or norm(node.attributes.get("title"))) and not target(node):
                return True
        elif node.css_first("a") is None and NEXT_WORD.match(
                ARROWS.sub("", norm(node.text(deep=True) or node.attributes.get("value")))):
            return True
    return False


def pagination(tree: LexborHTMLParser, html: str, page_url: str) -> Pagination:
    """Next and last page of a list page, total and current page number (None where not stated)."""
    base = document_base(tree, page_url)
    script = "\n".join(node.text(deep=True) for node in tree.css("script"))
    trs = _trs_call(script) or _trs_call(html) or _trs_vars(script)
    if trs is not None:
        nxt = trs.url(page_url, trs.current + 1) if trs.current + 1 < trs.count else None
        return Pagination(nxt, trs.url(page_url, trs.count - 1), trs.count, trs.current + 1)
    next_url = last_url = None
    helpers = None
    by_form = False
    for a in tree.css("a"):
        label = anchor_title(a) or norm(a.attributes.get("title"))
        classes = (a.attributes.get("class") or "").lower().split()
        is_next = _is_next(label) or "next" in classes
        is_last = _is_last(label) or "last" in classes
        if not (is_next or is_last) or "disabled" in classes:
            continue
        url = _link_target(a, base, script, page_url)
        if url is None and "(" in (code := script_of(a)):
            helpers = helpers_in(without_comments(script)) if helpers is None else helpers
            url = form_page_url(tree, helpers, code, base)
            by_form = by_form or url is not None
        if url is None or url == page_url:
            continue
        if is_next and next_url is None:
            next_url = url
        if is_last and last_url is None:
            last_url = url
    total = current = None
    for text in _pager_texts(tree):
        total, current = _counts(text)
        if total is not None or current is not None:
            break
    numbers = _number_links(tree, base)
    current = current or _current_marker(tree) or _page_of_url(page_url) or (1 if numbers or next_url else None)
    if total is None and numbers:
        total = max(max(numbers), current or 0) if last_url is None else _page_of_url(last_url) or max(numbers)
    if total is None and last_url is not None:
        total = _page_of_url(last_url)
    if next_url is None and current is not None:
        next_url = numbers.get(current + 1)
        if next_url is None and total is not None and current < total:
            template = last_url or next(iter(numbers.values()), None) or page_url
            next_url = _with_page(template, current + 1)
    if total is not None and current is not None and current >= total:
        next_url = None
    return Pagination(next_url, last_url, total, current, by_form)
