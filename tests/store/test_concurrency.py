"""Several writers storing the same documents at once: one version each, no errors, on both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select
from store_builders import at, provincial_doc

from store.db import make_session_factory
from store.models import DocumentRow, SourceRow, VersionRow
from store.repository import RecordResult, record_document

WRITERS = 6
DOCUMENTS = 4


def test_concurrent_writers_of_the_same_documents_store_each_once(engine: Engine) -> None:
    factory = make_session_factory(engine)
    start = threading.Barrier(WRITERS, timeout=30)

    def writer(n: int) -> list[RecordResult]:
        start.wait()
        results = []
        for d in range(DOCUMENTS):
            doc = provincial_doc().model_copy(update={"doc_number": f"浙政发〔2026〕{d + 1}号"})
            with factory() as session:
                results.append(
                    record_document(
                        session,
                        doc,
                        raw_sha256=f"{n:064d}",
                        url=f"https://example.gov.cn/{d}.html",
                        fetched_at=at(n),
                    )
                )
        return results

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = [f.result(timeout=120) for f in [pool.submit(writer, n) for n in range(WRITERS)]]
    statuses = sorted(r.status for results in outcomes for r in results)
    assert statuses.count("new_document") == DOCUMENTS
    assert statuses.count("unchanged") == DOCUMENTS * (WRITERS - 1)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == DOCUMENTS
        assert session.scalar(select(func.count()).select_from(VersionRow)) == DOCUMENTS
        assert session.scalar(select(func.count()).select_from(SourceRow)) == DOCUMENTS
