"""Identity: the file name is the id, and the id's year is the year of entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.validate.rules.context import RecordContext, date, get


def check_file_name(ctx: RecordContext) -> Iterator[Finding]:
    record_id = ctx.record.id
    stem = PurePosixPath(ctx.path).name.removesuffix(".yaml")
    if record_id is not None and record_id != stem:
        yield rule("id.file-name").finding(
            ctx.path,
            _("the id is {id!r} but the file is named {name!r}").format(
                id=record_id, name=PurePosixPath(ctx.path).name
            ),
            pointer="/id",
            hint=_hint(ctx, record_id, stem),
            unquoted=_("the id written in the record is not the file's name, {name!r}").format(
                name=PurePosixPath(ctx.path).name
            ),
        )


def _hint(ctx: RecordContext, record_id: str, stem: str) -> str:
    return file_name_hint(record_id, stem, element=ctx.record.kind is RecordKind.ELEMENT)


def file_name_hint(record_id: str, stem: str, *, element: bool = True) -> str:
    """What to do about a record file named `stem` whose id is `record_id` (id.file-name; and
    `import` refusing `record_id` to a new element, ichinv.exchange.import_refusals). An
    element's file named by an id holds another: the id was mistyped, the file is a copy of
    another record's made for a new element, or a renumber was cut short before it renamed
    the file (ichinv.edit.renumber_resume). This rule sees the one record and cannot tell
    which: renaming the file would give the record the mistyped id, or one no renumber
    checked; `renumber` completes the change, or refuses and says why."""
    if element and is_element_id(stem) and is_element_id(record_id):
        return _(
            "if the id was mistyped, or the file is a copy made for a new element, write {old} "
            "in the file as its id; if a renumber of {old} was cut short (it leaves its file "
            "so), `ichinv renumber {old}` completes it, or says why it cannot"
        ).format(old=stem)
    return _("rename the file to {id}.yaml (git mv keeps its history), or correct the id").format(
        id=record_id
    )


def check_id_year(ctx: RecordContext) -> Iterator[Finding]:
    record_id = ctx.record.id or ""
    entered = date(get(ctx.data, "provenance", "entered"))
    if (
        entered
        and (record_id[3:7].isascii() and record_id[3:7].isdigit())
        and int(record_id[3:7]) != entered.year
    ):
        yield rule("id.year").finding(
            ctx.path,
            _(
                "the id {id} says the element entered the inventory in {year}, but "
                "provenance.entered is {entered}"
            ).format(id=record_id, year=record_id[3:7], entered=entered.isoformat()),
            pointer="/provenance/entered",
            hint=_("ids never change; correct provenance.entered if it is wrong"),
        )
