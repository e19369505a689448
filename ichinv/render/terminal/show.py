"""The rich view of one element (`ichinv show`): panels of fields, labelled in the chosen language.

Labels come from the translation tables of templates/i18n/ (the ones packets use: `field.*` for
field names, `value.<group>.<value>` for vocabulary), with the English wording built in here
behind them, so an inventory without templates still gets a readable view. Record text enters
rich as `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ichinv.core import pointers
from ichinv.inventory.audience import WHOLE_RECORD, Audience, Why, Withheld, WithheldPart
from ichinv.inventory.element_view import ElementView
from ichinv.inventory.fields import text_in
from ichinv.inventory.redaction import nameable
from ichinv.render.markdown.sections import WHY_LABEL
from ichinv.render.plain import one_line, visible, visible_data
from ichinv.render.terminal.console import word
from ichinv.render.terminal.show_sections import (
    Sections,
    as_list,
    as_map,
    as_maps,
    plain_text,
    value_text,
)

Labels = Mapping[str, str]
"""Label key → text in the chosen language (the flattened i18n table, English behind it)."""

SHOWN = frozenset(
    {
        "schema_version",
        "id",
        "names",
        "latin_orthography",
        "other_names",
        "domains",
        "national_category",
        "provinces",
        "locations",
        "status",
        "status_change",
        "communities",
        "description",
        "transmission",
        "viability",
        "safeguarding",
        "consent",
        "access",
        "contacts",
        "provenance",
        "unesco",
        "related",
        "documentation",
        "characteristics",
        "sub_items",
    }
)
"""Fields with a place of their own; any other field is listed under "Other fields"."""

ENGLISH = {
    "locations": "Places",
    "communities": "Communities, groups and individuals concerned",
    "description": "Description",
    "sub_items": "Sub-items and variants",
    "characteristics": "Characteristics",
    "transmission": "Transmission",
    "viability": "Viability",
    "safeguarding": "Safeguarding measures",
    "consent": "Consent",
    "access": "Access",
    "contacts": "Contacts (personal data)",
    "documentation": "Documentation and references",
    "provenance": "Provenance",
    "unesco": "UNESCO listings",
    "related": "Related elements",
}
"""Built-in English names of the sections (the i18n tables' `field.*` labels come first)."""

WHY_ENGLISH = {
    "personal": "Withheld: personal data, never published.",
    "restricted_no_reason": "Withheld by customary restriction.",
    "consent_not_given": "Withheld until the communities give their consent.",
    "unreadable": (
        "Withheld until the record is fixed: its access section cannot be read, or another "
        "file holds its id."
    ),
    "unknown": "Withheld until this part is in the form the schema describes.",
}
"""Built-in English notes of why a part is withheld (the i18n tables' `withheld.*` first)."""


def element(
    view: ElementView, labels: Labels | None = None, *, plain: bool = False
) -> RenderableType:
    """Everything the audience may see of one element, in panels; the fields a public view
    withheld are named together in one panel, with the published reason. Record text is made
    safe for a terminal (no escape sequence reaches it); `plain`: lines for a pipe, without
    frames."""
    return _Show(view, labels or {}, plain=plain).render()


class _Show(Sections):
    """Builds the panels of one element view with one language's labels."""

    def __init__(self, view: ElementView, labels: Labels, *, plain: bool = False) -> None:
        data = visible_data(dict(view.data))
        self.withheld = {k: v for k, v in data.items() if isinstance(v, Withheld)}
        self.view = replace(
            view,
            data={k: v for k, v in data.items() if not isinstance(v, Withheld)},
            province_names=visible_data(dict(view.province_names)),
            element_names=visible_data(dict(view.element_names)),
        )
        self.data = self.view.data
        self.labels = labels
        self.plain = plain
        self.links = []

    # --- words -----------------------------------------------------------------------------

    def t(self, key: str, english: str) -> str:
        """The label `key` in the view's language, else `english`."""
        return self.labels.get(key, english)

    def field(self, name: str, english: str) -> str:
        return self.t(f"field.{name}", english)

    def word(self, group: str, value: Any) -> Text:
        """A vocabulary value in the view's language, coloured like its state."""
        if not isinstance(value, str):
            return value_text(value)
        text = word(value)
        text.plain = self.t(f"value.{group}.{value}", value)
        return text

    def words(self, group: str, values: Any) -> str:
        return ", ".join(self.t(f"value.{group}.{v}", str(v)) for v in as_list(values))

    def in_lang(self, texts: Any) -> Text:
        """A text kept by language, in the view's language or with a note of the one used."""
        lang = self.view.lang
        found, used = text_in(as_map(texts), lang)
        if not found:
            return value_text(texts)  # not a map by language (e.g. a withheld note)
        result = Text(found.rstrip("\n"))
        if used != lang:
            note = self.t("note.fallback", "Not available in {lang}; shown in {used}.")
            note = note.replace("{lang}", self.t(f"value.language.{lang}", lang))
            note = note.replace("{used}", self.t(f"value.language.{used}", used))
            result.append(f"\n({note})", style="dim italic")
        return result

    def rows(self, rows: Sequence[tuple[str, RenderableType | str | None]]) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in rows:
            if value is None or value == "" or (isinstance(value, Text) and not value.plain):
                continue
            grid.add_row(label, Text(value) if isinstance(value, str) else value)
        return grid

    # --- the view --------------------------------------------------------------------------

    def render(self) -> RenderableType:
        data = self.data
        f = self.field
        parts: list[RenderableType] = [self.identification()]
        sections = [
            ("description", lambda: self.in_lang(data["description"])),
            ("sub_items", self.sub_items),
            ("communities", self.communities),
            ("characteristics", self.characteristics),
            ("transmission", self.transmission),
            ("viability", self.viability),
            ("safeguarding", self.safeguarding),
        ]
        for name, build in sections:
            if data.get(name) is not None:
                parts.append(self.panel(f(name, ENGLISH[name]), build()))
        parts.append(
            self.panel(
                f"{f('consent', 'Consent')} · {f('access', 'Access')}", self.consent_access()
            )
        )
        parts.extend(
            self.panel(f(name, ENGLISH[name]), getattr(self, name)())
            for name in ("contacts", "unesco", "provenance", "related", "documentation")
            if data.get(name) is not None
        )
        # Fields the schema does not know, then keys inside fields (by pointer): no section
        # has a place for them, and the committee's view holds them to be seen.
        other = [(f(k, k), plain_text(v)) for k, v in data.items() if k not in SHOWN]
        other += [(visible(where), plain_text(visible_data(v))) for where, v in self.view.unknown]
        if other:
            parts.append(self.panel(self.t("show.other", "Other fields"), self.rows(other)))
        if self.withheld:
            parts.append(self.withheld_panel())
        if self.links:
            parts.append(self.link_lines())
        parts.append(self.audience_note())
        return Group(*parts)

    def link_lines(self) -> RenderableType:
        """The web addresses the tables refer to as `[n]`, whole, one per line, outside any
        frame: a terminal wraps a long one visually, but it stays one address to click or
        copy."""
        lines = [Text(self.t("show.links", "Web addresses"), style="bold")]
        lines += [
            Text(f"[{n}] {url}", no_wrap=True, overflow="ignore")
            for n, url in enumerate(self.links, 1)
        ]
        return Group(*lines, Text(""))

    def identification(self) -> RenderableType:
        view, data, f = self.view, self.data, self.field
        names = as_map(data.get("names"))
        name, used = text_in(names, view.lang)
        title = Text(f"{view.id}  ", style="bold")
        title.append(name or "—", style="bold cyan")
        other = [
            f"{lang}: {text}"
            for lang, text in names.items()
            if lang != used and isinstance(text, str)
        ]
        other.extend(
            f"{item.get('lang', '?')}: {item.get('name', '')}"
            + (f" ({item['note']})" if item.get("note") else "")
            for item in as_maps(data.get("other_names"))
        )
        status = self.word("status", data.get("status"))
        change = as_map(data.get("status_change"))
        if change:
            status.append(f" — {plain_text(change.get('reason', '')).strip()}")
            if change.get("merged_into"):
                target = str(change["merged_into"])
                status.append(f" ({f('merged_into', 'Merged into')} {target} ")
                status.append(f"{view.element_names.get(target, '')})".lstrip())
            if change.get("date"):
                status.append(f", {change['date']}")
        category = data.get("national_category")
        index = as_map(data.get("provenance")).get("national_index")
        provinces = Text()
        ids = [str(pid) for pid in as_list(data.get("provinces"))]
        many = len(ids) > 6  # a nationwide element: one wrapped line, not twenty
        for number, pid in enumerate(ids):
            provinces.append(("; " if many else "\n") if number else "")
            provinces.append(pid, style="bold")
            provinces.append(f" {view.province_names.get(pid, '')}".rstrip())
        places = Text()
        for number, place in enumerate(as_maps(data.get("locations"))):
            places.append("\n" if number else "")
            places.append(str(place.get("place", "")))
            if place.get("province"):
                places.append(f" ({place['province']})", style="dim")
            if place.get("note"):
                places.append(f" — {place['note']}")
        rows: list[tuple[str, RenderableType | str | None]] = [
            (f("other_names", "Other names"), "\n".join(other)),
            (f("status", "Status"), status),
            (f("domains", "Domains"), self.words("domain", data.get("domains"))),
            (
                f("national_category", "National category"),
                (self.t(f"value.category.{category}", str(category)) if category else "—")
                + (f" ({f('national_index', 'index')} {index})" if index else ""),
            ),
            (f("provinces", "Provinces"), provinces),
            (f("locations", "Places"), places),
            (f("confidence", "Certainty of the facts"), self.certainty_summary()),
            (f("path", "File"), one_line(view.path)),  # a name: every joiner escaped
        ]
        if self.plain:
            return Group(title, self.rows(rows), Text(""))
        named = [(f("name", "Name"), Text(name or "—", style="bold cyan")), *rows]
        return _Framed(title, Text(view.id, style="bold"), self.rows(rows), self.rows(named))

    def withheld_panel(self) -> RenderableType:
        """Every part the public view withheld (ichinv.inventory.audience.withheld_parts: a
        field, an item of a list, personal data), under why it is withheld; never what."""
        groups: dict[tuple[str, str], list[str]] = {}
        for part in self.view.withheld:
            names = groups.setdefault((part.why.value, part.reason or ""), [])
            names.extend(name for name in self.part_names(part) if name not in names)
        body = Text()
        for number, ((why, reason), names) in enumerate(groups.items()):
            body.append(("\n" if number else "") + self.why(Why(why), reason or None))
            if names:
                body.append("\n" + ", ".join(names), style="italic magenta")
        return self.panel(self.t("withheld.short", "withheld").capitalize(), body)

    def part_names(self, part: WithheldPart) -> list[str]:
        """A withheld part in words (`Provenance › Sources › 2`): everything but the
        identification as the fields it left out; a pointer only as far as a message may name
        it (a key written as no field name may be a contact: `Documentation › 1 › …`)."""
        if part.pointer == WHOLE_RECORD:
            return [
                self.field(k, ENGLISH.get(k, k))
                for k, note in self.withheld.items()
                if k != "schema_version" and note.why is part.why
            ]
        shown = nameable(part.pointer)
        if not shown:
            return []
        top, *rest = pointers.split(shown)
        name = self.field(top, ENGLISH.get(top, top))
        if rest:
            name += " › " + self.pointer_words(pointers.join(rest))
        return [name if shown == part.pointer else f"{name} › …"]

    def why(self, why: Why, reason: str | None) -> str:
        """Why something is withheld, in the view's language (English built in)."""
        if why is Why.RESTRICTED and reason:
            line = self.t("withheld.restricted", "Withheld by customary restriction: {reason}")
            return line.replace("{reason}", reason)
        key = WHY_LABEL[why] if why is not Why.RESTRICTED else "restricted_no_reason"
        return self.t(f"withheld.{key}", WHY_ENGLISH[key])

    def audience_note(self) -> Text:
        view = self.view
        if view.audience is Audience.COMMITTEE:
            return Text(
                self.t(
                    "show.committee",
                    "Committee view: contains personal data and restricted parts. Do not share.",
                ),
                style="bold red",
            )
        if not view.withheld:
            return Text(self.t("show.public", "Public view."), style="dim")
        names: list[str] = []
        for part in view.withheld:
            if part.pointer == WHOLE_RECORD:
                name = self.t("show.all_but_identification", "everything but the identification")
            else:
                top = pointers.top(part.pointer)
                name = self.field(top, ENGLISH.get(top, top))
            if name not in names:
                names.append(name)
        line = self.t(
            "show.public_withheld",
            "Public view: withheld {fields}. Add --audience committee to see them.",
        )
        return Text(line.replace("{fields}", ", ".join(names)), style="dim")


class _Framed:
    """The element's first frame: its id and name in the frame's title where they fit, else
    the id alone there and the name, folded, as the first row (a title is cut, never folded)."""

    def __init__(self, title: Text, short: Text, body: Table, named: Table) -> None:
        self.title, self.short, self.body, self.named = title, short, body, named

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title.cell_len + 6 <= options.max_width:
            yield Panel(self.body, title=self.title, title_align="left", box=box.HEAVY)
        else:
            yield Panel(self.named, title=self.short, title_align="left", box=box.HEAVY)
