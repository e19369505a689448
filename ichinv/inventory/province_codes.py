"""The ISO 3166-2 codes a province had (`iso_codes`): which unit a code of another date names.

A province keeps its identifier when ISO changes its code (Kazakhstan's codes were alphabetic,
KZ-ATY, until about 2022 and are numeric, KZ-23, since), so a code read in an older document
may name no record. These helpers find the unit that had it, and say so in a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.i18n import _
from ichinv.core.vocabulary import is_province_id


@dataclass(frozen=True, slots=True)
class CodeUse:
    """One ISO 3166-2 code of one province, with the period it applied (as the record says)."""

    code: str
    province: str
    start: str = ""
    """When the code began to apply (YYYY, YYYY-MM or YYYY-MM-DD); empty when not recorded."""
    end: str = ""
    """When it last applied; empty while it is in use."""

    @property
    def period(self) -> str:
        """The period in words, in the language of messages: `until 2022`, `from 2002-05-21
        until 2022`, `since 2022`."""
        if self.start and self.end:
            return _("from {start} until {end}").format(start=self.start, end=self.end)
        if self.end:
            return _("until {end}").format(end=self.end)
        return _("since {start}").format(start=self.start) if self.start else ""


def uses(province_id: str, data: Mapping[str, Any]) -> tuple[CodeUse, ...]:
    """The codes of one province record (`iso_codes`), malformed entries left out: hints
    quote them, so a province whose id is not a province id's form has none, and a code or a
    date not in its form is left out (either may be anything, an e-mail address too)."""
    found = data.get("iso_codes")
    if not isinstance(found, list) or not is_province_id(province_id):
        return ()
    return tuple(
        CodeUse(
            item["code"],
            province_id,
            _text(item.get("from")),
            _text(item.get("until")),
        )
        for item in found
        if isinstance(item, Mapping)
        and isinstance(item.get("code"), str)
        and _ISO_CODE.fullmatch(item["code"])
    )


def holders(code: str, all_uses: Iterable[CodeUse]) -> tuple[CodeUse, ...]:
    """The uses of `code` (any case) by a province whose identifier is another one."""
    wanted = code.strip().upper()
    return tuple(
        sorted(
            (u for u in all_uses if u.code.upper() == wanted and u.province.upper() != wanted),
            key=lambda u: (u.start, u.province),
        )
    )


def hint(code: str, found: Iterable[CodeUse]) -> str | None:
    """A hint naming the units that had `code` (None when no unit had it)."""
    found = tuple(found)
    if not found:
        return None
    units = "; ".join(f"{u.province} ({u.period})" if u.period else u.province for u in found)
    ids = _(" or ").join(dict.fromkeys(u.province for u in found))
    return _(
        "{code} is a former ISO 3166-2 code of {units}; provinces are named by their identifier, "
        "so use {ids}"
    ).format(code=code.strip().upper(), units=units, ids=ids)


_ISO_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
"""An ISO 3166-2 subdivision code (`KZ-23`, `KZ-ATY`)."""

_DATE = re.compile(r"(19[0-9]{2}|2[01][0-9]{2})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")
"""YYYY, YYYY-MM or YYYY-MM-DD, as the schema's partial dates are (a hint quotes it:
`7012-34-56`, which the schema refuses, may be a phone number's digits)."""


def _text(value: Any) -> str:
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if _DATE.fullmatch(text) else ""
