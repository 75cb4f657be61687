"""Writing the store, and its public face: `record_document` here, the reads from `store.queries`.

`record_document` is the one write path. It is atomic: it runs in its own transaction (or in a
savepoint when the caller already has one open), so a failure anywhere leaves no partial version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parsers.schema import SCHEMA_VERSION, Document
from store.changes import Change
from store.db import WRITE_INTENT
from store.diff import diff_documents
from store.identity import LinkKind, content_hash, edition_link, identity_key, series_key
from store.models import (
    AttachmentRow,
    ChangeDepartmentRow,
    ChangeRow,
    CitationRow,
    DocumentLinkRow,
    DocumentRow,
    DocumentSourceRow,
    SourceRow,
    VersionRow,
)
from store.queries import (
    DocumentHistory,
    DocumentInfo,
    DocumentLink,
    NotFoundError,
    StoredChange,
    VersionHistory,
    VersionInfo,
    changes_since,
    document_history,
    document_of,
    find_document,
    links_of,
    list_versions,
    load_version,
    require_aware,
)

__all__ = [
    "DocumentHistory",
    "DocumentInfo",
    "DocumentLink",
    "NotFoundError",
    "RecordResult",
    "RecordStatus",
    "StoredChange",
    "VersionHistory",
    "VersionInfo",
    "changes_since",
    "document_history",
    "find_document",
    "list_versions",
    "load_version",
    "record_document",
]

RecordStatus = Literal["new_document", "new_version", "unchanged"]


class RecordResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: RecordStatus
    document_id: int
    version_id: int
    seq: int
    compared_with_version_id: int | None = None
    changes: list[Change] = []
    links: list[DocumentLink] = []


WRITE_ATTEMPTS = 3


@contextmanager
def _atomic(session: Session) -> Iterator[None]:
    if session.in_transaction():
        with session.begin_nested():
            yield
    else:
        with session.begin():
            session.connection(execution_options={WRITE_INTENT: True})
            yield


def record_document(
    session: Session,
    doc: Document,
    *,
    raw_sha256: str,
    url: str,
    fetched_at: datetime,
    recorded_at: datetime | None = None,
) -> RecordResult:
    """Store `doc` as seen at `url`: a new version only if its normalized content changed.

    The version and its changes are stamped `recorded_at` (default: now), which is what
    changes_since filters on: a change recorded after a digest ran is in the next digest even if
    its page was fetched before. Pass it only to backfill history.

    Commits its own transaction, unless the session already has one open: then it works in a
    savepoint and the caller commits. Another writer storing the same document at the same moment
    makes the losing side retry (and usually find its work already done).
    """
    require_aware(fetched_at, "fetched_at")
    if recorded_at is not None:
        require_aware(recorded_at, "recorded_at")
    key = identity_key(doc)
    digest = content_hash(doc)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            stamp = recorded_at or datetime.now(UTC)
            return _record(
                session, doc, key, digest, raw_sha256=raw_sha256, url=url, fetched_at=fetched_at, now=stamp
            )
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _record(
    session: Session,
    doc: Document,
    key: str,
    digest: str,
    *,
    raw_sha256: str,
    url: str,
    fetched_at: datetime,
    now: datetime,
) -> RecordResult:
    with _atomic(session):
        source = _source_for(session, url, fetched_at)
        document = _find_identity(session, key, doc)
        latest = _latest_version(session, document.id) if document is not None else None
        if document is not None and latest is not None and latest.content_sha256 == digest:
            _note_sighting(session, document.id, source.id, raw_sha256, fetched_at)
            return RecordResult(
                status="unchanged", document_id=document.id, version_id=latest.id, seq=latest.seq
            )

        status: RecordStatus = "new_document" if document is None else "new_version"
        if document is None:
            document = DocumentRow(identity_key=key, created_at=now, updated_at=now, status=doc.status)
            session.add(document)
        _mirror_metadata(document, doc, now)
        session.flush()
        _sync_citations(session, document.id, doc)
        links = _link_document(session, document.id, doc, now)
        base = latest if latest is not None else _predecessor_version(session, document.id, links)
        version = VersionRow(
            document_id=document.id,
            seq=latest.seq + 1 if latest is not None else 1,
            base_version_id=base.id if base is not None else None,
            content_sha256=digest,
            raw_sha256=raw_sha256,
            source_id=source.id,
            url=url,
            fetched_at=fetched_at,
            created_at=now,
            schema_version=SCHEMA_VERSION,
            normalized_json=doc.model_dump_json(),
        )
        session.add(version)
        session.flush()
        session.add_all(
            AttachmentRow(
                version_id=version.id,
                position=position,
                name=attachment.name,
                url=attachment.url,
                sha256=attachment.sha256,
                media_type=attachment.media_type,
                text_extracted=attachment.text_extracted,
            )
            for position, attachment in enumerate(doc.attachments)
        )
        _note_sighting(session, document.id, source.id, raw_sha256, fetched_at)
        changes = diff_documents(document_of(base), doc) if base is not None else []
        _record_changes(session, document.id, base, version, changes, now)
        session.flush()
        return RecordResult(
            status=status,
            document_id=document.id,
            version_id=version.id,
            seq=version.seq,
            compared_with_version_id=base.id if base is not None else None,
            changes=changes,
            links=links,
        )


def _find_identity(session: Session, key: str, doc: Document) -> DocumentRow | None:
    """The stored document `doc` is a version of: same identity key, or the same 文号 where one side
    lacks the issuer (a PDF attachment without its header, a page without its metadata table)."""
    document = session.scalars(select(DocumentRow).where(DocumentRow.identity_key == key)).one_or_none()
    if document is not None or not doc.doc_number:
        return document
    same_number = session.scalars(
        select(DocumentRow).where(DocumentRow.doc_number == doc.doc_number).order_by(DocumentRow.id)
    ).all()
    compatible = [row for row in same_number if row.issuer is None or doc.issuer is None]
    return compatible[0] if len(compatible) == 1 else None


def _source_for(session: Session, url: str, seen_at: datetime) -> SourceRow:
    source = session.scalars(select(SourceRow).where(SourceRow.url == url)).one_or_none()
    if source is None:
        source = SourceRow(url=url, first_seen_at=seen_at, last_seen_at=seen_at)
        session.add(source)
        session.flush()
    else:
        source.last_seen_at = max(source.last_seen_at, seen_at)
    return source


def _latest_version(session: Session, document_id: int) -> VersionRow | None:
    return session.scalars(
        select(VersionRow)
        .where(VersionRow.document_id == document_id)
        .order_by(VersionRow.seq.desc())
        .limit(1)
    ).one_or_none()


def _mirror_metadata(row: DocumentRow, doc: Document, now: datetime) -> None:
    row.doc_number = doc.doc_number
    row.issuer = doc.issuer or row.issuer  # a copy without its header does not forget who issued it
    row.region = doc.region
    row.level = doc.level
    row.title = doc.title
    row.notice_title = doc.notice_title
    row.series_key = series_key(doc)
    row.edition = doc.edition
    row.status = doc.status
    row.updated_at = now


def _note_sighting(
    session: Session, document_id: int, source_id: int, raw_sha256: str, seen_at: datetime
) -> None:
    sighting = session.get(DocumentSourceRow, (document_id, source_id))
    if sighting is None:
        session.add(
            DocumentSourceRow(
                document_id=document_id,
                source_id=source_id,
                first_seen_at=seen_at,
                last_seen_at=seen_at,
                last_raw_sha256=raw_sha256,
            )
        )
    elif seen_at >= sighting.last_seen_at:
        sighting.last_seen_at = seen_at
        sighting.last_raw_sha256 = raw_sha256


def _sync_citations(session: Session, document_id: int, doc: Document) -> None:
    session.execute(delete(CitationRow).where(CitationRow.document_id == document_id))
    cited = sorted({number for number in doc.cites if number and number != doc.doc_number})
    session.add_all(CitationRow(document_id=document_id, doc_number=number) for number in cited)
    session.flush()


def _link_document(session: Session, document_id: int, doc: Document, now: datetime) -> list[DocumentLink]:
    """Create the edition, draft → final and citation links that touch this document; return all of them."""
    wanted: list[tuple[int, int, LinkKind]] = []
    key = series_key(doc)
    if key is not None:
        for other in session.scalars(
            select(DocumentRow).where(DocumentRow.series_key == key, DocumentRow.id != document_id)
        ):
            other_version = _latest_version(session, other.id)
            if other_version is None:
                continue
            other_doc = document_of(other_version)
            if kind := edition_link(other_doc, doc):
                wanted.append((other.id, document_id, kind))
            elif kind := edition_link(doc, other_doc):
                wanted.append((document_id, other.id, kind))
    if doc.cites:
        cited = select(DocumentRow.id).where(
            DocumentRow.doc_number.in_(doc.cites), DocumentRow.id != document_id
        )
        wanted.extend((document_id, cited_id, "cites") for cited_id in session.scalars(cited))
    if doc.doc_number:
        citing = select(CitationRow.document_id).where(
            CitationRow.doc_number == doc.doc_number, CitationRow.document_id != document_id
        )
        wanted.extend((citing_id, document_id, "cites") for citing_id in session.scalars(citing))
    for from_id, to_id, kind in wanted:
        exists = session.scalars(
            select(DocumentLinkRow.id).where(
                DocumentLinkRow.from_document_id == from_id,
                DocumentLinkRow.to_document_id == to_id,
                DocumentLinkRow.kind == kind,
            )
        ).first()
        if exists is None:
            session.add(
                DocumentLinkRow(from_document_id=from_id, to_document_id=to_id, kind=kind, created_at=now)
            )
    session.flush()
    return links_of(session, document_id)


def _predecessor_version(session: Session, document_id: int, links: list[DocumentLink]) -> VersionRow | None:
    """For a new document: the latest version of the edition or draft it follows, to diff against."""
    previous = [
        link.from_document_id for link in links if link.to_document_id == document_id and link.kind != "cites"
    ]
    candidates = [v for v in (_latest_version(session, d) for d in previous) if v is not None]
    return max(candidates, key=lambda v: (v.fetched_at, v.id), default=None)


def _record_changes(
    session: Session,
    document_id: int,
    base: VersionRow | None,
    version: VersionRow,
    changes: list[Change],
    recorded_at: datetime,
) -> None:
    rows = [
        ChangeRow(
            document_id=document_id,
            old_version_id=base.id if base is not None else None,
            new_version_id=version.id,
            position=position,
            kind=change.kind,
            old_clause_id=change.old_clause_id,
            new_clause_id=change.new_clause_id,
            old_label=change.old_label,
            new_label=change.new_label,
            old_heading=change.old_heading,
            new_heading=change.new_heading,
            summary=change.summary,
            created_at=recorded_at,
            change_json=change.model_dump_json(),
        )
        for position, change in enumerate(changes)
    ]
    session.add_all(rows)
    session.flush()
    session.add_all(
        ChangeDepartmentRow(change_id=row.id, department=name, created_at=recorded_at)
        for row, change in zip(rows, changes, strict=True)
        for name in sorted({name.strip() for name in change.departments if name.strip()})
    )
