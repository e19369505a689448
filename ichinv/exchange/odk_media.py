"""The attachments of an export of submissions: which file is whose, and its bytes, in pieces.

Attachments come from the export's own media only: the members of its ZIP inside a `media/`
folder, or the files inside the `media/` folder beside a CSV or JSON export. Nothing else that
sits beside the export is ever taken, whatever an answer names: a submitter who answered a file
question with `.git-credentials`, `committee.csv` or the export's own name had that file copied
into the inventory.

A file of the media is one submission's when it lies in that submission's own folder, a
folder named by its instance id, as KoboToolbox lays out its media download
(`<user>/attachments/<form>/<uuid>/<name>`; an edited submission's files may lie in the
folder of an earlier version, which its `_attachments` name), and no other submission of the
export names that folder; a file directly in the media (ODK Central:
`media/<name>`, or a folder named by no id) is a submission's only when no other submission of
the export answers a file of that name (in any case), to any question (one of another version
of the form too), no other file of the media has it, and the export shows every submission
whole (not a CSV given without the tables of its repeats, ODK Central's JSON without
$expand=*, or with a table whose rows name no submission). Phones and web
forms give the same names (`IMG_0002.jpg`): a name alone never gives one submission's file
(a restricted rite's photo, a signed consent form) to another's draft. Such a file is
`Withheld`, and said to be so (whose it is cannot be told), not missing. Anything else is a
file missing from the export, said as such.

A file is read in pieces of CHUNK bytes, never more than the size it was found with (a ZIP
member expands to its declared size at most; a file that grew since is refused).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import pointers
from ichinv.core.contacts import may_be_contact
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.io import regular

MAX_ATTACHMENT = 512 * 1024 * 1024
"""Largest attachment copied into the inventory (a long video; anything larger is named)."""

CHUNK = 1 << 20
"""Bytes of an attachment read at a time."""

PLAIN_NAME = re.compile(r"[\w][\w .()-]{0,199}")
"""A file name as devices and servers write them (`1712345678901.jpg`, `Фото 1.jpg`)."""

MEDIA_FOLDER = "media"
"""The folder of an export's attachments: in its ZIP, or beside its CSV or JSON file."""

_READ_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
"""How a ZIP member may be compressed for Python's zipfile to read it."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True, slots=True)
class Media:
    """An attachment found in the export."""

    name: str
    """Its file name (without folders)."""
    shown: str
    """How reports name it: its path in the ZIP or on disk when every part of it is a plain
    file name, else the ZIP's and its place in it (`export.zip:#3`), or the media folder."""
    size: int
    """Bytes it holds (a ZIP member: once expanded)."""
    packed: int | None = None
    """Bytes it takes in the ZIP (compressed); None for a file on disk."""
    member: zipfile.ZipInfo | None = field(default=None, compare=False, repr=False)
    path: Path | None = None
    identity: tuple[int, int] = (0, 0)
    """The device and inode of a file on disk, as found: what is read must be that file."""

    @property
    def sealed(self) -> bool:
        """Whether it is a ZIP member that cannot be read: encrypted, or compressed in a way
        Python's zipfile does not read."""
        member = self.member
        return member is not None and (
            bool(member.flag_bits & 0x1) or member.compress_type not in _READ_METHODS
        )

    @property
    def expansion(self) -> float:
        """How many times its bytes exceed those it takes in the ZIP (1 for a file)."""
        if self.packed is None:
            return 1.0
        return self.size / max(self.packed, 1)


@dataclass(frozen=True, slots=True)
class _Entry:
    owner: str
    """The instance id (bare UUID, lower case) of the folder it lies in, "" when none."""
    media: Media


@dataclass(frozen=True, slots=True)
class Claims:
    """Who answers what in an export: so that a file is given to one submission only."""

    names: Mapping[str, frozenset[str]]
    """A file's name → the submissions (who each is, as `claims` was told) answering it."""
    folders: Mapping[str, frozenset[str]]
    """An instance id → the submissions it is an id of."""
    unowned: frozenset[str] = frozenset()
    """Names (as `claims` keeps them) answered in a part of the export no submission can be
    told to own (a table of ODK Central's CSV ZIP without KEY and PARENT_KEY)."""
    partial: bool = False
    """Whether the export lacks answers of its submissions (a CSV of a form with repeats given
    without its other tables; ODK Central's JSON without $expand=*): any name may be one."""


@dataclass(frozen=True, slots=True)
class Withheld:
    """An attachment in the media that is given to no submission: whose it is cannot be told."""

    others: frozenset[str]
    """The other submissions (who each is, as `claims` was told) that answer its name too;
    empty when only this one does, but more than one file of the media has the name, or
    (`unknown`) the export does not tell who else answers it."""
    unknown: bool = False
    """Whether an answer of a submission the export does not show whole may name it
    (`Claims.unowned`, `Claims.partial`)."""


