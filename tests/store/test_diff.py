"""diff_documents on hand-built documents: each edit gives exactly the expected changes."""

from __future__ import annotations

from diff_builders import CN, ITEMS, SECTIONS, base, dept, document, money, numbered, quantity
from hypothesis import given
from hypothesis import strategies as st

from parsers.schema import Clause, Document
from store.amount_pairing import pair_amounts
from store.changes import Change
from store.diff import diff_documents, pair_documents
from store.textdiff import text_ops


def kinds(changes: list[Change]) -> list[str]:
    return [c.kind for c in changes]


def replace_clause(doc: Document, clause_id: str, **update: object) -> Document:
    clauses = [c.model_copy(update=update) if c.id == clause_id else c for c in doc.clauses]
    return doc.model_copy(update={"clauses": clauses})


def test_same_document_gives_no_changes() -> None:
    doc = base()
    assert diff_documents(doc, doc) == []
    assert diff_documents(doc, base()) == []


def test_a_different_source_alone_is_no_change() -> None:
    doc = base()
    moved = doc.model_copy(update={"source": doc.source.model_copy(update={"url": "https://x.invalid/a"})})
    assert diff_documents(doc, moved) == []


def test_edited_amount_is_one_amount_changed_with_deltas() -> None:
    old = base()
    target = old.clauses[2]  # (二), 最高可给予1000万元
    new = replace_clause(
        old,
        target.id,
        text=target.text.replace("1000万元", "1500万元"),
        amounts=[money("最高可给予1500万元", "15000000")],
    )
    changes = diff_documents(old, new)
    assert kinds(changes) == ["amount_changed"]
    change = changes[0]
    assert (change.old_label, change.new_label) == ("(二)", "(二)")
    assert (change.old_clause_id, change.new_clause_id) == ("一/二", "一/二")
    assert change.old_amount is not None and change.old_amount.value == "10000000"
    assert change.new_amount is not None and change.new_amount.value == "15000000"
    assert (change.delta, change.delta_percent) == ("5000000", "50")
    assert change.summary == "(二): 最高可给予1000万元 → 1500万元 (+50%)"
    assert change.doc_number == "浙政发〔2026〕6号"
    assert change.departments == ["省科技厅"]  # inherited from the section's lead
    assert change.old_heading == change.new_heading == "支持原始创新和关键核心技术攻关"


def test_lowered_amount_has_a_negative_delta() -> None:
    old = base()
    target = old.clauses[2]
    new = replace_clause(
        old,
        target.id,
        text=target.text.replace("1000万元", "800万元"),
        amounts=[money("最高可给予800万元", "8000000")],
    )
    [change] = diff_documents(old, new)
    assert (change.delta, change.delta_percent) == ("-2000000", "-20")
    assert change.summary.endswith("(-20%)")


def test_qualifier_change_alone_is_one_qualifier_changed() -> None:
    old = base()
    target = old.clauses[2]
    new = replace_clause(
        old,
        target.id,
        text=target.text.replace("最高可给予1000万元", "不低于1000万元"),
        amounts=[money("不低于1000万元", "10000000", "min")],
    )
    changes = diff_documents(old, new)
    assert kinds(changes) == ["qualifier_changed"]
    assert (changes[0].old_value, changes[0].new_value) == ("最高", "不低于")


def test_currency_changed_in_place_is_one_amount_changed_without_a_percent() -> None:
    old = base()
    target = old.clauses[2]
    usd = money("最高可给予1000万美元", "10000000").model_copy(update={"unit": "USD"})
    new = replace_clause(old, target.id, text=target.text.replace("1000万元", "1000万美元"), amounts=[usd])
    changes = diff_documents(old, new)
    assert kinds(changes) == ["amount_changed"]
    [change] = changes
    assert change.old_amount is not None and change.old_amount.unit == "CNY"
    assert change.new_amount == usd
    assert (change.delta, change.delta_percent) == (None, None)
    assert change.summary == "(二): 最高可给予1000万元 → 1000万美元 (unit CNY → USD)"
    back = diff_documents(new, old)
    assert [c.summary for c in back] == ["(二): 最高可给予1000万美元 → 1000万元 (unit USD → CNY)"]


