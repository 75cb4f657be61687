"""Listing pages across passes, against the replica over real 127.0.0.1 sockets: a GET listing
is conditional and a 304 reuses last pass's entries and pagination; a POST listing whose body
is unchanged is not parsed again; a publication shows; the depth limit holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from rawhttp import RawServer, reply, sequence

from parsers.adapters import ADAPTERS, Adapter, ListingPage, PageRequest
from watcher.fetch import FetchCache, fetch_listing, fetch_source
from watcher.http import Fetcher, HttpSettings
from watcher.replica import Publish, Reset
from watcher.replica.server import Replica, run_replica

pytestmark = pytest.mark.slow

FAST = HttpSettings(per_host_rate=0, per_host_concurrency=8, backoff_base=0.05, total_timeout=30)
COLUMN = "/col/col1229019364/index.html"
LIST = "/col/col1229019364/list.html"
FEED = "/col/col1229019364/rss.xml"
SEARCH = "/module/xxgk/search.jsp"


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with run_replica(articles=60) as running:
        yield running


@pytest.fixture
def site(replica: Replica) -> Iterator[Replica]:
    replica.clear_log()
    yield replica
    replica.event(Reset(content=True))
    replica.clear_log()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The adapters' parse calls, by adapter name: what a reused page must not cost."""
    calls: list[str] = []

    def counting(adapter: Adapter) -> Adapter:
        def parse(body: str | bytes, request: PageRequest, sel: Any) -> ListingPage:
            calls.append(adapter.name)
            return adapter.parse_fn(body, request, sel)

        return dataclasses.replace(adapter, parse_fn=parse)

    for name, adapter in list(ADAPTERS.items()):
        monkeypatch.setitem(ADAPTERS, name, counting(adapter))
    return calls


async def test_second_pass_of_a_get_listing_is_a_304_with_the_same_entries(
    site: Replica, parses: list[str]
) -> None:
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        cold = await fetch_listing(fetcher, site.url(LIST), "html-list", depth=3, cache=cache)
        site.clear_log()
        parses.clear()
        warm = await fetch_listing(fetcher, site.url(LIST), "html-list", depth=3, cache=cache)
    assert (cold.pages, cold.reused, len(cold.entries)) == (3, 0, 60) and not cold.errors
    assert (warm.pages, warm.reused) == (3, 3) and warm.entries == cold.entries
    log = [r for r in site.request_log if r.path.startswith("/col/")]
    assert len(log) == 3 and {r.status for r in log} == {304}
    assert all(r.headers.get("if-none-match") for r in log)
    assert parses == []


async def test_a_publication_shows_on_the_next_pass(site: Replica) -> None:
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        cold = await fetch_listing(fetcher, site.url(FEED), "feed", cache=cache)
        warm = await fetch_listing(fetcher, site.url(FEED), "feed", cache=cache)
        article = site.event(Publish(title="关于缓存测试的新通知")).article
        assert article is not None
        site.clear_log()
        after = await fetch_listing(fetcher, site.url(FEED), "feed", cache=cache)
    assert warm.reused == 1 and warm.entries == cold.entries
    assert [r.status for r in site.request_log if r.path == FEED] == [200]
    assert after.reused == 0 and after.entries[0].url == article.url
    assert after.entries[0].title == "关于缓存测试的新通知" and after.entries[1:] == cold.entries


async def test_post_pages_with_an_unchanged_body_are_not_parsed_again(
    site: Replica, parses: list[str]
) -> None:
    cache = FetchCache()
    form = {"form": {"infotypeId": "C0202"}}
    async with Fetcher(FAST) as fetcher:
        cold = await fetch_listing(fetcher, site.url(SEARCH), "xxgk-search", form, depth=2, cache=cache)
        parses.clear()
        site.clear_log()
        warm = await fetch_listing(fetcher, site.url(SEARCH), "xxgk-search", form, depth=2, cache=cache)
    assert (cold.pages, len(cold.entries)) == (2, 30) and not cold.errors
    assert (warm.pages, warm.reused) == (2, 2) and warm.entries == cold.entries
    assert [(r.method, r.status) for r in site.request_log] == [("POST", 200)] * 2
    assert parses == []


async def test_jcms_column_then_dataproxy_from_a_serialized_cache(site: Replica) -> None:
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        cold = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=50, cache=cache)
        cache = FetchCache.model_validate_json(cache.model_dump_json())
        site.clear_log()
        warm = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=50, cache=cache)
        log = list(site.request_log)
        site.event(Publish(title="关于数据代理分页的新通知"))
        after = await fetch_listing(fetcher, site.url(COLUMN), "jcms-column", depth=50, cache=cache)
    assert cold.pages == warm.pages == warm.reused and cold.pages > 1 and warm.entries == cold.entries
    assert (log[0].method, log[0].path, log[0].status) == ("GET", COLUMN, 304)
    assert all(r.method == "POST" for r in log[1:]) and len(log) == cold.pages
    assert after.reused == 0 and after.entries[0].title == "关于数据代理分页的新通知"
    assert {e.url for e in after.entries} >= {e.url for e in cold.entries}


async def test_depth_still_limits_a_reused_listing(site: Replica) -> None:
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        await fetch_listing(fetcher, site.url(LIST), "html-list", depth=3, cache=cache)
        site.clear_log()
        one = await fetch_listing(fetcher, site.url(LIST), "html-list", depth=1, cache=cache)
        two = await fetch_listing(fetcher, site.url(LIST), "html-list", depth=2, cache=cache)
    assert (one.pages, one.reused, len(one.entries)) == (1, 1, 20)
    assert (two.pages, two.reused, len(two.entries)) == (2, 2, 40)
    assert [r.status for r in site.request_log] == [304] * 3


async def test_fetch_source_keeps_the_listing_in_its_cache(site: Replica) -> None:
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        await fetch_source(fetcher, site.url(FEED), "feed", cache=cache, max_articles=3)
        site.clear_log()
        warm = await fetch_source(fetcher, site.url(FEED), "feed", cache=cache, max_articles=3)
    assert warm.listing.reused == 1 and not warm.errors
    assert {r.status for r in site.request_log} == {304} and len(site.request_log) == 4


async def test_a_304_that_renews_the_etag_is_remembered(raw_server: RawServer) -> None:
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>关于某事的通知</title><link>http://127.0.0.1/art/2026/1/1/art_1_1.html</link></item>"
        "</channel></rss>"
    ).encode()
    raw_server.routes["/rss.xml"] = sequence(
        reply(200, feed, {"Content-Type": "application/rss+xml", "ETag": '"a"'}),
        reply(304, headers={"ETag": '"b"'}),
    )
    cache = FetchCache()
    async with Fetcher(FAST) as fetcher:
        passes = [
            await fetch_listing(fetcher, raw_server.url("/rss.xml"), "feed", cache=cache) for _ in range(3)
        ]
    assert [p.reused for p in passes] == [0, 1, 1] and passes[2].entries == passes[0].entries
    assert [r.headers.get("if-none-match") for r in raw_server.hits("/rss.xml")] == [None, '"a"', '"b"']
