"""Pieces of the HTTP client without sockets: charsets, back-off, Retry-After, host gates,
bounded decompression, secret masking, content checks; and the Fetcher over respx."""

from __future__ import annotations

import asyncio
import codecs
import gzip
import itertools
import random
import time
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import respx
from hypothesis import example, given
from hypothesis import strategies as st

from watcher.http import Fetcher, FetchError, FetchErrorKind, HttpSettings, Response, Validators, mask_url
from watcher.http.body import BadEncoding, BodyTooLarge, read_limited
from watcher.http.charset import document_charset, header_charset, sniff_and_decode
from watcher.http.policy import HostGate, backoff_delay, parse_retry_after
from watcher.http.redact import scrub, secret_parts
from watcher.http.sniff import accepts, looks_like_challenge

NOTICE = "浙江省人民政府关于印发《浙江省推动高质量发展若干政策》的通知 浙政发〔2026〕6号 鄞州区 ①"

# -- charsets ---------------------------------------------------------------------------------


def test_header_charset_wins_over_meta_and_gb_labels_mean_gb18030() -> None:
    assert header_charset("text/html; charset=GB2312") == "gb18030"
    assert header_charset('text/html; charset="utf-8"') == "utf-8"
    assert header_charset("text/html") is None
    assert header_charset("text/html; charset=no-such-thing") is None
    data = b'<meta charset="utf-8">' + NOTICE.encode("gbk")
    assert sniff_and_decode(data, "text/html; charset=gbk") == ('<meta charset="utf-8">' + NOTICE, "gb18030")


def test_meta_and_xml_declarations() -> None:
    assert document_charset(b'<html><head><meta charset="GBK">') == "gb18030"
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
    assert document_charset(meta) == "gb18030"
    assert document_charset(b'<?xml version="1.0" encoding="GB2312"?><datastore/>') == "gb18030"
    assert document_charset(b"<html><body>no declaration</body></html>") is None
    assert document_charset(b" " * 5000 + b"<meta charset=gbk>") is None  # only the head is scanned


def test_mislabelled_page_falls_through_to_a_charset_that_decodes() -> None:
    data = NOTICE.encode("gbk")
    assert sniff_and_decode(data, "text/html; charset=utf-8") == (NOTICE, "gb18030")
    assert sniff_and_decode(NOTICE.encode(), "text/html; charset=gb2312") == (NOTICE, "utf-8")
    latin = "Zhejiang café".encode("cp1252")
    assert sniff_and_decode(latin, "text/html; charset=iso-8859-1") == ("Zhejiang café", "cp1252")


def test_bom_and_undeclared_pages() -> None:
    assert sniff_and_decode(codecs.BOM_UTF8 + NOTICE.encode(), "text/html; charset=gbk") == (
        NOTICE,
        "utf-8-sig",
    )
    assert sniff_and_decode(NOTICE.encode("utf-16"), None) == (NOTICE, "utf-16")
    assert sniff_and_decode(NOTICE.encode(), None) == (NOTICE, "utf-8")
    assert sniff_and_decode(NOTICE.encode("gb18030"), None) == (NOTICE, "gb18030")
    assert sniff_and_decode(b"", "text/plain; charset=gbk") == ("", "gb18030")


def test_undecodable_bytes_never_raise() -> None:
    text, charset = sniff_and_decode(b"\xff\xfe\xfd\x80\x81" * 3 + b"\x00", "text/html; charset=utf-8")
    assert isinstance(text, str) and charset


def test_response_text_and_encoding() -> None:
    response = Response(
        url="http://a/",
        final_url="http://a/",
        status=200,
        headers={"content-type": "text/html"},
        body=b"<meta charset=gbk>" + NOTICE.encode("gbk"),
        elapsed=0.0,
    )
    assert response.text().endswith(NOTICE) and response.encoding == "gb18030"
    assert response.content_type == "text/html"