class MediaSource:
    """The attachments of an export (see the module)."""

    def __init__(
        self,
        zip_path: Path | None = None,
        members: Iterable[tuple[zipfile.ZipInfo, str]] = (),
        folder: Path | None = None,
    ) -> None:
        """`members`: the ZIP's members inside a `media/` folder, each with how it is shown;
        `folder`: the media folder beside an export, its files found when first asked for."""
        self._zip_path = zip_path
        self._folder = folder
        self._index: dict[str, list[_Entry]] | None = None
        if zip_path is not None:
            self._index = {}
            for info, shown in members:
                parts = _below_media(member_parts(info))
                media = Media(parts[-1], shown, info.file_size, info.compress_size, info)
                self._index.setdefault(parts[-1], []).append(_Entry(_owner(parts), media))

    @property
    def linked(self) -> Path | None:
        """The media folder beside the export when it is a symbolic link, which is not read
        (see `_files`); None otherwise."""
        folder = self._folder
        return folder if folder is not None and folder.is_symlink() else None

    def find(
        self, name: str, owner: str, ids: Iterable[str], claims: Claims
    ) -> Media | Withheld | None:
        """The attachment `name` (its folders ignored) answered by the submission `owner`,
        whose instance ids (`folder_id`) are `ids`; Withheld when the media has a file of that
        name that is not known to be this submission's (see the module), None when it has
        none this submission may have."""
        base = base_name(name)
        if not base:
            return None
        entries = self._entries().get(base, [])
        ids = frozenset(ids)
        mine = {i for i in ids if claims.folders.get(i, frozenset()) == {owner}}
        own = [e for e in entries if e.owner and e.owner in mine]
        if own:
            return own[0].media if len(own) == 1 else Withheld(frozenset())
        contested = {e.owner for e in entries if e.owner in ids}  # another names its folder too
        if contested:
            claimants = (claims.folders.get(i, frozenset()) for i in contested)
            return Withheld(frozenset().union(*claimants) - {owner})
        shared = [e for e in entries if not e.owner]
        if not shared:
            return None
        others = claims.names.get(folded(base), frozenset()) - {owner}
        unknown = claims.partial or folded(base) in claims.unowned
        if others or unknown or len(shared) > 1:
            return Withheld(others, unknown)
        return shared[0].media

    def chunks(self, media: Media) -> Iterator[bytes]:
        """The bytes of `media`, CHUNK at a time: at most its size (a UsageError, naming it,
        when it cannot be read, or holds more or fewer bytes than when it was found)."""
        shown = media.shown
        total = 0
        try:
            with self._opened(media) as stream:
                while True:
                    piece = stream.read(min(CHUNK, media.size + 1 - total))
                    if not piece:
                        break
                    total += len(piece)
                    if total > media.size:
                        raise _changed(shown)
                    yield piece
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise _unreadable(media, exc) from None
        except RuntimeError:  # zipfile's word for an encrypted member
            raise sealed(media) from None
        if total != media.size:
            raise _changed(shown)

    @contextlib.contextmanager
    def _opened(self, media: Media) -> Iterator[Any]:
        if media.member is not None and self._zip_path is not None:
            with zipfile.ZipFile(self._zip_path) as archive, archive.open(media.member) as member:
                yield member
            return
        assert media.path is not None and self._folder is not None
        if not _plain_file_in(self._folder, media.path):
            raise _changed(media.shown)
        with regular.opened(media.path, follow=False) as (descriptor, found):
            if (found.st_dev, found.st_ino) != media.identity or not regular.is_regular(found):
                raise _changed(media.shown)
            with os.fdopen(os.dup(descriptor), "rb") as stream:
                yield stream

    def _entries(self) -> dict[str, list[_Entry]]:
        if self._index is None:
            self._index = {}
            if self._folder is not None:
                for parts, path, found in _files(self._folder):
                    shown = (
                        str(path) if all(plain_name(p) for p in parts) else _in_folder(self._folder)
                    )
                    media = Media(
                        parts[-1], shown, found.st_size, path=path, identity=_identity(found)
                    )
                    self._index.setdefault(parts[-1], []).append(_Entry(_owner(parts), media))
        return self._index


def member_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """The parts of a ZIP member's path (a ZIP made on Windows may separate them with `\\`)."""
    return PurePosixPath(info.filename.replace("\\", "/")).parts


def media_member(parts: tuple[str, ...]) -> bool:
    """Whether the member of a ZIP at `parts` (its path) is inside a `media/` folder."""
    return MEDIA_FOLDER in parts[:-1]


def base_name(name: str) -> str:
    """The file name an answer gives (its folders left out), "" for none."""
    base = PurePosixPath(name.strip().replace("\\", "/")).name
    return "" if base in ("", ".", "..") else base


