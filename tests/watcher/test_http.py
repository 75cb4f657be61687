"""The HTTP client against real servers on 127.0.0.1: politeness, retries, conditional GET,
hostile bodies, redirects, timeouts, charsets and per-URL isolation."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import logging
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from rawhttp import RawRequest, RawServer, http_response, reply, sequence

from watcher.http import Fetcher, FetchError, FetchErrorKind, HttpSettings, Validators

FAST = HttpSettings(
    per_host_rate=0, backoff_base=0.01, backoff_max=2.0, connect_timeout=2, read_timeout=2, total_timeout=5
)


def fast(**changes: object) -> HttpSettings:
    return HttpSettings.model_validate({**FAST.model_dump(), **changes})


async def fail(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetcher.get(url, **kwargs)  # type: ignore[arg-type]
    return info.value


async def hang(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(60)


# -- retries and back-off ---------------------------------------------------------------------


@pytest.mark.slow
async def test_412_retry_after_seconds_is_honoured(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = sequence(reply(412, headers={"Retry-After": "1"}), reply(200, b"ok"))
    async with Fetcher(fast()) as f:
        response = await f.get(raw_server.url("/p"))
    first, second = raw_server.hits("/p")
    assert response.status == 200 and response.body == b"ok"
    assert response.attempts == 2
    assert 0.95 <= second.at - first.at < 2.5


@pytest.mark.slow
async def test_429_retry_after_http_date_is_honoured(raw_server: RawServer) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    raw_server.routes["/p"] = sequence(reply(429, headers={"Retry-After": when}), reply(200, b"ok"))
    async with Fetcher(fast()) as f:
        response = await f.get(raw_server.url("/p"))
    first, second = raw_server.hits("/p")
    assert response.attempts == 2
    # HTTP-dates have one-second resolution, so the wait is between 1 and 2 seconds.
    assert 0.9 <= second.at - first.at < 3.5


async def test_retry_after_beyond_backoff_max_gives_up_and_slows_the_host(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = sequence(reply(503, headers={"Retry-After": "3600"}), reply(200, b"ok"))
    raw_server.routes["/q"] = reply(200, b"q")
    async with Fetcher(fast(backoff_max=0.3)) as f:
        started = time.monotonic()
        error = await fail(f, raw_server.url("/p"))
        gave_up = time.monotonic() - started
        await f.get(raw_server.url("/q"))
    assert error.kind is FetchErrorKind.server_error and error.attempts == 1
    assert "asked to wait 3600 s" in error.message
    assert gave_up < 0.25  # no wait for the URL itself ...
    assert raw_server.hits("/q")[0].at - raw_server.hits("/p")[0].at >= 0.28  # ... but the host slowed


async def test_500_retries_with_backoff_then_succeeds(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = sequence(reply(500), reply(502), reply(200, b"ok"))
    async with Fetcher(fast(backoff_base=0.05)) as f:
        response = await f.get(raw_server.url("/p"))
    assert response.attempts == 3 and response.body == b"ok"
    assert len(raw_server.hits("/p")) == 3


async def test_persistent_500_is_server_error_after_all_attempts(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = reply(500)
    async with Fetcher(fast(max_retries=2)) as f:
        error = await fail(f, raw_server.url("/p"))
    assert error.kind is FetchErrorKind.server_error and error.status == 500
    assert error.attempts == 3 and len(raw_server.hits("/p")) == 3


async def test_persistent_429_is_rate_limited(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = reply(429, headers={"Retry-After": "0"})
    async with Fetcher(fast(max_retries=3)) as f:
        error = await fail(f, raw_server.url("/p"))
    assert error.kind is FetchErrorKind.rate_limited and error.attempts == 4


async def test_persistent_412_is_blocked(raw_server: RawServer) -> None:
    raw_server.routes["/p"] = reply(412)
    async with Fetcher(fast(max_retries=1)) as f:
        error = await fail(f, raw_server.url("/p"))
    assert error.kind is FetchErrorKind.blocked and len(raw_server.hits("/p")) == 2


async def test_404_is_not_found_without_retry(raw_server: RawServer) -> None:
    raw_server.routes["/gone"] = reply(410)
    async with Fetcher(fast()) as f:
        missing = await fail(f, raw_server.url("/missing"))
        gone = await fail(f, raw_server.url("/gone"))
    assert missing.kind is FetchErrorKind.not_found and missing.status == 404
    assert gone.kind is FetchErrorKind.not_found
    assert len(raw_server.requests) == 2


async def test_403_is_blocked_and_script_challenge_is_blocked(raw_server: RawServer) -> None:
    challenge = b"<html><script>document.cookie='t=1';location.reload();</script></html>"
    raw_server.routes["/forbidden"] = reply(403)
    raw_server.routes["/challenge"] = reply(200, challenge, {"Content-Type": "text/html"})
    async with Fetcher(fast()) as f:
        assert (await fail(f, raw_server.url("/forbidden"))).kind is FetchErrorKind.blocked
        assert (await fail(f, raw_server.url("/challenge"))).kind is FetchErrorKind.blocked


# -- conditional GET --------------------------------------------------------------------------


async def conditional(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Tue, 03 Feb 2026 08:00:00 GMT"}
    if request.headers.get("if-none-match") == '"v1"':
        writer.write(http_response(304, headers={"ETag": '"v1"'}))
    elif request.headers.get("if-modified-since") == validators["Last-Modified"]:
        writer.write(http_response(304))
    else:
        writer.write(http_response(200, b"<p>page</p>", validators))
    await writer.drain()


async def test_conditional_get_304_is_not_modified(raw_server: RawServer) -> None:
    raw_server.routes["/art"] = conditional
    async with Fetcher(fast()) as f:
        cold = await f.get(raw_server.url("/art"))
        warm = await f.get(raw_server.url("/art"), validators=cold.validators)
        by_date = await f.get(
            raw_server.url("/art"), validators=Validators(last_modified=cold.validators.last_modified)
        )
    assert cold.status == 200 and not cold.not_modified and cold.body == b"<p>page</p>"
    assert cold.validators == Validators(etag='"v1"', last_modified="Tue, 03 Feb 2026 08:00:00 GMT")
    assert warm.status == 304 and warm.not_modified and warm.body == b""
    assert warm.validators == cold.validators  # kept from what we sent where the 304 is silent
    assert by_date.not_modified and by_date.validators.last_modified == cold.validators.last_modified
    sent = raw_server.hits("/art")
    assert "if-none-match" not in sent[0].headers
    assert sent[1].headers["if-none-match"] == '"v1"'
    assert sent[1].headers["if-modified-since"] == "Tue, 03 Feb 2026 08:00:00 GMT"


async def test_connections_are_reused_after_304_404_and_redirects() -> None:
    server = RawServer(keep_alive=True)
    await server.start()
    keep = {"Connection": "keep-alive"}
    server.routes["/art"] = reply(304, headers={**keep, "ETag": '"v1"'})
    server.routes["/moved"] = reply(301, b"<a href=/art>moved</a>", {**keep, "Location": "/ok"})
    server.routes["/ok"] = reply(200, b"ok", keep)
    server.routes["/missing"] = reply(404, b"<html>not here</html>" * 50, keep)
    try:
        async with Fetcher(fast(per_host_concurrency=1)) as f:
            for _ in range(3):
                assert (await f.get(server.url("/art"), validators=Validators(etag='"v1"'))).not_modified
                assert (await f.get(server.url("/moved"))).body == b"ok"
                assert (await fail(f, server.url("/missing"))).kind is FetchErrorKind.not_found
    finally:
        await server.close()
    assert len(server.requests) == 12 and server.connections == 1


# -- politeness -------------------------------------------------------------------------------


@pytest.mark.slow
async def test_per_host_rate_limit_while_two_hosts_interleave(
    raw_server: RawServer, second_server: RawServer
) -> None:
    rate, n = 5.0, 6
    raw_server.routes["/a"] = reply(200, b"a")
    second_server.routes["/b"] = reply(200, b"b")
    urls = [raw_server.url(f"/a?{i}") for i in range(n)] + [second_server.url(f"/b?{i}") for i in range(n)]
    async with Fetcher(fast(per_host_rate=rate, per_host_concurrency=2)) as f:
        started = time.monotonic()
        results = await f.fetch_many(urls)
        wall = time.monotonic() - started
    assert all(not isinstance(r, FetchError) for r in results)
    for server in (raw_server, second_server):
        times = [r.at for r in server.requests]
        assert len(times) == n
        assert times[-1] - times[0] >= (n - 1) / rate - 0.05
        # Arrival times carry the server thread's scheduling jitter on a loaded machine, so one
        # gap may shrink a little; without the limiter every gap would be near zero.
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.6 / rate
    # The hosts ran side by side, not one after the other.
    assert wall < 2 * (n - 1) / rate
    a_times = [r.at for r in raw_server.requests]
    b_times = [r.at for r in second_server.requests]
    assert b_times[0] < a_times[2] and a_times[0] < b_times[2]


async def test_per_host_concurrency_is_bounded(raw_server: RawServer) -> None:
    in_flight = peak = 0

    async def slow(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        writer.write(http_response(200, b"x"))
        await writer.drain()

    raw_server.routes["/s"] = slow
    async with Fetcher(fast(per_host_concurrency=3)) as f:
        results = await f.fetch_many([raw_server.url(f"/s?{i}") for i in range(12)])
    assert all(not isinstance(r, FetchError) for r in results)
    assert peak == 3


async def test_honest_user_agent_and_compression_offer(raw_server: RawServer) -> None:
    raw_server.routes["/ua"] = reply(200, b"ok")
    async with Fetcher(fast()) as f:
        await f.get(raw_server.url("/ua"))
    headers = raw_server.hits("/ua")[0].headers
    assert headers["user-agent"].startswith("zjwatch/") and "policy monitor" in headers["user-agent"]
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["accept-language"].startswith("zh-CN")


# -- hostile bodies ---------------------------------------------------------------------------

HUNDRED_MB = 100_000_000


async def endless_declared(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(http_response(200, headers={"Content-Length": str(HUNDRED_MB)}))
    chunk = b"x" * 65536
    for _ in range(HUNDRED_MB // len(chunk) + 1):
        writer.write(chunk)
        await writer.drain()


async def endless_chunked(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(http_response(200, headers={"Transfer-Encoding": "chunked"}))
    chunk = b"y" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    for _ in range(HUNDRED_MB // len(chunk) + 1):
        writer.write(frame)
        await writer.drain()
    writer.write(b"0\r\n\r\n")


async def measure(coro: object) -> tuple[object, float, int]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = await coro  # type: ignore[misc]
    except FetchError as exc:
        result = exc
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("route", ["/declared", "/chunked"])
async def test_100mb_body_is_too_large_quickly_with_bounded_memory(raw_server: RawServer, route: str) -> None:
    raw_server.routes["/declared"] = endless_declared
    raw_server.routes["/chunked"] = endless_chunked
    limit = 2_000_000
    async with Fetcher(fast(max_body_bytes=limit)) as f:
        error, elapsed, peak = await measure(f.get(raw_server.url(route)))
    assert isinstance(error, FetchError) and error.kind is FetchErrorKind.too_large
    assert elapsed < 3
    assert peak < 4 * limit


async def test_100mb_chunked_body_with_the_default_20mb_limit(raw_server: RawServer) -> None:
    raw_server.routes["/chunked"] = endless_chunked
    settings = fast(max_body_bytes=HttpSettings().max_body_bytes)
    async with Fetcher(settings) as f:
        error, elapsed, peak = await measure(f.get(raw_server.url("/chunked")))
    assert isinstance(error, FetchError) and error.kind is FetchErrorKind.too_large
    assert "20000000" in error.message
    assert elapsed < 5
    assert peak < 2.5 * settings.max_body_bytes  # the body so far, and one copy at most


async def test_declared_length_over_limit_fails_before_reading(raw_server: RawServer) -> None:
    async def header_only(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(200, headers={"Content-Length": str(HUNDRED_MB)}))
        await writer.drain()
        await asyncio.sleep(30)  # sends no body at all: the client must not wait for it

    raw_server.routes["/big"] = header_only
    async with Fetcher(fast()) as f:
        started = time.monotonic()
        error = await fail(f, raw_server.url("/big"))
    assert error.kind is FetchErrorKind.too_large and "Content-Length" in error.message
    assert time.monotonic() - started < 1


def _bomb(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(z.compress(block) for _ in range(size >> 20)) + z.flush()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _bomb(200 << 20)  # 200 MiB of zeros in about 200 KB


async def test_gzip_bomb_is_refused_with_bounded_memory(raw_server: RawServer, gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 300_000
    raw_server.routes["/bomb"] = reply(
        200, gzip_bomb, {"Content-Encoding": "gzip", "Content-Type": "text/html"}
    )
    raw_server.routes["/double"] = reply(
        200, gzip.compress(gzip_bomb), {"Content-Encoding": "gzip, gzip", "Content-Type": "text/html"}
    )
    limit = 5_000_000
    async with Fetcher(fast(max_body_bytes=limit)) as f:
        for route in ("/bomb", "/double"):
            error, elapsed, peak = await measure(f.get(raw_server.url(route)))
            assert isinstance(error, FetchError) and error.kind is FetchErrorKind.too_large, route
            assert "decompressed" in error.message
            assert elapsed < 3
            assert peak < 3 * limit


async def test_compressed_bodies_decode_and_corrupt_ones_are_bad_content(raw_server: RawServer) -> None:
    page = "<p>第一条 为了规范……</p>".encode() * 200
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw_server.routes["/gz"] = reply(200, gzip.compress(page), {"Content-Encoding": "gzip"})
    raw_server.routes["/zlib"] = reply(200, zlib.compress(page), {"Content-Encoding": "deflate"})
    raw_server.routes["/raw"] = reply(
        200, raw_deflate.compress(page) + raw_deflate.flush(), {"Content-Encoding": "deflate"}
    )
    raw_server.routes["/corrupt"] = reply(200, b"\x1f\x8b\x08\x00garbage" * 10, {"Content-Encoding": "gzip"})
    raw_server.routes["/cut"] = reply(200, gzip.compress(page)[:-40], {"Content-Encoding": "gzip"})
    raw_server.routes["/br"] = reply(200, b"\x0b\x02\x80abc\x03", {"Content-Encoding": "br"})
    async with Fetcher(fast()) as f:
        for route in ("/gz", "/zlib", "/raw"):
            assert (await f.get(raw_server.url(route))).body == page, route
        for route in ("/corrupt", "/cut", "/br"):
            error = await fail(f, raw_server.url(route))
            assert error.kind is FetchErrorKind.bad_content, route


async def test_truncated_body_is_a_classified_network_error(raw_server: RawServer) -> None:
    async def truncated(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(200, headers={"Content-Length": "1000"}) + b"only part of it")
        await writer.drain()

    raw_server.routes["/t"] = truncated
    async with Fetcher(fast(max_retries=1)) as f:
        error = await fail(f, raw_server.url("/t"))
    assert error.kind is FetchErrorKind.network and "truncated" in error.message
    assert error.attempts == 2


async def test_wrong_content_type_for_accept_is_bad_content(raw_server: RawServer) -> None:
    raw_server.routes["/file.pdf"] = reply(200, b"<html>login</html>", {"Content-Type": "text/html"})
    raw_server.routes["/real.pdf"] = reply(200, b"%PDF-1.7", {"Content-Type": "application/pdf"})
    async with Fetcher(fast()) as f:
        error = await fail(f, raw_server.url("/file.pdf"), accept="application/pdf")
        ok = await f.get(raw_server.url("/real.pdf"), accept="application/pdf, application/octet-stream")
    assert error.kind is FetchErrorKind.bad_content and "text/html" in error.message
    assert ok.body == b"%PDF-1.7" and ok.content_type == "application/pdf"
    assert raw_server.hits("/file.pdf")[0].headers["accept"] == "application/pdf"


# -- redirects --------------------------------------------------------------------------------


async def test_redirect_loop_is_detected(raw_server: RawServer) -> None:
    raw_server.routes["/a"] = reply(302, headers={"Location": "/b"})
    raw_server.routes["/b"] = reply(301, headers={"Location": raw_server.url("/a")})
    async with Fetcher(fast()) as f:
        error = await fail(f, raw_server.url("/a"))
    assert error.kind is FetchErrorKind.redirect_loop and "loop" in error.message
    assert len(raw_server.requests) == 2


async def test_redirect_limit(raw_server: RawServer) -> None:
    for i in range(10):
        raw_server.routes[f"/r{i}"] = reply(302, headers={"Location": f"/r{i + 1}"})
    raw_server.routes["/r10"] = reply(200, b"end")
    async with Fetcher(fast(max_redirects=3)) as f:
        error = await fail(f, raw_server.url("/r0"))
        ok = await f.get(raw_server.url("/r7"))
    assert error.kind is FetchErrorKind.redirect_loop and "more than 3 redirects" in error.message
    assert ok.body == b"end" and ok.final_url == raw_server.url("/r10") and ok.url == raw_server.url("/r7")


async def test_post_form_and_303_becomes_get(raw_server: RawServer) -> None:
    raw_server.routes["/module/jpage/dataproxy.jsp"] = reply(303, headers={"Location": "/result"})
    raw_server.routes["/result"] = reply(200, b"<datastore/>", {"Content-Type": "text/xml"})
    async with Fetcher(fast()) as f:
        response = await f.post(
            raw_server.url("/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"),
            data={"col": "1", "webname": "浙江省人民政府"},
        )
    post, follow = raw_server.requests
    assert post.method == "POST" and post.headers["content-type"] == "application/x-www-form-urlencoded"
    assert post.body == b"col=1&webname=%E6%B5%99%E6%B1%9F%E7%9C%81%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    assert follow.method == "GET" and follow.body == b""
    assert response.body == b"<datastore/>"


# -- timeouts and network ---------------------------------------------------------------------


async def test_server_that_never_answers_times_out(raw_server: RawServer) -> None:
    raw_server.routes["/hang"] = hang
    async with Fetcher(fast(read_timeout=0.2, max_retries=1)) as f:
        started = time.monotonic()
        error = await fail(f, raw_server.url("/hang"))
    elapsed = time.monotonic() - started
    assert error.kind is FetchErrorKind.timeout and error.attempts == 2
    assert 0.4 <= elapsed < 3


async def test_slow_drip_hits_the_total_timeout(raw_server: RawServer) -> None:
    async def drip(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(200, headers={"Content-Length": "1000"}))
        for _ in range(1000):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)

    raw_server.routes["/drip"] = drip
    async with Fetcher(fast(read_timeout=1, total_timeout=0.4, max_retries=0)) as f:
        error = await fail(f, raw_server.url("/drip"))
    assert error.kind is FetchErrorKind.timeout and "0.4" in error.message


async def test_connection_refused_is_network(raw_server: RawServer) -> None:
    port = raw_server.port
    await raw_server.close()
    async with Fetcher(fast(max_retries=1)) as f:
        error = await fail(f, f"http://127.0.0.1:{port}/x")
    assert error.kind is FetchErrorKind.network and error.attempts == 2
    assert "connection refused" in error.message


async def test_not_a_web_url_is_a_clear_error() -> None:
    async with Fetcher(fast()) as f:
        for url in ("file:///etc/passwd", "not a url", "http://"):
            error = await fail(f, url)
            assert error.kind is FetchErrorKind.http_error and "http(s) URL" in error.message


# -- charsets ---------------------------------------------------------------------------------


async def test_gbk_page_declared_only_in_meta_decodes(raw_server: RawServer) -> None:
    text = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        "<body><h1>关于印发《浙江省促进高质量发展若干政策》的通知</h1><p>浙政发〔2026〕6号 鄞</p></body></html>"
    )
    raw_server.routes["/gbk"] = reply(200, text.encode("gbk"), {"Content-Type": "text/html"})
    raw_server.routes["/meta"] = reply(200, b"<meta charset=gbk>" + text.encode("gbk"))
    async with Fetcher(fast()) as f:
        for route in ("/gbk", "/meta"):
            response = await f.get(raw_server.url(route))
            assert response.encoding == "gb18030"
            assert "浙政发〔2026〕6号" in response.text() and "关于印发《" in response.text()


# -- isolation and secrets --------------------------------------------------------------------


async def test_fetch_many_isolates_failures(raw_server: RawServer, second_server: RawServer) -> None:
    raw_server.routes["/ok"] = reply(200, b"fine")
    raw_server.routes["/hang"] = hang
    raw_server.routes["/big"] = endless_chunked
    second_server.routes["/ok"] = reply(200, b"other host")
    dead = RawServer()
    await dead.start()
    await dead.close()
    urls = [
        raw_server.url("/ok"),
        raw_server.url("/missing"),
        raw_server.url("/hang"),
        raw_server.url("/big"),
        dead.url("/x"),
        "ftp://example.org/x",
        second_server.url("/ok"),
    ]
    async with Fetcher(fast(read_timeout=0.3, max_retries=0, max_body_bytes=100_000)) as f:
        results = await f.fetch_many(urls)
    kinds = [r.kind if isinstance(r, FetchError) else r.body for r in results]
    assert kinds == [
        b"fine",
        FetchErrorKind.not_found,
        FetchErrorKind.timeout,
        FetchErrorKind.too_large,
        FetchErrorKind.network,
        FetchErrorKind.http_error,
        b"other host",
    ]


async def test_proxy_is_used_and_its_password_never_shown(
    raw_server: RawServer, caplog: pytest.LogCaptureFixture
) -> None:
    raw_server.routes["http://zj.example/col/col1229019364/index.html"] = reply(200, b"via proxy")
    proxy = f"http://watcher:s3cr3t-pw@127.0.0.1:{raw_server.port}"
    settings = fast(proxy=proxy)
    caplog.set_level(logging.DEBUG, logger="zjwatch.http")
    async with Fetcher(settings) as f:
        response = await f.get("http://zj.example/col/col1229019364/index.html")
        error = await fail(f, "http://zj.example/missing")
    seen = raw_server.requests[0]
    assert response.body == b"via proxy"
    assert seen.path == "http://zj.example/col/col1229019364/index.html"
    assert seen.headers["proxy-authorization"].startswith("Basic ")
    assert error.kind is FetchErrorKind.not_found
    shown = " ".join([repr(settings), str(settings), repr(f), str(error), repr(error), caplog.text])
    assert "s3cr3t" not in shown


async def test_unreachable_proxy_error_hides_the_password(raw_server: RawServer) -> None:
    port = raw_server.port
    await raw_server.close()
    async with Fetcher(fast(proxy=f"http://watcher:s3cr3t-pw@127.0.0.1:{port}", max_retries=0)) as f:
        error = await fail(f, "http://zj.example/x")
    assert error.kind is FetchErrorKind.network
    assert "s3cr3t" not in str(error) and "s3cr3t" not in repr(error)


async def test_credentials_in_the_target_url_are_masked(raw_server: RawServer) -> None:
    async with Fetcher(fast()) as f:
        error = await fail(f, f"http://user:hunter22@127.0.0.1:{raw_server.port}/missing")
    assert "hunter22" not in str(error) and "***" in error.url


async def test_304_to_an_unconditional_request_is_an_error(raw_server: RawServer) -> None:
    raw_server.routes["/odd"] = reply(304)
    async with Fetcher(fast()) as f:
        error = await fail(f, raw_server.url("/odd"))
    assert error.kind is FetchErrorKind.http_error and "not conditional" in error.message


async def test_cookies_are_returned_and_the_jar_stays_bounded(raw_server: RawServer) -> None:
    async def minting(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        n = len(raw_server.requests)
        cookies = "".join(f"Set-Cookie: c{n}_{i}=v; Path=/\r\n" for i in range(60))
        writer.write(f"HTTP/1.1 200 OK\r\n{cookies}Content-Length: 2\r\nConnection: close\r\n\r\nok".encode())
        await writer.drain()

    raw_server.routes["/c"] = minting
    async with Fetcher(fast()) as f:
        for i in range(12):
            await f.get(raw_server.url(f"/c?{i}"))
        assert 0 < len(f._cookies.jar) <= 500
    # what a WAF set is sent back on the next request ("set a cookie, then redirect" checks pass)
    assert "c1_0=v" in raw_server.requests[1].headers["cookie"]


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a throwaway certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


async def test_rejected_certificate_fails_at_once(self_signed: tuple[str, str]) -> None:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*self_signed)
    accepted = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        async with Fetcher(fast(max_retries=3)) as f:
            error = await fail(f, f"https://127.0.0.1:{port}/")
    finally:
        server.close()
    assert error.kind is FetchErrorKind.network and "certificate" in error.message
    assert error.attempts == 1


@pytest.mark.slow
async def test_retry_after_holds_back_the_whole_host(raw_server: RawServer) -> None:
    raw_server.routes["/busy"] = sequence(reply(503, headers={"Retry-After": "1"}), reply(200, b"ok"))
    raw_server.routes["/other"] = reply(200, b"other")

    async with Fetcher(fast(per_host_concurrency=2)) as f:
        busy = asyncio.create_task(f.get(raw_server.url("/busy")))
        while not raw_server.hits("/busy"):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the 503 has been answered and the host deferred
        asked = time.monotonic()
        other = await f.get(raw_server.url("/other"))
        await busy
    assert other.body == b"other"
    assert raw_server.hits("/other")[0].at - asked >= 0.8  # waited out the busy URL's Retry-After


async def test_errors_name_the_requested_url_and_the_failing_hop(raw_server: RawServer) -> None:
    raw_server.routes["/start"] = reply(302, headers={"Location": "/trap"})
    raw_server.routes["/trap"] = hang
    async with Fetcher(fast(read_timeout=0.2, max_retries=0)) as f:
        error = await fail(f, raw_server.url("/start"))
    assert error.kind is FetchErrorKind.timeout
    assert error.url == raw_server.url("/start") and "/trap" in error.message
    assert error.attempts == 2


async def test_fetch_many_keeps_few_tasks_for_long_lists(
    raw_server: RawServer, second_server: RawServer
) -> None:
    raw_server.routes["/a"] = reply(200, b"a")
    second_server.routes["/b"] = reply(200, b"b")
    urls = [raw_server.url(f"/a?{i}") for i in range(150)] + [
        second_server.url(f"/b?{i}") for i in range(150)
    ]
    most = 0

    async def probe() -> None:
        nonlocal most
        while True:
            most = max(most, len(asyncio.all_tasks()))
            await asyncio.sleep(0.002)

    watcher = asyncio.create_task(probe())
    async with Fetcher(fast(per_host_concurrency=2)) as f:
        results = await f.fetch_many(urls)
    watcher.cancel()
    assert [r.body for r in results if not isinstance(r, FetchError)] == [b"a"] * 150 + [b"b"] * 150
    # 2 hosts x 2 workers, server-side handlers of closing connections, the test, the probe:
    # a few dozen at most, against one task per URL (300) for a plain gather
    assert most <= 40


async def test_chinese_and_spaces_in_urls_are_percent_encoded(raw_server: RawServer) -> None:
    encoded = "/module/download/downfile.jsp?filename=%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6.pdf"
    raw_server.routes["/module/download/downfile.jsp"] = reply(
        200, b"%PDF-1.4", {"Content-Type": "application/pdf"}
    )
    url = raw_server.url("/module/download/downfile.jsp?filename=政策 文件.pdf")
    async with Fetcher(fast()) as f:
        response = await f.get(url)
    assert raw_server.requests[0].path == encoded
    assert response.url == url and response.final_url == raw_server.url(encoded)


async def test_cookies_are_shared_by_every_connection_slot(raw_server: RawServer) -> None:
    async def set_cookie(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(200, b"ok", {"Set-Cookie": "waf_token=abc; Path=/"}))
        await writer.drain()

    async def slow(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.05)
        writer.write(http_response(200, b"ok"))
        await writer.drain()

    raw_server.routes["/challenge"] = set_cookie
    raw_server.routes["/page"] = slow
    async with Fetcher(fast(per_host_concurrency=8)) as f:
        await f.get(raw_server.url("/challenge"))
        results = await f.fetch_many([raw_server.url(f"/page?{i}") for i in range(16)])
        assert len(f._pools) == 2  # slots 0-3 and 4-7 of the one host
    assert all(not isinstance(r, FetchError) for r in results)
    pages = [r for r in raw_server.requests if r.path.startswith("/page")]
    assert len(pages) == 16 and all(p.headers.get("cookie") == "waf_token=abc" for p in pages)


async def test_endless_error_body_and_endless_headers_end_quickly(raw_server: RawServer) -> None:
    async def endless_404(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(404, headers={"Transfer-Encoding": "chunked"}))
        frame = b"10000\r\n" + b"z" * 65536 + b"\r\n"
        for _ in range(2000):
            writer.write(frame)
            await writer.drain()

    async def endless_headers(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(200_000):
            writer.write(f"X-Filler-{i}: {'y' * 100}\r\n".encode())
            await writer.drain()

    async def garbage(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
        await writer.drain()

    async def hang_up(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        pass

    raw_server.routes["/404"] = endless_404
    raw_server.routes["/headers"] = endless_headers
    raw_server.routes["/garbage"] = garbage
    raw_server.routes["/hangup"] = hang_up
    async with Fetcher(fast(max_retries=2)) as f:
        started = time.monotonic()
        missing = await fail(f, raw_server.url("/404"))
        flooded = await fail(f, raw_server.url("/headers"))
        nonsense = await fail(f, raw_server.url("/garbage"))
        dropped = await fail(f, raw_server.url("/hangup"))
    assert missing.kind is FetchErrorKind.not_found
    assert flooded.kind is FetchErrorKind.bad_content and "headers too large" in flooded.message
    assert nonsense.kind is FetchErrorKind.bad_content and "not a valid HTTP response" in nonsense.message
    assert (flooded.attempts, nonsense.attempts) == (1, 1)  # retrying will not fix either
    assert dropped.kind is FetchErrorKind.network and dropped.attempts == 3
    assert time.monotonic() - started < 4


async def test_logs_name_url_status_attempt_and_time(
    raw_server: RawServer, caplog: pytest.LogCaptureFixture
) -> None:
    raw_server.routes["/flaky"] = sequence(reply(502), reply(200, b"ok", {"X-Token": "header-secret"}))
    caplog.set_level(logging.DEBUG, logger="zjwatch.http")
    async with Fetcher(fast()) as f:
        await f.get(raw_server.url("/flaky"))
    lines = [r.getMessage() for r in caplog.records if r.name == "zjwatch.http"]
    url = raw_server.url("/flaky")
    assert any(f"GET {url} -> 502 attempt 1" in line for line in lines)
    assert any(f"GET {url} -> 502; retry 1 in" in line for line in lines)
    assert any(f"GET {url} -> 200 attempt 2" in line and line.endswith("s") for line in lines)
    assert "header-secret" not in caplog.text  # headers are never logged
