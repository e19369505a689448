"""Exports of submissions as ODK Central and KoboToolbox make them, for tests.

The shape of a submission comes from the XForm that pyxform compiles from the form `ichinv form`
wrote (its primary instance: groups, repeats marked `jr:template`, geopoints by their bind), not
from ichinv's own model of the form, so that the import is tested against what the servers
would really send. Answers are given as trees: question name → text, a group → a tree, a repeat
→ a list of trees; a geopoint is `lat lon altitude accuracy`.

- `central_zip`: ODK Central's "CSV with media" ZIP (`<form>.csv`, `<form>-<repeat>.csv` with
  PARENT_KEY/KEY, geopoints split in four columns, `media/`), after central-backend's
  lib/data/briefcase.js.
- `central_json`: ODK Central's OData feed of Submissions with `$expand=*` (groups as objects,
  repeats as arrays, geopoints as GeoJSON, `__id`, `__system`), after lib/data/json.js.
- `kobo_json`: KoboToolbox's `data.json` (keys as paths, repeats as lists of path-keyed objects,
  `_uuid`, `meta/instanceID`, `_attachments`, `_validation_status`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

JR = "{http://openrosa.org/javarosa}"
XF = "{http://www.w3.org/2002/xforms}"
GEO = ("Latitude", "Longitude", "Altitude", "Accuracy")


@dataclass(frozen=True)
class Node:
    """A node of the form's instance."""

    name: str
    children: tuple[Node, ...] = ()
    repeat: bool = False
    kind: str = "string"
    """The bind type of a leaf (`string`, `int`, `geopoint`, `binary`, …)."""

    @property
    def leaf(self) -> bool:
        return not self.children and not self.repeat


@dataclass(frozen=True)
class Sent:
    """One submission as a server holds it."""

    instance_id: str
    answers: Mapping[str, Any]
    submitter: str = "Айгүл Сейітова"
    """Who sent it (the server's account): never part of a record."""
    device: str = "collect:Xy12AbCdEfGh3456"
    review: str = "received"
    date: str = "2026-11-20T08:15:00.000Z"
    files: Mapping[str, bytes] = field(default_factory=dict)


@functools.lru_cache(maxsize=4)
def instance_of(xlsx: bytes) -> tuple[str, Node]:
    """The form id and the root of the primary instance of the XForm pyxform makes of `xlsx`."""
    from pyxform.xls2xform import convert

    xform = convert(xlsform=xlsx, file_type=".xlsx").xform
    root = ElementTree.fromstring(xform)
    model = root.find(f".//{XF}model")
    assert model is not None
    binds = {b.get("nodeset"): b.get("type", "string") for b in model.iter(f"{XF}bind")}
    data = model.find(f"{XF}instance")[0]  # type: ignore[index]
    return data.get("id") or "", _node(data, "/" + _local(data.tag), binds)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _node(element: ElementTree.Element, path: str, binds: Mapping[str | None, str]) -> Node:
    children: list[Node] = []
    seen: set[str] = set()
    for child in element:
        name = _local(child.tag)
        if name in seen:  # a repeat's template and its first instance
            continue
        seen.add(name)
        sub = f"{path}/{name}"
        node = _node(child, sub, binds)
        repeat = child.get(f"{JR}template") is not None
        children.append(Node(name, node.children, repeat, binds.get(sub, "string")))
    return Node(_local(element.tag), tuple(children))


def _leaves(node: Node, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Node]]:
    """The leaves of a table: groups flattened, repeats left to their own tables."""
    found: list[tuple[tuple[str, ...], Node]] = []
    for child in node.children:
        if child.repeat:
            continue
        if child.leaf:
            found.append(((*prefix, child.name), child))
        else:
            found.extend(_leaves(child, (*prefix, child.name)))
    return found


def _get(tree: Any, path: Sequence[str]) -> Any:
    for name in path:
        if not isinstance(tree, Mapping):
            return None
        tree = tree.get(name)
    return tree


