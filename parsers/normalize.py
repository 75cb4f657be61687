"""Text normalization: every notice, whatever its source, is turned into ONE canonical text form.

Canonical form (the rest of the pipeline relies on exactly this):

Characters (`normalize_inline` and `normalize_text`)
- Full-width ASCII forms U+FF01-FF5E are folded to ASCII: ０-９ -> 0-9, Ａ -> A, （）-> (),
  ，-> ,  ：-> :  ；-> ;  ％-> %  ／-> /  ＋-> +  ［］-> []  ＃-> #  ～ -> ~; ￥ -> ¥.
- The ideographic space, NBSP and the other Unicode spaces become a space, tabs too; form feeds
  (PDF page breaks), vertical tabs and Unicode line separators end a line; zero-width
  characters, soft hyphens, BOMs and C0/C1 control characters are removed.
- CJK punctuation is kept as is (、。“”‘’《》〈〉〔〕…—·); look-alikes get one form: the dashes
  ─ ━ — ― – ‒ -> "—"; the wave dash 〜 and ～ -> "~"; middle dots ・ ･ ‧ ∙ -> "·"; vertical and
  small presentation forms take their ordinary form (︵ -> (, ﹐ -> ",", ﹝﹞ -> 〔〕, ︽ -> 《).
- Private-use code points left by PDF font mappings are decoded: U+E010 was the full stop /
  decimal point ("２３\\ue010 ５" -> "23.5", "１\\ue010 新一代" -> "1.新一代"); U+E012 was the
  note mark of a table cell, written "*" ("７６.１\\ue012" -> "76.1*", "注:\\ue012为2019年数值" ->
  "注:*为2019年数值"). Other private-use code points are kept.
- Pinyin ruby annotations are removed: a parenthesized lowercase pinyin syllable right after a
  Han character ("關(guān)" -> "關"). A syllable with a tone mark is removed after any letter (the
  seeds have mojibake such as "髽I(yè)"); a toneless one (neutral tone, "們(men)") only in text
  that carries tone-marked ruby too, right after a Han character, with a valid pinyin shape of
  two letters or more. Real parentheses ("(2026年版)", "(GDP)", "(一)") are kept.
- Traditional text is converted to Simplified with OpenCC t2s, after ruby removal, when
  `detect_script` says the text is Traditional.
- Spaces: runs collapse to one space; a space is removed unless the characters on both sides
  are ASCII letters or digits ("达到 7800 亿元" -> "达到7800亿元", "5G ＋工业互联网" ->
  "5G+工业互联网", "GDP 比重" -> "GDP比重", "2.0 版" -> "2.0版"). Two exceptions: a line starting
  "1. 2026年" keeps the space after its label, and a table row (two numeric cells side by side,
  no 。，；: "1 制造业增加值占 GDP比重(%) 32.7 33.3 左右 预期性") keeps one space between its
  cells, so that "76.1* 90" never becomes one number. Lines are trimmed.

Lines (`normalize_text` only)
- Page furniture is dropped: running gazette headers ("浙江省人民政府公报 ２０２１ 年第 ２５ 期"),
  page numbers ("—６—", "- 6 -"), and runs of four or more 1-2 character lines, most of them a
  single character: the debris of a table or sidebar rotated in the PDF. Short lines outside such
  runs (a table's category cells "发展" / "质效") are kept.
- Output is paragraphs separated by a single "\n", no blank lines. A line B starting with
  。，,、；;！？ always continues the paragraph P before it. Otherwise B continues P unless P ends
  a sentence (。！？；: , also "。" + a closing quote), B starts a new unit (a label 一、 (一) 1.
  1、 (1) ① 第X章 第X条, "———", "责任单位", "附件:", "抄送", "注:", a whole-line date or 文号, a
  line wholly in parentheses such as "(此件公开发布)"), P is such a unit line itself, or either is
  a table row. Otherwise B continues P when P
  - ends with a character that needs more (、 , “ 《 ( — 的 和 ...) or leaves “ 《 ( [ open;
  - is prose (has 。，,；;：:！？ inside), unless P is a short "一、…" heading or B is a short part
    title without any punctuation ("十方面民生实事责任分解"), or P ends with a bracketed note
    after a sentence ("…。(责任单位:…)") and B opens the closing part ("上述…政策", "本通知自");
  - is a hard-wrapped line: 30 characters or more, not ending like a heading or title
    ("…(由省科技厅牵头)", "…的通知", "…实施方案");
  - is a title split over lines: "…关于印发…" + "…的通知", "…运用智能" + "技术困难实施方案".
  Short lines without sentence punctuation (titles, headings, the issuer, names) stand alone.
  Joined lines meet without a space unless both sides are ASCII letters or digits, and never
  with one between two digits ("有效期至202" + "7年" -> "有效期至2027年").
- Hard-wrapped text (a PDF's text, an e-mail) is unwrapped before those rules: when one line
  length is shared by at least four and one in twenty of the lines of 12 characters or more, and
  few lines are longer, it is the wrap width. A line cut there (it fills the width, ends in a
  number, or the next line's first word would not have fitted after it) is joined to the next
  line unless that line opens a new unit: after a cut at "。" only a label, a closing part or a
  short standalone line (a signature) starts anew, "(责任单位:" and text inside an open bracket
  always continue; after any other cut, a label starts anew only after a line without "。" (a
  heading, a list of units), a title ending like a notice ("…的通知") or a line ending in ")"
  falls back to the rules above. At such a cut a number or a Latin word inside Chinese text is
  one word ("78" + "00亿元" -> "7800亿元", "浙B" + "A"). Text wrapped at 20-80 characters then
  reads as written, except where two written lines wrap exactly like one paragraph.
- The script is judged on the text without furniture; Traditional text is converted
  before joining, so the rules above see Simplified keywords.
- `normalize_text` is idempotent (joining runs to a fixed point) and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

import opencc

from parsers.labels import CLOSING
from parsers.schema import Script

__all__ = ["detect_script", "normalize_document", "normalize_inline", "normalize_text"]

# --- character level -------------------------------------------------------------------------

_DASH = "—"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    for cp in (0x3000, 0x00A0, 0x1680, 0x202F, 0x205F, *range(0x2000, 0x200B), 0x09):
        table[cp] = " "
    for cp in (0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029):  # \f is the page break of PDF text
        table[cp] = "\n"
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E):
        table[cp] = None
    for cp in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)):
        table.setdefault(cp, None)
    for ch in "─━—―–‒":
        table[ord(ch)] = _DASH
    table[ord("〜")] = "~"
    table[ord("～")] = "~"
    for ch in "・･‧∙":
        table[ord(ch)] = "·"
    table[0xFFE5] = "¥"
    for cp in range(0xD800, 0xE000):  # lone surrogates (surrogateescape) cannot reach OpenCC
        table[cp] = "\ufffd"
    table[0xE012] = "*"
    # Vertical, small and halfwidth forms (︵ ﹐ ﹝ ｡ …) of CJK punctuation: their NFKC form,
    # itself folded, so one pass gives the final character.
    for cp in (
        *range(0xFE10, 0xFE19),
        *range(0xFE30, 0xFE49),
        *range(0xFE4D, 0xFE6C),
        *range(0xFF61, 0xFF65),
    ):
        compat = unicodedata.normalize("NFKC", chr(cp))
        if len(compat) == 1 and compat != chr(cp):
            folded = table.get(ord(compat), compat)
            table[cp] = compat if folded is None else folded
    return {cp: repl for cp, repl in table.items() if repl != chr(cp)}


_TABLE = _build_table()
_FOLDABLE = re.compile("[" + re.escape("".join(chr(cp) for cp in sorted(_TABLE))) + "]")


def _fold(s: str) -> str:
    # str.translate with a dict costs a lookup per character; a notice holds a few dozen distinct
    # characters that need folding, and replacing each of them is many times faster.
    present = set(_FOLDABLE.findall(s))
    if len(present) > 96:  # crafted input: a pass per character would cost more than translate
        return s.translate(_TABLE)
    for ch in present:
        s = s.replace(ch, _TABLE[ord(ch)] or "")
    return s


_CRLF = re.compile(r"\r\n?")
# U+E010 is a full stop / decimal point; the PDF put a gap after it that is not in the text.
_PUA_DOT = re.compile("\ue010[ \t\u3000\u00a0]*")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_VOWELS = {"a": "aāáǎà", "e": "eēéěè", "i": "iīíǐì", "o": "oōóǒò", "u": "uūúǔù", "ü": "üǖǘǚǜ"}
_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINALS = (
    "iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|üan|van|ai|ei|ao|ou|an|en|er|ia|ie|"
    "iu|in|ua|uo|ui|un|ün|üe|ue|ve|a|o|e|i|u|ü|v"
)


_TONED_FINALS = "".join(f"[{_VOWELS[ch]}]" if ch in _VOWELS else ch for ch in _FINALS)
_SYLLABLE = f"(?:{_INITIAL}(?:{_TONED_FINALS})|[mnḿńňǹ]g?|hm|ê)"
_PLAIN_SYLLABLE = f"(?:{_INITIAL}(?:{_FINALS}))"
_TONED_BODY = rf"(?=[a-zü]*[{_TONED}]){_SYLLABLE}\)"  # what follows "(" in "(guān)"
_TONELESS_BODY = rf"(?=[a-zü]{{2}}){_PLAIN_SYLLABLE}\)"
# A chain "關(guān)(guān)" goes in one match: its later members follow ")" rather than a base.
# "(" first keeps the scan at C speed; the lookbehind then checks the base character.
_RUBY_TONED = re.compile(rf"\((?<=[{_HAN}A-Za-z]\(){_TONED_BODY}(?:\({_TONED_BODY})*")
_RUBY_TONELESS = re.compile(rf"\((?<=[{_HAN}]\(){_TONELESS_BODY}(?:\({_TONELESS_BODY})*")
# Nested annotations need one round per level and joined paragraphs may join again; real text
# needs two or three rounds, and the bound keeps crafted input from taking one round per line.
_MAX_ROUNDS = 8
_SPACE_PAREN = re.compile(r" +\(")


def _strip_ruby(s: str, toneless: bool) -> str:
    """Remove pinyin annotations; toneless syllables only in annotated text (`toneless`)."""
    if "(" not in s:
        return s
    if " (" in s:  # the space rule removes a space before "(" anyway
        s = _SPACE_PAREN.sub("(", s)
    # Removing one annotation can expose another ("關(gu(guān)ān)").
    for _ in range(_MAX_ROUNDS):
        s, n = _RUBY_TONED.subn("", s)
        if toneless:
            s, m = _RUBY_TONELESS.subn("", s)
            n += m
        if not n:
            break
    return s


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _script_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Characters OpenCC changes one way or the other: traditional-only and simplified-only."""
    chars = [chr(cp) for cp in range(0x4E00, 0xA000)]
    joined = "\n".join(chars)
    to_simp = _converter().convert(joined).split("\n")
    to_trad = opencc.OpenCC("s2t").convert(joined).split("\n")
    trad = {c for c, s in zip(chars, to_simp, strict=True) if s != c}
    simp = {c for c, t in zip(chars, to_trad, strict=True) if t != c} - trad
    trad_class, simp_class = ("".join(sorted(group)) for group in (trad, simp))
    return re.compile(f"[{re.escape(trad_class)}]"), re.compile(f"[{re.escape(simp_class)}]")


