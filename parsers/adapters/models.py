"""Shapes shared by the listing adapters: what a listing page yields and how to ask for the next one."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ParseErrorKind = Literal["bad_content", "encrypted", "unsupported"]


class ParseError(Exception):
    """Input that cannot be parsed; `kind` classifies it the same way fetch failures are classified."""

    def __init__(self, kind: ParseErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: ParseErrorKind = kind
        self.message = message


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Model):
    """One item of a listing: an article (or attachment) the site links to."""

    url: str = Field(description="Absolute URL")
    title: str
    date: dt.date | None = None
    doc_number: str | None = Field(default=None, description="文号 when the listing shows it")


class PageRequest(_Model):
    """The request that fetches one listing page: a GET, or a POST with form fields."""

    method: Literal["GET", "POST"] = "GET"
    url: str
    data: dict[str, str] | None = None
    page: int = Field(default=1, ge=1, description="1-based page number, for the depth limit")


class ListingPage(_Model):
    entries: list[Entry]
    next: PageRequest | None = None
