"""`warm_up` builds the parser's lazy tables, so a parse worker's first document is not slower."""

from __future__ import annotations

from parsers.departments import _aliases
from parsers.normalize import _converter, _script_patterns
from parsers.pipeline import warm_up


def test_warm_up_builds_the_lazy_tables() -> None:
    for cached in (_script_patterns, _converter, _aliases):
        cached.cache_clear()
    warm_up()
    for cached in (_script_patterns, _converter, _aliases):
        assert cached.cache_info().currsize == 1, cached.__name__
