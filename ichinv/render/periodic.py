"""Renderers of `ichinv report periodic`: Markdown for the report's drafters, JSON for tools."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from ichinv.core.model import Finding
from ichinv.core.tally import NOT_IN_VOCABULARY
from ichinv.render.markdown.escape import code
from ichinv.render.markdown.escape import inline as md
from ichinv.render.plain import dumps, named
from ichinv.reports.periodic import ElementRef, PeriodicReport


class ReportFormat(StrEnum):
    """Output formats of `ichinv report periodic`."""

    MARKDOWN = "markdown"
    JSON = "json"


OTHER_VALUES = "other values, not in the vocabulary (not shown)"
"""The row of the values counted outside the vocabulary of a table (core.tally)."""


def _label(key: str, names: Mapping[str, str] | None, group: str) -> str:
    """A count table's row: the name of a word of the vocabulary `group` (its code without a
    name), or OTHER_VALUES for all else."""
    if key == NOT_IN_VOCABULARY:
        return OTHER_VALUES
    return md(named(names, group, key) if group else key)


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part * 100 // whole}%)" if whole else f"{part} of 0"


def _table(
    heading: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str] | None = None,
    *,
    names: Mapping[str, str] | None = None,
    group: str = "",
) -> list[str]:
    """A count table; keys named by `labels` (key → name, shown after the key) or by the
    vocabulary `group` of `names` (the name instead of the code)."""
    rows = [f"| {heading} | elements |", "| --- | ---: |"]
    for key, count in counts.items():
        if labels and labels.get(key):
            label = f"{key} {md(labels[key])}"
        else:
            label = _label(key, names, group)
        rows.append(f"| {label} | {count} |")
    return [*rows, ""]


def _refs(refs: Iterable[ElementRef]) -> str:
    return ", ".join(f"{r.id} ({md(r.name)})" if r.name else r.id for r in refs) or "none"


def render_markdown(report: PeriodicReport, names: Mapping[str, str] | None = None) -> str:
    """The figures as Markdown; vocabulary values by their `names` (English label table)."""
    active = report.active
    # Incomplete (files that could not be read): said at the top, in every sentence that
    # counts the records, and the files named at the end (as the packets do).
    unread = len(report.left_out)
    incomplete = [
        "> This report is incomplete: files of the inventory that could not be read "
        f"({unread}) are not counted here; they are listed at the end.",
        "",
    ]
    overlay = [  # never where it is, nor which of its files: the report is published
        "> This report is incomplete: the private overlay, which keeps contacts and restricted "
        "parts outside the repository, could not be read whole; what it keeps is not all "
        "counted here.",
        "",
    ]
    records = report.public_views_checked
    checked = (
        f"on the {records} records that could be read" if unread else f"on all {records} records"
    )
    elements = "in the records that could be read" if unread else "on record"
    lines = [
        "# The national inventory: figures for the periodic report",
        "",
        *(incomplete if unread else []),
        *(overlay if report.overlay_unread else []),
        f"Reporting period: {report.period_from} to {report.period_to}. "
        f"{report.totals['elements']} elements {elements}: {active} active, "
        f"{report.totals['retired']} retired, {report.totals['merged']} merged. "
        "Figures are computed from the records by `ichinv report periodic`; people appear "
        "only as counts.",
        "",
        "## Indicator 7.3: the inventory is updated, in particular to reflect current viability",
        "",
        f"- Viability assessed in the period: {_share(len(report.viability_updated), active)} "
        "active elements.",
        f"- Records revised in the period: {report.records_updated} active elements.",
        f"- Elements added to the inventory in the period: {len(report.added)}.",
        f"- Elements retired or merged in the period: {len(report.changed_status)}"
        + (f" ({_refs(report.changed_status)})" if report.changed_status else "")
        + ".",
        f"- Listed in 2013 or before and never updated since: {len(report.never_updated)}"
        + (f" ({_refs(report.never_updated)})" if report.never_updated else "")
        + ".",
        f"- Latest viability assessment older than six years at the end of the period: "
        f"{report.stale}.",
        "",
        *_table("viability (active elements)", report.viability, names=names, group="viability"),
        "## Indicator 7.4: access respects customary practices",
        "",
        *_table("access level (active elements)", report.access, names=names, group="access"),
        f"- Restricted as a whole (only the identification is public): {report.restricted_whole}.",
        f"- Restricted in part: {report.restricted_elements_with_parts} elements, "
        f"{report.restricted_parts} fields withheld from public output.",
        f"- Elements holding personal data of practitioners or the inventory team (contacts): "
        f"{report.with_contacts}; contacts never appear in public output.",
        f"- Public elements without given consent: {report.public_without_consent}.",
        "",
        "Every public output of ichinv (review packets, `show`, `list` and `export` with the "
        "default public audience) is built from the same public view of each record, which "
        "leaves out contacts and every restricted part and says why, never what. "
        + f"Checked for this report {checked}: "
        + (
            "no public view shows a contact or a restricted part."
            if not report.public_view_leaks
            else f"the public view of {', '.join(map(code, report.public_view_leaks))} still "
            "shows something it must not. This is a bug in ichinv: report it before publishing "
            "anything."
        ),
        "",
        "## Diversity: domains, national categories, provinces",
        "",
        "An element in several domains or provinces counts in each.",
        "",
        *_table("Convention domain", report.by_domain, names=names, group="domain"),
        *_table("national category (2024 list)", report.by_category, names=names, group="category"),
        *_table("province", report.by_province, report.province_names),
        *(
            _table("language of practice", report.by_language, names=names, group="language")
            if report.by_language
            else []
        ),
        *_table("UNESCO list", report.unesco, names=names, group="unesco_list"),
        "## Indicator 8: participation of communities and consent (aggregates only)",
        "",
        *_table("consent (active elements)", report.consent, names=names, group="consent"),
        *(
            _table("form of consent", report.consent_forms, names=names, group="consent_form")
            if report.consent_forms
            else []
        ),
        f"- Active elements naming the communities, groups or individuals concerned: "
        f"{_share(report.with_communities, active)}.",
        f"- Identified or reassessed through community-based inventorying: "
        f"{report.community_inventoried}.",
        f"- Practised in a focus province of the revision: {report.focus['focus']}; "
        f"elsewhere only: {report.focus['other']}.",
        "",
        *_count_table(
            "communities, groups and organisations by kind",
            report.communities_by_kind,
            names,
            "community_kind",
        ),
        *_count_table("… by role", report.communities_by_role, names, "community_role"),
        *_count_table(
            "practitioners listed, by gender", report.practitioners_by_gender, names, "gender"
        ),
        *_count_table(
            "practitioners listed, by age at the end of the period", report.practitioners_by_age
        ),
        *_left_out(report.left_out),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _count_table(
    heading: str,
    counts: Mapping[str, int],
    names: Mapping[str, str] | None = None,
    group: str = "",
) -> list[str]:
    if not any(counts.values()):
        return [f"- {heading[0].upper()}{heading[1:]}: none recorded.", ""]
    rows = [f"| {heading} | number |", "| --- | ---: |"]
    rows += [f"| {_label(k, names, group)} | {v} |" for k, v in counts.items()]
    return [*rows, ""]


def _left_out(problems: Iterable[Finding]) -> list[str]:
    """The section naming the files that could not be read, as the index packet does: where
    and which rule (what ichinv validate says of each is not quoted: such a file may hold
    anything)."""
    rows = [f"| {code(f.place)} | {code(f.rule)} |" for f in problems]
    if not rows:
        return []
    return [
        "## Files that could not be read",
        "",
        "None of the figures above counts them; `ichinv validate` says what is wrong with each.",
        "",
        "| file | rule |",
        "| --- | --- |",
        *rows,
        "",
    ]


def _ref_json(refs: Iterable[ElementRef]) -> list[dict[str, str]]:
    return [{"id": r.id, "name": r.name} for r in refs]


OVERLAY_UNREAD = {"path": None, "line": None, "column": None, "rule": "privacy.overlay"}
"""The entry of `incomplete` saying that the private overlay could not be read whole: where it
is and which of its files could not be read are not said (the report is published)."""


def report_json(report: PeriodicReport) -> dict[str, Any]:
    return {
        "period": {"from": report.period_from, "to": report.period_to},
        "totals": dict(report.totals),
        "indicator_7_3": {
            "viability_updated": len(report.viability_updated),
            "viability_updated_elements": _ref_json(report.viability_updated),
            "records_updated": report.records_updated,
            "added": len(report.added),
            "added_elements": _ref_json(report.added),
            "retired_or_merged": _ref_json(report.changed_status),
            "never_updated_since_2013": _ref_json(report.never_updated),
            "viability": dict(report.viability),
            "viability_older_than_six_years": report.stale,
        },
        "indicator_7_4": {
            "access": dict(report.access),
            "restricted_whole": report.restricted_whole,
            "restricted_in_part": report.restricted_elements_with_parts,
            "restricted_fields": report.restricted_parts,
            "with_contacts": report.with_contacts,
            "public_without_consent": report.public_without_consent,
            "public_views_checked": report.public_views_checked,
            "public_view_leaks": list(report.public_view_leaks),
        },
        "diversity": {
            "domains": dict(report.by_domain),
            "national_categories": dict(report.by_category),
            "provinces": {
                pid: {"name": report.province_names.get(pid, ""), "elements": count}
                for pid, count in report.by_province.items()
            },
            "languages": dict(report.by_language),
            "unesco": dict(report.unesco),
        },
        "indicator_8": {
            "consent": dict(report.consent),
            "consent_forms": dict(report.consent_forms),
            "with_communities": report.with_communities,
            "communities_by_kind": dict(report.communities_by_kind),
            "communities_by_role": dict(report.communities_by_role),
            "community_inventoried": report.community_inventoried,
            "focus_provinces": dict(report.focus),
            "practitioners_by_gender": dict(report.practitioners_by_gender),
            "practitioners_by_age": dict(report.practitioners_by_age),
        },
        "incomplete": [
            *(
                {"path": f.path, "line": f.line, "column": f.column, "rule": f.rule}
                for f in report.left_out
            ),
            *([OVERLAY_UNREAD] if report.overlay_unread else []),
        ],
    }


def render_json(report: PeriodicReport, names: Mapping[str, str] | None = None) -> str:
    """The figures for tools: vocabulary values as codes (`names` are not used)."""
    return dumps(report_json(report))


RENDERERS: dict[ReportFormat, Callable[[PeriodicReport, Mapping[str, str] | None], str]] = {
    ReportFormat.MARKDOWN: render_markdown,
    ReportFormat.JSON: render_json,
}