def test_currency_and_value_changed_in_place_give_no_delta() -> None:
    old = base()
    target = old.clauses[2]
    usd = money("最高可给予200万美元", "2000000").model_copy(update={"unit": "USD"})
    new = replace_clause(old, target.id, text=target.text.replace("1000万元", "200万美元"), amounts=[usd])
    [change] = diff_documents(old, new)
    assert (change.kind, change.delta, change.delta_percent) == ("amount_changed", None, None)
    assert change.summary == "(二): 最高可给予1000万元 → 200万美元 (unit CNY → USD)"


def test_counting_unit_changed_in_place_is_one_amount_changed() -> None:
    old = base()
    target = old.clauses[3]  # (三), 新认定省级概念验证中心20个
    old = replace_clause(old, target.id, amounts=[quantity("20个", "20", "个"), *target.amounts])
    new = replace_clause(
        old,
        target.id,
        text=target.text.replace("20个", "20家"),
        amounts=[quantity("20家", "20", "家"), *target.amounts],
    )
    [change] = diff_documents(old, new)
    assert change.kind == "amount_changed"
    assert (change.delta, change.delta_percent) == (None, None)
    assert change.summary == "(三): 20个 → 20家 (unit 个 → 家)"


def test_pair_amounts_pairs_a_unit_change_at_the_same_place() -> None:
    old_text, new_text = "培育服务机构500个。", "培育服务机构500家。"
    pairs, removed, added = pair_amounts(
        [quantity("500个", "500", "个")], [quantity("500家", "500", "家")], old_text, new_text
    )
    assert [(a.unit, b.unit) for a, b in pairs] == [("个", "家")]
    assert removed == added == []


def test_pair_amounts_prefers_the_same_unit_over_a_unit_change() -> None:
    old_text = "单个项目最高可给予1000万元补助。"
    new_text = "单个项目最高可给予1000万美元补助。单个项目最高可给予1200万元补助。"
    old = [money("最高可给予1000万元", "10000000")]
    usd = money("最高可给予1000万美元", "10000000").model_copy(update={"unit": "USD"})
    new = [usd, money("最高可给予1200万元", "12000000")]
    pairs, removed, added = pair_amounts(old, new, old_text, new_text)
    assert [(a.raw, b.raw) for a, b in pairs] == [("最高可给予1000万元", "最高可给予1200万元")]
    assert (removed, added) == ([], [usd])


def test_pair_amounts_leaves_a_different_unit_in_other_words_unpaired() -> None:
    old_text = "引进高层次人才团队20个。"
    new_text = "建成未来工厂和智能工厂100家以上。"
    old, new = [quantity("20个", "20", "个")], [quantity("100家以上", "100", "家", "min")]
    pairs, removed, added = pair_amounts(old, new, old_text, new_text)
    assert (pairs, removed, added) == ([], old, new)


def test_deleted_clause_is_one_clause_removed_and_the_shift_is_folded() -> None:
    old = base()
    items = ITEMS[:2] + ITEMS[3:]
    new = document(numbered(items, [("深化教育科技人才一体改革发展", "省科技厅", 5), SECTIONS[1]]))
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_removed"]
    removed = changes[0]
    assert (removed.old_label, removed.new_label, removed.old_clause_id) == ("(三)", None, "一/三")
    assert "7 later clauses renumbered ((四)→(三) … (十)→(九))" in removed.summary


def test_inserted_clause_is_one_clause_added_and_the_shift_is_folded() -> None:
    old = base()
    inserted = ("支持科技成果标准化转化", "对牵头制定并完成国际标准发布的,最高可给予100万元补助。")
    items = [*ITEMS[:1], inserted, *ITEMS[1:]]
    new = document(numbered(items, [("深化教育科技人才一体改革发展", "省科技厅", 7), SECTIONS[1]]))
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_added"]
    added = changes[0]
    assert (added.old_label, added.new_label, added.new_clause_id) == (None, "(二)", "一/二")
    assert added.new_heading == "支持科技成果标准化转化"
    assert "9 later clauses renumbered ((二)→(三) … (十)→(十一))" in added.summary


