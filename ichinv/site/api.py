"""`ichinv site`: every page of the public website, rendered, as files (path → bytes).

Layout of the built site (all links relative, so it works from `file://` and any static host):

    index.html                   the choice of language
    <lang>/index.html            home: what the inventory is, counts, latest additions, map
    <lang>/elements/index.html   every element; <lang>/elements/<id>.html one element (or its tombstone)
    <lang>/provinces/index.html  the map; <lang>/provinces/<id>.html one province, current or former
    <lang>/domains/…, <lang>/categories/…  index and one page each
    <lang>/about.html, <lang>/search.html
    assets/                      style sheet, search script, search index
    sitemap.xml                  with --base-url only

The same inputs give the same bytes: everything is sorted, and no date or time of the build
is written (nothing reads today's date, the clock or the environment, except the language of
ichinv's own messages, which only the findings printed about left-out records are in).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.core.vocabulary import ENDONYMS, Lang
from ichinv.inventory.audience import Audience
from ichinv.inventory.view import Inventory
from ichinv.io import cache_files, confined
from ichinv.io.settings import Settings
from ichinv.render.html import templates as templates_module
from ichinv.render.html.templates import Renderer
from ichinv.render.markdown import labels as i18n
from ichinv.site import list_pages, search
from ichinv.site.build import Local, Public
from ichinv.site.element_page import element_page
from ichinv.site.inputs import FORMAT, SITE_TEMPLATES, file_parts
from ichinv.site.inputs import LANGS as LANGS
from ichinv.site.inputs import Request as Request
from ichinv.site.inputs import digest as _digest
from ichinv.site.inputs import fingerprint as fingerprint
from ichinv.site.inputs import web_address as web_address
from ichinv.site.model import Language, Page
from ichinv.site.output import Entry
from ichinv.site.place_pages import province_index, province_page
from ichinv.site.words import Words

ASSETS = "assets"
NAV = ("home", "elements", "provinces", "domains", "categories", "search", "about")
"""The navigation of every page, in order (label `site.nav.<item>`)."""
NAV_PATHS: Mapping[str, str] = {
    "home": "index.html",
    "elements": "elements/index.html",
    "provinces": "provinces/index.html",
    "domains": "domains/index.html",
    "categories": "categories/index.html",
    "search": "search.html",
    "about": "about.html",
}


@dataclass(frozen=True, slots=True)
class Site:
    """The built site."""

    files: Mapping[str, bytes]
    """Path inside the site (`en/index.html`) → content, sorted by path."""
    left_out: tuple[Finding, ...] = ()
    """Record files that could not be read: the site is built without them, and the command
    names them and exits 1."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One file of the site, not yet made: what it is made from, and how to make it."""

    path: str
    inputs: str
    """A digest of everything the file is made from (its view model, the templates, the
    labels, ichinv's code): the same digest, the same bytes."""
    make: Callable[[], bytes]
    key: str = ""
    """For an element page: a digest of what its view model is built from (see `_page_key`)."""
    refs: tuple[str, ...] = ()
    """For an element page: the names its view model looked up (`e:<id>`, `p:<id>`)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Every file of the site, to be made."""

    files: tuple[Planned, ...]
    """Sorted by path."""
    left_out: tuple[Finding, ...] = ()
    """Record files that could not be read (see Site.left_out)."""


def build(settings: Settings, request: Request, inventory: Inventory) -> Site:
    """Every file of the site, from the public view of `inventory`."""
    planned = plan(settings, request, inventory)
    return Site({item.path: item.make() for item in planned.files}, planned.left_out)


