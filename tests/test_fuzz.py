"""Fuzzing: load → validate → diff → render over generated and mutated records.

Records come from the element schema itself (a small generator of JSON Schema instances, below:
hypothesis-jsonschema is not a dependency), then are written as YAML and mutated byte by byte.
Properties: no step raises anything but IchinvError, and no public rendering (packet, diff)
holds a contact.

Short by default (CI); longer with `ICHINV_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ichinv.core.errors import IchinvError
from ichinv.core.model import Record, RecordKind
from ichinv.inventory import audience as redact
from ichinv.inventory import overlay
from ichinv.inventory.policy import policy_for
from ichinv.io import strict_yaml as yamlload
from ichinv.packets.builder import Request
from ichinv.schemas import loader as schemas
from ichinv.validate import file_check
from tests.support.helpers import REPO_ROOT, element_data

EXAMPLES = int(os.environ.get("ICHINV_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SCHEMA = json.loads((REPO_ROOT / "schema" / "element.schema.json").read_text("utf-8"))
DAY = dt.date(2026, 11, 25)

# Generated records can be large; hypothesis warns when it prints one (only on failure).
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

# --- instances of a JSON Schema ----------------------------------------------------------------

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=30
) | st.sampled_from(["Айтыс", "Наурыз", "Aitys", "yes", "no", "010", "null", "- x", "a: b", "#"])


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**SCHEMA["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def instances(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that mostly satisfy `node` (a subset of JSON Schema 2020-12: what our schemas
    use), with a little noise so that the validator's error paths are fuzzed too."""
    node = _resolve(node)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        if not properties and "patternProperties" in node:
            (pattern, sub), *_ = node["patternProperties"].items()
            return st.dictionaries(
                st.from_regex(pattern, fullmatch=True).filter(lambda k: len(k) < 12),
                instances(sub, depth + 1),
                min_size=node.get("minProperties", 0),
                max_size=3,
            )
        fields = {
            key: instances(sub, depth + 1)
            for key, sub in properties.items()
            if depth < 4 or key in required
        }
        return st.fixed_dictionaries(
            {k: v for k, v in fields.items() if k in required},
            optional={k: v for k, v in fields.items() if k not in required},
        )
    if kind == "array":
        return st.lists(
            instances(node.get("items", {}), depth + 1),
            min_size=node.get("minItems", 0),
            max_size=min(node.get("maxItems", 3), 3),
        )
    if kind == "string":
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True).filter(
                lambda s: "\n" not in s and len(s) < 60
            )
        return TEXT
    if kind == "integer":
        return st.integers(node.get("minimum", -(10**6)), node.get("maximum", 10**6))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return st.none() | st.booleans() | TEXT  # pragma: no cover - untyped parts


ELEMENTS = instances(SCHEMA)


