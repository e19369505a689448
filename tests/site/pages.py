"""Reading built pages back: links, ids, scripts, attributes (html.parser, no dependency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Parsed:
    """What the tests look at in one HTML page."""

    lang: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    """(tag, address) of every href and src."""
    ids: set[str] = field(default_factory=set)
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    """Attributes that run code: on…= handlers, javascript: addresses, style=."""
    csp: str = ""
    tags: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    """Every lang attribute."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.page.tags.append(tag)
        if tag == "html":
            self.page.lang = found.get("lang") or ""
        if tag == "script":
            self.page.scripts.append(found)
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.page.csp = found.get("content") or ""
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.page.links.append((tag, value))
            if name == "id" and value:
                self.page.ids.add(value)
            if name == "lang" and value is not None:
                self.page.langs.append(value)
            if name.startswith("on") or name == "style":
                self.page.handlers.append(f"{tag} {name}")
            if value and value.strip().lower().startswith("javascript:"):
                self.page.handlers.append(f"{tag} {name}={value}")


def parse(html: bytes | str) -> Parsed:
    reader = _Reader()
    reader.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    reader.close()
    return reader.page
