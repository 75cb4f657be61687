"""The five seed notices parsed into the clause schema, asserted from the source text.

Every expected value below was read off the seed .txt files (labels, counts, units, amounts,
dates), not copied from parser output. The reviewed golden JSON beside each seed must equal a
fresh parse, and the normalized text must be a fixed point of normalization and of parsing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from parsers.normalize import normalize_text
from parsers.pipeline import parse_file, parse_text
from parsers.schema import Amount, Clause, Department, Document, ParseResult, Source
from seeds import SEEDS_DIR

SEED = {
    "000": "000_78621e0dc001016d",
    "001": "001_ccad0c237ec763a3",
    "002": "002_b830527776301349",
    "003": "003_22597a2fc5b61001",
    "004": "004_8b75b80ea690ec26",
}


@cache
def parsed(key: str) -> tuple[Document, ...]:
    return tuple(parse_file(SEEDS_DIR / f"{SEED[key]}.txt"))


def one(key: str) -> Document:
    (doc,) = parsed(key)
    return doc


def by_id(doc: Document) -> dict[str, Clause]:
    return {c.id: c for c in doc.clauses}


def children(doc: Document, parent: str | None) -> list[Clause]:
    return [c for c in doc.clauses if c.parent == parent]


def names(deps: list[Department]) -> list[str]:
    return [d.name for d in deps]


def has_amount(
    clause: Clause, value: str, unit: str, qualifier: str | None = None, role: str | None = "any"
) -> Amount:
    for a in clause.amounts:
        if (
            a.value == value
            and a.unit == unit
            and a.qualifier == qualifier
            and (role == "any" or a.role == role)
        ):
            return a
    raise AssertionError(f"{clause.id}: no amount {value} {unit} {qualifier} {role} in {clause.amounts}")


CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二, 42 -> 四十二 (labels up to 99)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens - 1]) + "十" if tens else "") + (CN[ones - 1] if ones else "")


def expect_tree(doc: Document, sections: list[int], item_label: str) -> None:
    """Level-1 sections 一、… each holding a run of continuously numbered items."""
    assert [c.label for c in children(doc, None) if c.label] == [
        f"{cn(i)}、" for i in range(1, len(sections) + 1)
    ]
    n = 0
    for s, count in enumerate(sections, start=1):
        items = children(doc, cn(s))
        numbers = list(range(n + 1, n + count + 1))
        assert [c.number for c in items] == numbers, f"section {cn(s)}"
        labels = [f"({cn(k)})" if item_label == "cn" else f"{k}." for k in numbers]
        assert [c.label for c in items] == labels
        assert all(c.level == 2 for c in items)
        n += count


# ---------------------------------------------------------------- 000: province, 2026 edition


def test_000_metadata() -> None:
    doc = one("000")
    assert doc.doc_number == "浙政发〔2026〕6号"
    assert (doc.issuer, doc.region, doc.level) == ("浙江省人民政府", "浙江省", "province")
    assert (doc.issued_date, doc.printed_date) == (date(2026, 1, 31), date(2026, 2, 3))
    assert doc.title == "推动经济高质量发展若干政策(2026年版)"
    assert doc.notice_title == "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知"
    assert doc.status == "final"
    assert (doc.effective_from, doc.effective_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (doc.series, doc.edition) == ("推动经济高质量发展若干政策", "2026")
    assert doc.cites == []
    assert doc.script == "simplified"
    assert doc.preamble.startswith("各市、县(市、区)人民政府,省政府直属各单位:")
    assert doc.preamble.endswith("制定以下政策。")


def test_000_structure_leads_and_budgets() -> None:
    doc = one("000")
    expect_tree(doc, [6, 5, 4, 5, 5, 4, 5, 8], "cn")
    assert Counter(c.level for c in doc.clauses) == Counter({1: 10, 2: 42})
    sections = [c for c in children(doc, None) if c.label]
    assert [names(c.lead) for c in sections] == [
        ["省科技厅"], ["省经信厅"], ["省发展改革委"], ["省交通运输厅"],
        ["省商务厅"], ["省发展改革委"], ["省农业农村厅"], ["省人力社保厅"],
    ]  # fmt: skip
    assert sections[7].lead[0].written == "省人社保厅"
    budgets = [c.budget.value if c.budget else None for c in sections]
    assert budgets == [
        "21226000000", "16362000000", "12774000000", "17140000000",
        "5921000000", "31194000000", "29071000000", "35521000000",
    ]  # fmt: skip
    assert all(c.budget and c.budget.unit == "CNY" and c.budget.role == "budget" for c in sections)
    assert sections[0].heading == "深化教育科技人才一体改革发展"
    items = by_id(doc)
    assert items["一/一"].heading == "推动高等教育整体性跃升"
    assert items["二/七"].heading == "加快培育发展新质生产力"
    assert items["八/四十二"].text.startswith("支持推进人的全面发展。深入推进")
    assert all(not c.budget for c in doc.clauses if c.level == 2)


def test_000_closing_paragraphs_and_total() -> None:
    doc = one("000")
    closing = [c for c in children(doc, None) if not c.label]
    assert [c.id for c in closing] == ["n9", "n10"]
    assert closing[0].text.startswith("上述8个领域政策")
    assert closing[0].budget is not None and closing[0].budget.value == "105380000000"
    assert closing[1].text.startswith("本政策明确的各项措施均为2026年全年实施有效")
    everything = "\n".join(c.text for c in doc.clauses) + doc.preamble
    for frame in ("抄送", "印发", "此件公开发布", "2026年1月31日"):
        assert frame not in everything.replace("印发给你们", "")


def test_000_amounts_sample() -> None:
    items = by_id(one("000"))
    has_amount(items["一"], "780000000000", "CNY", None, "target")
    has_amount(items["一"], "3.35", "%", None, "target")
    has_amount(items["一/二"], "10000000", "CNY", "max", "subsidy")
    has_amount(items["一/二"], "30000000", "CNY", "max", "subsidy")
    has_amount(items["一/二"], "80", "%", "min")
    has_amount(items["一/五"], "4200000000000", "CNY", "min")
    has_amount(items["二/十一"], "12000", "家", None)
    has_amount(items["五/二十一"], "60", "%", "min")
    has_amount(items["五/二十一"], "5000000", "CNY", "max")
    has_amount(items["六/二十六"], "15000", "亩", "min")
    has_amount(items["八/四十一"], "5.3", "%", "min")


# ---------------------------------------------------------------- 001: Hangzhou, Traditional + ruby


def test_001_metadata() -> None:
    doc = one("001")
    assert doc.doc_number is None  # the city version has no 文号 line of its own
    assert doc.cites == ["浙政发〔2026〕6号"]
    assert (doc.issuer, doc.region, doc.level) == ("杭州市人民政府", "杭州市", "city")
    assert doc.issued_date == date(2026, 2, 6)
    assert doc.title == "关于推动经济高质量发展的若干政策(2026年版)"
    assert doc.script == "traditional"
    assert (doc.series, doc.edition) == (one("000").series, "2026")
    assert (doc.effective_from, doc.effective_to) == (date(2026, 1, 1), date(2026, 12, 31))


def test_001_structure_simplified_and_without_ruby() -> None:
    doc = one("001")
    expect_tree(doc, [8, 5, 6, 5, 5, 5, 6, 8], "cn")
    sections = [c for c in children(doc, None) if c.label]
    assert [names(c.lead) for c in sections] == [
        ["市科技局"], ["市经信局"], ["市发展改革委"], ["市交通运输局"],
        ["市商务局"], ["市发展改革委"], ["市农业农村局"], ["市人力社保局"],
    ]  # fmt: skip
    assert [c.budget.value if c.budget else None for c in sections] == [
        "14070000000", "3130000000", "3310000000", "5930000000",
        "1010000000", "19740000000", "3190000000", "12600000000",
    ]  # fmt: skip
    closing = [c for c in children(doc, None) if not c.label]
    assert closing[0].budget is not None and closing[0].budget.value == "51500000000"
    assert sections[0].heading == "深化教育科技人才一体改革发展"
    text = "\n".join(c.text for c in doc.clauses)
    assert "(guān)" not in text and "關" not in text and "经济" in text


def test_001_responsible_units() -> None:
    items = by_id(one("001"))
    assert names(items["一/一"].responsible) == ["市科技局", "市财政局"]
    assert names(items["一/八"].responsible) == [
        "市委金融办", "市科技局", "市财政局", "市国资委", "市市场监管局", "杭州城西科创大走廊管委会",
    ]  # fmt: skip
    assert names(items["五/二十八"].responsible)[:3] == ["市商务局", "市委宣传部", "市文化广电旅游局"]
    assert len(items["五/二十八"].responsible) == 4  # ... and 各区、县(市)政府, one addressee
    assert names(items["八/四十一"].responsible) == ["市人力社保局"]
    has_amount(items["一/一"], "100000", "CNY", "max")
    has_amount(items["一/三"], "130000000", "CNY", "max")
    has_amount(items["二/九"], "50000000", "CNY", "max", "subsidy")


# ---------------------------------------------------------------- 002: three attached parts


def test_002_metadata_and_parts() -> None:
    doc = one("002")
    assert doc.doc_number == "浙政办发〔2026〕4号"
    assert (doc.issuer, doc.level) == ("浙江省人民政府办公厅", "province")
    assert (doc.issued_date, doc.printed_date) == (date(2026, 1, 24), date(2026, 1, 25))
    assert doc.parts == [
        "政府工作报告“十五五”时期重点工作责任分解",
        "政府工作报告2026年度重点工作责任分解",
        "十方面民生实事责任分解",
    ]
    assert doc.notice_title == "浙江省人民政府办公厅关于印发2026年政府工作报告重点工作责任分解的通知"


LEADERS = ["刘捷", "徐文光", "张雁云", "胡伟", "李岩益", "杨青玖", "何中伟"]


@pytest.mark.parametrize(
    ("part", "counts"),
    [(1, [3, 21, 8, 16, 9, 9, 12]), (2, [4, 44, 14, 27, 9, 7, 27])],
)
def test_002_leader_sections_and_items(part: int, counts: list[int]) -> None:
    doc = one("002")
    sections = [c for c in doc.clauses if c.part == part - 1 and c.level == 1]
    assert [c.id for c in sections] == [f"p{part}:{cn(i)}" for i in range(1, 8)]
    assert [c.leader for c in sections] == [[name] for name in LEADERS]
    for section, count in zip(sections, counts, strict=True):
        items = children(doc, section.id)
        assert [c.label for c in items] == [f"{k}." for k in range(1, count + 1)]
        assert all(c.responsible for c in items), section.id


def test_002_responsibility_lines() -> None:
    items = by_id(one("002"))
    first = items["p1:一/1"]
    assert names(first.responsible) == [
        "省财政厅", "省委金融办", "省审计厅", "省国资委", "人行浙江省分行", "浙江金融监管局", "浙江证监局",
    ]  # fmt: skip
    assert names(first.lead) == ["省财政厅"]  # "列第一位的为牵头或汇总单位"
    assert "责任单位:" in first.text
    assert names(items["p1:一/2"].lead) == ["省政府办公厅", "省委依法治省办"]
    assert names(items["p1:三/1"].lead) == ["省委金融办", "浙江金融监管局"]
    assert names(items["p1:三/1"].responsible)[2:] == ["省审计厅", "人行浙江省分行", "浙江证监局"]
    # a list broken over a page: 省财政 / 厅
    assert "省财政厅" in names(items["p2:三/3"].responsible)
    has_amount(items["p1:二/2"], "300000", "CNY/人", "approx")
    has_amount(items["p2:二/1"], "5", "%", "min")
    has_amount(items["p2:二/1"], "5.5", "%", "max")
    has_amount(items["p2:二/5"], "105380000000", "CNY")


def test_002_part3_one_clause_per_measure() -> None:
    doc = one("002")
    sections = [c for c in doc.clauses if c.part == 2 and c.level == 1]
    assert [c.heading for c in sections] == [
        "医疗卫生方面", "养老帮困方面", "关爱儿童方面", "就业创业方面", "城乡宜居方面",
        "教育助学方面", "文化体育方面", "交通出行方面", "便民服务方面", "除险保安方面",
    ]  # fmt: skip
    measures = [children(doc, s.id) for s in sections]
    assert [len(m) for m in measures] == [3, 5, 2, 5, 2, 3, 3, 3, 2, 2]
    flat = [c for m in measures for c in m]
    assert all(c.label == "" and c.level == 2 and c.leader and c.responsible for c in flat)
    assert [c.number for c in measures[1]] == [1, 2, 3, 4, 5]
    first = measures[0][0]
    assert first.id == "p3:一/n1"
    assert first.text.startswith("全省30万以上参保孕妇")
    assert (first.leader, names(first.responsible)) == (["李岩益"], ["省医保局"])
    second = measures[1][1]
    assert (second.leader, names(second.responsible)) == (["胡伟"], ["省民政厅", "省红十字会"])
    has_amount(measures[4][0], "700", "公里")
    # two sentences share one (牵头领导…) note: one measure
    assert measures[5][1].text.startswith("开设“幸福家长”") and "100支" in measures[5][1].text


# ---------------------------------------------------------------- 003: 2024 draft


def test_003_draft_metadata() -> None:
    doc = one("003")
    assert doc.doc_number is None
    assert doc.status == "draft"
    assert doc.title == "关于进一步推动经济高质量发展的若干政策"
    assert doc.series == one("000").series
    assert doc.edition == "2024"
    assert (doc.effective_from, doc.effective_to) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (doc.region, doc.level) == ("浙江省", "province")


def test_003_structure() -> None:
    doc = one("003")
    expect_tree(doc, [6, 9, 8, 7, 5, 5, 11, 7], "arabic")
    sections = [c for c in children(doc, None) if c.label]
    assert [names(c.lead) for c in sections] == [
        ["省发展改革委"], ["省科技厅"], ["省经信厅"], ["省发展改革委"],
        ["省交通运输厅"], ["省商务厅"], ["省农业农村厅", "省发展改革委"], ["省人力社保厅"],
    ]  # fmt: skip
    assert sections[0].heading == "扩大有效投资政策"
    items = by_id(doc)
    assert items["一/1"].heading == "发挥省重大建设项目带动支撑作用"
    assert items["八/58"].heading == "支持推进“弱有众扶”"
    assert names(items["五/34"].responsible) == ["省交通运输厅", "省财政厅"]
    closing = [c for c in children(doc, None) if not c.label]
    assert len(closing) == 1 and closing[0].text.startswith("本文件明确的各项政策")
    has_amount(items["二/8"], "10000000", "CNY", "max")
    has_amount(items["二/8"], "30000000", "CNY", "max", "subsidy")
    has_amount(items["四/24"], "1800000", "CNY", None, "subsidy")
    has_amount(items["一/3"], "350000", "亩")


# ---------------------------------------------------------------- 004: gazette, several notices

GAZETTE = [
    ("浙政发〔2021〕20号", date(2021, 7, 2)),
    ("浙政发〔2021〕21号", date(2021, 7, 21)),
    ("浙政函〔2021〕81号", date(2021, 7, 30)),
    ("浙政办发〔2021〕39号", date(2021, 6, 28)),
    ("浙政办发〔2021〕41号", date(2021, 6, 27)),
    ("浙政办发〔2021〕42号", date(2021, 7, 2)),
    ("浙政办函〔2021〕44号", date(2021, 7, 30)),
    ("浙政办函〔2021〕47号", date(2021, 9, 3)),
    ("浙医保联发〔2021〕19号", date(2021, 9, 2)),
]


def test_004_one_document_per_notice() -> None:
    docs = parsed("004")
    assert [(d.doc_number, d.issued_date) for d in docs] == GAZETTE
    assert [d.issuer for d in docs][:3] == ["浙江省人民政府"] * 3
    assert docs[3].issuer == "浙江省人民政府办公厅"
    assert docs[8].issuer == "浙江省医疗保障局、浙江省卫生健康委员会"
    assert docs[0].title == "浙江省全球先进制造业基地建设“十四五”规划"
    assert docs[0].notice_title == "浙江省人民政府关于印发浙江省全球先进制造业基地建设“十四五”规划的通知"
    assert docs[2].title == "浙江省人民政府关于设立湖州工程技师学院等6所技师学院的批复"
    assert docs[2].notice_title is None
    assert docs[2].cites == [
        "湖政〔2020〕23号", "台政〔2020〕44号", "安政〔2020〕32号", "海政〔2020〕47号", "永政〔2020〕16号", "温政〔2020〕19号",
    ]  # fmt: skip
    assert docs[8].cites == ["浙医保联发〔2020〕26号"]
    text = "\n".join(c.text for d in docs for c in d.clauses) + "".join(d.preamble for d in docs)
    assert "公报" not in text and "\ue010" not in text and "\ue012" not in text


def test_004_plan_chapters_items_and_table() -> None:
    plan = parsed("004")[0]
    chapters = children(plan, None)
    assert [c.heading for c in chapters][:2] == ["总体要求", "发展重点与空间布局"]
    assert [len(children(plan, c.id)) for c in chapters] == [3, 4, 5, 5, 5, 3, 3, 3]
    assert [c.label for c in children(plan, "二/一")] == ["1.", "2.", "3.", "4.", "5."]
    assert [c.heading for c in children(plan, "二/二")] == ["汽车", "绿色石油化工", "现代纺织", "智能家居"]
    assert [c.heading for c in children(plan, "二/四")] == [
        "双核:杭州、宁波两大核心引领极", "一带:环湾区沿海产业带", "一廊:金衢丽绿色经济走廊",
    ]  # fmt: skip
    items = by_id(plan)
    has_amount(items["一/一"], "235000", "CNY/人")  # 23.5万元/人: the PUA full stop is a decimal point
    has_amount(items["一/一"], "2.8", "%")
    (table,) = plan.tables
    assert table.title == "全球先进制造业基地建设关键指标"
    assert table.after == "一/三"
    assert table.rows[0] == ["类别", "序号", "指标", "2020年", "2025年", "属性"]
    assert [r[1] for r in table.rows[1:11]] == [str(i) for i in range(1, 11)]
    assert table.rows[1][0] == "发展质效" and table.rows[1][3:] == ["32.7", "33.3左右", "预期性"]
    assert table.rows[10][2:] == ["营商环境便利度指数", "76.1*", "90", "预期性"]
    assert all("关键指标" not in c.text and "预期性" not in c.text for c in plan.clauses)
    # (一) of chapter 三 is a heading over four titled paragraphs: one measure each
    measures = children(plan, "三/一")
    assert [c.heading for c in measures] == [
        "建立完善实验室体系", "建设高水平创新平台", "强化企业创新主体地位", "加快推进中国浙江网上技术市场3.0建设",
    ]  # fmt: skip
    assert by_id(plan)["三/一"].text == "围绕标志性产业链筑牢创新链。"


def test_004_inline_responsibility_items() -> None:
    plan = parsed("004")[3]
    assert plan.title == "浙江省切实解决老年人运用智能技术困难实施方案"
    assert [len(children(plan, f"二/{cn(i)}")) for i in range(1, 8)] == [3, 3, 3, 2, 2, 2, 7]
    items = by_id(plan)
    first = items["二/一/1"]
    assert (first.heading, first.text, first.responsible) == ("优化“健康码”管理", "优化“健康码”管理。", [])
    # each measure ends with its own (责任单位:…) note and becomes a child carrying those units
    measures = children(plan, "二/一/1")
    assert [c.id for c in measures] == ["二/一/1/n1", "二/一/1/n2"]
    assert measures[0].text.startswith("积极探索和推行无感亮码做法")
    assert names(measures[0].responsible)[:3] == ["省大数据局", "省民政厅", "省人力社保厅"]
    assert len(measures[0].responsible) == 6
    assert names(measures[1].responsible) == ["省大数据局", "省卫生健康委"]
    assert [names(c.responsible)[0] for c in children(plan, "二/一/3")] == [
        "省应急管理厅",
        "省应急管理厅",
        "省广电局",
    ]
    assert len(children(plan, "二/四/1")) == 4
    # one note at the end of an item: the item keeps it
    assert names(items["二/一/2"].responsible) == ["省民政厅", "省建设厅", "省商务厅", "省卫生健康委"]
    assert children(plan, "二/一/2") == []


def test_004_other_notices() -> None:
    docs = parsed("004")
    opinion = docs[4]
    assert [c.label for c in opinion.clauses if c.label] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert opinion.clauses[-1].text.startswith("本意见自2021年8月1日起施行")
    assert opinion.effective_from == date(2021, 8, 1)
    sewage = docs[5]
    assert [len(children(sewage, c.id)) for c in children(sewage, None)] == [2, 8, 4]
    price = docs[8]
    first = price.clauses[0]
    has_amount(first, "60", "CNY/次")
    has_amount(first, "15", "CNY")
    assert (
        price.clauses[-1].text == "附件:新型冠状病毒核酸检测项目价格表"
    )  # the table itself is rotated debris


# ---------------------------------------------------------------- goldens and fixed points


@pytest.mark.parametrize("key", sorted(SEED))
def test_parse_equals_reviewed_golden(key: str) -> None:
    """Regenerate after a reviewed change: zjwatch parse seeds/<name>.txt --json > seeds/<name>.json"""
    golden = ParseResult.model_validate(
        json.loads((SEEDS_DIR / f"{SEED[key]}.json").read_text(encoding="utf-8"))
    )
    fresh = parsed(key)
    assert len(golden.documents) == len(fresh)
    for want, got in zip(golden.documents, fresh, strict=True):
        assert got.source.sha256 == want.source.sha256
        assert Path(str(got.source.path)).name == Path(str(want.source.path)).name
        assert got.model_dump(exclude={"source"}) == want.model_dump(exclude={"source"}), _changes(want, got)


def _changes(want: Document, got: Document) -> str:
    """Where a fresh parse left the golden, to review before regenerating it."""
    lines = [f"{want.doc_number or want.title}: parse differs from the golden"]
    fields = set(Document.model_fields) - {"clauses", "source"}
    lines += [
        f"  {f}: {getattr(want, f)!r} -> {getattr(got, f)!r}"
        for f in sorted(fields)
        if getattr(want, f) != getattr(got, f)
    ]
    old, new = {c.id: c for c in want.clauses}, {c.id: c for c in got.clauses}
    lines += [f"  clause {i} removed" for i in old if i not in new]
    lines += [f"  clause {i} added" for i in new if i not in old]
    for i in (i for i in old if i in new and old[i] != new[i]):
        changed = [f for f in Clause.model_fields if getattr(old[i], f) != getattr(new[i], f)]
        lines.append(f"  clause {i}: {', '.join(changed)}")
    return "\n".join(lines[:40])


def rebuilt_text(doc: Document) -> str:
    """The document's own text back from the schema: preamble, part titles, labels + clause texts."""
    lines = [doc.preamble] if doc.preamble else []
    part = -1
    for c in doc.clauses:
        if doc.parts and c.part != part:
            part = c.part
            lines.append(doc.parts[part])
        lines.append(c.label + c.text)
    return "\n".join(lines)


@pytest.mark.parametrize("key", sorted(SEED))
def test_normalized_text_is_a_fixed_point(key: str) -> None:
    normalized = normalize_text((SEEDS_DIR / f"{SEED[key]}.txt").read_text(encoding="utf-8"))
    assert normalize_text(normalized) == normalized
    for doc in parsed(key):
        # the schema holds the whole text: rebuilt and parsed again, it gives the same clauses
        (again,) = parse_text(rebuilt_text(doc), Source(sha256="0" * 64))
        assert [(c.id, c.label, c.level, c.parent, c.text) for c in again.clauses] == [
            (c.id, c.label, c.level, c.parent, c.text) for c in doc.clauses
        ]
        assert [c.amounts for c in again.clauses] == [c.amounts for c in doc.clauses]
