"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, parsed with entity expansion and external entities refused."""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from pydantic import BaseModel, ConfigDict

from parsers.adapters.common import absolute, clean, find_date, find_doc_number
from parsers.adapters.models import Entry, ListingPage, PageRequest, ParseError
from parsers.adapters.safexml import parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class FeedSelectors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    follow_next: bool = True  # Atom rel="next" (RFC 5005 paging)


def first_request(url: str, sel: FeedSelectors) -> PageRequest:
    return PageRequest(url=url)


def _date(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return find_date(text)


def _text(node: Element, *tags: str) -> str | None:
    for tag in tags:
        found = node.find(tag)
        if found is not None and (found.text or "").strip():
            return found.text
    return None


def _atom_link(node: Element, rel: str) -> str | None:
    for link in node.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == rel and link.get("href"):
            return link.get("href")
    return None


def parse(body: str | bytes, request: PageRequest, sel: FeedSelectors) -> ListingPage:
    root = parse_xml(body)
    base = request.url
    entries: list[Entry] = []
    nxt: PageRequest | None = None
    if root.tag == f"{ATOM}feed":
        for item in root.findall(f"{ATOM}entry"):
            url = absolute(base, _atom_link(item, "alternate"))
            if url is None:
                continue
            title = clean(_text(item, f"{ATOM}title"))
            summary = _text(item, f"{ATOM}summary", f"{ATOM}content") or ""
            day = _date(_text(item, f"{ATOM}published", f"{ATOM}updated"))
            entries.append(
                Entry(url=url, title=title, date=day, doc_number=find_doc_number(f"{title} {summary}"))
            )
        next_href = absolute(base, _atom_link(root, "next")) if sel.follow_next else None
        if next_href and next_href != base:
            nxt = PageRequest(url=next_href, page=request.page + 1)
    elif root.tag in ("rss", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
        items = root.findall("channel/item") or root.findall(f"{RSS1}item")
        for item in items:
            url = absolute(base, _text(item, "link", f"{RSS1}link", "guid"))
            if url is None:
                continue
            title = clean(_text(item, "title", f"{RSS1}title"))
            description = _text(item, "description", f"{RSS1}description") or ""
            day = _date(_text(item, "pubDate", f"{DC}date"))
            entries.append(
                Entry(url=url, title=title, date=day, doc_number=find_doc_number(f"{title} {description}"))
            )
    else:
        raise ParseError("bad_content", f"not an RSS or Atom feed: root element <{root.tag}>")
    return ListingPage(entries=entries, next=nxt)
