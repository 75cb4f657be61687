"""The HTTP client against the replica site (real servers on 127.0.0.1): its GBK county site,
conditional GET, and the failures it can be told to script."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from watcher.http import Fetcher, FetchError, FetchErrorKind, HttpSettings
from watcher.replica.events import Fail, Reset, Slow, Truncate
from watcher.replica.server import Replica, run_replica

QUICK = HttpSettings(per_host_rate=0, backoff_base=0.01, backoff_max=3, read_timeout=5, total_timeout=10)
POLICY_COLUMN = "/col/col1229019364/index.html"


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with run_replica() as running:
        yield running


@pytest.fixture
def site(replica: Replica) -> Iterator[Replica]:
    yield replica
    replica.event(Reset(content=False))


async def test_gbk_county_article_and_utf8_province_decode(site: Replica) -> None:
    county = site.site.article("000", "county")
    province = site.site.article("000", "province")
    async with Fetcher(QUICK) as f:
        gbk, utf8 = await f.get(county.url), await f.get(province.url)
    assert gbk.encoding == "gb18030" and "charset=utf-8" not in gbk.headers.get("content-type", "").lower()
    assert utf8.encoding == "utf-8"
    for response in (gbk, utf8):
        assert "推动经济高质量发展若干政策" in response.text()
        assert "\ufffd" not in response.text()


async def test_conditional_get_against_the_replica(site: Replica) -> None:
    url = site.site.article("002").url
    async with Fetcher(QUICK) as f:
        cold = await f.get(url)
        warm = await f.get(url, validators=cold.validators)
    assert cold.status == 200 and cold.validators
    assert warm.not_modified and warm.body == b""


async def test_scripted_412s_are_retried_through(site: Replica) -> None:
    site.event(Fail(status=412, count=2))
    async with Fetcher(QUICK) as f:
        response = await f.get(site.url(POLICY_COLUMN))
    assert response.status == 200 and response.attempts == 3


@pytest.mark.slow
async def test_scripted_429_retry_after_is_honoured(site: Replica) -> None:
    site.event(Fail(status=429, retry_after=1, count=1))
    async with Fetcher(QUICK) as f:
        started = time.monotonic()
        response = await f.get(site.url(POLICY_COLUMN))
    assert response.attempts == 2 and time.monotonic() - started >= 0.95


async def test_scripted_truncation_is_retried_and_persistent_failure_classified(site: Replica) -> None:
    article = site.site.article("000").url
    site.event(Truncate(keep=0.5, count=1))
    async with Fetcher(QUICK) as f:
        recovered = await f.get(article)
        site.event(Fail(status=503, site="province"))
        results = await f.fetch_many([article, site.site.article("001", "city").url])
    assert recovered.attempts == 2 and "推动经济高质量发展" in recovered.text()
    failed, other = results
    assert isinstance(failed, FetchError) and failed.kind is FetchErrorKind.server_error
    assert not isinstance(other, FetchError) and other.status == 200


async def test_scripted_slowness_times_out(site: Replica) -> None:
    site.event(Slow(delay=1.0, count=1))
    async with Fetcher(QUICK.model_copy(update={"read_timeout": 0.2, "max_retries": 0})) as f:
        with pytest.raises(FetchError) as info:
            await f.get(site.url(POLICY_COLUMN))
    assert info.value.kind is FetchErrorKind.timeout
