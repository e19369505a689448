"""The change packet of a pull request: every element it touches, what changed (since the PR's
base and since 2013), the validation findings and a reviewer checklist.

`--since REV` compares the working tree with the merge base of REV and HEAD (the base of a
pull request when REV is its target branch). Values are shown as the audience may see them:
for the public, a change inside a withheld part says where and what kind, never what.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ichinv.core import dates, pointers
from ichinv.core.errors import IchinvError
from ichinv.core.model import (
    Change,
    ChangeKind,
    DiffResult,
    ElementDiff,
    ElementStatus,
    Finding,
    Record,
)
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, REVISION_CYCLE_START
from ichinv.inventory import audience as redact
from ichinv.inventory.audience import Restriction, Withheld
from ichinv.inventory.changes_view import withholds_whole
from ichinv.inventory.withheld_since import WITHHOLDS_MORE
from ichinv.io import cache_files
from ichinv.packets.builder import CONSENT, Builder
from ichinv.packets.change_base import SinceBase, compare_since
from ichinv.packets.models import Count, FindingRow, Header
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.sections import Row, Section
from ichinv.validate import api as validation

OK, FAIL, NA, UNKNOWN = "ok", "fail", "na", "unknown"
_QUESTIONED = ("consent", "communities", "viability", "status_change")
"""Fields the checklist asks about (besides access)."""
MARKS = {OK: "✅", FAIL: "❌", NA: "➖", UNKNOWN: "❔"}
"""One mark per state: done, to do, not applicable, withheld from this packet (a legend at the
top of the packet says so)."""


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One question of the reviewer checklist, with what ichinv found."""

    state: str
    """`ok`, `fail`, `na` (not applicable), or `unknown` (withheld from this audience)."""
    mark: str
    question: Md
    finding: Md


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One field-level change."""

    field: Md
    kind: Md
    before: Md
    after: Md
    words: Md
    """A word-level diff of a long text (~~removed~~ **added**); empty otherwise."""
    withheld: bool = False
    remapped: bool = False


@dataclass(frozen=True, slots=True)
class ChangedElement:
    """One element the pull request touches."""

    id: Md
    name: Md
    status: Md
    path: Md
    moved_from: Md
    changes: tuple[ChangeRow, ...]
    since_baseline: Md
    fields_since_baseline: Md
    findings: tuple[FindingRow, ...]
    checklist: tuple[CheckItem, ...]
    note: Md
    identification: tuple[Row, ...] = ()
    """For an added element: its identification (a new record is reviewed in full)."""
    base_problems: tuple[FindingRow, ...] = ()
    """The element's record at the base could not be read (so no field changes are shown):
    a problem of the past version, not of the record under review."""
    sections: tuple[Section, ...] = ()
    """For an added element: the rest of the record."""
    changes_withheld: bool = False
    """For the public, no change shown of a record withheld as a whole, now or at the base:
    its changes show only those of its identification (ichinv.diff.public)."""


@dataclass(frozen=True, slots=True)
class ChangePacket:
    """The change packet (`--since REV`)."""

    header: Header
    since: Md
    base: Md
    baseline: Md
    counts: tuple[Count, ...]
    elements: tuple[ChangedElement, ...]
    problems: tuple[FindingRow, ...]
    ident: str = ""
    legend: tuple[Md, ...] = ()
    """What the checklist marks and the word-level changes mean, said once."""
    left_out: tuple[Finding, ...] = ()
    """Records the comparison could not read, on either side: the packet is incomplete."""


def change_packet(builder: Builder, since: str, made: SinceBase | None = None) -> ChangePacket:
    """The change packet since the merge base of `since` and HEAD (`made`: that comparison,
    when made before the inventory was read: ichinv.packets.change_base.BaseFirst)."""
    return _Review(builder).build(since, made)


class _Review:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.t = builder.t
        self.describe = builder.describe
        self.settings = builder.settings
        self.inventory = builder.inventory
        self._by_id: dict[str, ElementDiff] | None = None

    def build(self, since: str, made: SinceBase | None) -> ChangePacket:
        if made is None:
            repo, tree = self.b.comparisons.repo(), self.inventory.tree
            made = compare_since(self.settings, since, self.b.audience, repo, tree)
        self.b.comparisons.made(made.base, made.result, made.repo)
        base, result, touched, old = made.base, made.result, made.touched, made.old
        findings = self._findings(touched)
        baseline = self.settings.default_baseline
        long_ago = self.b.comparisons.compared(baseline, changes=True)
        elements = tuple(
            self._element(diff, old.get(diff.old_path or diff.path), findings, baseline, long_ago)
            for diff in touched
        )
        return ChangePacket(
            header=self.b.header(self.t("title.changes", since=since)),
            since=mdsafe.inline(since),
            base=mdsafe.code(base[:12]),
            baseline=mdsafe.inline(baseline),
            counts=tuple(
                c
                for c in self.b.counts(
                    "step",
                    Counter(e.status_now for e in touched),
                    ("added", "revised", "retired", "merged", "removed", "unchanged"),
                )
                if c.count
            ),
            elements=elements,
            problems=tuple(
                self.b.finding_row(f, None, quote=self.b.committee) for f in result.problems
            ),
            legend=self._legend(elements),
            left_out=tuple(
                sorted(
                    {*result.problems, *(p for e in touched for p in e.problems)},
                    key=Finding.sort_key,
                )
            ),
        )

    def _earlier(self, long_ago: DiffResult) -> dict[str, ElementDiff]:
        """The elements of a comparison by id (the first of an id), made once."""
        if self._by_id is None:
            self._by_id = {}
            for element in long_ago.elements:
                self._by_id.setdefault(element.id, element)
        return self._by_id

    def _legend(self, elements: Sequence[ChangedElement]) -> tuple[Md, ...]:
        legend = []
        if any(e.checklist for e in elements):
            legend.append(self.t("check.legend"))
        if any(c.words for e in elements for c in e.changes):
            legend.append(self.t("change.words_legend"))
        return tuple(legend)

    # --- one element ---------------------------------------------------------------------------

    def _element(
        self,
        diff: ElementDiff,
        old: Record | None,
        findings: Mapping[str, list[Finding]],
        baseline: str,
        long_ago: DiffResult | IchinvError,
    ) -> ChangedElement:
        current = self.b.records.get(diff.id) if diff.status is not ElementStatus.REMOVED else None
        shown = current or old
        view = (
            self.b.views[diff.id]
            if current is not None
            else redact.view(old, self.b.audience, policy=self.inventory.policy)
            if old is not None
            else {}
        )
        changes = self._changes(diff, old, current)
        added = diff.status is ElementStatus.ADDED and current is not None
        if isinstance(long_ago, IchinvError):
            since, fields = self.b.unavailable(baseline, long_ago), Md("")
        else:
            earlier = self._earlier(long_ago).get(diff.id)
            since = self.b.since(earlier) if earlier else mdsafe.inline("—")
            tops = dict.fromkeys(
                pointers.top(c.pointer) for c in (earlier.changes if earlier else ())
            )
            fields = Md(", ".join(self.describe.field_label((k,)) for k in tops))
        note = self.b.identification_only(shown) if shown is not None else Md("")
        policy = self.inventory.policy
        hidden_changes = (
            not self.b.committee
            and not changes
            and old is not None
            and current is not None
            and not added
            and (bool(note) or withholds_whole(old.data, policy=policy))
        )
        return ChangedElement(
            id=mdsafe.code(diff.id),
            name=self.describe.name(view)
            if view
            else mdsafe.inline(diff.name)
            if self.b.committee
            else Md(""),
            status=self.b.value("step", diff.status_now),
            path=mdsafe.name(diff.path),
            moved_from=mdsafe.name(diff.old_path) if diff.old_path else Md(""),
            changes=changes,
            since_baseline=since,
            fields_since_baseline=fields,
            findings=(
                *(  # of a removed element, none: its file's findings are another's now
                    self.b.finding_row(f, current.data if current else None)
                    for f in findings.get(diff.path, [])
                    if diff.status is not ElementStatus.REMOVED
                ),
                *(
                    self.b.finding_row(f, None, quote=self.b.committee)
                    for f in diff.problems
                    if current is None
                ),
            ),
            base_problems=tuple(
                self.b.finding_row(f, None, quote=self.b.committee)
                for f in diff.problems
                if current is not None
            ),
            checklist=self._checklist(view, current, findings.get(diff.path, []), hidden=bool(note))
            if current is not None
            else (self._item(FAIL, "deleted", "deleted_record"),)
            if diff.status is ElementStatus.REMOVED
            else (),
            note=note,
            changes_withheld=hidden_changes,
            identification=self.b.identification(diff.id, view) if added else (),
            sections=self.describe.sections(view) if added else (),
        )

    def _changes(
        self, diff: ElementDiff, old: Record | None, new: Record | None
    ) -> tuple[ChangeRow, ...]:
        """The field changes, as the comparison made them for this audience."""
        if (
            diff.status in (ElementStatus.ADDED, ElementStatus.REMOVED)
            or old is None
            or new is None
        ):
            return ()
        return tuple(self._row(c) for c in diff.changes)

    def _row(self, change: Change) -> ChangeRow:
        pattern = tuple("*" if pointers.is_index(p) else p for p in pointers.split(change.pointer))
        if change.withheld:
            hidden = self.t("change.withheld")
            return ChangeRow(
                self.describe.pointer_label(change.pointer),
                self.t.value("change", change.kind.value),
                hidden if change.kind is not ChangeKind.ADDED else Md(""),
                hidden if change.kind is not ChangeKind.REMOVED else Md(""),
                Md(""),
                withheld=True,
                remapped=change.remapped,
            )
        before = (
            self.t("change.old_withheld_more")
            if change.old_withheld == WITHHOLDS_MORE
            else self.t("change.old_withheld")
            if change.old_withheld
            else self.describe.value(change.old, pattern)
            if change.old is not None
            else Md("")
        )
        return ChangeRow(
            field=self.describe.pointer_label(change.pointer),
            kind=self.t.value("change", change.kind.value),
            before=before,
            after=self.t("change.new_withheld")
            if change.new_withheld
            else self.describe.value(change.new, pattern)
            if change.new is not None
            else Md(""),
            words=mdsafe.word_diff(change.words) if change.words else Md(""),
            remapped=change.remapped,
        )

    def _findings(self, touched: Sequence[ElementDiff]) -> dict[str, list[Finding]]:
        paths = [
            Path(self.settings.root, e.path)
            for e in touched
            if e.status is not ElementStatus.REMOVED and (self.settings.root / e.path).is_file()
        ]
        if not paths:
            return {}
        day = dates.parse_day(self.b.request.date)
        # From the result cache where it can answer: the rules across records need every
        # record's facts, which an earlier `validate` has noted.
        use_cache = not cache_files.disabled()
        result = validation.run(
            self.settings, paths, use_cache=use_cache, day=day, tree=self.inventory.tree
        ).result
        found: dict[str, list[Finding]] = {}
        for finding in result.findings:
            found.setdefault(finding.path, []).append(finding)
        return found

    # --- the reviewer checklist ------------------------------------------------------------------

    def _checklist(
        self,
        view: Mapping[str, Any],
        current: Record,
        findings: Sequence[Finding],
        *,
        hidden: bool,
    ) -> tuple[CheckItem, ...]:
        """The questions a reviewer answers, judged on what this audience may see (`hidden`:
        only the identification is public, so even a missing field is not told)."""
        if hidden:
            view = {k: v for k, v in view.items() if k in PUBLIC_IDENTIFICATION}
            view.update(dict.fromkeys(_QUESTIONED, Withheld(redact.Why.RESTRICTED)))
        items = [
            self._consent(view.get("consent")),
            self._communities(view.get("communities")),
            self._viability(view.get("viability")),
            self._restricted(current, findings),
        ]
        if view.get("status") in ("retired", "merged"):
            items.append(self._status_change(view.get("status_change")))
        else:
            items.append(self._item(NA, "status_change", "status_change_active"))
        return tuple(items)

    def _item(self, state: str, question: str, finding: str, **values: Any) -> CheckItem:
        return CheckItem(
            state, MARKS[state], self.t(f"check.{question}"), self.t(f"check.{finding}", **values)
        )

    def _consent(self, consent: Any) -> CheckItem:
        if isinstance(consent, Withheld):
            return self._item(UNKNOWN, "consent", "withheld")
        if not isinstance(consent, Mapping) or not isinstance(consent.get("status"), str):
            return self._item(FAIL, "consent", "consent_missing")
        status = consent["status"]
        label = self.t.value("consent", status) if status in CONSENT else "—"
        if status != "given":
            return self._item(FAIL, "consent", "consent_not_given", status=label)
        if isinstance(consent.get("evidence"), Withheld):  # (a public packet's: not told)
            return self._item(UNKNOWN, "consent", "withheld")
        if not consent.get("evidence"):
            return self._item(FAIL, "consent", "consent_no_evidence")
        date = consent.get("date")
        return self._item(
            OK, "consent", "consent_given", date=date if isinstance(date, str) else "—"
        )

    def _communities(self, communities: Any) -> CheckItem:
        if isinstance(communities, Withheld):
            return self._item(UNKNOWN, "communities", "withheld")
        named = [
            c for c in communities if isinstance(c, Mapping) and isinstance(c.get("name"), str)
        ] if isinstance(communities, list) else []  # fmt: skip
        if not named:
            return self._item(FAIL, "communities", "communities_missing")
        return self._item(OK, "communities", "communities_named", count=len(named))

    def _viability(self, viability: Any) -> CheckItem:
        if isinstance(viability, Withheld):
            return self._item(UNKNOWN, "viability", "withheld")
        assessed = viability.get("assessed") if isinstance(viability, Mapping) else None
        if isinstance(assessed, Withheld):
            return self._item(UNKNOWN, "viability", "withheld")
        if not isinstance(assessed, str):
            return self._item(FAIL, "viability", "viability_missing")
        if assessed < REVISION_CYCLE_START:
            return self._item(
                FAIL, "viability", "viability_old", date=assessed, start=REVISION_CYCLE_START
            )
        return self._item(OK, "viability", "viability_assessed", date=assessed)

    def _restricted(self, current: Record, findings: Sequence[Finding]) -> CheckItem:
        """Judged on the record itself and on validate's findings: it says how much is
        withheld, never what. Whether a public repository holds personal data or restricted
        parts is the rule privacy.public-repository's verdict, the same wherever the packet is
        rendered (with or without the private overlay)."""
        data = current.data
        state = redact.restriction(current)
        access = data.get("access")
        access = access if isinstance(access, Mapping) else {}
        consent = data.get("consent")
        status = consent.get("status") if isinstance(consent, Mapping) else None
        if state is Restriction.FAILED:
            return self._item(FAIL, "restricted", "restricted_broken")
        if any(f.rule == "privacy.public-repository" for f in findings):
            return self._item(FAIL, "restricted", "restricted_public_repository")
        if state is Restriction.CONSENT and not self.b.committee:
            return self._withheld_for_consent(current, public=access.get("level") == "public")
        if state is Restriction.CONSENT:
            # A state outside the vocabulary may be anything (an e-mail address): not quoted.
            known = status in CONSENT
            label = self.t.value("consent", status) if known else "—"
            if access.get("level") == "public":
                return self._item(FAIL, "restricted", "public_without_consent", status=label)
            return self._item(OK, "restricted", "restricted_for_consent", status=label)
        if state is Restriction.NONE:
            return self._item(OK, "restricted", "public_record")
        if not isinstance(access.get("reason"), str) or not access["reason"].strip():
            return self._item(FAIL, "restricted", "restricted_no_reason")
        if state is Restriction.WHOLE:
            return self._item(OK, "restricted", "restricted_whole")
        restricted = [
            p for p in self.inventory.withheld_alone(current) if p.why is redact.Why.RESTRICTED
        ]
        return self._item(OK, "restricted", "restricted_parts", count=len(restricted))

    def _withheld_for_consent(self, current: Record, *, public: bool) -> CheckItem:
        """The answer of a public packet for a record whose consent is not given: what its
        public view says of it (ichinv.inventory.audience), that consent is not given, never
        in which state it is; nothing when the record restricts its consent status."""
        parts = self.inventory.withheld_alone(current)
        whole = next((p for p in parts if p.pointer == redact.WHOLE_RECORD), None)
        if whole is None or whole.why is not redact.Why.CONSENT_NOT_GIVEN:
            return self._item(UNKNOWN, "restricted", "withheld")
        if public:
            return self._item(FAIL, "restricted", "public_not_given")
        return self._item(OK, "restricted", "restricted_until_consent")

    def _status_change(self, change: Any) -> CheckItem:
        if isinstance(change, Withheld):
            return self._item(UNKNOWN, "status_change", "withheld")
        if isinstance(change, Mapping) and isinstance(change.get("reason"), str):
            return self._item(OK, "status_change", "status_change_given")
        return self._item(FAIL, "status_change", "status_change_missing")