# -- back-off, Retry-After, host gates --------------------------------------------------------


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    rng = random.Random(7)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (10, 30.0), (10_000, 30.0)]:
        delays = [backoff_delay(attempt, 0.5, 30.0, rng) for _ in range(300)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > 0.8 * ceiling and min(delays) < 0.2 * ceiling


def test_retry_after_forms() -> None:
    now = datetime(2026, 2, 3, 8, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 0 ") == 0
    assert parse_retry_after("Tue, 03 Feb 2026 08:00:30 GMT", now=now) == 30
    assert parse_retry_after("Tue, 03 Feb 2026 07:00:00 GMT", now=now) == 0
    assert parse_retry_after("Tuesday, 03-Feb-26 08:01:00 GMT", now=now) == 60
    for junk in (None, "", "soon", "-5", "1.5", "99999999999999999999999"[:30] + "x"):
        assert parse_retry_after(junk) is None


async def test_host_gate_spaces_starts_and_defers() -> None:
    gate = HostGate(rate=20.0, concurrency=4)
    starts: list[float] = []

    async def one() -> None:
        async with gate.admit():
            starts.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(5)))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.05 - 0.005
    gate.defer(0.2)
    before = time.monotonic()
    await one()
    assert starts[-1] - before >= 0.19


async def test_unlimited_gate_does_not_wait() -> None:
    gate = HostGate(rate=None, concurrency=8)
    before = time.monotonic()
    for _ in range(200):
        async with gate.admit():
            pass
    assert time.monotonic() - before < 0.1


# -- bounded bodies ---------------------------------------------------------------------------


async def chunks(data: bytes, size: int = 65536) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_read_limited_plain_and_encoded() -> None:
    page = NOTICE.encode() * 500
    assert await read_limited(chunks(page), None, 10**6) == page
    assert await read_limited(chunks(page), "identity", 10**6) == page
    assert await read_limited(chunks(gzip.compress(page)), "gzip", 10**6) == page
    assert await read_limited(chunks(gzip.compress(gzip.compress(page))), "gzip, gzip", 10**6) == page
    assert await read_limited(chunks(zlib.compress(page), 7), "deflate", 10**6) == page
    assert await read_limited(chunks(zlib.compress(page), 1), "deflate", 10**6) == page
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    assert await read_limited(chunks(raw.compress(page) + raw.flush(), 1), "deflate", 10**6) == page
    # bytes after the end of the gzip member are ignored, not buffered
    assert await read_limited(chunks(gzip.compress(page) + b"\0" * 1000), "gzip", 10**6) == page


async def test_read_limited_refuses_oversize_and_bad_encodings() -> None:
    with pytest.raises(BodyTooLarge):
        await read_limited(chunks(b"x" * 1001), None, 1000)
    assert await read_limited(chunks(b"x" * 1000), None, 1000) == b"x" * 1000
    with pytest.raises(BodyTooLarge, match="decompressed"):
        await read_limited(chunks(gzip.compress(bytes(10**7))), "gzip", 10**6)
    for data, encoding in [
        (b"plain text", "gzip"),
        (gzip.compress(b"abc" * 1000)[:-30], "gzip"),
        (b"x", "br"),
        (b"x", "zstd"),
        (b"x", "gzip, gzip, gzip, gzip"),
    ]:
        with pytest.raises(BadEncoding):
            await read_limited(chunks(data), encoding, 10**6)


# -- secrets ----------------------------------------------------------------------------------


def test_mask_url() -> None:
    assert mask_url("http://user:pa%40ss@proxy.example:8080/x") == "http://user:***@proxy.example:8080/x"
    assert mask_url("http://token@proxy.example/") == "http://***@proxy.example/"
    assert mask_url("https://www.zj.gov.cn/col/col1229019364/index.html") == (
        "https://www.zj.gov.cn/col/col1229019364/index.html"
    )


@given(st.text(alphabet=st.characters(blacklist_characters="@/:?#[]%* \r\n\t\0"), min_size=4, max_size=20))
def test_secrets_never_survive_scrub(password: str) -> None:
    proxy = f"http://watcher:{password}@127.0.0.1:3128"
    message = f"ProxyError: could not reach {proxy} (password {password})"
    shown = scrub(message, secret_parts(proxy))
    assert password not in shown


# -- content checks ---------------------------------------------------------------------------


def test_accepts() -> None:
    assert accepts("application/pdf", "application/pdf")
    assert accepts("application/pdf", "application/PDF; name=x.pdf")
    assert not accepts("application/pdf", "text/html; charset=utf-8")
    assert accepts("application/pdf, */*;q=0.1", "text/html")
    assert not accepts("application/pdf, text/html;q=0", "text/html")
    assert accepts("text/*", "text/xml")
    assert accepts("application/pdf", None)


