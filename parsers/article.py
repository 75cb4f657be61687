"""Article pages: metadata table, title, body text without page chrome, and attachment links.

Pages can be hostile (nesting 10,000 levels deep), so every walk over the tree is iterative.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.adapters.common import absolute, clean, find_date
from parsers.adapters.models import ParseError

ATTACHMENT_EXTENSIONS = ("pdf", "docx", "doc", "wps", "xls", "xlsx", "ofd", "zip", "rar", "et", "txt")
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_CELL = frozenset({"td", "th"})
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "select", "button", "input", "head"}
)
_PDFURL = re.compile(r"""var\s+pdfurl\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_LABEL_NOISE = re.compile(r"[\s:：\u00a0\u3000]")

_META_LABELS: dict[str, str] = {
    "索引号": "index_no",
    "主题分类": "topic",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发布单位": "issuer",
    "信息来源": "issuer",
    "生成日期": "generated",
    "发布日期": "generated",
    "成文日期": "written",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "有效性": "validity",
    "效力状态": "validity",
}


class ArticleSelectors(BaseModel):
    """Defaults follow the JCMS article templates; each tuple is tried in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    meta_tables: tuple[str, ...] = ("table.fgwj_xxgk_head", "table.xxgk_top")
    title: tuple[str, ...] = (".art_title h2", ".title", "h1.title", ".article-title", "h1", "title")
    body: tuple[str, ...] = ("#zoom", ".bt_content", ".article-conter", ".zc_article_con")
    attachment_areas: tuple[str, ...] = ("[class*=fujian]", "[class*=attach]", ".fj", "#fj")
    chrome: tuple[str, ...] = (
        "nav", "header", "footer", "[class*=share]", "[id*=share]", "[class*=print]", "[class*=font]",
        "[class*=related]", "[class*=xglj]", "[class*=xgwz]", "[class*=qrcode]", "[class*=ewm]",
        "[class*=counter]", "[id*=counter]", "[class*=sidebar]",
    )  # fmt: skip
    chrome_text: str = Field(
        default=r"(?:浏览次数|访问次数|阅读次数|点击数|访问量)\s*[:：]|打印本页|关闭窗口|分享到\s*[:：]|扫一扫|"
        r"^[\s【\[(（]*(?:当前时间|今天是)\s*[:：]|(?:字号|字体)\s*[:：]\s*[【\[]?\s*(?:[大中小]|$)|"
        r"^\s*【?\s*大\s*中\s*小\s*】?\s*$|"
        r"^\s*(?:相关链接|相关文件|相关阅读)\s*[:：]?\s*$",
        description="A short element whose text matches is page chrome; ordinary words are anchored so "
        "policy sentences that merely mention 相关文件 or 字体 are kept",
    )
    chrome_max_chars: int = 60


class PageMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    index_no: str | None = None
    topic: str | None = None
    issuer: str | None = None
    generated: date | None = None
    written: date | None = None
    doc_number: str | None = None
    validity: str | None = None
    raw: dict[str, str] = Field(default_factory=dict, description="Every label/value pair as shown")


class AttachmentLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    url: str
    extension: str | None = None


class ArticlePage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    title: str | None
    metadata: PageMetadata
    body_text: str
    body_from: str = Field(description="Selector that matched the body, or 'density' for the fallback")
    attachments: list[AttachmentLink]


def _text_of(node: LexborNode) -> str:
    return clean(node.text(deep=True, separator=" "))


def parse_metadata(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> PageMetadata:
    raw: dict[str, str] = {}
    for selector in selectors:
        table = tree.css_first(selector)
        if table is None:
            continue
        cells = [_text_of(cell) for cell in table.css("td, th")]
        for i, cell in enumerate(cells):
            label = _LABEL_NOISE.sub("", cell)
            if label in _META_LABELS and i + 1 < len(cells):
                value = cells[i + 1]
                if _LABEL_NOISE.sub("", value) not in _META_LABELS:
                    raw.setdefault(label, value)
                continue
            head, sep, tail = cell.partition("：") if "：" in cell else cell.partition(":")
            if sep and _LABEL_NOISE.sub("", head) in _META_LABELS and tail.strip():
                raw.setdefault(_LABEL_NOISE.sub("", head), tail.strip())
        break
    fields: dict[str, object] = {}
    for label, value in raw.items():
        name = _META_LABELS[label]
        if not value or name in fields:
            continue
        fields[name] = find_date(value) if name in ("generated", "written") else value
    return PageMetadata.model_validate({**fields, "raw": raw})


def _drop_chrome(tree: LexborHTMLParser, sel: ArticleSelectors, keep: LexborNode | None) -> None:
    for selector in sel.chrome:
        for node in tree.css(selector):
            # Class patterns such as [class*=font] also match styled spans inside the text itself
            # (class="font16"), so inside the body only the text patterns below apply.
            if keep is not None and (
                node.mem_id == keep.mem_id or _contains(node, keep) or _contains(keep, node)
            ):
                continue
            node.decompose()
    pattern = re.compile(sel.chrome_text)
    root = tree.body
    if root is None:
        return
    doomed: list[LexborNode] = []
    for node in root.traverse(include_text=True):
        if not node.is_text_node or not pattern.search(node.text_content or ""):
            continue
        # Remove the largest short ancestor: the whole "浏览次数：123" line, not just the label.
        target: LexborNode | None = node.parent
        climbed = 0
        while target is not None and climbed < 4:
            parent = target.parent
            if parent is None or parent.tag in ("body", "html") or len(parent.text()) > sel.chrome_max_chars:
                break
            if keep is not None and parent.mem_id == keep.mem_id:
                break
            target, climbed = parent, climbed + 1
        if target is not None and len(target.text()) <= sel.chrome_max_chars:
            doomed.append(target)
    for node in doomed:
        node.decompose()


def _contains(ancestor: LexborNode, node: LexborNode) -> bool:
    current = node.parent
    for _ in range(100_000):
        if current is None:
            return False
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def block_text(root: LexborNode) -> str:
    """Visible text of a subtree with line breaks at block boundaries and spaces between table cells."""
    out: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            out.append("\t" if tag in _CELL else "\n")
            continue
        if node.is_text_node:
            content = node.text_content or ""
            parent = node.parent
            # Source line breaks are just whitespace in HTML, except inside <pre>.
            out.append(
                content if parent is not None and parent.tag == "pre" else _HTML_SPACE.sub(" ", content)
            )
            continue
        if tag in _SKIP or node.is_comment_node:
            continue
        if tag in _BLOCK:
            out.append("\n")
        if tag in _BLOCK or tag in _CELL:
            stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _density_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding most of the page's non-link text (a readability-style fallback)."""
    body = tree.body
    if body is None:
        return None
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in body.traverse(include_text=True):
        if not node.is_text_node:
            continue
        length = len((node.text_content or "").strip())
        parent = node.parent
        if length < 2 or parent is None or parent.tag in _SKIP or parent.tag == "a":
            continue
        weight = 1.0
        for _ in range(3):
            if parent is None or parent.tag in ("body", "html"):
                break
            if parent.tag in _BLOCK:
                scores[parent.mem_id] = scores.get(parent.mem_id, 0.0) + length * weight
                nodes[parent.mem_id] = parent
                weight /= 2
            parent = parent.parent
    if not scores:
        return body
    return nodes[max(scores, key=lambda key: scores[key])]


