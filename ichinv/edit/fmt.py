"""`ichinv fmt`: every record in canonical form (schema key order, the inventory's style).

Formatting never changes a value: the round-trip editor (ichinv.io.editor) re-reads what it would write and refuses otherwise,
and it keeps every comment with the field it belongs to. A second run changes nothing.

A record already in canonical form is told so, and one in plain YAML laid out otherwise is
rewritten, without ruamel.yaml where it can be (ichinv.io.editor.canonical). Runs are
incremental: a file whose bytes (git blob id, from git's index where it can vouch for them)
were found canonical before is not read again (ichinv.edit.verdicts).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core import pointers
from ichinv.core.errors import IchinvError
from ichinv.core.i18n import _, ngettext
from ichinv.core.model import RecordKind
from ichinv.edit.shown_diff import shown_hunks
from ichinv.edit.unhandled import Unhandled
from ichinv.edit.verdicts import Verdicts
from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots
from ichinv.inventory.policy import policy_for
from ichinv.inventory.unreadable import unread_records
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import forked, transaction
from ichinv.io.editor import KeyOrder
from ichinv.io.editor.canonical import canonical_text, formatted_text
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


@dataclass(frozen=True, slots=True)
class FormatResult:
    """What `fmt` found (and, unless checking, did)."""

    checked: int
    """Record files looked at."""
    changed: tuple[str, ...]
    """Files that were (or, when checking, would be) rewritten."""
    skipped: tuple[Unhandled, ...] = ()
    diffs: tuple[tuple[str, str], ...] = ()
    """Unified diffs of the changes, when asked for: each file's path and its hunks (the
    renderer writes the `---`/`+++` lines, the path printable)."""
    written: bool = False
    """True when the changed files were written."""
    line_endings: Mapping[str, str] = field(default_factory=dict)
    """Changed files whose only change is their line endings, with the endings they had
    (`CRLF`: a Windows checkout with git's `core.autocrlf`; `CR`: an old Mac editor's)."""
    stopped: IchinvError | None = None
    """The write that failed and stopped the run (exit 2), worded with what was written
    before it: `changed` then holds the files written, and the others were not looked at."""
    interrupted: bool = False
    """Ctrl-C stopped the run: `changed` holds the files written before it (the one being
    written counted when it was), and the others were left as they were."""

    @property
    def ok(self) -> bool:
        """Nothing left to format and nothing unreadable."""
        return not self.skipped and (self.written or not self.changed)


PARALLEL_FROM = 48
"""Records to tidy from which the work is shared with forked processes (one per core): a
record costs ruamel.yaml about 30 ms (one in canonical form ~1.3 ms, one written without
ruamel.yaml ~2.5 ms: ichinv.io.editor.canonical), a fork a few."""

CHUNK = 2000
"""Records tidied, then written, at a time (their new texts in memory meanwhile)."""


@dataclass(frozen=True, slots=True)
class Tidy:
    """A record's canonical text."""

    text: str
    settled: bool = True
    """False when formatting `text` again would change it (a fault of the formatter): it is
    written, but not remembered as canonical, so that the next run says so."""


Tidied = Tidy | tuple[str, str | None]
"""A record's canonical text, or why it could not be formatted (message, hint)."""


