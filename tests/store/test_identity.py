"""Identity keys, content hashes and edition links as pure functions."""

from __future__ import annotations

import pytest
from store_builders import provincial_doc

from parsers.schema import Attachment, Document, Source
from store.identity import content_hash, edition_link, identity_key, series_key


def test_hash_ignores_where_and_how_the_document_was_fetched() -> None:
    doc = provincial_doc()
    elsewhere = doc.model_copy(
        update={
            "source": Source(path="/tmp/page.html", url="https://mirror.example/x.html", sha256="f" * 64),
            "attachments": [],
        }
    )
    assert content_hash(elsewhere) == content_hash(doc)
    assert content_hash(doc.model_copy(update={"script": "traditional"})) == content_hash(doc)
    one = doc.model_copy(
        update={"attachments": [Attachment(name="附件1.pdf", url="https://a/1.pdf", sha256="1" * 64)]}
    )
    moved = doc.model_copy(
        update={"attachments": [Attachment(name="附件1.pdf", url="https://b/dl.jsp?f=1", sha256="1" * 64)]}
    )
    assert content_hash(one) == content_hash(moved)


@pytest.mark.parametrize(
    "update",
    [
        {"status": "draft"},
        {"effective_to": "2027-12-31"},
        {"cites": ["国发〔2025〕1号"]},
        {"preamble": "为深入贯彻落实……制定以下政策。"},
    ],
)
def test_hash_changes_with_any_normalized_content(update: dict[str, object]) -> None:
    doc = provincial_doc()
    changed = Document.model_validate({**doc.model_dump(), **update})
    assert content_hash(changed) != content_hash(doc)


def test_hash_changes_with_clause_text_amounts_and_departments() -> None:
    base = content_hash(provincial_doc())
    assert content_hash(provincial_doc(subsidy="1500")) != base
    assert content_hash(provincial_doc(lead="省教育厅")) != base
    assert content_hash(provincial_doc(extra_clause=True)) != base


def test_identity_is_doc_number_and_issuer_when_there_is_a_doc_number() -> None:
    doc = provincial_doc()
    assert identity_key(doc) == identity_key(doc.model_copy(update={"title": "另一个标题", "edition": None}))
    assert identity_key(doc) != identity_key(doc.model_copy(update={"issuer": "浙江省人民政府办公厅"}))
    assert identity_key(doc) != identity_key(doc.model_copy(update={"doc_number": "浙政发〔2026〕7号"}))


def test_without_doc_number_edition_status_and_region_separate_documents() -> None:
    draft = provincial_doc().model_copy(update={"doc_number": None, "status": "draft"})
    assert identity_key(draft) != identity_key(draft.model_copy(update={"status": "final"}))
    assert identity_key(draft) != identity_key(draft.model_copy(update={"edition": "2024"}))
    assert identity_key(draft) != identity_key(draft.model_copy(update={"region": "杭州市"}))
    assert identity_key(draft) == identity_key(draft.model_copy(update={"source": Source(sha256="9" * 64)}))
    with pytest.raises(ValueError, match="文号"):
        identity_key(Document(source=Source(sha256="0" * 64)))


@pytest.mark.parametrize(
    "title",
    [
        "推动经济高质量发展若干政策(2026年版)",
        "关于进一步推动经济高质量发展的若干政策（征求意见稿）",
        "推动经济高质量发展若干政策（2024年版）",
        "推动经济高质量发展 若干政策",
    ],
)
def test_series_key_drops_edition_status_and_filler_words(title: str) -> None:
    doc = Document(title=title, source=Source(sha256="0" * 64))
    assert series_key(doc) == "推动经济高质量发展若干政策"


def test_edition_links() -> None:
    def doc(**fields: object) -> Document:
        return Document.model_validate(
            {
                "title": "推动经济高质量发展若干政策",
                "region": "浙江省",
                "source": {"sha256": "0" * 64},
                **fields,
            }
        )

    assert edition_link(doc(edition="2024"), doc(edition="2026")) == "edition"
    assert edition_link(doc(edition="2026"), doc(edition="2024")) is None
    assert edition_link(doc(status="draft"), doc()) == "final"
    assert edition_link(doc(status="draft", edition="2024"), doc(edition="2026")) == "edition"
    assert edition_link(doc(), doc(status="draft")) is None
    assert edition_link(doc(edition="2024"), doc(edition="2026", region="杭州市")) is None
    assert edition_link(doc(edition="2024"), doc(edition="2026", title="促进消费若干政策")) is None
