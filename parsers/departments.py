"""Government units named in a notice: canonical names, lists, leads and responsibility notes.

Canonical names come from the alias table `parsers/departments.yaml` (data, not code). Rules applied
by `canonical_department`, in order (the written form is always kept beside it):

1. Surrounding space, a trailing 牵头/牵头实施/牵头负责 and a trailing 等/等有关单位/等部门 are dropped
   ("省科技厅牵头" -> 省科技厅, "省财政厅等" -> 省财政厅).
2. An exact hit in the alias table wins (省人社保厅 -> 省人力社保厅, 浙江省科学技术厅 -> 省科技厅).
3. A unit written with its second name in brackets, "省委金融办(省地方金融局)" or
   "省卫生健康委〔省中医药管理局〕", is one unit named by the part before the bracket.
4. Full official names not in the table are shortened the way the documents shorten them:
   浙江省X -> 省X, 中共浙江省委X -> 省委X, 杭州市X / 宁波市X … (the 11 cities) -> 市X, when the short
   form is a known unit.
5. A bare "科技厅" (a 厅 with no 省 in front, as 002 writes once) is the provincial 省科技厅 when known.
6. Anything else is its own canonical name, as written.

Lists ("省财政厅、省委金融办(省地方金融局)、人行浙江省分行") split at "、" and "," outside brackets,
and between two known units joined by 和/及/与 or written glued together.
Not split: "各市、县(市、区)政府" (one addressee). Dropped: bracketed notes such as
"(除特别注明外,列第一位的为牵头或汇总单位,下同)". A run ending in 牵头 ("省发展改革委、省财政厅牵头,
省经信厅…") marks every unit of that comma-separated run as lead; "省经信厅(牵头)" marks that unit
alone. A bare city in a run ending in a city government ("杭州市、宁波市、温州市政府") is that
city's government.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from parsers.schema import Department

__all__ = [
    "Responsibility",
    "canonical_department",
    "extract_lead",
    "extract_responsibility",
    "parse_department_list",
    "parse_responsible",
]


class Responsibility(BaseModel):
    """One responsibility note found in a text, with its position so callers can split there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(description="Offset of the note in the text searched")
    end: int = Field(description="Offset just after the note")
    inline: bool = Field(description="True for '(牵头领导:X,责任单位:Y)', False for a '责任单位:' line")
    leaders: list[str] = Field(default_factory=list, description="牵头领导, e.g. ['李岩益']")
    responsible: list[Department] = Field(default_factory=list, description="Every unit, in order")
    lead: list[Department] = Field(default_factory=list, description="Units marked 牵头")
    note: str | None = Field(
        default=None, description="A note dropped from the list, e.g. '列第一位的为牵头单位,下同'"
    )


_TABLE_PATH = Path(__file__).with_name("departments.yaml")


class AliasTableError(ValueError):
    """The alias table is inconsistent (an alias mapped to two canonical names)."""


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    raw = yaml.safe_load(_TABLE_PATH.read_text("utf-8"))
    table: dict[str, str] = {}
    for section in raw.values():
        for canonical, aliases in section.items():
            for name in [canonical, *(aliases or [])]:
                if table.get(name, canonical) != canonical:
                    raise AliasTableError(
                        f"departments.yaml: {name!r} is listed under {table[name]!r} and {canonical!r}"
                    )
                table[name] = canonical
    return table


_LEAD_SUFFIX_RE = re.compile(r"(?:牵头实施|牵头负责|牵头)$")
_LEAD_MARK = "(牵头)"
_ETC_RE = re.compile(r"等(?:有关|相关)?(?:单位|部门)?$")
_ALT_NAME_RE = re.compile(r"^(?P<main>[^(〔]+)[(〔][^()〔〕]+[)〕]$")
_CITIES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水")
_PREFIXES = (
    ("中共浙江省委", "省委"),
    ("浙江省", "省"),
    *((f"中共{c}市委", "市委") for c in _CITIES),
    *((f"{c}市", "市") for c in _CITIES),
)
_NOTE_RE = re.compile(r"\([^()]*(?:除特别注明|下同|注:|,)[^()]*\)")
_COMPOUND_RE = re.compile(r"(各(?:设区)?市|各区)、(?=县\()")
_BARE_CITY_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}市$")
_PLACEHOLDER = "\x00"
_GLUED_MIN, _GLUED_MAX = 6, 40
_JOINERS = frozenset("和及与")


def canonical_department(written: str) -> str:
    """The canonical name of one unit as written (see the module docstring for the rules)."""
    name = written.strip()
    if "牵头" in name:
        name = _LEAD_SUFFIX_RE.sub("", name).strip()
    if "等" in name:
        name = _ETC_RE.sub("", name).strip() or name
    table = _aliases()
    if name in table:
        return table[name]
    alt = _ALT_NAME_RE.match(name)
    if alt:
        main = alt["main"].strip()
        return table.get(main, _shortened(main, table) or main)
    return _shortened(name, table) or name


def _shortened(name: str, table: dict[str, str]) -> str | None:
    for long, short in _PREFIXES:
        if name.startswith(long) and short + name[len(long) :] in table:
            return table[short + name[len(long) :]]
    if name.endswith("厅") and not name.startswith(("省", "市")) and "省" + name in table:
        return table["省" + name]
    return None


