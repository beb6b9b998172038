"""The ground truth of scenario_2018 agrees with what the simulated web SERVES over HTTP(S): for every check ID,
two defective and two clean sites (by site_id; sites with a `fault` skipped) are re-measured from the served
pages alone and compared with truth's `defect` and `expected_value`."""

from __future__ import annotations

import csv
import http.client
import json
import re
import socket
import ssl
from datetime import date
from statistics import median
from urllib.parse import quote, urlsplit

import pytest
import yaml

from govweb import config, extract
from govweb.sim import catalogue, content, sections, server, truth, world

PER_SIDE = 2  # sites per check with defect=True, and as many with defect=False
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
PAGER = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")
CHANNELS = (("weibo", "政务微博"), ("wechat", "微信公众号"), ("app", "移动客户端App"))
TIMED_KINDS = ("news", "notice", "policy", "interpretation")


@pytest.fixture(scope="module")
def world_2018_full():
    return world.load("scenario_2018", 2018)


@pytest.fixture(scope="module")
def truth_rows(world_2018_full):
    return truth.rows(world_2018_full)


@pytest.fixture(scope="module")
def web(world_2018_full):
    with server.SimServer(world_2018_full, tls_port=0) as srv:
        yield Web(srv, world_2018_full)


CHECKS = config.checks_dir()
THRESHOLDS = yaml.safe_load((CHECKS / "thresholds.yaml").read_text(encoding="utf-8"))
TYPOS = [r["wrong"] for r in csv.DictReader((CHECKS / "typos.csv").read_text(encoding="utf-8").splitlines())]
ABOLISHED = [r["old"] for r in csv.DictReader((CHECKS / "outdated_agencies.csv").read_text("utf-8").splitlines())]


# --- fetching ---------------------------------------------------------------------------------------------------

def fetch(port: int, host: str, path: str, retry_503: bool = True) -> tuple[int, str]:
    """GET http://127.0.0.1:port/path with Host: host; the body decoded with the response charset."""
    for _ in range(4):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": host})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status != 503 or not retry_503:  # availability.homepage: a 503 now and then
            break
    enc = extract.sniff_encoding(body, resp.headers.get_content_charset())
    return resp.status, extract.decode(body, enc)


class Web:
    """The module's server, with a cache of every fetched page shared by all checks."""

    def __init__(self, srv: server.SimServer, w: world.World):
        self.srv, self.world, self.cache = srv, w, {}

    def get(self, host: str, path: str) -> tuple[int, str]:
        if (host, path) not in self.cache:
            self.cache[host, path] = fetch(self.srv.port, host, path)
        return self.cache[host, path]

    def status(self, host: str, path: str) -> int:
        return self.get(host, path)[0]

    def tree(self, host: str, path: str):
        status, text = self.get(host, path)
        assert status == 200, (host, path, status)
        return extract.parse(text)


def rel(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links(web: Web, host: str, path: str, css: str = "body") -> list[extract.Link]:
    node = web.tree(host, path).css_first(css)
    return [] if node is None else extract.links(extract.parse(node.html), f"http://{host}{path}")


def items(tree, host: str) -> list[tuple[str, str, date]]:
    """(title, path, date) of the dated article items listed on a page."""
    return [(i.title, rel(i.url), date.fromisoformat(i.date)) for i in extract.dated_items(tree, f"http://{host}/")
            if rel(i.url).startswith("/art/")]


def home_items(web: Web, host: str) -> list[tuple[str, str, date]]:
    """Items of the home page, with lists rendered by JavaScript (data-src JSON) or shown in an iframe."""
    t = web.tree(host, "/")
    out = items(t, host)
    for el in t.css("[data-src]"):
        for row in json.loads(web.get(host, el.attributes["data-src"])[1]):
            out.append((row["title"], rel(row["url"]), max(extract.find_dates(row["date"]))))
    for frame in t.css("iframe[src]"):
        out += items(web.tree(host, frame.attributes["src"]), host)
    return list({p: (title, p, d) for title, p, d in out}.values())


def articles(web: Web, s: world.SimSite) -> list[str]:
    """Text of every article page linked from the home page."""
    return [web.tree(s.host, p).css_first(".article").text(separator=" ") for _, p, _ in home_items(web, s.host)]


def count_404(web: Web, host: str, found: list[extract.Link]) -> int:
    return sum(web.status(host, rel(x.href)) == 404 for x in {x.href: x for x in found if x.internal}.values())


def flag(present: bool) -> tuple[bool, str]:
    return (not present), "true" if present else "false"


def counted(n: int) -> tuple[bool, str]:
    return n > 0, str(n)


def valid_id(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], weights, strict=True)) % 11] == number[17].upper()


