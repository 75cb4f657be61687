"""Noise never makes a version: seed 000 re-rendered through the real parsing pipeline and stored again.

Each variant is what a re-fetch might look like (other whitespace, full-width digits, Traditional
script, page-break debris, lines hard-wrapped at a fixed width, different page chrome around the
same article). The store must answer
"unchanged"; a real edit of the same text must answer "new_version" with the change named.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import opencc
import pytest
from sqlalchemy.orm import Session
from store_builders import at

from parsers.article import parse_article
from parsers.html_document import article_documents
from parsers.pipeline import parse_text
from parsers.schema import Document, Source
from store.repository import RecordResult, record_document

URL = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_2556789.html"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TO_TRADITIONAL = opencc.OpenCC("s2t")

TEXT_VARIANTS: dict[str, Callable[[str], str]] = {
    "extra spaces and blank lines": lambda t: re.sub(r"\n", "  \n\n", t).replace("。", "。 "),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "full-width digits": lambda t: t.translate(FULL_WIDTH),
    "Traditional script": TO_TRADITIONAL.convert,
    "page-number debris": lambda t: t.replace("\n\n", "\n\n- 3 -\n\n", 3),
    "hard-wrapped at 33 characters": lambda t: "\n".join(
        "\n".join(textwrap.wrap(line, 33)) or line for line in t.splitlines()
    ),
}


def seed_000(seed_paths: list[Path]) -> str:
    return seed_paths[0].read_text(encoding="utf-8")


def parse_one(text: str, url: str = URL) -> tuple[Document, str]:
    raw = hashlib.sha256(text.encode("utf-8")).hexdigest()
    [doc] = parse_text(text, Source(url=url, sha256=raw))
    return doc, raw


def store(session: Session, doc: Document, raw: str, day: int, url: str = URL) -> RecordResult:
    return record_document(session, doc, raw_sha256=raw, url=url, fetched_at=at(day))


@pytest.mark.parametrize("variant", list(TEXT_VARIANTS))
def test_text_noise_is_not_a_new_version(session: Session, seed_paths: list[Path], variant: str) -> None:
    text = seed_000(seed_paths)
    first = store(session, *parse_one(text), day=0)
    again = store(session, *parse_one(TEXT_VARIANTS[variant](text)), day=1)
    assert (again.status, again.version_id) == ("unchanged", first.version_id)


def test_a_real_edit_of_the_same_text_is_a_new_version_naming_it(
    session: Session, seed_paths: list[Path]
) -> None:
    text = seed_000(seed_paths)
    assert "最高可给予1000万元" in text
    store(session, *parse_one(text), day=0)
    edited = store(session, *parse_one(text.replace("最高可给予1000万元", "最高可给予1500万元", 1)), day=1)
    assert edited.status == "new_version"
    assert [c.kind for c in edited.changes] == ["amount_changed"]


def article_html(body_text: str, *, visits: int, today: str, related: list[str]) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body_text.splitlines() if line.strip())
    links = "".join(f'<li><a href="/art/{i}.html">{html.escape(t)}</a></li>' for i, t in enumerate(related))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>浙江省人民政府</title></head><body>
<div class="top">今天是{today}</div>
<div class="art_title"><h2>浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知</h2></div>
<div class="font">字号:【大 中 小】</div><div class="counter">浏览次数:{visits}</div>
<div id="zoom">{paragraphs}</div>
<div class="share">分享到:微信 微博</div>
<div class="related"><h3>相关链接</h3><ul>{links}</ul></div>
<div class="print">打印本页 关闭窗口</div>
</body></html>"""


def test_page_chrome_that_changes_on_every_visit_is_not_a_new_version(
    session: Session, seed_paths: list[Path]
) -> None:
    text = seed_000(seed_paths)
    related = ["关于做好2026年春节期间有关工作的通知", "浙江省数字经济促进条例", "省政府常务会议纪要"]
    pages = [
        article_html(text, visits=1234, today="2026年2月3日 星期二", related=related),
        article_html(text, visits=98765, today="2026年2月9日 星期一", related=list(reversed(related))),
    ]
    results = []
    for day, page in enumerate(pages):
        raw = page.encode("utf-8")
        [doc] = article_documents(parse_article(page, URL), raw, {})
        assert doc.doc_number == "浙政发〔2026〕6号" and len(doc.clauses) > 40, (
            "the article must really parse"
        )
        results.append(store(session, doc, hashlib.sha256(raw).hexdigest(), day))
    assert results[0].status == "new_document"
    assert (results[1].status, results[1].version_id) == ("unchanged", results[0].version_id)
