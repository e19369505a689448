"""Everything the site is made from, as one digest (`fingerprint`), computed without reading a
record: a rebuild whose inputs are those of the last build, into a folder still as written,
has nothing to do (ichinv.site.output.unchanged).

What the site is made from, all of it (`fingerprint` digests it for a rebuild to skip
everything when it is unchanged): the record files of elements/ and provinces/ (by git blob
id), what could not be read there, the settings (visibility, size limit…), the schemas (which
fields are personal data), the templates and labels, the request (languages, addresses),
ichinv's code and the libraries that render, and the language of messages. Never the private
overlay: the public view ignores it (ichinv.inventory.overlay.Overlay.attach).

Kept light (no template engine, no record reader): it runs before anything else.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from ichinv.core.errors import UsageError, typed
from ichinv.core.i18n import _
from ichinv.core.vocabulary import Lang
from ichinv.io import cache_files, confined
from ichinv.io.settings import Settings

FORMAT = 1
"""Version of `fingerprint` and of the element pages' keys (ichinv.site.api)."""
SITE_TEMPLATES = "site"
"""The folder of the site's templates inside the templates folder."""
LABELS = "i18n"
"""The folder of the labels inside the templates folder (ichinv.render.markdown.labels)."""
LANGS: tuple[Lang, ...] = (Lang.KK, Lang.RU, Lang.EN)
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'\\`\x00-\x1f\x7f]+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Request:
    """What to build: the languages and the addresses the site is published at."""

    langs: tuple[Lang, ...] = LANGS
    """In the order the language choice lists them."""
    base_url: str = ""
    """Where the site is published (for canonical links and sitemap.xml); "" when unknown."""
    repository: str = ""
    """Where the records are kept (the about page links it); "" when not given."""


def web_address(value: str | None, option: str) -> str:
    """`value` if it is an http(s) address (without a trailing slash; its host and path as a
    sitemap wants them, in ASCII: `xn--` names, `%`-escapes), else a UsageError; "" for None
    (the option not given)."""
    if value is None:
        return ""
    if not value.strip() or not _WEB_ADDRESS.match(value):
        raise UsageError(
            _("{option} {value!r} is not a web address").format(option=option, value=typed(value)),
            hint=_(
                "give an address that starts with https:// or http://, e.g. {option} "
                "https://example.org/inventory"
            ).format(option=option),
        )
    # What every page would publish: `?token=…`, `https://user:secret@…`.
    secret = (
        _("{option} holds a query or a fragment (after ? or #): every page would publish it")
        if "?" in value or "#" in value
        else _("{option} holds a user name or password (before an @): every page would publish it")
        if "@" in value.split("://", 1)[1].split("/", 1)[0]
        else None
    )
    if secret is not None:
        raise UsageError(
            secret.format(option=option),
            hint=_(
                "give the address without them, e.g. {option} https://example.org/inventory"
            ).format(option=option),
        )
    ascii_value = _in_ascii(value)
    if ascii_value is None:
        raise UsageError(
            _("{option} {value!r} is not a web address: its host or port cannot be read").format(
                option=option, value=typed(value)
            ),
            hint=_(
                "give a host name or address (an IPv6 address between [ and ]) and, if "
                "needed, a port from 1 to 65535, e.g. {option} https://example.org:8443/inventory"
            ).format(option=option),
        )
    return ascii_value.rstrip("/")


_HOST_NAME = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?$"
)
"""A host name in ASCII (letters, digits, hyphens between dots): `exa%00mple.org` is none."""


def _in_ascii(value: str) -> str | None:
    """The web address `value` with its host in ASCII (an IDN as its `xn--` name) and what its
    path holds beyond ASCII `%`-escaped; None when urllib reads no host from it (`https://[::1/`),
    the host is no host name nor IP address (`exa%00mple.org`), or a port, if it has one, is
    not from 1 to 65535 (`https://example.org:99999/`)."""
    try:
        parts = urlsplit(value)
        port = parts.port
        host = parts.hostname
        if not host or port == 0:
            return None
        if not host.startswith("[") and ":" not in host:  # an IPv6 address is checked above
            host = host.encode("idna").decode("ascii")
            if not _HOST_NAME.match(host):
                return None
    except (ValueError, UnicodeError):  # an unclosed [, a bad IPv6 address or port, a bad name
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    return urlunsplit((parts.scheme.lower(), netloc, path, "", ""))


def fingerprint(settings: Settings, request: Request) -> str:
    """A digest of everything the site is made from (see the module), computed without
    parsing a record: blob ids of the record files come from git's index (files git vouches
    are unmodified are not even read; ichinv.inventory.snapshots). Take it before the records
    are read: a file changed during the build then only makes the next build do more."""
    from ichinv.core import i18n as messages
    from ichinv.inventory import snapshots

    templates = settings.templates_dir
    lang = messages.current()
    parts: list[str | bytes] = [
        f"site-fingerprint-{FORMAT}",
        cache_files.code_digest(),
        *(cache_files.library_stamp(name) for name in ("jinja2", "markupsafe", "yaml")),
        sys.version,
        repr(settings),
        repr(request),
        lang,
    ]
    catalogue = messages.LOCALE_DIR / lang / "LC_MESSAGES" / f"{messages.DOMAIN}.po"
    site, schemas = templates / SITE_TEMPLATES, settings.schema_dir
    sources = [
        *([(catalogue, catalogue.parent)] if lang != messages.SOURCE else []),
        *((path, site) for path in sorted(site.rglob("*"))),
        *((path, templates) for path in sorted((templates / LABELS).glob("*.yaml"))),
        *((path, schemas) for path in sorted(schemas.rglob("*"))),
    ]
    for path, folder in sources:
        parts += file_parts(settings, path, folder)
    with snapshots.current(settings) as tree:
        for ref in sorted(tree.files.values(), key=lambda ref: ref.path):
            parts += [ref.kind.value, ref.path, ref.blob]
            if not ref.blob:
                parts.append(repr(tree.unreadable(ref.path)))
        parts += [repr(problem) for problem in tree.problems]
    return digest(*parts)


def file_parts(settings: Settings, path: Path, folder: Path) -> list[str | bytes]:
    """A file of `folder` as part of a fingerprint: its place, and its bytes (or why they are
    missing: a file the site does not use may be anything, and is not read unless
    ichinv.io.confined may read it)."""
    name = settings.relative(path)
    if path.is_symlink():
        name += " -> " + os.path.realpath(path)
    try:
        if path.is_dir():
            return [name, "folder"]
        return [name, confined.read(path, folder, limit=confined.ASSET_LIMIT)]
    except OSError as exc:
        return [name, f"unreadable: {exc.errno}"]
    except confined.Refused as refused:
        return [name, f"refused: {refused.message}"]


def digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()
