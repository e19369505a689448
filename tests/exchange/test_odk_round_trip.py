"""The law of the field form: a schema-valid record, sent as a submission of the form and exported
by ODK Central (CSV ZIP or JSON) or KoboToolbox, imports back to the same record (for the fields
the form covers: all but the files, which the import copies and names itself)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ichinv.core.model import RecordKind
from ichinv.exchange import form_spec, odk, odk_answers, xlsform
from ichinv.io import settings as ichinv_settings
from ichinv.io import strict_yaml
from ichinv.render.form_texts import form_texts
from ichinv.schemas import loader
from tests.support.helpers import REPO_ROOT, build_inventory, examples
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

SCHEMA = loader.load(REPO_ROOT / "schema")[RecordKind.ELEMENT]
PROVINCES = ["KZ-23", "KZ-43", "KZ-61", "KZ-79"]
TODAY = dt.date(2026, 11, 25)  # tests/conftest.py fixes ICHINV_TODAY


def enum(pattern: str) -> list[str]:
    node = SCHEMA.subschema(pattern) or {}
    return list(node.get("enum") or [])


LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАҚЖabcxyzABC0123456789"
text = (
    st.text(alphabet=LETTERS + " ,.;:-'\"#()«»!?", min_size=1, max_size=24)
    .map(str.strip)
    .filter(bool)
)
long_text = (
    st.text(alphabet=LETTERS + " ,.;:-'\"\n", min_size=1, max_size=60).map(str.strip).filter(bool)
)
day = st.dates(min_value=dt.date(1950, 1, 1), max_value=TODAY).map(dt.date.isoformat)
any_day = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)).map(
    dt.date.isoformat
)


def maybe(draw: Any, strategy: Any) -> Any:
    return draw(st.none() | strategy)


def drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def unique(strategy: Any, values: list[str]) -> Any:
    return st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)


def by_language(draw: Any) -> dict[str, str]:
    langs = draw(st.lists(st.sampled_from(["kk", "ru", "en"]), min_size=1, max_size=3, unique=True))
    return {lang: draw(long_text) for lang in langs}


@st.composite
def records(draw: Any) -> dict[str, Any]:
    """Schema-valid records of the fields the form asks for, as a form can fill them (fields
    asked only in some cases are there only in those cases)."""
    consent_status = draw(st.sampled_from(enum("/consent/status")))
    consent: dict[str, Any] = {"status": consent_status, "date": maybe(draw, day)}
    if consent_status == "given":
        consent |= {
            "form": maybe(draw, st.sampled_from(enum("/consent/form"))),
            "scope": maybe(draw, long_text),
        }
    level = "public" if consent_status == "given" and draw(st.booleans()) else "restricted"
    access: dict[str, Any] = {"level": level}
    if level == "restricted":
        access |= {"reason": maybe(draw, text), "decided_by": maybe(draw, text)}
    record: dict[str, Any] = drop_none(
        {
            "schema_version": SCHEMA.version,
            "names": drop_none({"kk": draw(text), "ru": draw(text), "en": maybe(draw, text)}),
            "domains": draw(unique(st, enum("/domains/0"))),
            "national_category": maybe(draw, st.sampled_from(enum("/national_category"))),
            "provinces": draw(unique(st, PROVINCES)),
            "description": by_language(draw),
            "consent": drop_none(consent),
            "access": drop_none(access),
            "provenance": {"entered": draw(day), "inventoried_by": draw(text)},
        }
    )
    lists = {
        "communities": lambda: drop_none(
            {
                "name": draw(text),
                "kind": maybe(draw, st.sampled_from(enum("/communities/0/kind"))),
                "role": maybe(draw, st.sampled_from(enum("/communities/0/role"))),
                "description": maybe(draw, text),
                "provinces": maybe(draw, unique(st, PROVINCES)),
            }
        ),
        "locations": lambda: drop_none(
            {
                "place": draw(text),
                "province": maybe(draw, st.sampled_from(PROVINCES)),
                "coordinates": maybe(draw, coordinates()),
                "note": maybe(draw, text),
            }
        ),
        "safeguarding": lambda: drop_none(
            {
                "measure": draw(text),
                "kind": maybe(draw, st.sampled_from(enum("/safeguarding/0/kind"))),
                "by": maybe(draw, text),
                "status": maybe(draw, st.sampled_from(enum("/safeguarding/0/status"))),
                "since": maybe(draw, day),
                "until": maybe(draw, any_day),
            }
        ),
        "contacts": lambda: drop_none(
            {
                "name": draw(text),
                "role": draw(st.sampled_from(enum("/contacts/0/role"))),
                "organisation": maybe(draw, text),
                "phone": maybe(
                    draw, st.from_regex(r"\+7 7[0-9]{2} [0-9]{3} [0-9]{2} [0-9]{2}", fullmatch=True)
                ),
                "email": maybe(
                    draw, st.from_regex(r"[a-z][a-z.]{0,8}@example\.org", fullmatch=True)
                ),
                "address": maybe(draw, text),
                "gender": maybe(draw, st.sampled_from(enum("/contacts/0/gender"))),
                "birth_year": maybe(draw, st.integers(1900, 2100)),
                "note": maybe(draw, text),
            }
        ),
        "documentation": lambda: drop_none(
            {
                "title": draw(text),
                "kind": maybe(draw, st.sampled_from(["literature", "archive", "web"])),
                "citation": maybe(draw, text),
                "url": maybe(
                    draw, st.from_regex(r"https://example\.org/[a-z0-9/]{0,12}", fullmatch=True)
                ),
                "year": maybe(draw, st.integers(1000, 2100)),
            }
        ),
    }
    for key, entry in lists.items():
        count = draw(st.integers(0, 2))
        if count:
            record[key] = [entry() for _ in range(count)]
    if draw(st.booleans()):
        transmission = drop_none(
            {
                "modes": maybe(draw, unique(st, enum("/transmission/modes/0"))),
                "description": maybe(
                    draw, st.builds(lambda: None).map(lambda _: by_language(draw))
                ),
            }
        )
        if transmission:
            record["transmission"] = transmission
    if draw(st.booleans()):
        viability: dict[str, Any] = {
            "status": draw(st.sampled_from(enum("/viability/status"))),
            "assessed": draw(day),
            "assessed_by": maybe(draw, text),
        }
        threats = draw(st.integers(0, 2))
        if threats:
            viability["threats"] = [
                drop_none(
                    {
                        "threat": draw(text),
                        "kind": maybe(draw, st.sampled_from(enum("/viability/threats/0/kind"))),
                    }
                )
                for _ in range(threats)
            ]
        record["viability"] = drop_none(viability)
    return record


def coordinates() -> Any:
    return st.builds(
        lambda lat, lon, accuracy: drop_none(
            {"latitude": lat, "longitude": lon, "accuracy": accuracy}
        ),
        st.floats(-90, 90).map(lambda x: round(x, 6)),
        st.floats(-180, 180).map(lambda x: round(x, 6)),
        st.none() | st.floats(0, 5000).map(lambda x: round(x, 1)),
    )


class World:
    """The test inventory and its form (a short repr: hypothesis shows it on failure)."""

    def __init__(self, found: ichinv_settings.Settings, xlsx: bytes, exports: Path) -> None:
        self.settings, self.xlsx, self.exports = found, xlsx, exports

    def __repr__(self) -> str:
        return f"World({self.settings.root})"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = build_inventory(tmp_path_factory.mktemp("law") / "inventory")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    found = ichinv_settings.load(root)
    made = xlsform.make(found, form_texts(found), ["kk", "ru", "en"])
    return World(found, made.workbook(), tmp_path_factory.mktemp("exports"))


WRITERS = {"central-zip": central_zip, "central-json": central_json, "kobo-json": kobo_json}


@settings(
    max_examples=examples(15, 40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    record=records(),
    kind=st.sampled_from(sorted(WRITERS)),
    lang=st.sampled_from(["kk", "ru", "en"]),
)
def test_a_record_sent_from_the_form_imports_back_to_itself(
    world: World, record: dict[str, Any], kind: str, lang: str
) -> None:
    found, xlsx = world.settings, world.xlsx
    whole = {
        **record,
        "id": "KZ-2026-0001",
        "status": "active",
        "provenance": {**record["provenance"], "sources": [{"list": "community-inventory"}]},
    }
    assert SCHEMA.is_valid(whole), list(SCHEMA.raw_errors(whole))[:1]
    spec = form_spec.build(SCHEMA)
    answers = odk_answers.answers_of(spec, record, lang)
    path = world.exports / ("export.zip" if kind == "central-zip" else "export.json")
    path.write_bytes(
        WRITERS[kind](xlsx, [Sent("uuid:0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", answers)])
    )
    (draft,) = odk.plan(found, path).drafts
    assert draft.outcome is odk.Outcome.NEW
    assert draft.language == lang
    data, _ = strict_yaml.load(draft.text.encode("utf-8"))
    back = json.loads(json.dumps(data))
    assert back.pop("status") == "active"
    assert back.pop("id").startswith("KZ-")
    sources = back["provenance"].pop("sources")
    assert sources[0]["row"] == "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
    assert back == record