# --- one measurement per check ID: (defect, value) from served pages --------------------------------------------

MEASURE = {}


def measure(check_id: str):
    def add(fn):
        MEASURE[check_id] = fn
        return fn
    return add


@measure("availability.homepage")
def _availability(web, s):
    with server.SimServer(web.world) as fresh:  # a fresh server: its home-page request counter starts at 0
        fails = sum(fetch(fresh.port, s.host, "/", retry_503=False)[0] == 503 for _ in range(100))
    return fails / 100 >= THRESHOLDS["availability.homepage"]["max_failure_rate"], f"{fails / 100:.2f}"


@measure("identity.site_code")
def _site_code(web, s):
    t = web.tree(s.host, "/")
    in_meta = extract.meta(t).get("SiteIDCode", "")
    m = re.search(r"网站标识码[:：]\s*(\w+)", extract.visible_text(t))
    in_footer = m.group(1) if m else ""
    return not (in_meta or in_footer), in_footer if in_footer == in_meta else f"{in_footer}|{in_meta}"


def _registry(web, s, registry_host: str, pattern: str) -> tuple[bool, str]:
    found = [x.text for x in links(web, s.host, "/") if urlsplit(x.href).hostname == registry_host]
    text = extract.visible_text(web.tree(s.host, "/"))
    assert all(re.fullmatch(pattern, x) and x in text for x in found), found
    return not found, ";".join(found)


@measure("security.https")
def _https(web, s):
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", web.srv.tls_port), timeout=10) as raw, \
                ctx.wrap_socket(raw, server_hostname=s.host) as tls:
            tls.sendall(f"GET /about/ HTTP/1.1\r\nHost: {s.host}\r\nConnection: close\r\n\r\n".encode())
            head = tls.recv(64)
    except (ssl.SSLError, ConnectionError):
        return flag(False)
    assert head.startswith(b"HTTP/1.1 200"), head
    return flag(True)


@measure("network.ipv6")
def _ipv6(web, s):
    status, body = web.get("dns.gov.test", f"/resolve?name={s.host}&type=AAAA")
    assert status == 200
    return flag(any(a["type"] == 28 and a["data"] == "::1" for a in json.loads(body)["Answer"]))


@measure("privacy.personal_data")
def _personal_data(web, s):
    texts = articles(web, s)
    ids = [m for text in texts for m in ID_NUMBER.findall(text) if valid_id(m)]
    return counted(len(ids) + sum(len(MOBILE.findall(text)) for text in texts))


@measure("freshness.homepage")
def _fresh_home(web, s):
    dates = [d for _, _, d in home_items(web, s.host) if d <= web.world.as_of]
    age = (web.world.as_of - max(dates)).days if dates else None
    return age is None or age > THRESHOLDS["freshness.homepage"]["max_age_days"], "" if age is None else str(age)


