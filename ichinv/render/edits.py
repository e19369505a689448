"""Plain-text reports of the writing commands: new, renumber, retire, merge, fmt, migrate.

A record file's name may hold anything a file system allows (a line break, an escape
sequence): every line naming one is printed as `validate` prints it (ichinv.render.plain.
one_line), so that no name can start a line of its own (a GitHub workflow command in CI) or
act on the terminal.
"""

from __future__ import annotations

from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Severity
from ichinv.edit.elements import Written
from ichinv.edit.fmt import FormatResult
from ichinv.edit.migrate import MigrationResult
from ichinv.edit.new import Created, ToFill
from ichinv.render.plain import one_line, visible


def render_created(created: Created) -> str:
    """What `ichinv new` wrote, and the fields left to fill in."""
    lines = [one_line(_("created {path} ({id})").format(path=created.path, id=created.id))]
    required = [f for f in created.to_fill if f.severity is Severity.ERROR]
    advised = [f for f in created.to_fill if f.severity is not Severity.ERROR]

    def lines_for(items: list[ToFill]) -> list[str]:
        # Fields with the same explanation (a text in several languages) share one line.
        grouped: dict[str, list[str]] = {}
        for item in items:
            what = item.guidance
            if item.title and not what.startswith("`"):
                what = f"{item.title.split(' (')[0]}: {what}"
            grouped.setdefault(what, []).append(item.field)
        labels = {what: ", ".join(fields) for what, fields in grouped.items()}
        width = max(len(label) for label in labels.values())
        return [f"  {labels[what]:<{width}}  {what}" for what in grouped]

    if required:
        lines.append("")
        lines.append(
            _("Still to fill in ({count}; `ichinv validate` reports them until then):").format(
                count=len(required)
            )
        )
        lines.extend(lines_for(required))
    if advised:
        lines.append("")
        lines.append(_("Also worth filling in:"))
        lines.extend(lines_for(advised))
    if not required:
        lines.append(_("The record is complete: `ichinv validate` accepts it."))
    return "\n".join(lines) + "\n"


def render_written(written: Written) -> str:
    """What `retire`, `merge` or `renumber` changed."""
    lines = [one_line(written.summary)]
    lines.extend("  " + _("removed {path}").format(path=one_line(p)) for p in written.removed)
    lines.extend("  " + _("wrote {path}").format(path=one_line(p)) for p in written.paths)
    lines.extend(one_line(_("note: {note}").format(note=note)) for note in written.notes)
    return "\n".join(lines) + "\n"


def render_format(result: FormatResult) -> str:
    """The files `fmt` rewrote (or would rewrite), then a summary."""
    lines: list[str] = [
        # The hunks as a terminal and a CI log may show them (their controls as escapes, no
        # workflow command: a context line's leading space is trimmed by GitHub's runner).
        f"--- a/{one_line(path)}\n+++ b/{one_line(path)}\n{visible(hunks)}"
        for path, hunks in result.diffs
    ]
    verb = _("formatted {path}") if result.written else _("would reformat {path}")
    only_endings = _("{changed} (line endings only: {endings} → LF)")
    for path in result.changed:
        said = verb.format(path=one_line(path))
        endings = result.line_endings.get(path)
        lines.append(only_endings.format(changed=said, endings=endings) if endings else said)
    for skipped in result.skipped:
        lines.append(
            one_line(
                _("cannot format {path}: {message}").format(
                    path=skipped.path, message=skipped.message
                )
            )
        )
        if skipped.hint:
            lines.append("  " + _("hint: {hint}").format(hint=one_line(skipped.hint)))
    if result.stopped is not None:
        # A write failed: its error (on standard error) says what was and was not written.
        return "\n".join(lines) + "\n" if lines else ""
    if result.interrupted:
        count = len(result.changed)
        lines.append(
            ngettext(
                "Stopped by Ctrl-C: {count} file was formatted before it (listed above); the "
                "others were left as they were.",
                "Stopped by Ctrl-C: {count} files were formatted before it (listed above); the "
                "others were left as they were.",
                count,
            ).format(count=count)
        )
        return "\n".join(lines) + "\n"
    tidy = result.checked - len(result.changed) - len(result.skipped)
    changed = len(result.changed)
    summary = [
        ngettext("{count} file formatted", "{count} files formatted", changed).format(count=changed)
        if result.written
        else ngettext(
            "{count} file would reformat", "{count} files would reformat", changed
        ).format(count=changed)
    ]
    summary.append(_("{count} already tidy").format(count=tidy))
    if result.skipped:
        summary.append(_("{count} unreadable").format(count=len(result.skipped)))
    lines.append(", ".join(summary) + ".")
    if "CRLF" in result.line_endings.values() and not result.written:
        lines.append(_("hint: {hint}").format(hint=_(CRLF_HINT)))
    return "\n".join(lines) + "\n"


CRLF_HINT = N_(
    "records are kept with LF line endings; a Windows checkout converts them to CRLF when git's "
    "core.autocrlf is true: run `git config core.autocrlf input` (or add `*.yaml text eol=lf` "
    "to .gitattributes) and check the files out again, or run `ichinv fmt`"
)


def render_migration(result: MigrationResult) -> str:
    """The records `migrate` upgraded (or would upgrade), then a summary."""
    verb = (
        _("migrated {path} (version {old} → {new})")
        if result.written
        else _("would migrate {path} (version {old} → {new})")
    )
    lines = [verb.format(path=one_line(m.path), old=m.old, new=m.new) for m in result.migrated]
    for problem in result.problems:
        lines.append(
            one_line(
                _("cannot migrate {path}: {message}").format(
                    path=problem.where, message=problem.message
                )
            )
        )
        if problem.hint:
            lines.append("  " + _("hint: {hint}").format(hint=one_line(problem.hint)))
    versions = ", ".join(f"{kind.value} {version}" for kind, version in result.versions)
    current = result.checked - len(result.migrated) - len(result.problems)
    migrated = len(result.migrated)
    counted = (
        ngettext("{count} record migrated", "{count} records migrated", migrated)
        if result.written
        else ngettext("{count} record would migrate", "{count} records would migrate", migrated)
    ).format(count=migrated)
    lines.append(
        _("{counted}, {current} already current (format versions: {versions}).").format(
            counted=counted, current=current, versions=versions
        )
    )
    return "\n".join(lines) + "\n"