@st.composite
def records(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """A record from the schema (or, half the time, a valid one with schema-made parts), with
    contacts that carry unmistakable markers; returns the record and the markers."""
    if draw(st.booleans()):
        data = draw(ELEMENTS)
    else:
        data = element_data("KZ-2013-0099")
        for key in sorted(draw(st.sets(st.sampled_from(sorted(SCHEMA["properties"])), max_size=4))):
            data[key] = draw(instances(SCHEMA["properties"][key]))
    data["id"] = "KZ-2013-0099"
    markers: set[str] = set()
    count = draw(st.integers(0, 3))
    if count:
        contacts = []
        for number in range(count):
            name, mail = f"Zqname{number}x Testov", f"zqmail{number}x@example.org"
            markers |= {f"Zqname{number}x", f"zqmail{number}x"}
            contacts.append(
                {"name": name, "role": "bearer", "email": mail, "phone": "+7 700 000 00 00"}
            )
        data["contacts"] = contacts
    return data, markers


def dump(data: dict[str, Any]) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """`raw` with a few byte-level edits: the slips of editors and the tricks of attackers."""
    out = bytearray(raw)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(out) - 1, 0)))
        action = draw(st.sampled_from(["delete", "insert", "flip", "duplicate", "swap"]))
        if action == "delete" and out:
            del out[where : where + draw(st.integers(1, 8))]
        elif action == "insert":
            out[where:where] = draw(
                st.sampled_from(
                    [
                        b"\t",
                        b"\x00",
                        b": ",
                        b"- ",
                        b"&a ",
                        b"*a",
                        b"!!python/name:os.system ",
                        b"{",
                        b"[",
                        b"'",
                        b'"',
                        b"\r",
                        b"\xc2\x85",
                        b"\xe2\x80\xae",
                        b"\xff",
                        b"\n  ",
                        b"\n---\n",
                        b"%YAML 1.1\n",
                        b"<<: ",
                        b"? ",
                        b"\\u0000",
                        b"9" * 400,
                    ]
                )  # fmt: skip
            )
        elif action == "flip" and out:
            out[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "duplicate":
            line_start = out.rfind(b"\n", 0, where) + 1
            line_end = out.find(b"\n", where)
            line_end = len(out) if line_end < 0 else line_end + 1
            out[line_end:line_end] = out[line_start:line_end]
        elif action == "swap":
            lines = bytes(out).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            out = bytearray(b"\n".join(lines))
    return bytes(out)


# --- the pipeline --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from ichinv.diff import compare as comparison
    from ichinv.diff import engine as diffing
    from ichinv.io import settings as settings_module
    from ichinv.packets import api as packets
    from ichinv.render.markdown import labels as i18n
    from ichinv.render.markdown import templates as markdown
    from tests.support.helpers import build_inventory

    root = build_inventory(tmp_path_factory.mktemp("fuzz") / "inventory")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    config = settings_module.load(root)
    schema_set = schemas.load(config.schema_dir)
    labels = i18n.load(REPO_ROOT / "templates", "en")
    render = markdown.Renderer(REPO_ROOT / "templates", labels)
    rules = comparison.inventory_rules(config, [])
    return config, schema_set, labels, render, packets, diffing, rules


def run_pipeline(pipeline: Any, raw: bytes, base: dict[str, Any]) -> str:
    """load → validate → diff against `base` → render (public); returns everything public."""
    from ichinv.core.model import DiffResult
    from ichinv.render.diff import RENDERERS as DIFF_RENDERERS

    config, schema_set, labels, render, packets, diffing, rules = pipeline
    from ichinv.diff import public as comparison

    try:
        check = file_check.check_file(
            RecordKind.ELEMENT, "elements/KZ-2013-0099.yaml", raw, schema_set, config.root, DAY
        )
        public = file_check.check_file(
            RecordKind.ELEMENT,
            "elements/KZ-2013-0099.yaml",
            raw,
            schema_set,
            config.root,
            DAY,
            public=True,
        )
        assert all(f.line is not None for f in check.findings if f.rule.startswith("yaml."))
        assert len(public.findings) >= len(check.findings) - sum(
            f.rule == "schema.required" for f in check.findings
        )
        try:
            data, _ = yamlload.load(raw)
        except yamlload.LoadError:
            return ""
        elements = diffing.diff_data({"KZ-2013-0099": base}, {"KZ-2013-0099": data}, rules)
        path = "elements/KZ-2013-0099.yaml"
        old, new = Record(RecordKind.ELEMENT, path, base), Record(RecordKind.ELEMENT, path, data)
        # What `diff` and `diff-2013` print for the public (the default audience).
        elements = comparison.public_elements(
            elements,
            {path: old},
            {path: new},
            None,  # no record of today: two revisions are not compared (no --against)
            policy_for(config.schema_dir),
            rules,
            overlay.for_public(config),
        )
        result = DiffResult("inventory-2013", "0" * 40, "working-tree", elements)
        shown = [renderer(result) for renderer in DIFF_RENDERERS.values()]
        # The element dossier and the index, through the use case `ichinv packet` calls.
        (config.root / "elements" / "KZ-2013-0099.yaml").write_bytes(raw)
        for request in (Request(elements=("KZ-2013-0099",)), Request()):
            shown.extend(packet.text for packet in packets.packets(config, request))
        return "\n".join(shown)
    except IchinvError:
        return ""


@given(records())
@FUZZ
def test_records_from_the_schema(pipeline: Any, generated: tuple[dict[str, Any], set[str]]) -> None:
    data, markers = generated
    public = run_pipeline(pipeline, dump(data), element_data("KZ-2013-0099"))
    assert not [m for m in markers if m in public]


@given(records(), st.data())
@FUZZ
def test_mutated_records(
    pipeline: Any, generated: tuple[dict[str, Any], set[str]], draw: st.DataObject
) -> None:
    data, markers = generated
    raw = draw.draw(mutated(dump(data)))
    public = run_pipeline(pipeline, raw, data)
    # A mutation may turn `contacts` into another key: only a surviving contacts list is
    # personal data by definition; markers elsewhere are then ordinary text.
    try:
        parsed, _ = yamlload.load(raw)
    except yamlload.LoadError:
        return
    kept = {m for m in markers if m in json.dumps(parsed.get("contacts"), ensure_ascii=False)}
    outside = json.dumps({k: v for k, v in parsed.items() if k != "contacts"}, ensure_ascii=False)
    assert not [m for m in kept if m in public and m not in outside]


@given(st.binary(max_size=400))
@FUZZ
def test_arbitrary_bytes(pipeline: Any, raw: bytes) -> None:
    run_pipeline(pipeline, raw, element_data("KZ-2013-0099"))


def test_the_generator_makes_valid_records_often(pipeline: Any) -> None:
    """Guard against a generator that only ever fuzzes the error paths."""
    _, schema_set, *_ = pipeline
    valid = 0
    examples = []

    @given(ELEMENTS)
    @settings(
        max_examples=min(200, 3 * EXAMPLES),  # 60 by default, 200 in .ci/run's longer fuzzing
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def collect(data: dict[str, Any]) -> None:
        examples.append(data)

    collect()
    for data in examples:
        if schema_set[RecordKind.ELEMENT].is_valid(data):
            valid += 1
    assert valid >= len(examples) // 4, (valid, len(examples))


def test_markers_would_be_caught() -> None:
    """The leak check is real: a committee rendering of the same record shows the markers."""
    data = element_data("KZ-2013-0099", contacts=[{"name": "Zqname0x Testov", "role": "bearer"}])
    assert re.search("Zqname0x", json.dumps(redact.committee_view(data)))
    assert not re.search("Zqname0x", json.dumps(redact.public_view(data)))


def test_the_readme_says_how_to_fuzz_longer() -> None:
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    assert f"ICHINV_FUZZ_EXAMPLES=5000 python -m pytest tests/{Path(__file__).name}" in readme


def test_the_pipeline_renders_a_valid_record(pipeline: Any) -> None:
    """Guard against a pipeline that stops early (an IchinvError) on every input."""
    data = element_data("KZ-2013-0099", contacts=[{"name": "Zqname0x Testov", "role": "bearer"}])
    public = run_pipeline(pipeline, dump(data), element_data("KZ-2013-0099"))
    assert "Element KZ-2013-0099" in public  # the dossier
    assert "/contacts" in public  # the diff says contacts changed…
    assert "Zqname0x" not in public  # …never to what


SECRET_PLACE = "Zqsecret grove"
PARTS_OVER_THE_SECRET = ["/locations", "/locations/1", "/locations/1/place", "/locations/*/place"]


@given(
    st.sampled_from(PARTS_OVER_THE_SECRET),
    st.lists(st.sampled_from(["/description", "/description/en", "/names/en"]), max_size=2),
    st.integers(2, 4),
)
@FUZZ
def test_restricted_parts_by_pointer_are_found_and_withheld(
    pipeline: Any, part: str, others: list[str], places: int
) -> None:
    """A restricted part may name a list item (`/locations/1`) as well as a field: validate
    finds it (no false "does not exist"), and public output never shows it."""
    locations = [{"place": f"Open square {n}", "province": "KZ-43"} for n in range(places)]
    locations[1]["place"] = SECRET_PLACE
    parts = list(dict.fromkeys([part, *others]))
    access = {"level": "restricted", "restricted_parts": parts, "reason": "Sacred site."}
    data = element_data("KZ-2013-0099", locations=locations, access=access)
    raw = dump(data)
    config, schema_set, *_ = pipeline
    check = file_check.check_file(
        RecordKind.ELEMENT, "elements/KZ-2013-0099.yaml", raw, schema_set, config.root, DAY
    )
    assert [f for f in check.findings if f.rule == "access.parts"] == []
    public = run_pipeline(pipeline, raw, element_data("KZ-2013-0099"))
    assert "# Element dossier: KZ-2013-0099" in public  # the pipeline reached the packet
    assert "Zqsecret" not in public
