"""Amounts a clause commits to: money, percentages and counted quantities.

Input is normalized text (see `parsers.normalize`): ASCII digits with restored decimal points, ASCII
``% / + , : ; ( )``, no spaces between CJK and digits. One precompiled regex finds every
"number + unit" expression; short slices around each hit decide qualifier and role.

Normalization choices (the diff and subscription stages compare these values exactly):

- ``value`` is a plain decimal string in base units, computed with `decimal.Decimal`, never float,
  with trailing zeros dropped and no exponent: "1000万元" -> "10000000", "4.2万亿元" -> "4200000000000",
  "3.350%" -> "3.35", "1.7万名" -> "17000".
- Multipliers 万亿/亿/千万/百万/十万/万/千 are folded into the value; the unit never carries them
  ("1.5万亩" -> 15000 亩, "7700亿千瓦时" -> 770000000000 千瓦时).
- Money units are currency codes: 元 -> CNY, 美元 -> USD, 港元 -> HKD, 欧元 -> EUR. A per-unit ratio keeps
  the denominator: "30万元/人" -> 300000 "CNY/人".
- Money written in Chinese numerals counts when a digit is written: "五千万元" -> 50000000, "两亿元";
  "百亿元"/"万元" alone (a class of size, "每万元GDP") are not amounts; "一元化"/"二元结构" are words.
- Percent: "3.35%" and "百分之五十" -> unit "%"; "2个百分点" -> unit "pct_point". Both kind "percent".
- Quantity units are the counting word as written without multiplier (个, 家, 项, 名, 亩, 公里, 人次,
  套(间), EFLOPS upper-cased, ...).
- Not amounts: years and dates (年/月/日 are not units, so "2021—2025年" never matches), ordinals after
  第 ("第25期"), 文号 numbers, labels ("1." before text), numbers glued to Latin letters or "+"
  ("5G", "G60", "4+1"), and every number inside “…” or 《…》: those are names ("“315”工程",
  "“双一流196”", "“民营经济32条”").
- ``qualifier``: 最高/最多/至多/上限/不高于 (before, optionally followed by verbs such as 可分别给予),
  不超过/不得超过/不得高于 (before, may be separated by a short noun phrase: "不超过实际投资额10%"), 低于/少于/不足/不到
  (directly before) and 以下/以内 (after) -> max; 最低/下限 (before, with verbs), 不低于/不少于/至少
  (before, with a short noun phrase), 超/超过/突破/逾/高于/多于 (directly before), 以上/余/多 (after) -> min;
  约/大约/近 (directly before), 左右/上下 (after) -> approx; "(含)" before 以上/以下 changes nothing. A list "最高可分别给予15万元、30万元" passes
  the leading qualifier to every item. A range "5%—5.5%" gives min and max.
- ``role`` (money and percent; quantities only ever get "target"): budget when the phrase before
  says 预算安排/安排…资金/资金安排/支持总额; otherwise a subsidy or award word right after the amount
  ("1000万元补助", "50万元一次性建设经费补助", "500万元支持", "500万元的一次性激励"); otherwise the nearest keyword before it in
  the same phrase (补助/资助/补贴/贴息 -> subsidy, 奖励/奖补 -> award, 达到/力争/新增/突破/培育/建成/完成/
  实施/提升至/... -> target). Items of a list share the role. None when nothing says.
- ``raw`` is the matched text including its qualifier words ("最高可给予1000万元", "1000名以上").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from parsers.numerals import CN_DIGITS, cn_digits, cn_integer
from parsers.schema import Amount, AmountKind, AmountRole, Qualifier

__all__ = ["extract_amounts", "parse_amount"]

_MULTIPLIERS: dict[str, Decimal] = {
    "": Decimal(1),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "十亿": Decimal(1_000_000_000),
    "百亿": Decimal(10_000_000_000),
    "千亿": Decimal(100_000_000_000),
    "万亿": Decimal(1_000_000_000_000),
}
_CURRENCIES = {"元": "CNY", "美元": "USD", "港元": "HKD", "欧元": "EUR"}

# Longest alternatives first; a lookahead keeps a counting word from eating an ordinary word
# ("家电", "项目", "台州", "支持", "条件", "场景").
_QUANTITY_UNITS = (
    r"吨标准煤|千瓦时|千瓦|平方公里|平方米|立方米|公里|公斤|千克|标箱|"
    r"人次|户次|场次|家次|艘次|架次|车次|套\(间\)|"
    r"(?i:EFLOPS|PFLOPS)|"
    r"个(?![人体税])|家(?![庭电具长乡园属])|项(?!目)|名(?![称单额校录义列牌片])|人(?!民)|亩|"
    r"台(?![州湾阶风])|套(?!餐)|户(?![籍型口外])|栋|张|条(?![件例款目约])|场(?![景所地馆])|"
    r"次(?![数序要生级])|所(?![得有属在以需])|支(?![持撑付出])|期(?![间限货刊末])|件|辆|列(?![入为出表席车])|"
    r"座|艘|款(?!项)|吨(?!级)|斤|例(?![如外行])|门(?![槛户诊类])"
)
_PER_UNITS = r"人次|人|亩|年|月|日|天|户|家|个|平方米|吨|千瓦时|次|床|辆|台|套|件|项|公里|小时"

# No lookbehind in front, and the leading \d outside any alternation: only a pattern whose first
# item is a character class lets the regex engine skip ahead to candidates in C; what may not stand
# before a number is checked in `_scan` instead (_NOT_BEFORE).
_AMOUNT_RE = re.compile(
    r"(?P<num>\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))"
    r"(?P<more>余|多)?"
    r"(?:"
    r"(?P<pct>%|个百分点)"
    r"|(?P<mult>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?"
    r"(?:(?P<cur>美元|港元|欧元|元(?![宇素]))|(?P<qty>" + _QUANTITY_UNITS + r"))"
    r"(?:/(?P<per>" + _PER_UNITS + r"))?"
    r")"
    r"(?:\(含\)(?=及以上|以上|以下|以内))?(?P<post>及以上|以上|以下|以内|左右|上下)?"
    r"(?![0-9A-Za-z])"
)

_CN_PERCENT_RE = re.compile(
    r"百分之(?P<cn>[零〇○一二两三四五六七八九十百]+(?:点[零〇○一二三四五六七八九]+)?|\d+(?:\.\d+)?)"
    r"(?P<post>及以上|以上|以下|以内|左右|上下)?"
)

_CN_MONEY_RE = re.compile(
    r"(?P<cn>[零〇两一二三四五六七八九十百千万亿]+)(?P<cur>美元|港元|欧元|元(?![化宇素结论]))"
    r"(?:/(?P<per>" + _PER_UNITS + r"))?"
    r"(?P<post>及以上|以上|以下|以内|左右|上下)?"
)
_VERBS = (
    r"(?:可|分别|给予|给|奖励|奖补|补助|资助|补贴|支持|提升至|提高至|达到|达|为|按|合计|累计|一次性|年度)"
)
_PREFIX_QUAL_RE = re.compile(
    r"(?:(?P<wmax>最高|最多|至多|上限|不高于)" + _VERBS + r"{0,4}"
    r"|(?P<wmin>最低|下限)" + _VERBS + r"{0,4}"
    r"|(?P<gmax>不超过|(?:不得|不应|不能|不宜|不可)(?:超过|高于|多于))[\u4e00-\u9fff]{0,6}?"
    r"|(?P<gmin>不低于|不少于|至少|(?:不得|不应|不能|不宜|不可)(?:低于|少于))[\u4e00-\u9fff]{0,6}?"
    r"|(?P<dmax>低于|少于|不足|不到)"
    r"|(?P<dmin>超过|超|突破|逾|高于|多于)"
    r"|(?P<dapprox>大约|约|近))$"
)
_POST_QUAL: dict[str, Qualifier] = {
    "以上": "min",
    "及以上": "min",
    "以下": "max",
    "以内": "max",
    "左右": "approx",
    "上下": "approx",
}

_NOT_BEFORE = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.+/第")
_HARD_PUNCT = ",。;:!?()\n"
# Matched from the window start, the greedy ".*" ends the match just after the LAST hard mark:
# one regex call instead of an rfind per mark.
_LAST_HARD_RE = re.compile(r"(?s:.*)[" + re.escape(_HARD_PUNCT) + r"]")
_ROLE_WINDOW = 60
_SUFFIX_ROLE_RE = re.compile(
    r"[^,。;:!?()、\n\d]{0,10}?(?:(?P<sub>补助|资助|补贴|支持|贴息)|(?P<award>奖励|奖补|奖金|激励))"
)
_BUDGET_RE = re.compile(r"预算安排|安排[^,。;:\d]{0,8}资金|资金安排|支持总额")
_ROLE_KW_RE = re.compile(
    r"(?P<award>奖励|奖补)"
    r"|(?P<sub>补助|资助|补贴|贴息)"
    r"|(?P<target>达到|力争|新增|突破|培育|培养|建成|完成|实施|提升至|提高至|增长|引进|选派|认定|打造|举办|"
    r"新建|新开|开工|投放|发行|吸纳|稳定在|保持在|争取|供应|保障|竣工|取得|减负|达)"
)
_QUOTE_RE = re.compile(r"“[^“”\n]{0,40}”|《[^《》\n]{0,100}》")
_LIST_SEP = frozenset({"、", "和", "及", "与", "或"})
_RANGE_SEP = frozenset({"—", "~", "至", "-"})
_PREFIX_WINDOW = 16
_BARE_SEPS = frozenset("、—~至-")
_BARE_MAX = 20  # a longer run of bare numbers is a table row or debris, not a list of amounts
_BARE_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?P<mult>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?(?P<sep>[、—~至-])$"
)


@dataclass
class _Hit:
    start: int  # of the raw text, qualifier words included
    num_start: int
    end: int
    kind: AmountKind
    value: Decimal
    unit: str
    qualifier: Qualifier | None
    own_prefix: bool  # qualifier came from words before the number
    suffix_role: AmountRole | None


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def _cn_number(s: str) -> Decimal | None:
    """百分之 numerals with an optional 点 decimal: 五十 -> 50, 三点五 -> 3.5, 一百 -> 100."""
    whole, _, frac = s.partition("点")
    total = cn_integer(whole)
    if total is None or not frac:
        return None if total is None else Decimal(total)
    digits = cn_digits(frac)
    return None if digits is None else Decimal(f"{total}.{digits}")


def _cn_integer(s: str) -> int | None:
    """Chinese numerals with 十百千万亿: 五千万 -> 50000000, 三亿五千万 -> 350000000, 一万亿 -> 10**12.
    None unless at least one digit 一..九/两 is written (so 百亿元, 万元 are not read as amounts)."""
    if not any(CN_DIGITS.get(c) for c in s):
        return None
    return cn_integer(s)


def _quoted_spans(text: str) -> tuple[list[int], list[int]]:
    if "“" not in text and "《" not in text:
        return [], []
    starts, ends = [], []
    for m in _QUOTE_RE.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _prefix_qualifier(text: str, pos: int) -> tuple[Qualifier | None, int]:
    m = _PREFIX_QUAL_RE.search(text, max(0, pos - _PREFIX_WINDOW), pos)
    if m is None:
        return None, pos
    if m["wmax"] or m["gmax"] or m["dmax"]:
        return "max", m.start()
    if m["wmin"] or m["gmin"] or m["dmin"]:
        return "min", m.start()
    return "approx", m.start()


def _suffix_role(text: str, end: int) -> AmountRole | None:
    m = _SUFFIX_ROLE_RE.match(text, end, end + 14)
    if m is None:
        return None
    return "award" if m["award"] else "subsidy"


def _scan(text: str) -> list[_Hit]:
    qs, qe = _quoted_spans(text)
    hits: list[_Hit] = []
    for m in _AMOUNT_RE.finditer(text):
        num_start = m.start()
        if (num_start and text[num_start - 1] in _NOT_BEFORE) or (qs and _inside(num_start, qs, qe)):
            continue
        value = Decimal(m["num"].replace(",", ""))  # plain decimal literals, thousands grouped or not
        kind: AmountKind
        if m["pct"]:
            kind = "percent"
            unit = "%" if m["pct"] == "%" else "pct_point"
        else:
            value *= _MULTIPLIERS[m["mult"] or ""]
            if m["cur"]:
                kind = "money"
                unit = _CURRENCIES[m["cur"]]
            else:
                kind = "quantity"
                unit = m["qty"]
                if unit.isascii():
                    unit = unit.upper()
            if m["per"]:
                unit = f"{unit}/{m['per']}"
        if text[num_start - 1 : num_start] in _BARE_SEPS:
            mult = Decimal(1) if m["pct"] else _MULTIPLIERS[m["mult"] or ""]
            for b_start, b_end, b_value, b_mult in _bare_before(text, num_start, hits[-1].end if hits else 0):
                if (qs and _inside(b_start, qs, qe)) or (b_mult and m["pct"]):
                    continue
                b_qual, b_raw_start = _prefix_qualifier(text, b_start)
                hits.append(
                    _Hit(
                        b_raw_start,
                        b_start,
                        b_end,
                        kind,
                        b_value * (b_mult or mult),
                        unit,
                        b_qual,
                        b_qual is not None,
                        None,
                    )
                )
        qualifier, start = _prefix_qualifier(text, num_start)
        own_prefix = qualifier is not None
        if m["post"]:
            qualifier = _POST_QUAL[m["post"]]
        elif m["more"] and qualifier is None:
            qualifier = "min"
        hits.append(
            _Hit(
                start,
                num_start,
                m.end(),
                kind,
                value,
                unit,
                qualifier,
                own_prefix,
                _suffix_role(text, m.end()) if kind != "quantity" else None,
            )
        )
    if "百分之" in text:
        for m in _CN_PERCENT_RE.finditer(text):
            cn = m["cn"]
            pct = Decimal(cn) if cn[0].isdigit() else _cn_number(cn)
            if pct is not None and not (qs and _inside(m.start(), qs, qe)):
                hits.append(_worded_hit(text, m, "percent", pct, "%"))
    if "元" in text:
        for m in _CN_MONEY_RE.finditer(text):
            integer = _cn_integer(m["cn"])
            if integer is not None and not (qs and _inside(m.start(), qs, qe)):
                unit = _CURRENCIES[m["cur"]] + (f"/{m['per']}" if m["per"] else "")
                hits.append(_worded_hit(text, m, "money", Decimal(integer), unit))
    if len(hits) > 1:
        hits.sort(key=lambda h: h.num_start)
    return hits


def _worded_hit(text: str, m: re.Match[str], kind: AmountKind, value: Decimal, unit: str) -> _Hit:
    """A hit for an amount written in words ("百分之五十", "五百万元"), qualified like any other."""
    qualifier, start = _prefix_qualifier(text, m.start())
    own_prefix = qualifier is not None
    if m["post"]:
        qualifier = _POST_QUAL[m["post"]]
    return _Hit(
        start, m.start(), m.end(), kind, value, unit, qualifier, own_prefix, _suffix_role(text, m.end())
    )


def _bare_before(text: str, pos: int, floor: int) -> list[tuple[int, int, Decimal, Decimal | None]]:
    """Unit-less numbers sharing the unit of the amount at ``pos``: "15、30万元" (a list, any length)
    or "50—100万元" (a range, one number), with their own multiplier if written ("20万~50万元").
    Not at the start of a line, where "1、" is a label."""
    out: list[tuple[int, int, Decimal, Decimal | None]] = []
    while len(out) < _BARE_MAX:
        m = _BARE_RE.search(text, max(floor, pos - 16), pos)
        if m is None or (out and m["sep"] != "、"):
            break
        start = m.start("num")
        if start == 0 or text[start - 1] in _NOT_BEFORE or text[start - 1] == "\n":
            break
        mult = _MULTIPLIERS[m["mult"]] if m["mult"] else None
        out.append((start, m.end("mult") if m["mult"] else m.end("num"), Decimal(m["num"]), mult))
        if m["sep"] != "、":
            break
        pos = start
    out.reverse()
    return out


def _prefix_role(text: str, start: int, num_start: int, kind: AmountKind) -> AmountRole | None:
    # The phrase: back to the last hard punctuation mark, at most _ROLE_WINDOW characters.
    lo = max(0, start - _ROLE_WINDOW)
    last_mark = _LAST_HARD_RE.match(text, lo, start)
    frag_start = last_mark.end() if last_mark is not None else lo
    if kind == "money" and _BUDGET_RE.search(text, frag_start, num_start):
        return "budget"
    last = None
    # Words before the qualifier phrase first ("…的补助最高可提升至200万元" is a subsidy), then the
    # phrase itself ("突破10万亿元" is a target, "最高奖励100万元" an award).
    for lo, hi in ((frag_start, start), (start, num_start)):
        for m in _ROLE_KW_RE.finditer(text, lo, hi):
            last = m
        if last is not None:
            break
    if last is None:
        return None
    if last["target"]:
        return "target"
    if kind == "quantity":
        return None
    return "award" if last["award"] else "subsidy"


def extract_amounts(text: str) -> list[Amount]:
    """Every amount in ``text`` (normalized), in text order. See the module docstring for the rules."""
    hits = _scan(text)
    if not hits:
        return []
    # Group list items ("15万元、30万元") and ranges ("5%—5.5%"): each group shares qualifier/role.
    groups: list[list[_Hit]] = [[hits[0]]]
    for prev, cur in pairwise(hits):
        between = text[prev.end : cur.start]
        if between in _LIST_SEP and prev.kind == cur.kind:
            groups[-1].append(cur)
        elif between in _RANGE_SEP and prev.unit == cur.unit:
            if prev.qualifier is None:
                prev.qualifier = "min"
            if cur.qualifier is None:
                cur.qualifier = "max"
            groups[-1].append(cur)
        else:
            groups.append([cur])
    out: list[Amount] = []
    for group in groups:
        first = group[0]
        lead_q = first.qualifier if first.own_prefix else None
        shared_suffix = next((h.suffix_role for h in reversed(group) if h.suffix_role), None)
        prefix_role = None if shared_suffix else _prefix_role(text, first.start, first.num_start, first.kind)
        for h in group:
            role = h.suffix_role or shared_suffix or prefix_role
            if h.kind == "quantity" and role != "target":
                role = None
            if h.kind != "money" and role == "budget":
                role = None
            out.append(
                Amount(
                    raw=text[h.start : h.end],
                    kind=h.kind,
                    value=_fmt(h.value),
                    unit=h.unit,
                    qualifier=h.qualifier or lead_q,
                    role=role,
                )
            )
    return out


def parse_amount(raw: str) -> Amount | None:
    """The one amount in ``raw`` ("最高可给予1000万元", "3.35%"), or None if it holds none or several."""
    found = extract_amounts(raw.strip())
    return found[0] if len(found) == 1 else None
