"""Departments: alias table, list splitting, leads and responsibility notes, on seed phrases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.departments import (
    _aliases,
    canonical_department,
    extract_lead,
    extract_responsibility,
    parse_department_list,
    parse_responsible,
)
from parsers.normalize import normalize_text


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("省人社保厅", "省人力社保厅"),
        ("省人力社保厅", "省人力社保厅"),
        ("省人社厅", "省人力社保厅"),
        ("浙江省人力资源和社会保障厅", "省人力社保厅"),
        ("省发改委", "省发展改革委"),
        ("浙江省发展和改革委员会", "省发展改革委"),
        ("省经济和信息化厅", "省经信厅"),
        ("浙江省科学技术厅", "省科技厅"),
        ("杭州市科学技术局", "市科技局"),
        ("宁波市科学技术局", "市科技局"),  # any of the 11 cities
        ("中共杭州市委宣传部", "市委宣传部"),
        ("杭州市政府", "杭州市政府"),
        ("省文化和旅游厅", "省文化广电和旅游厅"),
        ("省文化广电与旅游厅", "省文化广电和旅游厅"),
        ("浙江省医疗保障局", "省医保局"),
        ("浙江省卫生健康委员会", "省卫生健康委"),
        ("中共浙江省委宣传部", "省委宣传部"),
        ("科技厅", "省科技厅"),  # 002 writes it once without 省
        ("省委金融办(省地方金融局)", "省委金融办"),
        ("省卫生健康委〔省中医药管理局〕", "省卫生健康委"),
        ("省发展改革委(省能源局)", "省发展改革委"),
        ("省科技厅牵头", "省科技厅"),
        (" 省财政厅 ", "省财政厅"),
        ("杭州城西科创大走廊管委会", "杭州城西科创大走廊管委会"),  # unknown: kept as written
        ("省大数据局", "省大数据局"),  # a predecessor is not its successor
    ],
)
def test_canonical(written: str, canonical: str) -> None:
    assert canonical_department(written) == canonical


def _pairs(s: str) -> list[tuple[str, str]]:
    return [(d.name, d.written) for d in parse_department_list(s)]


def test_list_with_alternate_names_and_trailing_note() -> None:
    s = (
        "省财政厅、省委金融办(省地方金融局)、省审计厅、省国资委、人行浙江省分行、浙江金融监管局、浙江证监局"
        "(除特别注明外,列第一位的为牵头或汇总单位,下同)"
    )
    assert _pairs(s) == [
        ("省财政厅", "省财政厅"),
        ("省委金融办", "省委金融办(省地方金融局)"),
        ("省审计厅", "省审计厅"),
        ("省国资委", "省国资委"),
        ("人行浙江省分行", "人行浙江省分行"),
        ("浙江金融监管局", "浙江金融监管局"),
        ("浙江证监局", "浙江证监局"),
    ]


def test_lead_suffix_marks_the_whole_run() -> None:
    units, leads = parse_responsible("省政府办公厅、省委依法治省办(省司法厅)牵头")
    assert [(d.name, d.written) for d in units] == [
        ("省政府办公厅", "省政府办公厅"),
        ("省委依法治省办", "省委依法治省办(省司法厅)"),
    ]
    assert leads == units
    units, leads = parse_responsible("省应急管理厅、省消防救援总队牵头,省防灾减灾救灾委员会其他成员单位")
    assert [d.name for d in units] == ["省应急管理厅", "省消防救援总队", "省防灾减灾救灾委员会其他成员单位"]
    assert [d.name for d in leads] == ["省应急管理厅", "省消防救援总队"]


def test_addressees_kept_whole() -> None:
    assert _pairs("省政府办公厅、省政府直属各单位,各市、县(市、区)政府") == [
        ("省政府办公厅", "省政府办公厅"),
        ("省政府直属各单位", "省政府直属各单位"),
        ("各市、县(市、区)政府", "各市、县(市、区)政府"),
    ]


def test_city_governments_shorthand() -> None:
    assert _pairs("省商务厅,杭州市、宁波市、温州市政府") == [
        ("省商务厅", "省商务厅"),
        ("杭州市政府", "杭州市"),
        ("宁波市政府", "宁波市"),
        ("温州市政府", "温州市政府"),
    ]


def test_glued_units_split_when_both_known() -> None:
    names = [
        d.name for d in parse_department_list("省发展改革委(省能源局)、省委军民融合办省国动办、省自然资源厅")
    ]
    assert names == ["省发展改革委", "省委军民融合办", "省国动办", "省自然资源厅"]


def test_aliases_in_one_list_agree() -> None:
    names = {
        d.name
        for d in parse_department_list("省人社保厅、浙江省人力资源和社会保障厅、省人社厅、省人力社保厅")
    }
    assert names == {"省人力社保厅"}


def test_extract_lead() -> None:
    assert [d.name for d in extract_lead("一、深化教育科技人才一体改革发展(由省科技厅牵头)")] == ["省科技厅"]
    assert [d.name for d in extract_lead("一、扩大有效投资政策(由省发展改革委牵头实施)")] == ["省发展改革委"]
    assert [d.name for d in extract_lead("八、保障和改善民生(由省人社保厅牵头)")] == ["省人力社保厅"]
    assert [d.written for d in extract_lead("八、保障和改善民生(由省人社保厅牵头)")] == ["省人社保厅"]
    assert [d.name for d in extract_lead("(由省科技厅牵头负责)")] == ["省科技厅"]
    assert [d.name for d in extract_lead("(由省科技厅负责)")] == ["省科技厅"]
    assert extract_lead("(一)推动高等教育整体性跃升。") == []


def test_inline_responsibility_runs_split_at_each_note() -> None:
    text = (
        "全域幸福河湖建设700公里。(牵头领导:李岩益,责任单位:省水利厅)"
        "新增养老护理、急救救护“双持证”护理员1万人。(牵头领导:胡伟,责任单位:省民政厅、省红十字会)"
        "举办名中医惠老医养健体服务活动1000场。(牵头领导:李岩益,责任单位:省卫生健康委〔省中医药管理局〕)"
    )
    notes = extract_responsibility(text)
    assert [(n.leaders, [d.name for d in n.responsible]) for n in notes] == [
        (["李岩益"], ["省水利厅"]),
        (["胡伟"], ["省民政厅", "省红十字会"]),
        (["李岩益"], ["省卫生健康委"]),
    ]
    assert all(n.inline for n in notes)
    assert text[notes[0].end :].startswith("新增养老护理")
    assert text[notes[1].start : notes[1].end] == "(牵头领导:胡伟,责任单位:省民政厅、省红十字会)"


def test_responsibility_lines_and_notes() -> None:
    text = (
        "1.加强地方政府债务风险监测预警和防控处置。\n"
        "责任单位:省财政厅、浙江证监局(除特别注明外,列第一位的为牵头或汇总单位,下同)\n"
        "2.支持革命老区、民族地区振兴发展。\n"
        "责任单位:省发展改革委、省民宗委牵头\n"
        "(责任单位:市委金融办、市科技局,杭州城西科创大走廊管委会)"
    )
    notes = extract_responsibility(text)
    assert [n.inline for n in notes] == [False, False, True]
    assert [d.name for d in notes[0].responsible] == ["省财政厅", "浙江证监局"]
    assert notes[0].note == "除特别注明外,列第一位的为牵头或汇总单位,下同"
    assert [d.name for d in notes[1].lead] == ["省发展改革委", "省民宗委"]
    assert [d.name for d in notes[2].responsible] == ["市委金融办", "市科技局", "杭州城西科创大走廊管委会"]
    assert notes[2].leaders == []


def test_note_after_full_stop_inside_list() -> None:
    # 004: "(责任单位:…、省卫生健康委。列第一位的为牵头单位,下同)"
    [note] = extract_responsibility(
        "(责任单位:省大数据局、省民政厅、省卫生健康委。列第一位的为牵头单位,下同)"
    )
    assert [d.name for d in note.responsible] == ["省大数据局", "省民政厅", "省卫生健康委"]
    assert note.note == "列第一位的为牵头单位,下同"


def test_alias_table_is_consistent() -> None:
    table = _aliases()  # raises on an alias listed under two canonical names
    raw = yaml.safe_load((Path(__file__).parents[2] / "parsers" / "departments.yaml").read_text("utf-8"))
    canonicals = {c for section in raw.values() for c in section}
    assert set(table.values()) == canonicals
    assert all(table[c] == c for c in canonicals)


def test_every_unit_the_seeds_name_in_lists_is_known_or_a_group(seed_paths: list[Path]) -> None:
    """Coverage of the alias table over the seeds: unknown names may only be 其他成员单位 groups,
    local governments and 管委会 bodies, which are their own canonical names."""
    known = set(_aliases().values())
    allowed_suffixes = ("其他成员单位", "政府", "管委会", "办事处")
    unknown = set()
    for path in seed_paths:
        text = normalize_text(path.read_text("utf-8"))
        for note in extract_responsibility(text):
            for d in note.responsible:
                if d.name not in known and not d.name.endswith(allowed_suffixes):
                    unknown.add(d.name)
        for d in extract_lead(text):
            assert d.name in known, d
    # Left over: units written glued to following text by the source layout.
    assert {u for u in unknown if len(u) <= 12} <= {"粮储浙江局"}


@settings(max_examples=200)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("省市县区厅局委办、,()〔〕:牵头领导责任单位由实施各政府。\n李岩益浙江A1")
        )
    )
)
def test_never_raise_and_written_forms_come_from_the_input(s: str) -> None:
    for d in parse_department_list(s):
        assert d.name and d.written
    for d in extract_lead(s):
        assert d.written in s
    for note in extract_responsibility(s):
        assert 0 <= note.start < note.end <= len(s)
        canonical_department(s)


def test_trailing_deng_does_not_hide_the_unit() -> None:
    # "省科技厅、省财政厅等" lists 省财政厅; a subscription on it must see the list.
    [note] = extract_responsibility("加大研发投入。(责任单位:省科技厅、省财政厅等)")
    assert [d.name for d in note.responsible] == ["省科技厅", "省财政厅"]
    assert [d.written for d in note.responsible] == ["省科技厅", "省财政厅等"]
    assert canonical_department("省经信厅等有关单位") == "省经信厅"
    assert canonical_department("省发展改革委等部门") == "省发展改革委"


def test_units_joined_by_he_or_ji_are_two_units() -> None:
    assert [d.name for d in parse_department_list("省科技厅和省财政厅")] == ["省科技厅", "省财政厅"]
    assert [d.name for d in parse_department_list("省教育厅及省人力社保厅")] == ["省教育厅", "省人力社保厅"]
    # a 和 inside a unit's own name stays: 省经济和信息化厅 is one unit
    assert [d.name for d in parse_department_list("省经济和信息化厅")] == ["省经信厅"]


def test_qiantou_fuze_marks_the_lead() -> None:
    # "省科技厅、省财政厅牵头负责": both lead, as "…牵头" would say; neither is named "…牵头负责".
    units, leads = parse_responsible("省科技厅、省财政厅牵头负责,省经信厅")
    assert [d.name for d in units] == ["省科技厅", "省财政厅", "省经信厅"]
    assert [d.name for d in leads] == ["省科技厅", "省财政厅"]


def test_bracketed_qiantou_marks_that_unit_as_lead() -> None:
    # "省经信厅(牵头)、省财政厅": 省经信厅 leads, 省财政厅 does not.
    units, leads = parse_responsible("省经信厅(牵头)、省财政厅")
    assert [d.name for d in units] == ["省经信厅", "省财政厅"]
    assert [d.name for d in leads] == ["省经信厅"]
    [note] = extract_responsibility("推进数字化改造。(责任单位:省经信厅(牵头)、省财政厅)")
    assert [d.name for d in note.lead] == ["省经信厅"]


def test_official_short_name_of_the_human_resources_department() -> None:
    # The department's own short form drops 和: 省人力资源社会保障厅 is 省人力社保厅.
    assert canonical_department("省人力资源社会保障厅") == "省人力社保厅"
    assert canonical_department("浙江省人力资源社会保障厅") == "省人力社保厅"
