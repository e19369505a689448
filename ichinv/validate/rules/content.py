"""What the record says: its national category, viability, UNESCO files, keyed lists and, for
provinces, what replaced a unit that ceased to exist."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.model import Finding
from ichinv.validate.rules.context import RecordContext, date, get

STALE_AFTER_DAYS = 6 * 365
"""Periodic reports come every six years; an older viability assessment is flagged."""


def check_category(ctx: RecordContext) -> Iterator[Finding]:
    category = ctx.data.get("national_category")
    index = get(ctx.data, "provenance", "national_index")
    if isinstance(index, str) and isinstance(category, str) and index.split("-")[0] != category:
        yield rule("category.index").finding(
            ctx.path,
            f"the national index {index} belongs to category {index.split('-')[0]}, "
            f"but national_category is {category}",
            pointer="/provenance/national_index",
            hint="index numbers are the category numeral and a sequence, e.g. I-2",
        )
    if category is None and ctx.data.get("status") == "active":
        yield rule("category.missing").finding(
            ctx.path,
            "no national category (I–V of the 2024 national list)",
            pointer="/national_category",
            hint="add national_category: I, II, III, IV or V",
        )


def check_viability(ctx: RecordContext) -> Iterator[Finding]:
    if ctx.data.get("status") != "active":
        return
    viability = ctx.data.get("viability")
    if viability is None:
        yield rule("viability.missing").finding(
            ctx.path,
            "viability has not been assessed",
            pointer="/viability",
            hint="add viability: with status:, assessed: and the threats the communities see",
        )
        return
    assessed = date(get(viability, "assessed"))
    if assessed and (ctx.today - assessed).days > STALE_AFTER_DAYS:
        yield rule("viability.stale").finding(
            ctx.path,
            f"viability was last assessed on {assessed.isoformat()}, more than six years ago",
            pointer="/viability/assessed",
            hint="reassess viability with the communities (periodic report indicator 7.3)",
        )


def check_unesco(ctx: RecordContext) -> Iterator[Finding]:
    for pointer, entry in pointers.matches(ctx.data, "/unesco/*"):
        states = get(entry, "states")
        if isinstance(states, list) and states and "KZ" not in states:
            yield rule("unesco.states").finding(
                ctx.path,
                "the UNESCO file's States do not include Kazakhstan (KZ)",
                pointer=pointer + "/states",
                hint="add KZ to states",
            )


def check_list_keys(ctx: RecordContext) -> Iterator[Finding]:
    keyed = ctx.schema.list_keys
    found = pointers.matches_each(ctx.data, tuple(keyed))  # one walk for every keyed list
    for fields, matched in zip(keyed.values(), found, strict=True):
        for pointer, items in matched:
            if not isinstance(items, list):
                continue
            seen: dict[tuple[str, ...], int] = {}
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                key = tuple(str(item.get(f)) for f in fields)
                if key in seen:
                    named = ", ".join(f"{f} {item.get(f)!r}" for f in fields)
                    yield rule("list.duplicate-key").finding(
                        ctx.path,
                        f"items {seen[key] + 1} and {index + 1} of {pointer.lstrip('/')} have the "
                        f"same {named}",
                        pointer=f"{pointer}/{index}",
                        hint="merge the two items, or tell them apart; "
                        f"{' and '.join(fields)} identif{'y' if len(fields) > 1 else 'ies'} an item",
                    )
                else:
                    seen[key] = index


def check_province(ctx: RecordContext) -> Iterator[Finding]:
    data = ctx.data
    until, successors = data.get("valid_until"), data.get("successors")
    if until and not successors:
        yield rule("province.successors").finding(
            ctx.path,
            "the unit ceased to exist (valid_until) but has no successors",
            pointer="/valid_until",
            hint="list the units that took over its territory under successors:",
        )
    if successors and not until:
        yield rule("province.successors").finding(
            ctx.path,
            "the unit has successors but no valid_until date",
            pointer="/successors",
            hint="add valid_until: the last day the unit existed in its former shape",
        )
    if data.get("focus") is True and "target" not in data:
        yield rule("province.target").finding(
            ctx.path,
            "the province is a focus of the revision but has no target of new elements",
            pointer="/focus",
            hint="add target: the number of new elements the inventorying there aims for",
        )