def test_clause_moved_to_another_section_is_renumbered() -> None:
    old = base()
    # (六) moves from section 一 to the top of section 二: its label stays (六), its place does not.
    new = document(
        numbered(
            ITEMS, [("深化教育科技人才一体改革发展", "省科技厅", 5), ("加快先进制造业发展", "省经信厅", 5)]
        )
    )
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_renumbered"]
    assert (changes[0].old_clause_id, changes[0].new_clause_id) == ("一/六", "二/六")


def test_swapped_clauses_report_the_move_once() -> None:
    old = base()
    items = [ITEMS[1], ITEMS[0], *ITEMS[2:]]
    new = document(numbered(items, SECTIONS))
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_renumbered"]
    assert {(changes[0].old_label, changes[0].new_label)} <= {("(一)", "(二)"), ("(二)", "(一)")}


def test_relabelling_without_a_shift_is_renumbered() -> None:
    old = base()
    relabelled = [c.model_copy(update={"label": f"{c.number}."}) if c.level == 2 else c for c in old.clauses]
    changes = diff_documents(old, old.model_copy(update={"clauses": relabelled}))
    assert kinds(changes) == ["clause_renumbered"] * 10
    assert changes[0].summary.startswith("(一) → 1:")


def test_reworded_sentence_is_one_clause_modified_with_a_character_diff() -> None:
    old = base()
    target = old.clauses[4]  # (四)
    new_text = target.text.replace("遴选发布标志性应用场景", "每年遴选发布重大标志性应用场景")
    new = replace_clause(old, target.id, text=new_text)
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_modified"]
    ops = changes[0].text_diff
    assert "".join(op.text for op in ops if op.op != "insert") == target.text
    assert "".join(op.text for op in ops if op.op != "delete") == new_text
    assert [op.text for op in ops if op.op == "insert"] == ["每年", "重大"]
    assert not [op for op in ops if op.op == "delete"]


def test_reworded_sentence_and_amount_give_both_changes() -> None:
    old = base()
    target = old.clauses[2]
    new_text = target.text.replace("400项以上", "500项以上").replace("1000万元", "1200万元")
    new = replace_clause(old, target.id, text=new_text, amounts=[money("最高可给予1200万元", "12000000")])
    assert kinds(diff_documents(old, new)) == ["clause_modified", "amount_changed"]


def test_added_amount_in_a_new_sentence() -> None:
    old = base()
    target = old.clauses[4]
    new = replace_clause(
        old,
        target.id,
        text=target.text + "对优秀场景最高可给予50万元奖励。",
        amounts=[money("最高可给予50万元", "500000")],
    )
    assert kinds(diff_documents(old, new)) == ["clause_modified", "amount_added"]
    assert kinds(diff_documents(new, old)) == ["clause_modified", "amount_removed"]


def test_changed_lead_department_is_one_lead_changed() -> None:
    old = base()
    target = old.clauses[0]
    new = replace_clause(
        old, target.id, text=target.text.replace("省科技厅", "省教育厅"), lead=[dept("省教育厅")]
    )
    changes = diff_documents(old, new)
    assert kinds(changes) == ["lead_changed"]
    assert (changes[0].old_value, changes[0].new_value) == ("省科技厅", "省教育厅")
    assert changes[0].summary == "一 lead: 省科技厅 → 省教育厅"
    assert set(changes[0].departments) == {"省科技厅", "省教育厅"}


def test_lead_written_differently_but_same_unit_is_no_change() -> None:
    old = base()
    target = old.clauses[0]
    new = replace_clause(
        old,
        target.id,
        text=target.text.replace("省科技厅", "浙江省科学技术厅"),
        lead=[dept("省科技厅", "浙江省科学技术厅")],
    )
    assert diff_documents(old, new) == []


