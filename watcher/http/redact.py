"""Keeping credentials out of messages and logs: URLs lose their passwords, and any known
secret (the proxy URL and its parts) is replaced wherever it appears."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"


def mask_url(url: str) -> str:
    """The URL with any user-info password replaced by ***; unparsable input is masked whole
    if it looks like it carries credentials."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK if "@" in url else url
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, _password = userinfo.partition(":")
    netloc = f"{user}:{MASK}@{hostport}" if sep else f"{MASK}@{hostport}"
    return urlunsplit(parts._replace(netloc=netloc))


def secret_parts(url: str) -> list[str]:
    """Strings derived from a secret URL that must never be shown: the URL itself and its
    user-info, raw and percent-decoded, longest first."""
    found = {url}
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        user, _, password = userinfo.partition(":")
        for piece in (userinfo, password, user if not password else ""):
            if piece:
                found.update({piece, unquote(piece)})
    return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """Replace every known secret in `text`, then mask passwords in any URL-like words."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    if "@" in text:
        text = " ".join(mask_url(word) if "://" in word and "@" in word else word for word in text.split(" "))
    return text
