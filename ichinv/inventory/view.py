"""The inventory of the working tree as read once, and what each audience may see of it.

`load` reads every record file, attaches the private overlay (placeholders where it keeps
something: no overlay value is in a record), and returns the one `Inventory` every reading
command works from: `list`, `show`, `export`, `progress`, `report` and the packets.
What an audience may see of a record is always `Inventory.view` (ichinv.inventory.audience
decides); counts and aggregates for the committee start from `Inventory.full`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ichinv.core.errors import IchinvError, UsageError, unknown_id
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import audience as redact
from ichinv.inventory import overlay, province_codes, record_files, snapshots
from ichinv.inventory.audience import Audience, WithheldPart
from ichinv.inventory.fields import name_of
from ichinv.inventory.focus import (
    Chosen,
    Focus,
    FocusOf,
    chosen_for,
    provinces_of,
    successors,
)
from ichinv.inventory.malformed_ids import (
    doubled_ids,
    malformed_id,
    malformed_provinces,
    used_first,
)
from ichinv.inventory.policy import DEFAULT_POLICY, Policy, policy_for
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.unreadable import cannot_read, held_ids
from ichinv.io.settings import Settings


@dataclass(frozen=True)
class Inventory:
    """The elements and provinces of the working tree, as read."""

    elements: tuple[Record, ...]
    """Readable element records, sorted by id (then path); records without an id last."""
    provinces: Mapping[str, Record]
    """Readable province records by id (the first file, by path, when an id repeats)."""
    problems: tuple[Finding, ...] = ()
    """Files that could not be read (they are left out, and reported)."""
    policy: Policy = DEFAULT_POLICY
    """Which fields hold personal data (from the schemas' annotations)."""
    private: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Element id → its fields kept in the private overlay (merged in for the committee only;
    `elements` hold placeholders where they are kept, see ichinv.inventory.overlay)."""
    overlay_problems: tuple[Finding, ...] = ()
    """Files of the private overlay that could not be read (shown to the committee only)."""
    unreadable: Mapping[str, Finding] = field(default_factory=dict)
    """Element id → the problem of the file that holds it but cannot be read, or of the folder
    inside elements/ holding it (the id from the file name, or from its `id:` line:
    ichinv.inventory.unreadable)."""
    tree: snapshots.WorkingTreeSnapshot | None = field(default=None, compare=False, repr=False)
    """The working tree as this inventory was read from it: a comparison or a validation in
    the same run starts from it (each file read and parsed once per run)."""
    focus: Focus | None = None
    """None: every element record is here. Else only those the focus may show are (see
    `Focus`): enough for packets of its provinces and elements, never for a count of the
    inventory."""

    # --- what an audience may see ------------------------------------------------------------

    def view(
        self, record: Record, audience: Audience, *, only: Collection[str] | None = None
    ) -> dict[str, Any]:
        """What `audience` may see of `record` (ichinv.inventory.audience decides; public views
        never hold contacts nor restricted parts, nor more than the identification of an
        element whose id other files hold too); `only`: of these top-level fields."""
        private = self.private.get(record.id or "")
        others = self._others(record)
        if audience is Audience.PUBLIC and only is None:
            # What it withholds is found on the way: `withheld` then need not look again.
            view, parts = redact.public_view_and_parts(record, policy=self.policy, others=others)
            self._withheld.setdefault(id(record), (record, parts))
            return view
        return redact.view(
            record, audience, policy=self.policy, private=private, only=only, others=others
        )

    def views(self, audience: Audience) -> dict[str, dict[str, Any]]:
        """Element id → the audience's view of its record, by id (see `by_id`)."""
        cache = self._views
        if audience not in cache:
            cache[audience] = {eid: self.view(rec, audience) for eid, rec in self.by_id.items()}
        return cache[audience]

    @cached_property
    def _views(self) -> dict[Audience, dict[str, dict[str, Any]]]:
        return {}

    def withheld(self, record: Record) -> tuple[WithheldPart, ...]:
        """What a public view of `record` leaves out, and why (never the values): worked out
        once a record (kept with it, so that its id is not reused)."""
        known = self._withheld.get(id(record))
        if known is None or known[0] is not record:
            parts = redact.withheld_parts(record, policy=self.policy, others=self._others(record))
            known = self._withheld[id(record)] = (record, parts)
        return known[1]

    def withheld_alone(self, record: Record) -> tuple[WithheldPart, ...]:
        """What a public view of `record` leaves out as if no other file held its id (what the
        record itself withholds): `withheld`'s answer when none does."""
        if self._others(record):
            return redact.withheld_parts(record, policy=self.policy)
        return self.withheld(record)

    def _others(self, record: Record) -> tuple[Mapping[str, Any], ...]:
        """The data of the other element files holding `record`'s id (see `duplicates`)."""
        holders = (
            self._holders.get(record.id or "", ()) if record.kind is RecordKind.ELEMENT else ()
        )
        return tuple(r.data for r in holders if r is not record)

    @cached_property
    def _withheld(self) -> dict[int, tuple[Record, tuple[WithheldPart, ...]]]:
        return {}

    def full(self, record: Record) -> Record:
        """`record` as the committee knows it, the private overlay merged in: what counts and
        aggregates (progress, periodic report) are computed from."""
        private = self.private.get(record.id or "")
        if not private:
            return record
        return replace(record, data=redact.committee_view(record, private=private))

    def record_for(self, record: Record, audience: Audience) -> Record:
        """`record` as `audience` starts from: the committee's with the overlay merged in."""
        return self.full(record) if audience is Audience.COMMITTEE else record

    def private_fields(self, record: Record) -> list[str]:
        """Pointers of the fields the private overlay provides for `record`."""
        private = self.private.get(record.id or "")
        return list(overlay.leaves(private)) if private else []

    def problems_for(self, audience: Audience) -> tuple[Finding, ...]:
        """Files that could not be read, as `audience` is told of them (the overlay's to the
        committee only; to the public in the words of ichinv.inventory.redaction.public_problem,
        which never quote a folder's name or where a link leads: a public run's standard error
        may be a public CI log), sorted."""
        found = [*self.problems, *self.without_id, *self.duplicates]
        if audience is Audience.COMMITTEE:
            found.extend(self.overlay_problems)
        else:
            from ichinv.inventory.redaction import public_problem

            found = [public_problem(f) for f in found]
        return tuple(sorted(found, key=Finding.sort_key))

    @property
    def compared(self) -> set[str] | None:
        """The ids of the elements comparisons of this inventory answer for: every one (None),
        or, read for a focus, those read and those it names (an id not in an id's form too)."""
        if self.focus is None:
            return None
        return {*self.by_id, *self.focus.elements, *self.focus.also}

    # --- finding records -----------------------------------------------------------------

    @cached_property
    def by_id(self) -> dict[str, Record]:
        """Element id → its record (when an id repeats, the file named by it, else the first
        by path: `used_first`), by id."""
        found: dict[str, Record] = {}
        for rec in sorted(self.elements, key=lambda r: used_first(r.id, r.path)):
            if rec.id is not None and is_element_id(rec.id):
                found.setdefault(rec.id, rec)
        return dict(sorted(found.items()))

    @cached_property
    def answered(self) -> tuple[Record, ...]:
        """The element records every answer is made of, sorted by id: each id once (`by_id`);
        records without an id or with a doubled one are left out (`problems_for` names them)."""
        return tuple(self.by_id.values())

    @cached_property
    def duplicates(self) -> tuple[Finding, ...]:
        """Element records whose id another record holds too (the answer uses the first,
        `by_id`), as problems: a doubled id is no whole answer."""
        return doubled_ids([(eid, r.path) for eid, held in self._holders.items() for r in held])

    @cached_property
    def _holders(self) -> dict[str, tuple[Record, ...]]:
        """Element id → every record holding it, where more than one does (`used_first`)."""
        found: dict[str, list[Record]] = {}
        for rec in sorted(self.elements, key=lambda r: used_first(r.id, r.path)):
            if rec.id is not None and is_element_id(rec.id):
                found.setdefault(rec.id, []).append(rec)
        return {eid: tuple(recs) for eid, recs in found.items() if len(recs) > 1}

    @cached_property
    def without_id(self) -> tuple[Finding, ...]:
        """Element records without a text id, or with one not in an id's form (never quoted:
        it may be anything, an e-mail address too), as problems."""
        return tuple(
            Finding(rec.path, "id.missing", _("{path} has no text id").format(path=rec.path))
            if rec.id is None
            else malformed_id(rec.path)
            for rec in self.elements
            if not is_element_id(rec.id)
        )

    def element(self, element_id: str, audience: Audience = Audience.COMMITTEE) -> Record:
        """The element with `element_id`, or the error `absent` says (to `audience`)."""
        found = self.by_id.get(element_id)
        if found is not None:
            return found
        raise self.absent(element_id, audience)

    def absent(self, element_id: str, audience: Audience = Audience.COMMITTEE) -> IchinvError:
        """Why no element `element_id` can be shown: its file cannot be read (exit 1, with
        the reason, told as `audience` is told of it: `problems_for`), or no record holds it
        (a usage error suggesting close ids). A file named by the id whose `id` is missing or
        not an id's form is that element's unreadable record, never "no such element"."""
        wanted = element_id.upper()
        problem = (
            self.unreadable.get(wanted)
            or next((p for p in self.without_id if _stem(p.path) == wanted), None)
            or self._folder_problem(RecordKind.ELEMENT)
        )
        if problem is not None:
            if audience is not Audience.COMMITTEE:
                from ichinv.inventory.redaction import public_problem

                problem = public_problem(problem)
            return cannot_read(element_id.upper(), problem)
        return unknown_id(
            "element",
            element_id,
            self.by_id,
            "elements",
            otherwise=_("run `ichinv list` to see the ids of the inventory"),
        )

    def absent_province(self, province_id: str, *, otherwise: str | None = None) -> IchinvError:
        """Why no province `province_id` can be used: its file (or the provinces folder)
        cannot be read (exit 1, with the reason), or no record holds it (a usage error
        suggesting close ids)."""
        wanted = province_id.upper()
        problem = next(
            (
                p
                for p in self.problems
                if _stem(p.path) == wanted and p.path.startswith(RecordKind.PROVINCE.folder + "/")
            ),
            None,
        ) or self._folder_problem(RecordKind.PROVINCE)
        if problem is not None:
            return cannot_read(wanted, problem)
        former = province_codes.hint(
            wanted,
            province_codes.holders(
                wanted,
                (
                    u
                    for pid, rec in self.provinces.items()
                    for u in province_codes.uses(pid, rec.data)
                ),
            ),
        )
        if former is not None:
            return UsageError(
                _("there is no province {id} in {folder}/").format(id=wanted, folder="provinces"),
                hint=former,
            )
        return unknown_id("province", province_id, self.provinces, "provinces", otherwise=otherwise)

    def _folder_problem(self, kind: RecordKind) -> Finding | None:
        """The problem of a records folder that is no folder of the repository (a file, a
        link leading out, a submodule): none of its records could be read."""
        return next(
            (
                p
                for p in self.problems
                if p.rule == "file.record-folder" and p.path.rstrip("/") == kind.folder
            ),
            None,
        )

    # --- provinces -----------------------------------------------------------------------

    def province_name(self, province_id: str, lang: str = "en") -> str:
        """The province's name in `lang` (falling back to other languages), or "" if unknown."""
        return name_of(self.province_view(province_id), lang)

    def province_view(self, province_id: str) -> Mapping[str, Any]:
        """What anyone may see of the province record ({} if there is none): what an output
        prints of a province (its names, its target) comes from here, never from the record
        (a contact typed into `names`, a phone number as a `target`)."""
        known = self._province_views.get(province_id)
        if known is None:
            rec = self.provinces.get(province_id)
            known = {} if rec is None else redact.public_view(rec, policy=self.policy)
            self._province_views[province_id] = known
        return known

    @cached_property
    def _province_views(self) -> dict[str, Mapping[str, Any]]:
        return {}

    def focus_provinces(self) -> list[Record]:
        """Provinces of the revision project (`focus: true`), by id."""
        return [rec for __, rec in sorted(self.provinces.items()) if rec.data.get("focus") is True]

    def successors(self, province_id: str) -> set[str]:
        """Every unit that took over from `province_id`, directly or through later changes."""
        return successors(self.provinces, province_id)

    def practised_in(self, provinces: Sequence[str], province_id: str) -> bool:
        """Whether an element listing `provinces` is practised in `province_id`: listed there,
        or under a unit it replaced."""
        return any(p == province_id or province_id in self.successors(p) for p in provinces)


Started = Callable[[snapshots.WorkingTreeSnapshot, frozenset[str]], None]
"""Told the working tree and the ids of the elements an inventory with a focus will hold, once
they are known and before their records are read (`load`)."""


def load(
    settings: Settings,
    *,
    focus: Focus | FocusOf | None = None,
    started: Started | None = None,
) -> Inventory:
    """Every readable element and province of the working tree (with `focus`, the elements it
    may show), and what could not be read.

    Files git vouches are unmodified are not read when the record cache knows their blob, and
    no record parsed by an earlier run is parsed again (ichinv.inventory.record_cache).
    `focus` may be what gives it (FocusOf), called once the working tree is listed, with no
    cache database open. `started` (with a focus): called once the ids of the elements to read
    are known, before their records are read, with no cache database open, so that it may fork
    (a province packet starts its comparison with the baseline there, ichinv.packets.province)."""
    elements: list[Record] = []
    kept = overlay.load(settings)
    chosen: Chosen | None = None
    items: Iterable[Record | Finding] = ()

    def read() -> Iterable[Record | Finding]:
        return tree.records(chosen.paths if chosen is not None else tree.files).values()

    with (
        RecordCache.open(settings) as cache,
        snapshots.current(settings, cache=cache) as tree,
    ):
        cache.size_hint = tree.file_count
        problems: list[Finding] = list(tree.problems)
        if not callable(focus):
            chosen = chosen_for(tree, focus, kept.entries) if focus is not None else None
            if chosen is None or started is None:
                items = read()
    if callable(focus):
        focus = focus(tree)  # no database open, as for `started`
        with RecordCache.open(settings) as cache, tree.caching(cache):
            cache.size_hint = tree.file_count
            chosen = chosen_for(tree, focus, kept.entries)
            if chosen is None or started is None:
                items = read()
    if chosen is not None and started is not None:
        started(tree, chosen.ids)  # no database open: a process forked there inherits none
        with RecordCache.open(settings) as cache, tree.caching(cache):
            cache.size_hint = tree.file_count
            items = read()
    if chosen is None:
        focus = None
    for item in items:
        if isinstance(item, Finding):
            problems.append(item)
        elif item.kind is RecordKind.ELEMENT:
            elements.append(kept.attach(item, Audience.PUBLIC))
    provinces = provinces_of(items)
    problems.extend(malformed_provinces(items))
    elements.sort(key=lambda rec: (rec.id or "\uffff", rec.path))
    return Inventory(
        tuple(elements),
        dict(sorted(provinces.items())),
        tuple(problems),
        policy_for(settings.schema_dir),
        kept.entries,
        (*kept.problems, *((kept.absent,) if kept.absent else ())),
        held_ids(settings, problems),
        tree,
        focus,
    )


def _stem(path: str) -> str:
    """The file name of `path` without its folder and suffix, in upper case (an id's form)."""
    return path.rpartition("/")[2].removesuffix(record_files.SUFFIX).upper()