def plan(
    settings: Settings,
    request: Request,
    inventory: Inventory,
    before: Mapping[str, Entry] | None = None,
) -> Plan:
    """Every file of the site, from the public view of `inventory`: view models built, pages
    rendered only when asked (a rebuild skips the pages whose inputs did not change).

    `before`: the files of the last build (ichinv.site.output.previous). An element page whose
    key (its record's bytes, the names it links, everything else it is made with) is the one
    recorded there is planned with its recorded inputs, its view model built only if the file
    must be made again."""
    templates = settings.templates_dir
    folder = templates / SITE_TEMPLATES
    if not folder.is_dir():
        raise TemplateError(
            _("the site templates folder {folder} does not exist").format(folder=folder),
            hint=_("copy templates/site/ (and templates/i18n/) of ichinv into the inventory"),
        )
    renderer = Renderer(folder, cache_root=settings.root)
    environment = _environment(settings, templates, request)
    records = _records_context(settings, environment)
    public = Public(inventory)
    found: list[Planned] = []
    before = before or {}
    for lang in request.langs:
        local = Local(public, Words(i18n.load(templates, lang.value, root=settings.root)))
        found.extend(
            Planned(
                f"{lang.value}/{page.path}",
                # The view model as bytes: plain dataclasses, tuples and text, so the same
                # model always gives the same bytes (pickle is 5 times faster than repr).
                _digest(environment, lang.value, pickle.dumps(page, protocol=5)),
                partial(_render, renderer, local, page, request),
            )
            for page in pages(local, request, elements=False)
        )
        found.extend(
            _element_planned(renderer, local, request, environment, records, eid, before)
            for eid in public.views
        )
    root = {
        "languages": tuple(
            (code.value, ENDONYMS[code.value], _title(templates, code, settings.root))
            for code in request.langs
        ),
        "top": "",
        "canonical": f"{request.base_url}/" if request.base_url else "",
    }
    found.append(
        Planned(
            "index.html",
            _digest(environment, repr(root)),
            lambda: renderer.render("root.html.j2", root).encode(),
        )
    )
    made = {**_assets(folder), f"{ASSETS}/search-index.js": search.script(public)}
    made[".nojekyll"] = b""
    if request.base_url:
        made["sitemap.xml"] = _sitemap(request.base_url, [*(f.path for f in found), *made])
    found += [Planned(path, _digest(data), partial(bytes, data)) for path, data in made.items()]
    return Plan(tuple(sorted(found, key=lambda item: item.path)), _left_out(inventory, public))


def _left_out(inventory: Inventory, public: Public) -> tuple[Finding, ...]:
    """Record files the site could not include: unreadable ones, and records whose id cannot
    be the name of a page (not of the form KZ-YYYY-NNNN, or a province id with other
    characters than letters, digits and dashes; `ichinv validate` says more)."""
    found = list(inventory.problems_for(Audience.PUBLIC))
    for eid, record in inventory.by_id.items():
        if eid not in public.views:
            found.append(
                Finding(
                    record.path,
                    "schema.pattern",
                    _("{id!r} is not an element id (KZ-YYYY-NNNN): the site leaves it out").format(
                        id=eid
                    ),
                    pointer="/id",
                )
            )
    for pid, record in inventory.provinces.items():
        if pid not in public.provinces:
            found.append(
                Finding(
                    record.path,
                    "schema.pattern",
                    _("{id!r} is not a province id: the site leaves it out").format(id=pid),
                    pointer="/id",
                )
            )
    return tuple(sorted(found, key=Finding.sort_key))


def _environment(settings: Settings, templates: Path, request: Request) -> str:
    """A digest of what every page is made with besides its view model: the request, the
    templates and labels, and the code that renders them (ichinv's version and sources)."""
    from ichinv import __version__

    parts: list[str | bytes] = [__version__, repr(request)]
    site = templates / SITE_TEMPLATES
    sources = [
        *((path, site) for path in sorted(site.rglob("*"))),
        *((path, templates) for path in sorted((templates / i18n.I18N_FOLDER).glob("*.yaml"))),
    ]
    for path, folder in sources:
        parts += file_parts(settings, path, folder)
    code = [
        *sorted(Path(__file__).parent.glob("*.py")),
        *sorted(Path(templates_module.__file__).parent.glob("*.py")),
    ]
    for path in code:
        parts += [path.name, path.read_bytes()]
    return _digest(*parts)


def _records_context(settings: Settings, environment: str) -> str:
    """What an element's public view is made from besides its record's bytes: the settings
    (visibility), the schemas (personal data), ichinv's code; and `environment`."""
    parts: list[str | bytes] = [
        f"site-element-{FORMAT}",
        environment,
        cache_files.code_digest(),
        cache_files.library_stamp("yaml"),
        repr(settings),
    ]
    schemas = settings.schema_dir
    for path in sorted(schemas.rglob("*")):
        parts += file_parts(settings, path, schemas)
    return _digest(*parts)


def _page_key(local: Local, context: str, eid: str, refs: Iterable[str]) -> str:
    """What the page of element `eid` in `local`'s language is made from: `context`, its record
    (path and bytes), and the names it links (`refs`: `e:<id>`, `p:<id>`), as they are now."""
    record = local.public.inventory.by_id[eid]
    parts: list[str | bytes] = [context, local.lang, eid, record.path, record.blob]
    if not record.blob:  # no blob id: nothing says its bytes are the same
        return ""
    names = {"e": local.element_names, "p": local.province_names}
    for ref in refs:
        kind, __, ident = ref.partition(":")
        table = names.get(kind)
        if table is None:
            return ""
        name = table.get(ident)
        parts += [ref, repr(name) if name is not None else "-"]
    return _digest(*parts)


