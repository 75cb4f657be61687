"""Hard-wrapped text parses like the text as written: a notice wrapped at any width from 20 to 80
characters (at spaces as an e-mail or a text viewer wraps, or cut wherever the width runs out)
gives the same Documents, the source hash aside."""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parsers.normalize import _wrap_width, normalize_text
from parsers.pipeline import parse_text
from parsers.schema import Source
from seeds import seed_texts

SOURCE = Source(path="wrapped.txt", sha256="0" * 64)
_TEXTS = {path.name[:3]: path.read_text(encoding="utf-8") for path in seed_texts()}


def at_spaces(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width)


def cut(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)]


WRAPS: dict[str, Callable[[str, int], list[str]]] = {"at spaces": at_spaces, "cut": cut}


def wrap(text: str, width: int, how: Callable[[str, int], list[str]]) -> str:
    return "\n".join("\n".join(how(line, width)) if line.strip() else line for line in text.splitlines())


def documents(text: str) -> list[dict[str, object]]:
    return [d.model_dump(exclude={"source"}) for d in parse_text(text, SOURCE)]


_PARSED = {number: documents(text) for number, text in _TEXTS.items()}


# What opens a new unit however the text is wrapped: a label, a note line, a date.
_OPENS_UNIT = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、]|责任单位|\d{4}年)"
)


def ambiguous(text: str, width: int, how: Callable[[str, int], list[str]]) -> bool:
    """Whether two of the text's lines, written apart, wrap exactly as they would written as one
    line, the first ending a sentence and the second opening no new unit: then the wrapped text
    cannot tell the author's line break. Seed 002 has such a pair ("22. …提质增效。" over
    "推进良渚…", one item that the PDF split in two)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for first, second in itertools.pairwise(lines):
        apart = first[-1] in "。；！？" and not _OPENS_UNIT.match(second)
        if apart and how(first + second, width) == how(first, width) + how(second, width):
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(
    number=st.sampled_from(["000", "001", "002", "003"]),
    width=st.integers(20, 80),
    how=st.sampled_from(sorted(WRAPS)),
)
def test_wrapped_seed_parses_as_written(number: str, width: int, how: str) -> None:
    text = _TEXTS[number]
    if number == "002":  # the only seed with such a pair; 000, 001 and 003 hold at every width
        assume(not ambiguous(text, width, WRAPS[how]))
    assert documents(wrap(text, width, WRAPS[how])) == _PARSED[number]


@pytest.mark.parametrize("number", ["000", "001", "003"])
def test_every_width_from_20_to_80(number: str) -> None:
    for how in WRAPS.values():
        for width in range(20, 81):
            assert documents(wrap(_TEXTS[number], width, how)) == _PARSED[number], (how.__name__, width)


def test_seed_002_is_ambiguous_at_few_widths_and_parses_as_written_at_all_others() -> None:
    skipped = []
    for how in WRAPS.values():
        for width in range(20, 81):
            if ambiguous(_TEXTS["002"], width, how):
                skipped.append((how.__name__, width))
                continue
            assert documents(wrap(_TEXTS["002"], width, how)) == _PARSED["002"], (how.__name__, width)
    assert len(skipped) <= 10, skipped


def test_number_broken_at_the_cut_is_one_number() -> None:
    line = "推动全省科技创新投入达到7800亿元,全社会研发投入强度达到3.35%。省财政预算安排212.26亿元。"
    assert line.index("7800") == 12  # the cut at 14 falls inside "7800"
    wrapped = "\n".join(cut(line, 14) * 3)
    assert normalize_text(wrapped) == "\n".join([line] * 3)
    assert documents(wrapped)[0]["clauses"] == documents("\n".join([line] * 3))[0]["clauses"]


def test_label_like_text_at_the_cut_stays_in_its_sentence() -> None:
    # "1.7万名" after a cut at a full stop, "(一)项" after a cut inside a sentence: no new clause.
    line = "(一)支持企业引进人才。1.7万名学生留浙就业。按照本政策的相关规定中第(一)项规定给予补助。"
    assert [line[12:17], line[36:39]] == ["1.7万名", "(一)"]  # each at the start of a cut line
    wrapped = "\n".join(cut(line, 12) + cut(line, 12) + cut(line, 12))
    assert normalize_text(wrapped) == "\n".join([line] * 3)


def test_seed_004_is_a_pdf_extraction_and_not_taken_for_hard_wrapped_text() -> None:
    # 004's lines come from a PDF's proportional layout (35-49 characters): no single width holds
    # them, so the general paragraph rules rejoin it as before and its golden stays as reviewed.
    # Re-wrapping it would wrap lines twice, a shape no source produces; it is not in the property.
    text = _TEXTS["004"]
    assert _wrap_width([len(line.strip()) for line in text.splitlines()]) is None
