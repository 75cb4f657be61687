"""The typed surface of the HTTP client: settings, validators, errors and responses."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from watcher.http.charset import decode_body, detect_charset


def _default_user_agent() -> str:
    try:
        ver = dist_version("zjwatch")
    except PackageNotFoundError:
        ver = "0"
    return f"zjwatch/{ver} (+https://github.com/zjwatch/zjwatch; policy monitor)"


class HttpSettings(BaseModel):
    """Politeness, limits and transport options. Times are seconds, sizes bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0, description="Longest silence while reading")
    total_timeout: float = Field(default=120.0, gt=0, description="Wall-clock limit of one attempt")
    max_retries: int = Field(default=3, ge=0, le=20)
    backoff_base: float = Field(default=0.5, ge=0)
    backoff_max: float = Field(default=30.0, ge=0, description="Caps back-off and Retry-After waits")
    per_host_rate: float | None = Field(
        default=1.0, ge=0, description="Requests/s per host; 0/None = unlimited"
    )
    per_host_concurrency: int = Field(default=2, ge=1)
    max_body_bytes: int = Field(default=20_000_000, ge=1, description="Limit on the decoded body")
    max_redirects: int = Field(default=5, ge=0, le=50)
    user_agent: str = Field(default_factory=_default_user_agent)
    proxy: SecretStr | None = None


class Validators(BaseModel):
    """What a conditional GET sends back: the ETag and Last-Modified of the copy we hold."""

    model_config = ConfigDict(frozen=True)

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


class FetchErrorKind(StrEnum):
    timeout = "timeout"
    network = "network"
    blocked = "blocked"
    rate_limited = "rate_limited"
    not_found = "not_found"
    server_error = "server_error"
    too_large = "too_large"
    bad_content = "bad_content"
    redirect_loop = "redirect_loop"
    http_error = "http_error"


class FetchError(Exception):
    """One URL could not be fetched. `message` is safe to show: credentials are masked."""

    def __init__(
        self,
        kind: FetchErrorKind,
        url: str,
        message: str,
        *,
        status: int | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(f"{kind.value}: {url}: {message}")
        self.kind = kind
        self.url = url
        self.status = status
        self.message = message
        self.attempts = attempts

    def __repr__(self) -> str:
        return f"FetchError(kind={self.kind.value!r}, url={self.url!r}, status={self.status!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_error, (self.kind, self.url, self.message, self.status, self.attempts))


def _rebuild_error(
    kind: FetchErrorKind, url: str, message: str, status: int | None, attempts: int
) -> FetchError:
    return FetchError(kind, url, message, status=status, attempts=attempts)


class Response(BaseModel):
    """A completed fetch. `url` is what was asked for, `final_url` where redirects ended."""

    model_config = ConfigDict(frozen=True)

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = Field(description="Lower-case names; repeated headers joined with ', '")
    body: bytes = b""
    validators: Validators = Field(default_factory=Validators)
    not_modified: bool = False
    elapsed: float = Field(description="Seconds from the first attempt to the end of the body")
    attempts: int = 1

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower case ('' when the server sent none)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @cached_property
    def _text(self) -> str:
        return decode_body(self.body, self.headers.get("content-type"), name=self.final_url)

    @cached_property
    def encoding(self) -> str:
        """Charset of the body: BOM, then valid UTF-8, then the Content-Type charset, then
        <meta charset>/XML declaration, then GB18030, then detection."""
        return detect_charset(self.body, self.headers.get("content-type"))

    def text(self) -> str:
        """The body as text, by the same rules `zjwatch parse` reads files with
        (parsers.reading.decode_bytes). Never raises: a body that is not text (a PDF, binary
        junk) comes back decoded with replacement characters, for the caller to reject."""
        return self._text
