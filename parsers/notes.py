"""Responsibility notes inside clause text: '责任单位:' lines and bracketed notes
"(责任单位:…)", "[责任单位:…]" (used when the list itself holds brackets) and
"(牵头领导:X,责任单位:Y)". Positions, not meaning: `departments` reads the lists."""

from __future__ import annotations

import re

_BRACKET = re.compile(r"[()（）\[\]]")
_CLOSERS = ")）]"
_RESPONSIBLE = re.compile(r"责任单位[:：]")


def responsibility_notes(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, units list, inline) for every note; a bracketed note spans its brackets."""
    found: list[tuple[int, int, str, bool]] = []
    if "责任单位" not in text:
        return found
    for m in _RESPONSIBLE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        opener = _opener_before(text, line_start, m.start())
        if opener is None:
            end = text.find("\n", m.end())
            end = end if end >= 0 else len(text)
            found.append((m.start(), end, text[m.end() : end].strip(), False))
            continue
        close = _matching_close(text, opener)
        stop = close if close is not None else len(text)
        found.append((opener, stop + 1 if close is not None else stop, text[m.end() : stop].strip(), True))
    return found


def _opener_before(text: str, line_start: int, pos: int) -> int | None:
    """The bracket that encloses pos, if any, searching back on the same line."""
    if pos > line_start and text[pos - 1] in "(（[":  # "(责任单位:", the usual inline note
        return pos - 1
    depth = 0
    for m in reversed(list(_BRACKET.finditer(text, line_start, pos))):
        if m.group() in _CLOSERS:
            depth += 1
        elif depth == 0:
            return m.start()
        else:
            depth -= 1
    return None


def _matching_close(text: str, opener: int) -> int | None:
    depth = 0
    for m in _BRACKET.finditer(text, opener):
        if m.group() in _CLOSERS:
            depth -= 1
            if depth == 0:
                return m.start()
        else:
            depth += 1
    return None
