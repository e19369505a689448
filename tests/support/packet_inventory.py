"""A small fixed inventory in a throwaway git repository, for packet tests and golden files.

Three commits with fixed dates, tagged as the 2013 and 2024 baselines, then an uncommitted
edit: every packet kind has something to show. Two secrets are planted: one in a contact, one
in a restricted part. One element's name carries markup. The records are all written here and
only they are committed (schema/ and templates/ are git-ignored), so commit ids in the golden
files change only when these records do.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from tests.support.helpers import REPO_ROOT, commit, copy_repository, element_data, init_repo

CONTACT_SECRET = "contact-secret-7f3a9c"
RESTRICTED_SECRET = "sacred-grove-5b2e81"
HOSTILE_NAME = "<script>alert(1)</script> @someone #12 a | b"

SETTINGS = """[tool.ichinv]

[tool.ichinv.baselines]
2013 = { rev = "inventory-2013", label = "National list, Order No. 50 of 1 March 2013" }
2024 = { rev = "inventory-2024", label = "National list, Order No. 211 of 28 May 2024" }
"""

SOURCE_2013 = {"list": "order-50-2013", "order": "Order No. 50 of 1 March 2013"}
CONFIDENCE = [
    {
        "fact": "entered",
        "status": "inferred",
        "note": "On the 2024 list; whether it was on the 2013 list is not known.",
    },
    {
        "fact": "row",
        "list": "order-211-2024",
        "status": "confirmed",
        "note": "A row of its own in the 2024 list.",
        "source": "https://example.org/list-2024",
    },
    {"fact": "names", "status": "uncertain", "note": "The Russian name is the team's rendering."},
]
SOURCE_2024 = {"list": "order-211-2024", "order": "Order No. 211 of 28 May 2024"}


PROVINCES = {
    "KZ-23": {"names": {"kk": "Атырау облысы", "ru": "Атырауская область", "en": "Atyrau Region"},
              "kind": "region", "centre": {"kk": "Атырау", "ru": "Атырау", "en": "Atyrau"},
              "focus": True, "target": 10},
    "KZ-43": {"names": {"kk": "Қызылорда облысы", "ru": "Кызылординская область",
                        "en": "Kyzylorda Region"}, "kind": "region"},
    "KZ-61": {"names": {"kk": "Түркістан облысы", "ru": "Туркестанская область",
                        "en": "Turkistan Region"}, "kind": "region", "valid_from": "2018-06-19"},
    "KZ-79": {"names": {"kk": "Шымкент", "ru": "Шымкент", "en": "Shymkent"}, "kind": "city",
              "valid_from": "2018-06-19"},
    "KZ-YUZ": {"names": {"kk": "Оңтүстік Қазақстан облысы", "ru": "Южно-Казахстанская область",
                         "en": "South Kazakhstan Region"}, "kind": "region",
               "valid_until": "2018-06-18", "successors": ["KZ-61", "KZ-79"]},
}  # fmt: skip


def base(element_id: str) -> dict[str, Any]:
    """A valid element record (every packet record starts from it): the tests' usual record,
    named Aitys in English."""
    return element_data(element_id, names={"kk": "Айтыс", "ru": "Айтыс", "en": "Aitys"})


def _record(element_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {**base(element_id), **fields, **changes}


def _write(root: Path, element_id: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (root / "elements" / f"{element_id}.yaml").write_text(text, encoding="utf-8")


def nauryz(**changes: Any) -> dict[str, Any]:
    return _record(
        "KZ-2013-0001",
        {
            "names": {"kk": "Наурыз", "ru": "Наурыз", "en": "Nauryz"},
            "domains": ["social-practices"],
            "national_category": "II",
            "provinces": ["KZ-23", "KZ-43"],
            "communities": [{"name": "Families and neighbourhoods", "kind": "community"}],
            "description": {
                "kk": "Көктемгі жаңа жыл мерекесі.",
                "ru": "Весенний праздник нового года.",
                "en": "The spring festival of the new year.",
            },
            "viability": {"status": "viable", "assessed": "2025-06-01"},
            "provenance": {"entered": "2013-03-01", "sources": [SOURCE_2013]},
        },
        changes,
    )


def shamanic(**changes: Any) -> dict[str, Any]:
    """A record with restricted parts (places, transmission) and a contact."""
    return _record(
        "KZ-2024-0001",
        {
            "names": {"kk": "Бақсы сарыны", "ru": "Баксы сарыны", "en": "Baksy saryny"},
            "domains": ["oral-traditions", "knowledge-nature"],
            "national_category": "I",
            "provinces": ["KZ-23"],
            "locations": [
                {"place": f"The {RESTRICTED_SECRET} near the river", "province": "KZ-23"}
            ],
            "communities": [{"name": "Healers of the lineage", "kind": "group", "role": "bearers"}],
            "description": {"en": "Healing chants of the baksy, performed with the kobyz."},
            "transmission": {"modes": ["master-apprentice"]},
            "viability": {"status": "at-risk", "assessed": "2024-05-01"},
            "access": {
                "level": "restricted",
                "restricted_parts": ["/locations", "/transmission"],
                "reason": "The healers asked that the places of the rites not be published.",
                "decided_by": "Healers of the lineage",
            },
            "contacts": [
                {
                    "name": f"Bearer {CONTACT_SECRET}",
                    "role": "bearer",
                    "email": f"{CONTACT_SECRET}@example.org",
                    "phone": "+7 700 000 00 00",
                }
            ],
            "provenance": {"entered": "2024-05-28", "sources": [SOURCE_2024]},
        },
        changes,
    )


def withdrawn(**changes: Any) -> dict[str, Any]:
    """A record whose community withdrew consent: only its identification is public."""
    return _record(
        "KZ-2024-0002",
        {
            "names": {"kk": "Жыр", "ru": "Жыр", "en": "Zhyr"},
            "domains": ["oral-traditions"],
            "national_category": "I",
            "provinces": ["KZ-YUZ"],
            "description": {"en": "Epic songs of the south."},
            "provenance": {"entered": "2024-05-28", "sources": [SOURCE_2024]},
        },
        changes,
    )


def hostile(**changes: Any) -> dict[str, Any]:
    """A new element whose name and description try to inject markup and pings."""
    return _record(
        "KZ-2025-0001",
        {
            "names": {"kk": "Жаңа элемент", "ru": "Новый элемент", "en": HOSTILE_NAME},
            "domains": ["craftsmanship"],
            "national_category": "V",
            "provinces": ["KZ-23"],
            "communities": [{"name": "Craftspeople of @someone's village", "kind": "community"}],
            "description": {
                "ru": "# Заголовок\n\n- [ссылка](javascript:alert(1)) <b>жирный</b> ~~зачёркнуто~~ "
                "$x$ `код` fixes #12 cc @someone"
            },
            "viability": {"status": "viable", "assessed": "2025-10-01"},
            "documentation": [
                {"title": "Field notes", "kind": "web", "url": "https://example.org/notes_(2025)|x"}
            ],
            "provenance": {
                "entered": "2025-10-01",
                "sources": [{"list": "community-inventory", "note": "Proposed in 2025."}],
            },
        },
        changes,
    )


_MADE: list[Path] = []
"""The inventory as `_build` made it once in this process: `build` copies it (8 ms, where
making it takes 70 ms, and some 200 tests take one)."""


def build(root: Path) -> Path:
    """The inventory at `root`, committed three times, with one uncommitted edit."""
    if not _MADE or not _MADE[0].is_dir():
        made = Path(tempfile.mkdtemp(prefix="ichinv-packet-inventory-"))
        atexit.register(shutil.rmtree, made, ignore_errors=True)
        _MADE[:] = [_build(made / "inventory")]
    return copy_repository(_MADE[0], root)


def _build(root: Path) -> Path:
    for folder in ("elements", "provinces"):
        (root / folder).mkdir(parents=True)
    for name in ("schema", "templates"):
        shutil.copytree(REPO_ROOT / name, root / name)
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    (root / ".gitignore").write_text("schema/\ntemplates/\n", encoding="utf-8")
    for pid, fields in PROVINCES.items():
        text = yaml.safe_dump({"id": pid, **fields}, sort_keys=False, allow_unicode=True)
        (root / "provinces" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    repo = init_repo(root)
    _write(root, "KZ-2013-0001", nauryz(national_category="I"))
    _write(root, "KZ-2013-0002", base("KZ-2013-0002"))
    commit(repo, "Record the 2013 list", tag="inventory-2013", date="2013-03-01T12:00:00+06:00")
    _write(root, "KZ-2013-0001", nauryz())
    _write(root, "KZ-2024-0001", shamanic())
    _write(root, "KZ-2024-0002", withdrawn())
    commit(repo, "Update to the 2024 list", tag="inventory-2024", date="2024-05-28T12:00:00+05:00")
    _write(root, "KZ-2025-0001", hostile())
    _write(
        root,
        "KZ-2024-0002",
        withdrawn(
            consent={"status": "withdrawn", "date": "2025-09-01"},
            access={
                "level": "restricted",
                "reason": "The community withdrew its consent in 2025.",
            },
        ),
    )
    commit(repo, "Revise the inventory (2025)", date="2025-10-01T12:00:00+05:00")
    # Uncommitted: a reassessment, a new restricted place, a changed contact, and how certain
    # the facts of its listing are.
    data = shamanic(viability={"status": "in-danger", "assessed": "2025-11-01"})
    data["locations"].append({"place": f"Second {RESTRICTED_SECRET} spring", "province": "KZ-23"})
    data["contacts"][0]["phone"] = "+7 700 000 00 01"
    data["provenance"]["confidence"] = CONFIDENCE
    _write(root, "KZ-2024-0001", data)
    return root