def _extension(url: str) -> str | None:
    parts = urlsplit(url)
    candidates = [parts.path] + [
        value for key, value in parse_qsl(parts.query) if key.lower() in ("filename", "file", "fn")
    ]
    for candidate in reversed(candidates):
        name = unquote(candidate).rsplit("/", 1)[-1]
        if "." in name:
            ext = name.rsplit(".", 1)[1].lower()
            if ext in ATTACHMENT_EXTENSIONS:
                return ext
    return None


def name_from_url(url: str) -> str:
    """A file's name from its URL: the `filename=` parameter of download scripts, else the path."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return unquote(query.get("filename") or parts.path.rsplit("/", 1)[-1]) or "file"


def _attachment_name(link: LexborNode, url: str) -> str:
    return clean(link.text()) or clean(link.attributes.get("title")) or name_from_url(url)


def find_attachments(
    tree: LexborHTMLParser, raw_html: str, roots: list[LexborNode], page_url: str
) -> list[AttachmentLink]:
    found: dict[str, AttachmentLink] = {}
    for root in roots:
        for link in root.css("a[href]"):
            url = absolute(page_url, link.attributes.get("href"))
            if url is None or url in found:
                continue
            ext = _extension(url)
            if ext is None and "downfile.jsp" not in url:
                continue
            found[url] = AttachmentLink(name=_attachment_name(link, url), url=url, extension=ext)
    for match in _PDFURL.finditer(raw_html):
        url = absolute(page_url, match[1])
        if url is not None and url not in found:
            found[url] = AttachmentLink(name=name_from_url(url), url=url, extension=_extension(url) or "pdf")
    return list(found.values())


def parse_article(html: str, url: str, selectors: ArticleSelectors | None = None) -> ArticlePage:
    """Parse one article page (already decoded to text)."""
    sel = selectors or ArticleSelectors()
    if not isinstance(html, str):
        raise ParseError("unsupported", "article HTML must be decoded to text first")
    tree = LexborHTMLParser(html)
    if tree.body is None:
        raise ParseError("bad_content", "not an HTML page (no body)")
    metadata = parse_metadata(tree, sel.meta_tables)

    title: str | None = None
    for selector in sel.title:
        node = tree.css_first(selector)
        if node is not None and _text_of(node):
            title = _text_of(node)
            break

    body: LexborNode | None = None
    body_from = "density"
    for selector in sel.body:
        candidate = tree.css_first(selector)
        if candidate is not None and clean(candidate.text()):
            body, body_from = candidate, selector
            break
    for table_selector in sel.meta_tables:
        for table in tree.css(table_selector):
            if body is None or not _contains(table, body):
                table.decompose()
    _drop_chrome(tree, sel, body)
    if body is None:
        body = _density_root(tree)
    areas = [node for selector in sel.attachment_areas for node in tree.css(selector)]
    attachments = find_attachments(tree, html, [r for r in [body, *areas] if r is not None], url)
    text = block_text(body) if body is not None else ""
    return ArticlePage(
        url=url, title=title, metadata=metadata, body_text=text, body_from=body_from, attachments=attachments
    )
