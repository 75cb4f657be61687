"""`zjwatch diff OLD NEW [--json]`: what changed, clause by clause, between two versions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from parsers.pipeline import parse_file
from parsers.reading import InputError as ParseInputError
from parsers.schema import Document
from store.changes import Change, TextOp
from store.db import make_session_factory
from store.diff import diff_documents, pair_documents
from store.migrate import ensure_migrated
from store.repository import NotFoundError, load_version
from watcher.commands.db import StoreUnavailable, open_database

CONTEXT_CHARS = 12
KIND_STYLES = {
    "clause_added": "green",
    "clause_removed": "red",
    "clause_modified": "yellow",
    "clause_renumbered": "blue",
    "amount_changed": "magenta",
    "amount_added": "magenta",
    "amount_removed": "magenta",
    "qualifier_changed": "magenta",
    "lead_changed": "cyan",
    "responsible_changed": "cyan",
    "metadata_changed": "bold",
}


class InputError(Exception):
    """OLD or NEW cannot be read; the message says which and why."""


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("diff")(diff)


def diff(
    old: Annotated[
        str, typer.Argument(help="Older version: a file `zjwatch parse` reads, or a stored version id")
    ],
    new: Annotated[str, typer.Argument(help="Newer version: a file or a stored version id")],
    as_json: Annotated[bool, typer.Option("--json", help='Print {"changes": [...]} as JSON')] = False,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db-url", help="Database for version ids (default: $ZJWATCH_DB_URL or the data directory)"
        ),
    ] = None,
) -> None:
    """Show what changed between two versions of a policy, clause by clause."""
    try:
        old_docs, new_docs = _load(old, db_url), _load(new, db_url)
    except InputError as exc:
        raise _fail(str(exc)) from None
    pairs, old_left, new_left = pair_documents(old_docs, new_docs)
    if not pairs:
        raise _fail(
            f"nothing pairs: no document in {old} shares a 文号, series or title with one in {new}\n"
            f"  {old}: {_titles(old_docs)}\n  {new}: {_titles(new_docs)}"
        )
    results = [(a, b, diff_documents(a, b)) for a, b in pairs]
    if as_json:
        changes = [c.model_dump(mode="json") for _, _, found in results for c in found]
        typer.echo(json.dumps({"changes": changes}, ensure_ascii=False, indent=2))
    else:
        _report(results)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for doc in old_left:
        err.print(f"note: only in {escape(old)}: {escape(_title(doc))}")
    for doc in new_left:
        err.print(f"note: only in {escape(new)}: {escape(_title(doc))}")


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(2)


def _load(ref: str, db_url: str | None) -> list[Document]:
    path = Path(ref)
    if path.exists() or not ref.isdigit():
        if path.is_dir():
            raise InputError(f"{ref}: is a directory (give a file or a stored version id)")
        if not path.is_file():
            raise InputError(f"{ref}: no such file (give a file or a stored version id)")
        try:
            docs = parse_file(path)
        except ParseInputError as exc:  # its message already names the file
            raise InputError(str(exc)) from None
        except OSError as exc:
            raise InputError(f"{ref}: cannot be read: {exc.strerror or exc}") from None
        if not docs:
            raise InputError(f"{ref}: no document found in this file")
        return docs
    return [_stored(int(ref), db_url)]


def _stored(version_id: int, db_url: str | None) -> Document:
    try:
        with open_database(db_url) as engine:
            ensure_migrated(engine)
            with make_session_factory(engine)() as session:
                return load_version(session, version_id)
    except (StoreUnavailable, NotFoundError) as exc:
        raise InputError(f"version {version_id}: {exc}") from None


def _title(doc: Document) -> str:
    return " ".join(x for x in (doc.doc_number, doc.title or doc.notice_title) if x) or "(untitled document)"


def _titles(docs: Sequence[Document]) -> str:
    return "; ".join(_title(d) for d in docs)


def _report(results: list[tuple[Document, Document, list[Change]]]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    for old, new, changes in results:
        console.print(Text(_title(new), style="bold"))
        if _title(old) != _title(new):
            console.print(Text(f"  compared with {_title(old)}"))
        if not changes:
            console.print("  no changes")
            continue
        counts = Counter(c.kind for c in changes)
        console.print("  " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        for change in changes:
            line = Text("  ")
            line.append(f"{change.kind:<20}", style=KIND_STYLES[change.kind])
            line.append(" " + change.summary)
            console.print(line)
            if change.text_diff:
                console.print(_render_ops(change.text_diff))


def _render_ops(ops: Sequence[TextOp]) -> Text:
    """Edits in full, unchanged runs cut to a little context: ….原文[-删-]{+增+}原文…"""
    text = Text("      ")
    for k, op in enumerate(ops):
        if op.op == "delete":
            text.append(f"[-{_one_line(op.text)}-]", style="red strike")
        elif op.op == "insert":
            text.append(f"{{+{_one_line(op.text)}+}}", style="green")
        else:
            head = op.text[:CONTEXT_CHARS] if k > 0 else ""
            tail = op.text[-CONTEXT_CHARS:] if k < len(ops) - 1 else ""
            shown = op.text if len(op.text) <= 2 * CONTEXT_CHARS + 1 else f"{head}…{tail}"
            text.append(_one_line(shown), style="dim")
    return text


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", " ⏎ ")
