"""Clause alignment: which clause of the old edition is which clause of the new one.

Labels are not identity (inserting a clause renumbers every later one), so clauses are paired
by content:

1. Exact content (heading + text, label and whitespace ignored): a hash lookup, pairs
   duplicates in order.
2. For what is left, candidates come cheaply: the clause standing where the old one would
   (alone if it is barely edited), else new clauses sharing the old clause's *rarest*
   character bigrams (an inverted index) plus the unmatched new clauses nearest its place.
   At most `CANDIDATES + GAP_CANDIDATES` per old clause, so the number of difflib
   comparisons grows as n·k, not n².
3. Each candidate is scored with difflib (`real_quick_ratio` and `quick_ratio` are upper
   bounds and reject most candidates before the quadratic `ratio`), headings weighing more
   than bodies, and pairs are taken greedily from the best score down.
4. Structure then decides the near misses: a pair whose parents are already paired, or whose
   children are, gets `STRUCTURE_BONUS`; and under paired parents, a small stretch of unpaired
   siblings between the same paired siblings is compared exhaustively at a lower threshold.
   A few rounds: each one can enable the next.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from parsers.schema import Clause

MATCH_THRESHOLD = 0.5
# Between the same anchors a lone old/new clause pair is very likely the same measure rewritten.
GAP_THRESHOLD = 0.35
# ...and a single unpaired sibling on each side between the same paired siblings, even more so.
LONE_THRESHOLD = 0.3
HEADING_WEIGHT = 0.6
LEVEL_PENALTY = 0.15
STRUCTURE_BONUS = 0.1
# Largest stretch of unpaired siblings (each side) that the sibling round compares exhaustively.
STRETCH_MAX = 4
STRUCTURE_ROUNDS = 3
CANDIDATES = 6
GAP_CANDIDATES = 3
RARE_SHINGLES = 24
MAX_POSTINGS = 64
# Above this many characters difflib's character-level comparison gets slow (it is roughly
# quadratic on CJK text, where the same characters recur everywhere): compare sentences.
LONG_TEXT = 3000
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")
IN_PLACE_CONFIDENT = 0.8
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, int]]
    """(old index, new index), in new-document order."""
    exact: frozenset[tuple[int, int]]
    """The pairs whose heading and text are identical (whitespace aside)."""
    removed: list[int]
    added: list[int]


def content_key(clause: Clause) -> tuple[str, str]:
    """What makes two clauses the same, label aside. Whitespace never carries meaning in this text."""
    return _WHITESPACE.sub("", clause.heading), _WHITESPACE.sub("", clause.text)


def body(clause: Clause) -> str:
    """Heading and text as one string, without repeating a heading the text already starts with."""
    if not clause.heading or clause.text.startswith(clause.heading):
        return clause.text
    return clause.heading + clause.text


def similarity(old: Clause, new: Clause, floor: float = 0.0) -> float:
    """0..1; below `floor` the exact value is not computed (a cheap upper bound is returned)."""
    heading_ratio: float | None = None
    if old.heading and new.heading:
        heading_ratio = SequenceMatcher(None, old.heading, new.heading, autojunk=False).ratio()
    penalty = LEVEL_PENALTY if old.level != new.level else 0.0
    # autojunk would discard the commonest characters (的, 和, 支持...) of long CJK texts and
    # understate the similarity of two versions of the same clause.
    old_body, new_body = body(old), body(new)
    matcher = SequenceMatcher(None, old_body, new_body, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        upper = _combine(heading_ratio, bound()) - penalty
        if upper < floor:
            return upper
    if len(old_body) > LONG_TEXT or len(new_body) > LONG_TEXT:
        return _combine(heading_ratio, sentence_ratio(old_body, new_body)) - penalty
    total = len(old_body) + len(new_body)
    matched = sum(size for _, _, size in matching_blocks(old_body, new_body))
    return _combine(heading_ratio, 2 * matched / total if total else 1.0) - penalty


@lru_cache(maxsize=8192)
def matching_blocks(a: str, b: str) -> tuple[tuple[int, int, int], ...]:
    """difflib's matching blocks (no autojunk). Cached because the text diff of a paired clause
    asks again for what its alignment score already computed."""
    return tuple(
        (m.a, m.b, m.size) for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end or line break; the pieces join back to the text."""
    return [piece for piece in _SENTENCE_END.split(text) if piece]


def sentence_ratio(old: str, new: str) -> float:
    """Like SequenceMatcher.ratio, over whole sentences weighted by length: linear enough for
    texts too long for a character-level comparison."""
    a, b = sentences(old), sentences(new)
    matched = sum(
        len("".join(a[block.a : block.a + block.size]))
        for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )
    total = len(old) + len(new)
    return 2 * matched / total if total else 1.0


