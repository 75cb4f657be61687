"""Judging a 2xx body before handing it on: does its type match what the caller accepts, and is
it really an anti-bot script challenge dressed up as a page?"""

from __future__ import annotations

import re

_CHALLENGE_MAX_BYTES = 20_000
_RELOAD = re.compile(
    rb"location\s*\.\s*(reload|replace|href)|window\s*\.\s*location\s*=|document\s*\.\s*location\s*="
)
_COOKIE = re.compile(rb"document\s*\.\s*cookie\s*=")
# 瑞数 (Ruishu), common in front of Chinese government sites, bootstraps with a `$_ts` object.
_RUISHU = re.compile(rb"\$_ts\s*=\s*window\s*\[\s*['\"]\$_ts['\"]\s*\]")
_ANCHOR = re.compile(rb"<a\s", re.I)


def accepts(accept: str, content_type: str | None) -> bool:
    """Whether `content_type` matches one of the media ranges in an Accept header (q=0 ranges
    excluded). A response without Content-Type is given the benefit of the doubt."""
    if not content_type:
        return True
    actual = content_type.split(";", 1)[0].strip().lower()
    if "/" not in actual:
        return True
    a_type, a_sub = actual.split("/", 1)
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        if any(p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params):
            continue
        m_type, _, m_sub = media.lower().partition("/")
        if m_type == "*" or (m_type == a_type and m_sub in ("*", a_sub)):
            return True
    return False


def looks_like_challenge(content_type: str | None, body: bytes) -> bool:
    """A small HTML page whose only job is to set a cookie by script and reload itself."""
    media = (content_type or "text/html").split(";", 1)[0].strip().lower()
    if media not in ("text/html", "application/xhtml+xml") or len(body) > _CHALLENGE_MAX_BYTES:
        return False
    if _RUISHU.search(body):
        return True
    return bool(_COOKIE.search(body) and _RELOAD.search(body) and len(_ANCHOR.findall(body)) < 3)
