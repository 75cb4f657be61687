"""The polite fetcher: one httpx.AsyncClient, per-host gates, retries, redirects followed by hand
(so each hop is rate limited and loops are caught), bodies read within limits."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from watcher.http.body import BadEncoding, BodyTooLarge, read_limited
from watcher.http.models import FetchError, FetchErrorKind, HttpSettings, Response, Validators
from watcher.http.policy import RETRY_STATUSES, HostGate, backoff_delay, parse_retry_after
from watcher.http.redact import mask_url, scrub, secret_parts
from watcher.http.sniff import accepts, looks_like_challenge

log = logging.getLogger("zjwatch.http")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HOST_WIDE_WAIT = frozenset({412, 429})
_DRAIN_BYTES = 65536
_MAX_COOKIES = 500
_SLOTS_PER_POOL = 4


@dataclass(frozen=True)
class _Reply:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class _Transient(Exception):
    """A failure worth retrying (network trouble, timeouts)."""

    def __init__(self, kind: FetchErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class _CookiesWhenSet(httpx.Cookies):
    """httpx wraps every response and its request in urllib objects to look for cookies, about
    15% of the client's CPU on a warm pass; skip that when the response sets none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class Fetcher:
    """Async context manager owning its httpx.AsyncClient(s). Safe to share between tasks."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        s = self.settings
        self._secrets = secret_parts(s.proxy.get_secret_value()) if s.proxy else []
        # httpcore scans every pooled connection several times per request, so a pool of 16
        # connections costs about three times the CPU per request of a pool of 4. Each host
        # therefore gets a pool per block of four gate slots (0-3, 4-7, ...), made on first
        # use; all pools share one cookie jar and one TLS context.
        self._tls = httpx.create_ssl_context(trust_env=False)
        self._cookies: httpx.Cookies = _CookiesWhenSet()
        self._pools: dict[tuple[str, int], httpx.AsyncClient] = {}
        try:
            self._spare: httpx.AsyncClient | None = self._new_client()  # checks the proxy setting now
        except (ValueError, ImportError, httpx.HTTPError) as exc:
            raise ValueError(f"invalid proxy setting: {scrub(str(exc), self._secrets)}") from None
        self._gates: dict[str, HostGate] = {}
        self._closed = False

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients = [*self._pools.values(), *([self._spare] if self._spare else [])]
        self._pools, self._spare, self._closed = {}, None, True
        for client in clients:
            await client.aclose()

    def __repr__(self) -> str:
        return f"Fetcher({self.settings!r})"

    # -- public API -------------------------------------------------------------------------

    async def get(
        self, url: str, *, validators: Validators | None = None, accept: str | None = None
    ) -> Response:
        """Fetch `url`. Raises FetchError, classified, for anything but a usable 2xx or a 304."""
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        return await self._request("GET", url, headers, None, validators, accept)

    async def post(self, url: str, *, data: Mapping[str, str], accept: str | None = None) -> Response:
        """POST a form (the JCMS list endpoints are read-only queries, so retrying them is safe)."""
        headers = {"Accept": accept} if accept else {}
        return await self._request("POST", url, headers, dict(data), None, accept)

    async def fetch_many(
        self,
        urls: Iterable[str],
        *,
        validators: Mapping[str, Validators] | None = None,
        accept: str | None = None,
    ) -> list[Response | FetchError]:
        """GET every URL, in input order. Hosts run in parallel, each under its own limits; one
        URL's failure is returned in its place and never stops the others."""

        urls = list(urls)
        results: list[Response | FetchError | None] = [None] * len(urls)
        # One queue per host drained by per_host_concurrency workers: tasks stay few however
        # long the list, and a slow host never holds up the others.
        queues: dict[str, deque[int]] = {}
        for index, url in enumerate(urls):
            queues.setdefault(_host_of(url), deque()).append(index)

        async def one(url: str) -> Response | FetchError:
            try:
                return await self.get(url, validators=(validators or {}).get(url), accept=accept)
            except FetchError as exc:
                return exc
            except Exception as exc:
                message = scrub(f"unexpected {type(exc).__name__}: {exc}", self._secrets)
                log.error("GET %s failed: %s", mask_url(url), message)
                return FetchError(FetchErrorKind.http_error, mask_url(url), message)

        async def worker(queue: deque[int]) -> None:
            while queue:
                index = queue.popleft()
                results[index] = await one(urls[index])

        width = self.settings.per_host_concurrency
        await asyncio.gather(*(worker(q) for q in queues.values() for _ in range(min(width, len(q)))))
        return [
            r if r is not None else FetchError(FetchErrorKind.http_error, mask_url(urls[i]), "not fetched")
            for i, r in enumerate(results)
        ]

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _gate_key(url: httpx.URL) -> str:
        return f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"

    def _gate(self, key: str) -> HostGate:
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = HostGate(
                self.settings.per_host_rate, self.settings.per_host_concurrency
            )
        return gate

    def _new_client(self) -> httpx.AsyncClient:
        s = self.settings
        client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=s.total_timeout
            ),
            follow_redirects=False,
            proxy=s.proxy.get_secret_value() if s.proxy else None,
            trust_env=False,
            verify=self._tls,
            headers={
                "User-Agent": s.user_agent,
                "Accept-Encoding": "gzip, deflate",
                # Some county sites serve a different (or no) page without a Chinese preference.
                "Accept-Language": "zh-CN,zh;q=0.9",
            },
        )
        if isinstance(getattr(client, "_cookies", None), httpx.Cookies):
            client._cookies = self._cookies
        else:  # an httpx without the attribute: each pool keeps its own jar
            self._cookies = client.cookies
        return client

    def _pool(self, host: str, slot: int) -> httpx.AsyncClient:
        key = (host, slot // _SLOTS_PER_POOL)
        client = self._pools.get(key)
        if client is None:
            if self._closed:
                raise RuntimeError("this Fetcher is closed")
            client, self._spare = self._spare or self._new_client(), None
            self._pools[key] = client
        return client

    def _error(
        self, kind: FetchErrorKind, url: str, message: str, *, status: int | None = None, attempts: int = 1
    ) -> FetchError:
        return FetchError(
            kind, mask_url(url), scrub(message, self._secrets), status=status, attempts=attempts
        )

    async def _request(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: dict[str, str] | None,
        validators: Validators | None,
        accept: str | None,
    ) -> Response:
        started = time.monotonic()
        current = _parse_url(url)
        if current is None:
            raise self._error(FetchErrorKind.http_error, url, "not an absolute http(s) URL")
        chain = [str(current)]
        attempts = 0
        for hop in range(self.settings.max_redirects + 1):
            try:
                reply, used = await self._with_retries(method, current, headers, data)
            except FetchError as exc:
                # Report against the URL that was asked for, naming the hop that failed.
                where = f" (at {mask_url(str(current))})" if hop else ""
                raise self._error(
                    exc.kind, url, exc.message + where, status=exc.status, attempts=exc.attempts + attempts
                ) from None
            attempts += used
            if reply.status not in _REDIRECTS:
                break
            location = reply.headers.get("location")
            target = _parse_url(location, base=current) if location else None
            if target is None:
                raise self._error(
                    FetchErrorKind.http_error,
                    url,
                    f"HTTP {reply.status} redirect to an unusable location {location!r}",
                    status=reply.status,
                    attempts=attempts,
                )
            if str(target) in chain or hop == self.settings.max_redirects:
                shown = " -> ".join(mask_url(u) for u in [*chain[:8], str(target)])
                why = (
                    "redirect loop"
                    if str(target) in chain
                    else f"more than {self.settings.max_redirects} redirects"
                )
                raise self._error(
                    FetchErrorKind.redirect_loop,
                    url,
                    f"{why}: {shown}",
                    status=reply.status,
                    attempts=attempts,
                )
            chain.append(str(target))
            if reply.status == 303 or (reply.status in (301, 302) and method == "POST"):
                method, data = "GET", None
            current = target
        return self._finish(url, reply, validators, accept, attempts, time.monotonic() - started)

    def _finish(
        self,
        url: str,
        reply: _Reply,
        sent: Validators | None,
        accept: str | None,
        attempts: int,
        elapsed: float,
    ) -> Response:
        status = reply.status
        if (status == 304 and sent) or 200 <= status < 300:
            kind, why = None, ""
            if status != 304 and accept and not accepts(accept, reply.headers.get("content-type")):
                kind, why = (
                    FetchErrorKind.bad_content,
                    f"wanted {accept}, got {reply.headers.get('content-type')}",
                )
            elif status != 304 and looks_like_challenge(reply.headers.get("content-type"), reply.body):
                kind, why = (
                    FetchErrorKind.blocked,
                    "the site answered with a script challenge instead of the page",
                )
            if kind is None:
                validators = Validators(
                    etag=reply.headers.get("etag") or (sent.etag if sent and status == 304 else None),
                    last_modified=reply.headers.get("last-modified")
                    or (sent.last_modified if sent and status == 304 else None),
                )
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("%s -> %d (%d attempts, %.3fs)", mask_url(url), status, attempts, elapsed)
                return Response(
                    url=url,
                    final_url=reply.url,
                    status=status,
                    headers=dict(reply.headers.items()),
                    body=b"" if status == 304 else reply.body,
                    validators=validators,
                    not_modified=status == 304,
                    elapsed=elapsed,
                    attempts=attempts,
                )
        elif status == 304:
            kind, why = FetchErrorKind.http_error, "HTTP 304 to a request that was not conditional"
        else:
            kind, why = _classify_status(status), f"HTTP {status}"
            if status in RETRY_STATUSES and attempts > 1:
                why += f" after {attempts} attempts"
            wait = parse_retry_after(reply.headers.get("retry-after"))
            if wait is not None and wait > self.settings.backoff_max:
                why += f"; the server asked to wait {wait:.0f} s, longer than backoff_max ({self.settings.backoff_max:g} s)"
        log.info("%s failed: %s: %s", mask_url(url), kind.value, why)
        raise self._error(kind, url, why, status=status, attempts=attempts)

    async def _with_retries(
        self, method: str, url: httpx.URL, headers: dict[str, str], data: dict[str, str] | None
    ) -> tuple[_Reply, int]:
        s = self.settings
        host = self._gate_key(url)
        gate = self._gate(host)
        for attempt in range(1, s.max_retries + 2):
            last = attempt > s.max_retries
            try:
                reply = await self._attempt(host, gate, method, url, headers, data, attempt)
            except _Transient as exc:
                if last:
                    raise self._error(
                        exc.kind, str(url), f"{exc.message} (after {attempt} attempts)", attempts=attempt
                    ) from None
                delay = backoff_delay(attempt, s.backoff_base, s.backoff_max)
                log.info(
                    "%s %s: %s; retry %d in %.2fs", method, mask_url(str(url)), exc.message, attempt, delay
                )
                await asyncio.sleep(delay)
                continue
            if reply.status not in RETRY_STATUSES or last:
                return reply, attempt
            retry_after = parse_retry_after(reply.headers.get("retry-after"))
            if retry_after is not None and retry_after > s.backoff_max:
                # Retrying sooner than the server asked would be rude; waiting longer than
                # backoff_max would stall the run. Give up on this URL and slow the host down.
                gate.defer(s.backoff_max)
                return reply, attempt
            if retry_after is not None:
                delay = retry_after
            else:
                delay = backoff_delay(attempt, s.backoff_base, s.backoff_max)
            log.info(
                "%s %s -> %d; retry %d in %.2fs", method, mask_url(str(url)), reply.status, attempt, delay
            )
            if retry_after is not None or reply.status in _HOST_WIDE_WAIT:
                gate.defer(delay)  # the server asked the whole host to slow down
            else:
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    async def _attempt(
        self,
        host: str,
        gate: HostGate,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        data: dict[str, str] | None,
        attempt: int,
    ) -> _Reply:
        s = self.settings
        async with gate.admit() as slot:
            client = self._pool(host, slot)
            began = time.monotonic()
            try:
                async with asyncio.timeout(s.total_timeout):
                    request = client.build_request(method, url, headers=headers, data=data)
                    response = await client.send(request, stream=True)
                    if len(self._cookies.jar) > _MAX_COOKIES:
                        # Cookies are kept for WAFs that set one and redirect; a server minting
                        # new ones on every answer must not grow the jar for ever.
                        self._cookies.clear()
                    try:
                        body = b""
                        if 200 <= response.status_code < 300:
                            body = await self._read_body(response)
                        else:
                            await _drain(response)
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise _Transient(
                    FetchErrorKind.timeout, f"no complete answer within {s.total_timeout}s"
                ) from None
            except httpx.TimeoutException as exc:
                raise _Transient(FetchErrorKind.timeout, _describe_timeout(exc, s)) from None
            except httpx.RemoteProtocolError as exc:
                text = str(exc)
                if "incomplete" in text or "peer closed" in text or "received" in text:
                    text = f"connection closed before the whole body arrived (truncated): {text}"
                elif "disconnected" in text.lower():
                    text = f"connection closed before any answer: {text}"
                else:  # not HTTP as h11 reads it: a header flood, a garbage status line
                    why = (
                        "response headers too large"
                        if "buffer too long" in text
                        else "not a valid HTTP response"
                    )
                    raise self._error(
                        FetchErrorKind.bad_content, str(url), f"{why} ({text})", attempts=attempt
                    ) from None
                raise _Transient(FetchErrorKind.network, text) from None
            except httpx.UnsupportedProtocol as exc:
                raise self._error(FetchErrorKind.http_error, str(url), str(exc), attempts=attempt) from None
            except (httpx.TransportError, OSError) as exc:
                message = _describe_network(exc)
                if _certificate_rejected(exc):
                    # Retrying cannot fix a certificate; say so at once.
                    raise self._error(
                        FetchErrorKind.network,
                        str(url),
                        f"TLS certificate rejected: {message}",
                        attempts=attempt,
                    ) from None
                raise _Transient(FetchErrorKind.network, message) from None
            except BodyTooLarge as exc:
                raise self._error(FetchErrorKind.too_large, str(url), str(exc), attempts=attempt) from None
            except BadEncoding as exc:
                raise self._error(FetchErrorKind.bad_content, str(url), str(exc), attempts=attempt) from None
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %d attempt %d %.3fs",
                method,
                mask_url(str(url)),
                response.status_code,
                attempt,
                time.monotonic() - began,
            )
        return _Reply(str(url), response.status_code, response.headers, body)

    async def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            raise BodyTooLarge(f"declared Content-Length {int(declared)} exceeds the {limit}-byte limit")
        return await read_limited(response.aiter_raw(), response.headers.get("content-encoding"), limit)


