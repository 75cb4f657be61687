"""Scripted events: the same models from Python (`replica.event(...)`) and over HTTP
(`POST /__replica__/event` with a JSON object carrying `kind`).

Content events (publish, edit, withdraw) change the site; behaviour events (fail, slow, truncate)
add rules that later requests meet; `reset` clears rules and, by default, restores the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from watcher.replica.site import Article, FileKind


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Target(_Event):
    """Which article: its absolute `url`, or `path` on `site`, or the article of `seed` on `site`."""

    url: str | None = None
    site: str = "province"
    path: str | None = None
    seed: str | None = None


class Publish(_Event):
    kind: Literal["publish"] = "publish"
    site: str = "province"
    column: str | None = Field(default=None, description="Column id; the site's first column if omitted")
    title: str = Field(min_length=1)
    seed: str = Field(default="000", description="Seed whose text becomes the body unless `body` is given")
    body: str | None = None
    doc_number: str | None = None
    published: date | None = Field(default=None, description="Today (Beijing) if omitted")
    attach: FileKind | None = Field(default=None, description="Serve the text as this attachment, short body")


class Edit(Target):
    """Replace `old` by `new` (e.g. 1000万元 -> 1500万元) in the body or, failing that, an attachment."""

    kind: Literal["edit"] = "edit"
    old: str = Field(min_length=1)
    new: str
    after: str | None = Field(default=None, description="Replace the first `old` after this anchor text")


class Withdraw(Target):
    kind: Literal["withdraw"] = "withdraw"
    mode: Literal["gone", "unlisted"] = Field(default="gone", description="gone: 404 and unlisted")


class _Rule(_Event):
    path: str | None = Field(default=None, description="Regular expression searched in path?query")
    site: str | None = None
    count: int | None = Field(
        default=None, ge=1, description="Apply to this many requests; forever if omitted"
    )

    @field_validator("path")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"path is not a regular expression: {exc}") from exc
        return value


class Fail(_Rule):
    kind: Literal["fail"] = "fail"
    status: Literal[403, 404, 412, 429, 500, 502, 503]
    retry_after: int | None = Field(default=None, ge=0, le=3600, description="Retry-After seconds (429/503)")


class Slow(_Rule):
    kind: Literal["slow"] = "slow"
    delay: float = Field(gt=0, le=60, description="Seconds added before each matching response")


class Truncate(_Rule):
    kind: Literal["truncate"] = "truncate"
    keep: float = Field(default=0.5, ge=0, lt=1, description="Fraction of the body sent before closing")


class Reset(_Event):
    kind: Literal["reset"] = "reset"
    content: bool = Field(
        default=True, description="Also restore the seed content (rules are always cleared)"
    )


Event = Annotated[Publish | Edit | Withdraw | Fail | Slow | Truncate | Reset, Field(discriminator="kind")]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


class EventResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    article: Article | None = None
    message: str = ""


class EventError(ValueError):
    """An event that cannot apply (unknown article, text not found, unknown site or column)."""


@dataclass
class Rule:
    """A behaviour rule as the server keeps it: the event plus how many requests it still applies to."""

    event: Fail | Slow | Truncate
    pattern: re.Pattern[str] | None
    remaining: int | None

    def matches(self, site: str, target: str) -> bool:
        if self.remaining == 0:
            return False
        if self.event.site is not None and self.event.site != site:
            return False
        return self.pattern is None or self.pattern.search(target) is not None

    def use(self) -> None:
        if self.remaining is not None:
            self.remaining -= 1


def make_rule(event: Fail | Slow | Truncate) -> Rule:
    pattern = re.compile(event.path) if event.path is not None else None
    return Rule(event, pattern, event.count)
