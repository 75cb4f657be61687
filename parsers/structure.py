"""Document layout: split normalized text into notices, then each notice into header, preamble,
clause tree, tables and closing blocks.

Input is the output of `normalize_text` split into paragraphs. Nothing here reads metadata values
(dates, numbers, departments): this module only decides which paragraph is what. `pipeline` turns
the layout into schema models.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from parsers.clauses import RawClause, merge_interrupting_closings, split_noted_items, split_titled_paragraphs
from parsers.labels import CLOSING, Marker, parse_marker
from parsers.tables import RawTable, find_tables

DOC_NUMBER_LINE = re.compile(r"[\u4e00-\u9fff]{1,10}\s?[〔\[(（]\s?\d{4}\s?[〕\])）]\s?\d{1,4}\s?号")
DATE_LINE = re.compile(r"\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日")
PRINTED_LINE = re.compile(r"\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?印发")
_SIGNED_LINE = re.compile(rf"(?P<org>[^\d。,:;]{{2,40}}?)\s?(?P<date>{DATE_LINE.pattern})")
LEADER_MARK = re.compile(r"[(（\[]牵头领导[:：][^()（）\[\]]*[)）\]]")
RESPONSIBLE_LINE = re.compile(r"责任单位[:：]")
_ORG_SUFFIX = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|局|厅|委|院|部|会|中心|办)$")
_TITLE_END_PUNCT = ("。", ":", ":", ";", ",", "、", "!", "?")
_PUBLIC = re.compile(r"[(（]此件(公开发布|主动公开|不公开)[)）]")
_WRAPPER = re.compile(r"关于印发(.+)的通知$")
_ATTACHMENT_BANNER = re.compile(r"附件\s?\d{0,2}")
_ATTACHMENT_NOTE = re.compile(r"附件\s?\d{0,2}[::]")
_DOC_TYPE_END = re.compile(r"(通知|批复|复函|意见|决定|通报|公告|通告|函|报告|请示|命令|令)$")


@dataclass
class Layout:
    """Which paragraph of one notice is what."""

    doc_number: str | None = None
    titles: list[str] = field(default_factory=list)  # title groups before the body, in order
    notice_title: str | None = None
    title: str | None = None
    draft: bool = False
    issuers: list[str] = field(default_factory=list)
    signed: str | None = None
    printed: str | None = None
    preamble: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    clauses: list[RawClause] = field(default_factory=list)
    tables: list[tuple[RawTable, RawClause | None]] = field(default_factory=list)  # table, clause before it


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def is_doc_number_line(p: str) -> bool:
    return DOC_NUMBER_LINE.fullmatch(p) is not None


def is_date_line(p: str) -> bool:
    return DATE_LINE.fullmatch(p) is not None


def is_org_line(p: str) -> bool:
    compact = p.replace(" ", "")
    return (
        len(compact) <= 40
        and not any(ch in compact for ch in "。,:;、()()《》“”")
        and _ORG_SUFFIX.search(compact) is not None
    )


def is_title_like(p: str) -> bool:
    return _unlabeled_title_like(p) and parse_marker(p) is None


def _unlabeled_title_like(p: str) -> bool:
    return (
        len(p) <= 80
        and "。" not in p
        and not p.endswith(_TITLE_END_PUNCT)
        and not is_date_line(p)
        and not LEADER_MARK.search(p)
    )


def split_documents(paragraphs: list[str]) -> list[list[str]]:
    """One paragraph list per notice. A gazette carries several notices, each announced by a
    title and its own document-number line; plain input is one notice."""
    numbers = [i for i, p in enumerate(paragraphs) if is_doc_number_line(p)]
    if len(numbers) <= 1:
        return [paragraphs]
    starts: list[int] = []
    for i in numbers:
        start = _header_start(paragraphs, i)
        if not starts or start > starts[-1]:
            starts.append(start)
    starts[0] = 0
    bounds = [*starts, len(paragraphs)]
    return [paragraphs[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _header_start(paragraphs: list[str], number_index: int) -> int:
    """Where the notice whose number line is at number_index begins."""
    after = paragraphs[number_index + 1] if number_index + 1 < len(paragraphs) else ""
    if "关于" in after and _DOC_TYPE_END.search(after.replace(" ", "")):
        # red-header layout: banner, number, then the title
        before = paragraphs[number_index - 1] if number_index > 0 else ""
        return number_index - 1 if before.replace(" ", "").endswith("文件") else number_index
    # gazette layout: the title (up to four broken lines) sits above the number
    start = number_index
    while start > 0 and number_index - start < 4:
        prev = paragraphs[start - 1]
        if not is_title_like(prev) or is_org_line(prev) or is_doc_number_line(prev):
            break
        start -= 1
    return start


def parse_layout(paragraphs: list[str]) -> Layout:
    """Classify the paragraphs of one notice."""
    return _LayoutBuilder(paragraphs).build()


class _LayoutBuilder:
    def __init__(self, paragraphs: list[str]) -> None:
        self.ps = paragraphs
        self.out = Layout()
        self.stack: list[tuple[str, int]] = []  # (style, clause index)
        self.part = 0
        self.part_candidates: list[str] = []
        self.state = "head"  # head -> body -> clauses; back to head after a notice's signature
        self.title_buffer: list[str] = []
        self.pending_measure = ""
        self.skip: set[int] = set()
        self._signature_ends: set[int] = set()
        self.markers = [parse_marker(p) for p in paragraphs]
        self.before_closing: list[tuple[str, int]] = []

    def build(self) -> Layout:
        self._mark_signatures()
        tables = find_tables(self.ps)
        table_at = {t.start: t for t in tables}
        for t in tables:
            self.skip.update(range(t.start, t.end))
        in_cc = False
        for i, p in enumerate(self.ps):
            if i in table_at:
                self._flush_title()
                self.out.tables.append((table_at[i], self.out.clauses[-1] if self.out.clauses else None))
            if i in self._signature_ends and self.state == "body":
                self.state = "head"  # an attached policy may follow the notice's signature
            if i in self.skip:
                continue
            if in_cc:
                if PRINTED_LINE.fullmatch(p):
                    self.out.printed = p
                    in_cc = False
                continue
            if p.startswith(("抄送", "抄报")):
                in_cc = True
                continue
            self._paragraph(i, p)
        self._flush_title()
        self._flush_pending()
        self._finish_parts()
        return self.out

    def _mark_signatures(self) -> None:
        for i, p in enumerate(self.ps):
            if "日" not in p:  # every signature and 印发 pattern below holds a full date
                continue
            printed = PRINTED_LINE.fullmatch(p) is not None
            one_line = _SIGNED_LINE.fullmatch(p) if not printed else None
            if one_line and is_org_line(one_line["org"]):  # "浙江省人民政府办公厅 2021年7月2日"
                if self.out.signed is None:
                    self.out.issuers = [one_line["org"].replace(" ", "")]
                    self.out.signed = one_line["date"]
                self.skip.add(i)
                self._signature_ends.add(i)
                continue
            if not printed and not is_date_line(p):
                continue
            j, names = i - 1, list[str]()
            while j >= 0 and len(names) < 3 and is_org_line(self.ps[j]) and j not in self.skip:
                names.insert(0, self.ps[j])
                j -= 1
            if printed:
                self.out.printed = p
                self.skip.update(range(j + 1, i + 1))
            elif names:
                if self.out.signed is None:
                    self.out.issuers = [n.replace(" ", "") for n in names]
                    self.out.signed = p
                self.skip.update(range(j + 1, i + 1))
                self._signature_ends.add(i)

    def _paragraph(self, i: int, p: str) -> None:
        compact = p.replace(" ", "")
        if _PUBLIC.fullmatch(compact):
            return
        if _ATTACHMENT_BANNER.fullmatch(compact):
            return
        if _ATTACHMENT_NOTE.match(compact) and self.state == "clauses":
            self._open_closing(p)  # "附件:价格表" names part of the notice
            return
        if is_doc_number_line(compact) and self.state == "head" and self.out.doc_number is None:
            self._flush_title()
            self.out.doc_number = compact
            return
        if self.state == "head" and compact.endswith("文件") and len(compact) <= 20 and not self.out.titles:
            return
        marker = self.markers[i]
        title_like = marker is None and _unlabeled_title_like(p)
        if title_like:
            nxt = self._next(i)
            following = self.markers[nxt] if nxt is not None else None
            if following is not None and following.number == 1 and following.style == "cn_dun":
                self._flush_title()
                self._start_part(p)
                return
        if self.state == "head" and title_like and not is_org_line(p):
            self.title_buffer.append(p)
            return
        self._flush_title()
        if marker is not None:
            self._flush_pending()
            self.state = "clauses"
            self._open(marker)
            return
        if self.state != "clauses":
            self.state = "body"
            self.out.preamble.append(p)
            return
        self._continuation(p)

    def _next(self, i: int) -> int | None:
        for j in range(i + 1, len(self.ps)):
            if j not in self.skip:
                return j
        return None

    def _flush_title(self) -> None:
        if self.title_buffer:
            self.out.titles.append("".join(t.replace(" ", "") for t in self.title_buffer))
            self.title_buffer = []

    def _start_part(self, title: str) -> None:
        self._flush_pending()
        self.part_candidates.append(title.replace(" ", ""))
        self.part = len(self.part_candidates) - 1
        self.stack, self.before_closing = [], []
        self.state = "clauses"

    def _open_closing(self, text: str) -> None:
        self._open_unlabeled(parent=None, closing=True, text=text)
        if not self.before_closing:
            self.before_closing = self.stack
        self.stack = [("closing", len(self.out.clauses) - 1)]

    def _open(self, m: Marker) -> None:
        if self.before_closing:
            # a label after a closing-looking paragraph continues the tree it interrupted
            self.stack, self.before_closing = self.before_closing, []
        styles = [s for s, _ in self.stack]
        if m.style in styles:
            del self.stack[styles.index(m.style) :]
        parent = self.stack[-1][1] if self.stack else None
        tokens = [*self.out.clauses[parent].tokens, m.token] if parent is not None else [m.token]
        self.out.clauses.append(
            RawClause(
                tokens=tokens,
                label=m.label,
                number=m.number,
                level=len(self.stack) + 1,
                part=self.part,
                lines=[m.rest],
                parent_index=parent,
            )
        )
        self.stack.append((m.style, len(self.out.clauses) - 1))

    def _continuation(self, p: str) -> None:
        if CLOSING.match(p):
            self._flush_pending()
            self._open_closing(p)
            return
        if LEADER_MARK.search(p) or self.pending_measure:
            self._measures(p)
            return
        self.out.clauses[self.stack[-1][1]].lines.append(p)

    def _measures(self, p: str) -> None:
        """Split '措施一。(牵头领导:X,责任单位:Y)措施二。(牵头领导:…)' into one clause per measure."""
        text = self.pending_measure + p
        self.pending_measure = ""
        parent = next((idx for _, idx in reversed(self.stack) if not self.out.clauses[idx].measure), None)
        pos = 0
        for m in LEADER_MARK.finditer(text):
            segment = text[pos : m.end()].strip()
            pos = m.end()
            if segment:
                self._open_unlabeled(parent=parent, closing=False, text=segment)
        self.pending_measure = text[pos:].strip()

    def _flush_pending(self) -> None:
        if self.pending_measure:
            text, self.pending_measure = self.pending_measure, ""
            parent = next((idx for _, idx in reversed(self.stack) if not self.out.clauses[idx].measure), None)
            self._open_unlabeled(parent=parent, closing=False, text=text)

    def _open_unlabeled(self, parent: int | None, closing: bool, text: str) -> None:
        siblings = [c for c in self.out.clauses if c.parent_index == parent and c.part == self.part]
        number = len(siblings) + 1
        parent_clause = self.out.clauses[parent] if parent is not None else None
        tokens = [*(parent_clause.tokens if parent_clause else []), f"n{number}"]
        self.out.clauses.append(
            RawClause(
                tokens=tokens,
                label="",
                number=number,
                level=(parent_clause.level + 1) if parent_clause else 1,
                part=self.part,
                lines=[text],
                parent_index=parent,
                closing=closing,
                measure=not closing,
            )
        )

    def _finish_parts(self) -> None:
        clauses = merge_interrupting_closings(self.out.clauses)
        self.out.clauses = split_titled_paragraphs(split_noted_items(clauses))
        out = self.out
        if len(self.part_candidates) >= 2:
            out.parts = self.part_candidates
        else:
            out.titles.extend(self.part_candidates)
            for c in out.clauses:
                c.part = 0
        classify_titles(out)


def classify_titles(out: Layout) -> None:
    """Decide notice title vs the policy's own title from the title groups."""
    titles = [t for t in out.titles if t]
    cleaned = []
    for t in titles:
        if "征求意见稿" in t:
            out.draft = True
        cleaned.append(re.sub(r"[(（]?征求意见稿[)）]?", "", t).strip())
    titles = [t for t in cleaned if t]
    if not titles:
        return
    first = titles[0]
    wrapper = _WRAPPER.search(first)
    if wrapper:
        out.notice_title = first
        later = [t for t in titles[1:] if t != first]
        out.title = later[0] if later else wrapper.group(1).strip("《》")
    else:
        out.title = first
