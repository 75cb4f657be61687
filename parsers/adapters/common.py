"""Small helpers the listing adapters share: absolute URLs, dates and 文号 found in listing rows."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.adapters.models import Entry, ParseError

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号"
)
_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def find_date(text: str | None) -> date | None:
    """The first plausible calendar date in text: 2026-02-03, 2026/2/3, 2026.2.3, 2026年2月3日."""
    for match in _DATE.finditer(text or ""):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def find_doc_number(text: str | None) -> str | None:
    """A 文号 as written (浙政发〔2026〕6号, with any bracket style); normalization happens downstream."""
    match = _DOC_NUMBER.search(text or "")
    return _SPACE.sub("", match[0]) if match else None


def absolute(base_url: str, href: str | None) -> str | None:
    """Resolve href against base_url; None for empty, javascript: and other non-HTTP links."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    url = urljoin(base_url, href)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url.split("#", 1)[0]


def html_tree(text: str | bytes) -> LexborHTMLParser:
    if isinstance(text, bytes):
        raise ParseError("unsupported", "HTML must be decoded to text before parsing (charset first)")
    return LexborHTMLParser(text)


def entry_from_row(
    row: LexborNode, base_url: str, link_selector: str, title_selector: str | None, date_selector: str | None
) -> Entry | None:
    """Build an Entry from one list row; None when the row has no usable link."""
    link = row.css_first(link_selector) if link_selector else None
    if link is None:
        link = row if row.tag == "a" else row.css_first("a[href]")
    if link is None:
        return None
    url = absolute(base_url, link.attributes.get("href"))
    if url is None:
        return None
    title_node = row.css_first(title_selector) if title_selector else None
    title = clean(
        (title_node.text() if title_node is not None else None) or link.attributes.get("title") or link.text()
    )
    date_node = row.css_first(date_selector) if date_selector else None
    row_text = row.text(separator=" ")
    found = find_date(date_node.text() if date_node is not None else None) or find_date(
        row_text.replace(title, " ")
    )
    return Entry(url=url, title=title, date=found, doc_number=find_doc_number(row_text))


def next_link(tree: LexborHTMLParser | LexborNode, base_url: str, labels: tuple[str, ...]) -> str | None:
    """The href of the first link whose text is one of labels (下一页, next, ...)."""
    for link in tree.css("a[href]"):
        if clean(link.text()).replace(" ", "") in labels:
            url = absolute(base_url, link.attributes.get("href"))
            if url is not None and url != base_url:
                return url
    return None
