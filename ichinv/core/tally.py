"""Counts by a fixed vocabulary: the values a report may count records by, and `tally`, which
counts every other value in one row that names none of them.

A report prints the keys it counts by. Those read from records (a contact's gender, a
community's role, a language) are printed only when they are words of ichinv's own
vocabulary, the one the repository's schema ships (tests/core/test_vocabulary.py checks that
they agree): a schema loosened by an inventory lets anything into a record, an e-mail address
as a gender too, and no such value becomes a row. The enumerations of identification and
status are in ichinv.core.vocabulary; these are the others reports count by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from enum import StrEnum


class ConsentForm(StrEnum):
    """Forms in which consent was given or recorded (`consent.form`)."""

    WRITTEN = "written"
    RECORDED = "recorded"
    COMMUNITY_DECISION = "community-decision"
    OTHER = "other"


class CommunityKind(StrEnum):
    """Kinds of the communities, groups and individuals concerned (`communities[].kind`)."""

    COMMUNITY = "community"
    GROUP = "group"
    ORGANISATION = "organisation"
    INDIVIDUALS = "individuals"


class CommunityRole(StrEnum):
    """Roles of the communities, groups and individuals concerned (`communities[].role`)."""

    PRACTITIONERS = "practitioners"
    BEARERS = "bearers"
    CUSTODIANS = "custodians"
    TRANSMITTERS = "transmitters"
    ORGANISERS = "organisers"
    SUPPORTERS = "supporters"


class ContactRole(StrEnum):
    """Roles of the people listed in `contacts` (personal data: counted, never shown)."""

    BEARER = "bearer"
    PRACTITIONER = "practitioner"
    CUSTODIAN = "custodian"
    COMMUNITY_REPRESENTATIVE = "community-representative"
    INVENTORY_TEAM = "inventory-team"
    OTHER = "other"


class Gender(StrEnum):
    """Genders of the people listed in `contacts` (personal data: counted, never shown)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not-stated"


class UnescoList(StrEnum):
    """The UNESCO lists of the Convention an element may be inscribed on (`unesco[].list`)."""

    REPRESENTATIVE = "representative"
    URGENT = "urgent"
    REGISTER = "register"


NOT_IN_VOCABULARY = "not-in-vocabulary"
"""The key every counted value outside its vocabulary is counted under, in one row (no word of
any vocabulary is spelt so)."""


def tally(
    values: Iterable[object],
    vocabulary: Iterable[str] = (),
    *,
    form: Callable[[str], bool] | None = None,
    absent: str | None = None,
    every: bool = False,
) -> dict[str, int]:
    """How many of `values` are each word of `vocabulary`, in its order (or, for an open
    vocabulary, each text `form` passes, such as `is_province_id`, sorted); then `absent`
    (None values, counted only when it is given); then NOT_IN_VOCABULARY for anything else
    (text outside the vocabulary, a number, a list), never shown as itself. `every`: each
    word and `absent` listed even when none is counted; NOT_IN_VOCABULARY only when one is."""
    words = [str(word) for word in vocabulary]
    known = form or frozenset(words).__contains__
    counts: Counter[str] = Counter()
    for value in values:
        if value is None:
            if absent is not None:
                counts[absent] += 1
        elif isinstance(value, str) and value != NOT_IN_VOCABULARY and known(value):
            counts[str(value)] += 1
        else:
            counts[NOT_IN_VOCABULARY] += 1
    if form is not None:
        words = sorted(word for word in counts if word not in (absent, NOT_IN_VOCABULARY))
    keys = [*words, *([absent] if absent is not None and absent not in words else [])]
    shown = {key: counts.get(key, 0) for key in keys if every or counts.get(key)}
    if counts.get(NOT_IN_VOCABULARY):
        shown[NOT_IN_VOCABULARY] = counts[NOT_IN_VOCABULARY]
    return shown
