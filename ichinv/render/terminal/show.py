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
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ichinv.inventory.audience import WHOLE_RECORD, Audience, Why, Withheld
from ichinv.inventory.fields import text_in
from ichinv.inventory.view import ElementView
from ichinv.render.terminal.console import word

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
    "contacts": "Contacts (personal data)",
    "documentation": "Documentation and references",
    "provenance": "Provenance",
    "unesco": "UNESCO listings",
    "related": "Related elements",
}
"""Built-in English names of the sections (the i18n tables' `field.*` labels come first)."""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in _list(value) if isinstance(v, Mapping)]


def _plain(value: Any) -> str:
    """Any value as short readable text (lists joined, maps as key: value)."""
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _value(value: Any) -> Text:
    """Any value as text; a note of what the public view withheld stands out."""
    style = "italic magenta" if isinstance(value, Withheld) else ""
    return Text(_plain(value).strip(), style=style)


def _grid(headers: Sequence[str]) -> Table:
    grid = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False)
    for header in headers:
        grid.add_column(header, overflow="fold")
    return grid


def _panel(title: str, body: RenderableType) -> Panel:
    return Panel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED)


def element(view: ElementView, labels: Labels | None = None) -> RenderableType:
    """Everything the audience may see of one element, in panels; the fields a public view
    withheld are named together in one panel, with the published reason."""
    return _Show(view, labels or {}).render()


