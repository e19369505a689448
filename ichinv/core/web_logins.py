"""Where the user name and password of a web address stand in a text (`https://aigul:secret@
opennews.kz/…`): personal data and a secret, which `contacts.web_login` finds and
`contacts.without_web_login` leaves out. One scan, in time linear in the text's length."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core.contact_patterns import SCHEME_SLASHES, SPECIAL_SCHEME
from ichinv.core.lazy_patterns import lazy

_HOST_START = lazy(SCHEME_SLASHES)
_SPECIAL = lazy(SPECIAL_SCHEME)
_SLASHES = lazy(r"[/\\\t\n\r]*+")
_HOST_END = lazy(r"[\s/?#\\]")
"""Where a web address's host, with the user name and password before it, ends: at its path,
query or fragment, or at white space."""


def login_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The spans of the user names and passwords of the web addresses in `text[start:end]`,
    each up to and with the last `@` before its host's end (`_HOST_END`), where its host begins
    (`SCHEME_SLASHES`): a browser reads the host after that `@` (`https://x.org/File:Dombra@2x.png`
    and `…/maps/@43.2,76.9` hold none, `https://@x.org` an empty one, no login). When the span
    is left out, the slashes after it join the scheme's (`https://a@/b@host` reads as
    `https:///b@host` once `a@` is left out, after a scheme a browser reads any slashes of):
    the user name after them is one too, as a search again of the text left would find.

    Each host's end is looked for once, however many schemes stand before it: linear time."""
    end = len(text) if end is None else end
    run_end = last_at = -1  # the end of the host looked at last, and its last `@`
    at = start
    while (found := _HOST_START.search(text, at, end)) is not None:
        at, host = found.end(), found.end()
        special = _SPECIAL.match(text, found.start() + 1) is not None
        while True:
            if host >= run_end:  # a host not looked at yet
                stop = _HOST_END.search(text, host, end)
                run_end = end if stop is None else stop.start()
                last_at = text.rfind("@", host, run_end)
            if last_at <= host:  # (an `@` right where the host begins ends no user name)
                break
            yield host, last_at + 1
            at = last_at + 1
            if not special:
                break
            host = _SLASHES.match(text, at, end).end()  # type: ignore[union-attr]
