"""Review packets (`ichinv packet`): the use case, the inventory as an audience sees it, and
what the packets share (ichinv/overview.py: index and province packets; ichinv/dossier.py:
the element dossier; ichinv/review.py: the change packet).

Every packet is built from views of the records for its audience (ichinv.redact) and turned
into already-escaped Markdown pieces (`Md`) before a template sees it; templates only arrange
them. The same inputs give the same bytes: everything is sorted, no date appears unless given.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ichinv.core.errors import IchinvError, TemplateError, UsageError
from ichinv.core.model import DiffResult, ElementDiff, Finding, Packet, Record, RecordKind
from ichinv.inventory import audience as redact
from ichinv.inventory import query
from ichinv.inventory.audience import Audience, Withheld
from ichinv.io.settings import Settings
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels, Lang
from ichinv.render.markdown.sections import Describer, Row, text_in

CYCLE_START = "2024-05-28"
"""The revision cycle began with the 2024 list (Order No. 211-нқ of 28 May 2024): elements
entered after it are new; viability assessed since then was assessed this cycle."""

DOMAINS = query.DOMAINS
strings = query.strings
VIABILITY = ("viable", "at-risk", "in-danger", "unknown")
CONSENT = ("given", "pending", "withdrawn", "not-sought")
ACCESS = ("public", "restricted")
SINCE_ORDER = ("revised", "retired", "merged", "removed", "unchanged")
"""Order of the statuses of a baseline's elements (what is done first, what is left last)."""
IDENTIFYING = (
    "other_names",
    "latin_orthography",
    "national_category",
    "domains",
    "provinces",
    "status",
)
"""Fields of the identification table of a dossier (after the id and the names)."""
TEMPLATE = "packets/{kind}.md.j2"
NOTHING = Md("—")


class PacketKind(StrEnum):
    """The kinds of packet, each with its template `packets/<kind>.md.j2`."""

    CHANGES = "changes"
    PROVINCE = "province"
    ELEMENT = "element"
    INDEX = "index"


@dataclass(frozen=True, slots=True)
class Request:
    """What to render: the selectors and options of `ichinv packet`."""

    since: str | None = None
    """Change packet: what changed since the merge base of this revision and HEAD."""
    provinces: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    audience: Audience = Audience.PUBLIC
    lang: Lang = Lang.EN
    templates: Path | None = None
    """Folder of templates; None: the inventory's templates/."""
    date: str | None = None
    """YYYY-MM-DD printed in the packets (and the day validation judges by); None: no date."""


def file_name(kind: PacketKind, ident: str = "") -> str:
    """The file name of a packet: `index.md`, `changes.md`, `province-KZ-23.md`…"""
    if kind in (PacketKind.INDEX, PacketKind.CHANGES):
        return f"{kind.value}.md"
    return f"{kind.value}-{re.sub(r'[^A-Za-z0-9-]', '_', ident)}.md"


def parse_date(text: str) -> str:
    """A `--date` value checked as YYYY-MM-DD (UsageError otherwise)."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise UsageError(f"--date {text!r} is not a date", hint="write the date as YYYY-MM-DD")


# --- view models -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    """The top and bottom of every packet."""

    title: Md
    audience: str
    confidential: bool
    """True for the committee: the packet says "Confidential" at the top."""
    lang: str
    date: str
    """As given with --date; empty otherwise (no timestamps)."""
    notes: tuple[Md, ...] = ()


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a count table."""

    label: Md
    count: int
    share: str = ""
    """Share of the table's total, e.g. `40 %`."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A Mermaid pie chart; labels are already safe for Mermaid."""

    title: Md
    slices: tuple[tuple[Md, int], ...]

    @property
    def empty(self) -> bool:
        return not any(n for _, n in self.slices)


@dataclass(frozen=True, slots=True)
class ElementRow:
    """One element in a table of elements."""

    id: Md
    name: Md
    domains: Md
    viability: Md
    consent: Md
    status: Md
    since: Md
    """Status since the baseline (e.g. revised since 2013)."""
    new: bool = False
    """Entered the inventory in this revision cycle."""


