"""Layout on small hand-written notices: markers, nesting, parts, measures, closing blocks, tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.labels import cn_number, parse_marker
from parsers.pipeline import parse_text
from parsers.schema import Source
from parsers.structure import Layout, paragraphs_of, parse_layout, split_documents
from parsers.tables import find_tables


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("四十二", 42), ("一百零三", 103), ("58", 58)],
)
def test_cn_number(text: str, expected: int) -> None:
    assert cn_number(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "style", "label", "number", "rest"),
    [
        ("一、深化改革(由省科技厅牵头)", "cn_dun", "一、", 1, "深化改革(由省科技厅牵头)"),
        ("(四十二)支持推进人的全面发展。", "cn_paren", "(四十二)", 42, "支持推进人的全面发展。"),
        ("（三）发展目标。", "cn_paren", "(三)", 3, "发展目标。"),
        ("58.支持推进“弱有众扶”。", "arabic_dot", "58.", 58, "支持推进“弱有众扶”。"),
        ("1. 加强风险监测。", "arabic_dot", "1.", 1, "加强风险监测。"),
        ("１．优化“健康码”管理。", "arabic_dot", "1.", 1, "优化“健康码”管理。"),
        ("3、做好衔接。", "arabic_dot", "3.", 3, "做好衔接。"),
        ("(2)明确分工。", "arabic_paren", "(2)", 2, "明确分工。"),
        ("③加强宣传。", "circled", "③", 3, "加强宣传。"),
        ("第三条 本办法所称", "article", "第三条", 3, "本办法所称"),
        ("第二章 总则", "chapter", "第二章", 2, "总则"),
    ],
)
def test_markers(paragraph: str, style: str, label: str, number: int, rest: str) -> None:
    m = parse_marker(paragraph)
    assert m is not None
    assert (m.style, m.label, m.number, m.rest) == (style, label, number, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "2024年,全省供应建设用地35万亩。",
        "1.5万亩以上",
        "(此件公开发布)",
        "一、",
        "3.35%的研发投入强度",
        "十方面民生实事责任分解",
    ],
)
def test_not_markers(paragraph: str) -> None:
    assert parse_marker(paragraph) is None


NOTICE = """浙江省人民政府文件
浙政发〔2026〕6号
浙江省人民政府关于印发《示范政策(2026年版)》的通知
各市、县(市、区)人民政府,省政府直属各单位:
现将《示范政策(2026年版)》印发给你们,请认真组织实施。
浙江省人民政府
2026年1月31日
(此件公开发布)
示范政策(2026年版)
为推动发展,制定以下政策。
一、支持科技创新(由省科技厅牵头)
加大投入。省财政预算安排10亿元。
(一)推动高等教育整体性跃升。围绕需求协同育人。
(二)支持关键核心技术攻关。单个项目最高可给予1000万元补助。
二、扩大有效投资(由省发展改革委牵头)
(三)加力产业投资。支持产业项目谋划。
上述2个领域政策,省财政预算安排资金支持总额为20亿元。
本政策明确的各项措施均为2026年全年实施有效。
抄送:省委各部门,省人大常委会。
浙江省人民政府办公厅
2026年2月3日印发"""


def layout_of(text: str) -> Layout:
    return parse_layout(paragraphs_of(text))


def test_notice_frame_and_clause_tree() -> None:
    out = layout_of(NOTICE)
    assert out.doc_number == "浙政发〔2026〕6号"
    assert out.notice_title == "浙江省人民政府关于印发《示范政策(2026年版)》的通知"
    assert out.title == "示范政策(2026年版)"
    assert out.issuers == ["浙江省人民政府"]
    assert out.signed == "2026年1月31日"
    assert out.printed == "2026年2月3日印发"
    assert out.preamble == [
        "各市、县(市、区)人民政府,省政府直属各单位:",
        "现将《示范政策(2026年版)》印发给你们,请认真组织实施。",
        "为推动发展,制定以下政策。",
    ]
    shape = [(c.tokens, c.label, c.number, c.level, c.parent_index, c.closing) for c in out.clauses]
    assert shape == [
        (["一"], "一、", 1, 1, None, False),
        (["一", "一"], "(一)", 1, 2, 0, False),
        (["一", "二"], "(二)", 2, 2, 0, False),
        (["二"], "二、", 2, 1, None, False),
        (["二", "三"], "(三)", 3, 2, 3, False),
        (["n3"], "", 3, 1, None, True),
        (["n4"], "", 4, 1, None, True),
    ]
    assert out.clauses[0].lines == ["支持科技创新(由省科技厅牵头)", "加大投入。省财政预算安排10亿元。"]
    everything = "\n".join(line for c in out.clauses for line in c.lines)
    assert "抄送" not in everything and "印发" not in everything and "此件公开发布" not in everything


def test_draft_title_over_several_lines() -> None:
    out = layout_of(
        "附件\n关于进一步推动发展的\n若干政策\n(征求意见稿)\n为推动发展,制定以下政策。\n一、扩大投资政策\n1.发挥带动作用。实施计划。"
    )
    assert out.title == "关于进一步推动发展的若干政策"
    assert out.draft
    assert [c.tokens for c in out.clauses] == [["一"], ["一", "1"]]


def test_responsibility_lines_stay_with_the_item_above() -> None:
    out = layout_of(
        "前言。\n一、刘捷省长牵头重点工作\n1.加强监测。\n责任单位:省财政厅、省审计厅\n2.完善机制。\n责任单位:省发展改革委"
    )
    assert [c.lines for c in out.clauses[1:]] == [
        ["加强监测。", "责任单位:省财政厅、省审计厅"],
        ["完善机制。", "责任单位:省发展改革委"],
    ]


PARTS = """通知正文。
甲部分责任分解
一、张三省长牵头重点工作
1.事项一。
责任单位:省财政厅
乙部分责任分解
一、张三省长牵头重点工作
1.事项二。
责任单位:省审计厅
民生实事责任分解
一、医疗卫生方面
措施一。(牵头领导:李四,责任单位:省医保局)措施二。措施三。(牵头领导:王五,责任单位:省卫生健康委)"""


def test_parts_and_inline_measures() -> None:
    out = layout_of(PARTS)
    assert out.parts == ["甲部分责任分解", "乙部分责任分解", "民生实事责任分解"]
    shape = [(c.part, c.tokens, c.label, c.level, c.measure) for c in out.clauses]
    assert shape == [
        (0, ["一"], "一、", 1, False),
        (0, ["一", "1"], "1.", 2, False),
        (1, ["一"], "一、", 1, False),
        (1, ["一", "1"], "1.", 2, False),
        (2, ["一"], "一、", 1, False),
        (2, ["一", "n1"], "", 2, True),
        (2, ["一", "n2"], "", 2, True),
    ]
    assert out.clauses[5].lines == ["措施一。(牵头领导:李四,责任单位:省医保局)"]
    assert out.clauses[6].lines == ["措施二。措施三。(牵头领导:王五,责任单位:省卫生健康委)"]


def test_single_part_title_is_a_title_not_a_part() -> None:
    out = layout_of("某某实施方案\n一、总体要求\n(一)主要目标。力争用5年时间。")
    assert out.parts == []
    assert out.title == "某某实施方案"
    assert all(c.part == 0 for c in out.clauses)


GAZETTE = """浙江省人民政府关于印发浙江省
某某规划的通知
浙政发〔2021〕20号
各市、县(市、区)人民政府:
现将《浙江省某某规划》印发给你们。
浙江省人民政府
2021年7月2日
浙江省某某规划
一、总体要求
(一)发展基础。到2020年底,规模持续提升。
浙江省人民政府关于设立某某学院的批复
浙政函〔2021〕81号
湖州市人民政府:
你市请示收悉。现批复如下:
一、同意设立某某学院。
浙江省人民政府
2021年7月30日"""


def test_gazette_splits_into_one_document_per_notice() -> None:
    docs = split_documents(paragraphs_of(GAZETTE))
    assert [d[0] for d in docs] == ["浙江省人民政府关于印发浙江省", "浙江省人民政府关于设立某某学院的批复"]
    first, second = (parse_layout(d) for d in docs)
    assert (first.doc_number, first.title, first.signed) == (
        "浙政发〔2021〕20号",
        "浙江省某某规划",
        "2021年7月2日",
    )
    assert first.notice_title == "浙江省人民政府关于印发浙江省某某规划的通知"
    assert (second.doc_number, second.title, second.notice_title) == (
        "浙政函〔2021〕81号",
        "浙江省人民政府关于设立某某学院的批复",
        None,
    )
    assert [c.label for c in second.clauses] == ["一、"]


TABLE = """(三)发展目标。到2025年,取得重大进展。
全球先进制造业基地建设关键指标
类别序号指标2020年2025年属性
发展
质效
1 制造业增加值占GDP比重(%) 32.7 33.3 左右 预期性
2 规上工业亩均增加值(万元 /亩) 136 180 预期性
技术
创新
4规上制造业企业研究与试验发展经费
占营业收入的比重(%) 2.8 3.4 预期性
8 规上工业单位增加值能耗降幅#(%) — [16]以上 约束性
10 营商环境便利度指数 76.1* 90 预期性
注:#为扣除国家单列项目。
二、发展重点与空间布局"""


def test_table_rows_are_rebuilt_and_kept_out_of_clauses() -> None:
    paragraphs = paragraphs_of(TABLE)
    (table,) = find_tables(paragraphs)
    assert table.title == "全球先进制造业基地建设关键指标"
    assert table.rows == [
        ["类别", "序号", "指标", "2020年", "2025年", "属性"],
        ["发展质效", "1", "制造业增加值占GDP比重(%)", "32.7", "33.3左右", "预期性"],
        ["发展质效", "2", "规上工业亩均增加值(万元 /亩)", "136", "180", "预期性"],
        ["技术创新", "4", "规上制造业企业研究与试验发展经费占营业收入的比重(%)", "2.8", "3.4", "预期性"],
        ["技术创新", "8", "规上工业单位增加值能耗降幅#(%)", "—", "[16]以上", "约束性"],
        ["技术创新", "10", "营商环境便利度指数", "76.1*", "90", "预期性"],
        ["注:#为扣除国家单列项目。"],
    ]
    out = parse_layout(paragraphs)
    assert [c.label for c in out.clauses] == ["(三)", "二、"]
    assert out.clauses[0].lines == ["发展目标。到2025年,取得重大进展。"]
    assert out.tables[0][1] is out.clauses[0]  # follows clause (三)


_PIECES = st.sampled_from(
    [
        "一、",
        "(二)",
        "1.",
        "(3)",
        "①",
        "第四条",
        "责任单位:省财政厅、省审计厅牵头,省科技厅",
        "(牵头领导:李岩益,责任单位:省医保局)",
        "(由省科技厅牵头)",
        "(责任单位:省财政厅)",
        "[责任单位:市商务局,各区、县(市)政府]",
        "优化管理。",
        "浙政发〔2026〕6号",
        "2026年1月31日",
        "浙江省人民政府",
        "关于印发《某某政策》的通知",
        "抄送:省委各部门。",
        "上述政策",
        "本政策自2026年1月1日起施行。",
        "类别序号指标2020年2025年属性",
        "1 制造业增加值占GDP比重(%) 32.7 33.3左右 预期性",
        "省财政预算安排212.26亿元。",
        "\n",
        "。",
        "(",
        ")",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40))
def test_parse_text_never_raises_and_ids_are_unique(pieces: list[str]) -> None:
    docs = parse_text("".join(pieces), Source(sha256="0" * 64))
    for doc in docs:
        ids = [c.id for c in doc.clauses]
        assert len(ids) == len(set(ids))
        known = set(ids)
        assert all(c.parent is None or c.parent in known for c in doc.clauses)
        assert all(c.level == 1 if c.parent is None else c.level > 1 for c in doc.clauses)


def test_closing_looking_paragraph_inside_the_tree_does_not_capture_what_follows() -> None:
    out = layout_of(
        "一、总则\n(一)目的。为了规范。\n本办法所称单位,是指省级单位。\n(二)范围。适用于全省。\n二、附则"
    )
    shape = [(c.tokens, c.level, c.parent_index) for c in out.clauses]
    assert shape == [(["一"], 1, None), (["一", "一"], 2, 0), (["一", "二"], 2, 0), (["二"], 1, None)]
    assert out.clauses[1].lines == ["目的。为了规范。", "本办法所称单位,是指省级单位。"]


def test_regulation_chapters_and_articles() -> None:
    text = (
        "浙江省某某管理办法\n第一章 总则\n第一条 为了规范管理,制定本办法。\n第二条 本办法适用于下列情形:\n"
        "(一)省级项目;\n(二)市级项目。\n第二章 管理\n第三条 省发展改革委负责统筹。\n第四条 本办法自2026年3月1日起施行。"
    )
    (doc,) = parse_text(text, Source(sha256="0" * 64))
    assert doc.title == "浙江省某某管理办法"
    shape = [(c.id, c.label, c.level, c.heading) for c in doc.clauses]
    assert shape == [
        ("第一章", "第一章", 1, "总则"),
        ("第一章/第一条", "第一条", 2, ""),
        ("第一章/第二条", "第二条", 2, ""),
        ("第一章/第二条/一", "(一)", 3, ""),
        ("第一章/第二条/二", "(二)", 3, ""),
        ("第二章", "第二章", 1, "管理"),
        ("第二章/第三条", "第三条", 2, ""),
        ("第二章/第四条", "第四条", 2, ""),
    ]


def test_item_with_several_responsibility_notes_splits_into_measures() -> None:
    out = layout_of(
        "一、重点任务\n1.优化管理。推进集成应用。(责任单位:省大数据局、省民政厅)完善代办机制。"
        "(责任单位:省卫生健康委)\n2.保障服务。提供代购服务。(责任单位:省民政厅)"
    )
    shape = [(c.tokens, c.label, c.level, c.lines) for c in out.clauses]
    assert shape == [
        (["一"], "一、", 1, ["重点任务"]),
        (["一", "1"], "1.", 2, ["优化管理。"]),
        (["一", "1", "n1"], "", 3, ["推进集成应用。(责任单位:省大数据局、省民政厅)"]),
        (["一", "1", "n2"], "", 3, ["完善代办机制。(责任单位:省卫生健康委)"]),
        (["一", "2"], "2.", 2, ["保障服务。提供代购服务。(责任单位:省民政厅)"]),
    ]
    assert [c.parent_index for c in out.clauses] == [None, 0, 1, 1, 0]


def test_titled_paragraphs_under_a_heading_become_measures() -> None:
    out = layout_of(
        "三、完善创新体系\n(一)围绕标志性产业链筑牢创新链。\n建立完善实验室体系。构建实验室体系。\n"
        "建设高水平创新平台。集中力量建设走廊。\n(二)加强制造业人才保障。\n大力培育引进高端人才。实施引才工程。"
    )
    shape = [(c.tokens, c.label, c.level, c.titled, c.lines) for c in out.clauses]
    assert shape == [
        (["三"], "三、", 1, False, ["完善创新体系"]),
        (["三", "一"], "(一)", 2, False, ["围绕标志性产业链筑牢创新链。"]),
        (["三", "一", "n1"], "", 3, True, ["建立完善实验室体系。构建实验室体系。"]),
        (["三", "一", "n2"], "", 3, True, ["建设高水平创新平台。集中力量建设走廊。"]),
        (["三", "二"], "(二)", 2, False, ["加强制造业人才保障。", "大力培育引进高端人才。实施引才工程。"]),
    ]


def test_an_intro_paragraph_is_not_a_measure() -> None:
    out = layout_of(
        "一、深化改革(由省科技厅牵头)\n深入实施“315”科技创新体系建设工程,推动投入增长。省财政预算安排10亿元。"
    )
    assert [c.tokens for c in out.clauses] == [["一"]]


def test_signature_on_one_line() -> None:
    out = layout_of(
        "关于某事的通知\n各设区市人民政府:\n现将有关事项通知如下。\n一、做好衔接。\n浙江省人民政府办公厅 2021年7月2日"
    )
    assert (out.issuers, out.signed) == (["浙江省人民政府办公厅"], "2021年7月2日")
    assert [c.lines for c in out.clauses] == [["做好衔接。"]]
