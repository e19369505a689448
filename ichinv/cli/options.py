"""Options shared by several commands, declared once."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ichinv.core.i18n import _
from ichinv.core.vocabulary import Lang, is_element_id, typed_id

if TYPE_CHECKING:
    from ichinv.io.settings import Settings

RepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help=_(
            "Root folder of the inventory (default: found by walking up from the current folder)."
        ),
        show_default=False,
    ),
]


HistoryOpt = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete-history",
        help=_(
            "Go on when the git history cannot be read completely (git missing or failing, a "
            "shallow clone), accepting that an id used before may be given again."
        ),
    ),
]


@contextlib.contextmanager
def writing(settings: Settings, *, really: bool = True) -> Iterator[None]:
    """Hold the inventory's write lock for the block (when `really`): a command that changes
    records takes it before it reads them, so that two never undo each other's changes."""
    if not really:
        yield
        return
    from ichinv.io import write_lock

    with write_lock.held(settings.root):
        yield


def checked_text(value: str | None, name: str, *, multiline: bool = False) -> str | None:
    """`value`, a text typed for a record (an option's value, an answer to a prompt); a usage
    error naming `name` when it is not UTF-8 text (bytes of another encoding: Windows-1251 from
    an old terminal) or holds a control, zero-width or direction-changing character, which
    `validate` refuses in records: refused before anything is written."""
    from ichinv.core.alphabets import invisible_character
    from ichinv.core.errors import UsageError

    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            _("the value of {name} is not UTF-8 text").format(name=name),
            hint=_("set the terminal to UTF-8 (for example LANG=kk_KZ.UTF-8) and type it again"),
        ) from None
    found = invisible_character(value, multiline=multiline)
    if found is not None:
        raise UsageError(
            _("the value of {name} holds an invisible or control character ({code})").format(
                name=name, code=f"U+{ord(found):04X}"
            ),
            hint=_("type the text again without it"),
        )
    return value


