"""Submissions as ODK Central and KoboToolbox export them, read into answers shaped like the form.

What is read:
- ODK Central's CSV ZIP: `<form id>.csv` holds one row per submission, its columns named by the
  groups of a question joined with `-` (`consent-status`), a geopoint split into
  `-Latitude`/`-Longitude`/`-Altitude`/`-Accuracy`, the submission's instance id in `KEY`;
  each repeat has a file of its own whose columns are named from the repeat down, with
  `PARENT_KEY` and `KEY` (`uuid:…/viability/threats[2]`) placing each row; attachments are in
  `media/`. A main CSV alone (no repeats) is read too.
- ODK Central's JSON (the OData feed of Submissions, with `$expand=*` so that repeats are in
  it): `{"value": [...]}`, groups as objects, geopoints as GeoJSON, `__id`, `__system`.
- KoboToolbox's JSON (`data.json` of its API): `{"results": [...]}` or a list, keys as paths
  (`consent/status`), repeats as lists of such objects, `_uuid`, `_attachments`.
Attachments of a JSON export are looked for in `media/` next to the file, then beside it.

Nothing here knows the record: answers keep the form's names (ichinv.exchange.form_spec), each
with the cell it came from, so that every problem can be located in the export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.exchange.form_spec import FormSpec, Kind, Question, Section
from ichinv.io.os_errors import read_failed

AnswerPath = tuple[str | int, ...]
"""Where an answer is in a submission: question names, and indices of repeat instances."""

CENTRAL = "ODK Central"
KOBO = "KoboToolbox"

MAX_TABLE = 64 * 1024 * 1024
"""Largest CSV or JSON read (bytes); exports of thousands of submissions stay far below."""
MAX_ATTACHMENT = 512 * 1024 * 1024
"""Largest attachment copied into the inventory (a long video; anything larger is named)."""

GEOPOINT_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")

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

_KEY_PART = re.compile(r"^(?P<name>[^\[\]/]+)(?:\[(?P<index>[0-9]+)\])?$")


@dataclass(frozen=True, slots=True)
class Cell:
    """Where an answer (or a submission) is in the export."""

    file: str
    """The file, as shown (`export.zip:ichinv_element.csv`, `export.json`)."""
    line: int | None
    column: str = ""
    """The export's name of the answer (`consent-status`, `consent/status`)."""


@dataclass(frozen=True, slots=True)
class Submission:
    """One submission: its answers in the form's shape, and where each came from."""

    key: str
    """The instance id (`uuid:…`) of the submission (its first version, when edited)."""
    answers: Mapping[str, Any]
    """Question name → text (a list of instances for a repeat, a mapping for a group)."""
    cells: Mapping[AnswerPath, Cell]
    start: Cell
    """The submission's row (CSV) or object (JSON)."""
    review: str = ""
    """The server's review state, lower case (`rejected` submissions are not imported)."""
    unreadable: str = ""
    """Why the server could not export the answers (an encrypted submission), if so."""


@dataclass(frozen=True, slots=True)
class Media:
    """An attachment found in the export."""

    name: str
    shown: str
    size: int