def _combine(heading_ratio: float | None, text_ratio: float) -> float:
    if heading_ratio is None:
        return text_ratio
    return max(text_ratio, HEADING_WEIGHT * heading_ratio + (1 - HEADING_WEIGHT) * text_ratio)


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def align_clauses(old: Sequence[Clause], new: Sequence[Clause]) -> Alignment:
    """Pair each clause of `old` with at most one clause of `new` (see the module docstring)."""
    old_match: dict[int, int] = {}
    new_match: dict[int, int] = {}

    by_content: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for j, clause in enumerate(new):
        by_content[content_key(clause)].append(j)
    for i, clause in enumerate(old):
        waiting = by_content.get(content_key(clause))
        if waiting:
            j = waiting.popleft()
            old_match[i], new_match[j] = j, i
    exact = frozenset(old_match.items())

    old_left = [i for i in range(len(old)) if i not in old_match]
    new_left = [j for j in range(len(new)) if j not in new_match]
    if old_left and new_left:
        scored = sorted(
            _score_candidates(old, new, old_left, new_left, sorted(old_match.items())),
            key=lambda s: (-s[0], s[1], s[2]),
        )
        for score, i, j, floor in scored:
            if score >= floor and i not in old_match and j not in new_match:
                old_match[i], new_match[j] = j, i
        old_kids, new_kids = _children(old), _children(new)
        for _ in range(STRUCTURE_ROUNDS):
            boosted = _structure_round(old, new, scored, old_match, new_match)
            if not (_sibling_round(old, new, old_kids, new_kids, old_match, new_match) or boosted):
                break

    return Alignment(
        pairs=sorted(((i, j) for i, j in old_match.items()), key=lambda p: p[1]),
        exact=exact,
        removed=[i for i in range(len(old)) if i not in old_match],
        added=[j for j in range(len(new)) if j not in new_match],
    )


def _structure_round(
    old: Sequence[Clause],
    new: Sequence[Clause],
    scored: list[tuple[float, int, int, float]],
    old_match: dict[int, int],
    new_match: dict[int, int],
) -> bool:
    """Pair near misses whose parents, or children, are paired already; True if any paired."""
    old_ids: dict[tuple[int, str | None], int] = {(c.part, c.id): i for i, c in enumerate(old)}
    new_ids: dict[tuple[int, str | None], int] = {(c.part, c.id): j for j, c in enumerate(new)}
    paired_parents = {
        (old_ids.get((old[i].part, old[i].parent)), new_ids.get((new[j].part, new[j].parent)))
        for i, j in old_match.items()
    }
    boosted: list[tuple[float, int, int, float]] = []
    for score, i, j, floor in scored:
        if i in old_match or j in new_match or score >= floor:
            continue
        op, np = old_ids.get((old[i].part, old[i].parent)), new_ids.get((new[j].part, new[j].parent))
        parents_paired = op is not None and np is not None and old_match.get(op) == np
        if parents_paired or (i, j) in paired_parents:
            boosted.append((score + STRUCTURE_BONUS, i, j, floor))
    changed = False
    for score, i, j, floor in sorted(boosted, key=lambda s: (-s[0], s[1], s[2])):
        if score >= floor and i not in old_match and j not in new_match:
            old_match[i], new_match[j] = j, i
            changed = True
    return changed


def _children(clauses: Sequence[Clause]) -> dict[int | None, list[int]]:
    """Indices of each clause's children in order; None holds the top-level clauses."""
    by_id: dict[tuple[int, str], int] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for index, clause in enumerate(clauses):
        parent = by_id.get((clause.part, clause.parent)) if clause.parent is not None else None
        children[parent].append(index)
        by_id[(clause.part, clause.id)] = index
    return children


def _sibling_round(
    old: Sequence[Clause],
    new: Sequence[Clause],
    old_kids: dict[int | None, list[int]],
    new_kids: dict[int | None, list[int]],
    old_match: dict[int, int],
    new_match: dict[int, int],
) -> bool:
    """Under paired parents, unpaired siblings standing between the same paired siblings are
    likely the same measures rewritten: pair them at GAP_THRESHOLD when the stretch is small."""
    changed = False
    for old_parent, new_parent in [(None, None), *old_match.items()]:
        siblings_old, siblings_new = old_kids.get(old_parent, []), new_kids.get(new_parent, [])
        if not siblings_old or not siblings_new:
            continue
        position = {j: k for k, j in enumerate(siblings_new)}
        last, stretch = -1, []
        for i in [*siblings_old, None]:  # None closes the last stretch
            j = old_match.get(i) if i is not None else None
            if i is not None and j is None:
                stretch.append(i)
                continue
            if i is not None and (j not in position or position[j] <= last):
                continue  # paired elsewhere or out of order: not an anchor here
            end = position[j] if i is not None and j is not None else len(siblings_new)
            unpaired_new = [x for x in siblings_new[last + 1 : end] if x not in new_match]
            changed |= _pair_stretch(old, new, stretch, unpaired_new, old_match, new_match)
            last, stretch = end, []
    return changed