def test_changed_responsible_units() -> None:
    old = base()
    target = old.clauses[3]
    old = replace_clause(old, target.id, responsible=[dept("省科技厅"), dept("省财政厅")])
    new = replace_clause(old, target.id, responsible=[dept("省科技厅"), dept("省发展改革委")])
    changes = diff_documents(old, new)
    assert kinds(changes) == ["responsible_changed"]
    assert changes[0].new_value == "省科技厅、省发展改革委"


def test_status_draft_to_final_is_metadata_changed() -> None:
    old = document(base().clauses, status="draft")
    changes = diff_documents(old, base())
    assert kinds(changes) == ["metadata_changed"]
    assert (changes[0].field, changes[0].old_value, changes[0].new_value) == ("status", "draft", "final")
    assert changes[0].summary == "status: draft → final"


def test_metadata_fields_each_reported() -> None:
    from datetime import date

    old = document(base().clauses, doc_number="浙政发〔2024〕3号", effective_to=date(2024, 12, 31))
    new = document(base().clauses, effective_to=date(2026, 12, 31))
    fields = [c.field for c in diff_documents(old, new)]
    assert fields == ["doc_number", "effective_to"]


def test_removed_clause_is_reported_where_it_stood() -> None:
    old = base()
    new_items = [*ITEMS[:5], *ITEMS[6:]]
    new = document(numbered(new_items, [("深化教育科技人才一体改革发展", "省科技厅", 5), SECTIONS[1]]))
    target = old.clauses[3]
    new = replace_clause(new, target.id, text=target.text + "加强基础研究。")
    changes = diff_documents(old, new)
    assert [(c.kind, c.old_label) for c in changes] == [
        ("clause_modified", "(三)"),
        ("clause_removed", "(六)"),
    ]


def test_diff_is_deterministic() -> None:
    old = base()
    new = document(numbered(ITEMS[::-1], SECTIONS))
    assert diff_documents(old, new) == diff_documents(old, new)


def test_unrelated_documents_are_all_added_and_removed() -> None:
    old = base()
    other = [
        Clause(id=str(k), label=f"{k}.", number=k, level=1, parent=None, heading="", text=text)
        for k, text in enumerate(["天气晴朗适合出游。", "今日菜价保持稳定。"], start=1)
    ]
    changes = diff_documents(old, document(other))
    assert sorted(set(kinds(changes))) == ["clause_added", "clause_removed"]
    assert kinds(changes).count("clause_added") == 2
    assert kinds(changes).count("clause_removed") == len(old.clauses)


def test_pair_amounts_pairs_by_context_not_by_order() -> None:
    old = [money("最高可给予15万元", "150000"), money("最高可给予30万元", "300000")]
    new = [money("最高可给予30万元", "300000"), money("最高可给予20万元", "200000")]
    pairs, removed, added = pair_amounts(old, new)
    assert [(a.value, b.value) for a, b in pairs] == [("300000", "300000"), ("150000", "200000")]
    assert removed == added == []


def test_pair_amounts_never_pairs_different_units() -> None:
    percent = money("3%", "3").model_copy(update={"kind": "percent", "unit": "%"})
    pairs, removed, added = pair_amounts([percent], [money("最高可给予30万元", "300000")])
    assert (pairs, removed, len(added)) == ([], [percent], 1)


def test_pair_documents_by_doc_number_then_series() -> None:
    a = base()
    b = document([], doc_number="杭政〔2026〕1号", title="其他政策", series="其他政策")
    c = document(
        base().clauses,
        doc_number=None,
        title="推动经济高质量发展若干政策(2024年版)",
        series="推动经济高质量发展若干政策",
    )
    a_series = a.model_copy(update={"series": "推动经济高质量发展若干政策"})
    pairs, old_left, new_left = pair_documents([b, c], [a_series])
    assert pairs == [(c, a_series)]
    assert (old_left, new_left) == ([b], [])
    pairs, _, _ = pair_documents([b, a], [a, b])
    assert pairs == [(a, a), (b, b)]
    assert pair_documents([b, c], [a, b])[0] == [(b, b)]


