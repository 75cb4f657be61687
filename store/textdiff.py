"""Character-level text diffs that stay fast on long texts."""

from __future__ import annotations

from difflib import SequenceMatcher

from store.align import LONG_TEXT, matching_blocks, sentences
from store.changes import TextOp


def text_ops(old: str, new: str) -> list[TextOp]:
    """Character-level edit script: equal / delete / insert runs that rebuild both texts.

    Long texts are first compared sentence by sentence; only changed stretches of sentences
    short enough are then compared character by character, the rest replaced whole.
    """
    if len(old) <= LONG_TEXT and len(new) <= LONG_TEXT:
        return _char_ops(old, new)
    a, b = sentences(old), sentences(new)
    ops: list[TextOp] = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = "".join(a[a1:a2]), "".join(b[b1:b2])
        if tag == "equal":
            ops.append(TextOp(op="equal", text=left))
        elif len(left) <= LONG_TEXT and len(right) <= LONG_TEXT:
            ops.extend(_char_ops(left, right))
        else:
            ops.extend(TextOp(op=op, text=text) for op, text in (("delete", left), ("insert", right)) if text)
    merged: list[TextOp] = []
    for op in ops:
        if merged and merged[-1].op == op.op:
            merged[-1] = TextOp(op=op.op, text=merged[-1].text + op.text)
        else:
            merged.append(op)
    return merged


def _char_ops(old: str, new: str) -> list[TextOp]:
    ops: list[TextOp] = []
    a = b = 0
    for a_start, b_start, size in matching_blocks(old, new):
        if a < a_start:
            ops.append(TextOp(op="delete", text=old[a:a_start]))
        if b < b_start:
            ops.append(TextOp(op="insert", text=new[b:b_start]))
        if size:
            ops.append(TextOp(op="equal", text=old[a_start : a_start + size]))
        a, b = a_start + size, b_start + size
    return ops
