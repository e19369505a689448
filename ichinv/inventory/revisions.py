"""Revisions as commands take them: a baseline named in the settings, or any git revision."""

from __future__ import annotations

import difflib

from ichinv.core.errors import RevisionNotFound
from ichinv.core.i18n import N_, _
from ichinv.io.git import GitRepo
from ichinv.io.settings import Settings


def resolve(
    settings: Settings,
    repo: GitRepo,
    rev: str,
    *,
    what: str = N_("revision"),
    hint: str | None = None,
) -> str:
    """The commit a revision option names: a baseline of the settings or any git revision
    (RevisionNotFound, with the closest baseline, branch or tag as a hint, when it names
    nothing: every revision option of every command says so; `hint`: the option's own advice,
    after the suggestion, for git's)."""
    try:
        return repo.resolve(settings.revision(rev), what=what)
    except RevisionNotFound as exc:
        # (a name that exists but names no commit gets no suggestion of itself)
        close = difflib.get_close_matches(rev, set(settings.baselines) - {rev}, n=1, cutoff=0.6)
        if close:
            suggestion = _("did you mean the baseline {close!r}? ({hint})")
        else:
            close = difflib.get_close_matches(rev, set(repo.ref_names()) - {rev}, n=1, cutoff=0.6)
            suggestion = _("did you mean {close!r}? ({hint})")
        advice = hint or exc.hint
        if not close:
            raise RevisionNotFound(exc.message, hint=advice) from None
        raise RevisionNotFound(
            exc.message, hint=suggestion.format(close=close[0], hint=advice)
        ) from None
