"""What `ichinv import --from odk` did or would do, as plain text: one block per submission in
the language the team answered in (the form's labels, the inventory's vocabulary), located in
the export (file, line, question), then one summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Severity
from ichinv.core.vocabulary import Consent
from ichinv.exchange.form_spec import FormSpec
from ichinv.exchange.odk import OdkPlan
from ichinv.exchange.odk_model import Draft, Located, Outcome, Restriction
from ichinv.exchange.odk_server import ServerChange
from ichinv.exchange.odk_submissions import (
    EXPAND,
    LINKED,
    OUTSIDE,
    SHAPE,
    SINGLE,
    TABLE,
    UNNAMED,
    plain_name,
    question_name,
)
from ichinv.exchange.xlsform import FormTexts, question_label
from ichinv.inventory.withheld_words import UNQUOTED_MESSAGE
from ichinv.render.plain import one_line
from ichinv.schemas.loader import Schema


def render(
    plan: OdkPlan,
    *,
    written: list[str] | None,
    texts: FormTexts,
    spec: FormSpec,
    schema: Schema,
    lang: str,
) -> str:
    """The report. `written` is None for a dry run; `lang` is the language of submissions that
    do not say theirs."""
    lines: list[str] = []
    for draft in plan.drafts:
        own = draft.language if draft.language in texts.labels else None
        words = _Words(texts, spec, schema, own or lang)
        lines.append(
            f"{_where(draft.start.file, draft.start.line)}: {words.heading(draft, dry=written is None)}"
        )
        lines.extend(f"  {words.problem(p)}" for p in draft.problems)
    if EXPAND in plan.notes:
        lines.append(
            _(
                "note: the export holds no repeats (communities, places, contacts…); export ODK "
                "Central's OData feed with $expand=*, or the CSV ZIP"
            )
        )
    lines.extend(
        _(
            "note: the media folder {folder} is a symbolic link, so it was not read and no "
            "attachment was taken from it (a link may lead anywhere on this computer); put the "
            "folder itself beside the export, not a link to it"
        ).format(folder=note.removeprefix(LINKED))
        for note in plan.notes
        if note.startswith(LINKED)
    )
    for prefix, note, field in _LEFT_OUT:
        found = sorted(n.removeprefix(prefix) for n in plan.notes if n.startswith(prefix))
        if found:
            lines.append(_(note).format(**{field: _names(found)}))
    tables = sorted(n.removeprefix(TABLE) for n in plan.notes if n.startswith(TABLE))
    if tables:
        # Named as the export's reader shows them: a ZIP member that is not a plain file
        # name by its place (`export.zip:#3`).
        lines.append(
            _(
                "note: files of the export that hold no table of this form were left out: {files}"
            ).format(files=", ".join(tables))
        )
    if plan.ignored:
        lines.append(
            _(
                "note: answers to questions this form does not have (another version of the "
                "form?) were left out: {questions}"
            ).format(questions=_names(plan.ignored))
        )
    lines.append(_summary(plan, written))
    return "\n".join(lines) + "\n"


_LEFT_OUT: tuple[tuple[str, str, str], ...] = (
    (
        SHAPE,
        N_(
            "note: answers that should be a group of answers or a list of them, and are "
            "not, were left out: {answers}"
        ),
        "answers",
    ),
    (
        SINGLE,
        N_(
            "note: answers that should be one value, and are a list or an object, were left "
            "out: {answers}"
        ),
        "answers",
    ),
    (
        UNNAMED,
        N_(
            "note: answers in a repeat named without the repeat's path (KoboToolbox names "
            "them `contacts/name`, not `name`) were left out: {repeats}"
        ),
        "repeats",
    ),
    (
        OUTSIDE,
        N_(
            "note: answers of a repeat given outside its list of instances were left out: {answers}"
        ),
        "answers",
    ),
)
"""The notes of answers left out for their shape: the note's prefix in `OdkPlan.notes`, its
words, and the name of the field the names go into."""


def _names(found: Iterable[str]) -> str:
    """Answer names as a list: those that are question names; how many others there are."""
    found = list(found)
    shown = [name for name in found if question_name(name)]
    others = len(found) - len(shown)
    if others:
        shown.append(
            ngettext(
                "{count} other whose name is not a question's name",
                "{count} others whose names are not question names",
                others,
            ).format(count=others)
        )
    return ", ".join(shown)


def _unquoted() -> str:
    """The end of a finding's message that quotes nothing of a restricted record (in the
    language of messages, as the findings are)."""
    return _(UNQUOTED_MESSAGE).split("}", 1)[1]


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


class _Words:
    """The words of one submission's block, in its language."""

    def __init__(self, texts: FormTexts, spec: FormSpec, schema: Schema, lang: str) -> None:
        self.texts, self.spec, self.schema, self.lang = texts, spec, schema, lang

    def say(self, key: str, **values: str) -> str:
        return self.texts.label(self.lang, key, **values)

    def value(self, group: str, value: str) -> str:
        """The label of a word of ichinv's own (a severity, a state of consent), else the word:
        never given an answer of the export, which may be anything (a contact too)."""
        table = self.texts.labels.get(self.lang) or {}
        return table.get(f"value.{group}.{value}") or value

    def heading(self, draft: Draft, *, dry: bool) -> str:
        """The line of a submission: what became of it (a key or a record's file name that
        holds a line break or an escape is printed escaped)."""
        return one_line(self._heading(draft, dry=dry))

    def _heading(self, draft: Draft, *, dry: bool) -> str:
        head = self.say("submission.heading", submission=draft.key or "?")
        if draft.outcome is Outcome.NEW:
            what = self.say(
                "submission.would_be" if dry else "submission.new", id=draft.id, path=draft.path
            )
            return f"{head}: {what}; {self.access(draft)}"
        if draft.outcome is Outcome.IMPORTED:
            # What changed on the server since is said; the record is left as it is.
            said = [self.say("submission.already", id=draft.id, path=draft.path)]
            said.extend(
                self.say(f"submission.server_{change.value}", version=draft.version)
                for change in draft.server
            )
            return f"{head}: {'; '.join(said)}"
        if draft.outcome is Outcome.REPEATED:
            return f"{head}: {self.say('submission.repeated', id=draft.id, path=draft.path)}"
        key = {
            Outcome.REJECTED: "submission.rejected",
            Outcome.FORMAT: "submission.other_format"
            if "version" in draft.detail
            else "submission.other_format_unnamed",
            Outcome.NO_KEY: "submission.no_key",
            Outcome.UNREADABLE: "submission.unreadable"
            if "value" in draft.detail
            else "submission.unreadable_unnamed",
            Outcome.TOO_LARGE: "submission.too_large_record",
        }[draft.outcome]
        return f"{head}: {self.say(key, **dict(draft.detail))}"

    def access(self, draft: Draft) -> str:
        if draft.restriction is Restriction.NONE:
            return self.say("submission.public")
        if draft.restriction is Restriction.CONSENT:
            # Only a state of consent is said, in the report's words: whatever else was
            # answered (a contact, a number, `withheld`) is not quoted.
            if draft.consent not in _CONSENT_STATES:
                return self.say("submission.restricted_consent_unreadable")
            status = self.value("consent", str(draft.consent))
            return self.say("submission.restricted_consent", status=status)
        return self.say(
            {
                Restriction.NO_CONSENT: "submission.restricted_no_consent",
                Restriction.TEAM: "submission.restricted_team",
                Restriction.NO_LEVEL: "submission.restricted_no_level",
            }[draft.restriction]
        )

    def problem(self, problem: Located) -> str:
        pattern = _pattern(problem.pointer)
        label = question_label(
            self.texts,
            self.spec,
            self.schema.subschema(problem.pointer) or {},
            problem.question,
            pattern,
            self.lang,
        )
        field = problem.cell.column or problem.pointer.lstrip("/").replace("/", ".")
        severity = self.value("severity", problem.severity.value)
        if problem.message and problem.message.endswith(_unquoted()):
            # The draft is restricted, so the finding quotes nothing: say what the rule asks.
            summary = (self.texts.rules.get(self.lang) or {}).get(problem.rule)
            message = summary.rstrip(".") if summary else problem.message
        elif problem.message:
            message = one_line(problem.message)
        elif problem.label == "submission.unreadable":
            # What could not be read is never quoted: it may be anything (a phone number
            # written where coordinates belong); the line and the question say where it is.
            message = self.say("submission.unreadable_answer")
        else:
            values = dict(problem.values)
            key = problem.label
            if "name" in values and not plain_name(values["name"]):
                # A name that may be anything is not shown: the twin of the text says so in
                # a sentence of its own (not "the file a file whose name …").
                key = f"{key}_unnamed"
                del values["name"]
            message = self.say(key, **values)
        hint = _("; hint: {hint}").format(hint=one_line(problem.hint)) if problem.hint else ""
        named = f" «{label}»" if label else ""
        return (
            f"{_where(problem.cell.file, problem.cell.line)}: {field}{named}: {severity} "
            f"[{problem.rule}] {message}{hint}"
        )


