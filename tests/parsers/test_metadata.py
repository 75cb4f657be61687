"""Metadata helpers on seed phrases: 文号, dates, region/level, series/edition, effective period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.metadata import (
    canonical_region,
    county_cities,
    effective_period,
    find_doc_numbers,
    normalize_doc_number,
    parse_cn_date,
    region_and_level,
    series_and_edition,
)
from parsers.normalize import normalize_text


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("浙政发〔２０２１〕２０ 号", "浙政发〔2021〕20号"),  # 004, full width with a space
        ("浙政发〔2026〕6号", "浙政发〔2026〕6号"),
        ("浙政发[2021]20号", "浙政发〔2021〕20号"),
        ("浙政发(2021)20号", "浙政发〔2021〕20号"),
        ("浙政发（2021）20号", "浙政发〔2021〕20号"),
        ("浙政发［2021］20号", "浙政发〔2021〕20号"),
        ("浙政办发〔2026〕4号", "浙政办发〔2026〕4号"),
        ("浙医保联发〔2021〕19号", "浙医保联发〔2021〕19号"),
        ("浙政发〔2021〕第020号", "浙政发〔2021〕20号"),
        (" 浙政函〔2021〕81号 ", "浙政函〔2021〕81号"),
    ],
)
def test_normalize_doc_number(written: str, normalized: str) -> None:
    assert normalize_doc_number(written) == normalized


@pytest.mark.parametrize(
    "s", ["", "浙政发", "浙政发〔2021〕", "2026年版", "(2026年版)", "第25期", "〔2021〕20号"]
)
def test_not_doc_numbers(s: str) -> None:
    assert normalize_doc_number(s) is None


def test_find_doc_numbers_in_running_text() -> None:
    text = (
        "根据《浙江省人民政府关于印发〈推动经济高质量发展若干政策(2026年版)〉的通知》(浙政发〔2026〕6号)等文件精神。"
        "印发浙政发〔2021〕20号,再次引用浙政发[2026]6号;国办发〔2020〕45号。"
    )
    assert find_doc_numbers(text) == ["浙政发〔2026〕6号", "浙政发〔2021〕20号", "国办发〔2020〕45号"]
    assert find_doc_numbers("规划期限为2021—2025年,(2026年版)") == []


def test_find_doc_numbers_in_the_gazette(seed_paths: list[Path]) -> None:
    text = normalize_text(seed_paths[4].read_text("utf-8"))
    found = find_doc_numbers(text)
    for own in [
        "浙政发〔2021〕20号",
        "浙政发〔2021〕21号",
        "浙政函〔2021〕81号",
        "浙政办发〔2021〕39号",
        "浙政办发〔2021〕41号",
        "浙政办发〔2021〕42号",
        "浙政办函〔2021〕44号",
        "浙政办函〔2021〕47号",
        "浙医保联发〔2021〕19号",
    ]:
        assert own in found
    assert (
        found.index("浙政发〔2021〕20号")
        < found.index("浙政发〔2021〕21号")
        < found.index("浙医保联发〔2021〕19号")
    )
    assert len(found) == len(set(found))


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("2026年1月31日", date(2026, 1, 31)),
        ("2026年2月3日印发", date(2026, 2, 3)),
        ("２０２１ 年 ７ 月 ２ 日", date(2021, 7, 2)),
        ("二○二一年七月二日", date(2021, 7, 2)),
        ("二〇二一年十二月三十一日", date(2021, 12, 31)),
        ("二〇二〇年十月二十日", date(2020, 10, 20)),
        ("2026-02-03", date(2026, 2, 3)),
        ("2026/2/3", date(2026, 2, 3)),
        ("2026年2月30日", None),
        ("2026年", None),
        ("浙政发〔2026〕6号", None),
        ("", None),
    ],
)
def test_parse_cn_date(s: str, expected: date | None) -> None:
    assert parse_cn_date(s) == expected


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("浙江省人民政府", ("浙江省", "province")),
        ("浙江省人民政府办公厅", ("浙江省", "province")),
        ("浙江省医疗保障局", ("浙江省", "province")),
        ("中共浙江省委办公厅", ("浙江省", "province")),
        ("省发展改革委", ("浙江省", "province")),
        ("杭州市人民政府", ("杭州市", "city")),
        ("宁波市人民政府办公厅", ("宁波市", "city")),
        ("市科技局", (None, "city")),
        ("杭州市萧山区人民政府", ("杭州市萧山区", "county")),
        # a county-level unit is always named with its prefecture city, however it was written
        ("淳安县人民政府", ("杭州市淳安县", "county")),
        ("义乌市人民政府", ("金华市义乌市", "county")),
        ("景宁畲族自治县人民政府", ("丽水市景宁畲族自治县", "county")),
        ("余杭区人民政府", ("杭州市余杭区", "county")),
        ("杭州市余杭区人民政府", ("杭州市余杭区", "county")),
        ("浙江省杭州市余杭区人民政府办公室", ("杭州市余杭区", "county")),
        ("余杭区科技局", ("杭州市余杭区", "county")),
        ("宁波市鄞州区发展和改革局", ("宁波市鄞州区", "county")),
        ("鄞州区人民政府", ("宁波市鄞州区", "county")),
        ("龙港市人民政府", ("温州市龙港市", "county")),
        ("省市场监管局", ("浙江省", "province")),  # not a county called 省市
        ("市市场监管局", (None, "city")),
        ("县市场监管局", (None, "county")),
        ("各市、县(市、区)人民政府", (None, None)),  # addressees, not an issuer
        ("国务院办公厅", (None, None)),
        ("", (None, None)),
    ],
)
def test_region_and_level(issuer: str, expected: tuple[str | None, str | None]) -> None:
    assert region_and_level(issuer) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("余杭区", "杭州市余杭区"),
        ("杭州市余杭区", "杭州市余杭区"),
        ("浙江省杭州市余杭区", "杭州市余杭区"),
        ("杭州余杭区", "杭州市余杭区"),
        ("义乌市", "金华市义乌市"),
        ("杭州市", "杭州市"),
        ("杭州", "杭州市"),
        ("浙江省", "浙江省"),
        ("浙江", "浙江省"),
        (" 余杭区 ", "杭州市余杭区"),
        ("某某区", "某某区"),  # not a Zhejiang county: kept as written
        ("", None),
    ],
)
def test_canonical_region(written: str, expected: str | None) -> None:
    assert canonical_region(written) == expected


def test_every_county_in_the_table_reads_the_same_both_ways() -> None:
    for county, city in county_cities().items():
        full = f"{city}{county}"
        assert region_and_level(f"{county}人民政府") == (full, "county"), county
        assert region_and_level(f"{full}人民政府") == (full, "county"), county
    assert len(county_cities()) == 93  # the 90 of today and 3 districts merged away


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("推动经济高质量发展若干政策(2026年版)", ("推动经济高质量发展若干政策", "2026")),  # 000
        ("关于推动经济高质量发展的若干政策(2026年版)", ("推动经济高质量发展若干政策", "2026")),  # 001
        ("关于进一步推动经济高质量发展的若干政策", ("推动经济高质量发展若干政策", None)),  # 003
        ("关于进一步推动经济高质量发展的若干政策(征求意见稿)", ("推动经济高质量发展若干政策", None)),
        (
            "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知",
            ("推动经济高质量发展若干政策", "2026"),
        ),
        ("《推动经济高质量发展若干政策(2024年版)》", ("推动经济高质量发展若干政策", "2024")),
        ("2026年政府工作报告重点工作责任分解", ("政府工作报告重点工作责任分解", "2026")),
        (
            "浙江省全球先进制造业基地建设“十四五”规划",
            ("浙江省全球先进制造业基地建设规划", "2021—2025"),
        ),  # 004
        ("浙江省全球先进制造业基地建设“十五五”规划", ("浙江省全球先进制造业基地建设规划", "2026—2030")),
        (
            "浙江省农村生活污水治理“强基增效双提标”行动方案(2021—2025年)",
            ("浙江省农村生活污水治理“强基增效双提标”行动方案", "2021—2025"),
        ),
        (
            "浙江省人民政府关于命名第五批省级生态文明建设示范市、县(市、区)的通知",
            ("命名第五批省级生态文明建设示范市、县(市、区)通知", None),
        ),
        ("杭州市人民政府办公厅关于推动经济高质量发展的若干政策", ("推动经济高质量发展若干政策", None)),
    ],
)
def test_series_and_edition(title: str, expected: tuple[str, str | None]) -> None:
    assert series_and_edition(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本政策明确的各项措施均为2026年全年实施有效。", (date(2026, 1, 1), date(2026, 12, 31))),
        ("本政策明确的各项措施均为 ２０２４ 年全年实施有效", (date(2024, 1, 1), date(2024, 12, 31))),
        ("特编制本规划。规划期限为2021—2025年。", (date(2021, 1, 1), date(2025, 12, 31))),
        ("本意见自2021年8月1日起施行。", (date(2021, 8, 1), None)),
        ("本办法自2026年3月1日起施行,有效期5年。", (date(2026, 3, 1), date(2031, 2, 28))),
        ("自2026年3月1日起施行,有效期为三年。", (date(2026, 3, 1), date(2029, 2, 28))),
        ("有效期至2028年12月31日。", (None, date(2028, 12, 31))),
        ("执行期限为2024年1月1日至2025年6月。", (date(2024, 1, 1), date(2025, 6, 30))),
        ("有效期5年。", (None, None)),  # no start to count from
        ("推动外贸出口增长5%以上。", (None, None)),
    ],
)
def test_effective_period(text: str, expected: tuple[date | None, date | None]) -> None:
    assert effective_period(text) == expected


def test_effective_from_issue_date() -> None:
    text = "本办法自印发之日起施行,有效期3年。"
    assert effective_period(text) == (None, None)
    assert effective_period(text, issued=date(2021, 7, 2)) == (date(2021, 7, 2), date(2024, 7, 1))
    # a stated date wins over the issue date
    assert effective_period("自2021年8月1日起施行", issued=date(2021, 7, 2)) == (date(2021, 8, 1), None)


@given(st.text())
def test_never_raise(s: str) -> None:
    normalize_doc_number(s)
    find_doc_numbers(s)
    parse_cn_date(s)
    region_and_level(s)
    canonical_region(s)
    series_and_edition(s)
    effective_period(s)


NOTICE = """浙江省人民政府办公厅关于印发浙江省促进企业发展若干政策的通知
浙政办发〔2025〕12号
各市、县(市、区)人民政府,省政府直属各单位:
现将《浙江省促进企业发展若干政策》印发给你们,请认真贯彻执行。
浙江省人民政府办公厅
2025年3月1日
一、加大研发投入支持力度
对企业研发费用给予补助。
本政策自印发之日起施行,有效期3年。
"""


def test_a_parsed_notice_takes_effect_on_its_issue_date() -> None:
    # "自印发之日起施行,有效期3年" under a notice dated 2025年3月1日: 2025-03-01 to 2028-02-29.
    from parsers.pipeline import parse_text
    from parsers.schema import Source

    [doc] = parse_text(NOTICE, Source(sha256="0" * 64))
    assert doc.issued_date == date(2025, 3, 1)
    assert (doc.effective_from, doc.effective_to) == (date(2025, 3, 1), date(2028, 2, 29))
    [printed] = parse_text(
        NOTICE + "抄送:省委各部门。\n浙江省人民政府办公厅\n2025年3月5日印发\n", Source(sha256="0" * 64)
    )
    assert printed.printed_date == date(2025, 3, 5)
    assert printed.effective_from == date(2025, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本政策自2025年4月1日起实施,2026年12月31日止。", (date(2025, 4, 1), date(2026, 12, 31))),
        ("本政策自2025年4月1日起施行至2027年3月31日。", (date(2025, 4, 1), date(2027, 3, 31))),
        ("本政策自2025年1月1日起至2025年12月31日止执行。", (date(2025, 1, 1), date(2025, 12, 31))),
        # a later date that is not an end: the other document is repealed, this one has no end
        ("本办法自2025年4月1日起施行,2019年5月1日印发的《办法》同时废止。", (date(2025, 4, 1), None)),
    ],
)
def test_effective_from_a_date_until_a_date(text: str, expected: tuple[date | None, date | None]) -> None:
    assert effective_period(text) == expected
