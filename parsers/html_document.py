"""Article page + attachment texts -> clause-schema documents.

The body and the extracted attachment texts are parsed together (the attachment is usually the
policy the notice announces); the page's metadata table then fills what the text does not state.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from parsers.article import ArticlePage, AttachmentLink
from parsers.attachments import ExtractedFile
from parsers.metadata import normalize_doc_number, region_and_level
from parsers.pipeline import parse_text
from parsers.schema import Attachment, Document, Source


def attachment_records(links: list[AttachmentLink], files: dict[str, ExtractedFile]) -> list[Attachment]:
    """Every linked file, with hash and type where it was downloaded."""
    records = []
    for link in links:
        got = files.get(link.url)
        records.append(
            Attachment(
                name=link.name,
                url=link.url,
                sha256=got.sha256 if got else None,
                media_type=got.media_type if got else None,
                text_extracted=bool(got and got.text and got.text.strip()),
            )
        )
    return records


_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _repeated_in(body: str, texts: list[str]) -> bool:
    """Whether every line of the body also appears in the attachments (a page that only repeats
    the attached notice's title and number), so parsing it too would yield a duplicate notice."""
    lines = [_key(line) for line in body.splitlines() if not line.lstrip().startswith("附件")]
    lines = [line for line in lines if len(line) >= 4]
    joined = _key("\n".join(texts))
    return bool(lines) and all(line in joined for line in lines)


def combined_text(page: ArticlePage, files: dict[str, ExtractedFile]) -> str:
    """The body followed by each attachment's text, in link order."""
    texts = []
    for link in page.attachments:
        got = files.get(link.url)
        if got is not None and got.text and got.text.strip():
            texts.append(got.text)
    parts = texts if texts and _repeated_in(page.body_text, texts) else [page.body_text, *texts]
    return "\n\n".join(part for part in parts if part.strip())


def _fill(document: Document, page: ArticlePage) -> Document:
    meta = page.metadata
    update: dict[str, Any] = {}
    if document.doc_number is None and meta.doc_number:
        update["doc_number"] = normalize_doc_number(meta.doc_number)
    if document.issuer is None and meta.issuer:
        update["issuer"] = meta.issuer
        if document.region is None:
            update["region"], update["level"] = region_and_level(meta.issuer)
    if document.issued_date is None and (meta.written or meta.generated):
        update["issued_date"] = meta.written or meta.generated
    if page.title:
        if document.notice_title is None and "通知" in page.title and page.title != document.title:
            update["notice_title"] = page.title
        elif document.title is None and document.notice_title is None:
            update["title"] = page.title
    return document.model_copy(update=update) if update else document


def article_documents(page: ArticlePage, raw: bytes, files: dict[str, ExtractedFile]) -> list[Document]:
    """Documents for one article page. `raw` is the page as fetched (hashed into Source);
    `files` maps attachment URL to what was extracted from it. The page's metadata and its
    attachment records go to the first document only."""
    source = Source(url=page.url, sha256=hashlib.sha256(raw).hexdigest())
    attachments = attachment_records(page.attachments, files)
    documents = parse_text(combined_text(page, files), source)
    if not documents:
        documents = [Document(source=source)]
    # The page's links and metadata describe its main (first) document. When the text holds
    # several notices (a gazette issue attached as one PDF), the others keep their own text
    # only: a changed file is one change of the page, not one per notice it holds.
    documents[0] = _fill(documents[0], page).model_copy(update={"attachments": attachments})
    return documents
