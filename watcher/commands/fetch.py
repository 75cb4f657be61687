"""`zjwatch fetch URL|SOURCE [--adapter NAME] [--json] [--depth N]`: read a listing or an article."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from parsers.adapters import ADAPTERS, ParseError, detect_adapter, post_adapter
from parsers.article import ArticleSelectors
from parsers.schema import ParseResult
from watcher.commands.db import DbUrlOption, store_documents
from watcher.commands.parse import outline
from watcher.fetch import (
    ArticleResult,
    ListingResult,
    UrlError,
    fetch_article,
    fetch_listing,
    is_document_file,
    url_error,
)
from watcher.http import Fetcher, FetchError, HttpSettings, mask_url
from watcher.sources import SourcesError, load_sources

ARTICLE = "article"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(name="fetch")(fetch)


async def _run(
    url: str,
    adapter: str | None,
    selectors: dict[str, Any],
    article_selectors: ArticleSelectors | None,
    depth: int,
    attachments: bool,
    settings: HttpSettings,
) -> ListingResult | ArticleResult:
    async with Fetcher(settings) as fetcher:
        first = None
        adapter = adapter or post_adapter(url)
        if adapter is None:
            try:
                first = await fetcher.get(url)
            except FetchError as exc:
                return ArticleResult(url=url, status="failed", errors=[url_error(url, "article", exc)])
            adapter = (
                ARTICLE if is_document_file(first.body) else detect_adapter(first.final_url, first.text())
            )
        if adapter == ARTICLE:
            return await fetch_article(
                fetcher, url, selectors=article_selectors, response=first, attachments=attachments
            )
        return await fetch_listing(fetcher, url, adapter, selectors, depth=depth, first=first)


def _print_errors(err: Console, errors: list[UrlError]) -> None:
    for error in errors:
        status = f" (HTTP {error.status})" if error.status else ""
        err.print(f"[red]error:[/red] {error.stage} {error.url}: {error.kind}{status}: {error.message}")


def fetch(
    target: Annotated[str, typer.Argument(help="A URL, or the name of a source in the sources file")],
    adapter: Annotated[
        str | None,
        typer.Option(
            "--adapter",
            help=f"Page type: {', '.join(sorted(ADAPTERS))} or {ARTICLE}; detected when omitted",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"entries": [...]} for a listing, {"documents": [...]} for an article'
        ),
    ] = False,
    depth: Annotated[
        int | None, typer.Option("--depth", min=1, max=100, help="Listing pages to follow")
    ] = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="Sources file (default: the bundled one)")
    ] = None,
    attachments: Annotated[
        bool, typer.Option("--attachments/--no-attachments", help="Download and read attachments")
    ] = True,
    rate: Annotated[
        float, typer.Option("--rate", min=0, help="Requests per second per host (0 = unlimited)")
    ] = 1.0,
    store: Annotated[
        bool, typer.Option("--store", help="Record a fetched article's documents in the store")
    ] = False,
    db_url: DbUrlOption = None,
) -> None:
    """Fetch a listing page (entries, following pagination) or an article (clause schema).

    Every URL that fails is reported on stderr with its classified kind; the exit status is 1
    if any did.
    """
    err = Console(stderr=True, highlight=False)
    url, selectors, article_selectors, source_depth = target, {}, None, 1
    if not target.startswith(("http://", "https://")):
        try:
            source = load_sources(sources).get(target)
        except SourcesError as exc:
            err.print(f"[red]error:[/red] {exc}", markup=True)
            raise typer.Exit(code=2) from None
        if source is None:
            err.print(f"[red]error:[/red] {target!r} is neither an http(s) URL nor a source name")
            raise typer.Exit(code=2)
        url, selectors, source_depth = source.url, source.selectors, source.depth
        article_selectors = source.article_selector_model()
        adapter = adapter or source.adapter
    if adapter is not None and adapter != ARTICLE and adapter not in ADAPTERS:
        err.print(
            f"[red]error:[/red] unknown adapter {adapter!r} (known: {', '.join(sorted(ADAPTERS))}, {ARTICLE})"
        )
        raise typer.Exit(code=2)
    settings = HttpSettings(per_host_rate=rate or None)
    try:
        result = asyncio.run(
            _run(url, adapter, selectors, article_selectors, depth or source_depth, attachments, settings)
        )
    except ParseError as exc:
        err.print(f"[red]error:[/red] {mask_url(url)}: {exc.kind}: {exc.message}")
        raise typer.Exit(code=1) from None
    except ValueError as exc:  # settings the client refuses, e.g. a bad proxy
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None

    out = Console(highlight=False)
    if isinstance(result, ListingResult):
        if as_json:
            entries = [entry.model_dump(mode="json") for entry in result.entries]
            sys.stdout.write(json.dumps({"entries": entries}, ensure_ascii=False, indent=2) + "\n")
        elif result.pages:
            table = Table("date", "文号", "title", "url", title=f"{result.adapter}: {result.pages} page(s)")
            for entry in result.entries:
                table.add_row(str(entry.date or ""), entry.doc_number or "", entry.title, entry.url)
            out.print(table)
    elif as_json:
        payload = ParseResult(documents=result.documents).model_dump(mode="json")
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for doc in result.documents:
            out.print(outline(doc))
            for attachment in doc.attachments:
                state = "text read" if attachment.text_extracted else "recorded"
                out.print(f"  attachment {attachment.name} ({attachment.media_type or '?'}, {state})")
    if store and isinstance(result, ArticleResult):
        store_documents(result.documents, db_url)
    elif store:
        err.print("note: --store records articles; a listing has no documents to store")
    _print_errors(err, result.errors)
    if result.errors:
        raise typer.Exit(code=1)
