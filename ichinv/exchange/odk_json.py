"""JSON exports of submissions, read into submissions.

- ODK Central's OData feed of Submissions, with `$expand=*` so that repeats are in it:
  `{"value": [...]}`, groups as objects, repeats as arrays, geopoints as GeoJSON, `__id`,
  `__system` (central-backend, lib/data/json.js).
- KoboToolbox's `data.json` (its API): `{"results": [...]}` or a list, keys as paths
  (`consent/status`), repeats as lists of such objects, `_uuid`, `_validation_status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import jsontext
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.exchange import json_positions, odk_copies, odk_server
from ichinv.exchange.form_spec import FormSpec, Kind, Question, Section
from ichinv.exchange.odk_media import MEDIA_FOLDER, MediaSource
from ichinv.exchange.odk_submissions import (
    CENTRAL,
    EXPAND,
    KOBO,
    OUTSIDE,
    SHAPE,
    SINGLE,
    UNNAMED,
    AnswerPath,
    Builder,
    Cell,
    Export,
    Submission,
    mapping,
)


def read(raw: bytes, name: str, spec: FormSpec, folder: Path | None) -> Export:
    try:
        # A number no record can hold is said of its answer, and the rest is imported.
        document = jsontext.read(raw, record_numbers=False)
    except jsontext.Unreadable as problem:
        raise UsageError(
            problem.in_file(name),
            hint=_("download the export again"),
        ) from None
    text = raw.decode("utf-8-sig")
    media = MediaSource(folder=folder / MEDIA_FOLDER) if folder else MediaSource()
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        items, server, list_key = document["value"], CENTRAL, "value"
    elif isinstance(document, dict) and isinstance(document.get("results"), list):
        items, server, list_key = document["results"], KOBO, "results"
    elif isinstance(document, list):
        items, server, list_key = document, KOBO, ""
    else:
        raise UsageError(
            _(
                '{name} is not an export of submissions: no list of them under "value" (ODK '
                'Central) or "results" (KoboToolbox)'
            ).format(name=name),
            hint=_(
                "export the OData feed of Submissions (with $expand=*) or KoboToolbox's data.json"
            ),
        )
    lines = json_positions.item_lines(text, list_key, len(items))
    structure = _structure(spec.children, ())
    submissions: list[Submission] = []
    versions: list[str] = []
    ignored: set[str] = set()
    notes: set[str] = set()
    for item, line in zip(items, lines, strict=True):
        if not isinstance(item, dict):
            raise UsageError(
                _("{where}: a submission is an object of answers").format(where=f"{name}:{line}")
            )
        start = Cell(name, line)
        if server == CENTRAL:
            builder = Builder(str(item.get("__id") or ""), start)
            system = mapping(item.get("__system"))
            builder.review = str(system.get("reviewState") or "").lower()
            builder.unreadable = str(system.get("status") or "") if system.get("status") else ""
            _fill_nested(builder, item, (), (), structure, ignored, notes, name, line)
        else:
            builder = Builder(_kobo_key(item), start)
            builder.folders = {  # its folder of KoboToolbox's media is named by one of them
                v for k in _KOBO_KEYS if isinstance(v := item.get(k), str) and v.strip()
            } | _attachment_folders(item)
            status = item.get("_validation_status")
            uid = status.get("uid") if isinstance(status, dict) else ""
            builder.review = (
                "rejected" if uid == "validation_status_not_approved" else str(uid or "")
            )
            _fill_flat(builder, item, (), "", structure, ignored, notes, name, line)
        builder.hear(item)
        submissions.append(builder.done())
        versions.append(_version(item, server))
    odk_copies.refuse_differing_copies(submissions)
    return Export(
        name,
        server,
        tuple(submissions),
        media,
        tuple(sorted(ignored)),
        tuple(sorted(notes)),
        partial=EXPAND in notes,  # the repeats' answers are not in the file
        versions=odk_server.versions_of(zip(submissions, versions, strict=True)),
    )


def _version(item: Mapping[str, Any], server: str) -> str:
    """The instance id of the submission's latest version, as the export gives it (any text)."""
    version = mapping(item.get("meta")).get("instanceID") if server == CENTRAL else None
    version = item.get("meta/instanceID") if server == KOBO else version
    return version if isinstance(version, str) else ""


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
    builder: Builder,
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
                notes.add(EXPAND)
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
                elif item is not None:
                    notes.add(SHAPE + shown)
        elif isinstance(target, Section) and not target.repeat and isinstance(value, dict):
            _fill_nested(builder, value, here, at, structure, ignored, notes, file, line)
        elif isinstance(target, Section) and value not in (None, "", {}):
            # A group answered with a value, or a repeat with what is not a list (ODK writes
            # even one instance as a list): left out, and said so.
            notes.add(SHAPE + shown)
        elif isinstance(target, Question) and not _one_value(target, value):
            notes.add(SINGLE + shown)
        elif isinstance(target, Question) and value is not None and value != "":
            builder.put(
                at,
                _point_text(value) if target.kind is Kind.GEOPOINT else value,
                Cell(file, line, shown),
            )


