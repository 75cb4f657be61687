"""大汉 JCMS listings: column pages (datastore XML in a script, or div.fg_list rows) and the
`/module/jpage/dataproxy.jsp` paging proxy, which answers the same datastore XML."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser

from parsers.adapters.common import entry_from_row, html_tree, next_link
from parsers.adapters.models import Entry, ListingPage, PageRequest, ParseError
from parsers.adapters.safexml import parse_xml

DATAPROXY_PATH = "/module/jpage/dataproxy.jsp"
_QUERY_FIELDS = ("startrecord", "endrecord", "perpage")
_COLUMN_ID = re.compile(r"/col/col(\d+)/")


class JcmsSelectors(BaseModel):
    """Where a JCMS column keeps its list; defaults follow the provincial policy column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    datastore: str = Field(default='script[type="text/xml"]', description="Script holding <datastore> XML")
    row: str = Field(default="div.fg_list, li, tr", description="Rows inside a datastore record")
    plain_row: str = Field(default="div.fg_list", description="Rows of a column page without datastore")
    link: str = ".fg_list_2 a"
    title: str | None = None
    date: str | None = ".fg_list_5"
    next_labels: tuple[str, ...] = ("下一页", "下页", "后一页")
    # Form fields for dataproxy.jsp; missing ones are taken from the column URL or the page.
    columnid: str | None = None
    unitid: str | None = None
    webid: str | None = None
    webname: str | None = None
    path: str = "/"
    perpage: int = Field(default=15, ge=1, le=500)
    group_pages: int = Field(default=3, ge=1, le=50, description="Pages fetched per dataproxy request")


def _rows(tree: LexborHTMLParser, row_selector: str, base_url: str, sel: JcmsSelectors) -> list[Entry]:
    rows = tree.css(row_selector) if row_selector else []
    # Nested matches (li inside div.fg_list) point at the same article: keep the first.
    seen: set[str] = set()
    entries: list[Entry] = []
    for row in rows:
        entry = entry_from_row(row, base_url, sel.link, sel.title, sel.date)
        if entry is not None and entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return entries


def _wrap_record(fragment: str) -> str:
    head = fragment.lstrip()[:4].lower()
    return f"<table>{fragment}</table>" if head.startswith(("<tr", "<td")) else fragment


_CDATA = re.compile(r"<(record|nextgroup)>\s*<!\[CDATA\[(.*?)\]\]>\s*</\1>", re.DOTALL)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")


def _datastore_parts(xml_text: str) -> tuple[list[str], str, str]:
    """Record fragments, nextgroup markup and totalrecord text of a datastore."""
    try:
        root = parse_xml(xml_text)
    except ParseError:
        # Sites emit datastores that are not well-formed XML (a bare & outside the CDATA). When
        # the text declares nothing (no DTD, no entities), the CDATA sections are read directly.
        if "<!" in xml_text.replace("<![CDATA[", "") or "<datastore" not in xml_text:
            raise
        found = _CDATA.findall(xml_text)
        if not found:
            raise
        total = _TOTAL.search(xml_text)
        group = next((text for tag, text in found if tag == "nextgroup"), "")
        return [text for tag, text in found if tag == "record"], group, total[1] if total else ""
    if root.tag != "datastore":
        raise ParseError("bad_content", f"expected <datastore>, found <{root.tag}>")
    group = root.find("nextgroup")
    records = [record.text or "" for record in root.iter("record")]
    return records, (group.text or "") if group is not None else "", root.findtext("totalrecord") or ""


def parse_datastore(
    xml_text: str, base_url: str, sel: JcmsSelectors
) -> tuple[list[Entry], str | None, int | None]:
    """Entries, the nextgroup link (if any) and the total record count (if stated) of a datastore."""
    records, group, total_text = _datastore_parts(xml_text)
    fragments = [_wrap_record(record) for record in records]
    joined = "".join(f"<div>{f}</div>" for f in fragments)
    entries = _rows(LexborHTMLParser(joined), sel.row, base_url, sel) if fragments else []
    next_href: str | None = None
    if group.strip():
        anchor = LexborHTMLParser(group).css_first("a[href]")
        if anchor is not None:
            next_href = anchor.attributes.get("href") or None
    total = int(total_text.strip()) if total_text.strip().isdigit() else None
    return entries, next_href, total


def _int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.strip().isdigit() else default


