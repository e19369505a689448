"""Writing the drafts of `ichinv import --from odk`: refused before anything is written when it
cannot be done safely, and undone draft by draft when writing fails.

Before anything is written (`check`, also for `--dry-run`):
- the folders the attachments go to (documentation/ and evidence/, and every folder on the way
  down to a draft's, in the repository and in the private overlay) are folders of the
  inventory (or of the overlay): a symbolic link leading out of it, or nowhere, is refused, as
  a link of elements/ is (the attachments, signed consent forms among them, were written
  wherever it led);
- the attachments are bounded: at most `Limits.total` bytes in all (--max-attachments-mib),
  no ZIP member expanding more than `Limits.expansion` times (--max-expansion: a 2 MB ZIP
  wrote 2 GB), and no more than the disk has free.

While writing (`write`), draft after draft: its attachments (read in pieces, never whole, each
written atomically), then its overlay file, then its record. When a draft cannot be written,
for any reason (a file in the way, a full disk, a read-only or immutable folder, Ctrl-C,
SIGTERM), the files and folders written for it are removed and the error says so, or names
exactly those that could not be removed; it names the drafts written before it, which stay
whole. A draft is written once its record is: its record is written with Ctrl-C and SIGTERM
held back, so that no interruption undoes the files of a draft whose record exists.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core.contacts import without_contacts
from ichinv.core.errors import IchinvError, UsageError, WriteRefused
from ichinv.core.i18n import _, ngettext
from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import ATTACHMENT_FOLDERS
from ichinv.exchange import odk_media
from ichinv.exchange.odk_media import MediaSource
from ichinv.exchange.odk_model import Attachment, Draft
from ichinv.inventory import overlay
from ichinv.io import atomic as files
from ichinv.io import forked, os_errors
from ichinv.io.settings import Settings

MIB = 1 << 20

TOTAL_MIB = 4096
"""Default of the most bytes (MiB) the attachments of one import may hold: 4 GiB."""

EXPANSION = 100
"""Default of the most times a ZIP member may expand: photographs, recordings and videos are
compressed already (about 1 time), documents a few times; only a ZIP bomb expands a hundred."""

SMALL = MIB
"""A ZIP member of at most this many bytes expanded is never refused for its expansion."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much an import may write from attachments."""

    total: int = TOTAL_MIB * MIB
    """Bytes, in all."""
    expansion: int = EXPANSION
    """Times a ZIP member may expand."""


class Stopped(IchinvError):
    """Writing the drafts stopped: what failed, what of the draft being written is left, and
    which drafts were written before (exit 2, or 130 and 143 when interrupted)."""

    def __init__(
        self, message: str, hint: str | None, *, details: Sequence[str], exit_code: int
    ) -> None:
        super().__init__(message, hint, details=details)
        self.exit_code = exit_code


# --- before writing -----------------------------------------------------------------------------


