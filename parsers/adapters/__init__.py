"""Listing adapters, selected by name: each turns one listing page into entries and the next request.

Every adapter is three plain pieces: a pydantic selectors model (defaults from what is known about
the sites, overridable from source config), `first_request(url, selectors)` and
`parse(body, request, selectors) -> ListingPage`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from parsers.adapters import feed, html_list, jcms, xxgk
from parsers.adapters.models import Entry, ListingPage, PageRequest, ParseError

__all__ = [
    "ADAPTERS",
    "Adapter",
    "Entry",
    "ListingPage",
    "PageRequest",
    "ParseError",
    "detect_adapter",
    "get_adapter",
    "post_adapter",
]


@dataclass(frozen=True)
class Adapter:
    name: str
    selectors_model: type[BaseModel]
    first_request_fn: Callable[[str, Any], PageRequest]
    parse_fn: Callable[[str | bytes, PageRequest, Any], ListingPage]

    def selectors(self, overrides: Mapping[str, object] | None = None) -> BaseModel:
        """The defaults with overrides applied; unknown or ill-typed fields are a ValidationError."""
        return self.selectors_model.model_validate(dict(overrides or {}))

    def first_request(self, url: str, selectors: BaseModel | None = None) -> PageRequest:
        return self.first_request_fn(url, selectors or self.selectors())

    def parse(
        self, body: str | bytes, request: PageRequest, selectors: BaseModel | None = None
    ) -> ListingPage:
        return self.parse_fn(body, request, selectors or self.selectors())


ADAPTERS: dict[str, Adapter] = {
    "jcms-column": Adapter("jcms-column", jcms.JcmsSelectors, jcms.first_request, jcms.parse),
    "jcms-dataproxy": Adapter("jcms-dataproxy", jcms.JcmsSelectors, jcms.first_dataproxy_request, jcms.parse),
    "xxgk-search": Adapter("xxgk-search", xxgk.XxgkSelectors, xxgk.first_request, xxgk.parse),
    "html-list": Adapter("html-list", html_list.HtmlListSelectors, html_list.first_request, html_list.parse),
    "feed": Adapter("feed", feed.FeedSelectors, feed.first_request, feed.parse),
}


def get_adapter(name: str) -> Adapter:
    try:
        return ADAPTERS[name]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise ParseError("unsupported", f"unknown adapter {name!r} (known: {known})") from None


_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_ARTICLE_MARKERS = (
    "fgwj_xxgk_head",
    "xxgk_top",
    'id="zoom"',
    "id=zoom",
    "bt_content",
    "article-conter",
    "zc_article_con",
)
_ARTICLE_PATH = re.compile(r"/art/\d{4}/|/art_[0-9a-f_]+\.html?$")


def post_adapter(url: str) -> str | None:
    """The adapter for a POST-only endpoint, named by its path alone: such a URL answers a GET
    with 405, so it must be recognised before any GET."""
    path = urlsplit(url).path
    if path.endswith(jcms.DATAPROXY_PATH):
        return "jcms-dataproxy"
    if path.endswith(xxgk.SEARCH_PATH):
        return "xxgk-search"
    return None


def detect_adapter(url: str, body: str | bytes) -> str:
    """Name the adapter for a page, or "article" for an article page. Heuristic; --adapter overrides."""
    if isinstance(body, bytes) and (b"%PDF-" in body[:1024] or body.startswith(b"PK\x03\x04")):
        return "article"  # a document linked directly: parsed like an article's attachment
    text = body if isinstance(body, str) else body[:200_000].decode("utf-8", "replace")
    head = text[:2048].lstrip("\ufeff \r\n\t")
    path = urlsplit(url).path
    if _FEED_ROOT.search(head) and not re.search(r"<html[\s>]", head, re.IGNORECASE):
        return "feed"
    if jcms.DATAPROXY_PATH in path or head.startswith("<datastore"):
        return "jcms-dataproxy"
    if path.endswith(xxgk.SEARCH_PATH) or "gkfs=" in text:
        return "xxgk-search"
    if "<datastore" in text or "fg_list" in text:
        return "jcms-column"
    if _ARTICLE_PATH.search(path) or any(marker in text for marker in _ARTICLE_MARKERS):
        return "article"
    return "html-list"
