"""Generic HTML lists: CSS selectors for item, link, title and date (defaults: `ul li a` + `span`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from parsers.adapters.common import entry_from_row, html_tree, next_link
from parsers.adapters.models import Entry, ListingPage, PageRequest


class HtmlListSelectors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str = "ul li"
    link: str = "a[href]"
    title: str | None = None
    date: str | None = "span"
    require_date: bool = Field(default=True, description="Skip dateless items (menus, breadcrumbs)")
    next_labels: tuple[str, ...] = ("下一页", "下页", "Next", "next", "›", "»")


def first_request(url: str, sel: HtmlListSelectors) -> PageRequest:
    return PageRequest(url=url)


def parse(body: str | bytes, request: PageRequest, sel: HtmlListSelectors) -> ListingPage:
    tree = html_tree(body)
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in tree.css(sel.item):
        entry = entry_from_row(item, request.url, sel.link, sel.title, sel.date)
        if entry is None or entry.url in seen or (sel.require_date and entry.date is None):
            continue
        seen.add(entry.url)
        entries.append(entry)
    href = next_link(tree, request.url, sel.next_labels)
    return ListingPage(entries=entries, next=PageRequest(url=href, page=request.page + 1) if href else None)
