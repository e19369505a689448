"""What the record says: its national category, viability, UNESCO files, keyed lists and, for
provinces, what replaced a unit that ceased to exist."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _, ngettext
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
            _(
                "the national index {index} belongs to category {index_category}, "
                "but national_category is {category}"
            ).format(index=index, index_category=index.split("-")[0], category=category),
            pointer="/provenance/national_index",
            hint=_("index numbers are the category numeral and a sequence, e.g. I-2"),
        )
    if (
        category is None
        and ctx.data.get("status") == "active"
        and not ctx.kept_elsewhere("/national_category")
    ):
        yield rule("category.missing").finding(
            ctx.path,
            _("no national category (I–V of the 2024 national list)"),
            pointer="/national_category",
            hint=_("add national_category: I, II, III, IV or V"),
        )


def check_viability(ctx: RecordContext) -> Iterator[Finding]:
    if ctx.data.get("status") != "active":
        return
    viability = ctx.data.get("viability")
    if viability is None and not ctx.kept_elsewhere("/viability"):
        yield rule("viability.missing").finding(
            ctx.path,
            _("viability has not been assessed"),
            pointer="/viability",
            hint=_("add viability: with status:, assessed: and the threats the communities see"),
        )
        return
    assessed = date(get(viability, "assessed"))
    if assessed and (ctx.today - assessed).days > STALE_AFTER_DAYS:
        yield rule("viability.stale").finding(
            ctx.path,
            _("viability was last assessed on {date}, more than six years ago").format(
                date=assessed.isoformat()
            ),
            pointer="/viability/assessed",
            hint=_("reassess viability with the communities (periodic report indicator 7.3)"),
        )


def check_unesco(ctx: RecordContext) -> Iterator[Finding]:
    for pointer, entry in pointers.matches(ctx.data, "/unesco/*"):
        states = get(entry, "states")
        if isinstance(states, list) and states and "KZ" not in states:
            yield rule("unesco.states").finding(
                ctx.path,
                _("the UNESCO file's States do not include Kazakhstan (KZ)"),
                pointer=pointer + "/states",
                hint=_("add KZ to states"),
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
                        _("items {first} and {second} of {list} have the same {values}").format(
                            first=seen[key] + 1,
                            second=index + 1,
                            list=pointer.lstrip("/"),
                            values=named,
                        ),
                        pointer=f"{pointer}/{index}",
                        hint=ngettext(
                            "merge the two items, or tell them apart; {fields} identifies an item",
                            "merge the two items, or tell them apart; {fields} identify an item",
                            len(fields),
                        ).format(fields=_(" and ").join(fields)),
                    )
                else:
                    seen[key] = index


def check_province(ctx: RecordContext) -> Iterator[Finding]:
    data = ctx.data
    until, successors = data.get("valid_until"), data.get("successors")
    if until and not successors:
        yield rule("province.successors").finding(
            ctx.path,
            _("the unit ceased to exist (valid_until) but has no successors"),
            pointer="/valid_until",
            hint=_("list the units that took over its territory under successors:"),
        )
    if successors and not until:
        yield rule("province.successors").finding(
            ctx.path,
            _("the unit has successors but no valid_until date"),
            pointer="/successors",
            hint=_("add valid_until: the last day the unit existed in its former shape"),
        )
    if data.get("focus") is True and "target" not in data:
        yield rule("province.target").finding(
            ctx.path,
            _("the province is a focus of the revision but has no target of new elements"),
            pointer="/focus",
            hint=_("add target: the number of new elements the inventorying there aims for"),
        )
