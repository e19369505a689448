"""What an inventory's schemas say a public view must mind: which fields hold personal data
(`x-ichinv-personal-data`, and always the contacts of elements) and the shape of records (a
part out of it is withheld until it is fixed). ichinv.inventory.audience decides with it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core.model import RecordKind
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import Schema
from ichinv.schemas.shape import Shape


@dataclass(frozen=True, slots=True)
class Policy:
    """Which fields hold personal data, by record kind (from the schemas' annotations)."""

    personal: Mapping[RecordKind, tuple[str, ...]] = field(
        default_factory=lambda: {RecordKind.ELEMENT: ("/contacts",), RecordKind.PROVINCE: ()}
    )
    """Patterns (JSON pointers, `*` for any item) of personal-data fields."""
    shapes: Mapping[RecordKind, Shape] = field(default_factory=dict)
    """The shape of records of each kind, from their schema: a public view shows only parts
    in that shape (no schema: no such check)."""
    key: str = ""
    """Digests of the schemas it was made from (`policy_from`; empty: not made from schemas)."""

    def personal_fields(self, kind: RecordKind) -> tuple[str, ...]:
        return self.personal.get(kind, ())

    def knows(self, kind: RecordKind, key: str) -> bool:
        """Whether the schema has a top-level field `key` for `kind` (no schema: any key)."""
        shape = self.shapes.get(kind)
        return shape is None or shape.child(key) is not None

    def complete(self, kind: RecordKind) -> bool:
        """Whether every record valid against the schema of `kind` is in its shape (a public
        view of such a record then withholds nothing for being out of shape)."""
        shape = self.shapes.get(kind)
        return shape is None or shape.complete

    def drop_unknown(self, kind: RecordKind, data: dict[str, Any]) -> None:
        """Remove from `data` the top-level keys the schema does not know, names and all (a
        key may itself be personal data)."""
        shape = self.shapes.get(kind)
        if shape is not None and not data.keys() <= shape.keys.keys():
            for key in [k for k in data if shape.child(k) is None]:
                del data[key]


DEFAULT_POLICY = Policy()


def personal_of(kind: RecordKind, marked: Iterable[str] = ()) -> tuple[str, ...]:
    """The fields of personal data of records of `kind`, as a public view leaves them out:
    those every policy has (`/contacts` of elements) and those a schema `marked` (its
    `x-ichinv-personal-data` pointers), each once."""
    return tuple(dict.fromkeys((*DEFAULT_POLICY.personal_fields(kind), *marked)))


def policy_for(schema_dir: Path) -> Policy:
    """The policy of an inventory: personal-data fields as its schemas mark them
    (`x-ichinv-personal-data`), always including `/contacts` of elements, and the shape of
    its records. ConfigError when a schema is missing or cannot be read: without the shape a
    public view could not tell a field from a phone number written where none belongs, so no
    command answers (as `validate` does not)."""
    return policy_from(
        {
            kind: schema_loader.load_schema(
                kind, Path(schema_dir) / f"{kind.value}.schema.json", check=False
            )
            for kind in RecordKind
        }
    )


_POLICIES: dict[tuple[str, ...], Policy] = {}
"""Policies made in this process, by the digests of their schemas."""


def policy_from(schemas: Mapping[RecordKind, Schema]) -> Policy:
    """The policy of loaded schemas (see policy_for)."""
    key = tuple(f"{kind.value}:{schema.digest}" for kind, schema in sorted(schemas.items()))
    if key not in _POLICIES:
        _POLICIES[key] = _policy(schemas, "\n".join(("policy 2", *key)))
    return _POLICIES[key]


def _policy(schemas: Mapping[RecordKind, Schema], key: str) -> Policy:
    return Policy(
        {
            kind: personal_of(kind, schemas[kind].personal_fields if kind in schemas else ())
            for kind in RecordKind
        },
        {kind: schema.shape for kind, schema in schemas.items()},
        key,
    )
