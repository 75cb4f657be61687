"""Which amount of the old clause became which amount of the new one, and by how much."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from parsers.schema import Amount

# How alike the words around two amounts must be for them to be one amount edited (0..1);
# a lone remaining pair of the same kind and unit needs less.
CONTEXT_MIN = 0.4
LONE_CONTEXT_MIN = 0.25
# A unit changed in place (元 -> 美元, 个 -> 家) is rarer than a value edited, so such a pair
# always needs CONTEXT_MIN and loses to a same-unit candidate of about the same context.
UNIT_CHANGE_PENALTY = 0.2


def pair_amounts(
    old: Sequence[Amount], new: Sequence[Amount], old_text: str = "", new_text: str = ""
) -> tuple[list[tuple[Amount, Amount]], list[Amount], list[Amount]]:
    """Pair the amounts of two versions of one clause: (pairs, removed, added).

    Identical amounts pair first, in order. The rest pair only within the same kind and only
    when the words around the number (digits removed) are alike, best first; role, qualifier
    and position break near ties. So "最高1000万元 → 最高1500万元" is one changed amount, not a
    removal and an addition, and so is "最高1000万元 → 最高1000万美元"; a different unit
    needs the full context likeness and yields to a same-unit candidate.
    """
    old_ctx, new_ctx = _contexts(old, old_text), _contexts(new, new_text)
    old_free, new_free = list(range(len(old))), list(range(len(new)))
    pairs: dict[int, int] = {}
    for i in range(len(old)):
        for j in new_free:
            if old[i] == new[j]:
                pairs[i] = j
                new_free.remove(j)
                break
    old_free = [i for i in old_free if i not in pairs]

    scored: list[tuple[float, float, int, int]] = []
    for i in old_free:
        for j in new_free:
            if old[i].kind != new[j].kind:
                continue
            same_unit = old[i].unit == new[j].unit
            context = SequenceMatcher(None, old_ctx[i], new_ctx[j], autojunk=False).ratio()
            if context < (LONE_CONTEXT_MIN if same_unit else CONTEXT_MIN):
                continue
            score = context - UNIT_CHANGE_PENALTY * (not same_unit)
            score += 0.15 * (old[i].role is not None and old[i].role == new[j].role)
            score += 0.05 * (old[i].qualifier == new[j].qualifier)
            score += 0.1 * (1 - abs(i / max(len(old), 1) - j / max(len(new), 1)))
            scored.append((score, context, i, j))
    lone = len(old_free) == 1 and len(new_free) == 1
    for _, context, i, j in sorted(scored, key=lambda s: (-s[0], s[2], s[3])):
        if (context >= CONTEXT_MIN or lone) and i not in pairs and j in new_free:
            pairs[i] = j
            new_free.remove(j)
    ordered = sorted(pairs.items(), key=lambda p: p[1])
    return (
        [(old[i], new[j]) for i, j in ordered],
        [old[i] for i in range(len(old)) if i not in pairs],
        [new[j] for j in new_free],
    )


def _contexts(amounts: Sequence[Amount], text: str) -> list[str]:
    """The words around each amount, digits removed: '单个项目最高可给予#万元#补助'."""
    contexts: list[str] = []
    cursor = 0
    for amount in amounts:
        at = text.find(amount.raw, cursor)
        if at < 0:
            at = text.find(amount.raw)
        if at < 0:
            contexts.append(_no_digits(amount.raw))
            continue
        cursor = at + len(amount.raw)
        before, after = text[max(0, at - 12) : at], text[cursor : cursor + 8]
        contexts.append(_no_digits(f"{before}#{amount.raw}#{after}"))
    return contexts


def _no_digits(text: str) -> str:
    return "".join(ch for ch in text if not (ch.isdigit() or ch in ".,"))


def value_of(amount: Amount) -> Decimal | str:
    """The value as a number, or as written when it is not one."""
    try:
        return Decimal(amount.value)
    except InvalidOperation:
        return amount.value


def deltas(old: Amount, new: Amount) -> tuple[str | None, str | None]:
    """(new - old, (new - old) / old * 100 to two decimals) as plain decimal strings; None where undefined."""
    a, b = value_of(old), value_of(new)
    if not isinstance(a, Decimal) or not isinstance(b, Decimal) or old.unit != new.unit:
        return None, None
    delta = _plain(b - a)
    if a == 0:
        return delta, None
    return delta, _plain(((b - a) / a * 100).quantize(Decimal("0.01")))


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text