class MediaSource:
    """Attachments of an export, by file name."""

    def __init__(
        self,
        zip_path: Path | None = None,
        members: Mapping[str, zipfile.ZipInfo] | None = None,
        folders: tuple[Path, ...] = (),
        shown: str = "",
    ) -> None:
        self._zip_path = zip_path
        self._members = dict(members or {})
        self._folders = folders
        self._shown = shown

    def find(self, name: str, submission: str = "") -> Media | None:
        """The attachment called `name` (its folders ignored); where several files have that
        name, the one in a folder named after the `submission` id (KoboToolbox's media ZIP
        keeps one folder per submission)."""
        base = PurePosixPath(name.replace("\\", "/")).name
        if not base or base in (".", ".."):
            return None
        if base in self._members:
            info = self._members[base]
            return Media(base, f"{self._shown}:{info.filename}", info.file_size)
        for folder in self._folders:
            candidate = folder / base
            if candidate.is_file():
                return Media(base, str(candidate), candidate.stat().st_size)
        for folder in self._folders[:1]:
            found = sorted(p for p in folder.rglob(base) if p.is_file()) if folder.is_dir() else []
            own = [p for p in found if submission and submission in p.parts]
            if own or found:
                chosen = (own or found)[0]
                return Media(base, str(chosen), chosen.stat().st_size)
        return None

    def read(self, media: Media) -> bytes:
        if media.name in self._members and self._zip_path is not None:
            with zipfile.ZipFile(self._zip_path) as archive:
                with archive.open(self._members[media.name]) as member:
                    data = member.read(MAX_ATTACHMENT + 1)
        else:
            data = Path(media.shown).read_bytes()
        if len(data) > MAX_ATTACHMENT:
            raise UsageError(f"{media.shown} is larger than {MAX_ATTACHMENT // 2**20} MiB")
        return data


@dataclass(frozen=True, slots=True)
class Export:
    """The submissions of one export."""

    name: str
    server: str
    submissions: tuple[Submission, ...]
    media: MediaSource
    ignored: tuple[str, ...] = ()
    """Columns or keys that answer no question of the form (another version of the form)."""
    notes: tuple[str, ...] = ()
    """What the export lacks (repeats not expanded), in plain words."""
    columns: Mapping[str, str] = field(default_factory=dict)


def read(path: Path, spec: FormSpec) -> Export:
    """The submissions exported in `path` (ZIP of CSVs, CSV, or JSON)."""
    raw_head = _head(path)
    if path.suffix.lower() == ".zip" or raw_head.startswith(b"PK\x03\x04"):
        return _read_zip(path, spec)
    if path.suffix.lower() == ".json" or raw_head.lstrip()[:1] in (b"{", b"["):
        return _read_json(_bytes(path), path.name, spec, path.parent)
    if path.suffix.lower() == ".csv":
        table = _table(_bytes(path), path.name)
        return _from_tables(path.name, [table], spec, MediaSource(folders=_folders(path)))
    raise UsageError(
        f"{path.name} is not an export of ODK Central or KoboToolbox",
        hint="give the ZIP of CSV files (ODK Central: Download → CSV with media), a CSV, or "
        "the JSON export (ODK Central's OData feed with $expand=*, or KoboToolbox's data.json)",
    )


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist", hint="give the path of the export") from None
    except IsADirectoryError:
        raise UsageError(
            f"{path} is a folder", hint="give the export file itself (.zip, .csv or .json)"
        ) from None
    except OSError as exc:
        plain = read_failed(path, exc)
        if plain is None:
            raise
        raise plain from None


def _bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_TABLE:
        raise UsageError(f"{path.name} is larger than {MAX_TABLE // 2**20} MiB")
    return path.read_bytes()


def _folders(path: Path) -> tuple[Path, ...]:
    return (path.parent / "media", path.parent)


# --- CSV (ODK Central) --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def _table(raw: bytes, name: str) -> _Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        rows, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row + [""] * (len(header) - len(row)))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(
            f"{name}:{reader.line_num}: the CSV cannot be read: {exc}",
            hint="export it again from the server; do not open and save it in a spreadsheet",
        ) from None
    return _Table(name, [h.strip() for h in header], rows, lines)


