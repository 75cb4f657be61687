"""Reading the store: look-ups, version histories and the change feed, as pydantic models.

Plain functions over a Session; they never write. `store.repository` re-exports them beside
`record_document`, the one write path.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from parsers.schema import Document
from store.changes import Change, ChangeKind
from store.identity import LinkKind
from store.models import ChangeDepartmentRow, ChangeRow, DocumentLinkRow, DocumentRow, VersionRow


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DocumentLink(_Out):
    from_document_id: int
    to_document_id: int
    kind: LinkKind


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


def require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")


def links_of(session: Session, document_id: int) -> list[DocumentLink]:
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


def document_of(version: VersionRow) -> Document:
    return Document.model_validate_json(version.normalized_json)


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
    return document_of(version)


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
    require_aware(since, "since")
    old = aliased(VersionRow)
    stmt = (
        select(ChangeRow, old.document_id)
        .outerjoin(old, old.id == ChangeRow.old_version_id)
        .where(ChangeRow.created_at >= since)
    )
    if until is not None:
        require_aware(until, "until")
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
        document=_document_info(session, row), versions=versions, links=links_of(session, document_id)
    )