def test_many_clauses_one_insertion_stays_one_change() -> None:
    items = [
        (f"第{k}项措施的标题{CN[k % 10]}", f"第{k}项措施的内容,涉及编号{k * 7919 % 10007}的专项安排。")
        for k in range(1, 200)
    ]
    old = document(numbered(items[:150], [("总体要求", "省发展改革委", 150)]))
    new = document(
        numbered(
            [*items[:10], ("新增的措施", "全新的内容。"), *items[10:150]], [("总体要求", "省发展改革委", 151)]
        )
    )
    changes = diff_documents(old, new)
    assert kinds(changes) == ["clause_added"]
    assert "140 later clauses renumbered" in changes[0].summary


@given(
    st.text(alphabet="的一是在不了有和人这中大为上个国我以要他", max_size=40),
    st.text(alphabet="的一是在不了有和人这中大为上个国我以要他", max_size=40),
)
def test_text_ops_rebuild_both_texts(old: str, new: str) -> None:
    ops = text_ops(old, new)
    assert "".join(op.text for op in ops if op.op != "insert") == old
    assert "".join(op.text for op in ops if op.op != "delete") == new
    assert all(op.text for op in ops)


@given(st.sets(st.integers(min_value=0, max_value=len(ITEMS) - 1), min_size=1, max_size=len(ITEMS) - 1))
def test_any_set_of_deletions_gives_exactly_those_removals(deleted: set[int]) -> None:
    old = document(numbered(ITEMS, [("总体要求", "省发展改革委", len(ITEMS))]))
    kept = [item for k, item in enumerate(ITEMS) if k not in deleted]
    new = document(numbered(kept, [("总体要求", "省发展改革委", len(kept))]))
    changes = diff_documents(old, new)
    assert [(c.kind, c.old_heading) for c in changes] == [
        ("clause_removed", ITEMS[k][0]) for k in sorted(deleted)
    ]
    back = diff_documents(new, old)
    assert [(c.kind, c.new_heading) for c in back] == [("clause_added", ITEMS[k][0]) for k in sorted(deleted)]


def test_pair_amounts_leaves_unrelated_amounts_unpaired() -> None:
    old_text = "推动全省科技创新投入达到7800亿元。力争科技贷款余额超4.2万亿元。"
    new_text = "推动全市科技创新投入达2635亿元。单个基金管理企业奖励累计不超过500万元。"
    old = [money("7800亿元", "780000000000", None), money("超4.2万亿元", "4200000000000", "min")]
    new = [money("2635亿元", "263500000000", None), money("不超过500万元", "5000000", "max")]
    pairs, removed, added = pair_amounts(old, new, old_text, new_text)
    assert [(a.raw, b.raw) for a, b in pairs] == [("7800亿元", "2635亿元")]
    assert ([a.raw for a in removed], [b.raw for b in added]) == (["超4.2万亿元"], ["不超过500万元"])


def long_text(seed: int, sentences: int) -> str:
    words = [text for _, text in ITEMS]
    return "".join(f"{words[(seed + k * 7) % len(words)][:-1]}第{k}项。" for k in range(sentences))


def test_long_texts_are_compared_sentence_by_sentence() -> None:
    old = long_text(1, 400)
    assert len(old) > 10_000
    new = old.replace("第200项。", "第200项,并加强督促检查。", 1)
    ops = text_ops(old, new)
    assert "".join(op.text for op in ops if op.op != "insert") == old
    assert "".join(op.text for op in ops if op.op != "delete") == new
    assert [(op.op, op.text) for op in ops if op.op != "equal"] == [("insert", ",并加强督促检查")]


def test_a_long_clause_with_one_sentence_edited_is_modified_not_replaced() -> None:
    old = base()
    target = old.clauses[5]
    long_body = target.text + long_text(3, 300)
    old = replace_clause(old, target.id, text=long_body)
    new = replace_clause(old, target.id, text=long_body.replace("第150项。", "第150项,逐年提高。", 1))
    assert [c.kind for c in diff_documents(old, new)] == ["clause_modified"]


