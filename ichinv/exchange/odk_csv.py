"""ODK Central's CSV exports, read into submissions.

The "CSV with media" ZIP: `<form id>.csv` holds one row per submission, its columns named by the
groups of a question joined with `-` (`consent-status`), a geopoint split into
`-Latitude`/`-Longitude`/`-Altitude`/`-Accuracy`, the submission's instance id in `KEY`; each
repeat has a file of its own whose columns are named from the repeat down, with `PARENT_KEY`
and `KEY` (`uuid:…/viability/threats[2]`) placing each row; attachments are in `media/`
(central-backend, lib/data/briefcase.js; KoboToolbox's media, one folder per submission, may
be put there too: ichinv.exchange.odk_media). A main CSV alone (no repeats) is read too.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.exchange import odk_json, odk_keys, odk_media, odk_server
from ichinv.exchange.form_spec import FormSpec, Kind, Question, Section
from ichinv.exchange.odk_copies import refuse_differing_copies
from ichinv.exchange.odk_media import MediaSource, media_member, member_parts, plain_name
from ichinv.exchange.odk_submissions import (
    CENTRAL,
    GEOPOINT_PARTS,
    MAX_TABLE,
    TABLE,
    AnswerPath,
    Builder,
    Cell,
    Export,
    question_name,
)

CENTRAL_COLUMNS = frozenset(
    {
        "SubmissionDate",
        "KEY",
        "PARENT_KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
        "instanceID",
        "instanceName",
    }
)
"""Columns ODK Central adds to the form's questions (never answers)."""


RESAVE = N_(
    "import the export as the server made it (ODK Central's ZIP, or the JSON export: KoboToolbox's "
    "data.json); or, in the spreadsheet, save it as 'CSV UTF-8 (comma delimited)'"
)
"""The hint on a CSV a spreadsheet saved in its own way (another encoding or separator)."""

REEXPORT = N_("export it again from the server; do not open and save it in a spreadsheet")
"""The hint on a CSV whose rows are not as the server wrote them (translated where shown)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def read_table(raw: bytes, name: str) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # UTF-16 or cp1251, as a spreadsheet may save it
        raise UsageError(
            _("{name} is not UTF-8 text (byte {byte} cannot be read)").format(
                name=name, byte=exc.start + 1
            ),
            hint=_(RESAVE),
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        if len(header) == 1 and re.search(r"[;\t]KEY\b", header[0]):  # ODK's, re-saved
            raise UsageError(
                _(
                    "{name}: the columns are separated by ';' or by tabs, not by commas, as a "
                    "spreadsheet saves a CSV"
                ).format(name=name),
                hint=_(RESAVE),
            )
        rows, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                raise UsageError(  # its cells beyond the header would be dropped unsaid
                    _(
                        "{name}:{line}: the row has {count} cells but the header only {width}"
                    ).format(name=name, line=start, count=len(row), width=len(header)),
                    hint=_(REEXPORT),
                )
            if any(cell.strip() for cell in row):
                if len(row) < len(header):
                    raise UsageError(  # a file cut short: its last answer may be cut too
                        _(
                            "{name}:{line}: the row has {count} cells but the header {width}: "
                            "the file may have been cut short"
                        ).format(name=name, line=start, count=len(row), width=len(header)),
                        hint=_(REEXPORT),
                    )
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(
            _("{where}: the CSV cannot be read: {problem}").format(
                where=f"{name}:{reader.line_num}", problem=exc
            ),
            hint=_(REEXPORT),
        ) from None
    header = [h.strip() for h in header]
    _once_each(header, name)
    return Table(name, header, rows, lines)


def _once_each(header: list[str], name: str) -> None:
    """Refuse a header that names a column twice: one of the two answers would be taken
    without a word. Named only when it is a question's name (a header may be anything)."""
    first: dict[str, int] = {}
    for number, column in enumerate(header, start=1):
        if not column:
            continue
        if column in first:
            shown = question_name(column)
            raise UsageError(
                (
                    _("{where}: column {number} ({column}) has the name of column {first}")
                    if shown
                    else _(
                        "{where}: column {number} has the name of column {first} (the name is "
                        "not quoted)"
                    )
                ).format(where=f"{name}:1", number=number, column=column, first=first[column]),
                hint=_(REEXPORT),
            )
        first[column] = number