def detect_script(raw: str) -> Script:
    """Which Chinese script the text is written in; "simplified" when it cannot tell."""
    trad_re, simp_re = _script_patterns()
    trad = len(trad_re.findall(raw))
    if not trad:
        return "simplified"
    # Traditional when simplified-only characters number at most half the traditional ones;
    # stop counting as soon as that is settled.
    for simp, _ in enumerate(simp_re.finditer(raw), 1):
        if 2 * simp >= trad:
            return "simplified"
    return "traditional"


def _annotated(s: str) -> bool:
    """Does the text carry pinyin ruby? Then toneless syllables in parentheses are ruby too."""
    return _RUBY_TONED.search(s) is not None


def _characters(raw: str, one_line: bool = False) -> tuple[str, bool]:
    """Width, spaces, PUA and ruby; says whether the text carried ruby. No script conversion."""
    s = _CRLF.sub("\n", raw)
    if "\ue010" in s:
        s = _PUA_DOT.sub(".", s)
    s = _fold(s)
    if one_line:
        s = s.replace("\n", " ")
    annotated = "(" in s and _annotated(s)
    return _strip_ruby(s, annotated), annotated


def _simplified(s: str) -> str:
    return _t2s(s) if detect_script(s) == "traditional" else s


def _t2s(s: str) -> str:
    # A few OpenCC mappings chain (薴 -> 苧 -> 苎): convert to a fixed point, as a second pass would.
    for _ in range(4):
        out = _converter().convert(s)
        if out == s:
            break
        s = out
    return s