def format_records(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    write: bool = True,
    diff: bool = False,
) -> FormatResult:
    """Format the records named by `paths` (files or folders; default: every record)."""
    todo: list[tuple[records.SourceFile, bytes, str]] = []
    skipped: list[Unhandled] = []
    with Verdicts.open(settings, "fmt") as canonical:
        tree = snapshots.current(settings) if canonical.active else None
        found, problems = (
            (tree.sources(), tree.problems) if tree is not None else records.discover(settings)
        )
        canonical.size_hint = len(found)
        wanted = records.select(settings, found, paths) if paths else None
        orders = schema_loader.key_orders(settings.schema_dir)
        checked = 0
        for source in found:
            if wanted is not None and source.rel not in wanted:
                continue
            checked += 1
            if tree is not None and canonical.settled(source.kind, tree.blob_of(source.rel)):
                continue
            raw = (
                tree.read(source.rel)
                if tree is not None
                else records.read(source, settings.max_file_size)
            )
            if not isinstance(raw, bytes):
                skipped.append(Unhandled(source.rel, raw.message, raw.hint))
                continue
            blob = records.blob_id(raw)
            if not canonical.settled(source.kind, blob):
                todo.append((source, raw, blob))
    changed: list[str] = []
    crlf: dict[str, str] = {}
    diffs: list[tuple[str, str]] = []
    personal: dict[RecordKind, frozenset[str]] = {}  # (read once, at the first diff of a kind)
    stopped: IchinvError | None = None
    interrupted = False
    writing: tuple[Path, bytes, str] | None = None  # the file being written: its new bytes
    try:
        for start in range(0, len(todo), CHUNK):
            if stopped is not None:
                break
            chunk = todo[start : start + CHUNK]
            # Tidied with no cache database open, so that other cores may share the work.
            tidied = _tidy_all(
                [(raw, orders[source.kind], source.rel) for source, raw, __ in chunk]
            )
            with Verdicts.open(settings, "fmt") as canonical:
                # The inventory's size, or the table keeps only its floor of verdicts (1,000: a
                # first run over 10,000 records was forgotten but for a tenth).
                canonical.size_hint = len(found)
                for (source, raw, blob), text in zip(chunk, tidied, strict=True):
                    if stopped is not None:
                        break
                    if not isinstance(text, Tidy):
                        skipped.append(Unhandled(source.rel, *text))
                        continue
                    new = text.text.encode("utf-8")
                    if new == raw:
                        canonical.settle(source.kind, blob)
                        continue
                    if write:
                        # Only over the bytes read: a change made meanwhile is never undone.
                        target = files.edited(source.path, settings.root)
                        try:
                            writing = (target, new, source.rel)
                            transaction.apply_one(transaction.Change(target, new, raw))
                            writing = None
                        except IchinvError as exc:
                            stopped = _stopped(exc, len(changed))
                            continue
                        if text.settled:
                            canonical.settle(source.kind, records.blob_id(new))
                    changed.append(source.rel)
                    if b"\r" in raw and raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n") == new:
                        crlf[source.rel] = "CRLF" if b"\r\n" in raw else "CR"
                    if diff:
                        if source.kind not in personal:
                            personal[source.kind] = _personal_tops(settings, source.kind)
                        diffs.append(
                            (source.rel, shown_hunks(raw, text.text, personal[source.kind]))
                        )
    except KeyboardInterrupt:
        # Said with what was written before it (an outside review): the file being written
        # when Ctrl-C came counts when its new bytes are in place.
        interrupted = True
        if writing is not None and _holds(writing[0], writing[1]):
            changed.append(writing[2])
    order = {source.rel: number for number, source in enumerate(found)}
    skipped.sort(key=lambda s: order.get(s.path, len(order)))  # in the order of the listing
    if wanted is None:
        # A record file that cannot be read (a link leading out or nowhere, a folder named
        # like a record, a name that is not text, KZ-2013-0001.yml): named, as `validate`
        # names it, never passed over in silence.
        unread = unread_records(problems)
        checked += len(unread)
        skipped.extend(Unhandled(p.path, p.message, p.hint) for p in unread)
    else:
        missing = sorted(wanted - {f.rel for f in found})
        checked += len(missing)  # looked at and refused, as `validate` counts them
        unreadable = {p.path: p for p in unread_records(problems)}
        for rel in missing:  # named as `validate` names them (exit 1)
            finding = unreadable.get(rel) or records.not_a_record(settings, rel)
            skipped.append(Unhandled(rel, finding.message, finding.hint))
    return FormatResult(
        checked,
        tuple(changed),
        tuple(skipped),
        tuple(diffs),
        written=write,
        line_endings=crlf,
        stopped=stopped,
        interrupted=interrupted,
    )


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds `data` (an interrupted write may have ended either
    way)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _stopped(failure: IchinvError, formatted: int) -> IchinvError:
    """The write that failed (its file left as it was), said with what was written before it
    (an outside review found "…; nothing was changed" after files had been formatted)."""
    if not formatted:
        message = _("{problem}; nothing was changed").format(problem=failure.message)
    else:
        message = ngettext(
            "{problem}; fmt stopped there: {count} file was formatted before it (listed "
            "above), that file and the files after it were left as they were",
            "{problem}; fmt stopped there: {count} files were formatted before it (listed "
            "above), that file and the files after it were left as they were",
            formatted,
        ).format(problem=failure.message, count=formatted)
    return IchinvError(message, failure.hint)


def _tidy_all(items: list[tuple[bytes, KeyOrder, str]]) -> list[Tidied]:
    """Each record's canonical text (or why it has none), in order: shared with a process
    forked for each other core when there are PARALLEL_FROM or more (ichinv.io.forked; a
    process that fails leaves its share to this one, so the answer is the same)."""
    cores = forked.worker_count() if len(items) >= PARALLEL_FROM else 1
    shares = [items[number::cores] for number in range(cores)]
    ahead = [forked.Ahead(functools.partial(_tidy_each, share)) for share in shares[1:]]
    done = [_tidy_each(shares[0]), *(other.result() for other in ahead)]
    result: list[Tidied] = [("", None)] * len(items)
    for number, share in enumerate(done):
        result[number::cores] = share
    return result


def _tidy_each(items: list[tuple[bytes, KeyOrder, str]]) -> list[Tidied]:
    tidied: list[Tidied] = []
    for raw, order, rel in items:
        # Told, or written, without ruamel.yaml when it can be (~1.3 ms, or ~2.5 ms, against
        # ~30): the law of formatted_text is that it only ever gives what tidy gives, and a
        # text it gives is canonical (it checks).
        made = formatted_text(raw, order)
        if made is not None:
            tidied.append(Tidy(made))
            continue
        try:
            text = yamlio.tidy(raw, order, rel)
            again = text.encode("utf-8")
            # A new text is canonical only if formatting it changes nothing (told afresh, here
            # where the cores share the work): a formatter that changed its own output again
            # would otherwise be hidden by the remembered verdict.
            settled = (
                again == raw
                or canonical_text(again, order) is not None
                or _tidy_again(again, order) == text
            )
            tidied.append(Tidy(text, settled))
        except IchinvError as exc:
            tidied.append((exc.message, exc.hint))
    return tidied


def _tidy_again(text: bytes, order: KeyOrder) -> str | None:
    try:
        return yamlio.tidy(text, order)
    except IchinvError:
        return None


def _personal_tops(settings: Settings, kind: RecordKind) -> frozenset[str]:
    """The top-level fields of records of `kind` that hold personal data (`/contacts` of
    elements, and what the schemas mark), which `fmt --diff` never shows."""
    fields = policy_for(settings.schema_dir).personal_fields(kind)
    return frozenset(filter(None, map(pointers.top, fields)))
