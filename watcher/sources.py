"""Source configuration: which listing pages to watch, with which adapter and selectors.

Loaded from YAML into pydantic models; a bad entry is reported with the file, line and field
(from the YAML node marks), never as a traceback.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from parsers.adapters import ADAPTERS, get_adapter
from parsers.article import ArticleSelectors
from parsers.metadata import canonical_region
from parsers.schema import Level

MAX_DEPTH = 100


class SourcesError(ValueError):
    """A sources file that cannot be used; `problems` are 'file:line: field: message' lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str | None = None
    url: str
    adapter: str
    selectors: dict[str, Any] = Field(default_factory=dict, description="Overrides of the adapter's defaults")
    article_selectors: dict[str, Any] = Field(default_factory=dict)
    depth: int = Field(default=1, ge=1, le=MAX_DEPTH, description="Listing pages to follow")
    region: str | None = None
    level: Level | None = None
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL")
        return value

    @field_validator("adapter")
    @classmethod
    def _known_adapter(cls, value: str) -> str:
        if value not in ADAPTERS:
            raise ValueError(f"unknown adapter {value!r} (known: {', '.join(sorted(ADAPTERS))})")
        return value

    @field_validator("region")
    @classmethod
    def _canonical_region(cls, value: str | None) -> str | None:
        # Stored documents carry the canonical form ("杭州市余杭区"), so a source written
        # "余杭区" must say the same thing to match them.
        return canonical_region(value) if value is not None else None

    def article_selector_model(self) -> ArticleSelectors:
        return ArticleSelectors.model_validate(self.article_selectors)


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[Source]

    def get(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


def default_sources_path() -> Path:
    return Path(str(files("watcher.data").joinpath("sources.yaml")))


def _node_at(root: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """The deepest YAML node along a pydantic error location."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if child is None:
                return node
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _field(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(
    path: str, root: yaml.Node | None, exc: ValidationError, prefix: tuple[int | str, ...]
) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = prefix + tuple(error["loc"])
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else 1
        problems.append(f"{path}:{line}: {_field(loc)}: {error['msg']}")
    return problems


def parse_sources(text: str, path: str = "<sources>") -> SourcesFile:
    """Parse and validate a sources file's text; raises SourcesError naming file, line and field."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise SourcesError([f"{path}{where}: not valid YAML: {reason}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError([f"{path}:1: expected a mapping with a 'sources' list"])
    try:
        SourcesFile.model_validate({**data, "sources": []})
    except ValidationError as exc:
        raise SourcesError(_problems(path, root, exc, ())) from None
    problems: list[str] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for index, item in enumerate(data["sources"]):
        at = ("sources", index)
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            problems += _problems(path, root, exc, at)
            continue
        try:
            get_adapter(source.adapter).selectors(source.selectors)
        except ValidationError as exc:
            problems += _problems(path, root, exc, (*at, "selectors"))
        try:
            source.article_selector_model()
        except ValidationError as exc:
            problems += _problems(path, root, exc, (*at, "article_selectors"))
        if source.name in seen:
            node = _node_at(root, (*at, "name"))
            line = node.start_mark.line + 1 if node is not None else 1
            problems.append(f"{path}:{line}: sources[{index}].name: duplicate name {source.name!r}")
        seen.add(source.name)
        sources.append(source)
    if problems:
        raise SourcesError(problems)
    return SourcesFile(sources=sources)


def load_sources(path: str | Path | None = None) -> SourcesFile:
    """Load a sources file (the bundled defaults when `path` is None)."""
    target = Path(path) if path is not None else default_sources_path()
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError([f"{target}: cannot read: {exc}"]) from None
    return parse_sources(text, str(target))