def _read_zip(path: Path, spec: FormSpec) -> Export:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(
            f"{path.name} cannot be read as a ZIP file ({exc})",
            hint="download the export again (ODK Central: Download → CSV, with media files)",
        ) from None
    with archive:
        tables: list[_Table] = []
        media: dict[str, zipfile.ZipInfo] = {}
        jsons: list[zipfile.ZipInfo] = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = PurePosixPath(info.filename)
            shown = f"{path.name}:{info.filename}"
            if member.suffix.lower() == ".csv" and "media" not in member.parts[:-1]:
                if info.file_size > MAX_TABLE:
                    raise UsageError(f"{shown} is larger than {MAX_TABLE // 2**20} MiB")
                tables.append(_table(archive.read(info), shown))
            elif member.suffix.lower() == ".json" and "media" not in member.parts[:-1]:
                jsons.append(info)
            else:
                media.setdefault(member.name, info)
        source = MediaSource(path, media, shown=path.name)
        if not tables and len(jsons) == 1:
            raw = archive.read(jsons[0])
            found = _read_json(raw, f"{path.name}:{jsons[0].filename}", spec, None)
            return Export(
                found.name, found.server, found.submissions, source, found.ignored, found.notes
            )
    if not tables:
        raise UsageError(
            f"{path.name} holds no CSV file of submissions",
            hint="download the export again (ODK Central: Download → CSV, with media files)",
        )
    return _from_tables(path.name, tables, spec, source)


def _from_tables(name: str, tables: list[_Table], spec: FormSpec, media: MediaSource) -> Export:
    mains = [t for t in tables if "KEY" in t.header and "PARENT_KEY" not in t.header]
    if len(mains) != 1:
        raise UsageError(
            f"{name}: {'no' if not mains else 'more than one'} table of submissions (a CSV with "
            "a KEY column and no PARENT_KEY)",
            hint="import the export of one form, as ODK Central makes it",
        )
    main = mains[0]
    builders: dict[str, _Builder] = {}
    order: list[str] = []
    ignored: set[str] = set()
    columns = _columns(spec.children, ())
    key_at = main.header.index("KEY")
    review_at = main.header.index("ReviewState") if "ReviewState" in main.header else -1
    status_at = main.header.index("Status") if "Status" in main.header else -1
    for row, line in zip(main.rows, main.lines, strict=True):
        key = row[key_at].strip()
        builder = _Builder(key, Cell(main.name, line))
        builder.review = row[review_at].strip().lower() if review_at >= 0 else ""
        builder.unreadable = row[status_at].strip() if status_at >= 0 else ""
        ignored |= builder.fill_row(main, row, line, columns, ())
        if key in builders:
            raise UsageError(f"{main.name}:{line}: the submission {key} has two rows")
        builders[key] = builder
        order.append(key)
    repeats = dict(_repeats(spec.children, ()))
    for table in tables:
        if table is main:
            continue
        if "PARENT_KEY" not in table.header or "KEY" not in table.header:
            ignored.add(f"{table.name} (not a table of a repeat)")
            continue
        at = table.header.index("KEY")
        for row, line in zip(table.rows, table.lines, strict=True):
            placed = _place(row[at].strip())
            if placed is None or placed[0] not in builders:
                raise UsageError(
                    f"{table.name}:{line}: KEY {row[at]!r} names no submission of {main.name}",
                    hint="import the whole export, as ODK Central made it",
                )
            key, path = placed
            names = tuple(p for p in path if isinstance(p, str))
            section = repeats.get(names)
            if section is None:
                ignored.add(f"{table.name} (no repeat {'/'.join(names)} in the form)")
                break
            ignored |= builders[key].fill_row(
                table, row, line, _columns(section.children, ()), path
            )
    return Export(
        name,
        CENTRAL,
        tuple(builders[k].done() for k in order),
        media,
        tuple(sorted(ignored - CENTRAL_COLUMNS)),
    )


def _place(key: str) -> tuple[str, AnswerPath] | None:
    """The submission and the answer path of a repeat row's KEY (`uuid:…/viability/threats[2]`
    → (`uuid:…`, ("viability", "threats", 1)))."""
    head, _, rest = key.partition("/")
    if not head or not rest:
        return None
    path: list[str | int] = []
    for part in rest.split("/"):
        match = _KEY_PART.match(part)
        if match is None:
            return None
        path.append(match.group("name"))
        if match.group("index") is not None:
            path.append(int(match.group("index")) - 1)
    return head, tuple(path)


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


