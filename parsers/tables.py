"""Tables inside notices (indicator tables, price tables): found and kept as rows, never clauses.

PDF extraction leaves a table as one line per visual row; after normalization the cells of a row
are glued ("1制造业增加值占GDP比重(%)32.7 33.3左右预期性"), a category cell spans rows and is
written over two short lines ("发展" / "质效"), and a long indicator name wraps onto the next line.
A table starts at its header row (at least three header words: 序号, 指标, 类别, 属性, 2020年 …),
with the title line above it when there is one, and ends after its note (注:) or before the first
paragraph that reads as prose or as a clause. Rows are rebuilt as
[category, number, name, value…, attribute]; a line that fits no row shape is kept as a one-cell
row so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.labels import parse_marker

_HEADER_WORD = re.compile(
    r"\d{4}年|类别|序号|指标名称|指标|属性|项目名称|项目编码|项目内涵|项目|名称|计价单位|单位|价格|"
    r"备注|内容|编码|说明|目标值|基期值|类型|除外内容"
)
_VALUE = r"(?:—|-|\[\d+(?:\.\d+)?\]|\d+(?:\.\d+)?\*?)(?:\s?(?:左右|以上|以下))?"
_ROW = re.compile(
    rf"(?P<no>\d{{1,3}})\s?(?P<name>\D.*?)\s?(?P<values>{_VALUE}(?:\s?{_VALUE})*)\s?(?P<tail>[\u4e00-\u9fff]*)"
)
_ONE_VALUE = re.compile(_VALUE)
_ROW_START = re.compile(r"\d{1,3}\D")
_NOTE = re.compile(r"\s*注[::]")


@dataclass
class RawTable:
    start: int  # first paragraph index (title or header)
    end: int  # one past the last paragraph
    title: str | None
    rows: list[list[str]]


def find_tables(paragraphs: list[str]) -> list[RawTable]:
    tables: list[RawTable] = []
    i = 0
    while i < len(paragraphs):
        if not is_header(paragraphs[i]):
            i += 1
            continue
        start, title = i, None
        if i > 0 and _is_title(paragraphs[i - 1]):
            start, title = i - 1, paragraphs[i - 1]
        end = i + 1
        while end < len(paragraphs) and _is_table_line(paragraphs[end]):
            end += 1
        if end < len(paragraphs) and _NOTE.match(paragraphs[end]):
            end += 1
        tables.append(RawTable(start=start, end=end, title=title, rows=rebuild_rows(paragraphs[i:end])))
        i = end
    return tables


def is_header(p: str) -> bool:
    return len(p) <= 60 and "。" not in p and "," not in p and len(_HEADER_WORD.findall(p)) >= 3


def header_cells(p: str) -> list[str]:
    if " " in p.strip():
        return p.split()
    cells: list[str] = []
    pos = 0
    for m in _HEADER_WORD.finditer(p):
        if m.start() > pos:
            cells.append(p[pos : m.start()])
        cells.append(m.group())
        pos = m.end()
    if pos < len(p):
        cells.append(p[pos:])
    return cells


def _is_title(p: str) -> bool:
    return len(p) <= 40 and "。" not in p and p.endswith(("指标", "表", "情况", "一览", "清单", "目录"))


def _is_table_line(p: str) -> bool:
    if "。" in p or _NOTE.match(p) or len(p) > 80:
        return False
    return parse_marker(p) is None or _ROW_START.match(p) is not None


def rebuild_rows(lines: list[str]) -> list[list[str]]:
    rows: list[list[str]] = [header_cells(lines[0])]
    category: list[str] = []
    pending = ""
    for line in lines[1:]:
        if _NOTE.match(line):
            if pending:
                rows.append([pending])
                pending = ""
            rows.append([line])
            continue
        if not pending and _is_category_piece(line):
            category.append(line)
            continue
        if not pending and not _ROW_START.match(line):
            rows.append([line])
            continue
        pending += line
        m = _ROW.fullmatch(pending)
        if m is None:
            continue
        values = [v.replace(" ", "") for v in _ONE_VALUE.findall(m.group("values"))]
        cells = [m.group("no"), m.group("name").strip(), *values]
        if m.group("tail"):
            cells.append(m.group("tail"))
        if category:
            cells.insert(0, "".join(category))
            category = []
        elif len(rows) > 1 and len(rows[-1]) > len(cells):
            cells.insert(0, rows[-1][0])  # same category as the row above
        rows.append(cells)
        pending = ""
    if pending:
        rows.append([pending])
    return rows


def _is_category_piece(line: str) -> bool:
    return len(line) <= 4 and not any(ch.isdigit() for ch in line)