@measure("freshness.columns")
def _fresh_columns(web, s):
    t = THRESHOLDS["freshness.columns"]
    limit = {kind: t["news_days"] if kind == "news" else t["notice_days"] for kind in TIMED_KINDS}
    stale = 0
    for slug, (_, kind) in content.COLUMNS.items():
        if kind in TIMED_KINDS and web.status(s.host, f"/col/{slug}/") == 200:
            dates = [d for _, _, d in items(web.tree(s.host, f"/col/{slug}/"), s.host) if d <= web.world.as_of]
            stale += bool(dates) and (web.world.as_of - max(dates)).days > limit[kind]
    return counted(stale)


def key_area_paths(web, s) -> list[str]:
    return [rel(x.href) for x in links(web, s.host, "/xxgk/zdly/", "ul.key-areas")]


def offsite(web, s, path: str) -> bool:
    return any(not x.internal for x in links(web, s.host, path, "div.offsite"))


@measure("columns.empty")
def _empty(web, s):
    paths = [f"/col/{slug}/" for slug in content.COLUMNS] + key_area_paths(web, s)
    return counted(sum(not items(web.tree(s.host, p), s.host) and not offsite(web, s, p)
                       for p in paths if web.status(s.host, p) == 200))


@measure("disclosure.catalog_linked")
def _catalog(web, s):
    rows = web.tree(s.host, "/xxgk/ml/").css("table.catalog tr")[1:]
    assert rows
    return flag(all(r.css("td")[1].css_first("a[href]") is not None for r in rows))


@measure("disclosure.key_areas")
def _key_areas(web, s):
    present = {p.split("/")[2] for p in key_area_paths(web, s) if web.status(s.host, p) == 200}
    return counted(len(set(sections.KEY_AREAS) - present))


@measure("disclosure.annual_report")
def _annual(web, s):
    years = [int(m.group(1)) for x in links(web, s.host, "/xxgk/nb/", "ul.annual-reports")
             if (m := re.fullmatch(r"/xxgk/nb/(\d{4})\.html", rel(x.href))) and web.status(s.host, rel(x.href)) == 200]
    latest = max(years, default=None)
    return latest is None or latest < web.world.year - 1, "" if latest is None else str(latest)


@measure("interpretation.present")
def _interpretation(web, s):
    if web.status(s.host, "/col/zcjd/") != 200:
        return flag(False)
    listed = items(web.tree(s.host, "/col/zcjd/"), s.host)
    for title, path, _ in listed[:3]:  # each interpretation links the policy it explains
        policy = [x for x in links(web, s.host, path, ".related") if rel(x.href).startswith("/art/zcwj/")]
        assert policy and web.status(s.host, rel(policy[0].href)) == 200, (path, policy)
        assert web.tree(s.host, rel(policy[0].href)).css_first(".article h1").text() in title
    return flag(bool(listed))


def guides(web, s) -> list:
    return [web.tree(s.host, rel(x.href)) for x in links(web, s.host, "/bsfw/", "ul.guides")]


@measure("services.guide_elements")
def _guide_elements(web, s):
    need = THRESHOLDS["services.guide_elements"]["min_missing"]
    have = [{th.text().strip() for th in g.css("table.guide th")} for g in guides(web, s)]
    assert len(have) == len(sections.SERVICES)
    return counted(sum(len(set(sections.GUIDE_ELEMENTS) - h) >= need for h in have))


@measure("services.form_downloads")
def _downloads(web, s):
    found = [x for g in guides(web, s) for x in extract.links(g, f"http://{s.host}/") if "/bsfw/files/" in x.href]
    return counted(count_404(web, s.host, found))


@measure("interaction.channel")
def _channel(web, s):
    linked = any(rel(x.href) == "/hdjl/" for x in links(web, s.host, "/"))
    return flag(linked and web.status(s.host, "/hdjl/") == 200)