class _Builder:
    """The answers of one submission, as its rows and objects are read."""

    def __init__(self, key: str, start: Cell) -> None:
        self.key = key
        self.start = start
        self.answers: dict[str, Any] = {}
        self.cells: dict[AnswerPath, Cell] = {}
        self.review = ""
        self.unreadable = ""
        self._points: dict[AnswerPath, dict[str, str]] = {}

    def put(self, path: AnswerPath, value: Any, cell: Cell) -> None:
        node: Any = self.answers
        for step, following in zip(path[:-1], path[1:], strict=True):
            if isinstance(step, int):
                while len(node) <= step:
                    node.append({})
                node = node[step]
            else:
                default: Any = [] if isinstance(following, int) else {}
                node = node.setdefault(step, default)
        last = path[-1]
        assert isinstance(last, str)
        node[last] = value
        self.cells[path] = cell

    def place(self, path: AnswerPath, cell: Cell) -> None:
        """Note where a repeat instance (or a group) is, so that problems about it point there."""
        self.cells.setdefault(path, cell)

    def fill_row(
        self,
        table: _Table,
        row: list[str],
        line: int,
        columns: Mapping[str, tuple[tuple[str, ...], Question, str]],
        base: AnswerPath,
    ) -> set[str]:
        ignored: set[str] = set()
        if base:
            self.place(base, Cell(table.name, line))
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
                self._points.setdefault(full, {})[part] = value.strip()
                self.cells[full] = Cell(table.name, line, "-".join(path))
            else:
                self.put(full, value, cell)
        return ignored

    def done(self) -> Submission:
        for path, parts in self._points.items():
            text = " ".join(parts.get(p, "") for p in GEOPOINT_PARTS).strip()
            self.put(path, text, self.cells[path])
        return Submission(
            self.key, self.answers, self.cells, self.start, self.review, self.unreadable
        )


# --- JSON (ODK Central's OData feed, KoboToolbox) -----------------------------------------------


def _read_json(raw: bytes, name: str, spec: FormSpec, folder: Path | None) -> Export:
    try:
        text = raw.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read)"
        ) from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{name}:{exc.lineno}:{exc.colno}: the JSON cannot be read: {exc.msg}",
            hint="download the export again",
        ) from None
    media = MediaSource(folders=(folder / "media", folder) if folder else ())
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        items, server, list_key = document["value"], CENTRAL, "value"
    elif isinstance(document, dict) and isinstance(document.get("results"), list):
        items, server, list_key = document["results"], KOBO, "results"
    elif isinstance(document, list):
        items, server, list_key = document, KOBO, ""
    else:
        raise UsageError(
            f'{name} is not an export of submissions: no list of them under "value" (ODK '
            'Central) or "results" (KoboToolbox)',
            hint="export the OData feed of Submissions (with $expand=*) or KoboToolbox's data.json",
        )
    lines = _item_lines(text, list_key, len(items))
    structure = _structure(spec.children, ())
    submissions: list[Submission] = []
    ignored: set[str] = set()
    notes: set[str] = set()
    for item, line in zip(items, lines, strict=True):
        if not isinstance(item, dict):
            raise UsageError(f"{name}:{line}: a submission is an object of answers")
        start = Cell(name, line)
        if server == CENTRAL:
            builder = _Builder(str(item.get("__id") or ""), start)
            system = _mapping(item.get("__system"))
            builder.review = str(system.get("reviewState") or "").lower()
            builder.unreadable = str(system.get("status") or "") if system.get("status") else ""
            _fill_nested(builder, item, (), (), structure, ignored, notes, name, line)
        else:
            builder = _Builder(_kobo_key(item), start)
            status = item.get("_validation_status")
            uid = status.get("uid") if isinstance(status, dict) else ""
            builder.review = (
                "rejected" if uid == "validation_status_not_approved" else str(uid or "")
            )
            _fill_flat(builder, item, (), "", structure, ignored, name, line)
        submissions.append(builder.done())
    return Export(
        name, server, tuple(submissions), media, tuple(sorted(ignored)), tuple(sorted(notes))
    )


