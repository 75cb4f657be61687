"""`zjwatch db upgrade|current` and `zjwatch history DOC`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import typer
from alembic.util import CommandError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from parsers.schema import Document
from store.db import DatabaseUrlError, make_engine, make_session_factory, mask_url, resolve_url
from store.migrate import DatabaseNotMigrated, current_revision, ensure_migrated, head_revision, upgrade
from store.repository import DocumentHistory, DocumentLink, document_history, find_document, record_document

DbUrlOption = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        help="Database URL (default: $ZJWATCH_DB_URL, else zjwatch.db in $ZJWATCH_DATA_DIR or ~/.local/share/zjwatch)",
        show_default=False,
    ),
]

db_app = typer.Typer(help="Create and migrate the store database.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


class StoreUnavailable(RuntimeError):
    """The database cannot be used: a bad URL, no such database, not migrated. Password masked."""


@contextmanager
def open_database(db_url: str | None) -> Iterator[Engine]:
    """An engine for the store; every database failure inside comes out as StoreUnavailable."""
    url = resolve_url(db_url)
    try:
        engine = make_engine(url)
    except DatabaseUrlError as exc:
        raise StoreUnavailable(str(exc)) from None
    try:
        yield engine
    except (DatabaseNotMigrated, CommandError) as exc:
        raise StoreUnavailable(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreUnavailable(f"database at {mask_url(url)}: {reason}") from None
    finally:
        engine.dispose()


@contextmanager
def _engine(db_url: str | None) -> Iterator[Engine]:
    try:
        with open_database(db_url) as engine:
            yield engine
    except StoreUnavailable as exc:
        raise _fail(str(exc)) from None


@db_app.command("upgrade")
def db_upgrade(db_url: DbUrlOption = None) -> None:
    """Create the database or migrate it to the latest schema."""
    with _engine(db_url) as engine:
        before, after = upgrade(engine)
        where = engine.url.render_as_string(hide_password=True)
        if before == after:
            typer.echo(f"database at {where} is already at revision {after}")
        else:
            typer.echo(f"database at {where} upgraded from revision {before} to {after}")


@db_app.command("current")
def db_current(db_url: DbUrlOption = None) -> None:
    """Show the database's schema revision and whether it is up to date."""
    with _engine(db_url) as engine:
        current = current_revision(engine)
        head = head_revision()
        where = engine.url.render_as_string(hide_password=True)
        state = "up to date" if current == head else f"expected {head}: run `zjwatch db upgrade`"
        typer.echo(f"database at {where} is at revision {current} ({state})")
        if current != head:
            raise typer.Exit(1)


def history(
    doc: Annotated[str, typer.Argument(help="A document id, a 文号, or a fragment of the title")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON")] = False,
    db_url: DbUrlOption = None,
) -> None:
    """List a stored document's versions and the changes each one brought."""
    with _engine(db_url) as engine:
        ensure_migrated(engine)
        with make_session_factory(engine)() as session:
            matches = find_document(session, doc)
            if not matches:
                raise _fail(
                    f"no stored document matches {doc!r} (try a document id, a 文号 or a title fragment)"
                )
            if len(matches) > 1:
                listing = "\n".join(
                    f"  {m.id}: {m.doc_number or '-'} {m.title or ''} ({m.region or '?'}, {m.status})"
                    for m in matches
                )
                raise _fail(f"{len(matches)} documents match {doc!r}; name one by id:\n{listing}")
            result = document_history(session, matches[0].id)
            linked = {
                other: _short_title(session, other)
                for link in result.links
                for other in (link.from_document_id, link.to_document_id)
                if other != result.document.id
            }
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _print_history(result, linked)


def store_documents(documents: list[Document], db_url: str | None) -> None:
    """Record documents in the store (`--store` of parse and fetch), one line each on stderr.

    A document becomes a new version only when its normalized content changed; the line says
    which, and how many changes the new version brought. stdout is left to the command's output.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    now = datetime.now(UTC)
    with _engine(db_url) as engine:
        ensure_migrated(engine)
        with make_session_factory(engine)() as session:
            for doc in documents:
                where = doc.source.url or doc.source.path or "<input>"
                result = record_document(
                    session, doc, raw_sha256=doc.source.sha256, url=where, fetched_at=now
                )
                name = doc.doc_number or doc.title or "(untitled)"
                if result.status == "unchanged":
                    outcome = f"unchanged (version {result.version_id})"
                elif result.status == "new_document":
                    outcome = f"new document {result.document_id}, version {result.version_id}"
                else:
                    outcome = f"new version {result.version_id}: {len(result.changes)} change(s)"
                err.print(f"stored {escape(name)}: {outcome}")


def _short_title(session: Session, document_id: int) -> str:
    [info] = find_document(session, str(document_id))
    return " ".join(
        part for part in (info.doc_number, info.title, f"({info.region})" if info.region else None) if part
    )


def _print_history(result: DocumentHistory, linked: dict[int, str]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    d = result.document
    console.print(f"[bold]document {d.id}[/bold]: {escape(d.title or '(untitled)')}")
    facts = [d.doc_number, d.issuer, d.region, d.status, f"edition {d.edition}" if d.edition else None]
    console.print("  " + escape(" · ".join(f for f in facts if f)))
    for link in result.links:
        console.print(f"  {escape(_describe_link(link, d.id, linked))}")
    for entry in result.versions:
        v = entry.version
        console.print(
            f"[bold]version {v.id}[/bold] (#{v.seq}) fetched {v.fetched_at:%Y-%m-%d %H:%M} UTC"
            f" from {escape(v.url)}  content {v.content_sha256[:12]}"
        )
        if entry.compared_with_version_id is None:
            console.print("  first version")
            continue
        console.print(f"  {len(entry.changes)} change(s) against version {entry.compared_with_version_id}")
        for stored in entry.changes:
            console.print(f"  [cyan]{stored.change.kind:<20}[/cyan] {escape(stored.change.summary)}")


def _describe_link(link: DocumentLink, document_id: int, linked: dict[int, str]) -> str:
    outgoing = link.from_document_id == document_id
    other = link.to_document_id if outgoing else link.from_document_id
    phrases = {
        ("edition", True): "newer edition: document",
        ("edition", False): "older edition: document",
        ("final", True): "final text: document",
        ("final", False): "draft: document",
        ("cites", True): "cites document",
        ("cites", False): "cited by document",
    }
    return f"{phrases[(link.kind, outgoing)]} {other}: {linked.get(other, '')}"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(db_app, name="db")
    app.command("history")(history)