_CONSENT_STATES = frozenset(state.value for state in Consent)
"""The answers to the consent question that the report says (by their labels)."""


def _pattern(pointer: str) -> str:
    return "".join("/*" if part.isdigit() else f"/{part}" for part in pointer.split("/")[1:])


def _summary(plan: OdkPlan, written: list[str] | None) -> str:
    counts = Counter(d.outcome for d in plan.drafts)
    new = plan.new
    with_errors = sum(1 for d in new if d.errors)
    submissions = ngettext("{count} submission", "{count} submissions", len(plan.drafts))
    drafts = ngettext("{count} new draft", "{count} new drafts", len(new))
    parts = [
        f"{submissions.format(count=len(plan.drafts))}: {drafts.format(count=len(new))}"
        + (_(" ({count} with errors)").format(count=with_errors) if with_errors else ""),
        _("{count} already imported").format(count=counts[Outcome.IMPORTED]),
    ]
    if counts[Outcome.REPEATED]:
        parts.append(
            _("{count} repeated in the export (imported once)").format(
                count=counts[Outcome.REPEATED]
            )
        )
    changed = sum(1 for d in plan.drafts if d.server)
    if changed:
        withdrawn = sum(1 for d in plan.drafts if ServerChange.WITHDRAWN in d.server)
        parts.append(
            _("{count} changed on the server since imported").format(count=changed)
            + (
                _(" ({count} with consent withdrawn there)").format(count=withdrawn)
                if withdrawn
                else ""
            )
        )
    if counts[Outcome.REJECTED]:
        parts.append(_("{count} rejected on the server").format(count=counts[Outcome.REJECTED]))
    others = sum(
        counts[o] for o in (Outcome.FORMAT, Outcome.NO_KEY, Outcome.UNREADABLE, Outcome.TOO_LARGE)
    )
    if others:
        parts.append(_("{count} not importable").format(count=others))
    warnings = sum(1 for d in new for p in d.problems if p.severity is Severity.WARNING)
    if warnings:
        parts.append(
            ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
        )
    head = one_line(f"{plan.source} ({plan.server})")
    if written is None:
        return _("dry run {source}: {counts}; nothing written").format(
            source=head, counts=", ".join(parts)
        )
    files = ngettext("{count} file written", "{count} files written", len(written)).format(
        count=len(written)
    )
    return _("imported {source}: {counts}; {files}").format(
        source=head, counts=", ".join(parts), files=files
    )
