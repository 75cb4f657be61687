"""What changed between two versions of a document: the unit that subscriptions match and alerts name."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parsers.schema import Amount

ChangeKind = Literal[
    "clause_added",
    "clause_removed",
    "clause_modified",
    "clause_renumbered",
    "amount_changed",
    "amount_added",
    "amount_removed",
    "qualifier_changed",
    "lead_changed",
    "responsible_changed",
    "metadata_changed",
]

TextOpKind = Literal["equal", "insert", "delete"]


class TextOp(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    op: TextOpKind
    text: str


class Change(BaseModel):
    """One named change. Clause fields are None where a side does not exist (added/removed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ChangeKind
    doc_number: str | None = Field(default=None, description="文号 of the newer side, else the older")
    doc_title: str | None = None
    old_clause_id: str | None = None
    new_clause_id: str | None = None
    old_label: str | None = None
    new_label: str | None = None
    old_heading: str | None = None
    new_heading: str | None = None
    field: str | None = Field(default=None, description="Metadata field name for metadata_changed")
    old_value: str | None = None
    new_value: str | None = None
    old_amount: Amount | None = None
    new_amount: Amount | None = None
    delta: str | None = Field(default=None, description="new - old, decimal string in base units")
    delta_percent: str | None = Field(default=None, description="(new - old) / old * 100, e.g. '50'")
    text_diff: list[TextOp] = Field(default_factory=list, description="Character-level, for clause_modified")
    departments: list[str] = Field(
        default_factory=list, description="Canonical departments of the clause on either side"
    )
    summary: str = Field(
        description="One readable sentence, e.g. '(二): 最高补助 1000万元 → 1500万元 (+50%)'"
    )
