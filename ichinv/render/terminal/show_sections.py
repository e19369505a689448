"""Pieces of the rich element view (`ichinv show`): values as text, grids and panels, and one
builder per section of a record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ichinv.core import pointers
from ichinv.inventory import certainty
from ichinv.inventory.audience import Withheld
from ichinv.inventory.element_view import ElementView
from ichinv.inventory.fields import text_in
from ichinv.render.plain import join_clauses
from ichinv.render.terminal.console import STYLE_OF

FACT_ENGLISH = {
    "entered": "Date of entry",
    "listed": "On the list",
    "row": "Row",
    "national_category": "National category",
    "domains": "Convention domains",
    "names": "Names in Kazakh and Russian",
    "provinces": "Provinces where it is practised",
}
"""Built-in English names of the facts of `provenance.confidence` (the i18n tables'
`value.fact.*` labels come first)."""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in as_list(value) if isinstance(v, Mapping)]


def plain_text(value: Any) -> str:
    """Any value as short readable text (lists joined, maps as key: value)."""
    if isinstance(value, list):
        return join_clauses((plain_text(v) for v in value), ", ")
    if isinstance(value, Mapping):
        return join_clauses(f"{k}: {plain_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def value_text(value: Any) -> Text:
    """Any value as text; a note of what the public view withheld stands out."""
    style = "italic magenta" if isinstance(value, Withheld) else ""
    return Text(plain_text(value).strip(), style=style)


def new_grid(headers: Sequence[str], *, plain: bool = False) -> Table:
    """A table of entries with `headers`; without lines (and as wide as its text) when `plain`."""
    grid = Table(box=None if plain else box.SIMPLE_HEAD, expand=not plain, show_edge=False)
    for header in headers:
        grid.add_column(header, overflow="fold")
    return grid


def panel(title: str, body: RenderableType, *, plain: bool = False) -> RenderableType:
    """A titled section: in a frame on a terminal, a heading and its lines in a pipe."""
    if plain:
        return Group(Text(f"== {title} =="), body, Text(""))
    return Panel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED)


class Sections:
    """The panels of the sections of one element view (mixed into the view's builder, which
    supplies the labels, the words and the rows)."""

    view: ElementView
    data: Mapping[str, Any]
    plain: bool
    """Plain lines for a pipe: no frames, no table lines, nothing wrapped."""
    links: list[str]
    """Web addresses met while rendering, in order: tables show `[n]`, and the addresses are
    printed whole at the end, one per line (a table would cut them across lines)."""

    def link(self, url: Any) -> Text:
        """`[n]` for a web address (listed whole at the end); other values as text."""
        if not isinstance(url, str) or not url.strip():
            return value_text(url)
        if url not in self.links:
            self.links.append(url)
        return Text(f"[{self.links.index(url) + 1}]", style="cyan")

    def pointer_words(self, pointer: Any) -> str:
        """A JSON pointer in words: `/communities/2/name` → `Communities › 3 › Name`; what is
        no pointer, as it is."""
        text = str(pointer)
        if not text.startswith("/"):
            return text
        try:
            parts = pointers.split(text)
        except ValueError:
            return text
        words = []
        for part in parts:
            if pointers.is_index(part):
                words.append(str(int(part) + 1))
            else:
                words.append(self.field(part, part.replace("_", " ").capitalize()))
        return " › ".join(words)

    def grid(self, headers: Sequence[str]) -> Table:
        return new_grid(headers, plain=self.plain)

    def panel(self, title: str, body: RenderableType) -> RenderableType:
        return panel(title, body, plain=self.plain)

    def field(self, name: str, english: str) -> str:  # pragma: no cover - the builder's
        raise NotImplementedError

    def t(self, key: str, english: str) -> str:  # pragma: no cover - the builder's
        raise NotImplementedError

    def word(self, group: str, value: Any) -> Text:  # pragma: no cover - the builder's
        raise NotImplementedError

    def words(self, group: str, values: Any) -> str:  # pragma: no cover - the builder's
        raise NotImplementedError

    def in_lang(self, texts: Any) -> Text:  # pragma: no cover - the builder's
        raise NotImplementedError

    def rows(
        self, rows: Sequence[tuple[str, RenderableType | str | None]]
    ) -> Table:  # pragma: no cover - the builder's
        raise NotImplementedError

    def communities(self) -> RenderableType:
        items = as_maps(self.data.get("communities"))
        if not items:
            return value_text(self.data.get("communities"))
        columns = [("name", "Name", ""), ("kind", "Kind", "community_kind")]
        columns += [("role", "Role", "community_role"), ("description", "Description", "")]
        shown = [c for c in columns if any(item.get(c[0]) for item in items)]
        grid = self.grid([self.field(key, english) for key, english, __ in shown])
        for item in items:
            grid.add_row(
                *(
                    self.word(group, item.get(key)) if group else value_text(item.get(key))
                    for key, __, group in shown
                )
            )
        return grid

    def sub_items(self) -> RenderableType:
        items = as_maps(self.data.get("sub_items"))
        if not items:
            return value_text(self.data.get("sub_items"))
        grid = self.grid([self.field("name", "Name"), self.field("note", "Note")])
        for item in items:
            names = as_map(item.get("names"))
            name, __ = text_in(names, self.view.lang)
            grid.add_row(value_text(name or item.get("name")), value_text(item.get("note")))
        return grid

    def characteristics(self) -> RenderableType:
        data = as_map(self.data.get("characteristics"))
        if not data:
            return value_text(self.data.get("characteristics"))
        f = self.field
        return self.rows(
            [
                (
                    f("tangible_elements", "Associated tangible elements"),
                    "\n".join(str(v) for v in as_list(data.get("tangible_elements"))),
                ),
                (
                    f("intangible_elements", "Associated intangible elements"),
                    "\n".join(str(v) for v in as_list(data.get("intangible_elements"))),
                ),
                (f("languages", "Languages"), self.words("language", data.get("languages"))),
                (f("origin", "Perceived origin"), plain_text(data.get("origin")).strip()),
            ]
        )

    def transmission(self) -> RenderableType:
        data = as_map(self.data.get("transmission"))
        if not data:
            return value_text(self.data.get("transmission"))
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
        data = as_map(self.data.get("viability"))
        if not data:
            return value_text(self.data.get("viability"))
        threats = Text()
        for number, threat in enumerate(as_maps(data.get("threats"))):
            threats.append("\n" if number else "")
            threats.append("• " + str(threat.get("threat", "")).strip())
            if threat.get("kind"):
                kind = self.t(f"value.threat_kind.{threat['kind']}", str(threat["kind"]))
                threats.append(f" ({kind})", style="dim")
        f = self.field
        return self.rows(
            [
                (f("viability.status", "Viability"), self.word("viability", data.get("status"))),
                (f("assessed", "Assessed on"), plain_text(data.get("assessed"))),
                (f("assessed_by", "Assessed by"), plain_text(data.get("assessed_by"))),
                (f("threats", "Threats"), threats),
                (f("notes", "Notes"), self.in_lang(data["notes"]) if "notes" in data else None),
            ]
        )

    def safeguarding(self) -> RenderableType:
        items = as_maps(self.data.get("safeguarding"))
        if not items:
            return value_text(self.data.get("safeguarding"))
        f = self.field
        grid = self.grid(
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
                value_text(item.get("measure")),
                self.word("measure_kind", item.get("kind")),
                value_text(item.get("by")),
                self.word("measure_status", item.get("status")),
                Text(period),
            )
        return grid

    def consent_access(self) -> RenderableType:
        f = self.field
        consent = as_map(self.data.get("consent"))
        access = as_map(self.data.get("access"))
        history = Text()
        for number, step in enumerate(as_maps(consent.get("history"))):
            history.append("\n" if number else "")
            history.append(f"{step.get('date', '')} ")
            history.append_text(self.word("consent", step.get("status")))
            if step.get("note"):
                history.append(f" — {step['note']}")
        rows: list[tuple[str, RenderableType | str | None]] = []
        if consent:
            rows += [
                (f("consent.status", "Consent"), self.word("consent", consent.get("status"))),
                (f("date", "Date"), plain_text(consent.get("date"))),
                (f("form", "Form"), self.word("consent_form", consent.get("form"))),
                (f("evidence", "Evidence"), plain_text(consent.get("evidence"))),
                (f("scope", "Scope"), plain_text(consent.get("scope")).strip()),
                (f("history", "History"), history),
            ]
        if access:
            rows += [
                (f("level", "Access level"), self.word("access", access.get("level"))),
                (
                    f("restricted_parts", "Restricted parts"),
                    ", ".join(
                        self.pointer_words(p) for p in as_list(access.get("restricted_parts"))
                    ),
                ),
                (f("reason", "Reason"), plain_text(access.get("reason")).strip()),
                (f("decided_by", "Decided by"), plain_text(access.get("decided_by"))),
            ]
        return self.rows(rows)

    def contacts(self) -> RenderableType:
        items = as_maps(self.data.get("contacts"))
        if not items:
            return value_text(self.data.get("contacts"))
        keys = [
            ("name", "Name"),
            ("role", "Role"),
            ("organisation", "Organisation"),
            ("email", "E-mail"),
            ("phone", "Telephone"),
            ("note", "Note"),
        ]
        grid = self.grid([self.field(key, english) for key, english in keys])
        for item in items:
            grid.add_row(
                *(
                    self.word("contact_role", item.get(key))
                    if key == "role"
                    else value_text(item.get(key))
                    for key, __ in keys
                )
            )
        return grid

    def unesco(self) -> RenderableType:
        items = as_maps(self.data.get("unesco"))
        if not items:
            return value_text(self.data.get("unesco"))
        f = self.field
        grid = self.grid(
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
                value_text(item.get("year")),
                self.word("unesco_list", item.get("list")),
                value_text(item.get("title")),
                Text(", ".join(str(s) for s in as_list(item.get("states")))),
                Text(
                    " ".join(plain_text(item.get(k)) for k in ("decision", "number") if item.get(k))
                ),
            )
        return grid

    def provenance(self) -> RenderableType:
        data = as_map(self.data.get("provenance"))
        if not data:
            return value_text(self.data.get("provenance"))
        f = self.field
        sources = self.grid(
            [
                f("list", "Source list"),
                f("order", "Order"),
                f("note", "Note"),
                f("url", "Web address"),
            ]
        )
        for item in as_maps(data.get("sources")):
            order = plain_text(item.get("order")) + (f", {item['row']}" if item.get("row") else "")
            sources.add_row(
                self.word("source_list", item.get("list")),
                Text(order.strip(", ")),
                value_text(item.get("note")),
                self.link(item.get("url")),
            )
        found = certainty.entries(self.data)
        facts = self.rows(
            [
                (
                    f("entered", "Date of entry"),
                    self.marked(data.get("entered"), certainty.of_field(found, "entered")),
                ),
                (f("updated", "Last update"), plain_text(data.get("updated"))),
                (
                    f("national_index", "National index number"),
                    self.marked(
                        data.get("national_index"), certainty.of_field(found, "national_index")
                    ),
                ),
                (f("inventoried_by", "Inventoried by"), plain_text(data.get("inventoried_by"))),
                (
                    f("illustrative", "Illustrative"),
                    self.t("value.bool.yes", "yes") if data.get("illustrative") else None,
                ),
            ]
        )
        parts: list[RenderableType] = [facts]
        if found:
            parts.append(self.certainty_grid(found))
        if sources.row_count:
            parts.append(sources)
        return Group(*parts) if len(parts) > 1 else facts

    def marked(self, shown: Any, status: str | None) -> Text:
        """A value with the certainty of the fact after it: `2013-03-01 (inferred)`."""
        text = value_text(shown)
        if text.plain and status:
            word = self.t(f"value.certainty.{status}", status)
            text.append(f" ({word})", style=STYLE_OF.get(status, ""))
        return text

    def certainty_summary(self) -> str:
        """Every assessed fact with its certainty, on one line (`ichinv show`'s heading)."""
        return "; ".join(
            f"{self.fact(entry)}: {self.t(f'value.certainty.{entry.status}', entry.status)}"
            for entry in certainty.entries(self.data)
        )

    def fact(self, entry: certainty.Certainty) -> str:
        """The fact an entry is about, in words: `Row in the National list of 2013 (…)`."""
        fact = self.t(f"value.fact.{entry.fact}", FACT_ENGLISH.get(entry.fact, entry.fact))
        if not entry.list:
            return fact
        about = self.t("certainty.about", "{fact} in the {list}")
        listed = self.t(f"value.source_list.{entry.list}", entry.list)
        return about.replace("{fact}", fact).replace("{list}", listed)

    def certainty_grid(self, found: Sequence[certainty.Certainty]) -> Table:
        f = self.field
        grid = self.grid(
            [
                f("confidence.fact", "Fact"),
                f("confidence.status", "Certainty"),
                f("confidence.note", "Basis"),
                f("confidence.source", "Source address"),
            ]
        )
        for entry in found:
            grid.add_row(
                Text(self.fact(entry)),
                self.word("certainty", entry.status),
                Text(entry.note.strip()),
                self.link(entry.source) if entry.source else Text(""),
            )
        return grid

    def related(self) -> RenderableType:
        items = as_maps(self.data.get("related"))
        if not items:
            return value_text(self.data.get("related"))
        f = self.field
        grid = self.grid(
            [f("id", "Identifier"), f("name", "Name"), f("relation", "Relation"), f("note", "Note")]
        )
        for item in items:
            other = str(item.get("id", ""))
            grid.add_row(
                Text(other),
                Text(self.view.element_names.get(other) or "—"),
                self.word("relation", item.get("relation")),
                value_text(item.get("note")),
            )
        return grid

    def documentation(self) -> RenderableType:
        items = as_maps(self.data.get("documentation"))
        if not items:
            return value_text(self.data.get("documentation"))
        f = self.field
        grid = self.grid(
            [f("title", "Title"), f("kind", "Kind"), f("year", "Year"), f("citation", "Citation")]
        )
        for item in items:
            where = Text(
                " ".join(plain_text(item.get(k)) for k in ("citation", "path") if item.get(k))
            )
            if item.get("url"):
                where.append((" " if where.plain else "") + self.link(item["url"]).plain)
            grid.add_row(
                value_text(item.get("title")),
                self.word("document_kind", item.get("kind")),
                value_text(item.get("year")),
                where,
            )
        return grid

    # --- what was left out -----------------------------------------------------------------