def _fill_flat(
    builder: Builder,
    node: Mapping[str, Any],
    path: AnswerPath,
    prefix: str,
    structure: Mapping[tuple[str, ...], Any],
    ignored: set[str],
    notes: set[str],
    file: str,
    line: int,
) -> None:
    for key, value in node.items():
        if not key.startswith(prefix):
            if not key.startswith("_"):  # `name` in a repeat whose answers are `contacts/name`
                notes.add(UNNAMED + prefix.rstrip("/"))
            continue
        if key.startswith(("_", "meta/", "formhub/")):
            continue
        names = tuple(key.split("/"))
        target = structure.get(names)
        relative = tuple(key[len(prefix) :].split("/"))
        at = (*path, *relative)
        if target is None:
            if key not in ("start", "end", "today", "deviceid", "username", "phonenumber"):
                ignored.add(key)
        elif _below_a_repeat(names, len(relative), structure):
            # `contacts/name` where only the list `contacts` may hold it (beside that list,
            # or with none): whose answer it is cannot be known. Left out, and said so.
            notes.add(OUTSIDE + key)
        elif isinstance(target, Section) and target.repeat and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    builder.place((*at, index), Cell(file, line, key))
                    _fill_flat(
                        builder,
                        item,
                        (*at, index),
                        key + "/",
                        structure,
                        ignored,
                        notes,
                        file,
                        line,
                    )
                elif item is not None:
                    notes.add(SHAPE + key)
        elif isinstance(target, Section) and value is not None and value != "":
            notes.add(SHAPE + key)  # a group (or repeat) answered with a value: left out
        elif isinstance(target, Question) and not _one_value(target, value):
            notes.add(SINGLE + key)
        elif isinstance(target, Question) and value is not None and value != "":
            builder.put(
                at,
                _point_text(value) if target.kind is Kind.GEOPOINT else value,
                Cell(file, line, key),
            )


def _one_value(question: Question, value: Any) -> bool:
    """Whether `value` has a shape the question's answer has: one value; a list of choices for
    a multiple choice; GeoJSON for a geopoint (ODK Central). A list or an object elsewhere
    (`["+7 …"]`, `{"a": …}`) is not an answer to the question, and is left out."""
    if isinstance(value, dict):
        return question.kind is Kind.GEOPOINT and isinstance(value.get("coordinates"), list)
    if isinstance(value, list):
        return question.kind is Kind.SELECT_MULTIPLE and all(isinstance(v, str) for v in value)
    return True


def _below_a_repeat(
    names: tuple[str, ...], below: int, structure: Mapping[tuple[str, ...], Any]
) -> bool:
    """Whether a repeat stands among the last `below` names of the answer `names` but its
    own: the answer of an instance, given where that instance is not."""
    return any(
        isinstance(node := structure.get(names[:end]), Section) and node.repeat
        for end in range(len(names) - below + 1, len(names))
    )


_KOBO_KEYS = ("meta/rootUuid", "meta/instanceID", "_uuid")
"""KoboToolbox's ids of a submission, the first given being its key."""


def _attachment_folders(item: Mapping[str, Any]) -> set[str]:
    """The folders of KoboToolbox's media that its `_attachments` put a submission's files in
    (`filename`: `<user>/attachments/<form>/<uuid>/<name>`): the instance id of the version
    each file came with. KoboToolbox gives an edited submission the instance id of its new
    version, and leaves the files of earlier versions in their folders, which no other id of
    the submission may name. A folder is still the submission's only when no other submission
    of the export names it (ichinv.exchange.odk_media): what `_attachments` says never gives
    one submission another's file."""
    attachments = item.get("_attachments")
    found: set[str] = set()
    for entry in attachments if isinstance(attachments, list) else []:
        name = entry.get("filename") if isinstance(entry, Mapping) else None
        if isinstance(name, str):
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if len(parts) > 1:
                found.add(parts[-2])
    return found


def _kobo_key(item: Mapping[str, Any]) -> str:
    for key in _KOBO_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _point_text(value: Any) -> Any:
    """A geopoint as `lat lon alt accuracy` text, from GeoJSON (ODK Central) or text."""
    if isinstance(value, dict) and isinstance(value.get("coordinates"), list):
        coordinates = value["coordinates"]
        properties = mapping(value.get("properties"))
        lon, lat = (coordinates + [None, None])[:2]
        alt = coordinates[2] if len(coordinates) > 2 else ""
        accuracy = properties.get("accuracy", "")
        return " ".join(str(v) for v in (lat, lon, alt, accuracy)).strip()
    return value
