"""The clause schema: one normalized shape for every Zhejiang notice.

Everything downstream (store, diff, subscriptions, alerts) reads these models and nothing else.
`docs/clause-schema.json` is generated from them (`python -m parsers.schema > docs/clause-schema.json`)
and versioned with `SCHEMA_VERSION`: bump the minor version for an added optional field, the major
version for anything that changes the meaning of stored data.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Level = Literal["province", "city", "county"]
Status = Literal["final", "draft"]
Script = Literal["simplified", "traditional"]
AmountKind = Literal["money", "percent", "quantity"]
Qualifier = Literal["max", "min", "approx"]
AmountRole = Literal["subsidy", "award", "budget", "target"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Amount(_Model):
    """A number the text commits to: "最高可给予1000万元补助" -> value "10000000", unit "CNY", max, subsidy."""

    raw: str = Field(description="As written in the normalized text, e.g. '最高可给予1000万元'")
    kind: AmountKind
    value: str = Field(description="Decimal string in base units: yuan for money, '3.35' for 3.35%")
    unit: str = Field(description="CNY, USD, %, 个, 家, 亩, 公里, 人, ...")
    qualifier: Qualifier | None = None
    role: AmountRole | None = None


class Department(_Model):
    """A government unit, canonical through the alias table, keeping how the text wrote it."""

    name: str = Field(description="Canonical name, e.g. 省人力社保厅")
    written: str = Field(description="As written, e.g. 省人社保厅")


class Clause(_Model):
    """One numbered (or itemized) unit of a policy, in document order."""

    id: str = Field(description="Stable within the document, built from the labels on the path, e.g. '二/七'")
    label: str = Field(
        description="Label as written, normalized: '一、', '(二)', '1.', '①', '第三条'; '' if none"
    )
    number: int = Field(
        description="The label's ordinal (一 -> 1, (十二) -> 12); position among siblings if none"
    )
    level: int = Field(ge=1, description="1 = top level")
    parent: str | None = Field(description="id of the enclosing clause")
    part: int = Field(default=0, ge=0, description="Index into Document.parts for multi-part documents")
    heading: str = Field(description="The title sentence, e.g. '推动高等教育整体性跃升'; '' if none")
    text: str = Field(description="Normalized full text of this clause, without its children")
    lead: list[Department] = Field(default_factory=list, description="From '(由省科技厅牵头)'")
    responsible: list[Department] = Field(default_factory=list, description="From '责任单位:'")
    leader: list[str] = Field(default_factory=list, description="牵头领导 where named")
    budget: Amount | None = Field(default=None, description="'省财政预算安排212.26亿元' for a section")
    amounts: list[Amount] = Field(default_factory=list)


class Table(_Model):
    """A table kept as a table (not mistaken for clauses)."""

    id: str
    title: str | None = None
    after: str | None = Field(default=None, description="id of the clause the table follows")
    rows: list[list[str]]


class Source(_Model):
    path: str | None = None
    url: str | None = None
    sha256: str = Field(description="sha256 of the raw input bytes")


class Attachment(_Model):
    """A file linked from an article page (filled by the fetch stage)."""

    name: str
    url: str
    sha256: str | None = None
    media_type: str | None = None
    text_extracted: bool = False


class Document(_Model):
    """One notice: metadata plus its clause tree (a flat list with parent links)."""

    doc_number: str | None = Field(default=None, description="Normalized 文号, e.g. 浙政发〔2021〕20号")
    issuer: str | None = None
    region: str | None = Field(default=None, description="浙江省, 杭州市, ...")
    level: Level | None = None
    issued_date: date | None = None
    printed_date: date | None = Field(default=None, description="印发 date where given")
    title: str | None = Field(default=None, description="The policy's own title")
    notice_title: str | None = Field(default=None, description="The 关于印发…的通知 wrapper title")
    status: Status = "final"
    effective_from: date | None = None
    effective_to: date | None = None
    series: str | None = Field(default=None, description="Edition-free title, links 2024 and 2026年版")
    edition: str | None = Field(default=None, description="'2026' for (2026年版); the year for dated drafts")
    cites: list[str] = Field(default_factory=list, description="Document numbers referenced in the text")
    script: Script = "simplified"
    source: Source
    parts: list[str] = Field(default_factory=list, description="Titles of attached parts, when several")
    preamble: str = Field(default="", description="Normalized text before the first clause")
    clauses: list[Clause] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)


class ParseResult(_Model):
    schema_version: str = SCHEMA_VERSION
    documents: list[Document]


def json_schema() -> dict[str, object]:
    schema = ParseResult.model_json_schema()
    schema["$id"] = f"https://zjwatch.invalid/clause-schema/{SCHEMA_VERSION}"
    schema["title"] = f"zjwatch clause schema {SCHEMA_VERSION}"
    return schema


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
