"""Headless crawl: browser for the home page (rendered DOM + screenshot), plain HTTP for the rest."""
