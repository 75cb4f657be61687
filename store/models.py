"""Tables of the store. Created only by the Alembic migrations in store/migrations/, never by create_all.

Versions are immutable: the ORM refuses to update or delete them (and the database itself refuses
updates through a trigger created by the migrations).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both SQLite (which drops zones) and PostgreSQL: stored naive, in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store: pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SourceRow(Base):
    """A URL where documents were found."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocumentRow(Base):
    """One document's identity; its metadata columns mirror the latest version for searching."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_key: Mapped[str] = mapped_column(Text, unique=True)
    doc_number: Mapped[str | None] = mapped_column(String(200), index=True)
    issuer: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    level: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    notice_title: Mapped[str | None] = mapped_column(Text)
    series_key: Mapped[str | None] = mapped_column(Text, index=True)
    edition: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    versions: Mapped[list[VersionRow]] = relationship(
        back_populates="document", order_by="VersionRow.seq", passive_deletes=True
    )


class DocumentSourceRow(Base):
    """Where (and when) a document was seen: the same document at a new URL adds a row here, not a version."""

    __tablename__ = "document_sources"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_raw_sha256: Mapped[str] = mapped_column(String(64))


class VersionRow(Base):
    """One immutable normalized version of a document."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    seq: Mapped[int] = mapped_column(Integer, doc="1 for the first version of the document")
    base_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id"),
        doc="The version this one was diffed against (a previous edition for a first version)",
    )
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    schema_version: Mapped[str] = mapped_column(String(20))
    normalized_json: Mapped[str] = mapped_column(Text)

    document: Mapped[DocumentRow] = relationship(back_populates="versions")
    attachments: Mapped[list[AttachmentRow]] = relationship(order_by="AttachmentRow.position")


class AttachmentRow(Base):
    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    media_type: Mapped[str | None] = mapped_column(String(200))
    text_extracted: Mapped[bool] = mapped_column(default=False)


class ChangeRow(Base):
    """One store.changes.Change between two versions (old_version_id is None for a first version)."""

    __tablename__ = "changes"
    __table_args__ = (
        UniqueConstraint("new_version_id", "position"),
        Index("ix_changes_created_at", "created_at"),
        Index("ix_changes_document_id_created_at", "document_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    old_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    new_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    old_clause_id: Mapped[str | None] = mapped_column(Text)
    new_clause_id: Mapped[str | None] = mapped_column(Text)
    old_label: Mapped[str | None] = mapped_column(Text)
    new_label: Mapped[str | None] = mapped_column(Text)
    old_heading: Mapped[str | None] = mapped_column(Text)
    new_heading: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), doc="When the change was recorded")
    change_json: Mapped[str] = mapped_column(Text)


class ChangeDepartmentRow(Base):
    """Departments a change concerns, with the change's time copied in so a (department, time) index serves."""

    __tablename__ = "change_departments"
    __table_args__ = (Index("ix_change_departments_department_created_at", "department", "created_at"),)

    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id"), primary_key=True)
    department: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CitationRow(Base):
    """Document numbers the latest version of a document cites (kept to link documents that arrive later)."""

    __tablename__ = "citations"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    doc_number: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class DocumentLinkRow(Base):
    """An edge between documents: `edition` older → newer, `final` draft → final, `cites` citing → cited."""

    __tablename__ = "document_links"
    __table_args__ = (UniqueConstraint("from_document_id", "to_document_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    to_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ImmutableVersionError(RuntimeError):
    """A stored version (or its attachments) was about to be modified."""


def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    raise ImmutableVersionError(f"{type(target).__name__} {target.id} is immutable")


for _immutable in (VersionRow, AttachmentRow):
    event.listen(_immutable, "before_update", _refuse_change)
    event.listen(_immutable, "before_delete", _refuse_change)
