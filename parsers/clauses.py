"""Clauses as the layout builds them, and the passes that run once a notice is read whole."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from parsers.notes import responsibility_notes

_TITLE_SENTENCE = re.compile(r"[^。,,;;::\n]{1,40}。")


@dataclass
class RawClause:
    tokens: list[str]  # label path within its part, e.g. ['三', '10']
    label: str
    number: int
    level: int
    part: int
    lines: list[str]
    parent_index: int | None
    closing: bool = False
    measure: bool = False  # unlabeled, split out of its parent's text
    titled: bool = False  # a measure that opens with its own title sentence


def merge_interrupting_closings(clauses: list[RawClause]) -> list[RawClause]:
    """A closing-looking paragraph followed by more labeled clauses was part of the clause
    before it ("本办法所称…" inside a section): merge it back and renumber unlabeled clauses."""
    last_labeled: dict[int, int] = {}
    for i, c in enumerate(clauses):
        if c.label:
            last_labeled[c.part] = i
    keep: list[int] = []
    for i, c in enumerate(clauses):
        if c.closing and keep and i < last_labeled.get(c.part, -1):
            clauses[keep[-1]].lines.extend(c.lines)
            continue
        keep.append(i)
    if len(keep) == len(clauses):
        return clauses
    remap = {old: new for new, old in enumerate(keep)}
    kept = [clauses[i] for i in keep]
    siblings: dict[tuple[int, int | None], int] = {}
    for c in kept:
        c.parent_index = remap.get(c.parent_index) if c.parent_index is not None else None
        key = (c.part, c.parent_index)
        siblings[key] = siblings.get(key, 0) + 1
        if not c.label:
            c.number = siblings[key]
            c.tokens = [*c.tokens[:-1], f"n{c.number}"]
    return kept


def split_noted_items(clauses: list[RawClause]) -> list[RawClause]:
    """An item carrying several "(责任单位:…)" notes lists several measures, each with its own
    units: after the item's title sentence, each measure up to its note becomes an unlabeled
    child, so a unit's measures can be told apart."""
    parents = {c.parent_index for c in clauses if c.parent_index is not None}
    measures: dict[int, list[str]] = {}
    for i, c in enumerate(clauses):
        if not c.label or i in parents:
            continue
        text = "\n".join(c.lines)
        notes = [(start, end) for start, end, _, inline in responsibility_notes(text) if inline]
        if not notes or (len(notes) < 2 and "。" not in text[notes[-1][1] :]):
            continue
        head = _TITLE_SENTENCE.match(text)
        if head is None or head.end() > notes[0][0]:
            continue
        cuts = [head.end(), *(end for _, end in notes[:-1]), len(text)]
        measures[i] = [seg for a, b in itertools.pairwise(cuts) if (seg := text[a:b].strip())]
        c.lines = [head.group()]
    return _with_children(clauses, measures, titled=False)


def split_titled_paragraphs(clauses: list[RawClause]) -> list[RawClause]:
    """A heading-only clause ("(一)围绕标志性产业链筑牢创新链。") followed by paragraphs that each
    open with their own title sentence ("建立完善实验室体系。构建…") lists unlabeled measures:
    each paragraph becomes a child, so a change to one is not an edit of the whole section."""
    parents = {c.parent_index for c in clauses if c.parent_index is not None}
    measures: dict[int, list[str]] = {}
    for i, c in enumerate(clauses):
        if not c.label or i in parents or len(c.lines) < 3:
            continue
        first = c.lines[0]
        if not (_TITLE_SENTENCE.fullmatch(first) or ("。" not in first and len(first) <= 40)):
            continue
        rest = c.lines[1:]
        if all((m := _TITLE_SENTENCE.match(p)) and m.end() < len(p) for p in rest):
            measures[i] = rest
            c.lines = [first]
    return _with_children(clauses, measures, titled=True)


def _with_children(clauses: list[RawClause], children: dict[int, list[str]], titled: bool) -> list[RawClause]:
    """Insert unlabeled children (one per text) right after their parent; reindex parents."""
    if not children:
        return clauses
    result: list[RawClause] = []
    remap: dict[int, int] = {}
    for i, c in enumerate(clauses):
        remap[i] = len(result)
        c.parent_index = remap[c.parent_index] if c.parent_index is not None else None
        result.append(c)
        for k, text in enumerate(children.get(i, []), start=1):
            result.append(
                RawClause(
                    tokens=[*c.tokens, f"n{k}"],
                    label="",
                    number=k,
                    level=c.level + 1,
                    part=c.part,
                    lines=[text],
                    parent_index=remap[i],
                    measure=True,
                    titled=titled,
                )
            )
    return result
