"""The letters board (first and last list page, sampled letters) and the service guides with their
downloads; the links to the 政务服务 platform."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from govweb.capture import Board, Column, Guide, Letter, Link
from govweb.crawl import markup, soft404
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.linkcheck import LinkTarget, check_links
from govweb.crawl.plan import guess_page_url
from govweb.crawl.render import http_page

BOARD_WORDS = ("信箱", "留言", "咨询", "投诉", "来信", "写信", "诉求", "12345", "信访")
GUIDE_HINTS = ("指南", "bszn", "guide", "zn", "事项")
MAX_BOARD_CANDIDATES = 4


def _board_candidates(sc: SiteCrawl) -> list[Column]:
    cols = [c for c in sc.capture.columns if c.category == "interaction" and not c.offsite]
    return sorted(cols, key=lambda c: (not any(w in c.name for w in BOARD_WORDS), c.found_in != "section"))


def _letters(sc: SiteCrawl, doc: Doc) -> list[Letter]:
    return markup.letters(doc.tree, doc.base, sc.shared.dicts.status_words, sc.as_of)


async def find_board(sc: SiteCrawl) -> Board | None:
    """The first interaction column whose page lists letters becomes the board."""
    for col in _board_candidates(sc)[:MAX_BOARD_CANDIDATES]:
        doc = await http_page(sc, col.url, "other", column=col.url)
        if doc is None or doc.tree is None:
            continue
        letters = _letters(sc, doc)
        if letters:
            doc.page.kind = "board"
            board = await _build_board(sc, col, doc, letters)
            sc.capture.board = board
            return board
    return None


async def _build_board(sc: SiteCrawl, col: Column, first: Doc, letters: list[Letter]) -> Board:
    """Walk the board's list pages (up to CrawlLimits.board_pages, always including the last one): the rows
    give every letter's date and status, so the backlog is judged on the whole board, not a sample."""
    page_url = first.page.final_url or col.url
    pg = markup.pagination(first.tree, first.html, page_url)
    board = Board(url=col.url, name=col.name, total_pages=pg.total_pages, list_pages=[page_url])
    col.list_pages = [page_url]
    col.status, col.total_pages = first.page.status, pg.total_pages
    col.paginates = bool(pg.next_url) or (pg.total_pages or 1) > 1
    last_url = pg.last_url
    if not last_url and pg.next_url and (pg.total_pages or 0) > 2:
        last_url = guess_page_url(pg.next_url, pg.total_pages)
    elif not last_url and pg.next_url and pg.total_pages == 2:
        last_url = pg.next_url
    found = list(letters)
    fetched = {page_url}
    # Lists run newest first: the oldest letters, where a backlog shows, are on the last pages. Walk back
    # from the last page while its letters are older than the backlog limit, then forward from page 2.
    total = pg.total_pages or (2 if last_url else 1)
    back = [last_url] if last_url else []
    if pg.next_url and total > 2:
        back = [u for p in range(total, 1, -1) if (u := guess_page_url(pg.next_url, p))] or back
    limit = sc.as_of.toordinal() - int(sc.shared.dicts.backlog_days)
    for url in back:
        if len(board.list_pages) >= sc.limits.board_pages or url in fetched or not sc.internal(url):
            break
        doc = await _board_page(sc, board, col, url)
        fetched.add(url)
        if doc is None:
            break
        rows = _letters(sc, doc)
        found += rows
        if rows and all(_ordinal(x.asked) > limit for x in rows if x.asked):
            break  # this page and the ones before it are within the backlog limit
    next_url = pg.next_url
    while next_url and len(board.list_pages) < sc.limits.board_pages and next_url not in fetched:
        if not sc.internal(next_url):
            break
        doc = await _board_page(sc, board, col, next_url)
        fetched.add(next_url)
        if doc is None:
            break
        found += _letters(sc, doc)
        next_url = markup.pagination(doc.tree, doc.html, doc.page.final_url or next_url).next_url
    unique: dict[str, Letter] = {}
    for x in found:
        unique.setdefault(x.url or f"#{len(unique)}", x)
    board.letters = list(unique.values())
    await sample_letters(sc, board)
    return board


def _ordinal(iso: str) -> int:
    try:
        return date.fromisoformat(iso).toordinal()
    except ValueError:
        return 0


