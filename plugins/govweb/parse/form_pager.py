"""Pagers that submit a form: `<a href="javascript:goPage(2)">下一页</a>` on a page that holds

    <form name="pageForm" action="list.jsp" method="post"><input type="hidden" name="pageNo" value="1">
    <input type="hidden" name="channelId" value="2231"></form>
    function goPage(n) { document.getElementById("pageNo").value = n; document.pageForm.submit(); }

(old JSP, PHP and ASP portals, and the 政府信息公开 platforms built on them). The page a click shows is the
form's action with its fields, the page field set to the number: `list.jsp?pageNo=2&channelId=2231`. That is
what the browser sends for a GET form; for a POST form it is the same request as a GET, which servers that read
request parameters (JSP's getParameter, PHP's $_REQUEST, ASP's Request()) answer alike. A server that reads
the POST body only answers page 1 again: `Pagination.by_form` tells the crawler to count the page as the
second one only when it lists other items than the first.

Form fields are collected as the HTML standard's form submission does (named, enabled controls; checked boxes;
a select's selected option), by hand: the pager is resolved from the stored page, without running it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse.rows import resolve
from govweb.parse.script_calls import Helper

PAGE_CALL = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*\(\s*['"]?(\d{1,5})['"]?\s*\)""")
FORM_INDEX = re.compile(r"""forms\s*\[\s*(\d+)\s*\]""")
NOT_SUBMITTED = ("submit", "button", "image", "reset", "file")
PAGE_NAMES = ("page", "pageno", "pageindex", "pagenum", "pagenumber", "curpage", "currpage", "currentpage",
              "page_no", "pn", "p", "cpage", "nowpage", "topage", "gopage")


def _named(body: str, key: str) -> bool:
    return bool(key) and re.search(rf"""(?<![\w$]){re.escape(key)}(?![\w$])""", body) is not None


def _form(tree: LexborHTMLParser, body: str) -> LexborNode | None:
    """The form the helper submits: named in its body (name or id), `document.forms[i]`, or the page's only
    form with hidden fields."""
    forms = tree.css("form")
    for form in forms:
        attrs = form.attributes
        if _named(body, attrs.get("name") or "") or _named(body, attrs.get("id") or ""):
            return form
    if m := FORM_INDEX.search(body):
        i = int(m.group(1))
        return forms[i] if i < len(forms) else None
    hidden = [f for f in forms if f.css_first("input[type=hidden i]") is not None]
    return hidden[0] if len(hidden) == 1 else None


def fields(form: LexborNode) -> list[tuple[str, str, str]]:
    """(name, id, value) of the controls the form submits, in document order."""
    out = []
    for node in form.css("input, select, textarea"):
        attrs = node.attributes
        name = attrs.get("name") or ""
        if not name or "disabled" in attrs:
            continue
        kind = (attrs.get("type") or "text").lower()
        unchecked = kind in ("checkbox", "radio") and "checked" not in attrs
        if node.tag == "input" and (kind in NOT_SUBMITTED or unchecked):
            continue
        if node.tag == "select":
            option = node.css_first("option[selected]") or node.css_first("option")
            value = "" if option is None else (option.attributes.get("value") or option.text(deep=True).strip())
        elif node.tag == "textarea":
            value = node.text(deep=True)
        else:
            value = attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")
        out.append((name, attrs.get("id") or "", value or ""))
    return out


def _page_field(controls: list[tuple[str, str, str]], body: str, param: str) -> str | None:
    """The name of the control the helper sets to its parameter (`…pageNo").value = n`, `$("#pageNo").val(n)`,
    `form.pageNo.value = n`), else the one named as a page number."""
    for name, ident, _ in controls:
        for key in dict.fromkeys(k for k in (name, ident) if k):
            sets = rf"""['"#.]{re.escape(key)}['"]?[)\]]?\s*(?:\.value\s*=\s*|\.val\(\s*){re.escape(param)}\b"""
            if param and re.search(sets, body):
                return name
    return next((name for name, _, _ in controls if name.lower() in PAGE_NAMES), None)


def form_page_url(tree: LexborHTMLParser, helpers: dict[str, Helper], code: str, base: str) -> str | None:
    """The page a pager call in `code` (`goPage(2)`) shows, when the page's helper of that name submits a form:
    the form's action with its fields as a query string, the page field set to the call's number."""
    for m in PAGE_CALL.finditer(code):
        helper = helpers.get(m.group(1))
        if helper is None or ".submit(" not in helper.body:
            continue
        form = _form(tree, helper.body)
        if form is None:
            return None
        controls = fields(form)
        page_field = _page_field(controls, helper.body, helper.params[0] if helper.params else "")
        if page_field is None:
            return None
        values = [(name, m.group(2) if name == page_field else value) for name, _, value in controls]
        parts = urlsplit(resolve(base, form.attributes.get("action")) or base)  # no (or a script) action: the page
        sent = {name for name, _ in values}
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in sent]
        return urlunsplit(parts._replace(query=urlencode(query + values), fragment=""))
    return None