_SPACES = re.compile(r" {2,}")
_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")
# A table row: two numeric cells side by side ("32.7 33.3", "— [16]以上", "76.1* 90").
_CELL = r"(?:[—~-]|[\[(]?[-+]?\d+(?:[.,]\d+)*[%‰*#]?[\])]?(?:以上|以下|左右)?)"
_TABLE_ROW = re.compile(rf"(?:^| ){_CELL} {_CELL}(?= |$)")
_SENTENCE = re.compile(r"[。，；;]|, ")
_LABEL_NUMBER = re.compile(r"^(\d{1,3}\.) (?=\d)")


def _is_row(line: str) -> bool:
    return " " in line and not _SENTENCE.search(line) and bool(_TABLE_ROW.search(line))


def _spaces(line: str) -> str:
    if " " not in line:
        return line
    line = _SPACES.sub(" ", line.strip(" "))
    if _is_row(line):
        return line
    keep = _LABEL_NUMBER.match(line)
    line = _SPACE.sub("", line)
    if keep:
        line = keep.group(1) + " " + line[len(keep.group(1)) :]
    return line


def normalize_inline(s: str) -> str:
    """One line of text (a title, a table cell, HTML text) in canonical form: characters only."""
    text, _ = _characters(s, one_line=True)
    return _spaces(_simplified(text))


