"""Fetch orchestration: a listing (following its pagination to a depth), then its articles and
their attachments, parsed into the clause schema. Every URL's failure is recorded and the rest
carry on; conditional GET and content fingerprints make an unchanged pass cheap."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from parsers.adapters import Adapter, Entry, ListingPage, PageRequest, ParseError, get_adapter
from parsers.article import (
    ArticlePage,
    ArticleSelectors,
    AttachmentLink,
    PageMetadata,
    name_from_url,
    parse_article,
)
from parsers.attachments import ExtractedFile, extract
from parsers.html_document import article_documents
from parsers.pipeline import warm_up
from parsers.schema import Document
from watcher.http import Fetcher, FetchError, Response, Validators, mask_url

log = logging.getLogger("zjwatch.fetch")

Stage = Literal["listing", "article", "attachment"]
ArticleStatus = Literal["new", "changed", "unchanged", "failed"]
MAX_PAGES = 1000
MAX_ARTICLES_IN_FLIGHT = 64


class UrlError(BaseModel):
    """One URL that could not be fetched or parsed; the message is safe to show."""

    model_config = ConfigDict(frozen=True)

    url: str
    stage: Stage
    kind: str
    message: str
    status: int | None = None


class ListingResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    url: str
    adapter: str
    pages: int = Field(description="Listing pages read")
    reused: int = Field(
        default=0, description="Of those, pages answered 304 or unchanged, whose cached entries were reused"
    )
    entries: list[Entry]
    errors: list[UrlError] = Field(default_factory=list)


class ArticleResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    url: str
    status: ArticleStatus
    documents: list[Document] = Field(default_factory=list, description="Empty when unchanged or failed")
    errors: list[UrlError] = Field(default_factory=list)


class SourceResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    listing: ListingResult
    articles: list[ArticleResult]

    @property
    def errors(self) -> list[UrlError]:
        return [*self.listing.errors, *(e for a in self.articles for e in a.errors)]


class PageState(BaseModel):
    validators: Validators
    fingerprint: str


class ListingState(BaseModel):
    """One listing request as last read: its validators, the body's hash, and what it parsed to."""

    validators: Validators
    sha256: str
    page: ListingPage