class _Show:
    """Builds the panels of one element view with one language's labels."""

    def __init__(self, view: ElementView, labels: Labels) -> None:
        self.withheld = {k: v for k, v in view.data.items() if isinstance(v, Withheld)}
        self.view = replace(
            view, data={k: v for k, v in view.data.items() if not isinstance(v, Withheld)}
        )
        self.data = self.view.data
        self.labels = labels

    # --- words -----------------------------------------------------------------------------

    def t(self, key: str, english: str) -> str:
        """The label `key` in the view's language, else `english`."""
        return self.labels.get(key, english)

    def field(self, name: str, english: str) -> str:
        return self.t(f"field.{name}", english)

    def word(self, group: str, value: Any) -> Text:
        """A vocabulary value in the view's language, coloured like its state."""
        if not isinstance(value, str):
            return _value(value)
        text = word(value)
        text.plain = self.t(f"value.{group}.{value}", value)
        return text

    def words(self, group: str, values: Any) -> str:
        return ", ".join(self.t(f"value.{group}.{v}", str(v)) for v in _list(values))

    def in_lang(self, texts: Any) -> Text:
        """A text kept by language, in the view's language or with a note of the one used."""
        lang = self.view.lang
        found, used = text_in(_map(texts), lang)
        if not found:
            return _value(texts)  # not a map by language (e.g. a withheld note)
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
                parts.append(_panel(f(name, ENGLISH[name]), build()))
        parts.append(
            _panel(f"{f('consent', 'Consent')} · {f('access', 'Access')}", self.consent_access())
        )
        parts.extend(
            _panel(f(name, ENGLISH[name]), getattr(self, name)())
            for name in ("contacts", "unesco", "provenance", "related", "documentation")
            if data.get(name) is not None
        )
        rest = {k: v for k, v in data.items() if k not in SHOWN}
        if rest:
            parts.append(
                _panel(
                    self.t("show.other", "Other fields"),
                    self.rows([(f(k, k), _plain(v)) for k, v in rest.items()]),
                )
            )
        if self.withheld:
            parts.append(self.withheld_panel())
        parts.append(self.audience_note())
        return Group(*parts)

    def identification(self) -> Panel:
        view, data, f = self.view, self.data, self.field
        names = _map(data.get("names"))
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
            for item in _maps(data.get("other_names"))
        )
        status = self.word("status", data.get("status"))
        change = _map(data.get("status_change"))
        if change:
            status.append(f" — {_plain(change.get('reason', '')).strip()}")
            if change.get("merged_into"):
                target = str(change["merged_into"])
                status.append(f" ({f('merged_into', 'Merged into')} {target} ")
                status.append(f"{view.element_names.get(target, '')})".lstrip())
            if change.get("date"):
                status.append(f", {change['date']}")
        category = data.get("national_category")
        index = _map(data.get("provenance")).get("national_index")
        provinces = Text()
        ids = [str(pid) for pid in _list(data.get("provinces"))]
        many = len(ids) > 6  # a nationwide element: one wrapped line, not twenty
        for number, pid in enumerate(ids):
            provinces.append(("; " if many else "\n") if number else "")
            provinces.append(pid, style="bold")
            provinces.append(f" {view.province_names.get(pid, '')}".rstrip())
        places = Text()
        for number, place in enumerate(_maps(data.get("locations"))):
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
            (f("path", "File"), view.path),
        ]
        return Panel(self.rows(rows), title=title, title_align="left", box=box.HEAVY)

    def communities(self) -> RenderableType:
        items = _maps(self.data.get("communities"))
        if not items:
            return _value(self.data.get("communities"))
        columns = [("name", "Name", ""), ("kind", "Kind", "community_kind")]
        columns += [("role", "Role", "community_role"), ("description", "Description", "")]
        shown = [c for c in columns if any(item.get(c[0]) for item in items)]
        grid = _grid([self.field(key, english) for key, english, _ in shown])
        for item in items:
            grid.add_row(
                *(
                    self.word(group, item.get(key)) if group else _value(item.get(key))
                    for key, _, group in shown
                )
            )
        return grid

    def sub_items(self) -> RenderableType:
        items = _maps(self.data.get("sub_items"))
        if not items:
            return _value(self.data.get("sub_items"))
        grid = _grid([self.field("name", "Name"), self.field("note", "Note")])
        for item in items:
            names = _map(item.get("names"))
            name, _ = text_in(names, self.view.lang)
            grid.add_row(_value(name or item.get("name")), _value(item.get("note")))
        return grid

    def characteristics(self) -> RenderableType:
        data = _map(self.data.get("characteristics"))
        if not data:
            return _value(self.data.get("characteristics"))
        f = self.field
        return self.rows(
            [
                (
                    f("tangible_elements", "Associated tangible elements"),
                    "\n".join(str(v) for v in _list(data.get("tangible_elements"))),
                ),
                (
                    f("intangible_elements", "Associated intangible elements"),
                    "\n".join(str(v) for v in _list(data.get("intangible_elements"))),
                ),
                (f("languages", "Languages"), self.words("language", data.get("languages"))),
                (f("origin", "Perceived origin"), _plain(data.get("origin")).strip()),
            ]
        )

    def transmission(self) -> RenderableType:
        data = _map(self.data.get("transmission"))
        if not data:
            return _value(self.data.get("transmission"))
        return self.rows(
            [
                (
                    self.field("modes", "Modes of transmission"),
                    self.words("transmission_mode", data.get("modes")),
                ),
                (
                    self.field("description", "Description"),
                    self.in_lang(data["description"]) if "description" in data else None,
                ),
            ]
        )

    def viability(self) -> RenderableType:
        data = _map(self.data.get("viability"))
        if not data:
            return _value(self.data.get("viability"))
        threats = Text()
        for number, threat in enumerate(_maps(data.get("threats"))):
            threats.append("\n" if number else "")
            threats.append("• " + str(threat.get("threat", "")).strip())
            if threat.get("kind"):
                kind = self.t(f"value.threat_kind.{threat['kind']}", str(threat["kind"]))
                threats.append(f" ({kind})", style="dim")
        f = self.field
        return self.rows(
            [
                (f("viability.status", "Viability"), self.word("viability", data.get("status"))),
                (f("assessed", "Assessed on"), _plain(data.get("assessed"))),
                (f("assessed_by", "Assessed by"), _plain(data.get("assessed_by"))),
                (f("threats", "Threats"), threats),
                (f("notes", "Notes"), self.in_lang(data["notes"]) if "notes" in data else None),
            ]
        )

    def safeguarding(self) -> RenderableType:
        items = _maps(self.data.get("safeguarding"))
        if not items:
            return _value(self.data.get("safeguarding"))
        f = self.field
        grid = _grid(
            [
                f("measure", "Measure"),
                f("kind", "Kind"),
                f("by", "Carried out by"),
                f("safeguarding.status", "State"),
                f"{f('since', 'Since')} – {f('until', 'Until')}",
            ]
        )
        for item in items:
            period = " – ".join(str(item[k]) for k in ("since", "until") if item.get(k))
            grid.add_row(
                _value(item.get("measure")),
                self.word("measure_kind", item.get("kind")),
                _value(item.get("by")),
                self.word("measure_status", item.get("status")),
                Text(period),
            )
        return grid

    def consent_access(self) -> RenderableType:
        f = self.field
        consent = _map(self.data.get("consent"))
        access = _map(self.data.get("access"))
        history = Text()
        for number, step in enumerate(_maps(consent.get("history"))):
            history.append("\n" if number else "")
            history.append(f"{step.get('date', '')} ")
            history.append_text(self.word("consent", step.get("status")))
            if step.get("note"):
                history.append(f" — {step['note']}")
        rows: list[tuple[str, RenderableType | str | None]] = []
        if consent:
            rows += [
                (f("consent.status", "Consent"), self.word("consent", consent.get("status"))),
                (f("date", "Date"), _plain(consent.get("date"))),
                (f("form", "Form"), self.word("consent_form", consent.get("form"))),
                (f("evidence", "Evidence"), _plain(consent.get("evidence"))),
                (f("scope", "Scope"), _plain(consent.get("scope")).strip()),
                (f("history", "History"), history),
            ]
        if access:
            rows += [
                (f("level", "Access level"), self.word("access", access.get("level"))),
                (
                    f("restricted_parts", "Restricted parts"),
                    ", ".join(str(p) for p in _list(access.get("restricted_parts"))),
                ),
                (f("reason", "Reason"), _plain(access.get("reason")).strip()),
                (f("decided_by", "Decided by"), _plain(access.get("decided_by"))),
            ]
        return self.rows(rows)

    def contacts(self) -> RenderableType:
        items = _maps(self.data.get("contacts"))
        if not items:
            return _value(self.data.get("contacts"))
        keys = [
            ("name", "Name"),
            ("role", "Role"),
            ("organisation", "Organisation"),
            ("email", "E-mail"),
            ("phone", "Telephone"),
            ("note", "Note"),
        ]
        grid = _grid([self.field(key, english) for key, english in keys])
        for item in items:
            grid.add_row(
                *(
                    self.word("contact_role", item.get(key))
                    if key == "role"
                    else _value(item.get(key))
                    for key, _ in keys
                )
            )
        return grid

    def unesco(self) -> RenderableType:
        items = _maps(self.data.get("unesco"))
        if not items:
            return _value(self.data.get("unesco"))
        f = self.field
        grid = _grid(
            [
                f("year", "Year"),
                f("unesco.list", "List"),
                f("title", "Title"),
                f("states", "States"),
                f"{f('decision', 'Decision')} / {f('number', 'File number')}",
            ]
        )
        for item in items:
            grid.add_row(
                _value(item.get("year")),
                self.word("unesco_list", item.get("list")),
                _value(item.get("title")),
                Text(", ".join(str(s) for s in _list(item.get("states")))),
                Text(" ".join(_plain(item.get(k)) for k in ("decision", "number") if item.get(k))),
            )
        return grid

    def provenance(self) -> RenderableType:
        data = _map(self.data.get("provenance"))
        if not data:
            return _value(self.data.get("provenance"))
        f = self.field
        sources = _grid(
            [
                f("list", "Source list"),
                f("order", "Order"),
                f("note", "Note"),
                f("url", "Web address"),
            ]
        )
        for item in _maps(data.get("sources")):
            order = _plain(item.get("order")) + (f", {item['row']}" if item.get("row") else "")
            sources.add_row(
                self.word("source_list", item.get("list")),
                Text(order.strip(", ")),
                _value(item.get("note")),
                _value(item.get("url")),
            )
        facts = self.rows(
            [
                (f("entered", "Date of entry"), _plain(data.get("entered"))),
                (f("updated", "Last update"), _plain(data.get("updated"))),
                (f("national_index", "National index number"), _plain(data.get("national_index"))),
                (f("inventoried_by", "Inventoried by"), _plain(data.get("inventoried_by"))),
                (
                    f("illustrative", "Illustrative"),
                    self.t("value.bool.yes", "yes") if data.get("illustrative") else None,
                ),
            ]
        )
        return Group(facts, sources) if sources.row_count else facts

    def related(self) -> RenderableType:
        items = _maps(self.data.get("related"))
        if not items:
            return _value(self.data.get("related"))
        f = self.field
        grid = _grid(
            [f("id", "Identifier"), f("name", "Name"), f("relation", "Relation"), f("note", "Note")]
        )
        for item in items:
            other = str(item.get("id", ""))
            grid.add_row(
                Text(other),
                Text(self.view.element_names.get(other) or "—"),
                self.word("relation", item.get("relation")),
                _value(item.get("note")),
            )
        return grid

    def documentation(self) -> RenderableType:
        items = _maps(self.data.get("documentation"))
        if not items:
            return _value(self.data.get("documentation"))
        f = self.field
        grid = _grid(
            [f("title", "Title"), f("kind", "Kind"), f("year", "Year"), f("citation", "Citation")]
        )
        for item in items:
            where = " ".join(
                _plain(item.get(k)) for k in ("citation", "url", "path") if item.get(k)
            )
            grid.add_row(
                _value(item.get("title")),
                self.word("document_kind", item.get("kind")),
                _value(item.get("year")),
                Text(where),
            )
        return grid

    # --- what was left out -----------------------------------------------------------------

    def withheld_panel(self) -> Panel:
        names = [self.field(k, ENGLISH.get(k, k)) for k in self.withheld if k != "schema_version"]
        found = {note.reason for note in self.withheld.values() if note.reason}
        reasons: list[str | None] = [*sorted(found)] if found else [None]
        body = Text()
        for reason in reasons:
            if reason:
                line = self.t("withheld.restricted", "Withheld by customary restriction: {reason}")
                body.append(line.replace("{reason}", reason) + "\n")
            else:
                body.append(
                    self.t("withheld.restricted_no_reason", "Withheld by customary restriction.")
                    + "\n"
                )
        body.append(", ".join(names), style="italic magenta")
        return _panel(self.t("withheld.short", "withheld").capitalize(), body)

    def audience_note(self) -> Text:
        view = self.view
        if view.audience is Audience.COMMITTEE:
            return Text(
                "Committee view: contains personal data and restricted parts. Do not share.",
                style="bold red",
            )
        if not view.withheld:
            return Text("Public view.", style="dim")
        personal = sorted(
            {p.pointer.lstrip("/").split("/")[0] for p in view.withheld if p.why is Why.PERSONAL}
        )
        restricted = [
            "everything but the identification" if p.pointer == WHOLE_RECORD else p.pointer
            for p in view.withheld
            if p.why is Why.RESTRICTED
        ]
        return Text(
            "Public view: withheld " + ", ".join([*personal, *restricted]) + ". "
            "Add --audience committee to see them.",
            style="dim",
        )
