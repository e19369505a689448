"""The one way ichinv reads the files that configure an inventory: confined to their folder,
bounded in size, never a pipe or a device.

Those files are the settings (`pyproject.toml`, `ichinv.toml`, `.gitignore`), the schemas and
their translation tables (`schema/`), the templates, their translation tables and the site's
assets (`templates/`, or `--templates DIR`), and the field documentation (`docs/`). They come
with pull requests, which may commit symbolic links (git stores them), and reviewers and CI run
ichinv on the checkout. So a file is read only when

- its real path (links followed) lies inside its folder: a link between two files of the
  folder is followed (`kk.yaml -> ru.yaml`), a link leading out of it is refused;
- it is a regular file: a folder, pipe, device or socket is refused, and never opened in a way
  that could wait (a file is opened with O_NONBLOCK and checked again once open);
- it holds at most `limit` bytes (TEXT_LIMIT for what ichinv parses, ASSET_LIMIT for the site's
  assets, copied as they are).

A refusal is `Refused` (exit 2), naming the file and what to do. A missing file is
FileNotFoundError, which each caller words (a missing schema is not a missing template).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ichinv.core.contacts import without_contacts
from ichinv.core.errors import ConfigError
from ichinv.core.i18n import _
from ichinv.io import os_errors, regular

TEXT_LIMIT = 1024 * 1024
"""Largest settings file, schema, translation table, template or page of documentation read
(1 MiB; the largest of ichinv's own, a schema translation table, is 66 KB)."""

ASSET_LIMIT = 10 * 1024 * 1024
"""Largest file of templates/site/assets/ copied into the site (10 MiB: a picture or a font
fits; ichinv's own style sheet and script are 6 KB each)."""


class Refused(ConfigError):
    """A file of the inventory's configuration that ichinv does not read: a link leading out
    of its folder, no regular file, or too large (exit 2)."""


def read(path: Path, folder: Path, *, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of the file at `path`, which belongs to `folder` (see the module): Refused
    when it leads out of the folder, is no regular file or holds more than `limit` bytes;
    FileNotFoundError when it does not exist."""
    real = _inside(path, folder)
    try:
        _check(path, os.stat(real), limit)
        with regular.opened(real, follow=False) as (descriptor, found):
            _check(path, found, limit)  # what was opened, should it have changed since
            data = regular.up_to(descriptor, found.st_size, limit)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _failed(path, exc) from None
    if len(data) > limit:  # it grew while read
        raise _too_large(path, len(data), limit)
    return data


def text(path: Path, folder: Path, *, limit: int = TEXT_LIMIT, errors: str = "strict") -> str:
    """The text of the file at `path` (UTF-8), read as `read` reads it, any line ending read
    as "\\n" (as Python's `read_text` and Jinja's loader read it); UnicodeDecodeError when it
    is not UTF-8, unless `errors` says what to make of such bytes (as for `bytes.decode`)."""
    decoded = read(path, folder, limit=limit).decode("utf-8", errors)
    return decoded.replace("\r\n", "\n").replace("\r", "\n")


def inventory_folder(path: Path, root: Path) -> Path:
    """`path`, a folder of the inventory at `root` (templates/, schema/): Refused when it is a
    symbolic link leading out of the inventory (its files could then be anyone's)."""
    _inside(path, root)
    return path


def _inside(path: Path, folder: Path) -> str:
    """The real path of `path` (links followed); Refused when it is not inside `folder`'s."""
    real = os.path.realpath(path)
    if not Path(real).is_relative_to(os.path.realpath(folder)):
        raise Refused(
            _("{path} is a symbolic link to {target}, outside {folder}; it was not read").format(
                path=path, target=without_contacts(real), folder=folder
            ),
            hint=_(
                "replace the link with the file itself (links may lead only inside {folder})"
            ).format(folder=folder),
        )
    return real


def _check(path: Path, found: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(found.st_mode):
        raise Refused(
            _("{path} is a folder, not a file").format(path=path),
            hint=_("put the file there, or move the folder out of the way"),
        )
    if not stat.S_ISREG(found.st_mode):
        raise Refused(
            _("{path} is not a regular file (a device, pipe or socket); it was not read").format(
                path=path
            ),
            hint=_("put an ordinary file there (ls -l {path} shows what it is)").format(path=path),
        )
    if found.st_size > limit:
        raise _too_large(path, found.st_size, limit)


def _too_large(path: Path, size: int, limit: int) -> Refused:
    return Refused(
        _("{path} is {size:,} bytes, more than the {limit:,} bytes such a file may hold").format(
            path=path, size=size, limit=limit
        ),
        hint=_(
            "settings, schemas, translation tables and templates are limited to {text} MiB, "
            "the site's assets to {assets} MiB (README: hostile files); check that this is "
            "the file you meant"
        ).format(text=TEXT_LIMIT >> 20, assets=ASSET_LIMIT >> 20),
    )


def _failed(path: Path, exc: OSError) -> Refused:
    """`exc`, raised while reading `path`, in plain words (the exception itself when only a bug
    in ichinv causes it)."""
    failure = os_errors.read_failed(path, exc)
    if failure is None:
        raise exc
    return Refused(failure.message, failure.hint)
