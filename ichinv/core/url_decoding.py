"""A text as a browser reads the percent-encoded characters of a web address in it
(`https://t.me/%61igul_k` is `https://t.me/aigul_k`, `%2B7…` is `+7…`, `aigul%2540example.org`
is an address encoded twice): what ichinv.core.contacts judges besides the text as written,
for a contact hides in either."""

from __future__ import annotations

from urllib.parse import unquote

from ichinv.core.lazy_patterns import lazy

_ENCODED = lazy(r"%[0-9A-Fa-f]{2}")
"""A percent-encoded byte: `%` and two hexadecimal digits."""


def encoded(text: str) -> bool:
    """Whether `text` holds a percent-encoded byte (`%2B`, `%61`)."""
    return "%" in text and _ENCODED.search(text) is not None


def decoded_forms(text: str) -> tuple[str, ...]:
    """`text` percent-decoded once and, where that left another encoded byte, twice (`%2540` is
    `%40`, then `@`): each form that differs from `text` and from the one before, none when
    `text` holds no encoded byte. Bytes that are no UTF-8 read as U+FFFD (no contact's)."""
    if not encoded(text):
        return ()
    once = unquote(text)
    if once == text:
        return ()
    if not encoded(once):
        return (once,)
    twice = unquote(once)
    return (once,) if twice == once else (once, twice)