def read_zip(path: Path, spec: FormSpec) -> Export:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(
            _("{name} cannot be read as a ZIP file ({problem})").format(
                name=path.name, problem=exc
            ),
            hint=_("download the export again (ODK Central: Download → CSV, with media files)"),
        ) from None
    with archive:
        tables: list[Table] = []
        media: list[tuple[zipfile.ZipInfo, str]] = []
        jsons: list[tuple[zipfile.ZipInfo, str]] = []
        for number, info in enumerate(archive.infolist(), start=1):
            if info.is_dir():
                continue
            member = PurePosixPath(*member_parts(info))
            shown = _shown(path.name, info.filename, number)
            if media_member(member.parts):
                # The export's attachments: only these (a file elsewhere in the ZIP is
                # no attachment, whatever an answer names), each kept with its folders.
                media.append((info, shown))
            elif member.suffix.lower() == ".csv":
                if info.file_size > MAX_TABLE:
                    raise UsageError(
                        _("{name} is larger than {size} MiB").format(
                            name=shown, size=MAX_TABLE // 2**20
                        )
                    )
                tables.append(read_table(_member(archive, info, shown), shown))
            elif member.suffix.lower() == ".json":
                jsons.append((info, shown))
        source = MediaSource(path, media)
        if not tables and len(jsons) == 1:
            info, shown = jsons[0]
            if info.file_size > MAX_TABLE:
                raise UsageError(
                    _("{name} is larger than {size} MiB").format(
                        name=shown, size=MAX_TABLE // 2**20
                    )
                )
            found = odk_json.read(_member(archive, info, shown), shown, spec, None)
            return dataclasses.replace(found, media=source)
    if not tables:
        raise UsageError(
            _("{name} holds no CSV file of submissions").format(name=path.name),
            hint=_("download the export again (ODK Central: Download → CSV, with media files)"),
        )
    return from_tables(path.name, tables, spec, source)


def _shown(archive: str, member: str, number: int) -> str:
    """How reports name a member of the ZIP: `export.zip:ichinv_element.csv` when its name is a
    plain file name (in plain folders), else by its place in the ZIP (`export.zip:#3`, the
    third): a name that may be a contact is never printed."""
    parts = member.split("/")
    if all(plain_name(part) for part in parts):
        return f"{archive}:{member}"
    return f"{archive}:#{number}"


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    """A member's bytes (at most its declared size), or a UsageError when the ZIP is damaged.
    The error's own words are not printed: they quote the member's name, which may be hostile."""
    try:
        return archive.read(info)
    except (NotImplementedError, RuntimeError):  # RuntimeError: zipfile's word for encrypted
        problem = _("it is compressed or encrypted in a way that cannot be read")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        problem = _("it is damaged")
    raise UsageError(
        _("{name} cannot be read from the ZIP file ({problem})").format(
            name=shown, problem=problem
        ),
        hint=_("download the export again"),
    )


