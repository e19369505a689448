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
Attachments are the files of the export's own media only (its ZIP's `media/` folder, or the
`media/` folder beside a CSV or JSON file), each given to the submission it is known to be
of (ichinv.exchange.odk_media).
The formats are read by ichinv.exchange.odk_csv and ichinv.exchange.odk_json.

Nothing here knows the record: answers keep the form's names (ichinv.exchange.form_spec), each
with the cell it came from, so that every problem can be located in the export.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.exchange import odk_csv, odk_json
from ichinv.exchange.form_spec import FormSpec
from ichinv.exchange.odk_media import MEDIA_FOLDER, Media, MediaSource
from ichinv.exchange.odk_submissions import (
    LINKED,
    MAX_TABLE,
    AnswerPath,
    Cell,
    Export,
    Submission,
)
from ichinv.io import given

__all__ = ["AnswerPath", "Cell", "Export", "Media", "MediaSource", "Submission", "read"]


def read(path: Path, spec: FormSpec) -> Export:
    """The submissions exported in `path` (ZIP of CSVs, CSV, or JSON), with a note (LINKED)
    when the media folder beside it is a symbolic link, which is not read."""
    export = _read(path, spec)
    linked = export.media.linked
    if linked is None:
        return export
    return replace(export, notes=tuple(sorted({*export.notes, LINKED + str(linked)})))


def _read(path: Path, spec: FormSpec) -> Export:
    raw_head = _head(path)
    if path.suffix.lower() == ".zip" or raw_head.startswith(b"PK\x03\x04"):
        return odk_csv.read_zip(path, spec)
    if path.suffix.lower() == ".json" or raw_head.lstrip()[:1] in (b"{", b"["):
        return odk_json.read(_bytes(path), path.name, spec, path.parent)
    if path.suffix.lower() == ".csv":
        table = odk_csv.read_table(_bytes(path), path.name)
        media = MediaSource(folder=path.parent / MEDIA_FOLDER)
        return odk_csv.from_tables(path.name, [table], spec, media, whole=False)
    raise UsageError(
        _("{name} is not an export of ODK Central or KoboToolbox").format(name=path.name),
        hint=_(
            "give the ZIP of CSV files (ODK Central: Download → CSV with media), a CSV, or the "
            "JSON export (ODK Central's OData feed with $expand=*, or KoboToolbox's data.json)"
        ),
    )


_HINT = N_("give the export file itself (.zip, .csv or .json)")


def _head(path: Path) -> bytes:
    """The first bytes of the export (which tell a ZIP from JSON): a regular file only."""
    try:
        return given.head(path, 8, hint=_(_HINT))
    except FileNotFoundError:
        raise UsageError(
            _("{path} does not exist").format(path=path), hint=_("give the path of the export")
        ) from None


def _bytes(path: Path) -> bytes:
    """The whole export (a CSV or JSON file): at most MAX_TABLE bytes."""
    try:
        return given.read(path, hint=_(_HINT), limit=MAX_TABLE)
    except FileNotFoundError:  # gone since its first bytes were read
        raise UsageError(
            _("{path} does not exist").format(path=path), hint=_("give the path of the export")
        ) from None