# --- ODK Central: CSV ZIP -----------------------------------------------------------------------


def central_zip(xlsx: bytes, sent: Sequence[Sent], *, media: bool = True) -> bytes:
    form_id, root = instance_of(xlsx)
    tables: dict[str, list[list[str]]] = {}
    order: list[str] = []

    def header(node: Node) -> list[str]:
        names: list[str] = []
        for path, leaf in _leaves(node):
            joined = "-".join(path)
            names.extend([f"{joined}-{g}" for g in GEO] if leaf.kind == "geopoint" else [joined])
        return names

    def cells(node: Node, tree: Any) -> list[str]:
        row: list[str] = []
        for path, leaf in _leaves(node):
            value = _get(tree, path)
            text = "" if value is None else str(value)
            if leaf.kind == "geopoint":
                row.extend((text.split() + ["", "", "", ""])[:4])
            else:
                row.append(text)
        return row

    def repeats(node: Node, tree: Any, parent_key: str, key_prefix: str) -> None:
        for child in node.children:
            if child.repeat:
                name = f"{form_id}-{child.name}.csv"
                if name not in tables:
                    tables[name] = [[*header(child), "PARENT_KEY", "KEY"]]
                    order.append(name)
                items = _get(tree, [child.name]) or []
                for index, item in enumerate(items, start=1):
                    key = f"{key_prefix}/{child.name}[{index}]"
                    tables[name].append([*cells(child, item), parent_key, key])
                    repeats(child, item, key, key)
            elif not child.leaf:
                repeats(child, _get(tree, [child.name]), parent_key, f"{key_prefix}/{child.name}")

    main = f"{form_id}.csv"
    tables[main] = [
        [
            "SubmissionDate",
            *[h for h in header(root) if not h.startswith("meta-")],
            "meta-instanceID",
            "KEY",
            "SubmitterID",
            "SubmitterName",
            "AttachmentsPresent",
            "AttachmentsExpected",
            "Status",
            "ReviewState",
            "DeviceID",
            "Edits",
            "FormVersion",
        ]
    ]
    # Repeat tables exist (with their header) whatever the submissions hold.
    _declare_repeats(root, form_id, tables, order, header)
    for number, submission in enumerate(sent, start=1):
        row = [
            c
            for (p, _), c in zip(_flat_header(root), cells(root, submission.answers), strict=True)
            if p[0] != "meta"
        ]
        tables[main].append(
            [
                submission.date,
                *row,
                submission.instance_id,
                submission.instance_id,
                str(number),
                submission.submitter,
                str(len(submission.files)),
                str(len(submission.files)),
                "",
                submission.review,
                submission.device,
                "0",
                "1",
            ]
        )
        repeats(root, submission.answers, submission.instance_id, submission.instance_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [main, *order]:
            text = io.StringIO(newline="")
            csv.writer(text, lineterminator="\n").writerows(tables[name])
            archive.writestr(name, text.getvalue())
        if media:
            for submission in sent:
                for file_name, content in submission.files.items():
                    archive.writestr(f"media/{file_name}", content)
    return out.getvalue()


def _flat_header(root: Node) -> list[tuple[tuple[str, ...], Node]]:
    flat: list[tuple[tuple[str, ...], Node]] = []
    for path, leaf in _leaves(root):
        flat.extend([(path, leaf)] * (4 if leaf.kind == "geopoint" else 1))
    return flat


def _declare_repeats(node: Node, form_id: str, tables: dict, order: list, header: Any) -> None:
    for child in node.children:
        if child.repeat:
            name = f"{form_id}-{child.name}.csv"
            if name not in tables:
                tables[name] = [[*header(child), "PARENT_KEY", "KEY"]]
                order.append(name)
        if not child.leaf:
            _declare_repeats(child, form_id, tables, order, header)


# --- ODK Central: OData JSON --------------------------------------------------------------------


def central_json(xlsx: bytes, sent: Sequence[Sent]) -> bytes:
    _, root = instance_of(xlsx)

    def convert(node: Node, tree: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in node.children:
            value = _get(tree, [child.name])
            if child.repeat:
                out[child.name] = [
                    {**convert(child, item), "__id": f"h{index}"}
                    for index, item in enumerate(value or [])
                ]
            elif not child.leaf:
                out[child.name] = convert(child, value)
            elif value is None or value == "":
                out[child.name] = None
            elif child.kind == "int":
                out[child.name] = int(value)
            elif child.kind == "geopoint":
                parts = [float(p) for p in str(value).split()]
                point: dict[str, Any] = {
                    "type": "Point",
                    "coordinates": [parts[1], parts[0], *parts[2:3]],
                }
                if len(parts) > 3:
                    point["properties"] = {"accuracy": parts[3]}
                out[child.name] = point
            else:
                out[child.name] = str(value)
        return out

    value = []
    for submission in sent:
        body = convert(root, submission.answers)
        body["meta"] = {"instanceID": submission.instance_id}
        value.append(
            {
                "__id": submission.instance_id,
                "__system": {
                    "submissionDate": submission.date,
                    "submitterId": "7",
                    "submitterName": submission.submitter,
                    "attachmentsPresent": len(submission.files),
                    "attachmentsExpected": len(submission.files),
                    "status": None,
                    "reviewState": None if submission.review == "received" else submission.review,
                    "deviceId": submission.device,
                    "edits": 0,
                    "formVersion": "1",
                },
                **body,
            }
        )
    document = {
        "@odata.context": "https://central.example.org/v1/projects/1/forms/x.svc/$metadata#Submissions",
        "value": value,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


# --- KoboToolbox: data.json ---------------------------------------------------------------------


def kobo_json(xlsx: bytes, sent: Sequence[Sent]) -> bytes:
    _, root = instance_of(xlsx)

    def flatten(node: Node, tree: Any, prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in node.children:
            key = f"{prefix}{child.name}"
            value = _get(tree, [child.name])
            if child.repeat:
                if value:
                    out[key] = [flatten(child, item, key + "/") for item in value]
            elif not child.leaf:
                out.update(flatten(child, value, key + "/"))
            elif value is not None and value != "" and not key.startswith("meta/"):
                out[key] = str(value)
        return out

    results = []
    for number, submission in enumerate(sent, start=1):
        uuid = submission.instance_id.removeprefix("uuid:")
        results.append(
            {
                "_id": 1000 + number,
                "formhub/uuid": "0f3b4a5c6d7e8f90a1b2c3d4e5f60718",
                "__version__": "vQm4fXyZ2tJ8kPq3RsAbC",
                **flatten(root, submission.answers, ""),
                "meta/instanceID": submission.instance_id,
                "_xform_id_string": "aBcDeFgHiJkLmNoPqRsTuV",
                "_uuid": uuid,
                "_attachments": [
                    {
                        "download_url": f"https://kf.kobotoolbox.org/media/original?media_file=inventory%2Fattachments%2F{uuid}%2F{name}",
                        "mimetype": "image/jpeg",
                        "filename": f"inventory/attachments/0f3b4a5c/{uuid}/{name}",
                        "instance": 1000 + number,
                    }
                    for name in submission.files
                ],
                "_status": "submitted_via_web",
                "_geolocation": [None, None],
                "_submission_time": submission.date[:19],
                "_tags": [],
                "_notes": [],
                "_validation_status": {"uid": "validation_status_not_approved"}
                if submission.review == "rejected"
                else {},
                "_submitted_by": "inventory_team_3",
            }
        )
    return json.dumps(
        {"count": len(results), "next": None, "previous": None, "results": results},
        ensure_ascii=False,
        indent=2,
    ).encode("utf-8")
