"""Reading and writing the store: plain functions over a Session, pydantic models out.

`record_document` is the one write path. It is atomic: it runs in its own transaction (or in a
savepoint when the caller already has one open), so a failure anywhere leaves no partial version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from parsers.schema import SCHEMA_VERSION, Document
from store.changes import Change, ChangeKind
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

RecordStatus = Literal["new_document", "new_version", "unchanged"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DocumentLink(_Out):
    from_document_id: int
    to_document_id: int
    kind: LinkKind


class RecordResult(_Out):
    status: RecordStatus
    document_id: int
    version_id: int
    seq: int
    compared_with_version_id: int | None = None
    changes: list[Change] = []
    links: list[DocumentLink] = []


class DocumentInfo(_Out):
    id: int
    doc_number: str | None
    issuer: str | None
    region: str | None
    title: str | None
    status: str
    edition: str | None
    series_key: str | None
    version_count: int
    latest_version_id: int | None


class VersionInfo(_Out):
    id: int
    document_id: int
    seq: int
    base_version_id: int | None
    content_sha256: str
    raw_sha256: str
    url: str
    fetched_at: datetime
    change_count: int


class StoredChange(_Out):
    id: int
    document_id: int
    old_version_id: int | None
    old_document_id: int | None = Field(
        description="Document of old_version_id: another document when this diffs a new edition or final text"
    )
    new_version_id: int
    created_at: datetime
    change: Change

    @property
    def across_documents(self) -> bool:
        """True for a diff against a previous edition or draft rather than this document's own last version."""
        return self.old_document_id is not None and self.old_document_id != self.document_id


class VersionHistory(_Out):
    version: VersionInfo
    compared_with_version_id: int | None
    changes: list[StoredChange]


class DocumentHistory(_Out):
    document: DocumentInfo
    versions: list[VersionHistory]
    links: list[DocumentLink]


class NotFoundError(LookupError):
    """No stored document or version answers to the given reference."""


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


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")


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
    _require_aware(fetched_at, "fetched_at")
    if recorded_at is not None:
        _require_aware(recorded_at, "recorded_at")
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
        changes = diff_documents(_document_of(base), doc) if base is not None else []
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
            other_doc = _document_of(other_version)
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
    return _links_of(session, document_id)


def _links_of(session: Session, document_id: int) -> list[DocumentLink]:
    rows = session.scalars(
        select(DocumentLinkRow)
        .where(
            or_(
                DocumentLinkRow.from_document_id == document_id, DocumentLinkRow.to_document_id == document_id
            )
        )
        .order_by(DocumentLinkRow.id)
    )
    return [
        DocumentLink.model_validate(
            {"from_document_id": r.from_document_id, "to_document_id": r.to_document_id, "kind": r.kind}
        )
        for r in rows
    ]


def _predecessor_version(session: Session, document_id: int, links: list[DocumentLink]) -> VersionRow | None:
    """For a new document: the latest version of the edition or draft it follows, to diff against."""
    previous = [
        link.from_document_id for link in links if link.to_document_id == document_id and link.kind != "cites"
    ]
    candidates = [v for v in (_latest_version(session, d) for d in previous) if v is not None]
    return max(candidates, key=lambda v: (v.fetched_at, v.id), default=None)


def _document_of(version: VersionRow) -> Document:
    return Document.model_validate_json(version.normalized_json)


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


