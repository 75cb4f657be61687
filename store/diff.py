"""Clause-level diff of two versions of a document: exactly the changes a reader would name.

`diff_documents(old, new)` is pure: same input, same list, in new-document order (metadata
first, a removed clause where it used to stand). See docs/diff.md for the rules in prose.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from parsers.schema import Amount, Clause, Department, Document
from store.align import align_clauses, body
from store.amount_pairing import deltas, pair_amounts, value_of
from store.changes import Change, ChangeKind, TextOp
from store.textdiff import text_ops

# Fields compared one by one; notice_title only when title itself did not change (it embeds it).
METADATA_FIELDS = (
    "status",
    "doc_number",
    "title",
    "notice_title",
    "issuer",
    "region",
    "edition",
    "issued_date",
    "printed_date",
    "effective_from",
    "effective_to",
)
QUALIFIER_WORDS = {"max": "最高", "min": "不低于", "approx": "约", None: "(无)"}
AMOUNT_MASK = "\ue000"
DEPARTMENT_MASK = "\ue001"
SUMMARY_SNIPPET = 24
_WHITESPACE = re.compile(r"\s+")
_LIST_SEPARATOR = "[、,，;；和及与]?"
_NUMERALS = re.compile(r"[\d〇零一二三四五六七八九十百千]+")


def diff_documents(old: Document, new: Document) -> list[Change]:
    """Every change from `old` to `new`; [] when they say the same thing."""
    ctx = _Context(old, new)
    changes = _metadata_changes(ctx)
    clause_changes: list[tuple[tuple[int, int, int], Change]] = []
    alignment = align_clauses(old.clauses, new.clauses)
    old_to_new = dict(alignment.pairs)
    in_order = _kept_in_order(alignment.pairs, _subtree_sizes(ctx.old_parents))
    folded: list[tuple[tuple[int, int, int], str]] = []

    moved_clauses: set[int] = set()
    for i, j in alignment.pairs:
        o, n = old.clauses[i], new.clauses[j]
        same_parent = _same_parent(ctx, i, j, old_to_new)
        # A clause that went along with its moving section did not move by itself.
        with_parent = same_parent and ctx.old_parents[i] in moved_clauses
        moved = not same_parent or (i not in in_order and not with_parent)
        if moved or with_parent:
            moved_clauses.add(i)
        relabelled = o.label != n.label and not _shift_explained(ctx, i, j)
        found = _pair_changes(ctx, i, j, exact=(i, j) in alignment.exact, moved=moved or relabelled)
        clause_changes.extend(((j, 0, k), change) for k, change in enumerate(found))
        if o.label != n.label and not moved and not relabelled:
            folded.append(((j, 0, 0), f"{_label(o)}→{_label(n)}"))

    for j in alignment.added:
        n = new.clauses[j]
        change = ctx.change("clause_added", None, j, f"{_label(n)} added: {_snippet(n)}")
        clause_changes.append(((j, 0, 0), change))
    # A removed clause is told right after the new counterpart of the last kept clause before it.
    kept_old = sorted(old_to_new)
    reach = list(accumulate((old_to_new[i] for i in kept_old), max))
    for i in alignment.removed:
        o = old.clauses[i]
        k = bisect.bisect_left(kept_old, i)
        key = (reach[k - 1] if k else -1, 1, i)
        clause_changes.append(
            (key, ctx.change("clause_removed", i, None, f"{_label(o)} removed: {_snippet(o)}"))
        )

    clause_changes.sort(key=lambda item: item[0])
    changes.extend(_fold_renumbering(clause_changes, folded))
    return changes


@dataclass
class _Context:
    old: Document
    new: Document
    old_parents: list[int | None] = field(init=False)
    new_parents: list[int | None] = field(init=False)
    old_departments: dict[int, list[str]] = field(init=False)
    new_departments: dict[int, list[str]] = field(init=False)
    old_ranks: list[tuple[int, int]] = field(init=False)
    new_ranks: list[tuple[int, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.old_parents = _parent_indices(self.old.clauses)
        self.new_parents = _parent_indices(self.new.clauses)
        self.old_departments = _effective_departments(self.old.clauses, self.old_parents)
        self.new_departments = _effective_departments(self.new.clauses, self.new_parents)
        self.old_ranks = _ranks(self.old.clauses, self.old_parents)
        self.new_ranks = _ranks(self.new.clauses, self.new_parents)

    def change(self, kind: ChangeKind, i: int | None, j: int | None, summary: str, **extra: object) -> Change:
        """A change about old clause i and new clause j (None where that side does not exist)."""
        old = self.old.clauses[i] if i is not None else None
        new = self.new.clauses[j] if j is not None else None
        departments = [
            *(self.old_departments[i] if i is not None else []),
            *(self.new_departments[j] if j is not None else []),
        ]
        return Change.model_validate(
            {
                "kind": kind,
                "doc_number": self.new.doc_number or self.old.doc_number,
                "doc_title": self.new.title
                or self.old.title
                or self.new.notice_title
                or self.old.notice_title,
                "old_clause_id": old.id if old else None,
                "new_clause_id": new.id if new else None,
                "old_label": old.label if old else None,
                "new_label": new.label if new else None,
                "old_heading": old.heading if old else None,
                "new_heading": new.heading if new else None,
                "departments": list(dict.fromkeys(departments)),
                "summary": summary,
                **extra,
            }
        )


def _parent_indices(clauses: Sequence[Clause]) -> list[int | None]:
    by_id: dict[tuple[int, str], int] = {}
    parents: list[int | None] = []
    for index, clause in enumerate(clauses):
        parents.append(by_id.get((clause.part, clause.parent)) if clause.parent is not None else None)
        by_id[(clause.part, clause.id)] = index
    return parents


def _effective_departments(clauses: Sequence[Clause], parents: list[int | None]) -> dict[int, list[str]]:
    """A clause's own lead and responsible units, then the leads of the sections enclosing it."""
    result: dict[int, list[str]] = {}
    for index, clause in enumerate(clauses):
        parent = parents[index]
        inherited = result[parent] if parent is not None else []
        if clause.lead or clause.responsible:
            own = [d.name for d in (*clause.lead, *clause.responsible)]
            result[index] = list(dict.fromkeys([*own, *inherited]))
        else:
            result[index] = inherited
    return result


