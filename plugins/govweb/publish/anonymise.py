"""Negative examples are anonymised (DESIGN §8): the site's name, its short forms, its province, its
address and codes become 某市/某县/某部委… in the name and in every text shown with the example."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from govweb.publish.text import plain, short_name

# Administrative suffixes, longest first: 广西壮族自治区 -> 广西, 凉山彝族自治州 -> 凉山, 仪征市 -> 仪征.
ADMIN_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区",
                  "新区",
                  "省", "市", "州", "盟", "县", "区", "旗")
_SUFFIX = "(?:维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|县|区)?"
_URL = re.compile(r"(?:https?://|www\.)[^\s，。；;、)）\"'<>]+", re.I)


@dataclass(frozen=True)
class Anonymiser:
    label: str          # 某市, 某县, 某部委 ...
    words: tuple[str, ...]  # what is replaced, longest first
    hosts: tuple[str, ...]
    province: tuple[str, ...] = ()  # the site's province (a city or county site): replaced by 某省

    def __call__(self, value: object) -> str:
        text = plain(value)
        if not text:
            return text
        text = _URL.sub(self._url, text)
        for host in self.hosts:
            text = text.replace(host, "某网站")
        text = _pattern(self.words).sub(self.label, text) if self.words else text
        text = _pattern(self.province).sub("某省", text) if self.province else text
        for label in (self.label, "某省"):
            while label + label in text:
                text = text.replace(label + label, label)
        return text

    def _url(self, match: re.Match) -> str:
        return "某网站地址"

    def rules(self) -> list[tuple[str, str]]:
        """The replacements in order as (regular expression, replacement), for applying in a browser too (the
        expressions use only syntax Python and JavaScript share)."""
        out = [(_URL.pattern, "某网站地址")]
        out += [(re.escape(h), "某网站") for h in self.hosts]
        if self.words:
            out.append((_pattern(self.words).pattern, self.label))
        if self.province:
            out.append((_pattern(self.province).pattern, "某省"))
        return out


@functools.lru_cache(maxsize=4096)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")" + _SUFFIX)


def _stems(name: str) -> list[str]:
    """湖北省 -> [湖北省, 湖北]; 深圳市福田区 -> [深圳市福田区, 深圳市, 深圳, 福田区, 福田]."""
    out = [name]
    parts = re.findall(r".+?(?:维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|州|盟|县|区|旗)", name)
    for part in [*parts, name]:
        out.append(part)
        for suffix in ADMIN_SUFFIXES:
            if part.endswith(suffix) and len(part) - len(suffix) >= 2:
                out.append(part[: -len(suffix)])
                break
    return out


def label_for(level: str, name: str, labels: dict[str, dict]) -> str:
    """某部委 / 某省 / 某市 / 某县; a district (区) reads 某区, an autonomous region 某自治区."""
    entity = short_name(name)
    if level == "county" and entity.endswith("区"):
        return "某区"
    if level == "province" and entity.endswith("自治区"):
        return "某自治区"
    if level == "province" and entity in ("北京市", "上海市", "天津市", "重庆市"):
        return "某市"
    if level == "city" and entity.endswith("州"):
        return "某州"
    return str(labels.get(level, {}).get("anonymous", "某网站"))


def for_site(site: dict, labels: dict[str, dict]) -> Anonymiser:
    """An anonymiser for one inventory row (name, level, province, url, site_id, site_code)."""
    name = plain(site.get("name"))
    level = plain(site.get("level"))
    entity = short_name(name)
    words = {name, entity} | (set(_stems(entity)) if level != "ministry" else set())
    province = plain(site.get("province"))
    provinces = set(_stems(province)) if province and level in ("city", "county") else set()
    if level == "province" and province:
        words |= set(_stems(province))
    for code in (plain(site.get("site_id")), plain(site.get("site_code"))):
        if code:
            words.add(code)
    host = (urlsplit(plain(site.get("url"))).hostname or "").lower()
    hosts = tuple(h for h in {host, host.removeprefix("www.")} if h)
    words = {w for w in words if len(w) >= 2}
    provinces = {w for w in provinces - words if len(w) >= 2}
    return Anonymiser(label_for(level, name, labels), _longest_first(words), _longest_first(hosts),
                      _longest_first(provinces))


def _longest_first(words: set[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