def find_document(session: Session, ref: str) -> list[DocumentInfo]:
    """Documents answering to `ref`: a document id, an exact 文号, else a fragment of a title."""
    ref = ref.strip()
    if not ref:
        return []
    if ref.isdigit():
        row = session.get(DocumentRow, int(ref))
        if row is not None:
            return [_document_info(session, row)]
    compact = "".join(ref.split())
    rows = list(
        session.scalars(select(DocumentRow).where(DocumentRow.doc_number == compact).order_by(DocumentRow.id))
    )
    if not rows:
        pattern = f"%{_escape_like(ref)}%"
        rows = list(
            session.scalars(
                select(DocumentRow)
                .where(
                    or_(
                        DocumentRow.title.like(pattern, escape="\\"),
                        DocumentRow.notice_title.like(pattern, escape="\\"),
                        DocumentRow.doc_number.like(pattern, escape="\\"),
                    )
                )
                .order_by(DocumentRow.id)
            )
        )
    return [_document_info(session, row) for row in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _document_info(session: Session, row: DocumentRow) -> DocumentInfo:
    count, latest = session.execute(
        select(func.count(VersionRow.id), func.max(VersionRow.id)).where(VersionRow.document_id == row.id)
    ).one()
    return DocumentInfo(
        id=row.id,
        doc_number=row.doc_number,
        issuer=row.issuer,
        region=row.region,
        title=row.title or row.notice_title,
        status=row.status,
        edition=row.edition,
        series_key=row.series_key,
        version_count=count,
        latest_version_id=latest,
    )


def list_versions(session: Session, document_id: int) -> list[VersionInfo]:
    if session.get(DocumentRow, document_id) is None:
        raise NotFoundError(f"no stored document with id {document_id}")
    counts = (
        select(ChangeRow.new_version_id, func.count(ChangeRow.id).label("n"))
        .group_by(ChangeRow.new_version_id)
        .subquery()
    )
    rows = session.execute(
        select(VersionRow, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.new_version_id == VersionRow.id)
        .where(VersionRow.document_id == document_id)
        .order_by(VersionRow.seq)
    ).all()
    return [
        VersionInfo(
            id=v.id,
            document_id=v.document_id,
            seq=v.seq,
            base_version_id=v.base_version_id,
            content_sha256=v.content_sha256,
            raw_sha256=v.raw_sha256,
            url=v.url,
            fetched_at=v.fetched_at,
            change_count=n,
        )
        for v, n in rows
    ]


def load_version(session: Session, version_id: int) -> Document:
    """The normalized document exactly as stored in version `version_id`."""
    version = session.get(VersionRow, version_id)
    if version is None:
        raise NotFoundError(f"no stored version with id {version_id}")
    return _document_of(version)


def changes_since(
    session: Session,
    since: datetime,
    *,
    until: datetime | None = None,
    department: str | None = None,
    kind: ChangeKind | None = None,
    region: str | None = None,
    keyword: str | None = None,
    limit: int | None = None,
) -> list[StoredChange]:
    """Changes recorded at or after `since` (and before `until`), oldest first, filtered as asked.

    `department` is a canonical department name (exact); `keyword` matches summaries, clause
    headings, document titles and 文号.
    """
    _require_aware(since, "since")
    old = aliased(VersionRow)
    stmt = (
        select(ChangeRow, old.document_id)
        .outerjoin(old, old.id == ChangeRow.old_version_id)
        .where(ChangeRow.created_at >= since)
    )
    if until is not None:
        _require_aware(until, "until")
        stmt = stmt.where(ChangeRow.created_at < until)
    if department:
        by_department = select(ChangeDepartmentRow.change_id).where(
            ChangeDepartmentRow.department == department.strip(), ChangeDepartmentRow.created_at >= since
        )
        if until is not None:
            by_department = by_department.where(ChangeDepartmentRow.created_at < until)
        stmt = stmt.where(ChangeRow.id.in_(by_department))
    if kind:
        stmt = stmt.where(ChangeRow.kind == kind)
    if region or keyword:
        stmt = stmt.join(DocumentRow, DocumentRow.id == ChangeRow.document_id)
    if region:
        stmt = stmt.where(DocumentRow.region == region)
    if keyword:
        pattern = f"%{_escape_like(keyword)}%"
        stmt = stmt.where(
            or_(
                *(
                    column.like(pattern, escape="\\")
                    for column in (
                        ChangeRow.summary,
                        ChangeRow.old_heading,
                        ChangeRow.new_heading,
                        DocumentRow.title,
                        DocumentRow.doc_number,
                    )
                )
            )
        )
    stmt = stmt.order_by(ChangeRow.created_at, ChangeRow.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_stored_change(row, old_document_id) for row, old_document_id in session.execute(stmt)]


def _stored_change(row: ChangeRow, old_document_id: int | None) -> StoredChange:
    return StoredChange(
        id=row.id,
        document_id=row.document_id,
        old_version_id=row.old_version_id,
        old_document_id=old_document_id,
        new_version_id=row.new_version_id,
        created_at=row.created_at,
        change=Change.model_validate_json(row.change_json),
    )


def document_history(session: Session, document_id: int) -> DocumentHistory:
    """A document, every version it has had, and the changes each version brought."""
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(f"no stored document with id {document_id}")
    old = aliased(VersionRow)
    rows = session.execute(
        select(ChangeRow, old.document_id)
        .outerjoin(old, old.id == ChangeRow.old_version_id)
        .where(ChangeRow.document_id == document_id)
        .order_by(ChangeRow.new_version_id, ChangeRow.position)
    ).all()
    by_version: dict[int, list[StoredChange]] = {}
    for change, old_document_id in rows:
        by_version.setdefault(change.new_version_id, []).append(_stored_change(change, old_document_id))
    versions = [
        VersionHistory(
            version=info,
            compared_with_version_id=info.base_version_id,
            changes=by_version.get(info.id, []),
        )
        for info in list_versions(session, document_id)
    ]
    return DocumentHistory(
        document=_document_info(session, row), versions=versions, links=_links_of(session, document_id)
    )
