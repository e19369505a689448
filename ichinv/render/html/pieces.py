"""Runs of text as the site's pages show them, and their HTML: the one place where markup is
built from record text in Python (everything else is a template's, escaped by Jinja2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ichinv.render.html.clean import clean


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text."""

    text: str
    lang: str = ""
    """BCP 47 tag when the text is in another language than the page; "" otherwise."""
    href: str = ""
    """A path inside the language's folder (`elements/KZ-2013-0001.html`), or an http(s)
    address when `external`; "" for plain text."""
    external: bool = False
    kind: str = ""
    """"" for text, `withheld` for a note standing for withheld content, `note` for a remark
    (the language a text is shown in), `id` for an identifier."""


_CLASSES = {"withheld": ("em", "withheld"), "note": ("span", "note"), "id": ("span", "id")}


def html(pieces: Iterable[Piece], prefix: str) -> Markup:
    """The pieces as HTML: text escaped, links inside the site relative to `prefix`, `lang`
    where a text is in another language. Addresses come from ichinv (paths it made, or http(s)
    addresses it checked), never a `javascript:` one."""
    out: list[str] = []
    for p in pieces:
        text = escape(clean(p.text))
        lang = f' lang="{escape(p.lang)}"' if p.lang else ""
        if p.href and p.external:
            href = escape(p.href)
            out.append(
                f'<a class="external" href="{href}" rel="noopener noreferrer"{lang}>{text}</a>'
            )
        elif p.href:
            out.append(f'<a href="{escape(prefix)}{escape(p.href)}"{lang}>{text}</a>')
        elif p.kind in _CLASSES:
            tag, name = _CLASSES[p.kind]
            out.append(f'<{tag} class="{name}"{lang}>{text}</{tag}>')
        elif lang:
            out.append(f"<span{lang}>{text}</span>")
        else:
            out.append(str(text))
    return Markup("".join(out))