# --- line level ------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:[—\-]\s*\d{1,4}\s*[—\-]|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$")
_RUNNING_HEADER = re.compile(r"^\S{0,24}(?:公报|政报)(?:\d{4}年)?第\d{1,3}期(?:\(总第\d{1,5}期\))?$")

_CN_NUM = "一二三四五六七八九十百零〇两"
_NEW_UNIT = re.compile(
    rf"^(?:[{_CN_NUM}]{{1,4}}、"
    rf"|\([{_CN_NUM}]{{1,4}}\)"
    r"|\(\d{1,3}\)"
    r"|\d{1,3}(?:、|\.(?!\d))"
    r"|[①-⑳⑴-⒇⒈-⒛]"
    rf"|第[{_CN_NUM}\d]{{1,4}}[章节条款篇部]"
    r"|——"
    r"|\[?责任单位|\[?牵头单位|附件\d{0,2}(?:[:.、]|$)|附:|抄送|抄报|主送|注:|备注:|联系人:|联系电话:"
    r"|\d{4}年\d{1,2}月\d{1,2}日\S{0,4}$"
    r"|[^,，。;:()《》]{1,16}〔\d{4}〕\d{1,4}号$"
    r"|\([^()]*\)$"
    r")"
)
# First characters of every _NEW_UNIT alternative: most wrapped lines skip the big pattern.
_UNIT_START = frozenset(
    _CN_NUM + "(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛第—[责牵附抄主注备联"
)
_STANDALONE = re.compile(
    r"^(?:\d{4}年\d{1,2}月\d{1,2}日\S{0,6}|[^,，。;:()《》]{1,16}〔\d{4}〕\d{1,4}号|\([^()]*\)"
    r"|附件\d{0,2}[:：][^。]{0,60}|.{0,28}[)\]])$"
)
_TERMINAL = re.compile(r"[。！？；:!?;][”’」』)]?$")
# A sentence end followed by a bracketed note ("…。(责任单位:市科技局)") ends the paragraph
# when the next line opens the closing part of a notice ("上述8个领域政策…", "本通知自…").
_NOTE_END = re.compile(r"[。！？；](?:\([^()]{1,80}\)|\[[^\[\]]{1,80}\])$")
# A short line with no punctuation at all: a part title, not the rest of a sentence.
_BARE_TITLE = re.compile(r"[^、。，,；;：:！？!?“”‘’《》()\[\]]{6,30}")
_PROSE = re.compile(r"[。，,；;：:！？!?]")
_CONTINUES = re.compile(r"[、，,“‘《〈(\[（【「—~的和与及或]$")
_HEADING = re.compile(rf"^[{_CN_NUM}]{{1,4}}、[^。；;]{{0,28}}$")
_NOTICE_END = re.compile(r"(?:通知|批复|复函|函|意见|决定|报告|请示|公告|通告|命令|通报)$")
_POLICY_END = re.compile(
    r"(?:方案|规划|政策|办法|细则|规定|意见|措施|计划|纲要|条例|通知|批复|复函|决定)(?:\([^()]*\))?$"
)
_TITLE_END = re.compile(
    r"(?:通知|批复|复函|函|意见|决定|报告|请示|公告|通告|通报|方案|规划|政策|办法|细则|规定|措施|计划|纲要|条例"
    r"|分解|清单)(?:\([^()]*\))?$"
)
_OPENERS = {"“": "”", "《": "》", "(": ")", "〈": "〉", "[": "]", "「": "」"}


def _furniture(line: str) -> bool:
    n = len(line)
    return (n <= 12 and _PAGE_NUMBER.match(line) is not None) or (
        n <= 40 and "报" in line and _RUNNING_HEADER.match(line) is not None
    )


def _keep_mask(lines: list[str], fresh: list[bool] | None = None) -> list[bool]:
    """False for page furniture: headers, page numbers, runs of rotated-table debris. Only the
    `fresh` lines (None: all) can be headers or page numbers; the others were looked at before."""
    if fresh is None:
        keep = [not _furniture(ln) for ln in lines]
    else:
        keep = [not (new and _furniture(ln)) for ln, new in zip(lines, fresh, strict=True)]
    short = [k and len(ln) <= 2 for ln, k in zip(lines, keep, strict=True)]
    i, n = 0, len(lines)
    while i < n:
        if not short[i]:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < n and (short[j] or not keep[j]):  # dropped furniture does not break a run
            if short[j]:
                run.append(j)
            j += 1
        singles = sum(1 for k in run if len(lines[k]) == 1)
        if len(run) >= 4 and 2 * singles >= len(run):
            for k in run:
                keep[k] = False
        i = j
    return keep


