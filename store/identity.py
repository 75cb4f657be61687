"""What makes two parses the same document, the same content, or editions of one policy.

The content hash covers only normalized content: normalization has already removed page chrome,
whitespace, full/half width and script differences, and the source and fetch fields (path, URL,
raw-body hash, attachment URLs) are left out, so a re-fetch or a move to a new URL hashes the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Literal

from parsers.schema import Document

LinkKind = Literal["edition", "final", "cites"]

_SPACE = re.compile(r"\s+")
# Edition and status markers in a title: (2026年版), （征求意见稿）, (试行), (修订).
_TITLE_MARKERS = re.compile(
    r"[(（〔\[【][^()（）〔〕\[\]【】]*(?:年版|版|征求意见稿|送审稿|草案|试行|暂行|修订)[)）〕\]】]"
)
# Words that editions of one policy add or drop around the same title: 关于, 进一步, 的, 若干 stays.
_TITLE_FILLERS = re.compile(r"^关于|进一步|的")


def canonical_content(doc: Document) -> dict[str, Any]:
    """The normalized document without source/fetch fields, nor the script it happened to be written in."""
    data = doc.model_dump(mode="json", exclude={"source", "script"})
    data["attachments"] = [{"name": a.name, "sha256": a.sha256} for a in doc.attachments]
    return data


def canonical_json(doc: Document) -> str:
    return json.dumps(canonical_content(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(doc: Document) -> str:
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def _compact(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def series_key(doc: Document) -> str | None:
    """Edition-free, status-free title fingerprint: 2024 draft and 2026年版 of one policy share it."""
    title = _compact(doc.series or doc.title)
    if not title:
        return None
    title = _TITLE_MARKERS.sub("", title)
    title = _TITLE_FILLERS.sub("", title)
    return title or None


def identity_key(doc: Document) -> str:
    """文号 + issuer when there is a 文号; otherwise series (or title), edition, status and region.

    Without a 文号 the edition and status are part of the identity, so a 2026年版 or a final text is
    a new document linked to the old one, not a new version of it.
    """
    if doc.doc_number:
        return f"docno:{_compact(doc.doc_number)}|{_compact(doc.issuer)}"
    title = series_key(doc) or _compact(doc.notice_title)
    if not title:
        raise ValueError("a document needs a 文号, a title or a notice title to be stored")
    return f"title:{title}|{_compact(doc.edition)}|{doc.status}|{_compact(doc.region)}"


def edition_link(older: Document, newer: Document) -> LinkKind | None:
    """How `newer` follows `older` when both share a series key, or None if it does not.

    Different editions link as `edition` (older edition → newer); the same edition as draft → final
    links as `final`. Regions must agree where both are known.
    """
    if series_key(older) is None or series_key(older) != series_key(newer):
        return None
    if older.region and newer.region and older.region != newer.region:
        return None
    if older.edition and newer.edition and older.edition != newer.edition:
        return "edition" if _edition_order(older.edition) < _edition_order(newer.edition) else None
    if older.status == "draft" and newer.status == "final":
        return "final"
    return None


def _edition_order(edition: str) -> tuple[int, str]:
    digits = re.match(r"\d+", edition)
    return (int(digits.group()) if digits else 0, edition)