def check(
    settings: Settings, drafts: Sequence[Draft], overlay_folder: Path | None, limits: Limits
) -> None:
    """Refuse (exit 2, nothing written) what writing `drafts` would do unsafely (see the
    module)."""
    bases = [settings.root, *([overlay_folder] if overlay_folder is not None else [])]
    for base in bases:
        for name in ATTACHMENT_FOLDERS:
            _contained(settings, base, base / name)
    attachments = [(draft, a) for draft in drafts for a in draft.attachments]
    for __, attachment in attachments:
        within = next((b for b in bases if attachment.target.is_relative_to(b)), None)
        if within is not None:
            for step in _steps(attachment.target.parent.relative_to(within)):
                _contained(settings, within, within / step)
    for draft, attachment in attachments:
        media = attachment.media
        if media.sealed:
            raise odk_media.sealed(media)
        if media.packed is not None and media.size > SMALL and media.expansion > limits.expansion:
            where = f"{draft.start.file}:{draft.start.line or 1}"
            raise UsageError(
                _(
                    "{name}, an attachment of the submission at {where}, expands {times} "
                    "times out of the ZIP file, to {size} MiB: more than the {limit} times a "
                    "photograph, recording or document does (it may be a ZIP bomb); nothing "
                    "was written"
                ).format(
                    name=media.shown,
                    where=where,
                    times=int(media.expansion),
                    size=math.ceil(media.size / MIB),
                    limit=limits.expansion,
                ),
                hint=_(
                    "download the export again from the server; if that file is meant to be "
                    "so, pass --max-expansion {needed}"
                ).format(needed=math.ceil(media.expansion)),
            )
    total = sum(a.media.size for __, a in attachments)
    if total > limits.total:
        raise UsageError(
            _(
                "the attachments of the new drafts hold {size} MiB, more than the {limit} MiB "
                "an import writes; nothing was written"
            ).format(size=math.ceil(total / MIB), limit=limits.total // MIB),
            hint=_(
                "to import them, pass --max-attachments-mib {needed} (the disk must have "
                "room for them)"
            ).format(needed=math.ceil(total / MIB)),
        )
    _room(settings, [a for __, a in attachments], bases)


def _contained(settings: Settings, base: Path, folder: Path) -> None:
    """Refuse `folder`, on the way to the attachments below `base`, when it leads out of
    `base` or nowhere, or is no folder (it need not exist: it is made then)."""
    if not os.path.lexists(folder):
        return
    shown = overlay.display(settings, folder)
    hint = _(
        "put a folder of {base} in the place of {path} (or remove the link), then run the "
        "import again"
    ).format(base=base, path=shown)
    real = os.path.realpath(folder)
    if not os.path.exists(folder):
        raise UsageError(
            _("{path} is a symbolic link that leads nowhere; nothing was written").format(
                path=shown
            ),
            hint=hint,
        )
    if not Path(real).is_relative_to(os.path.realpath(base)):
        raise UsageError(
            _(
                "{path} is a symbolic link to {target}, outside {base}: the drafts' "
                "attachments, signed consent forms among them, would be written there; "
                "nothing was written"
            ).format(path=shown, target=without_contacts(real), base=base),
            hint=hint,
        )
    if not os.path.isdir(folder):
        raise UsageError(
            _("{path} is a file, not a folder: attachments go there; nothing was written").format(
                path=shown
            ),
            hint=_("move that file away, then run the import again"),
        )


def _room(settings: Settings, attachments: Sequence[Attachment], bases: Sequence[Path]) -> None:
    """Refuse attachments the disk has no room for (each base's disk)."""
    needed: dict[Path, int] = {}
    for attachment in attachments:
        base = next((b for b in bases if attachment.target.is_relative_to(b)), None)
        if base is not None:
            needed[base] = needed.get(base, 0) + attachment.media.size
    for base, size in needed.items():
        try:
            free = shutil.disk_usage(base).free
        except OSError:  # the overlay not made yet: said when it is written
            continue
        if size > free:
            raise UsageError(
                _(
                    "the attachments of the new drafts need {size} MiB, and the disk of {folder} "
                    "has {free} MiB free; nothing was written"
                ).format(size=math.ceil(size / MIB), folder=base, free=free // MIB),
                hint=_("make room on that disk, then run the import again"),
            )


# --- writing ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Made:
    """What writing one draft made so far."""

    draft: Draft
    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    record: bool = False
    """True while its record is being written."""

    def folder(self, folder: Path, within: Path, *, private: bool = False) -> None:
        """Make `folder` (and those from `within` down to it), noting those made."""
        levels = [within, *(within / step for step in _steps(folder.relative_to(within)))]
        missing = [level for level in levels if not os.path.lexists(level)]
        try:
            files.make_folder(folder, within=within, private=private)
        finally:
            self.folders.extend(level for level in missing if os.path.isdir(level))

    def undo(self) -> list[Path]:
        """Remove what was made, last first; what could not be removed."""
        left: list[Path] = []
        for path in reversed(self.files):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                left.append(path)
        for folder in reversed(self.folders):
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError:
                if not any(path.is_relative_to(folder) for path in left):
                    left.append(folder)
        return left


def _steps(relative: Path) -> Iterator[Path]:
    for end in range(1, len(relative.parts) + 1):
        yield Path(*relative.parts[:end])


def write(settings: Settings, drafts: Sequence[Draft], media: MediaSource) -> list[str]:
    """Write `drafts` (see the module); the paths written, as reports show them. Raises
    Stopped when a draft cannot be written."""
    written: list[str] = []
    done: list[Draft] = []
    current: _Made | None = None
    try:
        for draft in drafts:
            current = _Made(draft)
            for attachment in draft.attachments:
                _write_once(
                    settings,
                    attachment.target,
                    attachment.media.size,
                    _reader(media, attachment),
                    attachment.private,
                    current,
                )
                written.append(attachment.shown)
            if draft.overlay_path is not None:
                text = draft.overlay_text.encode("utf-8")
                _write_once(
                    settings,
                    draft.overlay_path,
                    len(text),
                    _given(text),
                    True,
                    current,
                )
                written.append(overlay.display(settings, draft.overlay_path))
            target = settings.root / draft.path
            current.folder(target.parent, settings.root / RecordKind.ELEMENT.folder)
            current.record = True
            with forked.held_interrupts():  # no interruption between the record and `done`
                files.write_text_atomic(target, draft.text)
                written.append(draft.path)
                done.append(draft)
                current = None
    except BaseException as exc:
        left = current.undo() if current is not None else []
        stopped = _stopped(settings, exc, current, done, left)
        if stopped is None:
            raise
        raise stopped from None
    return written


def _given(data: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: iter((data,))


def _reader(media: MediaSource, attachment: Attachment) -> Callable[[], Iterator[bytes]]:
    return lambda: media.chunks(attachment.media)


def _write_once(
    settings: Settings,
    target: Path,
    size: int,
    content: Callable[[], Iterator[bytes]],
    private: bool,
    made: _Made,
) -> None:
    """Write `target` unless it already holds the same bytes (left by an import killed before
    the draft's record); a different file there is never overwritten."""
    if os.path.lexists(target):
        if _holds(target, size, content):
            return
        raise UsageError(
            _("{path} exists and holds another file").format(
                path=overlay.display(settings, target)
            ),
            hint=_("move it away, then run the import again"),
        )
    made.folder(target.parent, _folder_base(settings, target), private=private)
    files.write_chunks_atomic(target, content(), private=private)
    made.files.append(target)


def _holds(target: Path, size: int, content: Callable[[], Iterator[bytes]]) -> bool:
    """Whether the regular file `target` holds exactly the bytes `content` gives."""
    try:
        if target.is_symlink() or not target.is_file() or target.stat().st_size != size:
            return False
        pieces = content()
        try:
            with target.open("rb") as file:
                same = all(file.read(len(piece)) == piece for piece in pieces)
                return same and not file.read(1)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:  # a generator left half read closes its ZIP member
                close()
    except OSError:
        return False


def _folder_base(settings: Settings, target: Path) -> Path:
    """The folder from which `make_folder` may create folders down to `target`'s: the
    documentation or evidence folder of the repository, or the private overlay."""
    for base in (settings.root / name for name in ATTACHMENT_FOLDERS):
        if target.is_relative_to(base):
            return base
    folder = settings.private_overlay
    if folder is not None and target.is_relative_to(folder):
        return folder
    return target.parent


def _stopped(
    settings: Settings,
    exc: BaseException,
    current: _Made | None,
    done: Sequence[Draft],
    left: Sequence[Path],
) -> Stopped | None:
    """The error that says why writing stopped and what is where; None for a bug in ichinv
    (raised as it is, once the draft's files are removed)."""
    again = _("run the import again: it skips the submissions written and imports the rest")
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 130
        problem, hint = _("interrupted"), again
    elif isinstance(exc, WriteRefused) and current is not None and current.record:
        code, hint = (
            exc.exit_code,
            _("run the import again: it gives the next free id and skips what is in"),
        )
        problem = _("{path} was created by another command while importing").format(
            path=current.draft.path
        )
    elif isinstance(exc, IchinvError):
        code, problem = exc.exit_code, exc.message
        hint = f"{exc.hint}; {again}" if exc.hint else again
    elif isinstance(exc, OSError) and (plain := os_errors.escaped(exc)) is not None:
        code, problem = plain.exit_code, plain.message
        hint = f"{plain.hint}; {again}" if plain.hint else again
    else:
        return None
    parts = [problem]
    if current is not None and left:
        parts.append(
            _(
                "these files of the draft {id} were written and could not be removed: {paths}"
            ).format(
                id=current.draft.id,
                paths=", ".join(overlay.display(settings, p) for p in left),
            )
        )
        hint = _(
            "delete them (`ichinv validate` reports them, path.orphan), then run the import "
            "again: it skips the submissions written"
        )
    elif current is not None:
        parts.append(_("nothing of the draft {id} was written").format(id=current.draft.id))
    if current is None:  # between two drafts, or as a record was written
        parts.append(
            ngettext(
                "{count} draft was written and stays (listed below)",
                "{count} drafts were written and stay (listed below)",
                len(done),
            ).format(count=len(done))
            if done
            else _("no draft was written")
        )
    else:
        parts.append(
            ngettext(
                "{count} draft was written before and stays (listed below)",
                "{count} drafts were written before and stay (listed below)",
                len(done),
            ).format(count=len(done))
            if done
            else _("no draft was written before")
        )
    details = [f"{draft.path} ({draft.id})" for draft in done]
    return Stopped("; ".join(parts), hint, details=details, exit_code=code)
