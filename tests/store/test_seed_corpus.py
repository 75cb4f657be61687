"""The five seed notices stored for real: identities, edition and citation links, idempotent re-runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from store_builders import at

from parsers.pipeline import parse_file
from parsers.schema import Document
from store.repository import DocumentLink, RecordResult, document_history, find_document, record_document


@pytest.fixture(scope="module")
def corpus(seed_paths: list[Path]) -> list[tuple[str, Document]]:
    """Every notice of every seed, tagged with its seed number (parsed once: Documents are immutable)."""
    return [(path.name[:3], doc) for path in seed_paths for doc in parse_file(path)]


def store_all(session: Session, docs: list[tuple[str, Document]], day: int) -> dict[str, list[RecordResult]]:
    results: dict[str, list[RecordResult]] = {}
    for n, (seed, doc) in enumerate(docs):
        url = f"https://www.zj.gov.cn/seed/{seed}/{n}.html"
        result = record_document(session, doc, raw_sha256=doc.source.sha256, url=url, fetched_at=at(day))
        results.setdefault(seed, []).append(result)
    return results


@pytest.mark.parametrize("order", ["file order", "reverse order"])
def test_seed_corpus_links_editions_and_citations(
    session: Session, corpus: list[tuple[str, Document]], order: str
) -> None:
    docs = corpus if order == "file order" else corpus[::-1]
    results = store_all(session, docs, day=0)
    assert all(r.status == "new_document" for rs in results.values() for r in rs)
    assert len({r.document_id for rs in results.values() for r in rs}) == len(docs), (
        "every notice is its own document"
    )
    [province], [hangzhou], [draft_2024] = results["000"], results["001"], results["003"]
    links = document_history(session, province.document_id).links
    assert (
        DocumentLink(
            from_document_id=draft_2024.document_id, to_document_id=province.document_id, kind="edition"
        )
        in links
    )
    assert (
        DocumentLink(from_document_id=hangzhou.document_id, to_document_id=province.document_id, kind="cites")
        in links
    )
    assert len(links) == 2
    if order == "file order":
        assert province.compared_with_version_id is None, "the 2024 draft arrives after the 2026 final here"
    else:
        assert province.compared_with_version_id == draft_2024.version_id
        kinds = {c.kind for c in province.changes}
        assert {"clause_added", "clause_removed"} <= kinds, "2024 → 2026 drops and adds measures"
        assert kinds - {"clause_added", "clause_removed"}, "and some measures survive with edits"

    again = store_all(session, corpus, day=1)
    assert all(r.status == "unchanged" for rs in again.values() for r in rs)
    assert [d.id for d in find_document(session, "浙政发〔2026〕6号")] == [province.document_id]
