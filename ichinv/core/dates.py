"""Dates: today (fixed with ICHINV_TODAY for reproducible runs), and dates as records and
options write them (YYYY-MM-DD, nothing else)."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import overload

from ichinv.core.errors import UsageError, typed
from ichinv.core.i18n import _

_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def today() -> dt.date:
    """Today's date, or `ICHINV_TODAY` (YYYY-MM-DD) when set, for reproducible runs; a
    UsageError when it is set to anything else (`garbage`, `2099-02-30`): it was ignored, and
    the run judged dates as of another day than the one asked for."""
    value = os.environ.get("ICHINV_TODAY")
    if not value:
        return dt.date.today()
    fixed = parse_day(value)
    if fixed is None:
        raise UsageError(
            _(
                "ICHINV_TODAY is {value!r}, which is not a day of the calendar written YYYY-MM-DD"
            ).format(value=typed(value)),
            hint=_("set ICHINV_TODAY to a day such as 2026-11-10, or unset it to use today's date"),
        )
    return fixed


def parse_day(value: object) -> dt.date | None:
    """The date a `YYYY-MM-DD` text names; None for anything else (another form, a day that
    does not exist, not text)."""
    if not isinstance(value, str) or not _DAY.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@overload
def option_date(
    value: str, option: str, *, latest: dt.date | None = None, later: str | None = None
) -> dt.date: ...
@overload
def option_date(
    value: str | None, option: str, *, latest: dt.date | None = None, later: str | None = None
) -> dt.date | None: ...
def option_date(
    value: str | None, option: str, *, latest: dt.date | None = None, later: str | None = None
) -> dt.date | None:
    """A date given on the command line with `option`, or a UsageError saying what is wrong;
    None when the option was not given (`value` None). An empty value (`--to ''`, a shell
    variable that was not set) is no date: a usage error, never the option's default.

    `latest`: the last day allowed (a decision cannot be dated in the future); `later`: the
    hint for a day after it (else the one for a decision)."""
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise UsageError(
            _("{option} {value!r} is not a date").format(option=option, value=typed(value)),
            hint=_("write the date as YYYY-MM-DD, e.g. 2026-11-10"),
        )
    if latest is not None and day > latest:
        raise UsageError(
            _("{option} {value} is in the future").format(option=option, value=typed(value)),
            hint=later or _("record the decision once it is taken, with the date it was taken"),
        )
    return day
