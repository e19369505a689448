"""Records whose id is not in an id's form: problems named by their file, never by that id
(it may be anything, an e-mail address too), and left out of every answer."""

from __future__ import annotations

from collections.abc import Iterable

from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_province_id


def malformed_id(path: str) -> Finding:
    """The problem of an element file whose id is not in an id's form: named by the file,
    never by that id (it may be anything, an e-mail address too); left out of answers."""
    return Finding(
        path, "id.missing", _("{path} has an id not in the form KZ-YYYY-NNNN").format(path=path)
    )


def malformed_provinces(items: Iterable[Record | Finding]) -> list[Finding]:
    """The province records whose id is missing or not a province id's form, as problems
    named by their file, never by that id."""
    return [
        Finding(
            item.path,
            "id.missing",
            _("{path} has no province id of the form KZ-NN or KZ-AAA").format(path=item.path),
        )
        for item in items
        if isinstance(item, Record)
        and item.kind is RecordKind.PROVINCE
        and not is_province_id(item.id)
    ]
