"""A crash in the middle of record_document leaves nothing behind, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from store_builders import at, provincial_doc

from store import repository
from store.db import make_session_factory
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
from store.repository import record_document

ALL_ROWS = (
    SourceRow,
    DocumentRow,
    DocumentSourceRow,
    VersionRow,
    AttachmentRow,
    ChangeRow,
    ChangeDepartmentRow,
    CitationRow,
    DocumentLinkRow,
)
URL = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_1.html"


class Crash(RuntimeError):
    pass


def counts(engine: Engine) -> dict[str, int]:
    """Row counts read through a fresh session, i.e. what is really committed."""
    with make_session_factory(engine)() as fresh:
        return {
            row.__tablename__: fresh.scalar(select(func.count()).select_from(row)) or 0 for row in ALL_ROWS
        }


def crash_after_version_insert(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the step after the version row is written blow up; returns the version ids it saw."""
    seen: list[int] = []

    def explode(session: Session, document_id: int, base: object, version: VersionRow, *_: object) -> None:
        assert session.get(VersionRow, version.id) is not None, "the version row must exist when we crash"
        seen.append(version.id)
        raise Crash("power cut")

    monkeypatch.setattr(repository, "_record_changes", explode)
    return seen


def test_crash_on_a_first_version_leaves_no_row_at_all(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = crash_after_version_insert(monkeypatch)
    with pytest.raises(Crash):
        record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    assert seen, "the crash must happen after the version insert"
    session.commit()  # a careless caller committing afterwards must not persist a fragment either
    assert set(counts(engine).values()) == {0}


def test_crash_on_a_new_version_keeps_exactly_the_previous_state(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
    before = counts(engine)
    crash_after_version_insert(monkeypatch)
    with pytest.raises(Crash):
        record_document(
            session, provincial_doc(subsidy="1500"), raw_sha256="b" * 64, url=URL, fetched_at=at(1)
        )
    session.commit()
    assert counts(engine) == before
    monkeypatch.undo()
    retry = record_document(
        session, provincial_doc(subsidy="1500"), raw_sha256="b" * 64, url=URL, fetched_at=at(1)
    )
    assert (retry.status, retry.seq) == ("new_version", 2)
    assert retry.changes


def test_crash_inside_a_callers_transaction_rolls_back_only_that_document(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_url = "https://www.hangzhou.gov.cn/art/2026/2/5/art_1_2.html"
    with session.begin():
        kept = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=URL, fetched_at=at(0))
        crash_after_version_insert(monkeypatch)
        doc = provincial_doc().model_copy(update={"doc_number": "杭政〔2026〕1号", "region": "杭州市"})
        with pytest.raises(Crash):
            record_document(session, doc, raw_sha256="b" * 64, url=other_url, fetched_at=at(1))
    after = counts(engine)
    assert (after["documents"], after["versions"], after["sources"]) == (1, 1, 1)
    assert session.get(VersionRow, kept.version_id) is not None