def _style(label: str) -> str:
    """The label without its number: '(十二)' -> '()', '3.' -> '.', '第五条' -> '第条'."""
    return _NUMERALS.sub("", label)


def _ranks(clauses: Sequence[Clause], parents: list[int | None]) -> list[tuple[int, int]]:
    """(ordinal among same-level same-style clauses of the document, ordinal among such siblings)."""
    in_doc: dict[tuple[int, str], int] = {}
    in_parent: dict[tuple[int | None, int, str], int] = {}
    ranks: list[tuple[int, int]] = []
    for index, clause in enumerate(clauses):
        doc_key = (clause.level, _style(clause.label))
        parent_key = (parents[index], *doc_key)
        ranks.append((in_doc.get(doc_key, 0), in_parent.get(parent_key, 0)))
        in_doc[doc_key] = in_doc.get(doc_key, 0) + 1
        in_parent[parent_key] = in_parent.get(parent_key, 0) + 1
    return ranks


def _shift_explained(ctx: _Context, i: int, j: int) -> bool:
    """True when a new label only follows from clauses inserted, removed or moved before it."""
    o, n = ctx.old.clauses[i], ctx.new.clauses[j]
    if _style(o.label) != _style(n.label):
        return False
    (old_doc, old_sib), (new_doc, new_sib) = ctx.old_ranks[i], ctx.new_ranks[j]
    return n.number - o.number in (new_doc - old_doc, new_sib - old_sib)


def _same_parent(ctx: _Context, i: int, j: int, old_to_new: dict[int, int]) -> bool:
    old_parent, new_parent = ctx.old_parents[i], ctx.new_parents[j]
    if old_parent is None or new_parent is None:
        return old_parent is None and new_parent is None
    return old_to_new.get(old_parent) == new_parent