def _drop_furniture(lines: list[str]) -> list[str]:
    return [ln for ln, keep in zip(lines, _keep_mask(lines), strict=True) if keep]


_BRACKETS = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_OPENERS.values())) + "]")


_APART_WORD = re.compile(r"(?:^| )[A-Za-z]+$")
_TAIL = 96  # characters the end-anchored joining patterns look at


class _Paragraph:
    """A paragraph being built from lines. Paragraphs can grow to megabytes, so nothing here
    rescans the whole text per line: the parts are joined once, and what the joining rules ask
    about the whole (prose inside, brackets left open) is worked out the first time it is asked
    and then kept up to date line by line."""

    __slots__ = ("_balance", "_parens", "_prose", "_tail", "length", "parts")

    def __init__(self, line: str) -> None:
        self.parts = [line]
        self.length = len(line)
        self._prose: bool | None = None
        self._balance: dict[str, int] | None = None
        self._parens = 0  # "(" seen, for "a line wholly in parentheses"
        self._tail = line[-_TAIL:]

    @property
    def prose(self) -> bool:
        if self._prose is None:
            self._prose = _PROSE.search(self.text()) is not None
        return self._prose

    def _count(self, s: str, sign: int) -> None:
        if self._balance is not None and _BRACKETS.search(s):
            for opener, closer in _OPENERS.items():
                self._balance[opener] += sign * (s.count(opener) - s.count(closer))
            self._parens += sign * s.count("(")

    def _counted(self) -> dict[str, int]:
        if self._balance is None:
            self._balance = dict.fromkeys(_OPENERS, 0)
            self._count(self.text(), 1)
        return self._balance

    def unclosed(self) -> bool:
        return any(v > 0 for v in self._counted().values())

    def parens(self) -> int:
        self._counted()
        return self._parens

    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0]

    def tail(self, n: int) -> str:
        """The last n characters (all of them if shorter), n <= _TAIL."""
        return self._tail[-n:]

    def _last(self, n: int) -> str:
        pieces, size = [], 0
        for part in reversed(self.parts):
            pieces.append(part[-(n - size) :])
            size += len(pieces[-1])
            if size >= n:
                break
        return "".join(reversed(pieces))

    def append(self, line: str, annotated: bool, cut: bool = False) -> None:
        """Add a line; `cut`: the paragraph's last line was cut at a wrap width, so a number or
        a Latin word written into Chinese ("78" + "00亿元", "浙B" + "A") is broken there, and only
        a Latin word that stood apart ("… and" + "more") gets its space back. A break between two
        digits is never a space ("有效期至202" + "7年"); numeric cells side by side are kept apart
        because table rows are never joined."""
        last, first = self.parts[-1][-1], line[0]
        sep = ""
        if (
            last.isascii()
            and last.isalnum()
            and first.isascii()
            and first.isalnum()
            and not (last.isdigit() and first.isdigit())
        ):
            apart = last.isalpha() and first.isalpha() and _APART_WORD.search(self._tail) is not None
            sep = " " if apart or not cut else ""
        if self._prose is False:
            self._prose = _PROSE.search(line) is not None
        if "(" not in line and ")" not in line:
            self.parts.append(sep + line)
            self.length += len(sep) + len(line)
            self._count(line, 1)
            self._tail = (self._tail + sep + line)[-_TAIL:]
            return
        # A ruby split by the line break ("業(yè" / ")") meets again around the seam: redo the
        # last 12 characters together with the line.
        window = ""
        while self.parts and len(window) < 12:
            part = self.parts.pop()
            need = 12 - len(window)
            if len(part) > need:
                self.parts.append(part[:-need])
                part = part[-need:]
            window = part + window
        new = _strip_ruby(window + sep + line, annotated)
        self._count(window, -1)
        self._count(new, 1)
        self.parts.append(new)
        self.length += len(new) - len(window)
        self._tail = self._last(_TAIL)


