"""Plain-text reports of the writing commands: new, renumber, retire, merge, fmt, migrate."""

from __future__ import annotations

from ichinv.core.model import Severity
from ichinv.edit.fmt import FormatResult
from ichinv.edit.lifecycle import Written
from ichinv.edit.migrate import MigrationResult
from ichinv.edit.new import Created, ToFill


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_created(created: Created) -> str:
    """What `ichinv new` wrote, and the fields left to fill in."""
    lines = [f"created {created.path} ({created.id})"]
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
            f"Still to fill in ({len(required)}; `ichinv validate` reports them until then):"
        )
        lines.extend(lines_for(required))
    if advised:
        lines.append("")
        lines.append("Also worth filling in:")
        lines.extend(lines_for(advised))
    if not required:
        lines.append("The record is complete: `ichinv validate` accepts it.")
    return "\n".join(lines) + "\n"


def render_written(written: Written) -> str:
    """What `retire`, `merge` or `renumber` changed."""
    lines = [written.summary]
    lines.extend(f"  removed {path}" for path in written.removed)
    lines.extend(f"  wrote {path}" for path in written.paths)
    lines.extend(f"note: {note}" for note in written.notes)
    return "\n".join(lines) + "\n"


def render_format(result: FormatResult) -> str:
    """The files `fmt` rewrote (or would rewrite), then a summary."""
    lines: list[str] = list(result.diffs)
    verb = "formatted" if result.written else "would reformat"
    lines.extend(f"{verb} {path}" for path in result.changed)
    for skipped in result.skipped:
        lines.append(f"cannot format {skipped.path}: {skipped.message}")
        if skipped.hint:
            lines.append(f"  hint: {skipped.hint}")
    tidy = result.checked - len(result.changed) - len(result.skipped)
    summary = [f"{_plural(len(result.changed), 'file')} {verb}"]
    summary.append(f"{tidy} already tidy")
    if result.skipped:
        summary.append(f"{len(result.skipped)} unreadable")
    lines.append(", ".join(summary) + ".")
    return "\n".join(lines) + "\n"


def render_migration(result: MigrationResult) -> str:
    """The records `migrate` upgraded (or would upgrade), then a summary."""
    verb = "migrated" if result.written else "would migrate"
    lines = [f"{verb} {m.path} (version {m.old} → {m.new})" for m in result.migrated]
    for problem in result.problems:
        lines.append(f"cannot migrate {problem.path}: {problem.message}")
        if problem.hint:
            lines.append(f"  hint: {problem.hint}")
    versions = ", ".join(f"{kind.value} {version}" for kind, version in result.versions)
    current = result.checked - len(result.migrated) - len(result.problems)
    lines.append(
        f"{_plural(len(result.migrated), 'record')} {verb}, {current} already current "
        f"(format versions: {versions})."
    )
    return "\n".join(lines) + "\n"