def _kept_in_order(pairs: list[tuple[int, int]], weights: list[int]) -> set[int]:
    """Old indices of the heaviest set of pairs whose order both documents agree on.

    Pairs come in new-document order; this is the heaviest increasing subsequence of their old
    indices (a Fenwick tree of prefix maxima, O(n log n)). A section weighs its whole subtree,
    so when a clause moves out of a section it is the clause that moved, not the section.
    """
    size = max((i for i, _ in pairs), default=-1) + 2
    tree: list[tuple[int, int]] = [(0, -1)] * size  # (best weight, pair position) per prefix
    best_before: list[int] = []
    for pos, (i, _) in enumerate(pairs):
        best, k = (0, -1), i  # best chain among old indices < i
        while k > 0:
            best = max(best, tree[k])
            k -= k & -k
        best_before.append(best[1])
        entry, k = (best[0] + weights[i], pos), i + 1
        while k < size:
            tree[k] = max(tree[k], entry)
            k += k & -k
    end, k = (0, -1), size - 1
    while k > 0:
        end = max(end, tree[k])
        k -= k & -k
    kept: set[int] = set()
    pos = end[1]
    while pos >= 0:
        kept.add(pairs[pos][0])
        pos = best_before[pos]
    return kept


def _subtree_sizes(parents: list[int | None]) -> list[int]:
    sizes = [1] * len(parents)
    for index in range(len(parents) - 1, -1, -1):
        parent = parents[index]
        if parent is not None:
            sizes[parent] += sizes[index]
    return sizes


def _pair_changes(ctx: _Context, i: int, j: int, *, exact: bool, moved: bool) -> list[Change]:
    o, n = ctx.old.clauses[i], ctx.new.clauses[j]
    same_units = o.lead == n.lead and o.responsible == n.responsible
    if exact and not moved and same_units and o.amounts == n.amounts and o.budget == n.budget:
        return []
    name = _label(n) if o.label == n.label else f"{_label(n)} (原{_label(o)})"
    found: list[Change] = []
    if not exact and _masked(o) != _masked(n):
        ops = text_ops(body(o), body(n))
        found.append(ctx.change("clause_modified", i, j, f"{name} modified: {_describe(ops)}", text_diff=ops))
    elif moved:
        where = f"{_label(o)} moved" if o.label == n.label else f"{_label(o)} → {_label(n)}"
        found.append(ctx.change("clause_renumbered", i, j, f"{where}: {_snippet(n)}"))
    if not exact or o.amounts != n.amounts or o.budget != n.budget:
        found.extend(_amount_changes(ctx, i, j, name))
    departments: tuple[tuple[ChangeKind, Sequence[Department], Sequence[Department]], ...] = (
        ("lead_changed", o.lead, n.lead),
        ("responsible_changed", o.responsible, n.responsible),
    )
    for kind, old_units, new_units in () if same_units else departments:
        old_names, new_names = _names(old_units), _names(new_units)
        if sorted(old_names) != sorted(new_names):
            what = "lead" if kind == "lead_changed" else "responsible"
            summary = f"{name} {what}: {_units_change(old_names, new_names)}"
            found.append(
                ctx.change(kind, i, j, summary, old_value=_join(old_names), new_value=_join(new_names))
            )
    return found


def _units_change(old: list[str], new: list[str]) -> str:
    """'省科技厅 → 省教育厅' for short lists; '+省发展改革委 −省国资委' for long ones."""
    if len(old) <= 2 and len(new) <= 2:
        return f"{_join(old)} → {_join(new)}"
    return " ".join([*(f"+{n}" for n in new if n not in old), *(f"−{n}" for n in old if n not in new)])


def _names(units: Sequence[Department]) -> list[str]:
    return list(dict.fromkeys(d.name for d in units))


def _join(names: Sequence[str]) -> str:
    return "、".join(names) if names else "(无)"


def _amounts(clause: Clause) -> list[Amount]:
    if clause.budget is not None and clause.budget not in clause.amounts:
        return [*clause.amounts, clause.budget]
    return list(clause.amounts)


