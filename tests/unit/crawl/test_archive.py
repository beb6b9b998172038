"""Archive mode's building blocks against the simulated web's Wayback-compatible archive."""

from __future__ import annotations

import http.client
from datetime import date
from urllib.parse import urlsplit

import pytest

from govweb.crawl.archive import Archive, ArchiveError, Snapshot
from govweb.sim import server, world

ARCHIVE = Archive()


def get(port: int, url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Host": parts.hostname})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, body


@pytest.fixture(scope="module")
def archive_web():
    with server.SimServer(world.load("demo_2018", 2018), loader=lambda y: world.load("demo_2018", y)) as srv:
        yield srv


def test_the_snapshot_nearest_the_as_of_date_and_not_after_it(archive_web):
    site = "http://www.beijing.gov.test/"
    status, body = get(archive_web.port, ARCHIVE.cdx_url(site, date(2017, 10, 15)))
    assert status == 200
    snap = ARCHIVE.choose(body, site, date(2017, 10, 15))
    assert snap == Snapshot(site, "20171015000000") and snap.day == date(2017, 10, 15)
    # a day earlier, the 2017 snapshot is in the future: the 2016 one is chosen
    status, body = get(archive_web.port, ARCHIVE.cdx_url(site, date(2017, 10, 14)))
    assert ARCHIVE.choose(body, site, date(2017, 10, 14)).timestamp.startswith("2016")
    # outside the window there is none
    narrow = Archive(window_days=30)
    _, body = get(archive_web.port, narrow.cdx_url(site, date(2017, 10, 14)))
    assert narrow.choose(body, site, date(2017, 10, 14)) is None


def test_archived_pages_read_as_the_site_served_them(archive_web):
    site = "http://www.beijing.gov.test/"
    snap = Snapshot(site, "20171015000000")
    status, html = get(archive_web.port, ARCHIVE.url_for(site, snap))
    assert status == 200 and "/web/20171015000000/http://www.beijing.gov.test/" in html
    plain = ARCHIVE.unrewrite(html)
    assert "/web/2017" not in plain and 'href="http://www.beijing.gov.test/' in plain
    assert ARCHIVE.original("http://archive.gov.test/web/20171015000000/http://www.beijing.gov.test/col/ywdt/") == (
        "20171015000000", "http://www.beijing.gov.test/col/ywdt/")
    assert ARCHIVE.original("http://www.beijing.gov.test/col/ywdt/") is None


def test_wayback_style_rewriting_and_toolbar_are_undone():
    wb = Archive(base="https://web.archive.org", cdx_path="/cdx/search/cdx")
    html = ('<head><!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp">toolbar</div>'
            '<!-- END WAYBACK TOOLBAR INSERT --></head><a href="/web/20181011093000/http://www.zj.gov.cn/col/1/">'
            '要闻</a><img src="https://web.archive.org/web/20181011093000im_/http://www.zj.gov.cn/a.png">'
            '<a href="//web.archive.org/web/2018/www.zj.gov.cn/b.html">b</a>')
    plain = wb.unrewrite(html)
    assert "toolbar" not in plain and "web.archive.org" not in plain
    assert 'href="http://www.zj.gov.cn/col/1/"' in plain and 'src="http://www.zj.gov.cn/a.png"' in plain
    assert 'href="http://www.zj.gov.cn/b.html"' in plain


def test_a_broken_cdx_answer_is_an_archive_error_not_a_missing_snapshot():
    with pytest.raises(ArchiveError, match="not JSON"):
        ARCHIVE.choose("<html>rate limited</html>", "http://x.gov.cn/", date(2018, 1, 1))
    assert ARCHIVE.choose("", "http://x.gov.cn/", date(2018, 1, 1)) is None
