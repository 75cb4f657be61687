"""Reading a response body within a byte limit. Content-Encoding is undone here, in bounded
steps, rather than by httpx: a gzip bomb expands about 1000:1, so even one 64 KiB network chunk
could become 64 MB if decompressed in one call."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

_STEP = 256 * 1024
_MAX_LAYERS = 3


class BodyTooLarge(Exception):
    pass


class BadEncoding(Exception):
    pass


class _Inflater:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it), output in bounded steps."""

    def __init__(self, encoding: str) -> None:
        # "deflate" is zlib-wrapped by the standard but raw from some servers: the first two
        # bytes tell, so hold them back until both are here.
        self._sniffing = encoding == "deflate"
        self._head = b""
        wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._z = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        """Decompressed output of `pieces`, lazily, at most _STEP bytes at a time."""
        for data in pieces:
            if not data or self._z.eof:
                # Bytes after the end marker are ignored (as browsers do), not buffered.
                continue
            if self._sniffing:
                self._head += data
                if len(self._head) < 2:
                    continue
                if not _looks_zlib_wrapped(self._head):
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                data, self._head, self._sniffing = self._head, b"", False
            try:
                self._started = True
                piece = self._z.decompress(data, _STEP)
                yield piece
                while self._z.unconsumed_tail:
                    piece = self._z.decompress(self._z.unconsumed_tail, _STEP)
                    yield piece
            except zlib.error as exc:
                raise BadEncoding(f"corrupt compressed body ({exc})") from None

    def finish(self) -> None:
        if self._head:
            raise BadEncoding("compressed body too short to be deflate data")
        if self._started and not self._z.eof:
            raise BadEncoding("compressed body ended before its end marker (truncated)")


def _looks_zlib_wrapped(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _layers(content_encoding: str | None) -> list[_Inflater]:
    if not content_encoding:
        return []
    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    if len(names) > _MAX_LAYERS:
        raise BadEncoding(f"too many content encodings ({len(names)})")
    for name in names:
        if name not in ("gzip", "x-gzip", "deflate"):
            raise BadEncoding(f"unsupported content-encoding {name!r}")
    # Encodings are listed in the order applied, so undo them last-first.
    return [_Inflater(n) for n in reversed(names)]


async def read_limited(raw: AsyncIterator[bytes], content_encoding: str | None, limit: int) -> bytes:
    """Collect the decoded body from raw network chunks, raising BodyTooLarge as soon as the
    decoded size passes `limit` and BadEncoding for corrupt or unsupported compression."""
    layers = _layers(content_encoding)
    body = bytearray()
    raw_total = 0
    async for chunk in raw:
        raw_total += len(chunk)
        if raw_total > limit:
            raise BodyTooLarge(f"body exceeds {limit} bytes")
        pieces: Iterable[bytes] = (chunk,)
        for layer in layers:
            pieces = layer.feed(pieces)
        # Pieces arrive lazily and at most _STEP long, so the check bounds memory even for a
        # bomb hidden under several layers.
        for piece in pieces:
            body += piece
            if len(body) > limit:
                raise BodyTooLarge(f"body exceeds {limit} bytes" + (" once decompressed" if layers else ""))
    for layer in layers:
        layer.finish()
    return bytes(body)