def _continues(par: _Paragraph, nxt: str) -> bool:
    """Does line `nxt` continue the paragraph `par`? Neither is a table row (the caller checks)."""
    if nxt[0] in _SENTENCE_MARKS:
        return True  # no paragraph starts with "。" or ",": the line was broken just before it
    tail = par.tail(90)  # enough for every pattern anchored at the end
    end = len(tail)
    if _TERMINAL.search(tail, max(0, end - 2)):
        return False
    if nxt[0] in _UNIT_START and _NEW_UNIT.match(nxt):
        return False
    if par.length <= 6 and _LABEL.fullmatch(par.text()):
        return True  # a label alone ("5." over its text, as a PDF wraps after "5. ")
    if par.length <= 70:
        if _STANDALONE.match(par.text()) and not par.unclosed():
            return False
    elif par.parts[0][0] == "(" and tail[-1] == ")" and par.parens() == 1 and not par.unclosed():
        return False  # a long line wholly in parentheses
    if CLOSING.match(nxt) and _NOTE_END.search(tail, max(0, end - 84)):
        return False
    if _CONTINUES.search(tail, end - 1):
        return True
    if par.prose:
        heading = par.length <= 40 and _HEADING.match(par.text()) is not None
        if not heading and not _BARE_TITLE.fullmatch(nxt):
            return True
        return par.unclosed()
    if par.unclosed():
        return True
    # Long, yet no punctuation but 、 《》 “”: a hard-wrapped line of prose, unless it ends like a
    # heading or a title ("…(由省发展改革委牵头)", "…的通知").
    if par.length >= 30 and tail[-1] not in ")]" and not _TITLE_END.search(tail, max(0, end - 40)):
        return True
    # A title split over lines: "…关于印发…" + "…的通知", "…运用智能" + "技术困难实施方案".
    if _PROSE.search(nxt) or par.length + len(nxt) > 80:
        return False
    text = par.text()
    if "关于" in text and not _NOTICE_END.search(text):
        return True
    return bool(_POLICY_END.search(nxt)) and not _POLICY_END.search(text) and len(text) >= 6


# --- hard-wrapped text ------------------------------------------------------------------------
# Text wrapped at a fixed width (a PDF's text, an e-mail, a copy from a fixed-width viewer) breaks
# paragraphs anywhere: inside a number, after a "。" in mid-paragraph, before "(一)"-like or
# "(责任单位:" text. When most long lines share one length, that length is the wrap width, and a
# line of that length was cut by the wrap, not ended by its author: it is joined to the next line
# first, before the general joining rules, which then see the paragraphs as written.

_SPACED_END = frozenset("0123456789%")
_SENTENCE_END = frozenset("。！？；;:：!?")
_MIN_WRAP = 12  # lines shorter than this say nothing about a wrap width
_LABEL = re.compile(
    rf"[{_CN_NUM}]{{1,4}}、|\([{_CN_NUM}]{{1,4}}\)|\(\d{{1,3}}\)|\d{{1,3}}(?:、|\.(?!\d))|[①-⑳]"
    rf"|第[{_CN_NUM}\d]{{1,4}}[章节条]"
)
_CLOSERS = frozenset("。，,、；;：:！？!?)）]】》”’〉」』")
_SENTENCE_MARKS = frozenset("。，,、；;！？!?")
_NOTE_START = re.compile(r"^[(\[](?:责任单位|牵头单位|牵头领导|由省|由市)")


def _wrap_width(lengths: list[int]) -> int | None:
    """The width the text was hard-wrapped at: a length shared by at least four and one in twenty
    of the long lines, with at most a quarter as many lines longer (a wrap leaves none, except
    lines it left alone; four title lines of one length between paragraphs are no wrap).
    Text written one paragraph per line, or a PDF's proportional lines, has no such length."""
    counts = Counter(lengths)
    total = sum(c for n, c in counts.items() if n >= _MIN_WRAP)
    longer = 0
    for width in sorted((n for n in counts if n >= _MIN_WRAP), reverse=True):
        count = counts[width]
        if count >= 4 and 20 * count >= total and 4 * longer <= count:
            return width
        longer += count
    return None


def _full_lines(raw: str, count: int) -> list[bool] | None:
    """For each line of the text (`count` of them, as `_characters` splits it): was it cut at the
    wrap width? Either it fills the width, or the next line's first word would not have fitted
    after it (a wrap at spaces). Lengths are taken from the raw lines, before ruby and spaces are
    removed, because the wrap counted those characters. None when the text is not hard-wrapped."""
    unstripped = raw.splitlines()
    if len(unstripped) == count - 1:  # a line break at the very end
        unstripped.append("")
    if len(unstripped) != count:  # a separator _characters does not treat as one (U+001C…)
        return None
    raw_lines = list(map(str.strip, unstripped))
    lengths = list(map(len, raw_lines))
    width = _wrap_width(lengths)
    if width is None:
        return None
    full = []
    for i, n in enumerate(lengths):
        word = len(raw_lines[i + 1].split(None, 1)[0]) if i + 1 < count and raw_lines[i + 1] else 0
        # A wrap at spaces leaves a shorter line where the next word did not fit; in these texts
        # the spaces stand around numbers ("达到 7800 亿元"), so such a line ends in one.
        # A next line that is one word filling the width says nothing: it may be a piece of a
        # longer word, which the wrap does not move to a line of its own.
        # After a sentence's end, a short line is taken for the end of its paragraph.
        spaced = (
            0 < n < width
            and raw_lines[i][-1] not in _SENTENCE_END
            and (raw_lines[i][-1] in _SPACED_END or n + 1 + word > width > word + 1)
        )
        bare_label = n <= 6 and _LABEL.fullmatch(raw_lines[i].replace(" ", "")) is not None
        # A cut next to a space loses the space: the line filled the width before stripping.
        filled = n == width or (n == width - 1 and len(unstripped[i]) >= width)
        full.append(filled or spaced or bare_label)
    return full


