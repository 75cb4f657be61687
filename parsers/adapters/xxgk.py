"""政府信息公开 search: `POST /module/xxgk/search.jsp`, paged through 下一页 / 尾 页 links."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from parsers.adapters.common import absolute, clean, find_date, find_doc_number, html_tree
from parsers.adapters.models import Entry, ListingPage, PageRequest

SEARCH_PATH = "/module/xxgk/search.jsp"
_NUMBER = re.compile(r"(\d+)")
_CURRPAGE = re.compile(r"currpage=(\d+)")


def _default_form() -> dict[str, str]:
    return {
        "infotypeId": "C0201",
        "jdid": "",
        "area": "",
        "divid": "div1",
        "sortfield": ",compaltedate:0",
        "currpage": "1",
        "vc_title": "",
        "vc_filenumber": "",
        "texttype": "",
        "fbtime": "",
    }


class XxgkSelectors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entry: str = Field(default='a[gkfs="主动公开"]', description="One link per disclosed document")
    row_tags: tuple[str, ...] = Field(default=("tr", "li"), description="Enclosing row holding date and 文号")
    next_labels: tuple[str, ...] = ("下一页",)
    last_labels: tuple[str, ...] = ("尾页", "末页")
    form: dict[str, str] = Field(
        default_factory=_default_form, description="Overrides merge onto the defaults"
    )


def first_request(url: str, sel: XxgkSelectors) -> PageRequest:
    parts = urlsplit(url)
    form = _default_form() | sel.form | dict(parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path if parts.path.endswith("search.jsp") else SEARCH_PATH
    return PageRequest(method="POST", url=urlunsplit((parts.scheme, parts.netloc, path, "", "")), data=form)


def _page_number(href: str, onclick: str) -> int | None:
    match = _CURRPAGE.search(href) or _NUMBER.search(onclick) or _NUMBER.search(href)
    return int(match[1]) if match else None


def parse(body: str | bytes, request: PageRequest, sel: XxgkSelectors) -> ListingPage:
    tree = html_tree(body)
    entries: list[Entry] = []
    seen: set[str] = set()
    for link in tree.css(sel.entry):
        url = absolute(request.url, link.attributes.get("href"))
        if url is None or url in seen:
            continue
        seen.add(url)
        row = link.parent
        hops = 0
        while row is not None and row.tag not in sel.row_tags and hops < 6:
            row, hops = row.parent, hops + 1
        row_text = (row if row is not None and row.tag in sel.row_tags else link).text(separator=" ")
        title = clean(link.attributes.get("title") or link.text())
        entries.append(
            Entry(
                url=url,
                title=title,
                date=find_date(row_text.replace(title, " ")),
                doc_number=find_doc_number(row_text),
            )
        )

    current = int((request.data or {}).get("currpage", "1") or 1)
    next_page: int | None = None
    last_page: int | None = None
    for anchor in tree.css("a"):
        label = clean(anchor.text()).replace(" ", "")
        href = anchor.attributes.get("href") or ""
        onclick = anchor.attributes.get("onclick") or ""
        if label in sel.next_labels:
            next_page = _page_number(href, onclick)
        elif label in sel.last_labels:
            last_page = _page_number(href, onclick)
    if next_page is None or next_page <= current or (last_page is not None and next_page > last_page):
        return ListingPage(entries=entries, next=None)
    data = dict(request.data or {}) | {"currpage": str(next_page)}
    url = urljoin(request.url, urlsplit(request.url).path)
    return ListingPage(
        entries=entries, next=PageRequest(method="POST", url=url, data=data, page=request.page + 1)
    )
