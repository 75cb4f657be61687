"""Text normalization: every rule on real snippets from the seeds, plus properties on arbitrary text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.normalize import detect_script, normalize_inline, normalize_text
from parsers.schema import Script
from seeds import seed_texts


def seed(seed_paths: list[Path], index: int) -> str:
    return seed_paths[index].read_text(encoding="utf-8")


# --- width, punctuation, spaces ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("浙政发〔２０２１〕２０ 号", "浙政发〔2021〕20号"),
        ("各市、县（市、区）人民政府，省政府直属各单位：", "各市、县(市、区)人民政府,省政府直属各单位:"),
        ("占生产总值（ＧＤＰ）比重", "占生产总值(GDP)比重"),
        ("规上工业亩均增加值（万元 ／亩）", "规上工业亩均增加值(万元/亩)"),
        ("注：＃为扣除国家单列项目；［］为 ５ 年累计", "注:#为扣除国家单列项目;[]为5年累计"),
        ("打造“领军企业 ＋中小微企业”创新生态圈", "打造“领军企业+中小微企业”创新生态圈"),
        ("实施“５Ｇ ＋”智能网联汽车工程", "实施“5G+”智能网联汽车工程"),
        ("达到 ７８００ 亿元", "达到7800亿元"),
        ("建设高水平“村 BA”", "建设高水平“村BA”"),
        ("加快部署基于 ＩＰｖ６ 的下一代互联网", "加快部署基于IPv6的下一代互联网"),
        ("占 GDP 比重达到 14% 左右", "占GDP比重达到14%左右"),
        ("团\u3000长：成岳冲（副省长）", "团长:成岳冲(副省长)"),
        ("增长\u00a05%\u200b以上", "增长5%以上"),
        ("２０２１ 年 ７ 月 ２ 日", "2021年7月2日"),
        ("全省生产总值增长 5%—5.5%", "全省生产总值增长5%—5.5%"),
        ("每年９月１５～２７日", "每年9月15~27日"),
        ("2021〜2025", "2021~2025"),
        ("芯片─软件━整机―系统–信息服务", "芯片—软件—整机—系统—信息服务"),
        ("政务服务 ２． ０ 工作", "政务服务2.0工作"),
        ("  首尾空格  ", "首尾空格"),
        ("浙政发﹝2021﹞20号", "浙政发〔2021〕20号"),
        ("︵一︶加强组织领导﹐明确责任﹔", "(一)加强组织领导,明确责任;"),
        ("︽条例︾︱规定﹘办法", "《条例》—规定—办法"),
        ("｢通知｣已印发､请执行｡", "「通知」已印发、请执行。"),
    ],
)
def test_inline_width_and_spaces(raw: str, expected: str) -> None:
    assert normalize_inline(raw) == expected


def test_cjk_punctuation_is_kept() -> None:
    kept = "、。“”‘’《》〈〉〔〕…—·"
    assert normalize_inline(kept) == kept


def test_space_between_ascii_alphanumerics_is_kept() -> None:
    assert normalize_inline("5G  network 2.0 版") == "5G network 2.0版"
    assert normalize_inline("32.7 33.3") == "32.7 33.3"


def test_form_feed_is_a_page_break() -> None:
    assert (
        normalize_text("第一页的文字,继续\f—２—\f写完。\n二、下一节") == "第一页的文字,继续写完。\n二、下一节"
    )


def test_inline_makes_one_line() -> None:
    assert normalize_inline("关于印发\n浙江省\r\n规划") == "关于印发浙江省规划"


# --- private-use code points (seed 004) -------------------------------------------------------------


def test_pua_decimal_point(seed_paths: list[Path]) -> None:
    text = normalize_text(seed(seed_paths, 4))
    assert "规上制造业劳动生产率达23.5万元/人" in text
    assert "比重达2.8%、新产品产值率达42.4%" in text
    assert "累计实际利用外资225.9亿美元" in text
    assert "中国浙江网上技术市场3.0建设" in text
    assert "\ue010" not in text and "\ue012" not in text
    assert "235万元" not in text


def test_pua_item_label_and_note_mark(seed_paths: list[Path]) -> None:
    text = normalize_text(seed(seed_paths, 4))
    assert "\n1.新一代信息技术产业。聚焦数字安防" in text
    assert "\n3.新材料。提升先进基础材料制造水平" in text
    assert "注:#为扣除国家单列项目;[]为5年累计;*为2019年数值。" in text
    assert "10 营商环境便利度指数 76.1* 90 预期性" in text


def test_pua_inline() -> None:
    assert normalize_inline("达 ２３\ue010 ５ 万元") == "达23.5万元"
    assert normalize_inline("１\ue010 新一代信息技术") == "1.新一代信息技术"
    assert normalize_inline("７６\ue010 １\ue012") == "76.1*"


# --- pinyin ruby (seed 001) --------------------------------------------------------------------------


def test_ruby_stripped_from_seed_001(seed_paths: list[Path]) -> None:
    raw = seed(seed_paths, 1)
    assert raw.count("(guān)") > 10
    text = normalize_text(raw)
    assert text.startswith("关于推动经济高质量发展的若干政策(2026年版)\n")
    assert (
        "根据《浙江省人民政府关于印发〈推动经济高质量发展若干政策(2026年版)〉的通知》(浙政发〔2026〕6号)"
        in text
    )
    assert "一、深化教育科技人才一体改革发展(由市科技局牵头)" in text
    for syllable in ("(guān)", "(fā)", "(jù)", "(jì)", "(yè)", "(zhì)"):
        assert syllable not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("關(guān)於", "关于"),
        ("發(fā)展", "发展"),
        ("根據(jù)", "根据"),
        ("綠(lǜ)色", "绿色"),
        ("關 (guān)", "关"),
        ("企業(yè)", "企业"),
        ("關(guān)(guān)", "关"),
        ("專家?guī)熘械钠髽I(yè)專家數(shù)", "专家?guī)熘械钠髽I专家数"),
    ],
)
def test_ruby_patterns(raw: str, expected: str) -> None:
    assert normalize_inline(raw) == expected


def test_ruby_inline_traditional_sentence() -> None:
    assert (
        normalize_inline("為深入貫徹落實中央經(jīng)濟工作會議精神") == "为深入贯彻落实中央经济工作会议精神"
    )


@pytest.mark.parametrize(
    "kept",
    [
        "推动经济高质量发展若干政策(2026年版)",
        "一体改革发展(由市科技局牵头)",
        "(一)强化企业科技创新主体地位",
        "占生产总值(GDP)比重",
        "(责任单位:市科技局)",
        "发展改革委(省能源局)",
        "不动产投资信托基金(REITs)",
        "方案(a)和方案(b)",
        "项目(abc)",
        "等级(A)",
        "费用(2)",
    ],
)
def test_real_parentheses_are_kept(kept: str) -> None:
    assert normalize_inline(kept) == kept


def test_toneless_syllable_only_in_annotated_text() -> None:
    assert normalize_inline("指标(de)") == "指标(de)"
    assert normalize_inline("關(guān)於我們(men)的") == "关于我们的"
    assert normalize_inline("關(guān)於A(an)方案(a)") == "关于A(an)方案(a)"


# --- Traditional -> Simplified -----------------------------------------------------------------------


def test_detect_script_on_seeds(seed_paths: list[Path]) -> None:
    scripts = [detect_script(seed(seed_paths, i)) for i in range(5)]
    assert scripts == ["simplified", "traditional", "simplified", "simplified", "simplified"]


def test_traditional_converted_only_when_traditional() -> None:
    assert normalize_inline("推動經濟高質量發展,為深入貫徹落實") == "推动经济高质量发展,为深入贯彻落实"
    # Characters OpenCC would touch in isolation stay when the text is Simplified.
    simplified = "乾坤未定,坚持以新发展理念引领制造业高质量发展,推动经济实现质的有效提升"
    assert normalize_inline(simplified) == simplified
    assert detect_script("") == "simplified"


def test_chained_conversion_reaches_a_fixed_point() -> None:
    assert normalize_text("薴") == normalize_text(normalize_text("薴")) == "苎"


def test_seed_001_fully_simplified(seed_paths: list[Path]) -> None:
    text = normalize_text(seed(seed_paths, 1))
    assert detect_script(text) == "simplified"
    for trad in "關發經濟據為實與體係":
        assert trad not in text


# --- page furniture (seed 004) -------------------------------------------------------------------------


def test_running_header_and_page_number_dropped(seed_paths: list[Path]) -> None:
    raw = seed(seed_paths, 4)
    assert "浙江省人民政府公报 ２０２１ 年第 ２５ 期" in raw and "—６—" in raw
    text = normalize_text(raw)
    assert "公报" not in text
    assert "—6—" not in text
    # The sentence broken by the page break is whole again.
    assert "推广绿色制造技术,优化提升传统精细化工产业。打造世界一流的现代绿色石油化工基地。" in text


@pytest.mark.parametrize("page", ["—６—", "- 6 -", "－ １２ －", "— 6 —"])
def test_page_number_shapes(page: str) -> None:
    assert normalize_text(f"第一段文字,继续\n{page}\n写完。") == "第一段文字,继续写完。"


def test_rotated_table_debris_dropped(seed_paths: list[Path]) -> None:
    text = normalize_text(seed(seed_paths, 4))
    lines = text.split("\n")
    assert lines[-1] == "2021年9月2日"
    assert not [ln for ln in lines if len(ln) == 1]


def test_short_table_cells_kept(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 4)).split("\n")
    start = lines.index("全球先进制造业基地建设关键指标")
    block = lines[start : start + 8]
    assert block[2:5] == ["发展", "质效", "1 制造业增加值占 GDP比重(%) 32.7 33.3 左右 预期性"]
    assert "8 规上工业单位增加值能耗降幅#(%) — [16]以上 约束性" in lines


def test_debris_run_is_judged_after_joining() -> None:
    # ":2" joins "50" and "00"; the single characters left form a debris run a second pass drops.
    raw = " 测\n 每\n 不\n １５\n ：２\n５０\n ００\n "
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_bounded_time_on_crafted_ruby() -> None:
    nested = "(guān)"
    for _ in range(2000):
        nested = f"(gu{nested}ān)"
    assert isinstance(normalize_text("關" + nested), str)
    assert normalize_text("關" + "(guān)" * 50_000 + "於") == "关于"


@pytest.mark.slow
def test_one_paragraph_of_many_lines() -> None:
    # 100,000 wrapped lines that form one paragraph: joining must not copy the paragraph per line.
    line = "这是一段很长的文字,没有句号的结尾部分继续写下去,并且还有很多内容在这里"
    out = normalize_text((line + "\n") * 100_000)
    assert out == line * 100_000


def test_short_lines_outside_a_run_kept() -> None:
    assert normalize_text("名单\n张三\n李四\n\n说明。") == "名单\n张三\n李四\n说明。"


# --- paragraph rejoin ----------------------------------------------------------------------------------


def test_blank_line_inside_sentence_rejoined(seed_paths: list[Path]) -> None:
    raw = seed(seed_paths, 0)
    assert "健全“企业出题、\n\n政府助题" in raw
    text = normalize_text(raw)
    assert "健全“企业出题、政府助题、平台答题、车间验题、市场评价”协同攻关机制" in text
    assert "单个中心最高可分别给予100万元、50万元补助。" in text


def test_seed_000_header_lines_stay_apart(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 0)).split("\n")
    assert lines[:10] == [
        "浙江省人民政府文件",
        "浙政发〔2026〕6号",
        "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知",
        "各市、县(市、区)人民政府,省政府直属各单位:",
        "现将《推动经济高质量发展若干政策(2026年版)》印发给你们,请结合实际认真组织实施。",
        "浙江省人民政府",
        "2026年1月31日",
        "(此件公开发布)",
        "推动经济高质量发展若干政策(2026年版)",
        lines[9],
    ]
    assert lines[9].startswith("为深入贯彻落实")
    assert lines[10] == "一、深化教育科技人才一体改革发展(由省科技厅牵头)"
    assert lines[-3].startswith("抄送:") and lines[-3].endswith("省法院,省检察院。")
    assert lines[-2:] == ["浙江省人民政府办公厅", "2026年2月3日印发"]


def test_seed_002_wrapped_lines_and_units(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 2)).split("\n")
    assert "坚持稳中求进、提质增效,坚定扛起" in next(ln for ln in lines if ln.startswith("“十五五”时期是"))
    assert "1.加强地方政府债务风险监测预警和防控处置。" in lines
    assert "责任单位:省政府办公厅、省政府直属各单位,各市、县(市、区)政府" in lines
    assert any(
        ln.startswith("责任单位:省建设厅、省委政法委、省委网信办、省委金融办(省地方金融局)、省信访局")
        for ln in lines
    )
    assert (
        "6.加强行政执法规范化建设。不断提高各项工作法治化水平,促进法治与改革、发展、稳定相协同,切实保障社会公平正义。"
        in lines
    )


def test_part_title_after_responsibility_line(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 2)).split("\n")
    i = lines.index("政府工作报告2026年度重点工作责任分解")
    assert lines[i - 1] == "责任单位:省委社工部,省委两新工委其他成员单位"
    assert lines[i + 1] == "一、刘捷省长牵头重点工作"
    assert lines[lines.index("十方面民生实事责任分解") - 1] == "责任单位:省委统战部、省工商联牵头"


def test_closing_part_after_a_bracketed_note(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 1)).split("\n")
    closing = next(i for i, ln in enumerate(lines) if ln.startswith("上述8个领域政策,市财政预算安排资金"))
    assert lines[closing - 1].startswith("(四十八)支持推进“人的全面发展”。")
    # A bracketed note inside a wrapped paragraph does not end it.
    lines = normalize_text(seed(seed_paths, 4)).split("\n")
    assert any("满足公众现金支付需求。(责任单位:省委改革办)零售、餐饮、商场" in ln for ln in lines)


def test_seed_003_title_block(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 3)).split("\n")
    assert lines[:3] == ["附件", "关于进一步推动经济高质量发展的若干政策", "(征求意见稿)"]
    assert lines[4] == "一、扩大有效投资政策(由省发展改革委牵头实施)"


def test_seed_004_pdf_wrap(seed_paths: list[Path]) -> None:
    lines = normalize_text(seed(seed_paths, 4)).split("\n")
    assert lines[:6] == [
        "浙江省人民政府关于印发浙江省全球先进制造业基地建设“十四五”规划的通知",
        "浙政发〔2021〕20号",
        "各市、县(市、区)人民政府,省政府直属各单位:",
        "现将《浙江省全球先进制造业基地建设“十四五”规划》印发给你们,请结合实际认真贯彻落实。",
        "浙江省人民政府",
        "2021年7月2日",
    ]
    assert "一、总体要求" in lines
    assert (
        "———全球先进制造新支点。制造业规模稳居全国前列,产业基础高级化、产业链现代化水平大幅提升,优势产业全球领导地位进一步巩固,发展质量和效益达到领先水平。"
        in lines
    )
    assert "浙江省人民政府关于设立湖州工程技师学院等6所技师学院的批复" in lines
    assert "浙江省切实解决老年人运用智能技术困难实施方案" in lines
    assert "浙江省农村生活污水治理“强基增效双提标”行动方案(2021—2025年)" in lines
    assert "团长:成岳冲(副省长)" in lines and "郑瑶(省体育局局长)" in lines
    assert "附件:新型冠状病毒核酸检测项目价格表" in lines
    # Long wrapped lines whose only punctuation is 、 《》 “” still continue.
    assert any("提供代寄检查检验报告等服务。" in ln for ln in lines)
    assert "(2021—2025年)》已经省政府同意,现印发给你们,请结合实际认真贯彻实施。" in "\n".join(lines)
    # A 文号 cited inside a sentence does not start a new line.
    assert any(
        "(台政〔2021〕25号)和省交通运输厅" in ln and ln.startswith("台州市政府《关于恳请") for ln in lines
    )


def test_rejoin_rules() -> None:
    assert normalize_text("一、总体要求\n(一)发展基础。到2020年底,规模效益\n持续提升。") == (
        "一、总体要求\n(一)发展基础。到2020年底,规模效益持续提升。"
    )
    assert normalize_text("省财政预算安排,其中\n1.5亿元。") == "省财政预算安排,其中1.5亿元。"
    # A short line without punctuation is a title or a heading: it stands alone.
    assert normalize_text("省财政安排\n1.5亿元。") == "省财政安排\n1.5亿元。"
    assert normalize_text("支持,补助\n1.新的条款。") == "支持,补助\n1.新的条款。"
    assert normalize_text("内容如下,其中\n第三条 适用范围。") == "内容如下,其中\n第三条适用范围。"
    assert normalize_text("全年新增\n400\n200个。") == "全年新增\n400\n200个。"
    assert normalize_text("新增 400,\n200 个。") == "新增400,200个。"
    assert normalize_text("建成5G基站,达到\n20万个。") == "建成5G基站,达到20万个。"
    assert normalize_text("合计,共计 2021\n2022 年") == "合计,共计20212022年"
    assert normalize_text("a\n\n\n\nb。") == "a\nb。"
    assert normalize_text("") == ""
    assert normalize_text("\n \n\u3000\n") == ""


def test_line_break_inside_number_joins_without_space() -> None:
    # A line break never means a space inside a Chinese sentence, also between two digits.
    assert normalize_text("本办法自发布之日起施行,有效期至202\n7年12月31日。") == (
        "本办法自发布之日起施行,有效期至2027年12月31日。"
    )
    assert normalize_text("补助,最高5\n0万元。") == "补助,最高50万元。"
    assert normalize_text("资金安排,共1\n.5亿元。") == "资金安排,共1.5亿元。"
    assert normalize_text("增长,达到12\n%。") == "增长,达到12%。"
    # Latin words still get their space back, and table cells stay apart.
    assert normalize_text("支持 AI 应用,推动 model\nservice 发展。") == "支持AI应用,推动model service发展。"
    assert normalize_text("1 制造业增加值占 GDP比重(%) 76.1* 90 预期性") == (
        "1 制造业增加值占 GDP比重(%) 76.1* 90 预期性"
    )


def test_label_number_space_kept() -> None:
    assert normalize_text("1. 2026年全省完成投资。") == "1. 2026年全省完成投资。"
    assert normalize_text("1. 加强地方政府债务风险监测预警。") == "1.加强地方政府债务风险监测预警。"


def test_paragraphs_are_in_inline_form(seed_paths: list[Path]) -> None:
    # A title or cell normalized on its own reads exactly as it does inside the notice.
    for path in seed_paths:
        for paragraph in normalize_text(path.read_text(encoding="utf-8")).split("\n"):
            assert normalize_inline(paragraph) == paragraph


def test_every_seed_idempotent(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        once = normalize_text(path.read_text(encoding="utf-8"))
        assert normalize_text(once) == once, path.name
        assert "\n\n" not in once and once == once.strip()


# --- properties -----------------------------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(min_codepoint=0xE000, max_codepoint=0xE020),
    st.characters(min_codepoint=0xFE10, max_codepoint=0xFE6F),
    st.sampled_from(list("\n\n\n \u3000\u00a0\u200b、。,，:：;；()（）“”《》—─━～〔〕1234567890.%")),
    st.sampled_from(
        [
            "(guān)",
            "(fā)",
            "(一)",
            "一、",
            "1.",
            "—６—",
            "浙江省人民政府公报",
            "〔2021〕6号",
            "\ue010",
            "\r\n",
        ]
    ),
)
_TEXT = st.lists(_ALPHABET, max_size=80).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_normalize_text_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\n\n" not in once


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_normalize_inline_idempotent(raw: str) -> None:
    once = normalize_inline(raw)
    assert normalize_inline(once) == once
    assert "\n" not in once


def test_lone_surrogates_do_not_raise() -> None:
    raw = b"\xb2\xe2\xca\xd4 \xff".decode("utf-8", errors="surrogateescape") + "關於經濟發展"
    assert normalize_text(raw) == "\ufffd\ufffd\ufffd\ufffd\ufffd关于经济发展"
    assert normalize_inline(raw) == normalize_text(raw)


_SEED_TEXTS = [path.read_text(encoding="utf-8") for path in seed_texts()]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_idempotent_on_pieces_of_real_notices(data: st.DataObject) -> None:
    """Slices of the seeds, glued in any order: the shapes real input has, cut anywhere."""
    pieces = []
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(st.sampled_from(_SEED_TEXTS))
        start = data.draw(st.integers(0, len(text) - 1))
        pieces.append(text[start : start + data.draw(st.integers(1, 2500))])
    once = normalize_text("\n".join(pieces))
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(raw: str) -> None:
    assert isinstance(normalize_text(raw), str)
    assert isinstance(normalize_inline(raw), str)
    assert detect_script(raw) in ("simplified", "traditional")


def test_script_is_judged_once_per_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.normalize as normalize
    import parsers.pipeline as pipeline
    from parsers.pipeline import parse_text
    from parsers.schema import Source

    calls: list[int] = []
    judge = normalize.detect_script

    def counted(raw: str) -> Script:
        calls.append(len(raw))
        return judge(raw)

    monkeypatch.setattr(normalize, "detect_script", counted)
    monkeypatch.setattr(pipeline, "detect_script", counted, raising=False)
    [doc] = parse_text("關於印發測試辦法的通知\n一、總體要求\n對企業給予補助。", Source(sha256="0" * 64))
    assert doc.script == "traditional"
    assert doc.clauses[0].heading == "总体要求"
    assert len(calls) == 1


def test_equal_length_lines_do_not_make_a_text_hard_wrapped() -> None:
    # One paragraph per line; four lines happen to be 21 characters long. That is no wrap width:
    # the two paragraphs far longer than 21 say the text was never wrapped, so the part title
    # "政府工作报告…责任分解" must not be glued to the sentence after it.
    para = (
        "各地、各单位要坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神,坚持稳中求进"
        "工作总基调,完整准确全面贯彻新发展理念,推动经济实现质的有效提升和量的合理增长,保持社会和谐稳定。"
    )
    lines = [
        "省政府同意,现印发给你们,请认真贯彻执行。",
        para,
        "浙江省人民政府办公厅",
        "2026年1月24日",
        "政府工作报告“十五五”时期重点工作责任分解",
        "省政府同意,现印发给你们,请认真贯彻执行。",
        para + "确保实现良好开局。",
        "浙江省人民政府办公厅",
        "2026年1月24日",
        "政府工作报告二〇二六年度重点工作责任分解表",
    ]
    assert normalize_text("\n".join(lines)).split("\n") == lines


def test_a_line_starting_with_a_full_stop_ends_the_line_before_it() -> None:
    # No paragraph starts with "。": a copy that broke the line just before it split one sentence
    # and left "。" as a paragraph of its own (inside the clause text as "资助\n。").
    text = "二、强化人才引进与培养工作,对高层次人才给予奖励资助\n。\n三、加强组织保障"
    assert normalize_text(text).split("\n") == [
        "二、强化人才引进与培养工作,对高层次人才给予奖励资助。",
        "三、加强组织保障",
    ]