class FetchCache(BaseModel):
    """What the previous pass saw: validators and content fingerprints per page, the listing
    pages parsed (per request, POST form included), and the extracted attachment files (reused
    when they answer 304). Serializable, so a pass can start from the one before:
    `FetchCache.model_validate_json(previous.model_dump_json())`."""

    pages: dict[str, PageState] = Field(default_factory=dict)
    listings: dict[str, ListingState] = Field(default_factory=dict)
    files: dict[str, tuple[Validators, ExtractedFile]] = Field(default_factory=dict)


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """Processes for the clause pipeline, so parsing uses other cores while this one fetches.
    forkserver: forking a process that already runs threads (an event loop's resolver, a
    replica) is unsafe; the server imports the parsers once and forks workers from there. Each
    worker builds the parser's lazy tables when it starts, not on its first article."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["parsers.html_document"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_up)


def url_error(url: str, stage: Stage, exc: FetchError | ParseError) -> UrlError:
    if isinstance(exc, FetchError):
        return UrlError(
            url=mask_url(url), stage=stage, kind=exc.kind.value, message=exc.message, status=exc.status
        )
    return UrlError(url=mask_url(url), stage=stage, kind=exc.kind, message=exc.message)


def listing_key(request: PageRequest) -> str:
    """What identifies a listing request: method, URL and the form it posts."""
    form = urlencode(sorted((request.data or {}).items()))
    return f"{request.method} {request.url}" + (f" {form}" if request.data is not None else "")


async def request_page(
    fetcher: Fetcher, request: PageRequest, validators: Validators | None = None
) -> Response:
    if request.method == "POST":
        return await fetcher.post(request.url, data=request.data or {})
    return await fetcher.get(request.url, validators=validators)


async def _read_listing_page(
    fetcher: Fetcher,
    adapter: Adapter,
    sel: BaseModel,
    request: PageRequest,
    cache: FetchCache | None,
    first: Response | None,
) -> tuple[ListingPage, bool]:
    """(page, reused): a 304 or a body identical to the cached one reuses the cached parse."""
    key = listing_key(request)
    before = cache.listings.get(key) if cache is not None else None
    response = first or await request_page(fetcher, request, before.validators if before else None)
    if before is not None and response.not_modified:
        if cache is not None and response.validators != before.validators:  # a 304 may update them
            cache.listings[key] = before.model_copy(update={"validators": response.validators})
        return before.page, True
    digest = hashlib.sha256(response.body).hexdigest()
    if before is not None and before.sha256 == digest:
        page, reused = before.page, True
    else:
        page = adapter.parse(response.text(), request.model_copy(update={"url": response.final_url}), sel)
        reused = False
    if cache is not None:
        cache.listings[key] = ListingState(validators=response.validators, sha256=digest, page=page)
    return page, reused


async def fetch_listing(
    fetcher: Fetcher,
    url: str,
    adapter_name: str,
    selectors: Mapping[str, object] | None = None,
    *,
    depth: int = 1,
    first: Response | None = None,
    cache: FetchCache | None = None,
) -> ListingResult:
    """Read up to `depth` pages of a listing. `first` reuses an already fetched first page (a GET).
    With a `cache`, each listing request is conditional where the site gives validators, and a
    304 or an unchanged body reuses the entries (and the next page) parsed last time."""
    adapter = get_adapter(adapter_name)
    sel = adapter.selectors(selectors)
    entries: dict[str, Entry] = {}
    errors: list[UrlError] = []
    pages = reused = 0
    request: PageRequest | None = adapter.first_request(url, sel)
    seen: set[str] = set()
    while request is not None and pages < min(depth, MAX_PAGES):
        key = listing_key(request)
        if key in seen:
            break  # a paging link that points back: stop rather than loop
        seen.add(key)
        given = first if pages == 0 and request.method == "GET" else None
        try:
            page, from_cache = await _read_listing_page(fetcher, adapter, sel, request, cache, given)
        except (FetchError, ParseError) as exc:
            errors.append(url_error(request.url, "listing", exc))
            break
        except Exception as exc:  # an adapter bug: report it for this page, keep what was read
            log.exception("listing page %s failed unexpectedly", mask_url(request.url))
            message = f"adapter failed: {type(exc).__name__}"
            errors.append(
                UrlError(url=mask_url(request.url), stage="listing", kind="internal", message=message)
            )
            break
        pages += 1
        reused += from_cache
        for entry in page.entries:
            entries.setdefault(entry.url, entry)
        request = page.next
    return ListingResult(
        url=url,
        adapter=adapter_name,
        pages=pages,
        reused=reused,
        entries=list(entries.values()),
        errors=errors,
    )


def fingerprint(page: ArticlePage) -> str:
    """The page's content without chrome: what must change for the article to count as changed."""
    payload = page.model_dump_json(include={"title", "metadata", "body_text", "attachments"})
    return hashlib.sha256(payload.encode()).hexdigest()


def is_document_file(body: bytes) -> bool:
    """A URL that answers with a PDF or an Office/zip file instead of an HTML page."""
    return b"%PDF-" in body[:1024] or body.startswith(b"PK\x03\x04")


def _file_as_article(response: Response) -> tuple[ArticlePage, dict[str, ExtractedFile]]:
    """A document linked directly (a PDF URL): an article whose only content is that file."""
    name = name_from_url(response.final_url)
    got = extract(response.body, name, response.final_url)
    link = AttachmentLink(name=name, url=response.final_url)
    page = ArticlePage(
        url=response.final_url,
        title=None,
        metadata=PageMetadata(),
        body_text="",
        body_from="file",
        attachments=[link],
    )
    return page, {link.url: got}


def _file_mark(files: dict[str, ExtractedFile]) -> str:
    return ",".join(sorted(f.sha256 for f in files.values()))


async def fetch_file(
    fetcher: Fetcher, url: str, name: str, cache: FetchCache
) -> tuple[ExtractedFile | None, UrlError | None, bool]:
    """(file, error, changed) for one attachment. A 304 reuses the cached extraction, and so does a
    failure: a file that was read before and fails this time must not look like deleted text."""
    cached = cache.files.get(url)
    try:
        response = await fetcher.get(url, validators=cached[0] if cached else None)
        if response.not_modified and cached is not None:
            return cached[1], None, False
        got = extract(response.body, name, response.final_url)
    except (FetchError, ParseError) as exc:
        return (cached[1] if cached else None), url_error(url, "attachment", exc), cached is None
    changed = cached is None or cached[1].sha256 != got.sha256
    cache.files[url] = (response.validators, got)
    return got, None, changed


