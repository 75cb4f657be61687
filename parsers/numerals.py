"""Numbers written in Chinese characters: the one reader that labels, amounts and dates share.

Two ways of writing coincide in one rule. Without a unit character (十百千万亿) the digits are read
one by one, as years and decimals are written: 二〇二一 -> 2021, 二○二六 -> 2026. With one they
are positional: 十二 -> 12, 一百零三 -> 103, 两千 -> 2000, 三亿五千万 -> 350000000. 〇 ○ 零 (and a
Latin O typed for 〇 in dates) are zero, 两 is two.
"""

from __future__ import annotations

__all__ = ["CN_DIGITS", "cn_digits", "cn_integer"]

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_UNITS = frozenset("十百千万亿")


def cn_digits(s: str) -> str | None:
    """Digit by digit, leading zeros kept (the part after 点): 零五 -> "05"; None unless all digits."""
    if not s or not all(c in CN_DIGITS for c in s):
        return None
    return "".join(str(CN_DIGITS[c]) for c in s)


def cn_integer(s: str) -> int | None:
    """The value of a Chinese numeral (see the module docstring); None for an empty string, a
    character that is not a Chinese digit or unit, or a malformed numeral (一二十, 〇十, 十百, 五十十)."""
    if not _UNITS.intersection(s):
        digits = cn_digits(s)
        return None if digits is None else int(digits)
    total = section = num = 0
    last_unit = 10_000  # the smallest unit written so far in this section
    for ch in s:
        if ch in CN_DIGITS:
            if num or not (CN_DIGITS[ch] or ((total or section) and last_unit > 10)):
                return None  # two digits in a row, or a zero that skips no place (〇十, 十〇一)
            num = CN_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            section += (num or 1) * unit
            num, last_unit = 0, unit
        elif ch == "万":
            total += (section + num) * 10_000
            section = num = 0
            last_unit = 10_000
        elif ch == "亿":
            total = (total + section + num) * 100_000_000
            section = num = 0
            last_unit = 10_000
        else:
            return None
    return total + section + num