def _masked(clause: Clause) -> str:
    """The clause's words with its amounts and named units blanked: what is left is prose."""
    text = _WHITESPACE.sub("", body(clause))
    for mask, written in (
        (AMOUNT_MASK, {a.raw for a in _amounts(clause)}),
        (DEPARTMENT_MASK, {d.written for d in (*clause.lead, *clause.responsible)}),
    ):
        for phrase in sorted((_WHITESPACE.sub("", w) for w in written), key=len, reverse=True):
            if phrase:
                text = text.replace(phrase, mask)
        # A list ("省科技厅、省财政厅", "15万元、30万元") is one slot: its items are reported one by one.
        text = re.sub(f"{mask}(?:{_LIST_SEPARATOR}{mask})+", mask, text)
    return text


def _describe(ops: Sequence[TextOp]) -> str:
    edits = [f"{'+' if op.op == 'insert' else '−'}“{_cut(op.text)}”" for op in ops if op.op != "equal"]
    shown = " ".join(edits[:3])
    return shown + (f" …(+{len(edits) - 3})" if len(edits) > 3 else "")


# ---- amounts ------------------------------------------------------------------------------------


def _amount_changes(ctx: _Context, i: int, j: int, name: str) -> list[Change]:
    o, n = ctx.old.clauses[i], ctx.new.clauses[j]
    old_amounts, new_amounts = _amounts(o), _amounts(n)
    pairs, removed, added = pair_amounts(old_amounts, new_amounts, body(o), body(n))
    found: list[Change] = []
    for a, b in pairs:
        if value_of(a) != value_of(b) or a.unit != b.unit:
            delta, percent = deltas(a, b)
            shown = (
                f" ({'+' if percent and not percent.startswith('-') else ''}{percent}%)" if percent else ""
            )
            if a.unit != b.unit:
                shown = f" (unit {a.unit} → {b.unit})"
            summary = f"{name}: {a.raw} → {_trim_common(a.raw, b.raw)}{shown}"
            found.append(
                ctx.change(
                    "amount_changed",
                    i,
                    j,
                    summary,
                    old_amount=a,
                    new_amount=b,
                    delta=delta,
                    delta_percent=percent,
                )
            )
        if a.qualifier != b.qualifier:
            old_q, new_q = QUALIFIER_WORDS[a.qualifier], QUALIFIER_WORDS[b.qualifier]
            summary = f"{name}: {old_q} → {new_q} ({b.raw})"
            found.append(
                ctx.change(
                    "qualifier_changed",
                    i,
                    j,
                    summary,
                    old_amount=a,
                    new_amount=b,
                    old_value=old_q,
                    new_value=new_q,
                )
            )
    found.extend(
        ctx.change("amount_removed", i, j, f"{name} amount removed: {a.raw}", old_amount=a) for a in removed
    )
    found.extend(
        ctx.change("amount_added", i, j, f"{name} amount added: {b.raw}", new_amount=b) for b in added
    )
    return found


def _trim_common(old_raw: str, new_raw: str) -> str:
    """'最高可给予1500万元' after '最高可给予1000万元' reads better as '1500万元'."""
    k = 0
    while k < min(len(old_raw), len(new_raw)) and old_raw[k] == new_raw[k] and not old_raw[k].isdigit():
        k += 1
    return new_raw[k:] or new_raw


# ---- metadata and presentation -----------------------------------------------------------------