def _open_at_end(par: _Paragraph) -> bool:
    """Is a bracket left open at the end: counted over the paragraph, or, since PDF debris can
    hold a stray ")", the last "(" or "[" of the tail after its last ")" or "]"."""
    tail = par.tail(90)
    return par.unclosed() or max(tail.rfind("("), tail.rfind("[")) > max(tail.rfind(")"), tail.rfind("]"))


def _wrapped_continues(par: _Paragraph, nxt: str, nxt_full: bool, after: str | None) -> bool:
    """Does `nxt` continue `par`, whose last line was cut at the wrap width? `after` is the line
    after `nxt`."""
    tail = par.tail(90)
    end = len(tail)
    if _TERMINAL.search(tail, max(0, end - 2)):
        # A "。" at the cut is mid-paragraph unless a new unit follows; a ":" there ends the line
        # ("…各单位:") unless it is inside an open bracket ("(责任单位:").
        if _NOTE_START.match(nxt) or (_open_at_end(par) and not _LABEL.match(nxt)):
            return True
        if tail[-1] == ":" and not _open_at_end(par) and not (tail[-2:-1].isdigit() and nxt[0].isdigit()):
            return False  # "…各单位:" ends the line; "1:" + "3比例" is a ratio
        if nxt[0] in _UNIT_START and _NEW_UNIT.match(nxt):
            return False
        if CLOSING.match(nxt):
            return False
        if nxt_full or _PROSE.search(nxt):
            return True
        # A short line without punctuation: a name or title of its own, or the end of a line
        # that runs on into the next one (a paragraph broken by a page break in the source).
        return (
            after is not None
            and not _TERMINAL.search(nxt)
            and _continues(_Paragraph(par.tail(_TAIL) + nxt), after)  # the tail: no copy of a long paragraph
        )
    # A heading, a title or a clause ending with its note may fill the width exactly; so may a
    # list of responsible units, followed by the next item's label.
    if tail[-1] in ")]" or (not par.prose and _NOTICE_END.search(tail, max(0, end - 40))):
        # ... but a short rest that only ends the sentence ("…等政策" + "资金。") is no new paragraph.
        rest = not nxt_full and _TERMINAL.search(nxt) is not None and not _PROSE.search(nxt, 0, len(nxt) - 1)
        # ... or a last word before the next item ("…(省司法厅)" + "牵头").
        last_word = (
            par.prose and len(nxt) <= 8 and not _PROSE.search(nxt) and (after is None or _LABEL.match(after))
        )
        return rest or bool(last_word) or _continues(par, nxt)
    if (
        par.prose
        and _BARE_TITLE.fullmatch(nxt)
        and _TITLE_END.search(nxt)
        and (after is None or _LABEL.match(after))
    ):
        return _continues(par, nxt)  # a part title of its own after a line that filled the width
    # Label-like text after a line without a full stop (a heading, a list of units) opens the
    # next item; inside prose ("…按照第" + "(一)项") it is part of the sentence.
    short = par.length <= 200  # headings and unit lists; and no rescan of a long paragraph
    return not (
        _LABEL.match(nxt) and not _CONTINUES.search(tail, end - 1) and short and "。" not in par.text()
    )


def _unwrap(lines: list[str], full: list[bool], annotated: bool) -> list[str]:
    """Join each line cut at the wrap width with the line after it (see `_wrapped_continues`)."""
    out: list[str] = []
    current: _Paragraph | str | None = None
    current_full = False
    rows = [_is_row(line) for line in lines]
    for i, line in enumerate(lines):
        if current is not None and not rows[i] and not rows[i - 1]:
            if isinstance(current, str):
                current = _Paragraph(current)
            # A wrap at spaces can also leave a short line before punctuation ("…措施" + "。实施"),
            # before a note or inside one ("(责任单位:" + "市市场监管局)").
            cut = current_full or line[0] in _CLOSERS or _NOTE_START.match(line) is not None
            if not cut and current.tail(1) == ":" and _open_at_end(current):
                cut = True
            after = lines[i + 1] if i + 1 < len(lines) else None
            if cut and (line[0] in _CLOSERS or _wrapped_continues(current, line, full[i], after)):
                current.append(line, annotated, cut=True)
                current_full = full[i]
                continue
        if current is not None:
            out.append(current if isinstance(current, str) else current.text())
        current, current_full = line, full[i]
    if current is not None:
        out.append(current if isinstance(current, str) else current.text())
    return out