def _split_dataproxy(url: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """dataproxy URL -> (URL with paging query only, paging fields, form fields)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    paging = {k: query.pop(k) for k in _QUERY_FIELDS if k in query}
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return bare, paging, query


def dataproxy_request(
    url: str, form: dict[str, str], start: int, end: int, perpage: int, page: int
) -> PageRequest:
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": perpage})
    return PageRequest(method="POST", url=f"{url}?{query}", data=form, page=page)


def _form_from_selectors(page_url: str, sel: JcmsSelectors, unitid: str | None) -> dict[str, str] | None:
    match = _COLUMN_ID.search(urlsplit(page_url).path)
    columnid = sel.columnid or (match[1] if match else None)
    unit = sel.unitid or unitid
    if not (columnid and unit and sel.webid and sel.webname):
        return None
    return {
        "col": "1",
        "appid": "1",
        "webid": sel.webid,
        "path": sel.path,
        "columnid": columnid,
        "sourceContentType": "1",
        "unitid": unit,
        "webname": sel.webname,
        "permissiontype": "0",
    }


def _next_after_dataproxy(request: PageRequest, count: int, total: int | None) -> PageRequest | None:
    bare, paging, _ = _split_dataproxy(request.url)
    try:
        start, end = int(paging["startrecord"]), int(paging["endrecord"])
        perpage = int(paging.get("perpage", "15"))
    except (KeyError, ValueError):
        return None
    size = end - start + 1
    if count < size or (total is not None and end >= total) or size <= 0:
        return None
    return dataproxy_request(bare, request.data or {}, end + 1, end + size, perpage, request.page + 1)


def parse(body: str | bytes, request: PageRequest, sel: JcmsSelectors) -> ListingPage:
    """Parse a column page or a dataproxy answer; `request` is how this page was fetched."""
    base_url = request.url
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if DATAPROXY_PATH in urlsplit(request.url).path or text.lstrip().startswith(("<datastore", "<?xml")):
        entries, _, total = parse_datastore(text.strip(), base_url, sel)
        return ListingPage(entries=entries, next=_next_after_dataproxy(request, len(entries), total))

    tree = html_tree(text)
    script = tree.css_first(sel.datastore) if sel.datastore else None
    if script is not None and "<datastore" in script.text():
        entries, next_href, total = parse_datastore(script.text().strip(), base_url, sel)
        nxt: PageRequest | None = None
        if next_href and DATAPROXY_PATH in next_href:
            bare, paging, form = _split_dataproxy(urljoin(base_url, next_href))
            perpage = _int(paging.get("perpage"), sel.perpage)
            start = _int(paging.get("startrecord"), len(entries) + 1)
            end = _int(paging.get("endrecord"), start + perpage * sel.group_pages - 1)
            nxt = dataproxy_request(bare, form, start, end, perpage, request.page + 1)
        elif next_href:
            nxt = PageRequest(url=urljoin(base_url, next_href), page=request.page + 1)
        elif total is not None and total > len(entries):
            parent = script.parent
            unitid = parent.attributes.get("id") if parent is not None else None
            proxy_form = _form_from_selectors(base_url, sel, unitid)
            if proxy_form is not None:
                bare = urljoin(base_url, DATAPROXY_PATH)
                size = sel.perpage * sel.group_pages
                nxt = dataproxy_request(
                    bare, proxy_form, len(entries) + 1, len(entries) + size, sel.perpage, request.page + 1
                )
        return ListingPage(entries=entries, next=nxt)

    entries = _rows(tree, sel.plain_row, base_url, sel)
    href = next_link(tree, base_url, sel.next_labels)
    return ListingPage(entries=entries, next=PageRequest(url=href, page=request.page + 1) if href else None)


def first_request(url: str, sel: JcmsSelectors) -> PageRequest:
    return PageRequest(url=url)


def first_dataproxy_request(url: str, sel: JcmsSelectors) -> PageRequest:
    """jcms-dataproxy: POST from record 1 with fields from a dataproxy URL's query or the selectors
    (columnid, unitid, webid, webname); without them, start from the column page itself."""
    if DATAPROXY_PATH in urlsplit(url).path:
        bare, paging, form = _split_dataproxy(url)
        perpage = _int(paging.get("perpage"), sel.perpage)
        start = _int(paging.get("startrecord"), 1)
        end = _int(paging.get("endrecord"), start + perpage * sel.group_pages - 1)
        if not form:
            form = _form_from_selectors(url, sel, None) or {}
        return dataproxy_request(bare, form, start, end, perpage, 1)
    derived = _form_from_selectors(url, sel, None)
    if derived is None:
        # Without configured form fields, read the column page: its datastore's nextgroup link
        # carries the dataproxy fields for the following pages.
        return PageRequest(url=url)
    size = sel.perpage * sel.group_pages
    return dataproxy_request(urljoin(url, DATAPROXY_PATH), derived, 1, size, sel.perpage, 1)
