"""The diff on the real seed notices, through the real parser: editions, edits and noise."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import opencc
import pytest
from diff_builders import chinese

from parsers.article import parse_article
from parsers.html_document import article_documents
from parsers.pipeline import parse_file, parse_text
from parsers.schema import Document, Source
from store.changes import Change
from store.diff import diff_documents

LABEL_LINE = re.compile(r"^\(([一二三四五六七八九十]+)\)", re.MULTILINE)


def seed(seed_paths: list[Path], number: str) -> Path:
    return next(p for p in seed_paths if p.name.startswith(number + "_"))


def only(docs: list[Document]) -> Document:
    assert len(docs) == 1, [d.title for d in docs]
    return docs[0]


def parse(text: str) -> Document:
    return only(parse_text(text, Source(path="edited.txt", sha256="0" * 64)))


def pairs(changes: list[Change]) -> set[tuple[str | None, str | None]]:
    return {
        (c.old_label, c.new_label) for c in changes if c.old_label is not None and c.new_label is not None
    }


def labels_of(changes: list[Change], kind: str, side: str) -> set[str | None]:
    return {getattr(c, f"{side}_label") for c in changes if c.kind == kind}


@pytest.fixture(scope="module")
def text_000(seed_paths: list[Path]) -> str:
    return seed(seed_paths, "000").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc_000(seed_paths: list[Path]) -> Document:
    return only(parse_file(seed(seed_paths, "000")))


def renumber(text: str) -> str:
    """Relabel the (一)…(四十二) items 1..n in order, as an editor does after adding or deleting one."""
    counter = iter(range(1, 1000))
    return LABEL_LINE.sub(lambda _: f"({chinese(next(counter))})", text)


# ---- editions ------------------------------------------------------------------------------------


def test_2024_draft_to_2026_final_pairs_the_surviving_measures(
    seed_paths: list[Path], doc_000: Document
) -> None:
    draft = only(parse_file(seed(seed_paths, "003")))
    changes = diff_documents(draft, doc_000)
    paired = pairs(changes)
    # The same measures, renumbered and reworded between the editions.
    assert ("8.", "(二)") in paired  # 支持开展关键核心技术攻关 -> 支持原始创新和关键核心技术攻关
    assert ("9.", "(九)") in paired  # 推动企业加大研发投入 -> 支持企业加大研发投入
    assert ("52.", "(三十五)") in paired  # 支持推进“劳有所得”
    assert ("五、", "四、") in paired  # 世界一流强港和交通强省建设
    assert ("一、", "六、") in paired  # 扩大有效投资
    # Measures one edition has and the other has not.
    assert "14." in labels_of(changes, "clause_removed", "old")  # 完善政府采购制度
    assert "(四)" in labels_of(changes, "clause_added", "new")  # 促进人工智能场景应用
    # Nothing is paired twice, and every clause is accounted for.
    olds = [c.old_label for c in changes if c.kind in ("clause_modified", "clause_renumbered")]
    assert len(olds) == len(set(olds))
    status = [c for c in changes if c.kind == "metadata_changed" and c.field == "status"]
    assert [(c.old_value, c.new_value) for c in status] == [("draft", "final")]
    assert {c.doc_number for c in changes} == {"浙政发〔2026〕6号"}


def test_province_to_hangzhou_pairs_the_local_versions(seed_paths: list[Path], doc_000: Document) -> None:
    city = only(parse_file(seed(seed_paths, "001")))
    changes = diff_documents(doc_000, city)
    paired = pairs(changes)
    assert {
        ("(二)", "(四)"),
        ("(一)", "(五)"),
        ("(四)", "(七)"),
        ("(五)", "(八)"),
        ("一、", "一、"),
    } <= paired
    # Rewritten for the city, in the same place among paired siblings.
    assert {("(七)", "(九)"), ("四、", "四、"), ("(十七)", "(二十一)"), ("(二十)", "(二十四)")} <= paired
    assert labels_of(changes, "clause_removed", "old") == {"(十六)"}  # 深化世界一流强港和航运浙江建设
    leads = {(c.old_label, c.old_value, c.new_value) for c in changes if c.kind == "lead_changed"}
    assert ("一、", "省科技厅", "市科技局") in leads
    added = {c.new_heading for c in changes if c.kind == "clause_added"}
    assert "推动文化“新三样”出海" in added
    region = [c for c in changes if c.kind == "metadata_changed" and c.field == "region"]
    assert [(c.old_value, c.new_value) for c in region] == [("浙江省", "杭州市")]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_seed_document_against_a_fresh_parse_is_unchanged(seed_paths: list[Path], number: str) -> None:
    first, second = parse_file(seed(seed_paths, number)), parse_file(seed(seed_paths, number))
    assert [diff_documents(a, b) for a, b in zip(first, second, strict=True)] == [[] for _ in first]


# ---- synthetic edits of 000: exactly the expected changes and nothing else ----------------------


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the seed should contain {old!r} once"
    return text.replace(old, new)


def test_edited_amount(text_000: str, doc_000: Document) -> None:
    new = parse(edited(text_000, "单个项目最高可给予1000万元补助", "单个项目最高可给予1500万元补助"))
    changes = diff_documents(doc_000, new)
    assert [c.kind for c in changes] == ["amount_changed"]
    assert changes[0].summary == "(二): 最高可给予1000万元 → 1500万元 (+50%)"
    assert (changes[0].delta, changes[0].delta_percent) == ("5000000", "50")
    assert changes[0].departments == ["省科技厅"]


def test_edited_qualifier(text_000: str, doc_000: Document) -> None:
    new = parse(edited(text_000, "单个项目最高可给予1000万元补助", "单个项目不低于1000万元补助"))
    changes = diff_documents(doc_000, new)
    assert [(c.kind, c.old_value, c.new_value) for c in changes] == [("qualifier_changed", "最高", "不低于")]


def test_deleted_clause(text_000: str, doc_000: Document) -> None:
    start = text_000.index("(四)促进人工智能场景应用")
    end = text_000.index("(五)强化科技金融支持")
    new = parse(renumber(text_000[:start] + text_000[end:]))
    changes = diff_documents(doc_000, new)
    assert [(c.kind, c.old_label, c.old_heading) for c in changes] == [
        ("clause_removed", "(四)", "促进人工智能场景应用")
    ]
    assert "38 later clauses renumbered ((五)→(四) … (四十二)→(四十一))" in changes[0].summary


def test_inserted_clause_renumbers_the_rest(text_000: str, doc_000: Document) -> None:
    anchor = text_000.index("(三)支持高能级科创平台提能造峰")
    clause = "(三)支持科技成果转化应用。建设概念验证中心和中试基地,对新认定的省级中试基地给予支持。\n\n"
    new = parse(renumber(text_000[:anchor] + clause + text_000[anchor:]))
    changes = diff_documents(doc_000, new)
    assert [(c.kind, c.new_label, c.new_heading) for c in changes] == [
        ("clause_added", "(三)", "支持科技成果转化应用")
    ]
    assert "40 later clauses renumbered ((三)→(四) … (四十二)→(四十三))" in changes[0].summary


def test_reworded_sentence(text_000: str, doc_000: Document) -> None:
    new = parse(
        edited(
            text_000, "围绕科技创新、产业发展和国家战略需求协同育人", "围绕科技创新和国家重大战略需求协同育人"
        )
    )
    changes = diff_documents(doc_000, new)
    assert [(c.kind, c.old_label) for c in changes] == [("clause_modified", "(一)")]
    ops = [(op.op, op.text) for op in changes[0].text_diff if op.op != "equal"]
    assert ops == [("delete", "、产业发展"), ("insert", "重大")]


def test_changed_lead_department(text_000: str, doc_000: Document) -> None:
    new = parse(
        edited(
            text_000,
            "深化教育科技人才一体改革发展(由省科技厅牵头)",
            "深化教育科技人才一体改革发展(由省教育厅牵头)",
        )
    )
    changes = diff_documents(doc_000, new)
    assert [(c.kind, c.old_label, c.old_value, c.new_value) for c in changes] == [
        ("lead_changed", "一、", "省科技厅", "省教育厅")
    ]


def test_added_responsible_unit(seed_paths: list[Path]) -> None:
    text = seed(seed_paths, "002").read_text(encoding="utf-8")
    units = "浙江金融监管局、浙江证监局（除特别注明外"
    old, new = parse(text), parse(edited(text, units, units.replace("（", "、省发展改革委（")))
    changes = diff_documents(old, new)
    assert [(c.kind, c.new_label, c.summary) for c in changes] == [
        ("responsible_changed", "1.", "1 responsible: +省发展改革委")
    ]
    assert changes[0].new_value is not None and changes[0].new_value.endswith("、浙江证监局、省发展改革委")


def test_draft_status_is_metadata_only(text_000: str, doc_000: Document) -> None:
    title = "推动经济高质量发展若干政策(2026年版)"
    draft = parse(text_000.replace(f"\n{title}\n", f"\n{title}\n(征求意见稿)\n", 1))
    assert draft.status == "draft"
    changes = diff_documents(draft, doc_000)
    assert [(c.kind, c.field, c.old_value, c.new_value) for c in changes if c.field == "status"] == [
        ("metadata_changed", "status", "draft", "final")
    ]
    assert {c.kind for c in changes} == {"metadata_changed"}


# ---- noise: the same notice rendered differently gives no change --------------------------------


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def traditional(text: str) -> str:
    return str(opencc.OpenCC("s2t").convert(text))


def page_breaks(text: str) -> str:
    """Long paragraphs split after a sentence by a page footer, as PDF extraction leaves them."""
    out: list[str] = []
    for k, line in enumerate(text.splitlines()):
        cut = line.find("。", 60)
        if k % 3 == 0 and 0 < cut < len(line) - 1:
            out += [line[: cut + 1], "", f"— {k} —", "", line[cut + 1 :]]
        else:
            out.append(line)
    return "\n".join(out)


def rewrapped(text: str) -> str:
    return "\n".join(
        "\n".join(textwrap.wrap(line, 37)) if len(line) > 100 else line for line in text.splitlines()
    )


NOISE: dict[str, Callable[[str], str]] = {
    "full-width": full_width,
    "traditional": traditional,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "page-breaks": page_breaks,
    "blank-lines": lambda text: text.replace("\n\n", "\n\n\n"),
    "rewrapped": rewrapped,
}


@pytest.mark.parametrize("variant", sorted(NOISE))
def test_noise_gives_no_change(variant: str, text_000: str, doc_000: Document) -> None:
    noisy = NOISE[variant](text_000)
    assert noisy != text_000
    assert diff_documents(doc_000, parse(noisy)) == []


def test_rewrapped_lines_give_no_change(text_000: str, doc_000: Document) -> None:
    assert diff_documents(doc_000, parse(rewrapped(text_000))) == []


# ---- page chrome: the same article page on two visits ------------------------------------------


def article_page(body: str, visits: int, today: str, related: list[str]) -> str:
    """A JCMS-style article page around `body`, with the chrome that changes on every visit."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line.strip())
    links = "".join(f'<li><a href="/art/{k}.html">{html.escape(t)}</a></li>' for k, t in enumerate(related))
    return f"""<html><head><meta charset="utf-8"><title>推动经济高质量发展若干政策(2026年版)</title></head>
<body><div class="top">今天是{today} 当前时间 {today}</div>
<table class="fgwj_xxgk_head"><tr><td>文号</td><td>浙政发〔2026〕6号</td></tr>
<tr><td>发布机构</td><td>浙江省人民政府</td></tr></table>
<div class="art_title"><h2>浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知</h2></div>
<div id="zoom"><div>字号:【大 中 小】</div><span>浏览次数:{visits}</span>{paragraphs}
<p>今天是{today}</p></div>
<div class="print"><a>打印本页</a> <a>关闭窗口</a></div>
<div class="xglj"><h3>相关链接</h3><ul>{links}</ul></div>
<div class="share">分享到:微信 微博</div></body></html>"""


def test_page_chrome_gives_no_change(text_000: str) -> None:
    related = [
        "浙江省人民政府办公厅关于印发2026年政府工作报告重点工作责任分解的通知",
        "关于推动经济高质量发展的若干政策",
        "浙江省全球先进制造业基地建设规划",
    ]
    url = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_2556789.html"
    pages = [
        article_page(text_000, 1024, "2026年2月3日 星期二", related),
        article_page(text_000, 1187, "2026年2月9日 星期一", related[::-1]),
    ]
    first, second = (article_documents(parse_article(page, url), page.encode("utf-8"), {}) for page in pages)
    assert first[0].doc_number == "浙政发〔2026〕6号"
    assert len(first[0].clauses) > 40
    assert [diff_documents(a, b) for a, b in zip(first, second, strict=True)] == [[] for _ in first]
