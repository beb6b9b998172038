"""Items opened through a helper function of the page's own, given an id rather than an address.

Portals built on JSP and .NET list their items as `<a href="javascript:void(0)" onclick="showDetail('2231')">`
or `<tr onclick="viewInfo('zwdt', 4521)">`, and define the helper in an inline script of the same page:

    function showDetail(id) { window.open("/zwgk/detail.jsp?id=" + id, "_blank"); }
    var viewInfo = function (col, n) { var url = basePath + "art/" + col + "/" + n + ".html"; location.href = url; };

No address is written in the row: the helper builds it. `HelperCalls` reads the helpers of a page (named
functions, functions assigned to a variable, arrow functions) whose body opens a page (`window.open`,
`location.href =`, `location.assign/replace`) with an address made of quoted strings, the helper's
parameters, its local variables and the script's string constants, joined with `+` or written as a template
literal (`encodeURIComponent(x)`, `escape(x)` and `String(x)` pass their argument). A call of such a helper
with literal arguments (strings, numbers) gives the address. Nothing is run: a helper that does more than
that (a POST, an ajax call, a computed id) gives no address and the row stays unlinked.

Written by hand: a JavaScript engine would run the site's scripts (and their side effects) to learn an
address; a JavaScript parser for Python that handles ES5 portal scripts and ES6 alike is not kept up today.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

IDENT = r"[A-Za-z_$][\w$]*"
# function name(a, b) {   |   name = function (a, b) {   |   name = (a, b) => {
DEFINITION = re.compile(
    rf"""\bfunction\s+({IDENT})\s*\(([^)]*)\)\s*\{{|\b({IDENT})\s*=\s*(?:function\s*(?:{IDENT})?\s*\(([^)]*)\)|"""
    rf"""\(([^)]*)\)\s*=>)\s*\{{""")
OPEN_CALL = re.compile(r"""\b(?:window\.open|location\.(?:assign|replace))\s*\(""")
OPEN_ASSIGN = re.compile(r"""(?:\b(?:window|top|self|parent|document)\.)?\blocation(?:\.href)?\s*=(?!=)""")
ASSIGNMENT = re.compile(rf"""(?:\b(?:var|let|const)\s+)?\b({IDENT})\s*=(?![=>])""")
LITERAL = re.compile(r"""'([^'\\\n]*)'|"([^"\\\n]*)"|(-?\d+(?:\.\d+)?)""")
PASS_THROUGH = re.compile(r"""^(?:encodeURIComponent|encodeURI|escape|String)\s*\((.*)\)$""", re.S)
TEMPLATE = re.compile(r"""^`([^`]*)`$""", re.S)
MAX_SCRIPT_CHARS = 400_000  # an inline script larger than this (a bundled library) is not read


def _scan(code: str, start: int, stops: str) -> int:
    """The index of the first of `stops` at nesting depth 0 from `start` (quoted strings skipped), or len(code)
    (an unbalanced closer ends the scan too)."""
    special = re.compile("[" + re.escape("'\"`()[]{}" + stops) + "]")
    depth, i, n = 0, start, len(code)
    while (m := special.search(code, i)) is not None:
        i, ch = m.start(), m.group(0)
        if ch in "'\"`":
            end = code.find(ch, i + 1)
            while end > 0 and code[end - 1] == "\\":
                end = code.find(ch, end + 1)
            if end < 0:
                return n
            i = end + 1
            continue
        if depth == 0 and ch in stops:
            return i
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return i
        i += 1
    return n


def _split_top(code: str, sep: str) -> list[str]:
    parts, i = [], 0
    while True:
        j = _scan(code, i, sep)
        parts.append(code[i:j].strip())
        if j >= len(code) or code[j] != sep:
            return parts
        i = j + 1


def evaluate(expr: str, names: dict[str, str]) -> str | None:
    """The string `expr` makes of literals and `names` joined by `+`, or None when it uses anything else."""
    out = []
    for part in _split_top(expr.strip(), "+"):
        if part.startswith("(") and _scan(part, 1, ")") == len(part) - 1:  # (a + b)
            value = evaluate(part[1:-1], names)
            if value is None:
                return None
            out.append(value)
        elif m := LITERAL.fullmatch(part):
            out.append(next(g for g in m.groups() if g is not None))
        elif part in names:
            out.append(names[part])
        elif m := PASS_THROUGH.match(part):
            value = evaluate(m.group(1), names)
            if value is None:
                return None
            out.append(value)
        elif m := TEMPLATE.match(part):
            value = _template(m.group(1), names)
            if value is None:
                return None
            out.append(value)
        else:
            return None
    return "".join(out)


def _template(text: str, names: dict[str, str]) -> str | None:
    out, i = [], 0
    for m in re.finditer(r"\$\{([^}]*)\}", text):
        value = evaluate(m.group(1), names)
        if value is None:
            return None
        out += [text[i:m.start()], value]
        i = m.end()
    return "".join(out) + text[i:]


def _assignments(code: str, names: dict[str, str]) -> dict[str, str]:
    """`names` and the string variables `code` assigns at its own level (`var url = "/a/" + id;`)."""
    known = dict(names)
    for m in ASSIGNMENT.finditer(code):
        end = _scan(code, m.end(), ";\n,")
        value = evaluate(code[m.end():end], known)
        if value is not None:
            known[m.group(1)] = value
    return known


def _opened(body: str, names: dict[str, str]) -> str | None:
    """The address the first navigation in `body` opens, from `names`."""
    known = _assignments(body, names)
    for m in sorted([*OPEN_CALL.finditer(body), *OPEN_ASSIGN.finditer(body)], key=lambda m: m.start()):
        stops = ",)" if m.group(0).endswith("(") else ";\n}"
        value = evaluate(body[m.end():_scan(body, m.end(), stops)], known)
        if value:
            return value
    return None


class Helper:
    def __init__(self, params: list[str], body: str) -> None:
        self.params = params
        self.body = body

    def address(self, args: list[str], constants: dict[str, str]) -> str | None:
        names = {**constants, **dict(zip(self.params, args, strict=False))}
        return _opened(self.body, names)


def helpers_in(script: str) -> dict[str, Helper]:
    """The functions `script` defines, by name (the last definition of a name wins, as in the browser)."""
    found: dict[str, Helper] = {}
    for m in DEFINITION.finditer(script):
        name = m.group(1) or m.group(3)
        params = m.group(2) if m.group(1) else (m.group(4) if m.group(4) is not None else m.group(5))
        end = _scan(script, m.end(), "}")
        found[name] = Helper([p.strip().split("=")[0].strip() for p in (params or "").split(",") if p.strip()],
                             script[m.end():end])
    return found


def _constants(script: str) -> dict[str, str]:
    """The script's variables assigned a plain string (`var basePath = "/gov/";`), outside any function."""
    out = {}
    for m in ASSIGNMENT.finditer(script):
        end = _scan(script, m.end(), ";\n,")
        if (m2 := LITERAL.fullmatch(script[m.end():end].strip())) and m2.group(3) is None:
            out[m.group(1)] = next(g for g in m2.groups() if g is not None)
    return out


CALL = re.compile(rf"""\b({IDENT})\s*\(""")
NOT_CALLS = frozenset({"void", "return", "if", "function", "typeof", "new"})
# a quoted string (kept) or a comment (dropped): an apostrophe in a comment would open a string for _scan
STRING_OR_COMMENT = re.compile(
    r"""('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|/\*.*?\*/|//[^\n]*""", re.S)


def without_comments(script: str) -> str:
    return STRING_OR_COMMENT.sub(lambda m: m.group(1) or " ", script)


def called_names(code: str) -> list[str]:
    """The functions an inline script calls by their own name (`showInfo(12)`; not `window.open(…)`)."""
    return [m.group(1) for m in CALL.finditer(code)
            if m.group(1) not in NOT_CALLS and (m.start() == 0 or code[m.start() - 1] != ".")]


class HelperCalls:
    """The page's helpers, read once on first use: those of the script files the page loads (`files`, their
    texts, in the page's order) and then its inline ones (a later definition of a name wins, as in the browser);
    `address(code)` resolves a call in an onclick or a `javascript:` href."""

    def __init__(self, tree: LexborHTMLParser, files: tuple[str, ...] = ()) -> None:
        self._tree = tree
        self._files = files
        self._helpers: dict[str, Helper] | None = None
        self._constants: dict[str, str] = {}

    def _read(self) -> dict[str, Helper]:
        if self._helpers is None:
            self._helpers = {}
            inline = (script.text(deep=True) for script in self._tree.css("script:not([src])"))
            for text in (*self._files, *inline):
                if len(text) > MAX_SCRIPT_CHARS or "function" not in text and "=>" not in text:
                    continue
                text = without_comments(text)
                self._helpers.update(helpers_in(text))
                self._constants.update(_constants(text))
        return self._helpers

    def defines(self, name: str) -> bool:
        return name in self._read()

    def address(self, code: str) -> str:
        """The address a call of a page helper with literal arguments in `code` opens, "" when none does."""
        if "(" not in code:
            return ""
        for m in CALL.finditer(code):
            if m.group(1) in NOT_CALLS:
                continue
            helpers = self._read()
            helper = helpers.get(m.group(1))
            if helper is None:
                continue
            end = _scan(code, m.end(), ")")
            raw = _split_top(code[m.end():end], ",") if code[m.end():end].strip() else []
            args = [lit for a in raw if (lit := LITERAL.fullmatch(a))]
            if len(args) != len(raw):
                continue  # an argument that is not a literal (this, event, a variable): not resolved
            values = [next(g for g in a.groups() if g is not None) for a in args]
            url = helper.address(values, self._constants)
            if url and " " not in url.strip():
                return url.strip()
        return ""