def _split_top(s: str, seps: str) -> list[str]:
    """Split at any char of ``seps`` outside () and 〔〕."""
    if "(" not in s and "〔" not in s:  # no brackets (most lists): nothing to track, str.split is exact
        return s.split(seps) if len(seps) == 1 else re.split(f"[{re.escape(seps)}]", s)
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in s:
        if ch in "(〔":
            depth += 1
        elif ch in ")〕" and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _split_note(s: str) -> tuple[str, str | None]:
    """The list without its note: "(除特别注明外,…,下同)" or "…省卫生健康委。列第一位的为牵头单位,下同"."""
    text = s.strip().removeprefix("责任单位:").strip().rstrip("。;")
    notes = [m[0][1:-1] for m in _NOTE_RE.finditer(text)] if "(" in text else []
    if notes:
        text = _NOTE_RE.sub("", text)
    head, sep, tail = text.partition("。")
    if sep and tail.strip():
        notes.append(tail.strip())
    return head, ";".join(notes) or None


def _split_glued(item: str, table: dict[str, str]) -> list[str]:
    """ "省委军民融合办省国动办" (two units written without a separator) or "省科技厅和省财政厅" -> both,
    when both are known."""
    if item in table or not _GLUED_MIN <= len(item) <= _GLUED_MAX:
        return [item]
    for i in range(3, len(item) - 2):
        if item[:i] in table:
            if item[i:] in table:
                return [item[:i], item[i:]]
            if item[i] in _JOINERS and item[i + 1 :] in table:
                return [item[:i], item[i + 1 :]]
    return [item]


@lru_cache(maxsize=4096)
def _unit(written: str, city_gov: bool) -> Department:
    """One listed unit. Cached: a few dozen units recur in nearly every list, and the model is
    frozen, so one instance can be shared."""
    if city_gov and _BARE_CITY_RE.match(written):
        return Department(name=written + "政府", written=written)
    return Department(name=canonical_department(written), written=written)


def parse_responsible(s: str) -> tuple[list[Department], list[Department]]:
    """(every unit in order, the units marked 牵头) from a list such as a 责任单位 line."""
    text, _ = _split_note(s)
    if "、县(" in text:  # the only place _COMPOUND_RE can match
        text = _COMPOUND_RE.sub(lambda m: m[1] + _PLACEHOLDER, text)
    units: list[Department] = []
    leads: list[Department] = []
    for run in _split_top(text, ","):
        items = [i.strip().replace(_PLACEHOLDER, "、") for i in _split_top(run, "、")]
        items = [i for i in items if i]
        if not items:
            continue
        is_lead = _LEAD_SUFFIX_RE.search(items[-1]) is not None
        city_gov = items[-1].endswith(("市政府", "市人民政府"))
        table = _aliases()
        for item in items:
            marked = item.endswith(_LEAD_MARK)  # "省经信厅(牵头)": this unit alone leads
            if marked:
                bare = item.removesuffix(_LEAD_MARK).strip()
            else:
                bare = _LEAD_SUFFIX_RE.sub("", item).strip() if "牵头" in item else item
            for written in _split_glued(bare, table):
                if not written:
                    continue
                dept = _unit(written, city_gov)
                units.append(dept)
                if is_lead or marked:
                    leads.append(dept)
    return units, leads


def parse_department_list(s: str) -> list[Department]:
    """Every unit of a list such as "省财政厅、省委金融办(省地方金融局)、人行浙江省分行", in order."""
    return parse_responsible(s)[0]


_BRACKETED = r"(?:[^()\n]|\([^()\n]*\))*?"
_LEAD_RE = re.compile(r"\(由(?P<units>" + _BRACKETED + r")(?:牵头(?:实施|负责)?|负责)\)")
_INLINE_RE = re.compile(r"\((?:牵头领导:(?P<leaders>[^(),\n]*),)?责任单位:(?P<units>" + _BRACKETED + r")\)")
_LINE_RE = re.compile(r"(?m)^责任单位:(?P<units>[^\n]*)$")


def extract_lead(text: str) -> list[Department]:
    """Lead units from "(由省科技厅牵头)" / "(由省发展改革委牵头实施)" / "(由X牵头负责)" / "(由X负责)"."""
    out: list[Department] = []
    for m in _LEAD_RE.finditer(text):
        out.extend(parse_department_list(m["units"]))
    return out


def extract_responsibility(text: str) -> list[Responsibility]:
    """Every responsibility note in ``text``, in order: inline "(牵头领导:李岩益,责任单位:省残联)" or
    "(责任单位:市科技局、市财政局)", and "责任单位:…" lines (the whole line)."""
    found: list[Responsibility] = []
    for m in _INLINE_RE.finditer(text):
        units, leads = parse_responsible(m["units"])
        leaders = [p.strip() for p in (m["leaders"] or "").split("、") if p.strip()]
        found.append(
            Responsibility(
                start=m.start(),
                end=m.end(),
                inline=True,
                leaders=leaders,
                responsible=units,
                lead=leads,
                note=_split_note(m["units"])[1],
            )
        )
    if "责任单位:" in text:
        for m in _LINE_RE.finditer(text):
            units, leads = parse_responsible(m["units"])
            found.append(
                Responsibility(
                    start=m.start(),
                    end=m.end(),
                    inline=False,
                    responsible=units,
                    lead=leads,
                    note=_split_note(m["units"])[1],
                )
            )
    found.sort(key=lambda r: r.start)
    return found
