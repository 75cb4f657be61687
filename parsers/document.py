"""Layout -> schema: fill a `Document` (metadata, clauses with departments and amounts, tables)."""

from __future__ import annotations

import re
from datetime import date

from parsers.amounts import extract_amounts
from parsers.clauses import RawClause
from parsers.departments import extract_lead, parse_responsible
from parsers.metadata import (
    effective_period,
    find_doc_numbers,
    normalize_doc_number,
    parse_cn_date,
    region_and_level,
    series_and_edition,
)
from parsers.notes import responsibility_notes
from parsers.schema import Amount, Clause, Department, Document, Level, Script, Source, Table
from parsers.structure import LEADER_MARK, RESPONSIBLE_LINE, Layout

_LEAD = re.compile(r"[(（]由(.+?)牵头(?:实施|负责)?[)）]")
_SECTION_LEADER = re.compile(
    r"^(\S{2,4}?)(?:省长|常务副省长|副省长|市长|常务副市长|副市长|县长|副县长|区长|副区长)牵头"
)
_LEADER_IN_MARK = re.compile(r"牵头领导[:：]([^,，)）\]]+)")
_FIRST_IS_LEAD = re.compile(r"列第一位的为牵头")
_NOTE = re.compile(r"[(（][^()（）]*(?:下同|注明|牵头单位)[^()（）]*[)）]")
_HEADING_STOP = re.compile(r"[,，;；:：]")
_SHORT_LEAD_IN = re.compile(r"^[^,，;；:：]{1,6}[:：]")  # "双核:杭州、宁波两大核心引领极" is still a title


def build_document(layout: Layout, text: str, source: Source, script: Script) -> Document:
    """`text` is the normalized text of this notice alone (for cites and the effective period)."""
    own = normalize_doc_number(layout.doc_number) if layout.doc_number else None
    issuer = "、".join(layout.issuers) if layout.issuers else None
    region, level = region_and_level(issuer) if issuer else _region_from_text(text)
    # the helpers fold and scan the whole text; only paragraphs that can match are passed
    lines = text.split("\n")
    signed = parse_cn_date(layout.signed) if layout.signed else None
    printed = parse_cn_date(layout.printed) if layout.printed else None
    effective_from, effective_to = effective_period(
        _with(lines, ("有效", "期", "起")), issued=printed or signed
    )
    series, edition = series_and_edition(layout.title) if layout.title else (None, None)
    if layout.title and edition is None:
        edition = _one_year(effective_from, effective_to)
    first_is_lead = _FIRST_IS_LEAD.search(text) is not None
    clauses = _clauses(layout, first_is_lead)
    ids = {id(raw): clause.id for raw, clause in zip(layout.clauses, clauses, strict=True)}
    return Document(
        doc_number=own,
        issuer=issuer,
        region=region,
        level=level,
        issued_date=signed,
        printed_date=printed,
        title=layout.title,
        notice_title=layout.notice_title,
        status="draft" if layout.draft else "final",
        effective_from=effective_from,
        effective_to=effective_to,
        series=series,
        edition=edition,
        cites=[n for n in find_doc_numbers(_with(lines, ("号",))) if n != own],
        script=script,
        source=source,
        parts=layout.parts,
        preamble="\n".join(layout.preamble),
        clauses=clauses,
        tables=[
            Table(id=f"t{i}", title=t.title, after=ids.get(id(after)) if after else None, rows=t.rows)
            for i, (t, after) in enumerate(layout.tables, start=1)
        ],
    )


def _one_year(start: date | None, end: date | None) -> str | None:
    """A policy effective for one calendar year ("均为2024年全年实施有效") is that year's edition."""
    return str(start.year) if start and end and start.year == end.year else None


def _with(lines: list[str], needles: tuple[str, ...]) -> str:
    return "\n".join(line for line in lines if any(n in line for n in needles))


def _region_from_text(text: str) -> tuple[str | None, Level | None]:
    """No signature: infer the region from the departments the text names (省X厅 -> province)."""
    province = len(re.findall(r"由省\S{1,12}?牵头|省财政", text))
    city = len(re.findall(r"由市\S{1,12}?牵头|市财政|我市", text))
    if province > city:
        return "浙江省", "province"
    return None, None


def clause_ids(layout: Layout) -> list[str]:
    prefix = len(layout.parts) >= 2
    ids: list[str] = []
    seen: set[str] = set()
    for c in layout.clauses:
        base = (f"p{c.part + 1}:" if prefix else "") + "/".join(c.tokens)
        cid, k = base, 2
        while cid in seen:
            cid, k = f"{base}~{k}", k + 1
        seen.add(cid)
        ids.append(cid)
    return ids