def folder_id(name: str) -> str:
    """The instance id a folder's name is (`uuid:…`, `uuid…` as a server writes it in a file
    name, or the bare UUID), as a bare UUID in lower case; "" when it is none."""
    text = name.strip().lower()
    for prefix in ("uuid:", "uuid"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text if _UUID.fullmatch(text) else ""


def plain_name(name: str) -> bool:
    """Whether a file's name may be printed: letters, digits, spaces, dots, dashes, and
    nothing like a contact (a device's name of a photo, `1712345678901.jpg`, is not printed
    either: the line and the question of the export say which file it is)."""
    return PLAIN_NAME.fullmatch(name) is not None and not may_be_contact(name)


def claims(
    submissions: Iterable[tuple[str, Iterable[str], Iterable[str]]],
    unowned: Iterable[str] = (),
    *,
    partial: bool = False,
) -> Claims:
    """Who answers what: for each submission (who it is, its instance ids as `folder_id`
    gives them, every name of a file its answers may give: `named`), those names, and its
    ids; `unowned`, the names answered where no submission can be told to own the answer;
    `partial`, whether the export lacks answers of its submissions (see Claims). Names are
    kept `folded`."""
    names: dict[str, set[str]] = {}
    folders: dict[str, set[str]] = {}
    for owner, ids, given in submissions:
        for name in given:
            names.setdefault(folded(name), set()).add(owner)
        for found in ids:
            folders.setdefault(found, set()).add(owner)
    return Claims(
        {k: frozenset(v) for k, v in names.items()},
        {k: frozenset(v) for k, v in folders.items()},
        frozenset(folded(name) for name in unowned),
        partial,
    )


def folded(name: str) -> str:
    """A file's name as claims compare it: in one Unicode form and one case. Unpacked on a disk
    that tells neither apart (macOS, Windows), `IMG_0002.jpg` and `img_0002.JPG` are one file,
    holding either's bytes; an answer naming the one may name the other (an outside review)."""
    return unicodedata.normalize("NFC", name).casefold()


def named(answers: Any) -> Iterator[str]:
    """The name of a file each answer in `answers` (a submission as the export gives it, or a
    row of it) may be, read as a file question's answer is (`str` of it: a number's digits;
    its folders left out), whatever it answers: a question this form
    does not have, or leaves out, may be the file question of another version of the form
    (renamed since), and a file another submission may have answered is not given to this one
    (an outside review found a renamed question's answer left out, and its file given to the
    other submission that named it)."""
    for value in pointers.leaves(answers):
        name = base_name(str(value))
        if name:
            yield name


def _below_media(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of a path below its first `media` folder."""
    return parts[parts.index(MEDIA_FOLDER) + 1 :] if MEDIA_FOLDER in parts[:-1] else parts


def _owner(parts: tuple[str, ...]) -> str:
    """The instance id of the innermost folder of `parts` (a file's path in the media) named
    by one, "" when none is."""
    for part in reversed(parts[:-1]):
        found = folder_id(part)
        if found:
            return found
    return ""


def _files(folder: Path) -> Iterator[tuple[tuple[str, ...], Path, os.stat_result]]:
    """The regular files inside `folder` (its path below it, the path, what the system says
    of it), reached without a symbolic link: an attachment is never a link to a file elsewhere
    on the machine (a hostile media archive unpacked beside the export could point at any file
    the editor can read). Nothing when `folder` is itself a link, or no folder."""
    if folder.is_symlink() or not folder.is_dir():
        return
    pending: list[tuple[tuple[str, ...], Path]] = [((), folder)]
    while pending:
        parts, here = pending.pop()
        try:
            with os.scandir(here) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        for entry in listed:
            try:
                found = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            path = here / entry.name
            if stat.S_ISDIR(found.st_mode):
                pending.append(((*parts, entry.name), path))
            elif stat.S_ISREG(found.st_mode):
                yield (*parts, entry.name), path, found


def _plain_file_in(folder: Path, path: Path) -> bool:
    """True when `path` is still a regular file under `folder` reached without a link."""
    try:
        relative = path.relative_to(folder)
    except ValueError:
        return False
    step = folder
    if step.is_symlink():
        return False
    for part in relative.parts:
        step = step / part
        if step.is_symlink():
            return False
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _identity(found: os.stat_result) -> tuple[int, int]:
    return found.st_dev, found.st_ino


def _in_folder(folder: Path) -> str:
    """A file of the media whose name is not shown: named by its media folder."""
    return _("a file of {folder} (its name not shown)").format(folder=folder)


def sealed(media: Media) -> UsageError:
    """The error for a ZIP member that cannot be read (`Media.sealed`)."""
    return UsageError(
        _("{name} cannot be read from the ZIP file ({problem})").format(
            name=media.shown,
            problem=_("it is compressed or encrypted in a way that cannot be read"),
        ),
        hint=_("download the export again"),
    )


def _unreadable(media: Media, exc: BaseException) -> UsageError:
    """The error for an attachment that cannot be read. The exception's own words name the
    file: a hostile name is never printed."""
    if isinstance(exc, NotImplementedError):
        return sealed(media)
    if media.member is not None or not isinstance(exc, OSError):
        return UsageError(
            _("{name} cannot be read from the ZIP file (it is damaged)").format(name=media.shown),
            hint=_("download the export again"),
        )
    return UsageError(
        _("{path} cannot be read as an attachment: {reason}").format(
            path=media.shown, reason=exc.strerror
        ),
        hint=_("attachments are plain files in the media folder beside the export"),
    )


def _changed(shown: str) -> UsageError:
    return UsageError(
        _("{name} changed while it was being imported").format(name=shown),
        hint=_("leave the export as it is while it is imported, then run the import again"),
    )
