"""Records for the tests of the reading commands (show, list, progress, export/import, report)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SECRET_NAME = "Secret Person Zh7q"
SECRET_EMAIL = "secret.zh7q@example.org"
SECRET_PHONE = "+7 700 000 00 00"
SECRET_RITE = "SECRET-RITE-WORDS-q8v"
SECRET_PLACE = "Hidden spring of Q9x"

BASE: dict[str, Any] = {
    "id": "KZ-2026-0001",
    "names": {"kk": "Сынақ", "ru": "Проба", "en": "Test element"},
    "domains": ["craftsmanship"],
    "national_category": "V",
    "provinces": ["KZ-23"],
    "status": "active",
    "description": {"en": "A practice described for tests."},
    "viability": {"status": "viable", "assessed": "2026-04-01"},
    "consent": {
        "status": "given",
        "date": "2026-04-01",
        "form": "written",
        "evidence": "Committee archive, consent file 2026/999",
    },
    "access": {"level": "public"},
    "provenance": {
        "entered": "2026-04-01",
        "sources": [{"list": "community-inventory", "note": "Proposed by the community."}],
    },
}


def element(element_id: str, **fields: Any) -> dict[str, Any]:
    """A valid active public element, with `fields` replacing top-level fields (None removes)."""
    data = copy.deepcopy(BASE)
    data["id"] = element_id
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def secret_element(element_id: str = "KZ-2026-0009") -> dict[str, Any]:
    """A restricted element with contacts and a restricted part holding secret text."""
    return element(
        element_id,
        names={"kk": "Құпия рәсім", "ru": "Тайный обряд", "en": "Secret rite"},
        domains=["social-practices"],
        national_category="II",
        locations=[{"place": SECRET_PLACE, "province": "KZ-23"}],
        transmission={"modes": ["family"], "description": {"en": SECRET_RITE}},
        access={
            "level": "restricted",
            "restricted_parts": ["/locations", "/transmission"],
            "reason": "The lineage asked that the words of the rite stay within it.",
        },
        contacts=[
            {
                "name": SECRET_NAME,
                "role": "bearer",
                "email": SECRET_EMAIL,
                "phone": SECRET_PHONE,
                "gender": "female",
                "birth_year": 1950,
            }
        ],
    )


MISPLACED = {
    "documentation": "misplaced.doc.k2v@example.org",
    "merge-key": "misplaced.merge.k2v@example.org",
    "key-name": "misplaced.key.k2v@example.org",
    "names": "misplaced.names.k2v@example.org",
    "wrong-type": "+7 700 000 00 42",
    "status": "misplaced.status.k2v@example.org",
    "province": "misplaced.province.k2v@example.org",
}
"""Contacts an editor put where the schema has no field for them (the record fails validate)."""


def misplaced_element(
    element_id: str = "KZ-2026-0008", *, which: str | None = None
) -> dict[str, Any]:
    """An element holding contacts outside `contacts` (all of MISPLACED, or only `which`): in a
    documentation item, under a quoted `"<<"` key, as the name of a key, among the names, as a
    mapping where the description wants a text, as the status and as a province."""
    planted: dict[str, dict[str, Any]] = {
        "documentation": {
            "documentation": [
                {"title": "Field notes", "contacts": [{"email": MISPLACED["documentation"]}]}
            ]
        },
        "merge-key": {"<<": {"contacts": [{"email": MISPLACED["merge-key"]}]}},
        "key-name": {MISPLACED["key-name"]: "bearer"},
        "names": {"names": {"kk": "Сынақ", "en": "Misplaced contacts", "note": MISPLACED["names"]}},
        "wrong-type": {"description": {"en": {"phone": MISPLACED["wrong-type"]}}},
        "status": {"status": MISPLACED["status"]},
        "province": {"provinces": ["KZ-23", MISPLACED["province"]]},
    }
    fields: dict[str, Any] = {}
    for name, part in planted.items():
        if which in (None, name):
            fields.update(part)
    return element(element_id, **fields)


def write(root: Path, *records: dict[str, Any]) -> None:
    """Write element records into root/elements/ (as JSON, which is YAML)."""
    for data in records:
        path = root / "elements" / f"{data['id']}.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def secrets() -> tuple[str, ...]:
    """Every value that must never reach public output."""
    return (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, SECRET_RITE, SECRET_PLACE)
