"""Document-level values: 文号, dates, region and level, series and edition, effective period.

All functions accept raw or normalized text (full-width digits and brackets are folded here too),
never raise on odd input, and return None where the text does not say.

Normalization choices:
- 文号: "<organ>〔<year>〕<n>号" with ASCII digits, no spaces, 〔〕 brackets whatever was written
  (［］ [] () （） 【】), no leading zeros and no 第: "浙政发[2021]020号" -> "浙政发〔2021〕20号". In running
  text the organ is the code right before the bracket, starting at a region or state prefix
  (浙 杭 甬 温 嘉 湖 绍 金 衢 舟 台 丽 义 国 中 财 …), so "印发浙政发〔2021〕20号" gives 浙政发〔2021〕20号.
- Dates: "2026年1月31日", "２０２１ 年 ７ 月 ２ 日", "二○二一年七月二日" (○ 〇 零 all read as 0),
  "2026-02-03", "2026/2/3", "2026.2.3"; the first date in the string; impossible dates -> None.
- Region/level: 浙江省… or 省… -> (浙江省, province); one of the 11 prefecture cities -> (杭州市, city);
  a 县/区 or a county-level city -> county, named with its prefecture city however the issuer wrote
  it: "余杭区…" and "杭州市余杭区…" -> 杭州市余杭区, "义乌市…" -> 金华市义乌市 (the table is
  `parsers/regions.yaml`); a county not in the table is kept as written.
  "市X局" alone (a city document naming its own bureau) -> (None, city).
  `canonical_region` gives the same form for a region a user writes ("余杭区", "杭州余杭区").
- Series: the title without 《》, without the 关于印发《…》的通知 wrapper, without edition markers
  ("(2026年版)", "(2024年修订)", "(征求意见稿)", "(试行)", a leading "2026年"), without a leading 关于 and
  进一步, and without the 的 that joins the subject to the genre word ("…发展的若干政策").
  An issuer before 关于 ("浙江省人民政府关于…") is dropped too, as province and city versions of one
  policy share a series.
  Edition: the year of "(2026年版)"/"(2026年修订版)" or of a leading "2026年"; a plan period
  "(2021—2025年)" -> "2021—2025"; a five-year plan “十四五” -> "2021—2025" (taken out of the series so
  the “十五五” plan joins it, and written as years like any other period); else None.
- Effective period: "2026年全年实施有效" -> whole year; "规划期限为2021—2025年" -> 2021-01-01..2025-12-31;
  "自2026年3月1日起施行"; "自2025年4月1日起施行至2027年3月31日"; "自印发之日起施行" when the caller passes the issue date; "有效期至2028年12月31日"; "有效期5年"/"有效期为三年" counted from the start when
  the start is known (end = start + n years - 1 day). A bare year as an end means 31 December.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from parsers.numerals import cn_integer
from parsers.schema import Level

__all__ = [
    "canonical_region",
    "county_cities",
    "effective_period",
    "find_doc_numbers",
    "normalize_doc_number",
    "parse_cn_date",
    "region_and_level",
    "series_and_edition",
]

_FOLD_KEEP_PARENS = str.maketrans("０１２３４５６７８９（）－／．：", "0123456789()-/.:")
_SPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")


def _fold(s: str) -> str:
    return _SPACE_RE.sub("", s.translate(_FOLD_KEEP_PARENS))


# ---------------------------------------------------------------- 文号

_DOC_NO_RE = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,16})[〔\[(【［（](?P<year>(?:19|20)\d{2})[〕\])】］）]第?(?P<num>\d{1,5})号"
)
# Organ codes start with a place (浙 杭 甬 … 国 中) or, for ministries, with the ministry's word.
_ORG_PLACE = frozenset("浙杭甬温嘉湖绍金衢舟台丽义国中")
_ORG_OTHER = frozenset("财发工人农商交教科卫民公司自生建水文审应")
_ORG_MAX = 8


def _organ(run: str) -> str:
    """The 文号 organ code at the end of a run of Han characters ("印发浙政发" -> "浙政发")."""
    if len(run) <= 3:
        return run
    for heads in (_ORG_PLACE, _ORG_OTHER):
        for i, ch in enumerate(run):
            if ch in heads and len(run) - i <= _ORG_MAX:
                return run[i:]
    return run[-4:]


def normalize_doc_number(s: str) -> str | None:
    """ "浙政发〔２０２１〕２０ 号" / "浙政发[2021]20号" / "浙政发(2021)20号" -> "浙政发〔2021〕20号"; None if not a 文号."""
    m = _DOC_NO_RE.fullmatch(_fold(s.strip()))
    if m is None:
        return None
    return f"{m['org']}〔{m['year']}〕{int(m['num'])}号"


def find_doc_numbers(text: str) -> list[str]:
    """Every 文号 in ``text``, normalized, in order of first appearance, without duplicates."""
    folded = _fold(text)
    seen: dict[str, None] = {}
    for m in _DOC_NO_RE.finditer(folded):
        org = _organ(m["org"])
        seen.setdefault(f"{org}〔{m['year']}〕{int(m['num'])}号", None)
    return list(seen)


# ---------------------------------------------------------------- dates

_CN = "〇○零ＯO一二三四五六七八九十"
_DATE_RE = re.compile(
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"|(?P<cy>[" + _CN + r"]{4})年(?P<cm>[" + _CN + r"]{1,2})月(?P<cd>[" + _CN + r"]{1,3})日"
    r"|(?<!\d)(?P<iy>\d{4})(?P<sep>[-/.])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?!\d)"
)


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_cn_date(s: str) -> date | None:
    """The first date written in ``s`` ("2026年1月31日", "二○二一年七月二日", "2026-02-03"), or None."""
    m = _DATE_RE.search(_fold(s))
    if m is None:
        return None
    if m["y"]:
        return _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["cy"]:
        return _make_date(cn_integer(m["cy"]), cn_integer(m["cm"]), cn_integer(m["cd"]))
    return _make_date(int(m["iy"]), int(m["im"]), int(m["id"]))


# ---------------------------------------------------------------- region and level

_CITIES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水")
_REGION_RE = re.compile(
    r"(?P<prov>浙江省)?"
    r"(?P<city>(?:" + "|".join(_CITIES) + r")市)?"
    r"(?P<county>[^省市县区各、,(\W\d][\u4e00-\u9fff]{1,5}?(?:自治县|县|区|市))?"
)
_NOT_COUNTY = re.compile(r"人民|政府|委员|办公|市场|[厅局委办部]")


_REGIONS_PATH = Path(__file__).with_name("regions.yaml")


class RegionTableError(ValueError):
    """The region table lists one county under two cities."""


@lru_cache(maxsize=1)
def county_cities() -> dict[str, str]:
    """Every county-level division in `regions.yaml`, current and former -> its prefecture city."""
    raw = yaml.safe_load(_REGIONS_PATH.read_text("utf-8"))
    table: dict[str, str] = {}
    for section in raw.values():
        for city, counties in section.items():
            for county in counties:
                if table.get(county, city) != city:
                    raise RegionTableError(
                        f"regions.yaml: {county!r} is listed under {table[county]!r} and {city!r}"
                    )
                table[county] = city
    return table


def _county_region(city: str | None, county: str) -> str:
    """杭州市 + 余杭区 as written; a bare 余杭区 gets its city from the table."""
    if city:
        return city + county
    return county_cities().get(county, "") + county


def canonical_region(written: str) -> str | None:
    """The stored form of a region as a user may write it: "余杭区", "杭州余杭区" -> "杭州市余杭区"."""
    s = _fold(written.strip())
    if not s:
        return None
    s = s.removeprefix("浙江省").removeprefix("浙江")
    if not s:
        return "浙江省"
    city = next((c + "市" for c in _CITIES if s.startswith(c)), None)
    if city:
        s = s.removeprefix(city[:-1]).removeprefix("市")
        if not s:
            return city
    return _county_region(city, s)


def region_and_level(issuer: str) -> tuple[str | None, Level | None]:
    """浙江省人民政府办公厅 -> (浙江省, province); 杭州市… -> (杭州市, city); 淳安县… -> (杭州市淳安县, county)."""
    s = _fold(issuer.strip()).removeprefix("中共")
    if not s:
        return None, None
    m = _REGION_RE.match(s)
    county = m["county"] if m else None
    if county and _NOT_COUNTY.search(county):
        county = None
    if m and county:
        return _county_region(m["city"], county), "county"
    if m and m["city"]:
        return m["city"], "city"
    if (m and m["prov"]) or s.startswith(("省", "团省委")):
        return "浙江省", "province"
    if s.startswith("市"):
        return None, "city"
    if s.startswith(("县", "区")):
        return None, "county"
    return None, None


# ---------------------------------------------------------------- series and edition

_WRAPPER_RE = re.compile(r"关于印发《(?P<inner>.+)》的通知$")
_EDITION_RE = re.compile(r"\((?P<year>(?:19|20)\d{2})年(?:修订)?版?\)|\((?:(?:19|20)\d{2}年)?修订\)")
_DRAFT_RE = re.compile(r"\((?:征求意见稿|送审稿|草案|讨论稿|试行|暂行)\)")
_LEADING_YEAR_RE = re.compile(r"^(?P<year>(?:19|20)\d{2})年(?=[\u4e00-\u9fff“])")
_JOINING_DE_RE = re.compile(r"的(?=[^的]{1,8}$)")
_ISSUER_PREFIX_RE = re.compile(r"^[\u4e00-\u9fff、]{2,40}?(?:政府|办公厅|厅|局|委员会|委|办)(?=关于)")
_PERIOD_RE = re.compile(r"\((?P<a>(?:19|20)\d{2})[—\-~至](?P<b>(?:19|20)\d{2})年?\)$")
_FIVE_YEAR_RE = re.compile(r"“(?P<plan>十[一二三四五])五”")
_FIVE_YEAR_START = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}


def series_and_edition(title: str) -> tuple[str, str | None]:
    """("推动经济高质量发展若干政策", "2026") for "推动经济高质量发展若干政策(2026年版)"; the same series,
    edition None, for "关于进一步推动经济高质量发展的若干政策"."""
    s = _fold(title.strip()).replace("〈", "《").replace("〉", "》")
    wrapped = _WRAPPER_RE.search(s)
    if wrapped:
        s = wrapped["inner"]
    s = s.strip("《》")
    edition = None
    ed = _EDITION_RE.search(s)
    if ed:
        edition = ed["year"]
        s = s[: ed.start()] + s[ed.end() :]
    s = _DRAFT_RE.sub("", s)
    period = _PERIOD_RE.search(s)
    if period:
        edition = edition or f"{period['a']}—{period['b']}"
        s = s[: period.start()]
    plan = _FIVE_YEAR_RE.search(s)
    if plan:
        first = _FIVE_YEAR_START[plan["plan"][1]]
        edition = edition or f"{first}—{first + 4}"
        s = s[: plan.start()] + s[plan.end() :]
    s = _ISSUER_PREFIX_RE.sub("", s)
    lead = _LEADING_YEAR_RE.match(s)
    if lead:
        edition = edition or lead["year"]
        s = s[lead.end() :]
    s = s.removeprefix("关于").removeprefix("进一步")
    s = _JOINING_DE_RE.sub("", s, count=1)
    return s.strip(), edition


# ---------------------------------------------------------------- effective period

_YMD = r"(?P<{p}y>\d{{4}})年(?:(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}})日)?)?"
# The first year of a range may go without 年: "2021—2025年".
_YMD_OPEN = r"(?P<{p}y>\d{{4}})(?:年(?:(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}})日)?)?)?"
_WHOLE_YEAR_RE = re.compile(r"(?P<y>\d{4})年全年(?:实施)?有效")
_SPAN_RE = re.compile(
    r"(?:期限|有效期|执行期|实施期|规划期)[为是:]?(?:自|从)?"
    + _YMD_OPEN.format(p="a")
    + r"(?:起)?(?:至|到|—|-|~)"
    + _YMD.format(p="b")
)
_FROM_RE = re.compile(r"自" + _YMD.format(p="a") + r"起(?:施行|实施|执行|生效)")
# "自2025年4月1日起(施行)至2027年3月31日(止)", "…起实施,2026年12月31日止": an end joined to the start.
_FROM_UNTIL_RE = re.compile(
    r"自" + _YMD.format(p="a") + r"起(?:施行|实施|执行|生效)?"
    r"(?:,?(?:至|到)" + _YMD.format(p="b") + r"|," + _YMD.format(p="c") + r"(?=止|为止))"
)
_FROM_ISSUE_RE = re.compile(r"自(?:印发|发布|公布|颁布)之日起(?:施行|实施|执行|生效)")
_UNTIL_RE = re.compile(r"有效期(?:至|到)" + _YMD.format(p="b"))
_YEARS_RE = re.compile(r"有效期(?:为)?(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})年")


def _start(m: re.Match[str], p: str) -> date | None:
    return _make_date(int(m[p + "y"]), int(m[p + "m"] or 1), int(m[p + "d"] or 1))


def _end(m: re.Match[str], p: str) -> date | None:
    y, mo, d = int(m[p + "y"]), m[p + "m"], m[p + "d"]
    if mo is None:
        return _make_date(y, 12, 31)
    if d is None:
        nxt = _make_date(y + (int(mo) == 12), int(mo) % 12 + 1, 1)
        return nxt - timedelta(days=1) if nxt else None
    return _make_date(y, int(mo), int(d))


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n) - timedelta(days=1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def effective_period(text: str, issued: date | None = None) -> tuple[date | None, date | None]:
    """(effective_from, effective_to) as the text states them; either may be None.

    ``issued`` (the document's 印发/发布 date, when the caller knows it) resolves
    "自印发之日起施行" / "自发布之日起实施" to a date."""
    s = _fold(text)
    whole = _WHOLE_YEAR_RE.search(s)
    if whole:
        y = int(whole["y"])
        return date(y, 1, 1), date(y, 12, 31)
    span = _SPAN_RE.search(s)
    if span:
        return _start(span, "a"), _end(span, "b")
    bounded = _FROM_UNTIL_RE.search(s)
    if bounded:
        return _start(bounded, "a"), _end(bounded, "b" if bounded["by"] else "c")
    frm = _FROM_RE.search(s)
    start = _start(frm, "a") if frm else None
    if start is None and issued is not None and _FROM_ISSUE_RE.search(s):
        start = issued
    until = _UNTIL_RE.search(s)
    end = _end(until, "b") if until else None
    if end is None and start is not None:
        years = _YEARS_RE.search(s)
        if years:
            n = int(years["n"]) if years["n"].isdigit() else cn_integer(years["n"])
            if n:
                end = _add_years(start, n)
    return start, end
