"""`zjwatch parse FILE... [--json] [--store]`: normalize notices into the clause schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.tree import Tree

from parsers.pipeline import parse_file
from parsers.reading import InputError
from parsers.schema import Clause, Document, ParseResult
from watcher.commands.db import DbUrlOption, store_documents


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(name="parse")(parse)


def parse(
    files: Annotated[
        list[Path], typer.Argument(help="Notice files: .txt, a saved article page (.html/.htm), .pdf, .docx")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"schema_version": ..., "documents": [...]}')
    ] = False,
    store: Annotated[
        bool, typer.Option("--store", help="Also record the documents in the store (see `zjwatch history`)")
    ] = False,
    db_url: DbUrlOption = None,
) -> None:
    """Parse notices into the clause schema and print an outline (or JSON with --json).

    A file that cannot be read is reported on stderr by name; the others are still parsed, and
    the exit status is 1 if any file failed.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    documents: list[Document] = []
    failed = False
    for path in files:
        try:
            found = parse_file(path)
        except InputError as e:
            err.print(f"[red]error:[/red] {_named(e, path)}", markup=True)
            failed = True
            continue
        except Exception as e:  # a bug must not cost the user the other files' results
            err.print(f"[red]error:[/red] {path}: could not be parsed ({type(e).__name__}: {e})")
            failed = True
            continue
        if not found:
            err.print(f"[yellow]warning:[/yellow] {path}: no notice found in this file")
        documents.extend(found)
    if as_json:
        result = ParseResult(documents=documents)
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        out = Console(highlight=False)
        for doc in documents:
            out.print(outline(doc))
    if store:
        store_documents(documents, db_url)
    if failed:
        raise typer.Exit(code=1)


def _named(e: Exception, path: Path) -> str:
    message = str(e)
    return message if str(path) in message else f"{path}: {message}"


def outline(doc: Document) -> Tree:
    """A readable tree: number, title, dates, then the clauses with leads and amount counts."""
    head = " ".join(x for x in (doc.doc_number, doc.title or doc.notice_title or "(untitled)") if x)
    facts = [
        f"issuer {doc.issuer}" if doc.issuer else None,
        f"issued {doc.issued_date}" if doc.issued_date else None,
        f"printed {doc.printed_date}" if doc.printed_date else None,
        _effective(doc),
        "DRAFT" if doc.status == "draft" else None,
        f"{len(doc.clauses)} clauses",
        f"{len(doc.tables)} tables" if doc.tables else None,
    ]
    root = Tree(f"[bold]{_esc(head)}[/bold]\n[dim]{_esc(' · '.join(f for f in facts if f))}[/dim]")
    nodes: dict[str | None, Tree] = {None: root}
    part_nodes: dict[int, Tree] = {}
    for clause in doc.clauses:
        parent = nodes.get(clause.parent)
        if parent is None or (clause.parent is None and doc.parts):
            if doc.parts and clause.part not in part_nodes:
                part_nodes[clause.part] = root.add(f"[bold]{_esc(doc.parts[clause.part])}[/bold]")
            parent = part_nodes.get(clause.part, root)
        nodes[clause.id] = parent.add(_clause_line(clause))
    for table in doc.tables:
        root.add(f"[dim]table {table.id}: {_esc(table.title or '')} ({len(table.rows)} rows)[/dim]")
    return root


def _effective(doc: Document) -> str | None:
    if doc.effective_from and doc.effective_to:
        return f"effective {doc.effective_from}..{doc.effective_to}"
    if doc.effective_from:
        return f"effective from {doc.effective_from}"
    return f"effective until {doc.effective_to}" if doc.effective_to else None


def _clause_line(c: Clause) -> str:
    text = c.heading or c.text.split("\n", 1)[0]
    line = f"{c.label}{_esc(text[:60])}{'…' if len(text) > 60 else ''}"
    extras = []
    if c.lead:
        extras.append("lead " + "、".join(d.name for d in c.lead))
    if c.leader:
        extras.append("leader " + "、".join(c.leader))
    if c.responsible:
        extras.append(f"{len(c.responsible)} responsible")
    if c.budget:
        extras.append(f"budget {c.budget.raw}")
    if c.amounts:
        extras.append(f"{len(c.amounts)} amounts")
    return line + (f"  [dim]({_esc('; '.join(extras))})[/dim]" if extras else "")


def _esc(s: str) -> str:
    return s.replace("[", "\\[")