async def _board_page(sc: SiteCrawl, board: Board, col: Column, url: str) -> Doc | None:
    doc = await http_page(sc, url, "board", column=col.url)
    if doc is None or doc.tree is None or doc.page.error:
        return None
    board.list_pages.append(doc.page.final_url or url)
    col.list_pages.append(doc.page.final_url or url)
    return doc


def _pick(board: Board, statuses: dict, n: int) -> list[Letter]:
    """The letters whose pages are fetched: answered (or unmarked) ones, oldest first, since their pages
    hold the reply date and text (latency, indirect replies); pending ones are judged from the list."""
    candidates = [x for x in board.letters if x.url and markup.is_answered(x.status_word, statuses) is not False]
    candidates.sort(key=lambda x: (x.asked or "9999", x.url))
    return candidates[:n]


async def sample_letters(sc: SiteCrawl, board: Board) -> None:
    statuses = sc.shared.dicts.status_words
    for letter in _pick(board, statuses, sc.limits.letters):
        if not sc.internal(letter.url):
            continue
        doc = await http_page(sc, letter.url, "letter", column=board.url)
        if doc is None or doc.tree is None or doc.page.error:
            continue
        detail = markup.letter_detail(doc.tree, statuses, sc.as_of)
        letter.asked = detail.asked or letter.asked
        letter.status_word = detail.status_word or letter.status_word
        letter.replied = detail.replied or letter.replied
        letter.reply_text = detail.reply_text or letter.reply_text
        letter.title = letter.title or detail.title or doc.page.title


def _guide_candidates(sc: SiteCrawl, doc: Doc) -> list[Link]:
    """The page's internal links, those that look like guides first. A Hanweb 办事指南 column ships its list
    in a datastore script (rendered by jpage.js): `markup.page_links` counts the records' links as the
    page's own."""
    internal = [lk for lk in doc.page.links if lk.internal and lk.href != doc.page.url]
    hinted = [lk for lk in internal if any(h in lk.text or h in urlsplit(lk.href).path for h in GUIDE_HINTS)]
    return hinted + [lk for lk in internal if lk not in hinted]


async def find_guides(sc: SiteCrawl) -> None:
    """Service-guide pages under the services section: pages that show guide labels."""
    services = [c for c in sc.capture.columns if c.category == "services" and not c.offsite]
    elements = sc.shared.dicts.guide_elements
    tries = max(3 * sc.limits.guides, 6)
    for col in services:
        doc = await http_page(sc, col.url, "other", column=col.url)
        if doc is None or doc.tree is None:
            continue
        sc.capture.platform_links.extend(platform_links(sc, doc.page.links))
        for lk in _guide_candidates(sc, doc):
            if len(sc.capture.guides) >= sc.limits.guides or tries <= 0:
                return
            if lk.href in {g.url for g in sc.capture.guides}:
                continue
            tries -= lk.href not in sc.docs
            page = await http_page(sc, lk.href, "other", column=col.url)
            if page is None or page.tree is None or page.page.error:
                continue
            labels = markup.guide_labels(page.tree, elements)
            if len(labels) >= 2 and page.page.kind in ("other", "column", "article"):
                page.page.kind = "guide"
                sc.capture.guides.append(await _guide(sc, page, labels))


async def _guide(sc: SiteCrawl, doc: Doc, labels: list[str]) -> Guide:
    files = markup.attachments(doc.tree, doc.base)
    targets = [LinkTarget(f.href, doc.page.url, f.text) for f in files]
    checks = await check_links(sc.shared, targets, sc.limits.link_timeout_s)
    await soft404.mark_soft_404s(sc, checks)  # a missing file sent to the site's error page is no download
    sc.capture.stats.requests += len(checks)
    return Guide(url=doc.page.url, title=doc.page.title, labels=labels, attachments=checks)


def platform_links(sc: SiteCrawl, links: list[Link]) -> list[Link]:
    words = sc.shared.dicts.platform_words
    texts, hosts = words.get("texts", []), words.get("hosts", [])
    known = {lk.href for lk in sc.capture.platform_links}
    out = []
    for lk in links:
        host = (urlsplit(lk.href).hostname or "").lower()
        if lk.href in known or lk.internal:
            continue
        if any(t in lk.text for t in texts) or any(h in host for h in hosts):
            known.add(lk.href)
            out.append(lk)
    return out