def _structure(
    children: tuple[Any, ...], prefix: tuple[str, ...]
) -> dict[tuple[str, ...], Question | Section]:
    """Path of names → node, for every question and section of the form."""
    found: dict[tuple[str, ...], Question | Section] = {}
    for node in children:
        path = (*prefix, node.name)
        found[path] = node
        if isinstance(node, Section):
            found.update(_structure(node.children, path))
    return found


def _fill_nested(
    builder: _Builder,
    node: Mapping[str, Any],
    names: tuple[str, ...],
    path: AnswerPath,
    structure: Mapping[tuple[str, ...], Any],
    ignored: set[str],
    notes: set[str],
    file: str,
    line: int,
) -> None:
    for key, value in node.items():
        if key.startswith("__") or (not names and key == "meta"):
            continue
        if "@odata" in key:
            base = key.split("@", 1)[0]
            if base not in node:
                notes.add("expand")
            continue
        here, at = (*names, key), (*path, key)
        target = structure.get(here)
        shown = "/".join(here)
        if target is None:
            ignored.add(shown)
        elif isinstance(target, Section) and target.repeat and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    builder.place((*at, index), Cell(file, line, shown))
                    _fill_nested(
                        builder, item, here, (*at, index), structure, ignored, notes, file, line
                    )
        elif isinstance(target, Section) and isinstance(value, dict):
            _fill_nested(builder, value, here, at, structure, ignored, notes, file, line)
        elif isinstance(target, Question) and value is not None and value != "":
            builder.put(
                at,
                _point_text(value) if target.kind is Kind.GEOPOINT else value,
                Cell(file, line, shown),
            )


def _fill_flat(
    builder: _Builder,
    node: Mapping[str, Any],
    path: AnswerPath,
    prefix: str,
    structure: Mapping[tuple[str, ...], Any],
    ignored: set[str],
    file: str,
    line: int,
) -> None:
    for key, value in node.items():
        if not key.startswith(prefix) or key.startswith(("_", "meta/", "formhub/")):
            continue
        names = tuple(key.split("/"))
        target = structure.get(names)
        relative = tuple(key[len(prefix) :].split("/"))
        at = (*path, *relative)
        if target is None:
            if key not in ("start", "end", "today", "deviceid", "username", "phonenumber"):
                ignored.add(key)
        elif isinstance(target, Section) and target.repeat and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    builder.place((*at, index), Cell(file, line, key))
                    _fill_flat(
                        builder, item, (*at, index), key + "/", structure, ignored, file, line
                    )
        elif isinstance(target, Question) and value is not None and value != "":
            builder.put(
                at,
                _point_text(value) if target.kind is Kind.GEOPOINT else value,
                Cell(file, line, key),
            )


def _kobo_key(item: Mapping[str, Any]) -> str:
    for key in ("meta/rootUuid", "meta/instanceID", "_uuid"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _point_text(value: Any) -> Any:
    """A geopoint as `lat lon alt accuracy` text, from GeoJSON (ODK Central) or text."""
    if isinstance(value, dict) and isinstance(value.get("coordinates"), list):
        coordinates = value["coordinates"]
        properties = _mapping(value.get("properties"))
        lon, lat = (coordinates + [None, None])[:2]
        alt = coordinates[2] if len(coordinates) > 2 else ""
        accuracy = properties.get("accuracy", "")
        return " ".join(str(v) for v in (lat, lon, alt, accuracy)).strip()
    return value


def _item_lines(text: str, list_key: str, count: int) -> list[int]:
    """The line where each submission of the list starts (1 when it cannot be told)."""
    decoder = json.JSONDecoder()
    start = (
        re.search(rf'"{re.escape(list_key)}"\s*:\s*\[', text)
        if list_key
        else re.search(r"^\s*\[", text)
    )
    lines: list[int] = []
    position = start.end() if start else len(text)
    while start and len(lines) < count:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        try:
            _, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        lines.append(text.count("\n", 0, position) + 1)
        position = end
    return lines if len(lines) == count else [1] * count


def _mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping of fields, else an empty one (a new one to fill)."""
    return value if isinstance(value, dict) else {}