async def fetch_article(
    fetcher: Fetcher,
    url: str,
    cache: FetchCache | None = None,
    selectors: ArticleSelectors | None = None,
    *,
    response: Response | None = None,
    attachments: bool = True,
    pool: Executor | None = None,
) -> ArticleResult:
    """Fetch, extract and parse one article page and its attachments; the clause pipeline runs
    in `pool` when given (see `parse_pool`)."""
    cache = cache if cache is not None else FetchCache()
    before = cache.pages.get(url)
    try:
        if response is None:
            response = await fetcher.get(url, validators=before.validators if before else None)
        if response.not_modified and before is not None:
            return ArticleResult(url=url, status="unchanged")
        files: dict[str, ExtractedFile] = {}
        if is_document_file(response.body):
            page, files = _file_as_article(response)
        else:
            page = parse_article(response.text(), response.final_url, selectors)
    except (FetchError, ParseError) as exc:
        return ArticleResult(url=url, status="failed", errors=[url_error(url, "article", exc)])

    errors: list[UrlError] = []
    files_changed = bool(files) and (before is None or before.fingerprint != _file_mark(files))
    if attachments and page.attachments and not files:
        results = await asyncio.gather(*(fetch_file(fetcher, a.url, a.name, cache) for a in page.attachments))
        for link, (got, error, changed) in zip(page.attachments, results, strict=True):
            files_changed = files_changed or changed
            if got is not None:
                files[link.url] = got
            if error is not None:
                errors.append(error)

    mark = _file_mark(files) if page.body_from == "file" else fingerprint(page)
    state = PageState(validators=response.validators, fingerprint=mark)
    if before is not None and before.fingerprint == mark and not files_changed:
        cache.pages[url] = state
        return ArticleResult(url=url, status="unchanged", errors=errors)
    try:
        documents = None
        if pool is not None:
            loop = asyncio.get_running_loop()
            try:
                documents = await loop.run_in_executor(pool, article_documents, page, response.body, files)
            except BrokenExecutor:
                log.warning("parse pool unusable (a worker died); parsing %s here", mask_url(url))
        if documents is None:
            documents = article_documents(page, response.body, files)
    except ParseError as exc:
        return ArticleResult(url=url, status="failed", errors=[*errors, url_error(url, "article", exc)])
    except Exception as exc:  # a parser bug: report it for this URL, keep the page for the next pass
        log.exception("parsing %s failed unexpectedly", mask_url(url))
        error = UrlError(
            url=mask_url(url),
            stage="article",
            kind="internal",
            message=f"parser failed: {type(exc).__name__}",
        )
        return ArticleResult(url=url, status="failed", errors=[*errors, error])
    cache.pages[url] = state  # only once parsed, so a failed parse is retried next pass
    return ArticleResult(
        url=url, status="new" if before is None else "changed", documents=documents, errors=errors
    )


async def fetch_articles(
    fetcher: Fetcher,
    urls: Sequence[str],
    cache: FetchCache | None = None,
    selectors: ArticleSelectors | None = None,
    *,
    attachments: bool = True,
    pool: Executor | None = None,
) -> list[ArticleResult]:
    """Articles in input order; hosts proceed in parallel under the fetcher's per-host limits."""
    cache = cache if cache is not None else FetchCache()
    slots = asyncio.Semaphore(MAX_ARTICLES_IN_FLIGHT)

    async def one(url: str) -> ArticleResult:
        async with slots:
            try:
                return await fetch_article(fetcher, url, cache, selectors, attachments=attachments, pool=pool)
            except Exception as exc:  # a parser bug on one page must not lose the others
                log.exception("article %s failed unexpectedly", mask_url(url))
                error = UrlError(
                    url=mask_url(url), stage="article", kind="internal", message=type(exc).__name__
                )
                return ArticleResult(url=url, status="failed", errors=[error])

    return list(await asyncio.gather(*(one(url) for url in urls)))


async def fetch_source(
    fetcher: Fetcher,
    url: str,
    adapter_name: str,
    selectors: Mapping[str, object] | None = None,
    *,
    depth: int = 1,
    cache: FetchCache | None = None,
    article_selectors: ArticleSelectors | None = None,
    max_articles: int | None = None,
    pool: Executor | None = None,
) -> SourceResult:
    """One pass over a source: its listing, then every listed article."""
    cache = cache if cache is not None else FetchCache()
    listing = await fetch_listing(fetcher, url, adapter_name, selectors, depth=depth, cache=cache)
    urls = [entry.url for entry in listing.entries][:max_articles]
    articles = await fetch_articles(fetcher, urls, cache, article_selectors, pool=pool)
    return SourceResult(listing=listing, articles=articles)
