"""The replica's content model: sites, columns, articles and attachment files, built from `seeds/`.

Three sites share one CMS shape but differ in detail, like the real ones: the provincial site
(UTF-8, `table.fgwj_xxgk_head`, `#zoom`), a city site (UTF-8, `table.xxgk_top`, `.article-conter`,
plain `div.fg_list` rows) and a county site (GBK declared only in `<meta charset>`, `.bt_content`).
Models are frozen; `Content` replaces them when a scripted event changes something.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from seeds import seed_texts

BEIJING = timezone(timedelta(hours=8))
FileKind = Literal["pdf", "docx"]
Container = Literal["zoom", "article-conter", "bt_content", "zc_article_con"]
MetaTable = Literal["fgwj_xxgk_head", "xxgk_top", "none"]
# datastore: <li> records in the script XML; datastore-fg: div.fg_list rows in the records (the
# provincial policy column); fg_list: div.fg_list rows straight in the HTML (no datastore)
ListStyle = Literal["datastore", "datastore-fg", "fg_list"]

POLICY_COLUMN = "1229019364"
NEWS_COLUMN = "1554467"  # interpretations, at the newer /col/colN/art/YYYY/art_<hex>.html addresses
DOWNLOAD_PATH = "/module/download/downfile.jsp"
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Frozen):
    id: str
    name: str
    unitid: int
    list_style: ListStyle = "datastore"


class Site(_Frozen):
    name: str
    title: str
    charset: Literal["utf-8", "gbk"]
    webid: int
    base_url: str
    columns: tuple[Column, ...]
    container: Container = Field(description="Where article bodies sit on this site")
    meta_table: MetaTable
    gzip: bool = Field(description="Compresses text answers when the client accepts gzip")

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)


class FileSpec(_Frozen):
    """An attachment file: generated from `text` on first download, cached per process."""

    name: str
    kind: FileKind
    filename: str
    text: str
    url: str
    viewer: bool = False  # linked through `var pdfurl = "…"` instead of an <a> in the body

    @property
    def path(self) -> str:
        return f"{DOWNLOAD_PATH}?filename={self.filename}&classid=0"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


class Article(_Frozen):
    site: str
    column: str
    article_id: str
    path: str
    url: str
    title: str
    published: date
    modified: datetime
    doc_number: str | None = None
    index_no: str | None = None
    issuer: str
    topic: str = "综合政务"
    validity: str | None = None
    infotype: str | None = None
    seed: str | None = None
    container: Container
    meta_table: MetaTable
    body: str
    attachments: tuple[FileSpec, ...] = ()
    listed: bool = True
    gone: bool = False


def seed_text(seed: str) -> str:
    """The text of seed `seed` ("000" … "004")."""
    for path in seed_texts():
        if path.name.startswith(f"{seed}_"):
            return path.read_text(encoding="utf-8")
    raise KeyError(f"no seed {seed!r} in seeds/ (have {[p.name[:3] for p in seed_texts()]})")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def classic_path(column: str, published: date, article_id: str) -> str:
    return f"/art/{published.year}/{published.month}/{published.day}/art_{column}_{article_id}.html"


def hex_id(*parts: str) -> str:
    return hashlib.md5("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def published_at(day: date) -> datetime:
    """Pages carry the publication day at 09:00 Beijing time as their Last-Modified."""
    return datetime.combine(day, time(9, 0), BEIJING).astimezone(UTC)


def _split_at(text: str, marker: str) -> tuple[str, str]:
    head, sep, tail = text.partition(marker)
    if not sep:
        raise ValueError(f"marker {marker!r} not found in seed text")
    return head + sep, tail


def build_sites(base_urls: dict[str, str]) -> dict[str, Site]:
    return {
        "province": Site(
            name="province",
            title="浙江省人民政府",
            charset="utf-8",
            webid=3096,
            base_url=base_urls["province"],
            columns=(
                Column(id=POLICY_COLUMN, name="政策文件", unitid=4507711, list_style="datastore-fg"),
                Column(id=NEWS_COLUMN, name="政策解读", unitid=4507712),
            ),
            container="zoom",
            meta_table="fgwj_xxgk_head",
            gzip=True,
        ),
        "city": Site(
            name="city",
            title="杭州市人民政府",
            charset="utf-8",
            webid=149,
            base_url=base_urls["city"],
            columns=(Column(id="1229063386", name="市政府文件", unitid=7181215, list_style="fg_list"),),
            container="article-conter",
            meta_table="xxgk_top",
            gzip=True,
        ),
        "county": Site(
            name="county",
            title="淳安县人民政府",
            charset="gbk",
            webid=4077,
            base_url=base_urls["county"],
            columns=(Column(id="1229286542", name="上级文件", unitid=7652371),),
            container="bt_content",
            meta_table="xxgk_top",
            gzip=False,  # an old county server: identity only
        ),
    }


def _file(site: Site, seed: str, name: str, kind: FileKind, text: str, viewer: bool = False) -> FileSpec:
    filename = f"{hex_id(site.name, seed, kind)}.{kind}"
    url = f"{site.base_url}{DOWNLOAD_PATH}?filename={filename}&classid=0"
    return FileSpec(name=name, kind=kind, filename=filename, text=text, url=url, viewer=viewer)


def _classic(site: Site, column: str, article_id: str, published: date, **fields: object) -> Article:
    path = classic_path(column, published, article_id)
    return Article.model_validate(
        {
            "site": site.name,
            "column": column,
            "article_id": article_id,
            "path": path,
            "url": site.base_url + path,
            "published": published,
            "modified": published_at(published),
            "container": site.container,
            "meta_table": site.meta_table,
            **fields,
        }
    )


def seed_articles(sites: dict[str, Site]) -> list[Article]:
    """The catalogue: where each seed is published and with which page metadata."""
    province, city, county = sites["province"], sites["city"], sites["county"]
    policy = POLICY_COLUMN
    t000, t001, t002, t003, t004 = (seed_text(s) for s in ("000", "001", "002", "003", "004"))
    notice_002, attached_002 = _split_at(t002, "(此件公开发布)")
    title_000 = "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知"
    title_001 = "杭州市人民政府关于印发《关于推动经济高质量发展的若干政策(2026年版)》的通知"
    title_003 = "关于进一步推动经济高质量发展的若干政策（征求意见稿）"
    title_004 = "浙江省全球先进制造业基地建设“十四五”规划"
    body_003 = (
        f"为进一步提振市场信心，推动高质量发展继续走在前列，我委牵头起草了《{title_003}》，"
        "现向社会公开征求意见。\n公众可通过电子邮件提出意见建议，征求意见截止时间为2024年1月25日。"
    )
    body_004 = "浙江省人民政府关于印发浙江省全球先进制造业基地建设“十四五”规划的通知\n浙政发〔2021〕20号"
    news_path = f"/col/col{NEWS_COLUMN}/art/2026/art_{hex_id('province', '000', 'interpretation')}.html"
    interpretation = "\n".join(
        [
            "一图读懂《推动经济高质量发展若干政策(2026年版)》",
            *[p for p in paragraphs(t000) if p[:2] in _HEADS][:12],
        ]
    )
    return [
        _classic(
            province,
            policy,
            "2556789",
            date(2026, 2, 3),
            title=title_000,
            doc_number="浙政发〔2026〕6号",
            index_no="002482010/2026-00012",
            issuer="浙江省人民政府",
            validity="有效",
            infotype="C0201",
            seed="000",
            body=t000,
        ),
        _classic(
            province,
            policy,
            "2556512",
            date(2026, 1, 27),
            title="浙江省人民政府办公厅关于印发2026年政府工作报告重点工作责任分解的通知",
            doc_number="浙政办发〔2026〕4号",
            index_no="002482010/2026-00009",
            issuer="浙江省人民政府办公厅",
            validity="有效",
            infotype="C0202",
            seed="002",
            body=notice_002,
            attachments=(_file(province, "002", "重点工作责任分解.docx", "docx", attached_002),),
        ),
        _classic(
            province,
            policy,
            "2397520",
            date(2024, 1, 12),
            title=f"关于公开征求《{title_003}》意见的通知",
            index_no="002482011/2024-00006",
            issuer="浙江省发展和改革委员会",
            infotype="A0202",
            seed="003",
            body=body_003,
            attachments=(_file(province, "003", f"{title_003}.pdf", "pdf", t003),),
        ),
        _classic(
            province,
            policy,
            "2311458",
            date(2021, 7, 12),
            title="浙江省人民政府关于印发浙江省全球先进制造业基地建设“十四五”规划的通知",
            doc_number="浙政发〔2021〕20号",
            index_no="002482010/2021-00081",
            issuer="浙江省人民政府",
            validity="有效",
            infotype="C0201",
            seed="004",
            body=body_004,
            attachments=(_file(province, "004", f"{title_004}.pdf", "pdf", t004, viewer=True),),
        ),
        Article(
            site="province",
            column=NEWS_COLUMN,
            article_id=hex_id("province", "000", "interpretation"),
            path=news_path,
            url=province.base_url + news_path,
            title="一图读懂《推动经济高质量发展若干政策(2026年版)》",
            published=date(2026, 2, 4),
            modified=published_at(date(2026, 2, 4)),
            issuer="浙江省人民政府办公厅",
            seed="000",
            container="zc_article_con",
            meta_table="none",
            body=interpretation,
        ),
        _classic(
            city,
            "1229063386",
            "5891204",
            date(2026, 2, 10),
            title=title_001,
            doc_number="杭政〔2026〕3号",
            index_no="002489019/2026-00021",
            issuer="杭州市人民政府",
            validity="有效",
            infotype="C0201",
            seed="001",
            body=t001,
        ),
        _classic(
            county,
            "1229286542",
            "6012731",
            date(2026, 2, 5),
            title=title_000,
            doc_number="浙政发〔2026〕6号",
            index_no="002566112/2026-00031",
            issuer="淳安县人民政府办公室",
            validity="有效",
            infotype="C0201",
            seed="000",
            body=t000,
        ),
        _classic(
            county,
            "1229286542",
            "6012918",
            date(2026, 2, 12),
            title=title_001,
            doc_number="杭政〔2026〕3号",
            index_no="002566112/2026-00035",
            issuer="淳安县人民政府办公室",
            validity="有效",
            infotype="C0201",
            seed="001",
            body=t001,
        ),
    ]


_HEADS = ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、")
_SCALE_SEEDS = ("000", "001", "002")


def synthetic_articles(site: Site, count: int, first_id: int = 3000000) -> list[Article]:
    """`count` small articles derived from the seeds, for scale runs (one listing + N article URLs)."""
    texts = {seed: paragraphs(seed_text(seed)) for seed in _SCALE_SEEDS}
    articles = []
    newest = date(2025, 12, 31)
    for i in range(count):
        seed = _SCALE_SEEDS[i % len(_SCALE_SEEDS)]
        paras = texts[seed]
        start = (i * 7) % max(1, len(paras) - 8)
        number = i + 1
        articles.append(
            _classic(
                site,
                POLICY_COLUMN,
                str(first_id + i),
                newest - timedelta(days=i // 3),
                title=f"关于做好第{number}批经济高质量发展政策落实工作的通知",
                doc_number=f"浙政办函〔2025〕{number}号",
                index_no=f"002482010/2025-{number:05d}",
                issuer="浙江省人民政府办公厅",
                validity="有效",
                infotype="C0202",
                seed=seed,
                body="\n".join(paras[start : start + 8]),
            )
        )
    return articles