def test_tables_cites_and_attachments_are_metadata() -> None:
    from parsers.schema import Attachment, Table

    old = document(
        base().clauses,
        cites=["浙政发〔2024〕3号"],
        tables=[Table(id="t1", title="任务分解", rows=[["任务", "单位"], ["招引", "省商务厅"]])],
        attachments=[Attachment(name="附件1.pdf", url="https://x.invalid/1.pdf", sha256="a" * 64)],
    )
    new = document(
        base().clauses,
        cites=["浙政发〔2024〕3号", "浙政发〔2025〕1号"],
        tables=[Table(id="t1", title="任务分解", rows=[["任务", "单位"], ["招引", "省发展改革委"]])],
        attachments=[Attachment(name="附件1.pdf", url="https://x.invalid/1.pdf", sha256="b" * 64)],
    )
    changes = diff_documents(old, new)
    assert [(c.kind, c.field) for c in changes] == [
        ("metadata_changed", "cites"),
        ("metadata_changed", "tables"),
        ("metadata_changed", "attachments"),
    ]
    assert changes[0].new_value == "浙政发〔2024〕3号、浙政发〔2025〕1号"
    assert changes[2].summary == "attachments: changed 附件1.pdf"


def test_a_section_moved_with_its_items_is_one_move() -> None:
    old = base()
    (first, lead1, count1), (second, lead2, count2) = SECTIONS
    items = ITEMS[count1:] + ITEMS[:count1]
    new = document(numbered(items, [(second, lead2, count2), (first, lead1, count1)]))
    changes = diff_documents(old, new)
    assert [(c.kind, c.old_label, c.new_label) for c in changes] == [("clause_renumbered", "二、", "一、")]
    assert "11 later clauses renumbered" in changes[0].summary


@given(
    st.integers(min_value=1, max_value=len(ITEMS)),
    st.integers(min_value=0, max_value=200),
    st.text(alphabet="的一是在不了有和人这中大为", min_size=1, max_size=6),
)
def test_any_small_edit_inside_one_item_is_one_clause_modified(k: int, at: int, inserted: str) -> None:
    old = base()
    target = next(c for c in old.clauses if c.level == 2 and c.number == k)
    position = len(target.heading) + 1 + at % (len(target.text) - len(target.heading))
    new = replace_clause(old, target.id, text=target.text[:position] + inserted + target.text[position:])
    changes = diff_documents(old, new)
    assert [(c.kind, c.old_clause_id, c.new_clause_id) for c in changes] == [
        ("clause_modified", target.id, target.id)
    ]


@given(
    st.lists(st.integers(min_value=0, max_value=len(ITEMS) - 1), max_size=14),
    st.lists(st.integers(min_value=0, max_value=len(ITEMS) - 1), max_size=14),
)
def test_alignment_accounts_for_every_clause_once(old_picks: list[int], new_picks: list[int]) -> None:
    from store.align import align_clauses, content_key

    old = numbered([ITEMS[k] for k in old_picks], [("总体要求", "省发展改革委", len(old_picks))])
    new = numbered([ITEMS[k] for k in new_picks], [("总体要求", "省发展改革委", len(new_picks))])
    alignment = align_clauses(old, new)
    paired_old = [i for i, _ in alignment.pairs]
    paired_new = [j for _, j in alignment.pairs]
    assert sorted(paired_old + alignment.removed) == list(range(len(old)))
    assert sorted(paired_new + alignment.added) == list(range(len(new)))
    assert all(content_key(old[i]) == content_key(new[j]) for i, j in alignment.exact)
    # Every measure both sides have as many times pairs with an identical one.
    common = sum(min(old_picks.count(k), new_picks.count(k)) for k in set(old_picks))
    assert len(alignment.exact) >= common
    diff_documents(document(old), document(new))  # and the diff over it never fails


def test_empty_clauses_compare_without_error() -> None:
    from store.align import similarity

    empty = Clause(id="1", label="1.", number=1, level=1, parent=None, heading="", text="")
    assert similarity(empty, empty.model_copy(update={"id": "2"})) == 1.0
    assert similarity(empty, empty.model_copy(update={"text": "内容"})) == 0.0