def board(web, s) -> list[tuple[str, date, str]] | None:
    """(letter path, asked, status) of every letter on the board, walking its pages; None without a board."""
    if web.status(s.host, "/hdjl/") != 200:
        return None
    out, page, pages = [], 1, 1
    while page <= pages:
        t = web.tree(s.host, "/hdjl/" if page == 1 else f"/hdjl/list_{page}.html")
        shown, pages = map(int, PAGER.search(t.css_first(".pager").text()).groups())
        assert shown == page
        for tr in t.css("table.letters tr")[1:]:
            a, asked, status = tr.css("td")
            out.append((a.css_first("a").attributes["href"], extract.find_dates(asked.text())[0], status.text()))
        page += 1
    return out


def replies(web, s) -> list[tuple[int, str]]:
    """(days from message to reply, reply text) of every answered letter."""
    out = []
    for path, _, status in board(web, s) or []:
        if status == "已办结":
            t = web.tree(s.host, path)
            asked, replied = (extract.find_dates(t.css_first(f"td.{k}").text())[0] for k in ("asked", "replied"))
            out.append(((replied - asked).days, t.css_first("td.reply").text()))
    return out


@measure("interaction.backlog")
def _backlog(web, s):
    letters = board(web, s)
    if letters is None:
        return False, ""
    age = max(((web.world.as_of - asked).days for _, asked, status in letters if status == "处理中"), default=0)
    return age > THRESHOLDS["interaction.backlog"]["max_wait_days"], str(age)


@measure("interaction.reply_latency")
def _latency(web, s):
    if board(web, s) is None:
        return False, ""
    answered = replies(web, s)
    days = float(median(d for d, _ in answered)) if answered else 0.0
    return days > THRESHOLDS["interaction.reply_latency"]["max_median_days"], f"{days:.1f}"


@measure("search.works")
def _search_works(web, s):
    title, path, _ = home_items(web, s.host)[0]
    status, body = web.get(s.host, "/search?q=" + quote(title[-10:]))
    return flag(status == 200 and path in {p for _, p, _ in items(extract.parse(body), s.host)})


@measure("media.channels")
def _media(web, s):
    text = extract.visible_text(web.tree(s.host, "/"))
    present = [key for key, name in CHANNELS if name in text]
    return len(present) < len(CHANNELS), ";".join(present)


def _host_link(web, s, registry: str, path: str = "/", text: str = "") -> bool:
    return any(urlsplit(x.href).hostname == registry and s.site_id in x.href and text in x.text
               for x in links(web, s.host, path))


def _home(web, s):
    return web.tree(s.host, "/")


SIMPLE = {  # the one-line measurements
    "identity.icp": lambda web, s: _registry(web, s, "beian.miit.gov.test", r"\wICP备\d+号"),
    "identity.psb": lambda web, s: _registry(web, s, "www.beian.gov.test", r"\w公网安备 ?\d+号"),
    "identity.conac_badge": lambda web, s: flag(_host_link(web, s, "bszs.conac.gov.test")),
    "identity.error_report_entry": lambda web, s: flag(_host_link(web, s, "zfwzzc.www.gov.test",
                                                                  text="我为政府网站找错")),
    "links.broken_home": lambda web, s: counted(count_404(web, s.host, links(web, s.host, "/"))),
    "links.broken_inner": lambda web, s: counted(count_404(
        web, s.host, [x for _, p, _ in home_items(web, s.host) for x in links(web, s.host, p)])),
    "content.typos": lambda web, s: counted(sum(t.count(w) for t in articles(web, s) for w in TYPOS)),
    "content.outdated_agency": lambda web, s: counted(sum(t.count(w) for t in articles(web, s) for w in ABOLISHED)),
    "disclosure.offsite_substitution": lambda web, s: counted(sum(
        offsite(web, s, p) and not items(web.tree(s.host, p), s.host) for p in key_area_paths(web, s))),
    "services.platform_link": lambda web, s: flag(_host_link(web, s, "zwfw.gov.test", "/bsfw/")),
    "interaction.indirect_reply": lambda web, s: counted(sum("12345" in t or "请向" in t for _, t in replies(web, s))),
    "search.present": lambda web, s: flag("/search" in extract.search_forms(_home(web, s))),
    "mobile.adapted": lambda web, s: flag("width=device-width" in extract.meta(_home(web, s)).get("viewport", "")),
    "accessibility.axe": lambda web, s: counted(sum("alt" not in img.attributes for img in _home(web, s).css("img"))),
}
MEASURE.update(SIMPLE)


