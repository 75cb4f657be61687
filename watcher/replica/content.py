"""The replica's live content: articles by site and path, changed by content events.

Owned by the server's event loop; other threads read it through snapshots (`Snapshot`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from watcher.replica.events import Edit, EventError, Publish, Target, Withdraw
from watcher.replica.site import (
    BEIJING,
    DOWNLOAD_PATH,
    NEWS_COLUMN,
    Article,
    FileSpec,
    Site,
    build_sites,
    classic_path,
    hex_id,
    paragraphs,
    published_at,
    seed_articles,
    seed_text,
    synthetic_articles,
)


class Snapshot(BaseModel):
    """The content model as tests see it: sites (with base URLs) and every article, withdrawn ones included."""

    model_config = ConfigDict(frozen=True)

    sites: dict[str, Site]
    articles: list[Article]

    def article(self, seed: str, site: str = "province") -> Article:
        for article in self.articles:
            if article.seed == seed and article.site == site and article.column != NEWS_COLUMN:
                return article
        raise KeyError(f"no article of seed {seed!r} on site {site!r}")

    def listed(self, site: str = "province", column: str | None = None) -> list[Article]:
        chosen = [
            a for a in self.articles if a.site == site and a.listed and (column is None or a.column == column)
        ]
        return sorted(chosen, key=_order, reverse=True)


def _order(article: Article) -> tuple[object, ...]:
    number = int(article.article_id) if article.article_id.isdigit() else 0
    return (article.published, number, article.article_id)


class Content:
    def __init__(self, base_urls: dict[str, str], synthetic: int = 0) -> None:
        self.sites = build_sites(base_urls)
        self._initial = seed_articles(self.sites) + synthetic_articles(self.sites["province"], synthetic)
        self.version = 0
        self.reset()

    def reset(self) -> None:
        self.articles: dict[tuple[str, str], Article] = {(a.site, a.path): a for a in self._initial}
        self.files: dict[tuple[str, str], tuple[str, str]] = {}
        for article in self._initial:
            self._index_files(article)
        self.changed: dict[tuple[str, str], datetime] = {}
        self._last_change = datetime(2000, 1, 1, tzinfo=UTC)
        self._listed: dict[tuple[str, str], list[Article]] = {}
        self.version += 1

    def _index_files(self, article: Article) -> None:
        for spec in article.attachments:
            self.files[(article.site, spec.filename)] = (article.site, article.path)

    def _touch(self) -> datetime:
        """A change time strictly later (by whole seconds, as HTTP dates go) than the previous one."""
        now = datetime.now(UTC).replace(microsecond=0)
        self._last_change = max(now, self._last_change + timedelta(seconds=1))
        return self._last_change

    def _changed(self, article: Article) -> None:
        self.articles[(article.site, article.path)] = article
        self._index_files(article)
        self._listed.clear()
        self.version += 1

    def snapshot(self) -> Snapshot:
        return Snapshot(sites=self.sites, articles=list(self.articles.values()))

    def listed(self, site: str, column: str) -> list[Article]:
        key = (site, column)
        if key not in self._listed:
            chosen = [a for a in self.articles.values() if a.site == site and a.column == column and a.listed]
            self._listed[key] = sorted(chosen, key=_order, reverse=True)
        return self._listed[key]

    def listed_in_site(self, site: str) -> list[Article]:
        return [a for column in self.sites[site].columns for a in self.listed(site, column.id)]

    def column_changed(self, site: str, column: str) -> datetime:
        return self.changed.get((site, column), datetime(2000, 1, 1, tzinfo=UTC))

    def article(self, site: str, path: str) -> Article | None:
        return self.articles.get((site, path))

    def file(self, site: str, filename: str) -> tuple[Article, FileSpec] | None:
        owner = self.files.get((site, filename))
        if owner is None:
            return None
        article = self.articles[owner]
        spec = next((f for f in article.attachments if f.filename == filename), None)
        return (article, spec) if spec is not None else None

    def find(self, target: Target) -> Article:
        if target.url is not None:
            for article in self.articles.values():
                if article.url == target.url:
                    return article
            raise EventError(f"no article at {target.url}")
        self._site(target.site)
        if target.path is not None:
            found = self.articles.get((target.site, target.path))
            if found is None:
                raise EventError(f"no article at {target.path} on site {target.site!r}")
            return found
        if target.seed is not None:
            for article in self.articles.values():
                if (
                    article.site == target.site
                    and article.seed == target.seed
                    and article.column != NEWS_COLUMN
                ):
                    return article
            raise EventError(f"no article of seed {target.seed!r} on site {target.site!r}")
        raise EventError("name the article by url, path or seed")

    def _site(self, name: str) -> Site:
        site = self.sites.get(name)
        if site is None:
            raise EventError(f"unknown site {name!r} (have {', '.join(self.sites)})")
        return site

    def publish(self, event: Publish) -> Article:
        site = self._site(event.site)
        column = site.column(event.column) if event.column else site.columns[0]
        if column is None:
            raise EventError(f"unknown column {event.column!r} on site {site.name!r}")
        try:
            text = event.body if event.body is not None else seed_text(event.seed)
        except KeyError as exc:
            raise EventError(str(exc.args[0])) from exc
        _encodable(site, event.title, text, event.doc_number or "")
        published = event.published or datetime.now(BEIJING).date()
        numbers = [int(a.article_id) for a in self.articles.values() if a.article_id.isdigit()]
        article_id = str(max(numbers, default=2600000) + 1)
        path = classic_path(column.id, published, article_id)
        attachments: tuple[FileSpec, ...] = ()
        body = text
        if event.attach is not None:
            filename = f"{hex_id(site.name, article_id, event.attach)}.{event.attach}"
            url = f"{site.base_url}{DOWNLOAD_PATH}?filename={filename}&classid=0"
            name = f"{event.title}.{event.attach}"
            attachments = (FileSpec(name=name, kind=event.attach, filename=filename, text=text, url=url),)
            body = "\n".join(paragraphs(text)[:3])
        modified = max(self._touch(), published_at(published))
        article = Article(
            site=site.name,
            column=column.id,
            article_id=article_id,
            path=path,
            url=site.base_url + path,
            title=event.title,
            published=published,
            modified=modified,
            doc_number=event.doc_number,
            issuer=site.title,
            validity="有效",
            infotype="C0201",
            seed=event.seed if event.body is None else None,
            container=site.container,
            meta_table=site.meta_table,
            body=body,
            attachments=attachments,
        )
        self.changed[(site.name, column.id)] = modified
        self._changed(article)
        return article

    def edit(self, event: Edit) -> Article:
        article = self.find(event)
        _encodable(self.sites[article.site], event.new)
        body = _replace(article.body, event)
        attachments = article.attachments
        if body is None:
            for index, spec in enumerate(attachments):
                text = _replace(spec.text, event)
                if text is not None:
                    changed = spec.model_copy(update={"text": text})
                    attachments = (*attachments[:index], changed, *attachments[index + 1 :])
                    break
            else:
                where = f" after {event.after!r}" if event.after else ""
                raise EventError(f"{event.old!r}{where} not found in {article.url} or its attachments")
            body = article.body
        edited = article.model_copy(
            update={"body": body, "attachments": attachments, "modified": self._touch()}
        )
        self._changed(edited)
        return edited

    def withdraw(self, event: Withdraw) -> Article:
        article = self.find(event)
        withdrawn = article.model_copy(update={"listed": False, "gone": event.mode == "gone"})
        self.changed[(article.site, article.column)] = self._touch()
        self._changed(withdrawn)
        return withdrawn


def _encodable(site: Site, *texts: str) -> None:
    for text in texts:
        try:
            text.encode(site.charset)
        except UnicodeEncodeError as exc:
            raise EventError(
                f"{text[exc.start : exc.end]!r} cannot be written in {site.name}'s {site.charset}"
            ) from exc


def _replace(text: str, event: Edit) -> str | None:
    start = 0
    if event.after is not None:
        anchor = text.find(event.after)
        if anchor < 0:
            return None
        start = anchor + len(event.after)
    at = text.find(event.old, start)
    if at < 0:
        return None
    return text[:at] + event.new + text[at + len(event.old) :]
