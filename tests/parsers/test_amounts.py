"""Amounts from real seed phrases (normalized form), including the traps: years, labels, names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.amounts import extract_amounts, parse_amount
from parsers.normalize import normalize_text

# (text, [(raw, kind, value, unit, qualifier, role), ...]) — every amount, in order.
CASES: list[tuple[str, list[tuple[str, str, str, str, str | None, str | None]]]] = [
    (  # 000 一、: targets, a percent and the section budget; the “315” names are not amounts
        "深入实施“315”科技创新体系建设工程、“双一流196”工程、“135”人才强省体系建设工程,"
        "推动全省科技创新投入达到7800亿元,全社会研发投入强度达到3.35%。省财政预算安排212.26亿元。",
        [
            ("7800亿元", "money", "780000000000", "CNY", None, "target"),
            ("3.35%", "percent", "3.35", "%", None, "target"),
            ("212.26亿元", "money", "21226000000", "CNY", None, "budget"),
        ],
    ),
    (
        "深化工程教育改革,新培育工科类硕博士1.7万名以上。",
        [("1.7万名以上", "quantity", "17000", "名", "min", "target")],
    ),
    (
        "实施省“双尖双领+X”重大科技项目400项以上,其中企业牵头或参与的省重大科技计划项目比例不低于80%,"
        "单个项目最高可给予1000万元补助,绩效突出的可给予滚动支持。",
        [
            ("400项以上", "quantity", "400", "项", "min", "target"),
            ("不低于80%", "percent", "80", "%", "min", None),
            ("最高可给予1000万元", "money", "10000000", "CNY", "max", "subsidy"),
        ],
    ),
    (  # a list sharing the leading qualifier and the trailing role
        "支持在校硕博士研究生及青年科技人才开展科研攻关,单个项目最高可分别给予15万元、30万元补助。",
        [
            ("最高可分别给予15万元", "money", "150000", "CNY", "max", "subsidy"),
            ("30万元", "money", "300000", "CNY", "max", "subsidy"),
        ],
    ),
    (
        "对牵头制定并完成国际标准、国家标准发布的,最高可分别给予100万元、50万元补助。",
        [
            ("最高可分别给予100万元", "money", "1000000", "CNY", "max", "subsidy"),
            ("50万元", "money", "500000", "CNY", "max", "subsidy"),
        ],
    ),
    (  # 001
        "对经认定的国家级、省级制造业创新中心,省市合计分别给予最高1.3亿元、2500万元资助。",
        [
            ("最高1.3亿元", "money", "130000000", "CNY", "max", "subsidy"),
            ("2500万元", "money", "25000000", "CNY", "max", "subsidy"),
        ],
    ),
    (
        "对首次认定、重新认定的高新技术企业,分别给予最高20万元、10万元奖励。",
        [
            ("最高20万元", "money", "200000", "CNY", "max", "award"),
            ("10万元", "money", "100000", "CNY", "max", "award"),
        ],
    ),
    (
        "新认定省级中试平台10个,单个平台最高可给予1000万元补助;升级为国家级中试平台的,单个平台给予3000万元奖励。",
        [
            ("10个", "quantity", "10", "个", None, "target"),
            ("最高可给予1000万元", "money", "10000000", "CNY", "max", "subsidy"),
            ("3000万元", "money", "30000000", "CNY", None, "award"),
        ],
    ),
    (
        "新认定省级概念验证中心20个,单个中心可给予50万元一次性建设经费补助。",
        [
            ("20个", "quantity", "20", "个", None, "target"),
            ("50万元", "money", "500000", "CNY", None, "subsidy"),
        ],
    ),
    (
        "力争全省智算规模200EFLOPS以上。力争全市智算规模超过70EFlops。",
        [
            ("200EFLOPS以上", "quantity", "200", "EFLOPS", "min", "target"),
            ("超过70EFlops", "quantity", "70", "EFLOPS", "min", "target"),
        ],
    ),
    (
        "力争科技贷款余额超4.2万亿元。推动集群规模以上企业营业收入突破10万亿元,规模以上工业增加值增长6%左右。",
        [
            ("超4.2万亿元", "money", "4200000000000", "CNY", "min", "target"),
            ("突破10万亿元", "money", "10000000000000", "CNY", "min", "target"),
            ("6%左右", "percent", "6", "%", "approx", "target"),
        ],
    ),
    (
        "每家工作室2026—2028年合计最高给予30万元补助。研发投入增速高于全省平均2个百分点以上。",
        [
            ("最高给予30万元", "money", "300000", "CNY", "max", "subsidy"),
            ("2个百分点以上", "percent", "2", "pct_point", "min", None),
        ],
    ),
    (  # 002
        "全员劳动生产率达到30万元/人左右。常住人口城镇化率达到78%左右。",
        [
            ("30万元/人左右", "money", "300000", "CNY/人", "approx", "target"),
            ("78%左右", "percent", "78", "%", "approx", "target"),
        ],
    ),
    (
        "全省生产总值增长5%—5.5%。",
        [
            ("5%", "percent", "5", "%", "min", "target"),
            ("5.5%", "percent", "5.5", "%", "max", "target"),
        ],
    ),
    (
        "加力实施“8+4”经济政策体系,安排省级财政资金1053.8亿元,支持经济高质量发展。",
        [("1053.8亿元", "money", "105380000000", "CNY", None, "budget")],
    ),
    (
        "上述8个领域政策,省财政2026年预算安排资金除交叉重叠部分外,支持总额为1053.8亿元。",
        [
            ("8个", "quantity", "8", "个", None, None),
            ("1053.8亿元", "money", "105380000000", "CNY", None, "budget"),
        ],
    ),
    (  # 004 (decimal points restored by normalization)
        "制造业累计实际利用外资225.9亿美元,规上工业出口交货值占全省出口总值的48.2%。",
        [
            ("225.9亿美元", "money", "22590000000", "USD", None, None),
            ("48.2%", "percent", "48.2", "%", None, None),
        ],
    ),
    (
        "规上制造业劳动生产率达23.5万元/人,规上工业亩均增加值达136万元/亩。",
        [
            ("23.5万元/人", "money", "235000", "CNY/人", None, "target"),
            ("136万元/亩", "money", "1360000", "CNY/亩", None, "target"),
        ],
    ),
    (
        "保障全社会电量供给7700亿千瓦时左右、天然气供应220亿立方米左右。竣工交付各类保障性住房15万套(间)。",
        [
            ("7700亿千瓦时左右", "quantity", "770000000000", "千瓦时", "approx", "target"),
            ("220亿立方米左右", "quantity", "22000000000", "立方米", "approx", "target"),
            ("15万套(间)", "quantity", "150000", "套(间)", None, "target"),
        ],
    ),
    (
        "服务类社会救助服务150万户次以上,“群帮惠”帮扶困难群体达到16万人次。实施住宅老旧电梯更新0.8万台以上。",
        [
            ("150万户次以上", "quantity", "1500000", "户次", "min", None),
            ("16万人次", "quantity", "160000", "人次", None, "target"),
            ("0.8万台以上", "quantity", "8000", "台", "min", "target"),
        ],
    ),
    (
        "按不超过实际投资额10%的标准给予奖励,每投资1家企业最高奖励100万元,单个基金管理企业奖励累计不超过500万元。",
        [
            ("不超过实际投资额10%", "percent", "10", "%", "max", "award"),
            ("1家", "quantity", "1", "家", None, None),
            ("最高奖励100万元", "money", "1000000", "CNY", "max", "award"),
            ("不超过500万元", "money", "5000000", "CNY", "max", "award"),
        ],
    ),
    (
        "对短期出口信用保险保费给予不低于60%的补助,原则上单家企业保费补助金额不超过500万元。",
        [
            ("不低于60%", "percent", "60", "%", "min", "subsidy"),
            ("不超过500万元", "money", "5000000", "CNY", "max", "subsidy"),
        ],
    ),
    (
        "对“好苗子”企业,给予最高10万元创业资助以及最高20万元贴息补助。省级及以上财政资金安排80亿元以上。",
        [
            ("最高10万元", "money", "100000", "CNY", "max", "subsidy"),
            ("最高20万元", "money", "200000", "CNY", "max", "subsidy"),
            ("80亿元以上", "money", "8000000000", "CNY", "min", "budget"),
        ],
    ),
    (
        "确保有劳动能力低收入农户家庭至少1人就业。约50家 近30个",
        [
            ("至少1人", "quantity", "1", "人", "min", None),
            ("约50家", "quantity", "50", "家", "approx", None),
            ("近30个", "quantity", "30", "个", "approx", None),
        ],
    ),
    (  # numbers sharing the unit written once: a list and ranges
        "单个项目最高可分别给予15、30万元补助。力争新增世界500强企业3—5家。给予50—100万元奖励。",
        [
            ("最高可分别给予15", "money", "150000", "CNY", "max", "subsidy"),
            ("30万元", "money", "300000", "CNY", "max", "subsidy"),
            ("3", "quantity", "3", "家", "min", "target"),
            ("5家", "quantity", "5", "家", "max", "target"),
            ("50", "money", "500000", "CNY", "min", "award"),
            ("100万元", "money", "1000000", "CNY", "max", "award"),
        ],
    ),
    (  # an ASCII hyphen as the range mark
        "给予20-50万元补助,增长5%-8%。",
        [
            ("20", "money", "200000", "CNY", "min", "subsidy"),
            ("50万元", "money", "500000", "CNY", "max", "subsidy"),
            ("5%", "percent", "5", "%", "min", "target"),
            ("8%", "percent", "8", "%", "max", "target"),
        ],
    ),
    (
        "为残疾人适配智能仿生上下肢等科技辅具服务5000例。新开发老年教育课程100门。组建专家团队100支。",
        [
            ("5000例", "quantity", "5000", "例", None, None),
            ("100门", "quantity", "100", "门", None, "target"),
            ("100支", "quantity", "100", "支", None, None),
        ],
    ),
    (  # 003: a negated bound keeps its sense
        "单一工业用地中可突出主导用途(其中工业建筑面积占比不得低于50%)。单个项目补助不得超过200万元。",
        [
            ("不得低于50%", "percent", "50", "%", "min", None),
            ("不得超过200万元", "money", "2000000", "CNY", "max", "subsidy"),
        ],
    ),
    (
        "对符合条件的企业最低给予5万元补助。服务半径不足5公里。至多3家。",
        [
            ("最低给予5万元", "money", "50000", "CNY", "min", "subsidy"),
            ("不足5公里", "quantity", "5", "公里", "max", None),
            ("至多3家", "quantity", "3", "家", "max", None),
        ],
    ),
    (  # 003
        "组织不少于1000个团组、10000家次企业赴境外拓市场。按近三年累计研发投入的5%给予最高不超过500万元的一次性激励。",
        [
            ("不少于1000个", "quantity", "1000", "个", "min", None),
            ("10000家次", "quantity", "10000", "家次", None, None),
            ("5%", "percent", "5", "%", None, None),
            ("不超过500万元", "money", "5000000", "CNY", "max", "award"),
        ],
    ),
    (  # Chinese numerals for money, when a digit is written
        "给予最高五千万元奖励。安排资金两亿元。每人每月一千五百元左右。总额三亿五千万元,一万亿元以上。",
        [
            ("最高五千万元", "money", "50000000", "CNY", "max", "award"),
            ("两亿元", "money", "200000000", "CNY", None, "budget"),
            ("一千五百元左右", "money", "1500", "CNY", "approx", None),
            ("三亿五千万元", "money", "350000000", "CNY", None, None),
            ("一万亿元以上", "money", "1000000000000", "CNY", "min", None),
        ],
    ),
    (
        "平均担保费率保持在1%以下。补助比例为百分之五十,上限为百分之三点五。",
        [
            ("1%以下", "percent", "1", "%", "max", "target"),
            ("百分之五十", "percent", "50", "%", None, "subsidy"),
            ("上限为百分之三点五", "percent", "3.5", "%", "max", None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_seed_phrases(text: str, expected: list[tuple[str, str, str, str, str | None, str | None]]) -> None:
    got = [(a.raw, a.kind, a.value, a.unit, a.qualifier, a.role) for a in extract_amounts(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "规划期限为2021—2025年。",  # a year range
        "2026年1月31日",  # a date
        "浙政发〔2021〕20号",  # a 文号
        "浙江省人民政府公报2021年第25期",  # an ordinal
        "“十四五”规划",
        "深入实施“315”科技创新体系建设工程、“双一流196”工程",  # names in quotes
        "聚焦聚力落实习近平总书记“4+1”重要要求和省委“132”总体部署",
        "迭代升级我省“民营经济32条”,落实国家促进民间投资“13条政策”",
        "执行好要素保障“3个70%”、招投标“七个不准”等政策",
        "补链发展射频器件及材料、5G设备和模块;高质量共建杭州湾科技创新带、G60科创走廊",
        "1.新一代信息技术产业。2.生物医药和高性能医疗器械。",  # item labels
        "支持有条件的幼儿园延伸发展2—3岁托育服务",
        "推进建设“四好农村路”2.0版",
        "办好2026年亚太地区人口老龄化国际会议和第四届浙江(国际)康养产业博览会",
        "《关于印发〈推动经济高质量发展若干政策(2026年版)〉的通知》(浙政发〔2026〕6号)",
        "省基金委与企业一般按不低于1:3比例予以出资",
        "推动家电销售、台州温玉铁路、支持项目、符合条件的",
        "1、2026年重点工作",  # a label then a year
        "2026—2028年合计",
        "百亿元以上产业链达到规模;规上工业企业每百亿元营业收入有效发明专利数",  # sizes, no digit
        "推进城乡二元结构改革,一元化管理",
    ],
)
def test_not_amounts(text: str) -> None:
    assert extract_amounts(text) == []


def test_values_are_exact_decimal_strings() -> None:
    for text, value in [
        ("1000万元", "10000000"),
        ("212.26亿元", "21226000000"),
        ("4.2万亿元", "4200000000000"),
        ("0.1元", "0.1"),
        ("3.350%", "3.35"),
        ("100.00万元", "1000000"),
        ("12345678.9亿元", "1234567890000000"),
    ]:
        amount = parse_amount(text)
        assert amount is not None, text
        assert amount.value == value
        assert "E" not in amount.value
        Decimal(amount.value)  # parses back


def test_parse_amount_one_expression() -> None:
    amount = parse_amount("最高可给予1000万元")
    assert amount is not None
    assert (amount.value, amount.unit, amount.qualifier) == ("10000000", "CNY", "max")
    assert parse_amount("225.9亿美元") is not None
    assert parse_amount("2026年") is None
    assert parse_amount("") is None
    assert parse_amount("15万元、30万元") is None  # two amounts, not one


def test_usd_and_other_currencies() -> None:
    [usd] = extract_amounts("政策性保险公司承保短期险1050亿美元以上")
    assert (usd.value, usd.unit, usd.qualifier) == ("105000000000", "USD", "min")
    [usd_wan] = extract_amounts("到位外资500万美元")
    assert (usd_wan.value, usd_wan.unit) == ("5000000", "USD")


@settings(max_examples=200)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789.%万亿元个名以上最高不低于“”《》、,—年第+AG补助达到")))
)
def test_never_raises_and_values_parse(text: str) -> None:
    for amount in extract_amounts(text):
        Decimal(amount.value)
        assert amount.raw in text


def _seed_text(seed_paths: list[Path], i: int) -> str:
    return normalize_text(seed_paths[i].read_text("utf-8"))


def test_seed_000_budgets(seed_paths: list[Path]) -> None:
    """The eight section budgets (省财政预算安排…), the 强城兴村 allocation and the closing total."""
    budgets = [a.raw for a in extract_amounts(_seed_text(seed_paths, 0)) if a.role == "budget"]
    assert budgets == [
        "212.26亿元",
        "163.62亿元",
        "127.74亿元",
        "171.4亿元",
        "59.21亿元",
        "311.94亿元",
        "290.71亿元",
        "80亿元以上",
        "355.21亿元",
        "1053.8亿元",
    ]


def test_seed_001_budgets(seed_paths: list[Path]) -> None:
    amounts = extract_amounts(_seed_text(seed_paths, 1))
    budgets = [(a.raw, a.value) for a in amounts if a.role == "budget" and a.raw.endswith("亿元")]
    assert budgets[0] == ("140.7亿元", "14070000000")
    assert budgets[-1] == ("515亿元", "51500000000")  # 支持总额为515亿元
    assert ("最高1.3亿元", "130000000") in [(a.raw, a.value) for a in amounts]


def test_seeds_have_no_amounts_from_names_years_or_labels(seed_paths: list[Path]) -> None:
    for i in range(5):
        text = _seed_text(seed_paths, i)
        for amount in extract_amounts(text):
            assert not amount.unit.startswith("年"), amount
            assert amount.raw not in {"315", "196", "135", "132", "415"}, amount
            # an amount never starts inside “…”: its raw text is not preceded by an open quote
            head = text[: text.find(amount.raw)]
            assert head.count("“") <= head.count("”") or len(head) - head.rfind("“") > 40, amount


def test_shared_unit_lists_are_bounded() -> None:
    """Hostile input: a 600 KB run of bare numbers before one amount reads at most 20 of them."""
    amounts = extract_amounts("1、2、3、" * 100_000 + "4万元")
    assert len(amounts) == 21
    assert [a.value for a in amounts[-3:]] == ["20000", "30000", "40000"]


def test_thousands_separators_keep_the_whole_number() -> None:
    # "1,000万元" (from "1，000万元" after width folding) is ten million yuan, not "000万元" = 0.
    [cap] = extract_amounts(normalize_text("对认定的企业给予最高1，000万元补助。"))
    assert (cap.raw, cap.value, cap.qualifier, cap.role) == ("最高1,000万元", "10000000", "max", "subsidy")
    [total] = extract_amounts("累计投入12,500.5万元")
    assert total.value == "125005000"


def test_range_with_the_multiplier_on_both_ends() -> None:
    # "20万～50万元" is a range from 200,000 to 500,000 yuan; the lower end was dropped.
    low, high = extract_amounts(normalize_text("对新认定的企业给予20万～50万元补助。"))
    assert (low.raw, low.value, low.unit, low.qualifier, low.role) == (
        "20万",
        "200000",
        "CNY",
        "min",
        "subsidy",
    )
    assert (high.raw, high.value, high.qualifier, high.role) == ("50万元", "500000", "max", "subsidy")
    first, second = extract_amounts("分别奖励5千、1万元")
    assert (first.value, second.value) == ("5000", "10000")


def test_qian_yi_and_bai_yi_multipliers() -> None:
    # "3千亿元" is 300 billion yuan; it was not read at all.
    [target] = extract_amounts("力争数字经济核心产业规模达到3千亿元。")
    assert (target.raw, target.value, target.unit, target.role) == (
        "3千亿元",
        "300000000000",
        "CNY",
        "target",
    )
    [fund] = extract_amounts("设立总规模5百亿元的产业基金")
    assert fund.value == "50000000000"


def test_inclusive_mark_before_yishang() -> None:
    # "1000万元(含)以上" is 1000万元 or more, inclusive: a floor, like "1000万元以上".
    [floor] = extract_amounts(normalize_text("对投资额1000万元（含）以上的项目给予补助。"))
    assert (floor.raw, floor.value, floor.qualifier) == ("1000万元(含)以上", "10000000", "min")
    [cap] = extract_amounts("单个项目补助50万元(含)以下")
    assert (cap.value, cap.qualifier) == ("500000", "max")
