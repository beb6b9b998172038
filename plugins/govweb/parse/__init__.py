"""Page parsing for real government portals: charsets, dates, lists, pagination, navigation, forms, boards, guides.

Each module is pure (bytes/HTML in, typed values out) and written for the markup real CMSs produce
(TRS WCM, 政府网站集约化平台, Hanweb/大汉, DedeCMS-like templates)."""
