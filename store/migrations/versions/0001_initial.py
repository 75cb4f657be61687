"""Initial store schema: sources, documents, immutable versions, attachments, changes, links.

Times are stored as naive UTC (store.models.UTCDateTime). Versions are protected against UPDATE by a
trigger on both SQLite and PostgreSQL, beside the ORM guard.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity_key", sa.Text(), nullable=False),
        sa.Column("doc_number", sa.String(length=200), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("notice_title", sa.Text(), nullable=True),
        sa.Column("series_key", sa.Text(), nullable=True),
        sa.Column("edition", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("identity_key", name=op.f("uq_documents_identity_key")),
    )
    op.create_index(op.f("ix_documents_doc_number"), "documents", ["doc_number"], unique=False)
    op.create_index(op.f("ix_documents_region"), "documents", ["region"], unique=False)
    op.create_index(op.f("ix_documents_series_key"), "documents", ["series_key"], unique=False)
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("url", name=op.f("uq_sources_url")),
    )
    op.create_table(
        "citations",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_citations_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", "doc_number", name=op.f("pk_citations")),
    )
    op.create_index(op.f("ix_citations_doc_number"), "citations", ["doc_number"], unique=False)
    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_document_id", sa.Integer(), nullable=False),
        sa.Column("to_document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_document_id"], ["documents.id"], name=op.f("fk_document_links_from_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["to_document_id"], ["documents.id"], name=op.f("fk_document_links_to_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_links")),
        sa.UniqueConstraint(
            "from_document_id",
            "to_document_id",
            "kind",
            name=op.f("uq_document_links_from_document_id_to_document_id_kind"),
        ),
    )
    op.create_index(
        op.f("ix_document_links_from_document_id"), "document_links", ["from_document_id"], unique=False
    )
    op.create_index(
        op.f("ix_document_links_to_document_id"), "document_links", ["to_document_id"], unique=False
    )
    op.create_table(
        "document_sources",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_raw_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_sources_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_document_sources_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("document_id", "source_id", name=op.f("pk_document_sources")),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("schema_version", sa.String(length=20), nullable=False),
        sa.Column("normalized_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_versions_document_id_documents")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_versions_source_id_sources")),
        sa.ForeignKeyConstraint(
            ["base_version_id"], ["versions.id"], name=op.f("fk_versions_base_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("document_id", "seq", name=op.f("uq_versions_document_id_seq")),
    )
    op.create_index(op.f("ix_versions_content_sha256"), "versions", ["content_sha256"], unique=False)
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("media_type", sa.String(length=200), nullable=True),
        sa.Column("text_extracted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_attachments_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_attachments_version_id_position")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("old_version_id", sa.Integer(), nullable=True),
        sa.Column("new_version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("old_clause_id", sa.Text(), nullable=True),
        sa.Column("new_clause_id", sa.Text(), nullable=True),
        sa.Column("old_label", sa.Text(), nullable=True),
        sa.Column("new_label", sa.Text(), nullable=True),
        sa.Column("old_heading", sa.Text(), nullable=True),
        sa.Column("new_heading", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("change_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_changes_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["new_version_id"], ["versions.id"], name=op.f("fk_changes_new_version_id_versions")
        ),
        sa.ForeignKeyConstraint(
            ["old_version_id"], ["versions.id"], name=op.f("fk_changes_old_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
        sa.UniqueConstraint("new_version_id", "position", name=op.f("uq_changes_new_version_id_position")),
    )
    op.create_index("ix_changes_created_at", "changes", ["created_at"], unique=False)
    op.create_index(
        "ix_changes_document_id_created_at", "changes", ["document_id", "created_at"], unique=False
    )
    op.create_table(
        "change_departments",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"], ["changes.id"], name=op.f("fk_change_departments_change_id_changes")
        ),
        sa.PrimaryKeyConstraint("change_id", "department", name=op.f("pk_change_departments")),
    )
    op.create_index(
        "ix_change_departments_department_created_at",
        "change_departments",
        ["department", "created_at"],
        unique=False,
    )
    _create_version_guard()


def downgrade() -> None:
    _drop_version_guard()
    op.drop_index("ix_change_departments_department_created_at", table_name="change_departments")
    op.drop_table("change_departments")
    op.drop_index("ix_changes_document_id_created_at", table_name="changes")
    op.drop_index("ix_changes_created_at", table_name="changes")
    op.drop_table("changes")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_versions_content_sha256"), table_name="versions")
    op.drop_table("versions")
    op.drop_table("document_sources")
    op.drop_index(op.f("ix_document_links_to_document_id"), table_name="document_links")
    op.drop_index(op.f("ix_document_links_from_document_id"), table_name="document_links")
    op.drop_table("document_links")
    op.drop_index(op.f("ix_citations_doc_number"), table_name="citations")
    op.drop_table("citations")
    op.drop_table("sources")
    op.drop_index(op.f("ix_documents_series_key"), table_name="documents")
    op.drop_index(op.f("ix_documents_region"), table_name="documents")
    op.drop_index(op.f("ix_documents_doc_number"), table_name="documents")
    op.drop_table("documents")


def _create_version_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions "
            "BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END"
        )
    else:
        op.execute(
            "CREATE FUNCTION versions_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'versions are immutable'; END $$"
        )
        op.execute(
            "CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions "
            "FOR EACH ROW EXECUTE FUNCTION versions_immutable()"
        )


def _drop_version_guard() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS versions_immutable"
        + ("" if op.get_bind().dialect.name == "sqlite" else " ON versions")
    )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS versions_immutable()")