def text_option(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """Parameter callback of options whose text goes into a record (`typed_text`). A value
    that reads as an option (`retire X --reason --date 2026-01-01`: the reason was left out,
    and click took `--date` for it) is refused rather than written into the record."""
    return _record_text(param, value)


def published_text(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """Parameter callback of options whose text is published with the record (`--decision`,
    the names of `new`): `text_option`, and `without_contacts`."""
    return without_contacts(_record_text(param, value), _option_name(param))


def published_reference(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> str | None:
    """`published_text` for an option that names something when it is given (`--decision`):
    empty text, or blanks alone, refused as an empty `--reason` is (exit 2), not taken for no
    reference: leave the option out for none."""
    text = published_text(ctx, param, value)
    if text == "":
        from ichinv.core.errors import UsageError

        name = _option_name(param)
        raise UsageError(
            _("{option} is empty").format(option=name),
            hint=_(
                'give {option} the reference of the decision, e.g. {option} "Order No. 12 of 1 '
                'March 2026", or leave the option out'
            ).format(option=name),
        )
    return text


def published_paragraphs(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> str | None:
    """`published_text` for a text that may run over lines, as the same field may in a record
    (`--reason "$(cat reason.txt)"`): line breaks and tabs are taken inside it, as `validate`
    takes them in a text over lines (see `typed_text`)."""
    return without_contacts(_record_text(param, value, paragraphs=True), _option_name(param))


def _option_name(param: typer.CallbackParam) -> str:
    return param.opts[0] if param.opts else str(param.name)


def _record_text(
    param: typer.CallbackParam, value: str | None, *, paragraphs: bool = False
) -> str | None:
    name = _option_name(param)
    _not_an_option(value, name, _("give {name} its text first, in quotes if it has spaces"))
    return typed_text(value, name, paragraphs=paragraphs)


def typed_text(value: str | None, name: str, *, paragraphs: bool = False) -> str | None:
    """`value`, a text typed for a record (the value of option `name`, or an answer to the
    prompt for it), as the record will hold it: CRLF read as LF, and the spaces, tabs and line
    breaks around it left out (`--decision ' Order 1 '` is `Order 1`), then judged as
    `checked_text` judges it (a line break or tab inside is refused unless `paragraphs`, a
    text that may run over lines; a line or paragraph separator, U+2028 or U+2029, even
    then: it would be written as an escape, not as a line), then the other blanks around it
    (a no-break space) left out too. The one place where a text typed for a record is trimmed: not by `str.strip`
    first, which takes what is refused wherever it stands (U+2028, U+0085, U+001C…) too."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").strip(" \t\r\n")
    if paragraphs:
        checked_text(text.replace("\n", " ").replace("\t", " "), name)  # U+2028 and the rest
        checked_text(text, name, multiline="\n" in text)
    else:
        checked_text(text, name)
    return text.strip()


def without_contacts(value: str | None, name: str) -> str | None:
    """`value`, a text that `show`, the packets and the site publish; a usage error naming
    `name` (never quoting the text) when it holds an e-mail address, a phone number or a
    messenger's link: what validate warns of in a record's texts (`text.contact`,
    ichinv.core.contacts.sure_contact), not what only may be one (a decision's number):
    contacts belong in the record's `contacts`."""
    from ichinv.core.contacts import sure_contact

    if value is not None and sure_contact(value):
        from ichinv.core.errors import UsageError

        raise UsageError(
            _(
                "the value of {name} holds an e-mail address, a phone number or a messenger's "
                "link, and it would be published with the record"
            ).format(name=name),
            hint=_(
                "keep contacts in the record's contacts field, which is never published, and "
                "give {name} without them"
            ).format(name=name),
        )
    return value


def _not_an_option(value: object, name: str, hint: str) -> None:
    """A usage error when the value of option `name` is an option as typed (`--reason --date`:
    the value was left out, and click took the next option for it); `hint` names `{name}`."""
    if isinstance(value, str) and _OPTION_LIKE.fullmatch(value):
        from ichinv.core.errors import UsageError

        raise UsageError(
            _("{name} needs a value, not the option {option}").format(name=name, option=value),
            hint=hint.format(name=name),
        )


_OPTION_LIKE = re.compile(r"--?[A-Za-z][A-Za-z0-9-]*(=.*)?", re.DOTALL)
"""An option as typed (`--date`, `--date=2026-01-01`, `-o`): never the text of a record, nor
where to write."""


def named_output(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Parameter callback of `--output`: empty text names nothing (read as a path, it is the
    current folder, and a command wrote its files there)."""
    option = param.opts[0] if param.opts else str(param.name)
    if isinstance(value, str) and not value.strip():
        from ichinv.core.errors import UsageError

        raise UsageError(
            _("{option} needs the name of a file or folder, not empty text").format(option=option),
            hint=_("leave the option out for the default, or name where to write"),
        )
    _not_an_option(value, option, _("name where to write, e.g. {name} out/"))  # `-o --base-url`
    return value


def folder_output(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Parameter callback of `--output` of a command that writes a folder of files (`site`,
    `schema-docs`): `named_output`, and `-`, which every other command takes for standard
    output, refused rather than made a folder named `-`."""
    value = named_output(ctx, param, value)
    if value == "-":
        from ichinv.core.errors import UsageError

        option = param.opts[0] if param.opts else str(param.name)
        raise UsageError(
            _("{option} - means standard output, but {command} writes a folder of files").format(
                option=option, command=f"ichinv {ctx.info_name}"
            ),
            hint=_(
                "give a folder (it is created if its parent exists), or ./- for a folder named -"
            ),
        )
    return value


def given_path(text: str) -> Path:
    """Parser of path arguments: empty text names no file (read as a path, it is the current
    folder: `validate ""` checked the whole inventory, `fmt ""` would rewrite it, `ci summary
    ""` said `cannot read .: it is a folder`)."""
    if not text:
        from ichinv.core.errors import UsageError

        raise UsageError(
            _("an empty path names no file or folder"),
            hint=_("give the name of a file or folder"),
        )
    return Path(text)


def as_ids(value: Any) -> Any:
    """Parameter callback: ids as the inventory spells them (`kz‑23 ` → `KZ-23`); a list
    stays a list. Every id option and argument takes ids in any case, with any dash."""
    if isinstance(value, str):
        return typed_id(value)
    if isinstance(value, list | tuple):
        return [typed_id(v) if isinstance(v, str) else v for v in value]
    return value


def id_or_path(value: str) -> str:
    """Parameter callback: an id in any case (as `as_ids`), or anything else (a path) as it
    was given, so that a message quotes what was typed (`elements`, not `ELEMENTS`)."""
    looks_like_path = "/" in value or "\\" in value or "." in value  # no id holds a dot
    return value if looks_like_path or not is_element_id(typed_id(value)) else typed_id(value)


def speak(lang: Lang | None) -> Lang:
    """The language of a command that has `--lang`: the one given, else the language of
    messages (ICHINV_LANG, else the locale, else English). Its messages follow it too."""
    from ichinv.core import i18n

    if lang is not None:
        i18n.use(lang.value)
    return Lang(i18n.current())


def load_settings(repo: Path | None) -> Settings:
    """Settings of the inventory at `repo` (or found from the current folder)."""
    from ichinv.io import settings

    return settings.load(repo)