@dataclass(frozen=True, slots=True)
class Progress:
    """New elements of a province (or of all focus provinces) against the target."""

    name: Md
    new: int
    target: int | None
    percent: str
    bar: Md
    elements: tuple[Md, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding (validation, unreadable file) as the audience may read it."""

    severity: Md
    rule: Md
    place: Md
    message: Md


# --- the inventory as an audience sees it ----------------------------------------------------------


@dataclass(frozen=True)
class Inventory:
    """The working tree's records and their views for one audience."""

    elements: Mapping[str, Record]
    """Readable element records by id (the first file, by path, when an id repeats)."""
    provinces: Mapping[str, Record]
    views: Mapping[str, dict[str, Any]]
    """Element id → the audience's view of the record."""
    problems: tuple[Finding, ...]
    """Files that could not be read."""
    policy: redact.Policy
    audience: Audience

    def successors(self, pid: str) -> set[str]:
        """Every unit that took over from province `pid`, directly or later."""
        found: set[str] = set()
        todo = [pid]
        while todo:
            rec = self.provinces.get(todo.pop())
            following = rec.data.get("successors") if rec is not None else None
            for nxt in following if isinstance(following, list) else []:
                if isinstance(nxt, str) and nxt not in found:
                    found.add(nxt)
                    todo.append(nxt)
        return found

    def practised_in(self, eid: str, pid: str) -> bool:
        """Whether the element is practised in province `pid` (or a unit it replaced)."""
        listed = strings(self.views[eid].get("provinces"))
        return any(p == pid or pid in self.successors(p) for p in listed)


def load_inventory(settings: Settings, audience: Audience) -> Inventory:
    """Every readable record of the working tree, with its view for `audience`."""
    from ichinv.inventory import overlay
    from ichinv.inventory import record_files as records

    elements: dict[str, Record] = {}
    provinces: dict[str, Record] = {}
    problems: list[Finding] = []
    # The private overlay: values for the committee, placeholders for the public.
    for item in overlay.attach_all(settings, records.load_all(settings), audience):
        if isinstance(item, Finding):
            problems.append(item)
        elif item.id is None:
            problems.append(Finding(item.path, "id.missing", f"{item.path} has no text id"))
        elif item.kind is RecordKind.ELEMENT:
            elements.setdefault(item.id, item)
        else:
            provinces.setdefault(item.id, item)
    policy = redact.policy_for(settings.schema_dir)
    return Inventory(
        elements=dict(sorted(elements.items())),
        provinces=dict(sorted(provinces.items())),
        views={e: redact.view(r, audience, policy=policy) for e, r in sorted(elements.items())},
        problems=tuple(sorted(problems, key=Finding.sort_key)),
        policy=policy,
        audience=audience,
    )


# --- the use case -------------------------------------------------------------------------------------


def packets(settings: Settings, request: Request) -> list[Packet]:
    """Render every packet `request` asks for (the index packet when it names none)."""
    from ichinv.packets.element import element_packet
    from ichinv.packets.overview import index_packet, province_packet
    from ichinv.render.markdown import labels as i18n
    from ichinv.render.markdown import templates as markdown

    templates = request.templates or settings.templates_dir
    if not templates.is_dir():
        raise TemplateError(
            f"the templates folder {templates} does not exist",
            hint="copy templates/ of ichinv into the inventory, or pass --templates DIR",
        )
    labels = i18n.load(templates, request.lang.value)
    renderer = markdown.Renderer(templates, labels)
    builder = Builder(settings, request, load_inventory(settings, request.audience), labels)
    models: list[tuple[PacketKind, Any]] = []
    # Build every model first: a wrong id fails before anything is rendered.
    if request.since is not None:
        from ichinv.packets.changes import change_packet

        models.append((PacketKind.CHANGES, change_packet(builder, request.since)))
    models += [
        (PacketKind.PROVINCE, province_packet(builder, p)) for p in dict.fromkeys(request.provinces)
    ]
    models += [
        (PacketKind.ELEMENT, element_packet(builder, e)) for e in dict.fromkeys(request.elements)
    ]
    if not models:
        models.append((PacketKind.INDEX, index_packet(builder)))
    return [
        Packet(
            name=file_name(kind, model.ident),
            text=renderer.render(
                TEMPLATE.format(kind=kind.value), {"packet": model, "header": model.header}
            ),
        )
        for kind, model in models
    ]


class Builder:
    """Builds the view models of one run: one inventory, one audience, one language."""

    def __init__(
        self, settings: Settings, request: Request, inventory: Inventory, labels: Labels
    ) -> None:
        self.settings = settings
        self.request = request
        self.inv = inventory
        self.t = labels
        self.lang = labels.lang
        self.committee = request.audience is Audience.COMMITTEE
        self.describe = Describer(labels, self._province_names(), self._element_names())
        self._compared: dict[str, DiffResult | IchinvError] = {}

    # --- shared pieces -----------------------------------------------------------------------------

    def _province_names(self) -> dict[str, str]:
        return {pid: _name(rec.data, self.lang) for pid, rec in self.inv.provinces.items()}

    def _element_names(self) -> dict[str, str]:
        return {eid: _name(view, self.lang) for eid, view in self.inv.views.items()}

    def header(self, title: Md) -> Header:
        return Header(
            title=title,
            audience=self.request.audience.value,
            confidential=self.committee,
            lang=self.lang,
            date=self.request.date or "",
            notes=(
                self.t("footer.committee" if self.committee else "footer.public"),
                self.t("footer.languages", lang=self.t.language(self.lang)),
            ),
        )

    def value(self, group: str, raw: Any) -> Md:
        """A vocabulary value in words (`withheld` when withheld, a dash when missing)."""
        if isinstance(raw, Withheld):
            return mdsafe.emphasis(self.t.raw("withheld.short"))
        return self.t.value(group, raw) if raw is not None else NOTHING

    def counts(self, group: str, counter: Counter[str], order: Iterable[str]) -> tuple[Count, ...]:
        """Counts in a fixed order (every value of `order`, then the others alphabetically)."""
        order = tuple(order)
        total = sum(counter.values())
        keys = [*order, *sorted(k for k in counter if k not in order)]
        return tuple(
            Count(
                self.value(group, k), counter[k], f"{counter[k] * 100 // total} %" if total else ""
            )
            for k in keys
        )

    def chart(self, title: str, group: str, counter: Counter[str], order: Iterable[str]) -> Chart:
        order = tuple(order)
        keys = [*order, *sorted(k for k in counter if k not in order)]
        return Chart(
            mdsafe.mermaid_label(self.t.raw(title), width=60),
            tuple(
                (mdsafe.mermaid_label(self._raw(group, k)), counter[k]) for k in keys if counter[k]
            ),
        )

    def _raw(self, group: str, value: str) -> str:
        key = f"value.{group}.{value}"
        return self.t.raw(key) if self.t.has(key) else value

    def state(self, view: Mapping[str, Any], dotted: str) -> str:
        """A vocabulary field for counting: its value, `withheld` or `unknown`."""
        found = lookup(view, dotted)
        if isinstance(found, Withheld):
            return "withheld"
        return found if isinstance(found, str) else "unknown"

    def element_row(self, eid: str, since: Mapping[str, ElementDiff] | None = None) -> ElementRow:
        view = self.inv.views[eid]
        diff = since.get(eid) if since is not None else None
        return ElementRow(
            id=mdsafe.code(eid),
            name=self.describe.name(view),
            domains=self.describe.value(view.get("domains", []), ("domains",)),
            viability=self.value("viability", lookup(view, "viability.status")),
            consent=self.value("consent", lookup(view, "consent.status")),
            status=self.value("status", view.get("status")),
            since=self.t.value("diff", diff.status.value) if diff is not None else NOTHING,
            new=self.is_new(eid),
        )

    def is_new(self, eid: str) -> bool:
        """Entered the inventory after the cycle began (its entry date, else its id's year)."""
        entered = lookup(self.inv.views[eid], "provenance.entered")
        day = entered if isinstance(entered, str) and not isinstance(entered, Withheld) else None
        if day is None and re.match(r"^KZ-[0-9]{4}-", eid):
            day = f"{eid[3:7]}-01-01"
        return day is not None and day > CYCLE_START

    def progress(self, name: Md, ids: Iterable[str], target: Any) -> Progress:
        new = [e for e in ids if self.is_new(e) and self.inv.views[e].get("status") == "active"]
        goal = (
            target
            if isinstance(target, int) and not isinstance(target, bool) and target > 0
            else None
        )
        filled = min(10, len(new) * 10 // goal) if goal else 0
        return Progress(
            name=name,
            new=len(new),
            target=goal,
            percent=f"{len(new) * 100 // goal} %" if goal else "",
            bar=Md("▓" * filled + "░" * (10 - filled)) if goal else Md(""),
            elements=tuple(self.describe.element(e) for e in new),
        )

    def compared(self, name: str) -> DiffResult | IchinvError:
        """The working tree compared with a named baseline, or why it could not be."""
        if name not in self._compared:
            from ichinv.diff import engine as diffing

            try:
                diffing.named_baseline(self.settings, name)
                self._compared[name] = diffing.compare(self.settings, name)
            except IchinvError as exc:
                self._compared[name] = exc
        return self._compared[name]

    def baseline_names(self) -> list[str]:
        """The baselines every packet compares with: 2013 and 2024 when named in settings."""
        names = [n for n in ("2013", "2024") if n in self.settings.baselines]
        return names or [self.settings.default_baseline]

    def unavailable(self, name: str, error: IchinvError) -> Md:
        return self.t("baseline.unavailable", name=name, reason=error.message)

    def finding_row(
        self, finding: Finding, data: Mapping[str, Any] | None, *, quote: bool = True
    ) -> FindingRow:
        """A finding for this audience (public: nothing about withheld parts)."""
        if not self.committee:
            finding = redact.public_finding(finding, data, policy=self.inv.policy)
        place = f"{finding.path}:{finding.line}" if finding.line else finding.path
        if finding.line and finding.column:
            place += f":{finding.column}"
        return FindingRow(
            severity=self.t.value("severity", finding.severity.value),
            rule=mdsafe.code(finding.rule),
            place=mdsafe.code(place),
            message=mdsafe.inline(finding.message) if quote else self.t("finding.unreadable"),
        )

    def problems(self) -> tuple[FindingRow, ...]:
        """Files that could not be read; their messages only for the committee (a syntax
        error may quote the file)."""
        return tuple(self.finding_row(f, None, quote=self.committee) for f in self.inv.problems)

    # --- pieces of several packets -------------------------------------------------------------

    def identification_only(self, rec: Record, view: Mapping[str, Any]) -> Md:
        """For the public, when only the identification of the element is published: a note
        saying so, and why (empty otherwise)."""
        if self.committee or redact.restriction(rec) not in (
            redact.Restriction.WHOLE,
            redact.Restriction.FAILED,
        ):
            return Md("")
        reason = lookup(view, "access.reason")
        if isinstance(reason, str) and reason.strip() and not isinstance(reason, Withheld):
            return self.t("element.identification_only", reason=reason)
        return self.t("element.identification_only_no_reason")

    def identification(self, eid: str, view: Mapping[str, Any]) -> tuple[Row, ...]:
        rows = [Row(self.t("field.id"), mdsafe.code(eid))]
        names = view.get("names")
        if isinstance(names, Withheld):
            rows.append(Row(self.t("field.names"), self.describe.withheld(names)))
        elif isinstance(names, Mapping):
            for lang, text in names.items():
                rows.append(
                    Row(
                        self.sub("field.names", self.t.language(str(lang))),
                        self.describe.value(text, ("names", str(lang))),
                    )
                )
        rows.extend(
            Row(self.describe.field_label((key,)), self.describe.value(view[key], (key,)))
            for key in IDENTIFYING
            if key in view
        )
        return tuple(rows)

    def sub(self, key: str, part: Md) -> Md:
        """A label and a part of it: `Name › Kazakh`."""
        return Md(f"{self.t(key)} › {part}")


# --- helpers -------------------------------------------------------------------------------------------


def lookup(data: Any, dotted: str) -> Any:
    """The value at a dotted path (`consent.status`); a Withheld on the way; None if missing."""
    node = data
    for part in dotted.split("."):
        if isinstance(node, Withheld):
            return node
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _name(data: Mapping[str, Any], lang: str) -> str:
    names = data.get("names")
    return (text_in(names, lang)[0] or "") if isinstance(names, Mapping) else ""


def unknown(what: str, wanted: str, known: Iterable[str], folder: str) -> UsageError:
    """The error for an id given on the command line that names no record in `folder`/
    (quoted when it is empty or holds spaces, so that the message shows what was given)."""
    shown = wanted if re.fullmatch(r"\S+", wanted) else repr(wanted)
    return UsageError(
        f"there is no {what} {shown} in {folder}/", hint=suggest(wanted, known, folder)
    )


def suggest(wanted: str, known: Iterable[str], folder: str) -> str:
    """A hint naming the closest known id, if any."""
    close = difflib.get_close_matches(wanted.upper(), list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else f"the ids are the file names in {folder}/"