def _element_planned(
    renderer: Renderer,
    local: Local,
    request: Request,
    environment: str,
    context: str,
    eid: str,
    before: Mapping[str, Entry],
) -> Planned:
    """The page of element `eid`: with the recorded inputs when its key is unchanged (the view
    model is then built only if the file must be made again), else from its view model."""
    path = f"{local.lang}/elements/{eid}.html"
    old = before.get(path)
    if old is not None and old.key and old.inputs:
        key = _page_key(local, context, eid, old.refs)
        if key == old.key:

            def make() -> bytes:
                return _render(renderer, local, element_page(local, eid), request)

            return Planned(path, old.inputs, make, key, old.refs)
    describer = local.describer
    describer.seen = set()
    try:
        page = element_page(local, eid)
        refs = tuple(sorted(describer.seen))
    finally:
        describer.seen = None
    return Planned(
        path,
        _digest(environment, local.lang, pickle.dumps(page, protocol=5)),
        partial(_render, renderer, local, page, request),
        _page_key(local, context, eid, refs),
        refs,
    )


def pages(local: Local, request: Request, *, elements: bool = True) -> list[Page]:
    """Every page of one language (`elements=False`: but the elements' own pages)."""
    public = local.public
    found = [
        list_pages.home(local),
        list_pages.elements_index(local),
        *(element_page(local, eid) for eid in public.views if elements),
        province_index(local),
        *(province_page(local, pid) for pid in public.provinces),
        *list_pages.domain_pages(local),
        *list_pages.category_pages(local),
        list_pages.about(local, request.repository),
        list_pages.search(local),
    ]
    return found


def _title(templates: Path, lang: Lang, root: Path) -> str:
    return Words(i18n.load(templates, lang.value, root=root))("site.title")


def _render(renderer: Renderer, local: Local, page: Page, request: Request) -> bytes:
    depth = page.path.count("/")
    prefix = "../" * depth
    top = "../" * (depth + 1)
    w = local.words
    languages = tuple(
        Language(
            code.value,
            ENDONYMS[code.value],
            f"{top}{code.value}/{page.path}",
            code.value == local.lang,
        )
        for code in request.langs
    )
    base = request.base_url
    context: dict[str, Any] = {
        "page": page,
        "body": page.body,
        "t": w,
        "lang": local.lang,
        "prefix": prefix,
        "top": top,
        "languages": languages,
        "nav": tuple((item, w(f"site.nav.{item}"), NAV_PATHS[item]) for item in NAV),
        "canonical": f"{base}/{local.lang}/{page.path}" if base else "",
        "alternates": tuple(
            (code.value, f"{base}/{code.value}/{page.path}") for code in request.langs
        )
        if base
        else (),
    }
    return renderer.render(page.template, context).encode()


def _assets(site: Path) -> dict[str, bytes]:
    """The files of templates/site/assets/ (the style sheet and scripts), as they are, read
    as ichinv.io.confined reads them: a link leading out of `site` (the site's templates
    folder), a pipe, a device or a file above confined.ASSET_LIMIT is refused, never copied
    into the site. Hidden files and folders are left out."""
    folder = site / ASSETS
    if not folder.is_dir():
        raise TemplateError(
            _("the folder {folder} does not exist").format(folder=folder),
            hint=_("copy templates/site/assets/ of ichinv into the inventory"),
        )
    found: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        try:
            found[f"{ASSETS}/{path.name}"] = confined.read(path, site, limit=confined.ASSET_LIMIT)
        except FileNotFoundError:  # a link that leads nowhere (or a file deleted meanwhile)
            continue
    return found


def _sitemap(base: str, files: Iterable[str]) -> bytes:
    from urllib.parse import quote
    from xml.sax.saxutils import escape

    # A sitemap holds addresses in ASCII: a name beyond it %-escaped (the base is already).
    urls = [f"{base}/{quote(path, safe='/')}" for path in files if path.endswith(".html")]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"  <url><loc>{escape(url)}</loc></url>" for url in sorted(urls)),
        "</urlset>",
        "",
    ]
    return "\n".join(lines).encode()