def test_challenge_detection() -> None:
    assert looks_like_challenge(
        "text/html", b"<script>document.cookie='a=b';location.href=location.href</script>"
    )
    assert looks_like_challenge(None, b"<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script>")
    article = (
        b"<html>" + b"<a href=/x>link</a>" * 10 + b"<script>document.cookie='fs=1';location.reload()</script>"
    )
    assert not looks_like_challenge("text/html", article)
    assert not looks_like_challenge("application/pdf", b"document.cookie=1;location.reload()")
    assert not looks_like_challenge("text/html", b"<p>document.cookie= location.reload</p>" + b" " * 30_000)


# -- Fetcher over respx (no sockets) ----------------------------------------------------------


@respx.mock
async def test_fetcher_error_is_picklable_and_carries_status() -> None:
    import pickle

    respx.get("http://zj.example/x").mock(return_value=httpx.Response(404))
    async with Fetcher(HttpSettings(per_host_rate=0)) as f:
        with pytest.raises(FetchError) as info:
            await f.get("http://zj.example/x")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.kind, copy.url, copy.status) == (FetchErrorKind.not_found, "http://zj.example/x", 404)


@respx.mock
async def test_304_without_new_validators_keeps_the_sent_ones() -> None:
    respx.get("http://zj.example/a").mock(return_value=httpx.Response(304))
    sent = Validators(etag='W/"abc"', last_modified="Tue, 03 Feb 2026 08:00:00 GMT")
    async with Fetcher(HttpSettings(per_host_rate=0)) as f:
        response = await f.get("http://zj.example/a", validators=sent)
    assert response.not_modified and response.body == b"" and response.validators == sent
    request = respx.calls.last.request
    assert request.headers["if-none-match"] == 'W/"abc"'


def test_settings_hide_the_proxy_and_validate() -> None:
    settings = HttpSettings(proxy="http://u:topsecret@127.0.0.1:3128")  # type: ignore[arg-type]
    assert "topsecret" not in repr(settings) and "topsecret" not in str(settings.model_dump())
    with pytest.raises(ValueError):
        HttpSettings(per_host_concurrency=0)
    assert not Validators() and Validators(etag='"x"')


@example(page=b"x" * 100, cuts=[1, 1], encoding="deflate", limit=5000)
@example(page=b"x" * 100, cuts=[1], encoding="raw-deflate", limit=5000)
@given(
    page=st.binary(max_size=5000),
    cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=30),
    encoding=st.sampled_from(["gzip", "deflate", "raw-deflate", "gzip, gzip", None]),
    limit=st.integers(min_value=1, max_value=6000),
)
async def test_any_chunking_decodes_the_same_and_never_passes_the_limit(
    page: bytes, cuts: list[int], encoding: str | None, limit: int
) -> None:
    if encoding == "gzip":
        wire = gzip.compress(page)
    elif encoding == "gzip, gzip":
        wire = gzip.compress(gzip.compress(page))
    elif encoding == "deflate":
        wire = zlib.compress(page)
    elif encoding == "raw-deflate":
        z = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        wire, encoding = z.compress(page) + z.flush(), "deflate"
    else:
        wire = page

    async def pieces() -> AsyncIterator[bytes]:
        at = 0
        for cut in cuts:
            yield wire[at : at + cut]
            at += cut
        yield wire[at:]

    try:
        body = await read_limited(pieces(), encoding, limit)
    except BodyTooLarge:
        assert len(page) > limit or len(wire) > limit
    else:
        assert body == page and len(body) <= limit


async def test_unusable_proxy_setting_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(ValueError, match="invalid proxy setting") as info:
        Fetcher(HttpSettings(proxy="ftp://watcher:pw-s3cret@127.0.0.1:21"))  # type: ignore[arg-type]
    assert "pw-s3cret" not in str(info.value)


@respx.mock
async def test_a_closed_fetcher_refuses_work() -> None:
    respx.get("http://zj.example/x").mock(return_value=httpx.Response(200))
    fetcher = Fetcher(HttpSettings(per_host_rate=0))
    await fetcher.get("http://zj.example/x")
    await fetcher.aclose()
    with pytest.raises(RuntimeError):
        await fetcher.get("http://zj.example/y")
