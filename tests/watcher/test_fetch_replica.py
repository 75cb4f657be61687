"""Fetch passes against the replica over real 127.0.0.1 sockets (no HTTP mocking): every adapter,
pagination depth, the GBK county site, PDF and DOCX attachments into the clause schema,
conditional GET on a second pass, and back-off on scripted 412/429 with Retry-After."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor
from urllib.parse import urlencode

import pytest

from parsers.schema import Document
from watcher.fetch import (
    ArticleResult,
    FetchCache,
    fetch_article,
    fetch_articles,
    fetch_listing,
    fetch_source,
    parse_pool,
)
from watcher.http import Fetcher, HttpSettings
from watcher.replica import Edit, Fail, Reset
from watcher.replica.pages import proxy_params
from watcher.replica.server import Replica, run_replica

pytestmark = pytest.mark.slow

FAST = HttpSettings(
    per_host_rate=0, per_host_concurrency=8, backoff_base=0.05, backoff_max=5, total_timeout=30
)
COLUMN = "/col/col1229019364/index.html"
SYNTHETIC = 100


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with run_replica(articles=SYNTHETIC) as running:
        yield running


@pytest.fixture
def site(replica: Replica) -> Iterator[Replica]:
    yield replica
    replica.event(Reset())
    replica.clear_log()


def _listed(site: Replica, name: str = "province") -> list[str]:
    snapshot = site.site
    return [a.url for a in snapshot.listed(name, snapshot.sites[name].columns[0].id)]


def _all_text(documents: list[Document]) -> str:
    return "\n".join([d.preamble for d in documents] + [c.text for d in documents for c in d.clauses])


async def test_jcms_column_follows_datastore_then_dataproxy_to_the_depth(site: Replica) -> None:
    expected = _listed(site)
    async with Fetcher(FAST) as fetcher:
        one = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=1)
        two = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=2)
        everything = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=50)
    assert (one.pages, len(one.entries)) == (1, 45)
    assert (two.pages, len(two.entries)) == (2, 90)
    assert [e.url for e in everything.entries] == expected and everything.pages == 3
    assert not everything.errors
    posts = [r for r in site.request_log if r.method == "POST"]
    assert posts and all(r.path == "/module/jpage/dataproxy.jsp" and r.status == 200 for r in posts)
    first = everything.entries[0]
    assert first.title.startswith("浙江省人民政府关于印发") and first.date is not None


async def test_jcms_dataproxy_with_configured_fields_and_without(site: Replica) -> None:
    province = site.site.sites["province"]
    fields = proxy_params(province, province.columns[0])
    selectors = {k: fields[k] for k in ("webid", "unitid", "webname")}
    async with Fetcher(FAST) as fetcher:
        configured = await fetch_listing(fetcher, site.url(COLUMN), "jcms-dataproxy", selectors, depth=2)
        bare = await fetch_listing(fetcher, site.url(COLUMN), "jcms-dataproxy", depth=2)
        query = urlencode({"startrecord": 1, "endrecord": 30, "perpage": 15, **fields})
        direct = await fetch_listing(
            fetcher, site.url(f"/module/jpage/dataproxy.jsp?{query}"), "jcms-dataproxy", depth=1
        )
    assert not configured.errors and not bare.errors and not direct.errors
    assert [e.url for e in configured.entries] == _listed(site)[:90]
    assert [e.url for e in bare.entries] == _listed(site)[:90]
    assert [e.url for e in direct.entries] == _listed(site)[:30]


async def test_city_fg_list_rows_show_the_doc_number(site: Replica) -> None:
    async with Fetcher(FAST) as fetcher:
        listing = await fetch_listing(
            fetcher, site.url("/col/col1229063386/index.html", "city"), "jcms-column"
        )
    assert [(e.doc_number, e.title[:7]) for e in listing.entries] == [("杭政〔2026〕3号", "杭州市人民政府")]


async def test_xxgk_search_pages_by_post_to_the_depth(site: Replica) -> None:
    async with Fetcher(FAST) as fetcher:
        first_two = await fetch_listing(
            fetcher,
            site.url("/module/xxgk/search.jsp"),
            "xxgk-search",
            {"form": {"infotypeId": "C0202"}},
            depth=2,
        )
        documents = await fetch_listing(
            fetcher,
            site.url("/module/xxgk/search.jsp"),
            "xxgk-search",
            {"form": {"infotypeId": "C0201"}},
            depth=5,
        )
    assert first_two.pages == 2 and len(first_two.entries) == 30 and not first_two.errors
    assert all(e.doc_number and e.date for e in first_two.entries)
    assert documents.pages == 1
    assert {e.doc_number for e in documents.entries} == {"浙政发〔2026〕6号", "浙政发〔2021〕20号"}


async def test_html_list_and_feed(site: Replica) -> None:
    async with Fetcher(FAST) as fetcher:
        html = await fetch_listing(fetcher, site.url("/col/col1229019364/list.html"), "html-list", depth=3)
        feed = await fetch_listing(fetcher, site.url("/col/col1229019364/rss.xml"), "feed")
    assert (html.pages, len(html.entries)) == (3, 60)
    assert [e.url for e in html.entries] == _listed(site)[:60]
    assert [e.url for e in feed.entries] == _listed(site)
    assert feed.entries[0].doc_number == "浙政发〔2026〕6号"


async def test_gbk_county_site_listing_and_article(site: Replica) -> None:
    async with Fetcher(FAST) as fetcher:
        listing = await fetch_listing(
            fetcher, site.url("/col/col1229286542/index.html", "county"), "jcms-column"
        )
        result = await fetch_article(fetcher, site.site.article("000", "county").url)
    assert [e.title for e in listing.entries] == [a.title for a in site.site.listed("county")]
    assert all("\ufffd" not in e.title for e in listing.entries)
    assert result.status == "new" and not result.errors
    doc = result.documents[0]
    assert doc.doc_number == "浙政发〔2026〕6号" and doc.issuer == "浙江省人民政府"
    assert len(doc.clauses) > 20 and "推动经济高质量发展" in (doc.notice_title or "")


async def test_pdf_and_docx_attachment_text_reaches_the_clause_schema(site: Replica) -> None:
    urls = [site.site.article(seed).url for seed in ("002", "003", "004")]
    async with Fetcher(FAST) as fetcher:
        docx_result, pdf_result, viewer_result = await fetch_articles(fetcher, urls)
    for result in (docx_result, pdf_result, viewer_result):
        assert result.status == "new" and not result.errors, result.errors
        assert result.documents[0].attachments
        assert all(a.text_extracted and a.sha256 for d in result.documents for a in d.attachments)
    assert docx_result.documents[0].attachments[0].media_type.endswith("wordprocessingml.document")  # type: ignore[union-attr]
    assert len(docx_result.documents[0].clauses) > 100  # the clauses live in the DOCX, not the page
    draft = pdf_result.documents[0]
    assert draft.attachments[0].media_type == "application/pdf"
    assert "扩大有效投资" in _all_text(pdf_result.documents) and "公开征求" in _all_text(pdf_result.documents)
    assert draft.issuer == "浙江省发展和改革委员会"  # from the page's metadata table
    plan = viewer_result.documents[0]  # linked only through `var pdfurl = "..."`
    assert plan.doc_number == "浙政发〔2021〕20号" and len(plan.clauses) > 10
    # The PDF is a gazette issue holding several notices; the file is recorded once, on the
    # page's main document.
    assert len(viewer_result.documents) > 1 and len(plan.attachments) == 1
    assert all(not d.attachments for d in viewer_result.documents[1:])


async def test_second_pass_is_conditional_and_an_edit_is_seen(site: Replica) -> None:
    cache = FetchCache()
    article = site.site.article("000")
    async with Fetcher(FAST) as fetcher:
        cold = await fetch_source(fetcher, site.url(COLUMN), "jcms-column", cache=cache, max_articles=20)
        site.clear_log()
        warm = await fetch_source(fetcher, site.url(COLUMN), "jcms-column", cache=cache, max_articles=20)
        warm_log = [r for r in site.request_log if r.path.startswith("/art/")]
        site.event(Edit(url=article.url, old="7800亿元", new="8000亿元"))
        edited = await fetch_source(fetcher, site.url(COLUMN), "jcms-column", cache=cache, max_articles=20)
    assert {r.status for r in cold.articles} == {"new"} and not cold.errors
    assert {r.status for r in warm.articles} == {"unchanged"} and not warm.errors
    assert len(warm_log) == 20 and {r.status for r in warm_log} == {304}
    assert all("if-none-match" in r.headers for r in warm_log)
    changed = [r for r in edited.articles if r.status != "unchanged"]
    assert [(r.url, r.status) for r in changed] == [(article.url, "changed")]
    text = _all_text(changed[0].documents)
    assert "8000亿元" in text and "7800亿元" not in text


async def test_chrome_only_changes_count_as_unchanged_without_validators(site: Replica) -> None:
    cache = FetchCache()
    url = site.site.article("000").url
    async with Fetcher(FAST) as fetcher:
        first = await fetch_article(fetcher, url, cache)
        cache.pages[url].validators = type(cache.pages[url].validators)()  # forget ETag/Last-Modified
        second = await fetch_article(fetcher, url, cache)
    statuses = [r.status for r in site.request_log if r.target.startswith("/art/")]
    assert statuses == [200, 200]  # the second body differs (visit counter, clock, related links)
    assert (first.status, second.status) == ("new", "unchanged")


async def test_back_off_on_412_and_429_with_retry_after(site: Replica) -> None:
    url = site.site.article("000").url
    site.event(Fail(status=429, retry_after=1, count=1, path=r"^/art/2026/2/3/"))
    site.event(Fail(status=412, count=2, path=r"^/art/2026/1/27/"))
    started = time.monotonic()
    async with Fetcher(FAST) as fetcher:
        results = await fetch_articles(fetcher, [url, site.site.article("002").url])
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == ["new", "new"], [r.errors for r in results]
    statuses = [(r.path, r.status) for r in site.request_log if r.path.startswith("/art/")]
    assert statuses.count((site.site.article("000").path, 429)) == 1
    assert statuses.count((site.site.article("002").path, 412)) == 2
    assert elapsed >= 1.0  # Retry-After: 1 was honoured


async def test_persistent_block_is_classified_for_that_url_and_others_finish(site: Replica) -> None:
    site.event(Fail(status=412, path=r"^/art/2026/2/3/"))
    site.event(Fail(status=404, path=r"^/art/2026/1/27/"))
    urls = [site.site.article(seed).url for seed in ("000", "002")] + _listed(site)[10:15]
    async with Fetcher(FAST.model_copy(update={"max_retries": 1})) as fetcher:
        results = await fetch_articles(fetcher, urls)
    assert [(e.kind, e.status) for e in results[0].errors] == [("blocked", 412)]
    assert [(e.kind, e.status) for e in results[1].errors] == [("not_found", 404)]
    assert [r.status for r in results] == ["failed", "failed"] + ["new"] * 5


async def test_parse_pool_gives_the_same_documents(site: Replica) -> None:
    urls = [site.site.article(seed).url for seed in ("000", "002")] + _listed(site)[20:24]
    pool = parse_pool(1)
    try:
        async with Fetcher(FAST) as fetcher:
            inline = await fetch_articles(fetcher, urls)
            pooled = await fetch_articles(fetcher, urls, pool=pool)
    finally:
        pool.shutdown()
    assert [r.status for r in pooled] == ["new"] * len(urls)

    def content(results: list[ArticleResult]) -> list[list[dict[str, object]]]:
        # Source.sha256 hashes the page as served, and the chrome differs on every request.
        return [[d.model_dump(exclude={"source"}) for d in r.documents] for r in results]

    assert content(pooled) == content(inline) and all(r.documents for r in pooled)


async def test_a_broken_parse_pool_falls_back_to_parsing_here(site: Replica) -> None:
    pool = parse_pool(1)
    try:
        with pytest.raises(BrokenExecutor):
            pool.submit(os._exit, 1).result(timeout=60)  # the worker dies
        async with Fetcher(FAST) as fetcher:
            results = await fetch_articles(fetcher, _listed(site)[30:33], pool=pool)
    finally:
        pool.shutdown()
    assert [r.status for r in results] == ["new"] * 3 and all(r.documents for r in results)


async def test_a_direct_document_url_is_compared_by_content(site: Replica) -> None:
    cache = FetchCache()
    url = site.url(site.site.article("002").attachments[0].path)
    async with Fetcher(FAST) as fetcher:
        first = await fetch_article(fetcher, url, cache)
        cache.pages[url].validators = type(cache.pages[url].validators)()
        second = await fetch_article(fetcher, url, cache)
    assert first.status == "new" and len(first.documents[0].clauses) > 100
    assert second.status == "unchanged"


async def test_an_attachment_that_fails_later_keeps_its_last_text(site: Replica) -> None:
    cache = FetchCache()
    article = site.site.article("002")
    attachment = article.attachments[0]
    async with Fetcher(FAST.model_copy(update={"max_retries": 0})) as fetcher:
        first = await fetch_article(fetcher, article.url, cache)
        site.event(
            Edit(url=article.url, old="各市、县(市、区)人民政府", new="各市、县(市、区)人民政府、各开发区")
        )
        site.event(Fail(status=500, path=r"^/module/download/"))
        second = await fetch_article(fetcher, article.url, cache)
    assert first.status == "new" and second.status == "changed"
    assert [(e.stage, e.kind) for e in second.errors] == [("attachment", "server_error")]
    assert second.errors[0].url == attachment.url
    # The DOCX clauses are still there: a failed download is not a deleted policy.
    assert len(second.documents[0].clauses) == len(first.documents[0].clauses)


async def test_a_parser_failure_is_reported_and_retried_next_pass(
    site: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watcher.fetch as fetch_module

    cache = FetchCache()
    url = site.site.article("000").url
    real = fetch_module.article_documents

    def broken(*args: object) -> object:
        raise RuntimeError("parser bug")

    async with Fetcher(FAST) as fetcher:
        monkeypatch.setattr(fetch_module, "article_documents", broken)
        failed = await fetch_article(fetcher, url, cache)
        monkeypatch.setattr(fetch_module, "article_documents", real)
        retried = await fetch_article(fetcher, url, cache)
    assert failed.status == "failed" and [(e.kind, e.message) for e in failed.errors] == [
        ("internal", "parser failed: RuntimeError")
    ]
    assert retried.status == "new" and retried.documents
