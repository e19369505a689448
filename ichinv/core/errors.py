"""Errors that stop a command; each is worded for the user and carries a hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from ichinv.core.i18n import _


class IchinvError(Exception):
    """A failure the user can act on. The CLI prints `message`, each of `details` (the files
    or records it lists) and `hint`, each on one line of its own, never a traceback."""

    exit_code = 2

    def __init__(
        self, message: str, hint: str | None = None, *, details: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = tuple(details)


class UsageError(IchinvError):
    """Bad option or combination of options (exit 2)."""


class ConfigError(IchinvError):
    """No inventory found, or its settings are wrong (exit 2)."""


class RevisionNotFound(IchinvError):
    """A git revision (baseline, --against, --since) does not exist (exit 2)."""


class GitError(IchinvError):
    """Git cannot answer: not a repository, shallow clone, git missing (exit 2)."""


class NotARepository(GitError):
    """The inventory is not in a git repository: a copy of the records, with no history (exit 2
    where history is needed; packets say they have no comparison and render)."""


class ShallowClone(GitError):
    """A revision is not in this shallow clone: its history is cut off (exit 2 where the
    revision is needed; a packet that can do without says so and exits 1)."""


class TemplateError(IchinvError):
    """A packet template is missing or broken (exit 2)."""


class WriteRefused(IchinvError):
    """A command would overwrite a file, or write outside its target, without being asked (exit 2)."""


class RecordUnreadable(IchinvError):
    """The record asked for exists but cannot be read (exit 1, as a validation finding)."""

    exit_code = 1


def unknown_id(
    what: str, wanted: str, known: Iterable[str], folder: str, *, otherwise: str | None = None
) -> UsageError:
    """The error for an id given on the command line that names no record in `folder`/: the
    closest ids as a hint, else `otherwise` (the id is quoted when it is empty or holds
    spaces, to show what was given). `what` is `element`, `province` or `current province`."""
    shown = wanted if wanted and not any(c.isspace() for c in wanted) else repr(wanted)
    shown = "…" if typed(wanted) == "…" else shown
    close = closest_ids(wanted, known)
    message = {
        "element": _("there is no element {id} in {folder}/"),
        "current province": _("there is no current province {id} in {folder}/"),
    }.get(what, _("there is no province {id} in {folder}/"))
    return UsageError(
        message.format(id=shown, folder=folder),
        hint=did_you_mean(close)
        if close
        else otherwise or _("the ids are the file names in {folder}/").format(folder=folder),
    )


def closest_ids(wanted: str, known: Iterable[str], *, cutoff: float = 0.6) -> list[str]:
    """The (up to three) ids of `known` closest to `wanted`, in any case, in order."""
    return sorted(difflib.get_close_matches(wanted.upper(), list(known), n=3, cutoff=cutoff))


def did_you_mean(options: Iterable[str]) -> str:
    """`did you mean A or B?` in the language of messages."""
    return _("did you mean {options}?").format(options=_(" or ").join(options))


def typed(value: str) -> str:
    """What was typed on the command line, as an error may echo it: as it is, unless it may
    be a contact (an e-mail address, a phone number), which no message quotes (`…`). An id's
    form and a date's (`KZ-2013-0099`, `2026-13-45`) are echoed: their digits are no number.
    (The contact patterns are imported here, not with the module: every command, `--help` too,
    imports this one, and compiling them takes ~50 ms.)"""
    from ichinv.core.contacts import may_be_contact

    return "…" if may_be_contact(value) else value
