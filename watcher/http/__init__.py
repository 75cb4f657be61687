"""The polite HTTP client: `async with Fetcher(settings) as f: await f.get(url)`.

Per-host concurrency and spacing, retries with back-off and Retry-After, conditional GET,
bounded bodies and decompression, redirect limits, charset detection, classified errors.
See docs/http.md.
"""

from watcher.http.fetcher import Fetcher
from watcher.http.models import FetchError, FetchErrorKind, HttpSettings, Response, Validators
from watcher.http.redact import mask_url

__all__ = ["FetchError", "FetchErrorKind", "Fetcher", "HttpSettings", "Response", "Validators", "mask_url"]