# --- tests ------------------------------------------------------------------------------------------------------

KNOWN_BUGS: dict[str, str] = {}
# check ID -> the check whose defect removes the element it measures, and what truth gets wrong there
# check ID -> the check whose defect removes what it measures: there the truth says "not applicable"
ABSENT_ELEMENT = {"interaction.indirect_reply": "interaction.channel", "search.works": "search.present"}


def picks(rows: list[dict], w: world.World, check_id: str, only: set[str] | None = None) -> list[dict]:
    faulty = {s.site_id for s in w.sites.values() if s.fault}
    mine = sorted((r for r in rows if r["check_id"] == check_id and r["site_id"] not in faulty
                   and (only is None or r["site_id"] in only)), key=lambda r: r["site_id"])
    return [r for r in mine if r["defect"]][:PER_SIDE] + [r for r in mine if not r["defect"]][:PER_SIDE]


def by_id(w: world.World) -> dict[str, world.SimSite]:
    return {s.site_id: s for s in w.sites.values()}


def assert_served_as_truth(check_id: str, chosen: list[dict], web: Web, w: world.World) -> None:
    sites = by_id(w)
    served = {r["site_id"]: MEASURE[check_id](web, sites[r["site_id"]]) for r in chosen}
    assert served == {r["site_id"]: (r["defect"], r["expected_value"]) for r in chosen}


@pytest.mark.parametrize("check_id", [
    pytest.param(c, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[c])] if c in KNOWN_BUGS else [])
    for c in catalogue.CHECK_IDS])
def test_truth_matches_served_pages(check_id, web, truth_rows, world_2018_full):
    chosen = picks(truth_rows, world_2018_full, check_id)
    assert sum(r["defect"] for r in chosen) == PER_SIDE and len(chosen) == 2 * PER_SIDE
    assert_served_as_truth(check_id, chosen, web, world_2018_full)


@pytest.mark.parametrize("check_id", list(ABSENT_ELEMENT))
def test_truth_says_not_applicable_where_the_element_is_absent(check_id, web, truth_rows, world_2018_full):
    """Where the element a check looks at is not served at all, the truth says "not applicable"
    (no defect, empty value) and the served site indeed has nothing to judge."""
    absent = {r["site_id"] for r in truth_rows if r["check_id"] == ABSENT_ELEMENT[check_id] and r["defect"]}
    chosen = picks(truth_rows, world_2018_full, check_id, absent)
    assert len(chosen) == PER_SIDE and all((r["defect"], r["expected_value"]) == (False, "") for r in chosen)
    paths = {"interaction.indirect_reply": "/hdjl/", "search.works": "/search?q=x"}
    sites = by_id(world_2018_full)
    assert all(web.get(sites[r["site_id"]].host, paths[check_id])[0] == 404 for r in chosen)


@pytest.mark.parametrize("check_id", catalogue.CHECK_IDS)
def test_truth_covers_every_site_and_check(check_id, truth_rows, world_2018_full):
    assert len(world_2018_full.sites) == 937
    assert len(truth_rows) == 937 * 33 == len({(r["site_id"], r["check_id"]) for r in truth_rows})
    mine = [r for r in truth_rows if r["check_id"] == check_id]
    assert sorted(r["site_id"] for r in mine) == sorted(by_id(world_2018_full))
    assert all(tuple(r) == truth.TRUTH_COLUMNS and isinstance(r["defect"], bool)
               and isinstance(r["expected_value"], str) for r in mine)
    assert set(MEASURE) == set(catalogue.CHECK_IDS)  # and each is re-measured from the served pages
