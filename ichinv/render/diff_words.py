"""How diff reports name what happened: the status of an element since the baseline, the
kind of a field's change, and the notes of re-mapped and withheld values (JSON keeps codes)."""

from __future__ import annotations

from typing import Any

from ichinv.core.i18n import N_, _, pgettext
from ichinv.core.model import ChangeKind, DiffResult, ElementDiff
from ichinv.inventory.withheld_note import Why, Withheld

REMAP_NOTE = N_("administrative re-mapping")
REMAP_ALONE = N_("an administrative re-mapping alone does not make an element revised")
WITHHELD_NOTE = N_("value not shown: personal data or a restricted part")
_OLD_WITHHELD = {
    "consent-not-given": N_("earlier value not shown: consent was not given then"),
    "restricted": N_("earlier value not shown: it was restricted then"),
    "withholds-more": N_("earlier value not shown: the record withholds more since"),
}
_OLD_UNPUBLISHED = N_("earlier value not shown: it was not published then")


_NEW_WITHHELD = {
    "unknown-field": N_("new value not shown: it is not in the schema's form"),
    "personal-data": N_("new value not shown: it holds personal data"),
}
_NEW_UNPUBLISHED = N_("new value not shown until the record is fixed")


def new_withheld_note(why: str) -> str:
    """Why the newer value of a change is not shown (`Change.new_withheld`), in words: it is
    withheld for what it is itself, until the record is fixed."""
    return _(_NEW_WITHHELD.get(why, _NEW_UNPUBLISHED))


_WITHHELD_VALUE = {
    Why.PERSONAL: N_("[withheld: personal data]"),
    Why.RESTRICTED: N_("[withheld: restricted]"),
    Why.CONSENT_NOT_GIVEN: N_("[withheld: consent not given]"),
    Why.UNREADABLE: N_("[withheld: access rules unreadable]"),
    Why.UNKNOWN: N_("[withheld: not in the schema's form]"),
}
_WITHHELD_REASON = N_("[withheld: restricted: {reason}]")


def with_notes_worded(value: Any) -> Any:
    """`value` (plain data of a change) with each `Withheld` note inside it in the language of
    messages (`[жасырылған: жеке деректер]`); JSON keeps the notes as public exports write
    them (ichinv.inventory.withheld_note)."""
    if isinstance(value, Withheld):
        if value.why is Why.RESTRICTED and value.reason:
            return _(_WITHHELD_REASON).format(reason=value.reason)
        return _(_WITHHELD_VALUE[value.why])
    if isinstance(value, dict):
        return {key: with_notes_worded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_notes_worded(item) for item in value]
    return value


def old_withheld_note(why: str) -> str:
    """Why the earlier value of a change is not shown (`Change.old_withheld`), in words: the
    earlier version did not publish it, whatever the record says now."""
    return _(_OLD_WITHHELD.get(why, _OLD_UNPUBLISHED))


_STATUS_WORDS = {
    "added": N_("added"),
    "revised": N_("revised"),
    "unchanged": N_("unchanged"),
    "retired": N_("retired"),
    "merged": N_("merged"),
    "removed": N_("removed"),
    "re-mapped": N_("re-mapped"),
    "absent": N_("absent"),
    "active": N_("active"),
}
"""How reports name the status of an element since the baseline (JSON keeps the value)."""


def diff_word(status: str) -> str:
    """The status of an element since the baseline (`added`, `re-mapped`…), in words."""
    return _(_STATUS_WORDS[status]) if status in _STATUS_WORDS else status


def status_now(element: ElementDiff) -> str:
    """`added, now retired` (ElementDiff.status_now) in words."""
    if element.status_now == element.status.value:
        return diff_word(element.status.value)
    return _("{status}, now {now}").format(
        status=diff_word(element.status.value), now=diff_word(element.now)
    )


def change_word(kind: ChangeKind) -> str:
    """How a change of a field is named (`added`, `removed`, `changed`)."""
    if kind is ChangeKind.ADDED:
        return pgettext("change", "added")
    if kind is ChangeKind.REMOVED:
        return pgettext("change", "removed")
    return pgettext("change", "changed")


WORDS_LEGEND = N_(
    "Word-level changes: **bold** text was added, ~~struck-through~~ text was removed."
)


def baseline_words(result: DiffResult) -> str:
    rev = result.baseline_rev
    commit = result.baseline_commit[:12]
    if result.baseline_name:
        return (
            _("baseline {name} ({rev}, commit {commit})")
            if rev != result.baseline_commit
            else _("baseline {name} (commit {commit})")
        ).format(name=result.baseline_name, rev=rev, commit=commit)
    return (
        _("the baseline ({rev}, commit {commit})")
        if rev != result.baseline_commit
        else _("the baseline (commit {commit})")
    ).format(rev=rev, commit=commit)


def against_words(result: DiffResult) -> str:
    if result.against_rev is None:
        return _("the working tree")
    if result.against_rev == result.against:
        return _("commit {commit}").format(commit=result.against[:12])
    return _("{rev} (commit {commit})").format(rev=result.against_rev, commit=result.against[:12])
