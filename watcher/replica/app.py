"""What the replica answers: routes for every site, conditional GET, chrome, behaviour rules and
the control endpoints. Runs on the server's event loop; nothing here touches sockets.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import logging
import random
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from hashlib import sha256
from html import escape
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote

from pydantic import ValidationError

from watcher.replica import files, pages
from watcher.replica.content import Content
from watcher.replica.events import (
    EVENT_ADAPTER,
    Edit,
    Event,
    EventError,
    EventResult,
    Fail,
    Publish,
    Reset,
    Rule,
    Slow,
    Truncate,
    Withdraw,
    make_rule,
)
from watcher.replica.http11 import Request, Response
from watcher.replica.pages import Page, http_date
from watcher.replica.site import BEIJING, Site

CONTROL = "/__replica__/"
LOG_LIMIT = 20_000  # entries kept; a few MB at most
_COLUMN = re.compile(r"/col/col(\d+)/(index\.html|list\.html|list_(\d+)\.html|rss\.xml)")
_COLUMN_DIRECTORY = re.compile(r"/col/col(\d+)/?")
_ARTICLE = re.compile(
    r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html|/col/col\d+/art/\d{4}/art_[0-9a-f]{32}\.html"
)
_TEXT = [("Content-Type", "text/plain; charset=utf-8")]
_GZIP_SUFFIX = "-gzip"
_COMPRESSIBLE = ("text/", "application/rss+xml", "application/json")
_GZIP_MIN_BYTES = 512
log = logging.getLogger(__name__)
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization"})
_WEEKDAYS = "一二三四五六日"
PROXY_FIELDS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
T = TypeVar("T")
_EPOCH = datetime(2026, 1, 1, tzinfo=BEIJING)


class ReplicaError(RuntimeError):
    """The replica could not start, or an event was refused."""


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    site: str
    method: str
    target: str
    status: int
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() on arrival: the same clock in every process on the machine

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


def _not_modified(page: Page, headers: dict[str, str]) -> bool:
    """RFC 9110 §13.1.2, §13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since."""
    match = headers.get("if-none-match")
    if match is not None:
        if match.strip() == "*":
            return True
        ours = page.etag.removeprefix("W/")
        return any(_plain_tag(tag) == ours for tag in match.split(","))
    since = headers.get("if-modified-since")
    if since:
        try:
            return page.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _plain_tag(tag: str) -> str:
    """The ETag of the identity representation: weak prefix and gzip suffix removed."""
    return tag.strip().removeprefix("W/").replace(_GZIP_SUFFIX + '"', '"')


def _accepts_gzip(headers: dict[str, str]) -> bool:
    for coding in headers.get("accept-encoding", "").lower().split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _form(request: Request) -> dict[str, str]:
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        text = request.body.decode("gbk", errors="replace")
    fields = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    fields.update({k: v[0] for k, v in request.query.items() if k not in fields})
    return fields


class ReplicaApp:
    """The replica's state (content, rules, log, counters, rendered pages) and its answers."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.rules: list[Rule] = []
        self.log: deque[LoggedRequest] = deque(maxlen=LOG_LIMIT)
        self.visits: dict[tuple[str, str], int] = {}
        self._pages: dict[tuple[object, ...], Any] = {}
        self._version = -1

    async def respond(self, site_name: str, request: Request) -> Response:
        arrived = time.monotonic()
        if request.path.startswith(CONTROL):
            return self._control(request)
        site = self.content.sites[site_name]
        failure, delay, keep = self._apply_rules(site_name, request)
        response = failure
        if response is None:
            try:
                response = await self._resource(site, request)
            except files.AttachmentError as exc:
                response = Response(500, _TEXT, f"{exc}\n".encode())
            except Exception as exc:  # a replica bug must not kill the connection without an answer
                log.exception("replica failed on %s %s", request.method, request.path)
                response = Response(500, _TEXT, f"replica error: {type(exc).__name__}: {exc}\n".encode())
            response.keep = keep
        response.delay = delay
        headers = {k: "<redacted>" if k in _SECRET_HEADERS else v for k, v in request.headers.items()}
        entry = LoggedRequest(site_name, request.method, request.target, response.status, headers, arrived)
        self.log.append(entry)
        return response

    def _apply_rules(self, site: str, request: Request) -> tuple[Response | None, float, float | None]:
        """The failure to answer instead (if any), the added delay and the truncation fraction."""
        failure: Response | None = None
        delay = 0.0
        keep: float | None = None
        for rule in self.rules:
            if not rule.matches(site, request.target):
                continue
            event = rule.event
            if isinstance(event, Fail):
                if failure is not None:
                    continue
                failure = self._failure(event)
            elif isinstance(event, Slow):
                delay += event.delay
            elif keep is None:
                keep = event.keep
            rule.use()
        if any(rule.remaining == 0 for rule in self.rules):
            self.rules = [rule for rule in self.rules if rule.remaining != 0]
        return failure, delay, keep

    def _failure(self, event: Fail) -> Response:
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
        if event.retry_after is not None or event.status == 429:
            headers.append(("Retry-After", str(event.retry_after if event.retry_after is not None else 1)))
        if event.status == 412:
            headers.append(("Set-Cookie", f"__jsluid_h={secrets.token_hex(16)}; path=/; HttpOnly"))
            return Response(412, headers, pages.CHALLENGE.encode())
        body = f"<html><body><h1>{event.status}</h1></body></html>\n".encode()
        return Response(event.status, headers, body)

    async def _resource(self, site: Site, request: Request) -> Response:
        content = self.content
        path, method = request.path, request.method
        if path == "/module/jpage/dataproxy.jsp":
            return self._post_only(request) or self._dataproxy(site, request)
        if path == "/module/xxgk/search.jsp":
            return self._post_only(request) or self._xxgk(site, request)
        if method not in ("GET", "HEAD"):
            return Response(405, [("Allow", "GET, HEAD")], b"method not allowed\n")
        if path in ("/", "/index.html"):
            page = self._cached(("home", site.name), lambda: pages.home_page(site, _EPOCH))
            return self._page_response(site, page, request)
        directory = _COLUMN_DIRECTORY.fullmatch(path)
        if directory and site.column(directory.group(1)):
            location = f"/col/col{directory.group(1)}/index.html"
            return Response(302, [("Location", location), *_TEXT], f"moved to {location}\n".encode())
        column_match = _COLUMN.fullmatch(path)
        if column_match:
            return self._column(site, request, column_match)
        if _ARTICLE.fullmatch(path):
            article = content.article(site.name, path)
            if article is None or article.gone:
                return self._message(site, 404, "您访问的页面不存在或已被删除")
            column = site.column(article.column)
            assert column is not None
            page = self._cached(
                ("article", site.name, path), lambda: pages.article_page(site, column, article)
            )
            return self._page_response(site, page, request, visit=path)
        if path == "/module/download/downfile.jsp":
            return await self._download(site, request)
        return self._message(site, 404, "您访问的页面不存在或已被删除")

    def _post_only(self, request: Request) -> Response | None:
        if request.method != "POST":
            return Response(405, [("Allow", "POST")], b"this endpoint answers POST only\n")
        return None

    def _lookup(self, key: tuple[object, ...]) -> Any:
        """A rendered page (or related-link list), dropped whenever the content changes."""
        if self._version != self.content.version:
            self._pages.clear()
            self._version = self.content.version
        return self._pages.get(key)

    def _cached(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        found = self._lookup(key)
        if found is None:
            found = self._pages[key] = build()
        return found

    def _page_response(self, site: Site, page: Page, request: Request, visit: str | None = None) -> Response:
        varies = site.gzip and page.content_type.startswith(_COMPRESSIBLE) and page.size >= _GZIP_MIN_BYTES
        compress = varies and _accepts_gzip(request.headers)
        # The gzip representation is a different representation, so it gets its own tag.
        etag = page.etag[:-1] + _GZIP_SUFFIX + '"' if compress else page.etag
        headers = [
            ("ETag", etag),
            ("Last-Modified", http_date(page.last_modified)),
            ("Cache-Control", "no-cache"),
        ]
        if varies:
            headers.append(("Vary", "Accept-Encoding"))
        if request.method in ("GET", "HEAD") and _not_modified(page, request.headers):
            return Response(304, headers)
        headers.insert(0, ("Content-Type", page.content_type))
        body = page.static
        if body is None:
            body = b"".join(
                segment
                if isinstance(segment, bytes)
                else self._chrome(site, segment, visit).encode(site.charset)
                for segment in page.segments
            )
            if compress:  # per response: the fastest level, nearly the same size here
                body = gzip.compress(body, 1, mtime=0)
        elif compress:  # the same bytes every time: compress once
            static = body
            body = self._cached(("gzip", page.etag), lambda: gzip.compress(static, 6, mtime=0))
        if compress:
            headers.append(("Content-Encoding", "gzip"))
        return Response(200, headers, body)

    def _chrome(self, site: Site, name: str, visit: str | None) -> str:
        if name == "now":
            now = datetime.now(BEIJING)
            return now.strftime("%Y年%m月%d日 %H:%M:%S ") + f"星期{_WEEKDAYS[now.weekday()]}"
        if name == "visits":
            key = (site.name, visit or "")
            self.visits[key] = self.visits.get(key, 1000 + random.randrange(5000)) + 1
            return str(self.visits[key])
        if name == "share":
            token = secrets.token_hex(6)
            return (
                '分享到：<a class="share-wx" href="javascript:;">微信</a> <a class="share-wb" href="javascript:;">微博</a> '
                f'<img class="qrcode" src="/module/qrcode.jsp?t={token}" alt="扫一扫在手机打开当前页">'
            )
        return self._related(site)

    def _related(self, site: Site) -> str:
        content = self.content
        items: list[str] = self._cached(
            ("related", site.name),
            lambda: [
                f'<li><a href="{a.path}" target="_blank">{escape(a.title)}</a></li>'
                for a in content.listed_in_site(site.name)[:40]
            ],
        )
        return "".join(random.sample(items, min(6, len(items))))

    def _message(self, site: Site, status: int, message: str) -> Response:
        page = pages.message_page(site, status, message)
        assert page.static is not None
        return Response(status, [("Content-Type", page.content_type)], page.static)

    def _column(self, site: Site, request: Request, match: re.Match[str]) -> Response:
        column = site.column(match.group(1))
        if column is None:
            return self._message(site, 404, "栏目不存在")
        articles = self.content.listed(site.name, column.id)
        changed = self.content.column_changed(site.name, column.id)
        kind = match.group(2)
        if kind == "index.html":
            page = self._cached(
                ("column", site.name, column.id), lambda: pages.column_page(site, column, articles, changed)
            )
        elif kind == "rss.xml":
            page = self._cached(
                ("rss", site.name, column.id), lambda: pages.rss_page(site, column, articles, changed)
            )
        else:
            number = int(match.group(3) or 1)
            if number < 1 or (number - 1) * pages.LIST_PAGE_SIZE >= max(1, len(articles)):
                return self._message(site, 404, "页码超出范围")
            page = self._cached(
                ("list", site.name, column.id, number),
                lambda: pages.list_page(site, column, articles, number, changed),
            )
        return self._page_response(site, page, request)

    def _dataproxy(self, site: Site, request: Request) -> Response:
        form = _form(request)
        missing = [name for name in PROXY_FIELDS if not form.get(name)]
        problems = [f"missing form field(s): {', '.join(missing)}"] if missing else []
        bounds: dict[str, int] = {}
        for name in ("startrecord", "endrecord", "perpage"):
            value = request.param(name) or form.get(name)
            if value is None or not value.isdigit() or int(value) < 1:
                problems.append(f"query parameter {name} must be a positive integer")
            else:
                bounds[name] = int(value)
        if len(bounds) == 3 and bounds["endrecord"] < bounds["startrecord"]:
            problems.append("endrecord is before startrecord")
        column = site.column(form.get("columnid", ""))
        if not missing:
            if form["webid"] != str(site.webid):
                problems.append(f"webid {form['webid']} is not this site's ({site.webid})")
            if column is None:
                problems.append(f"unknown columnid {form['columnid']}")
            elif form["unitid"] != str(column.unitid):
                problems.append(f"unitid {form['unitid']} does not belong to column {column.id}")
        if problems or column is None:
            return Response(
                400, [("Content-Type", "text/plain; charset=utf-8")], ("; ".join(problems) + "\n").encode()
            )
        articles = self.content.listed(site.name, column.id)
        changed = self.content.column_changed(site.name, column.id)
        start, end = bounds["startrecord"], bounds["endrecord"]
        page = self._cached(
            ("proxy", site.name, column.id, start, end),
            lambda: pages.proxy_page(site, column, articles, start, end, changed),
        )
        return self._page_response(site, page, request)

    def _xxgk(self, site: Site, request: Request) -> Response:
        form = _form(request)
        infotype = form.get("infotypeId", "")
        page_text = form.get("currpage", "1") or "1"
        if not infotype or not page_text.isdigit() or int(page_text) < 1:
            message = "form field infotypeId is required and currpage must be a positive integer\n"
            return Response(400, [("Content-Type", "text/plain; charset=utf-8")], message.encode())
        title, number = form.get("vc_title", ""), form.get("vc_filenumber", "")
        year = form.get("fbtime", "")
        articles = [
            a
            for a in self.content.listed_in_site(site.name)
            if a.infotype == infotype
            and title in a.title
            and number in (a.doc_number or "")
            and (not year.isdigit() or year == "-1" or str(a.published.year) == year)
        ]
        articles.sort(key=lambda a: (a.published, a.article_id), reverse=True)
        changed = max(self.content.column_changed(site.name, c.id) for c in site.columns)
        current = int(page_text)
        page = self._cached(
            ("xxgk", site.name, infotype, title, number, year, current),
            lambda: pages.xxgk_page(site, articles, current, changed),
        )
        return self._page_response(site, page, request)

    async def _download(self, site: Site, request: Request) -> Response:
        filename = request.param("filename") or ""
        found = self.content.file(site.name, filename)
        if found is None:
            return self._message(site, 404, "文件不存在")
        article, spec = found
        if article.gone:
            return self._message(site, 404, "文件不存在")
        key = ("file", site.name, filename)
        page: Page | None = self._lookup(key)
        if page is None:
            version = self.content.version
            # Generation takes up to a second the first time: off the loop, so other requests go on.
            data = await asyncio.get_running_loop().run_in_executor(None, files.file_bytes, spec)
            page = Page(spec.media_type, (data,), f'"{sha256(data).hexdigest()[:24]}"', article.modified)
            if self.content.version == version:  # not if an event changed the content meanwhile
                self._pages[key] = page
        response = self._page_response(site, page, request)
        if response.status == 200:
            disposition = f"attachment; filename*=UTF-8''{_quote(spec.name)}"
            response.headers.append(("Content-Disposition", disposition))
        return response

    # --- control --------------------------------------------------------------------------------

    def _control(self, request: Request) -> Response:
        json_type = [("Content-Type", "application/json")]
        if request.path == f"{CONTROL}event" and request.method == "POST":
            try:
                event = EVENT_ADAPTER.validate_json(request.body)
                result = self.apply(event)
            except ValidationError as exc:
                errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
                return Response(
                    400, json_type, json.dumps({"error": "invalid event", "details": errors}).encode()
                )
            except EventError as exc:
                return Response(409, json_type, json.dumps({"error": str(exc)}, ensure_ascii=False).encode())
            return Response(200, json_type, result.model_dump_json().encode())
        if request.path == f"{CONTROL}state" and request.method == "GET":
            return Response(200, json_type, self.content.snapshot().model_dump_json().encode())
        if request.path == f"{CONTROL}log" and request.method == "GET":
            entries = [dataclasses.asdict(entry) for entry in self.log]
            return Response(200, json_type, json.dumps(entries, ensure_ascii=False).encode())
        if request.path == f"{CONTROL}log" and request.method == "DELETE":
            self.log.clear()
            return Response(200, json_type, b"{}")
        return Response(404, json_type, b'{"error": "unknown control endpoint"}')

    def apply(self, event: Event) -> EventResult:
        content = self.content
        if isinstance(event, Publish):
            return EventResult(kind=event.kind, article=content.publish(event))
        if isinstance(event, Edit):
            return EventResult(kind=event.kind, article=content.edit(event))
        if isinstance(event, Withdraw):
            return EventResult(kind=event.kind, article=content.withdraw(event))
        if isinstance(event, Fail | Slow | Truncate):
            self.rules.append(make_rule(event))
            return EventResult(kind=event.kind, message=f"{len(self.rules)} rule(s) active")
        assert isinstance(event, Reset)
        self.rules.clear()
        if event.content:
            content.reset()
        return EventResult(kind=event.kind, message="reset")


def _quote(name: str) -> str:
    return quote(name, safe="")
