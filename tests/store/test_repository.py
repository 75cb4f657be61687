"""record_document, reading back, and the change queries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import at, provincial_doc

from parsers.schema import Attachment
from store.identity import content_hash
from store.models import (
    AttachmentRow,
    ChangeDepartmentRow,
    ChangeRow,
    DocumentSourceRow,
    ImmutableVersionError,
    SourceRow,
    VersionRow,
)
from store.repository import (
    NotFoundError,
    changes_since,
    document_history,
    find_document,
    list_versions,
    load_version,
    record_document,
)

URL = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_1.html"


def count(session: Session, row: type) -> int:
    return session.scalar(select(func.count()).select_from(row)) or 0


def test_first_sighting_stores_a_version_that_reads_back_exactly(session: Session) -> None:
    doc = provincial_doc()
    result = record_document(session, doc, raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    assert result.status == "new_document"
    assert (result.seq, result.changes, result.compared_with_version_id) == (1, [], None)
    assert load_version(session, result.version_id) == doc
    [info] = list_versions(session, result.document_id)
    assert (info.content_sha256, info.raw_sha256, info.url, info.fetched_at) == (
        content_hash(doc),
        "a" * 64,
        URL,
        at(0),
    )


def test_refetch_with_a_different_raw_body_but_same_content_is_not_a_version(session: Session) -> None:
    first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    again = record_document(session, provincial_doc(), raw_sha256="b" * 64, url=URL, fetched_at=at(1))
    assert again.status == "unchanged"
    assert again.version_id == first.version_id
    assert count(session, VersionRow) == 1
    sighting = session.get(DocumentSourceRow, (first.document_id, 1))
    assert sighting is not None
    assert (sighting.last_seen_at, sighting.last_raw_sha256) == (at(1), "b" * 64)


def test_same_document_at_a_new_url_is_recognised_by_doc_number_and_issuer(session: Session) -> None:
    moved = "https://www.zj.gov.cn/col/col1229019364/art/2026/art_0123456789abcdef0123456789abcdef.html"
    first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    again = record_document(
        session, provincial_doc(url=moved), raw_sha256="c" * 64, url=moved, fetched_at=at(2)
    )
    assert (again.status, again.document_id, again.version_id) == (
        "unchanged",
        first.document_id,
        first.version_id,
    )
    assert count(session, SourceRow) == 2
    assert count(session, DocumentSourceRow) == 2


def test_a_content_change_makes_a_version_and_persists_its_changes(session: Session) -> None:
    first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    before = datetime.now(UTC)
    second = record_document(
        session, provincial_doc(subsidy="1500"), raw_sha256="b" * 64, url=URL, fetched_at=at(3)
    )
    assert (second.status, second.seq, second.compared_with_version_id) == (
        "new_version",
        2,
        first.version_id,
    )
    assert second.changes, "a changed amount must produce at least one change"
    assert all(c.new_clause_id == "一" for c in second.changes)
    stored = changes_since(session, at(0))
    assert [s.change for s in stored] == second.changes
    assert {(s.old_version_id, s.new_version_id) for s in stored} == {(first.version_id, second.version_id)}
    assert {(s.old_document_id, s.across_documents) for s in stored} == {(first.document_id, False)}
    assert all(before <= s.created_at <= datetime.now(UTC) for s in stored), "stamped when recorded"
    assert session.scalars(select(ChangeDepartmentRow.department).distinct()).all() == ["省科技厅"]
    assert [v.change_count for v in list_versions(session, first.document_id)] == [0, len(second.changes)]


def test_changes_since_filters_by_time_department_kind_region_and_keyword(session: Session) -> None:
    record_document(
        session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0), recorded_at=at(0)
    )
    amount = record_document(
        session,
        provincial_doc(subsidy="1500"),
        raw_sha256="b" * 64,
        url=URL,
        fetched_at=at(0),
        recorded_at=at(3),
    )
    added = record_document(
        session,
        provincial_doc(subsidy="1500", extra_clause=True),
        raw_sha256="c" * 64,
        url=URL,
        fetched_at=at(0),
        recorded_at=at(10),
    )
    assert [c.kind for c in added.changes] == ["clause_added"]

    def ids(**filters: object) -> set[int]:
        since = filters.pop("since", at(0))
        return {s.new_version_id for s in changes_since(session, since, **filters)}  # type: ignore[arg-type]

    assert ids() == {amount.version_id, added.version_id}
    assert ids(since=at(5)) == {added.version_id}
    assert ids(until=at(5)) == {amount.version_id}
    assert ids(department="省科技厅") == {amount.version_id}
    assert ids(department="省商务厅") == {added.version_id}
    assert ids(department="省教育厅") == set()
    assert ids(kind="clause_added") == {added.version_id}
    assert ids(region="浙江省") == {amount.version_id, added.version_id}
    assert ids(region="杭州市") == set()
    assert ids(keyword="提振消费") == {added.version_id}
    assert ids(keyword="浙政发〔2026〕6号") == {amount.version_id, added.version_id}
    assert ids(keyword="100%_") == set(), "LIKE wildcards in a keyword are taken literally"
    with pytest.raises(ValueError, match="timezone-aware"):
        changes_since(session, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="recorded_at must be timezone-aware"):
        record_document(
            session,
            provincial_doc(),
            raw_sha256="d" * 64,
            url=URL,
            fetched_at=at(0),
            recorded_at=datetime(2026, 1, 1),
        )


def test_history_and_lookup_by_id_doc_number_and_title_fragment(session: Session) -> None:
    first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    record_document(session, provincial_doc(subsidy="1500"), raw_sha256="b" * 64, url=URL, fetched_at=at(3))
    for ref in (str(first.document_id), "浙政发〔2026〕6号", " 浙政发 〔2026〕6号", "高质量发展"):
        assert [d.id for d in find_document(session, ref)] == [first.document_id], ref
    assert find_document(session, "不存在的政策") == []
    history = document_history(session, first.document_id)
    assert [v.version.seq for v in history.versions] == [1, 2]
    assert history.versions[0].compared_with_version_id is None
    assert history.versions[1].compared_with_version_id == first.version_id
    assert history.versions[1].changes
    with pytest.raises(NotFoundError):
        document_history(session, 999)
    with pytest.raises(NotFoundError):
        load_version(session, 999)


def test_stored_versions_cannot_be_modified_or_deleted(session: Session) -> None:
    result = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    version = session.get(VersionRow, result.version_id)
    assert version is not None
    version.normalized_json = "{}"
    with pytest.raises(ImmutableVersionError):
        session.flush()
    session.rollback()
    version = session.get(VersionRow, result.version_id)
    session.delete(version)
    with pytest.raises(ImmutableVersionError):
        session.flush()


def test_naive_fetch_time_is_rejected_before_anything_is_written(session: Session) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        record_document(
            session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=datetime(2026, 2, 3)
        )
    assert count(session, VersionRow) == 0
    assert count(session, ChangeRow) == 0


def test_attachments_are_stored_with_their_version(session: Session) -> None:
    files = [
        Attachment(
            name="附件1.pdf", url="https://www.zj.gov.cn/module/download/downfile.jsp?f=a1", sha256="1" * 64
        ),
        Attachment(
            name="附件2.docx", url="https://www.zj.gov.cn/module/download/downfile.jsp?f=a2", sha256="2" * 64
        ),
    ]
    first = record_document(
        session,
        provincial_doc().model_copy(update={"attachments": files}),
        raw_sha256="a" * 64,
        url=URL,
        fetched_at=at(0),
    )
    version = session.get(VersionRow, first.version_id)
    assert version is not None
    assert [(a.position, a.name, a.sha256) for a in version.attachments] == [
        (0, "附件1.pdf", "1" * 64),
        (1, "附件2.docx", "2" * 64),
    ]
    moved = [f.model_copy(update={"url": f.url.replace("f=", "file=")}) for f in files]
    same = record_document(
        session,
        provincial_doc().model_copy(update={"attachments": moved}),
        raw_sha256="b" * 64,
        url=URL,
        fetched_at=at(1),
    )
    assert same.status == "unchanged", "an attachment served from a new link is the same content"
    replaced = [files[0], files[1].model_copy(update={"sha256": "3" * 64})]
    changed = record_document(
        session,
        provincial_doc().model_copy(update={"attachments": replaced}),
        raw_sha256="c" * 64,
        url=URL,
        fetched_at=at(2),
    )
    assert changed.status == "new_version", "a different attachment file is new content"
    assert count(session, AttachmentRow) == 4


def test_a_copy_without_its_issuer_is_still_the_same_document(session: Session) -> None:
    pdf_url = "https://www.zj.gov.cn/module/download/downfile.jsp?filename=6.pdf"
    first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    headless = provincial_doc(subsidy="1500").model_copy(update={"issuer": None})
    second = record_document(session, headless, raw_sha256="b" * 64, url=pdf_url, fetched_at=at(1))
    assert (second.status, second.document_id) == ("new_version", first.document_id)
    other_issuer = provincial_doc().model_copy(update={"issuer": "浙江省人民政府办公厅"})
    third = record_document(session, other_issuer, raw_sha256="c" * 64, url=URL, fetched_at=at(2))
    assert third.status == "new_document", "a different issuer with the same number is a different document"
