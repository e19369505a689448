"""The view models of packets: what a template of ichinv.packets is given (README "Packets"
lists their fields). Text in them is Markdown already escaped (`Md`)."""

from __future__ import annotations

from dataclasses import dataclass

from ichinv.render.markdown.escape import Md


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
        return not any(n for __, n in self.slices)


@dataclass(frozen=True, slots=True)
class Bars:
    """A Mermaid bar chart, with an optional line over the bars (the targets of the
    provinces). Labels are already safe for Mermaid; the numbers are also in a table beside
    the chart (for screen readers and viewers without Mermaid)."""

    title: Md
    axis: Md
    labels: tuple[Md, ...]
    values: tuple[int, ...]
    line: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.labels

    @property
    def top(self) -> int:
        """The top of the axis: the largest number shown."""
        return max((*self.values, *self.line, 1))


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
    entered: Md = Md("")
    """The date of entry, with its certainty when assessed (`2013-03-01 *(inferred)*`)."""

    def with_since(self, since: Md) -> ElementRow:
        """This row with `since` (what `dataclasses.replace` makes, in half its time: a
        province packet puts it into a thousand rows)."""
        return ElementRow(
            self.id, self.name, self.domains, self.viability, self.consent, self.status, since,
            self.new, self.entered,
        )  # fmt: skip


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
