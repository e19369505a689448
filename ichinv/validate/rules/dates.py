"""Dates: real calendar days, nothing done in the future, and in order."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from typing import Any

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind
from ichinv.validate.rules.context import RecordContext, date, get


def check_dates(ctx: RecordContext) -> Iterator[Finding]:
    fields = ctx.schema.date_fields
    found = pointers.matches_each(ctx.data, tuple(fields))  # one walk for every date field
    for may_be_future, matched in zip(fields.values(), found, strict=True):
        for pointer, value in matched:
            if not isinstance(value, str) or len(value) != 10 or value[4] != "-":
                continue  # the schema reports the form
            day = date(value)
            if day is None:
                yield rule("date.invalid").finding(
                    ctx.path,
                    _("{value!r} is not a date in the calendar{why}").format(
                        value=value, why=_why_no_date(value)
                    ),
                    pointer=pointer,
                    hint=_("check the month (01–12) and the day of the month"),
                )
            elif day > ctx.today and not may_be_future:
                yield rule("date.future").finding(
                    ctx.path,
                    _("{value} is in the future (today is {today})").format(
                        value=value, today=ctx.today.isoformat()
                    ),
                    pointer=pointer,
                    hint=_("record the date on which it actually happened"),
                )
    yield from _order(ctx)


def _why_no_date(value: str) -> str:
    """What is wrong with the YYYY-MM-DD shaped `value`, in words that do not repeat its
    digits together (the value itself is quoted, so shown as `…` when its eight digits may be
    a phone number: `7011-23-45`)."""
    year, month, day = value[:4], value[5:7], value[8:10]
    if not (value.isascii() and (year + month + day).isdigit() and value[7] == "-"):
        return ""  # the schema reports the form
    if not 1 <= int(month) <= 12:
        return _(": there is no month {month}").format(month=month)
    days = calendar.monthrange(max(int(year), 1), int(month))[1]
    if not 1 <= int(day) <= days:
        return _(": month {month} has no day {day}").format(month=month, day=day)
    return ""


def _order(ctx: RecordContext) -> Iterator[Finding]:
    data = ctx.data

    def pair(first: str, second: str, what: str, pointer: str, a: Any, b: Any) -> Iterator[Finding]:
        start, end = date(a), date(b)
        if start and end and start > end:
            yield rule("date.order").finding(
                ctx.path,
                _("{what}: {first} {a} is after {second} {b}").format(
                    what=_(what), first=_(first), a=a, second=_(second), b=b
                ),
                pointer=pointer,
                hint=_("{first} must not come after {second}").format(
                    first=_(first), second=_(second)
                ),
            )

    if ctx.record.kind is RecordKind.PROVINCE:
        yield from pair(
            "valid_from",
            "valid_until",
            N_("the unit's dates"),
            "/valid_until",
            data.get("valid_from"),
            data.get("valid_until"),
        )
        return
    yield from pair(
        "entered",
        "updated",
        "provenance",
        "/provenance/updated",
        get(data, "provenance", "entered"),
        get(data, "provenance", "updated"),
    )
    yield from pair(
        "entered",
        "status_change.date",
        "provenance",
        "/status_change/date",
        get(data, "provenance", "entered"),
        get(data, "status_change", "date"),
    )
    for pointer, measure in pointers.matches(data, "/safeguarding/*"):
        if isinstance(measure, dict):
            yield from pair(
                "since",
                "until",
                N_("safeguarding measure"),
                pointer + "/until",
                measure.get("since"),
                measure.get("until"),
            )
    history = get(data, "consent", "history")
    if isinstance(history, list):
        previous: Any = None
        for index, entry in enumerate(history):
            current = get(entry, "date")
            yield from pair(
                N_("an earlier entry"),
                N_("a later one"),
                N_("consent history (oldest first)"),
                f"/consent/history/{index}/date",
                previous,
                current,
            )
            previous = current or previous
        yield from pair(
            N_("the last history entry"),
            "consent.date",
            "consent",
            "/consent/date",
            previous,
            get(data, "consent", "date"),
        )
