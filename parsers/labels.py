"""Hierarchy markers of Chinese government documents: 一、 (一) 1. (1) ① 第X章 第X条, and the
phrase that opens a notice's closing part (`CLOSING`).

Works on normalized text (ASCII parentheses and digits); full-width forms are accepted too so a
paragraph that escaped normalization is still recognized.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.numerals import cn_integer

_CN = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# "上述8个领域政策…", "本通知自印发之日起施行": the paragraph after the last clause, not part of it.
# Layout opens the closing block on it; unwrapping starts a new paragraph at it.
CLOSING = re.compile(
    r"(?:上述|以上)\S{0,12}(?:政策|措施|意见|任务)"
    r"|本(?:政策|意见|通知|文件|方案|规划|办法|规定|细则|措施|实施方案|行动方案|决定)"
    r"(?:明确|自|从|所|的|有效|中|由|执行|施行|实施)"
)


def cn_number(s: str) -> int:
    """一 -> 1, 十二 -> 12, 四十二 -> 42, 一百零三 -> 103; ASCII digits pass through."""
    if s.isdigit():
        return int(s)
    number = cn_integer(s)
    if number is None:
        raise ValueError(f"not a Chinese numeral: {s!r}")
    return number


@dataclass(frozen=True)
class Marker:
    style: str  # one name per marker family; the hierarchy is the order styles first appear in
    label: str  # normalized: '一、', '(二)', '1.', '(1)', '①', '第三条'
    token: str  # the label's part of a clause id
    number: int
    rest: str  # the paragraph after the label


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cn_dun", re.compile(rf"([{_CN}]{{1,4}})、\s*")),
    ("cn_paren", re.compile(rf"[(（]([{_CN}]{{1,4}})[)）]\s*")),
    ("chapter", re.compile(rf"第([{_CN}\d]{{1,4}})章\s*")),
    ("section", re.compile(rf"第([{_CN}\d]{{1,4}})节\s*")),
    ("article", re.compile(rf"第([{_CN}\d]{{1,4}})条\s*")),
    ("arabic_dot", re.compile(r"(\d{1,3})\s?[.．、](?![\d.．%])\s*")),
    ("arabic_paren", re.compile(r"[(（](\d{1,3})[)）]\s*")),
    ("circled", re.compile(rf"([{_CIRCLED}])\s*")),
]


# Only the patterns that can match a paragraph's first character are tried.
_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _first, _styles in (
    (_CN, ("cn_dun",)),
    ("(（", ("cn_paren", "arabic_paren")),
    ("第", ("chapter", "section", "article")),
    ("0123456789０１２３４５６７８９", ("arabic_dot",)),
    (_CIRCLED, ("circled",)),
):
    for _ch in _first:
        _BY_FIRST[_ch] = [(style, pattern) for style, pattern in _PATTERNS if style in _styles]


def parse_marker(paragraph: str) -> Marker | None:
    """The hierarchy marker a paragraph opens with, or None."""
    for style, pattern in _BY_FIRST.get(paragraph[:1], ()):
        m = pattern.match(paragraph)
        if m is None:
            continue
        raw = m.group(1)
        rest = paragraph[m.end() :]
        if not rest.strip():
            return None
        if style == "circled":
            number = _CIRCLED.index(raw) + 1
        else:
            try:
                number = cn_number(raw)
            except ValueError:
                continue
        if number == 0:
            continue
        label, token = _label_and_token(style, raw, number)
        return Marker(style=style, label=label, token=token, number=number, rest=rest)
    return None


def _label_and_token(style: str, raw: str, number: int) -> tuple[str, str]:
    if style == "cn_dun":
        return f"{raw}、", raw
    if style == "cn_paren":
        return f"({raw})", raw
    if style == "arabic_dot":
        return f"{number}.", str(number)
    if style == "arabic_paren":
        return f"({number})", f"({number})"
    if style == "circled":
        return raw, raw
    unit = {"chapter": "章", "section": "节", "article": "条"}[style]
    return f"第{raw}{unit}", f"第{raw}{unit}"
