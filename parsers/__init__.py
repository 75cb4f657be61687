"""parsers: turn raw notices (text, HTML, PDF, DOCX, listing pages) into the clause schema.

This package imports nothing from watcher, store or notifiers. `parse_text` and `parse_file`
(from `parsers.pipeline`) are the entry points; they are imported lazily so that importing a
single submodule (the schema, an adapter) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parsers.pipeline import parse_file, parse_text

__all__ = ["parse_file", "parse_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from parsers import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'parsers' has no attribute {name!r}")