def _metadata_changes(ctx: _Context) -> list[Change]:
    old, new = ctx.old, ctx.new
    changes: list[Change] = []
    for name in METADATA_FIELDS:
        if name == "notice_title" and old.title != new.title:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            a, b = _show(before), _show(after)
            changes.append(
                ctx.change(
                    "metadata_changed", None, None, f"{name}: {a} → {b}", field=name, old_value=a, new_value=b
                )
            )
    if sorted(old.cites) != sorted(new.cites):
        a, b = _join(sorted(old.cites)), _join(sorted(new.cites))
        changes.append(
            ctx.change(
                "metadata_changed", None, None, f"cites: {a} → {b}", field="cites", old_value=a, new_value=b
            )
        )
    if _WHITESPACE.sub("", old.preamble) != _WHITESPACE.sub("", new.preamble):
        ops = text_ops(old.preamble, new.preamble)
        summary = f"preamble: {_describe(ops)}"
        changes.append(
            ctx.change(
                "metadata_changed",
                None,
                None,
                summary,
                field="preamble",
                old_value=old.preamble,
                new_value=new.preamble,
                text_diff=ops,
            )
        )
    old_tables, new_tables = [(t.title, t.rows) for t in old.tables], [(t.title, t.rows) for t in new.tables]
    if old_tables != new_tables:
        summary = f"tables: {len(old_tables)} → {len(new_tables)}, contents changed"
        changes.append(ctx.change("metadata_changed", None, None, summary, field="tables"))
    old_files = {a.name: a.sha256 for a in old.attachments}
    new_files = {a.name: a.sha256 for a in new.attachments}
    if old_files != new_files:
        parts = [
            f"{verb} {_join(names)}"
            for verb, names in (
                ("added", [n for n in new_files if n not in old_files]),
                ("removed", [n for n in old_files if n not in new_files]),
                ("changed", [n for n in new_files if n in old_files and old_files[n] != new_files[n]]),
            )
            if names
        ]
        a, b = _join(sorted(old_files)), _join(sorted(new_files))
        summary = "attachments: " + "; ".join(parts)
        changes.append(
            ctx.change("metadata_changed", None, None, summary, field="attachments", old_value=a, new_value=b)
        )
    return changes


def _show(value: object) -> str:
    return "(无)" if value is None else str(value)


def _label(clause: Clause) -> str:
    if clause.label:
        return clause.label.rstrip("、.．")
    return f"“{clause.text[:8]}…”" if len(clause.text) > 8 else f"“{clause.text}”"


def _snippet(clause: Clause) -> str:
    return _cut(clause.heading or clause.text)


def _cut(text: str) -> str:
    return text if len(text) <= SUMMARY_SNIPPET else text[: SUMMARY_SNIPPET - 1] + "…"


def _fold_renumbering(
    ordered: list[tuple[tuple[int, int, int], Change]], folded: list[tuple[tuple[int, int, int], str]]
) -> list[Change]:
    """Labels shifted by an insertion, removal or move are told once, on the change that caused them."""
    changes = [change for _, change in ordered]
    if not folded:
        return changes
    causes = [
        k
        for k, (_, c) in enumerate(ordered)
        if c.kind in ("clause_added", "clause_removed", "clause_renumbered")
    ]
    if not causes:
        return changes
    cause_keys = [ordered[k][0] for k in causes]
    shifts: dict[int, list[str]] = {}
    for key, shift in folded:
        at = bisect.bisect_right(cause_keys, key)
        shifts.setdefault(causes[at - 1] if at else causes[0], []).append(shift)
    for k, moves in shifts.items():
        shown = moves[0] if len(moves) == 1 else f"{moves[0]} … {moves[-1]}"
        note = f"; {len(moves)} later clause{'s' if len(moves) > 1 else ''} renumbered ({shown})"
        changes[k] = changes[k].model_copy(update={"summary": changes[k].summary + note})
    return changes


def pair_documents(
    old: Sequence[Document], new: Sequence[Document]
) -> tuple[list[tuple[Document, Document]], list[Document], list[Document]]:
    """Which document of OLD is which of NEW: (pairs, unpaired old, unpaired new).

    One document on each side always pairs. Otherwise by 文号, then series (the edition-free
    title, so 2024 pairs with 2026年版), then title, each document used once, in order.
    """
    if len(old) == 1 and len(new) == 1:
        return [(old[0], new[0])], [], []
    old_left, new_left = list(old), list(new)
    pairs: list[tuple[Document, Document]] = []
    for key in ("doc_number", "series", "title"):
        for a in list(old_left):
            value = getattr(a, key)
            match = next((b for b in new_left if value and getattr(b, key) == value), None)
            if match is not None:
                pairs.append((a, match))
                old_left.remove(a)
                new_left.remove(match)
    pairs.sort(key=lambda p: new.index(p[1]))
    return pairs, old_left, new_left