def from_tables(
    name: str, tables: list[Table], spec: FormSpec, media: MediaSource, *, whole: bool = True
) -> Export:
    """The submissions of ODK Central's tables of one form; `whole`: all of the export's
    tables (not a CSV given alone, whose repeats' answers are in tables not given)."""
    mains = [t for t in tables if "KEY" in t.header and "PARENT_KEY" not in t.header]
    if len(mains) != 1:
        raise UsageError(
            (
                _("{name}: no table of submissions (a CSV with a KEY column and no PARENT_KEY)")
                if not mains
                else _(
                    "{name}: more than one table of submissions (a CSV with a KEY column and no "
                    "PARENT_KEY)"
                )
            ).format(name=name),
            hint=_("import the export of one form, as ODK Central makes it"),
        )
    main = mains[0]
    builders: dict[str, list[Builder]] = {}
    """KEY → the submission's builder, and one for each copy given under that KEY."""
    order: list[Builder] = []
    ignored: set[str] = set()
    columns = _columns(spec.children, ())
    key_at = main.header.index("KEY")
    review_at = main.header.index("ReviewState") if "ReviewState" in main.header else -1
    status_at = main.header.index("Status") if "Status" in main.header else -1
    version_at = main.header.index(VERSION) if VERSION in main.header else -1
    versions: list[str] = []
    for row, line in zip(main.rows, main.lines, strict=True):
        key = row[key_at].strip()
        builder = Builder(key, Cell(main.name, line))
        builder.review = row[review_at].strip().lower() if review_at >= 0 else ""
        builder.unreadable = row[status_at].strip() if status_at >= 0 else ""
        builder.hear(row)
        ignored |= _fill_row(builder, main, row, line, columns, ())
        builders.setdefault(key, []).append(builder)  # a copy is judged once read whole
        order.append(builder)
        versions.append(row[version_at] if version_at >= 0 else "")
    repeats = dict(_repeats(spec.children, ()))
    limit = max(len(t.rows) for t in tables)
    placed: list[tuple[Table, list[str], int, str, AnswerPath, Section]] = []
    notes: set[str] = set()
    unowned: set[str] = set()
    seen: dict[tuple[str, AnswerPath], tuple[str, str, list[str]]] = {}
    for table in tables:
        if table is main:
            continue
        if "PARENT_KEY" not in table.header or "KEY" not in table.header:
            notes.add(TABLE + table.name)
            unowned.update(odk_media.named(table.rows))  # whose, no row says
            continue
        at = table.header.index("KEY")
        for row, line in zip(table.rows, table.lines, strict=True):
            where = f"{table.name}:{line}"
            found = odk_keys.place(row[at].strip(), limit)
            if found is odk_keys.BEYOND:
                raise UsageError(  # the number is not quoted: the KEY may be anything
                    _(
                        "{where}: the KEY numbers the row 0, or beyond the {count} rows of the "
                        "longest file of the export"
                    ).format(where=where, count=limit),
                    hint=_("import the whole export, as ODK Central made it"),
                )
            if found is None or found[0] not in builders:
                raise UsageError(  # the KEY itself is not quoted: it may be anything
                    _("{where}: the KEY names no submission of {name}").format(
                        where=where, name=main.name
                    ),
                    hint=_("import the whole export, as ODK Central made it"),
                )
            key, path = found
            for builder in builders[key]:  # a repeat of the form or not (left out)
                builder.hear(row)
            names = tuple(p for p in path if isinstance(p, str))
            section = repeats.get(names)
            if section is None:  # a repeat the form does not have: its name is not quoted
                notes.add(TABLE + table.name)
                continue
            if not odk_keys.numbered(path, repeats):
                # `…/contacts` (no number) or `…/viability[1]/threats[1]` (a group numbered):
                # not where ODK Central puts a row, and where it should go is not known.
                raise UsageError(
                    _(
                        "{where}: the KEY does not place the row as ODK Central does: a number "
                        "after each repeat (`contacts[1]`), none after a group"
                    ).format(where=where),
                    hint=_("import the whole export, as ODK Central made it"),
                )
            if not odk_keys.parent_agrees(row, table.header, key, path, limit):
                # `PARENT_KEY` names submission B, `KEY` is `<A>/contacts[3]`: the row would
                # be one of A's contacts, by a KEY its own PARENT_KEY denies. Neither quoted.
                raise UsageError(
                    _(
                        "{where}: the PARENT_KEY of this row does not name the submission (or "
                        "repeat) its KEY places it in"
                    ).format(where=where),
                    hint=_("import the whole export, as ODK Central made it"),
                )
            if (key, path) in seen:
                if seen[(key, path)][1:] == (table.name, row):
                    continue  # a submission's copy has its rows too: alike, read once
                # Two rows for one instance were merged: one person's name with another's
                # phone. Refused; both lines named, neither row quoted.
                raise UsageError(
                    _("{where}: the KEY of this row is the KEY of {first}").format(
                        where=where, first=seen[(key, path)][0]
                    ),
                    hint=_(REEXPORT),
                )
            seen[(key, path)] = (where, table.name, row)
            placed.append((table, row, line, key, path, section))
    positions = odk_keys.positions((item[3], item[4]) for item in placed)
    for table, row, line, key, path, section in placed:
        for builder in builders[key]:
            ignored |= _fill_row(
                builder,
                table,
                row,
                line,
                _columns(section.children, ()),
                odk_keys.renumbered(key, path, positions),
            )
    submissions = tuple(builder.done() for builder in order)
    refuse_differing_copies(submissions)
    return Export(
        name,
        CENTRAL,
        submissions,
        media,
        tuple(sorted(ignored - CENTRAL_COLUMNS)),
        tuple(sorted(notes)),
        unowned=frozenset(unowned),
        partial=not whole and bool(repeats),
        versions=odk_server.versions_of(zip(submissions, versions, strict=True)),
    )


VERSION = "meta-instanceID"
"""The column of the instance id of a submission's latest version (its `KEY` is its first's)."""


def _columns(
    children: tuple[Any, ...], prefix: tuple[str, ...]
) -> dict[str, tuple[tuple[str, ...], Question, str]]:
    """Column name → (question path below the table's level, question, geopoint part) for the
    questions of one table: groups joined with `-`, repeats left to their own tables."""
    found: dict[str, tuple[tuple[str, ...], Question, str]] = {}
    for node in children:
        path = (*prefix, node.name)
        if isinstance(node, Section):
            if not node.repeat:
                found.update(_columns(node.children, path))
            continue
        joined = "-".join(path)
        if node.kind is Kind.GEOPOINT:
            for part in GEOPOINT_PARTS:
                found[f"{joined}-{part}"] = (path, node, part)
        found[joined] = (path, node, "")
    return found


def _repeats(
    children: tuple[Any, ...], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Section]]:
    for node in children:
        if isinstance(node, Section):
            path = (*prefix, node.name)
            if node.repeat:
                yield path, node
            yield from _repeats(node.children, path)


def _fill_row(
    builder: Builder,
    table: Table,
    row: list[str],
    line: int,
    columns: Mapping[str, tuple[tuple[str, ...], Question, str]],
    base: AnswerPath,
) -> set[str]:
    ignored: set[str] = set()
    if base:
        builder.place(base, Cell(table.name, line))
    for name, value in zip(table.header, row, strict=False):
        mapped = columns.get(name)
        if mapped is None:
            if name not in CENTRAL_COLUMNS and not name.startswith("meta-"):
                ignored.add(name)
            continue
        path, question, part = mapped
        if question.kind in (Kind.NOTE,) or not value.strip():
            continue
        full = (*base, *path)
        cell = Cell(table.name, line, name)
        if part:
            builder.points.setdefault(full, {})[part] = value.strip()
            builder.cells[full] = Cell(table.name, line, "-".join(path))
        else:
            builder.put(full, value, cell)
    return ignored
