"""Records whose id is not in an id's form, or whose id another file holds too: problems named
by their file (never by an id not in an id's form: it may be anything, an e-mail address too)."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_province_id
from ichinv.inventory.redaction import public_path


def malformed_id(path: str) -> Finding:
    """The problem of an element file whose id is not in an id's form: named by the file,
    never by that id (it may be anything, an e-mail address too); left out of answers."""
    return Finding(
        path, "id.missing", _("{path} has an id not in the form KZ-YYYY-NNNN").format(path=path)
    )


def used_first(element_id: str | None, path: str) -> tuple[bool, str]:
    """The order in which an answer takes the element files holding one id: the file named by
    the id first (`elements/KZ-2013-0004.yaml` for KZ-2013-0004, not a copy or a mistyped
    `id:` in another file), then by path."""
    return (PurePosixPath(path).stem != element_id, path)


def doubled_ids(holders: Sequence[tuple[str, str]]) -> tuple[Finding, ...]:
    """The problems of element files whose id another file holds too, from (id, path) pairs
    in the order the answer takes them (`used_first`): the first file of an id is the one an answer uses,
    each other is named as left out (`id.unique`). The file used is named in its words as
    public output may name it (`public_path`): no reading of the words can tell where a name
    ends (`elements/KZ-2013-0003.yaml Aigul Kenzhebayeva.yaml` is one file)."""
    paths: dict[str, list[str]] = {}
    for element_id, path in holders:
        paths.setdefault(element_id, []).append(path)
    return tuple(
        Finding(
            path,
            "id.unique",
            _(
                "{id} is also the id of {other}; this answer uses {other} and leaves {path} out"
            ).format(id=element_id, other=public_path(others[0]), path=path),
            line=None,
            hint=_("give one of them a new id: `ichinv renumber {path}`").format(
                path=shlex.quote(path)
            ),
        )
        for element_id, others in paths.items()
        for path in others[1:]
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
