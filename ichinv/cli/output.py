"""Writing command output: UTF-8 on stdout whatever the terminal's encoding."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

import typer

from ichinv.core.i18n import _, ngettext
from ichinv.render.plain import one_line

if TYPE_CHECKING:
    from ichinv.core.model import Finding


def write(text: str) -> None:
    """Write `text` to standard output."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(text: str, *, err: bool = False) -> None:
    """Say one line to the person at the terminal (`wrote PATH`, a note): on one line whatever
    names it quotes, line breaks and other control characters shown as escapes
    (ichinv.render.plain.one_line), as error messages are (ichinv.cli.boundary.report)."""
    typer.echo(one_line(text), err=err)


def write_pieces(produce: Callable[[Callable[[str], object]], None]) -> None:
    """Write to standard output what `produce` writes, piece by piece. A reader that goes away
    midway (`| head`) stops the writing, not the command: what it says on standard error
    (files it could not read) and its exit status still come, as when the whole text fitted
    in the pipe at once."""
    try:
        produce(sys.stdout.write)
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()


def reader_gone() -> None:
    """After the reader of standard output went away: what is still buffered, and anything
    written later, goes nowhere, quietly (no second error when Python flushes at exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def nowhere() -> TextIO:
    """A text stream whose writes go nowhere: standard error when it was closed (`2>&-`);
    the exit code still tells."""
    return io.TextIOWrapper(
        io.FileIO(os.open(os.devnull, os.O_WRONLY), mode="w", closefd=True), "utf-8"
    )


def incomplete(problems: Sequence[Finding], *, overlay_unread: bool = False) -> None:
    """After an answer: when parts it had to leave out exist, name each on standard error
    (path:line:column, the reason), grouped by what to do about them, and exit non-zero, so
    that nobody takes a partial answer for a whole one: 1 for record files that could not be
    read and for history a shallow clone does not hold (HISTORY_CUT), 2 when git could not
    give a comparison or a history the answer needs (no such revision, no git:
    NOT_FROM_GIT). `overlay_unread`: an answer counted from what the private overlay keeps,
    but published, could not read it whole: said without where it is or which files (exit 1)."""
    if not problems and not overlay_unread:
        return
    from ichinv.core.model import HISTORY_CUT, NOT_FROM_GIT
    from ichinv.io.git_blobs import SHALLOW_HINT

    cut = [p for p in problems if p.rule == HISTORY_CUT]
    not_made = [p for p in problems if p.rule in NOT_FROM_GIT]
    doubled = [p for p in problems if p.rule == "id.unique"]
    unread = [p for p in problems if p not in cut and p not in not_made and p not in doubled]
    _left_out(
        doubled,
        ngettext(
            "error: this answer is incomplete: {count} record file holds an id another file "
            "holds too, and is left out:",
            "error: this answer is incomplete: {count} record files hold an id another file "
            "holds too, and are left out:",
            _counted(doubled),
        ),
        _(
            "hint: keep each element in one file, elements/<id>.yaml: delete the copy, or give "
            "the other element an id of its own"
        ),
        files=True,
    )
    _left_out(
        unread,
        ngettext(
            "error: this answer is incomplete: {count} record file could not be read and is "
            "left out:",
            "error: this answer is incomplete: {count} record files could not be read and are "
            "left out:",
            _counted(unread),
        ),
        _("hint: fix them (`ichinv validate` says what is wrong with each) and run it again"),
        files=True,
    )
    _left_out(
        cut,
        ngettext(
            "error: this answer is incomplete: this shallow clone lacks the history of {count} "
            "part of it:",
            "error: this answer is incomplete: this shallow clone lacks the history of {count} "
            "parts of it:",
            len(cut),
        ),
        _("hint: {hint}").format(hint=_(SHALLOW_HINT)),
    )
    _left_out(
        not_made,
        ngettext(
            "error: this answer is incomplete: git could not give {count} part of it:",
            "error: this answer is incomplete: git could not give {count} parts of it:",
            len(not_made),
        ),
    )
    if overlay_unread:
        typer.echo(
            _(
                "error: this answer is incomplete: the private overlay could not be read "
                "whole, and what it keeps (contacts, restricted parts) is not all counted; "
                "where it is and which of its files are not shown (this answer may be published)"
            ),
            err=True,
        )
        typer.echo(
            _("hint: `ichinv list --audience committee` names them; fix them and run it again"),
            err=True,
        )
    raise typer.Exit(2 if not_made else 1)


def _counted(problems: Sequence[Finding]) -> int:
    """How many files `problems` are about: one may have two problems, and two files may be
    shown by one name (`elements/…`: Finding.file)."""
    return len({p.file for p in problems})


def _left_out(
    problems: Sequence[Finding], header: str, hint: str | None = None, *, files: bool = False
) -> None:
    """One group of `incomplete`'s problems: its header (`{count}` filled: the problems, or
    with `files` the files they are about), each problem, the hint that fits them all."""
    if not problems:
        return
    from ichinv.render.findings.text import finding_line

    counted = _counted(problems) if files else len(problems)
    typer.echo(header.format(count=counted), err=True)
    for problem in problems:
        typer.echo(f"  {finding_line(problem)}", err=True)
    if hint:
        typer.echo(hint, err=True)
