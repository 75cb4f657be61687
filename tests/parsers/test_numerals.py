"""Chinese numerals: one reader for labels, amounts and dates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.amounts import _cn_integer, _cn_number
from parsers.labels import cn_number
from parsers.metadata import parse_cn_date
from parsers.numerals import cn_digits, cn_integer

_DIGITS = "零一二三四五六七八九"


def _small(n: int) -> str:
    """1..9999 as written: 三千零五, 一百零三, 二十."""
    out, zero = "", False
    for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + _DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def _write(n: int) -> str:
    """0 <= n < 10**12 the way a notice writes it (一十二 for 12 inside a larger number)."""
    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    out = ""
    for part, unit in ((yi, "亿"), (wan, "万"), (low, "")):
        if part:
            if out and part < 1000:
                out += "零"
            out += _small(part) + unit
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("四十二", 42), ("一百零三", 103),
        ("两千", 2000), ("五千万", 50_000_000), ("三亿五千万", 350_000_000), ("一万亿", 10**12),
        ("一万零五百", 10_500), ("百亿", 10**10),
        ("二〇二一", 2021), ("二○二六", 2026), ("二OO八", 2008), ("零", 0), ("七", 7), ("三一", 31),
    ],
)  # fmt: skip
def test_cn_integer(text: str, expected: int) -> None:
    assert cn_integer(text) == expected


@pytest.mark.parametrize(
    "text", ["", "十十", "五十十", "十百", "一二十", "〇十", "十〇一", "三五千", "十a", "点"]
)
def test_malformed_is_none(text: str) -> None:
    assert cn_integer(text) is None


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_positional_round_trip(n: int) -> None:
    assert cn_integer(_write(n)) == n


@given(st.integers(min_value=0, max_value=10**6))
def test_digit_by_digit_round_trip(n: int) -> None:
    written = "".join("〇一二三四五六七八九"[int(c)] for c in str(n))
    assert cn_integer(written) == n
    assert cn_digits("零" + written) == "0" + str(n)


def test_callers_keep_their_rules() -> None:
    assert cn_number("58") == 58
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        cn_number("十十")
    assert _cn_number("三点零五") == Decimal("3.05")
    assert _cn_number("二十五") == Decimal(25)
    assert _cn_integer("百亿") is None  # no digit written: a magnitude, not an amount
    assert _cn_integer("两百万") == 2_000_000
    assert str(parse_cn_date("二○二一年七月二十二日")) == "2021-07-22"
    assert str(parse_cn_date("二〇二六年十二月三十一日")) == "2026-12-31"
