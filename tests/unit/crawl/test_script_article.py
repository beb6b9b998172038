"""An article whose page holds no text (its script fetches the article and writes it in) is read in the browser:
the stored page and text are the article's; an article that carries its text is read over HTTP only."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import LoopWeb, Route, browser_env, html

pytestmark = pytest.mark.browser

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "articles"
SITE = "http://www.artjs.test/"
HOST = "www.artjs.test"
TEXT = "各区县人民政府，市政府各部门：国庆节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。"


# the two jQuery calls the page makes, standing in for the library (no download here)
JQUERY = """window.$ = function (sel) {
  var el = document.querySelector(sel); return {html: function (h) { el.innerHTML = h; }}; };
$.getJSON = function (url, done) { fetch(url).then(function (r) { return r.json(); }).then(done); };"""


def web() -> LoopWeb:
    w = LoopWeb()
    w.add(HOST, "/tzgg/4521.html", html((ARTICLES / "shell_xhr.html").read_text(encoding="utf-8")))
    w.add(HOST, "/tzgg/4520.html", html((ARTICLES / "served_with_counter.html").read_text(encoding="utf-8")))
    detail = {"title": "关于做好2018年国庆节期间安全生产工作的通知", "pubDate": "2018-09-28",
              "content": f"<p>{TEXT}</p><p>一、加强隐患排查。</p>"}
    w.add(HOST, "/api/content/detail?id=4521", Route(json.dumps(detail, ensure_ascii=False).encode(),
                                                     content_type="application/json"))
    w.add(HOST, "/js/jquery.min.js", Route(JQUERY.encode(), content_type="application/javascript"))
    return w


async def _crawl(tmp_path):
    async with browser_env(web(), tmp_path, SITE) as sc:
        shell = await http_page(sc, f"{SITE}tzgg/4521.html", "article")
        served = await http_page(sc, f"{SITE}tzgg/4520.html", "article")
        return sc, shell.page, served.page


def test_an_article_written_in_by_script_is_read_in_the_browser(tmp_path):
    sc, shell, served = asyncio.run(_crawl(tmp_path))
    assert shell.via == "browser" and shell.status == 200
    text = sc.store.get(shell.text_key).decode("utf-8")
    assert TEXT in text and "2018-09-28" in text and "正在加载" not in text
    assert "关于做好2018年国庆节期间安全生产工作的通知" in sc.store.get(shell.html_key).decode("utf-8")
    assert served.via == "http" and sc.capture.stats.browser_pages == 1