def _clauses(layout: Layout, first_is_lead: bool) -> list[Clause]:
    ids = clause_ids(layout)
    has_children = {c.parent_index for c in layout.clauses if c.parent_index is not None}
    lists: dict[str, tuple[list[Department], list[Department]]] = {}  # one notice repeats its lists
    out: list[Clause] = []
    for i, raw in enumerate(layout.clauses):
        text = "\n".join(raw.lines)
        amounts = extract_amounts(text)
        responsible, lead = _responsibility(text, first_is_lead, lists)
        lead = _lead(raw, text) or lead
        out.append(
            Clause(
                id=ids[i],
                label=raw.label,
                number=raw.number,
                level=raw.level,
                parent=ids[raw.parent_index] if raw.parent_index is not None else None,
                part=raw.part,
                heading=_heading(raw, i in has_children),
                text=text,
                lead=lead,
                responsible=responsible,
                leader=_leaders(raw, text),
                budget=_budget(text, amounts),
                amounts=amounts,
            )
        )
    return out


def _heading(raw: RawClause, has_children: bool) -> str:
    """A section line without its lead note, or a short title sentence that more text follows
    (a sentence followed only by its responsibility note is the whole clause, not its title)."""
    if raw.closing or (raw.measure and not raw.titled):
        return ""
    first = raw.lines[0]
    if (
        not raw.measure
        and "。" not in first
        and len(first) <= 60
        and not first.endswith((":", ";", ",", "、"))
    ):
        return _LEAD.sub("", first).strip()
    sentence, _, rest = first.partition("。")
    for start, end, _, _ in reversed(responsibility_notes(rest)):
        rest = rest[:start] + rest[end:]
    body_lines = [line for line in raw.lines[1:] if not RESPONSIBLE_LINE.match(line)]
    more = bool(LEADER_MARK.sub("", rest).strip()) or bool(body_lines) or has_children
    if more and len(sentence) <= 40 and not _HEADING_STOP.search(_SHORT_LEAD_IN.sub("", sentence, count=1)):
        return sentence
    return ""


def _lead(raw: RawClause, text: str) -> list[Department]:
    return extract_lead(raw.lines[0]) if "牵头" in raw.lines[0] else []


def _leaders(raw: RawClause, text: str) -> list[str]:
    if "牵头" not in text:
        return []
    names = [n.strip() for n in _LEADER_IN_MARK.findall(text)]
    m = _SECTION_LEADER.match(raw.lines[0]) if not raw.measure else None
    if m:
        names.insert(0, m.group(1))
    return list(dict.fromkeys(n for n in names if n))


def _budget(text: str, amounts: list[Amount]) -> Amount | None:
    """The amount a "预算安排" phrase commits (a section's budget, or a policy's total)."""
    for a in amounts:
        at = text.find(a.raw)
        if a.role == "budget" and a.kind == "money" and at >= 0 and "预算" in text[max(0, at - 30) : at]:
            return a
    return None


def responsibility_lists(text: str) -> list[str]:
    """Every '责任单位:' list in a clause: a whole line, or inline in (), [] or (牵头领导:X,责任单位:Y)."""
    return [units for _, _, units, _ in responsibility_notes(text)]


def _responsibility(
    text: str, first_is_lead: bool, parsed: dict[str, tuple[list[Department], list[Department]]]
) -> tuple[list[Department], list[Department]]:
    """(responsible, lead): 'A、B牵头,C' makes A and B lead; with the document's rule "列第一位的为
    牵头单位" the first unit listed leads when none is marked."""
    responsible: list[Department] = []
    lead: list[Department] = []
    if "责任单位" not in text:
        return responsible, lead
    for listed in responsibility_lists(text):
        if listed not in parsed:
            parsed[listed] = parse_responsible(_NOTE.sub("", listed).split("。", 1)[0])
        units, leads = parsed[listed]
        responsible.extend(units)
        lead.extend(leads or (units[:1] if first_is_lead else []))
    return _unique(responsible), _unique(lead)


def _unique(deps: list[Department]) -> list[Department]:
    seen: set[str] = set()
    out = []
    for d in deps:
        if d.name not in seen:
            seen.add(d.name)
            out.append(d)
    return out


__all__ = ["build_document", "clause_ids", "responsibility_lists"]