async def _drain(response: httpx.Response) -> None:
    """Read a short unwanted body (304, redirects, errors) so the connection can be reused;
    a long one is dropped with its connection."""
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > _DRAIN_BYTES:
            break


def _parse_url(value: str, *, base: httpx.URL | None = None) -> httpx.URL | None:
    try:
        url = base.join(value) if base is not None else httpx.URL(value)
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if url.scheme not in ("http", "https") or not url.host:
        return None
    return url.copy_with(fragment=None) if url.fragment else url


def _host_of(url: str) -> str:
    """Grouping key for fetch_many; the gates themselves key on httpx's parse of the URL."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2].lower()
    except ValueError:
        return ""


def _describe_network(exc: BaseException) -> str:
    """A short reason: the root cause where the chain has one (refused, unknown host)."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError):
            return "could not connect: connection refused"
        if isinstance(seen, socket.gaierror):
            return f"could not resolve the host name ({seen.strerror or seen})"
        if isinstance(seen, ConnectionResetError):
            return "connection reset by the server"
        seen = seen.__cause__ or seen.__context__
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _certificate_rejected(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _describe_timeout(exc: httpx.TimeoutException, s: HttpSettings) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {s.connect_timeout}s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"server silent for {s.read_timeout}s"
    if isinstance(exc, httpx.PoolTimeout):
        return "no free connection in time"
    return f"timed out ({type(exc).__name__})"


def _classify_status(status: int) -> FetchErrorKind:
    if status in (404, 410):
        return FetchErrorKind.not_found
    if status in (403, 412):
        return FetchErrorKind.blocked
    if status == 429:
        return FetchErrorKind.rate_limited
    if 500 <= status < 600:
        return FetchErrorKind.server_error
    return FetchErrorKind.http_error