def _pair_stretch(
    old: Sequence[Clause],
    new: Sequence[Clause],
    old_ids: list[int],
    new_ids: list[int],
    old_match: dict[int, int],
    new_match: dict[int, int],
) -> bool:
    if not old_ids or not new_ids or len(old_ids) > STRETCH_MAX or len(new_ids) > STRETCH_MAX:
        return False
    floor = LONE_THRESHOLD if len(old_ids) == len(new_ids) == 1 else GAP_THRESHOLD
    scored = [(similarity(old[i], new[j], floor), i, j) for i in old_ids for j in new_ids]
    changed = False
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score >= floor and i not in old_match and j not in new_match:
            old_match[i], new_match[j] = j, i
            changed = True
    return changed


def _score_candidates(
    old: Sequence[Clause],
    new: Sequence[Clause],
    old_left: list[int],
    new_left: list[int],
    anchors: list[tuple[int, int]],
) -> list[tuple[float, int, int, float]]:
    """(score, old index, new index, threshold that pair must reach) for every candidate pair."""
    index: dict[str, list[int]] = defaultdict(list)
    for j in new_left:
        for gram in _bigrams(body(new[j])):
            index[gram].append(j)

    anchor_old = [i for i, _ in anchors]
    anchor_new = [j for _, j in anchors]
    scored: list[tuple[float, int, int, float]] = []
    for i in old_left:
        nearby, lone = _in_place(i, anchor_old, anchor_new, old_left, new_left, len(new))
        floor = GAP_THRESHOLD if lone else MATCH_THRESHOLD
        if nearby:
            # The clause where this one would stand, barely edited: no need to look further.
            score = similarity(old[i], new[nearby[0]], IN_PLACE_CONFIDENT)
            if score >= IN_PLACE_CONFIDENT:
                scored.append((score, i, nearby[0], floor))
                continue

        grams = sorted(
            (g for g in _bigrams(body(old[i])) if 0 < len(index.get(g, ())) <= MAX_POSTINGS),
            key=lambda g: (len(index[g]), g),
        )
        votes: dict[int, int] = defaultdict(int)
        for gram in grams[:RARE_SHINGLES]:
            for j in index[gram]:
                votes[j] += 1
        candidates = {j: MATCH_THRESHOLD for j in sorted(votes, key=lambda j: (-votes[j], j))[:CANDIDATES]}
        candidates.update((j, floor) for j in nearby)

        for j, pair_floor in candidates.items():
            score = similarity(old[i], new[j], pair_floor - STRUCTURE_BONUS)
            if score >= pair_floor - STRUCTURE_BONUS:
                scored.append((score, i, j, pair_floor))
    return scored


def _in_place(
    i: int,
    anchor_old: list[int],
    anchor_new: list[int],
    old_left: list[int],
    new_left: list[int],
    new_count: int,
) -> tuple[list[int], bool]:
    """Unmatched new clauses nearest to where old clause i would stand, between the same anchors
    (at most GAP_CANDIDATES, nearest first), and whether i and one new clause are alone there."""
    k = bisect.bisect_left(anchor_old, i)
    old_low = anchor_old[k - 1] if k > 0 else -1
    new_low = anchor_new[k - 1] if k > 0 else -1
    new_high = anchor_new[k] if k < len(anchor_new) else new_count
    if new_high <= new_low:  # anchors out of order (a moved clause): no positional evidence
        return [], False
    lo, hi = bisect.bisect_right(new_left, new_low), bisect.bisect_left(new_left, new_high)
    old_high = anchor_old[k] if k < len(anchor_old) else old_left[-1] + 1
    old_in_gap = bisect.bisect_left(old_left, old_high) - bisect.bisect_right(old_left, old_low)
    expected = new_low + (i - old_low)
    at = bisect.bisect_left(new_left, expected, lo, hi)
    window = new_left[max(lo, at - GAP_CANDIDATES) : min(hi, at + GAP_CANDIDATES)]
    nearest = sorted(window, key=lambda j: (abs(j - expected), j))[:GAP_CANDIDATES]
    return nearest, hi - lo == 1 and old_in_gap == 1
