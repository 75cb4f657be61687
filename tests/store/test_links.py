"""Editions, draft → final and city → province links, whichever document arrives first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session
from store_builders import at, provincial_doc

from parsers.schema import Document
from store.repository import DocumentLink, changes_since, document_history, record_document


def edition_2024() -> Document:
    doc = provincial_doc(subsidy="800")
    return doc.model_copy(
        update={
            "doc_number": "浙政发〔2024〕3号",
            "edition": "2024",
            "title": "推动经济高质量发展若干政策(2024年版)",
        }
    )


def draft_2026() -> Document:
    return provincial_doc(subsidy="900").model_copy(
        update={
            "doc_number": None,
            "status": "draft",
            "title": "推动经济高质量发展若干政策(2026年版)(征求意见稿)",
        }
    )


def hangzhou() -> Document:
    return provincial_doc(lead="市科技局").model_copy(
        update={
            "doc_number": "杭政〔2026〕2号",
            "issuer": "杭州市人民政府",
            "region": "杭州市",
            "level": "city",
            "title": "关于推动经济高质量发展的若干政策(2026年版)",
            "cites": ["浙政发〔2026〕6号"],
        }
    )


def record(session: Session, doc: Document, n: int) -> tuple[int, int, int | None, int]:
    r = record_document(
        session, doc, raw_sha256=f"{n:064d}", url=f"https://example.gov.cn/{n}.html", fetched_at=at(n)
    )
    return r.document_id, r.version_id, r.compared_with_version_id, len(r.changes)


def test_new_edition_is_linked_and_diffed_against_the_previous_edition(session: Session) -> None:
    old_id, old_version, _, _ = record(session, edition_2024(), 0)
    new_id, _, compared, n_changes = record(session, provincial_doc(), 1)
    assert new_id != old_id
    assert compared == old_version
    assert n_changes > 0
    stored = changes_since(session, at(0) - timedelta(days=1))
    assert len(stored) == n_changes
    assert all(s.across_documents and (s.old_document_id, s.document_id) == (old_id, new_id) for s in stored)
    assert document_history(session, new_id).links == [
        DocumentLink(from_document_id=old_id, to_document_id=new_id, kind="edition")
    ]


def test_an_older_edition_found_later_is_linked_but_not_diffed(session: Session) -> None:
    new_id, _, _, _ = record(session, provincial_doc(), 0)
    old_id, _, compared, _ = record(session, edition_2024(), 1)
    assert compared is None
    assert document_history(session, old_id).links == [
        DocumentLink(from_document_id=old_id, to_document_id=new_id, kind="edition")
    ]


def test_draft_then_final_are_linked(session: Session) -> None:
    draft_id, draft_version, _, _ = record(session, draft_2026(), 0)
    final_id, _, compared, _ = record(session, provincial_doc(), 1)
    assert final_id != draft_id
    assert compared == draft_version
    assert document_history(session, final_id).links == [
        DocumentLink(from_document_id=draft_id, to_document_id=final_id, kind="final")
    ]


def test_city_document_is_linked_to_the_provincial_one_it_cites_in_either_order(session: Session) -> None:
    province_id, _, _, _ = record(session, provincial_doc(), 0)
    city_id, _, compared, _ = record(session, hangzhou(), 1)
    assert compared is None, "a city document is not a version of the provincial one"
    expected = [DocumentLink(from_document_id=city_id, to_document_id=province_id, kind="cites")]
    assert document_history(session, city_id).links == expected
    assert document_history(session, province_id).links == expected


def test_provincial_document_arriving_after_the_city_one_gets_linked(session: Session) -> None:
    city_id, _, _, _ = record(session, hangzhou(), 0)
    province_id, _, _, _ = record(session, provincial_doc(), 1)
    assert document_history(session, province_id).links == [
        DocumentLink(from_document_id=city_id, to_document_id=province_id, kind="cites")
    ]
    again = record_document(
        session,
        provincial_doc(subsidy="1500"),
        raw_sha256="9" * 64,
        url="https://example.gov.cn/1.html",
        fetched_at=at(2),
    )
    assert again.links == document_history(session, province_id).links, "links are not duplicated"