def _unwrap_text(spaced: list[str], full: list[bool], annotated: bool) -> tuple[list[str], Script]:
    """The lines of a hard-wrapped text without furniture, in Simplified, unwrapped; and the
    script it was written in."""
    found = [(ln, f) for ln, f in zip(spaced, full, strict=True) if ln]
    found = [pair for pair, keep in zip(found, _keep_mask([ln for ln, _ in found]), strict=True) if keep]
    script = detect_script("\n".join(ln for ln, _ in found))
    if script == "traditional":
        converted = _t2s("\n".join(ln for ln, _ in found)).split("\n")
        found = [(ln, f) for ln, (_, f) in zip(converted, found, strict=True)]
        found = [pair for pair, keep in zip(found, _keep_mask(converted), strict=True) if keep]
    return _unwrap([ln for ln, _ in found], [f for _, f in found], annotated), script


class _Round:
    """Lines between joining rounds: which took a join (`joined`) and which are table rows."""

    def __init__(self, lines: list[str], joined: list[bool], rows: list[bool]) -> None:
        self.lines, self.joined, self.rows = lines, joined, rows


def _rejoin(lines: list[str], rows: list[bool], annotated: bool, check: list[bool] | None) -> _Round:
    """One greedy round of paragraph joining.

    `check` marks the lines to test against the paragraph before them; None tests every line. A
    line that was not extended in the previous round already failed the test against the same
    paragraph, unless this round extended that paragraph. A table row never takes or gives a
    continuation.
    """
    out = _Round([], [], [])
    # The paragraph being built: a plain line until a join is tested against it.
    current: _Paragraph | str | None = None
    grown = False
    last_is_row = True

    def close() -> None:
        if current is not None:
            text = current if isinstance(current, str) else current.text()
            out.lines.append(text)
            out.joined.append(grown)
            out.rows.append(_is_row(text) if grown else last_is_row)

    for i, line in enumerate(lines):
        is_row = rows[i]
        test = check is None or check[i] or grown
        if current is not None and test and not (last_is_row or is_row):
            if isinstance(current, str):
                current = _Paragraph(current)
            if _continues(current, line):
                current.append(line, annotated)
                grown = True
                continue
        close()
        current, grown, last_is_row = line, False, is_row
    close()
    return out


def normalize_text(raw: str) -> str:
    """A whole notice in canonical form: characters, page furniture dropped, paragraphs rejoined."""
    return normalize_document(raw)[0]


def normalize_document(raw: str) -> tuple[str, Script]:
    """`normalize_text`, and the script the text was written in (judged once, on the text without
    its page furniture: the judgement that decided the conversion to Simplified)."""
    text, annotated = _characters(raw)
    spaced = [_spaces(x) for x in text.split("\n")]
    full = _full_lines(raw, len(spaced))
    if full is None:
        lines = _drop_furniture([ln for ln in spaced if ln])
        # The script is judged without the furniture, as a second pass would see the text.
        script = detect_script("\n".join(lines))
        if script == "traditional":
            lines = _drop_furniture(_t2s("\n".join(lines)).split("\n"))
    else:
        lines, script = _unwrap_text(spaced, full, annotated)
    # A joined paragraph may join further (its end or its length changed) or turn out to be
    # furniture ("—" + "6—"); repeat to a fixed point so that a second pass changes nothing.
    done = _rejoin(lines, [_is_row(ln) for ln in lines], annotated, None)
    for _ in range(_MAX_ROUNDS):
        keep = _keep_mask(done.lines, done.joined)
        if not any(done.joined) and all(keep):
            break
        nxt = _Round([], [], [])
        dropped = False
        for line, was_joined, is_row, kept in zip(done.lines, done.joined, done.rows, keep, strict=True):
            if not kept:
                dropped = True
                continue
            nxt.lines.append(line)
            nxt.rows.append(is_row)
            nxt.joined.append(was_joined or dropped)  # after a dropped line: a new neighbour
            dropped = False
        done = _rejoin(nxt.lines, nxt.rows, annotated, nxt.joined)
    return "\n".join(done.lines), script
