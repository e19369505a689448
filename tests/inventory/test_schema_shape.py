"""The public view shows only what has the schema's shape: a contact an editor put where the
schema has no field for it (a documentation item, a quoted `"<<"` key, the name of a key, a
mapping where a text belongs) is withheld until the record is fixed, and nothing about it,
not even the name of its key, reaches a public view, a public change or a finding."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, Finding, RecordKind
from ichinv.core.vocabulary import reads_as_key
from ichinv.inventory import audience as redact
from ichinv.inventory import changes_view, redaction
from ichinv.inventory.audience import Why, Withheld
from ichinv.inventory.plaindata import Misfit, fitted, plain
from ichinv.inventory.policy import Policy, policy_for
from ichinv.io import strict_yaml
from ichinv.schemas import loader
from ichinv.schemas.keywords import shape_of
from ichinv.schemas.shape import ANYTHING, NOTHING, Out, Shape, fits, out_of_shape, unknown_parts
from tests.inventory.test_audience import records
from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, examples
from tests.support.schema_strategies import DATA, schemas

POLICY = policy_for(REPO_ROOT / "schema")
"""The policy of the repository's own schemas (personal data and shapes)."""

SHAPELESS = Policy(POLICY.personal)
"""The same policy without shapes: what the views were before shapes."""


def _finding(message: str, pointer: str, rule: str = "schema.additionalProperties") -> Finding:
    """A finding of validate about the element file of these tests."""
    return Finding(
        path="elements/KZ-2026-0001.yaml",
        rule=rule,
        severity="error",  # type: ignore[arg-type]
        message=message,
        pointer=pointer,
    )


def public_text(data: Any) -> str:
    return json.dumps(redact.public_view(data, policy=POLICY), ensure_ascii=False)


@pytest.mark.parametrize("which", sorted(d.MISPLACED))
def test_a_misplaced_contact_is_withheld_from_the_public_and_shown_to_the_committee(
    which: str,
) -> None:
    data = d.misplaced_element(which=which)
    secret = d.MISPLACED[which]
    assert secret not in public_text(data)
    assert any(p.why is Why.UNKNOWN for p in redact.withheld_parts(data, policy=POLICY))
    assert secret in json.dumps(redact.committee_view(data), ensure_ascii=False)


def test_the_committee_is_pointed_at_each_part_the_schema_has_no_place_for() -> None:
    """Where a public view withholds the mapping holding an unknown key (`unknown_parts`),
    the committee's `show` lists the key itself, with its value, and a mapping where a text
    belongs (an outside review found it dropped: the committee's walk did not look at it)."""
    shape = POLICY.shapes[RecordKind.ELEMENT]
    data = d.misplaced_element()
    found = [(where, out) for where, out in out_of_shape(data, shape) if out is not Out.VALUE]
    assert found == [
        ("/names/note", Out.KEY),
        ("/description/en", Out.KIND),
        ("/documentation/0/contacts", Out.KEY),
        ("/<<", Out.KEY),
        (f"/{d.MISPLACED['key-name']}", Out.KEY),
    ]
    assert list(out_of_shape(d.element("KZ-2026-0001"), shape)) == []


@pytest.mark.parametrize(
    ("which", "withheld"),
    [
        ("documentation", "/documentation/0"),
        ("names", "/names"),
        ("wrong-type", "/description/en"),
    ],
)
def test_the_part_holding_it_is_replaced_by_a_note_and_the_rest_stays_public(
    which: str, withheld: str
) -> None:
    data = d.misplaced_element(which=which)
    public = redact.public_view(data, policy=POLICY)
    note: Any = public
    for key in withheld.strip("/").split("/"):
        note = note[int(key)] if isinstance(note, list) else note[key]
    assert isinstance(note, Withheld) and note.why is Why.UNKNOWN
    assert str(note) == "[withheld: not in the schema's form]"
    assert public["provenance"] == data["provenance"]  # the rest is as it was


@pytest.mark.parametrize("which", ["merge-key", "key-name"])
def test_a_top_level_key_the_schema_does_not_know_leaves_only_the_identification(
    which: str,
) -> None:
    data = d.misplaced_element(which=which)
    public = redact.public_view(data, policy=POLICY)
    assert "<<" not in public and d.MISPLACED["key-name"] not in public  # not even the name
    assert public["names"] == data["names"] and public["id"] == data["id"]
    assert isinstance(public["description"], Withheld)
    whole = [p for p in redact.withheld_parts(data, policy=POLICY) if p.pointer == "*"]
    assert [p.why for p in whole] == [Why.UNKNOWN]


def test_records_in_the_schemas_shape_have_the_same_public_view_as_before() -> None:
    """Every record of the repository's own inventory: shapes change nothing for them."""
    found = [
        (kind, path)
        for kind, folder in ((RecordKind.ELEMENT, "elements"), (RecordKind.PROVINCE, "provinces"))
        for path in sorted((REPO_ROOT / folder).glob("*.yaml"))
    ]
    assert len(found) > 80
    for kind, path in found:
        data, __ = strict_yaml.load(path.read_bytes())
        parts = redact.withheld_parts(data, kind=kind, policy=POLICY)
        assert not [p for p in parts if p.why is Why.UNKNOWN], path
        assert redact.public_view(data, kind=kind, policy=POLICY) == redact.public_view(
            data, kind=kind, policy=SHAPELESS
        )


def test_a_misplaced_contact_in_a_restricted_or_personal_part_adds_nothing() -> None:
    """Inside contacts (dropped anyway) or a restricted part (a note already), no second part:
    a public page must not say how contacts are made up."""
    contacts = [{"name": "A. Bearer", "role": "bearer", "pager": "+7 700 000 00 43"}]
    data = d.element(
        "KZ-2026-0001",
        contacts=contacts,
        transmission={"modes": ["family"], "secret": "rite"},
        access={"level": "restricted", "restricted_parts": ["/transmission"], "reason": "x"},
    )
    parts = redact.withheld_parts(data, policy=POLICY)
    assert [p.why for p in parts if p.why is Why.UNKNOWN] == []
    assert "+7 700 000 00 43" not in public_text(data)


def test_public_changes_never_name_an_unknown_key() -> None:
    old = d.element("KZ-2026-0001")
    new = d.misplaced_element("KZ-2026-0001")
    changes = (
        Change("/" + d.MISPLACED["key-name"], ChangeKind.ADDED, new=1),
        Change("/<<", ChangeKind.ADDED, new={"contacts": []}),
        Change("/documentation", ChangeKind.ADDED, new=new["documentation"]),
        Change("/description/en", ChangeKind.CHANGED, old="x", new={"phone": "y"}),
    )
    shown = changes_view.public_changes(changes, before=old, after=new, policy=POLICY)
    text = repr(shown)
    assert "<<" not in text and d.MISPLACED["key-name"] not in text
    assert d.MISPLACED["wrong-type"] not in text and d.MISPLACED["documentation"] not in text
    assert [c.pointer for c in shown] == ["/documentation", "/description"]
    assert all(c.withheld for c in shown)


def test_a_finding_quoting_a_key_that_may_be_a_contact_loses_its_words() -> None:
    data = d.misplaced_element(which="key-name")
    key = d.MISPLACED["key-name"]
    finding = _finding(f"unknown field `{key}` in the record", "/" + key)
    shown = redaction.unquoted_finding(finding, data, policy=POLICY)
    assert key not in shown.message + str(shown.hint) + shown.pointer
    # A key that reads as a field name is named, so that an editor can fix it.
    named = dict(data)
    named.pop(key)
    named["names_x"] = "y"
    typo = _finding("unknown field `names_x` in the record", "/names_x")
    assert redaction.unquoted_finding(typo, named, policy=POLICY) == typo


@pytest.mark.parametrize("key", ["Zhanar_Bekova", "zhanar.b@example.org", "+7 700 000 00 44"])
def test_a_nested_key_that_may_be_personal_data_is_neither_quoted_nor_pointed_at(key: str) -> None:
    data = d.element("KZ-2026-0001", locations=[{"place": "A grove", key: "x"}])
    finding = _finding(f"unknown field `{key}` in item 1 of `locations`", "/locations/0/" + key)
    shown = redaction.unquoted_finding(finding, data, policy=POLICY)
    assert key not in shown.message + str(shown.hint) + shown.pointer
    assert shown.pointer == "/locations/0"


def test_nameable_keeps_field_names_indices_and_language_tags_only() -> None:
    assert redaction.nameable("/names/kk-Latn") == "/names/kk-Latn"
    assert redaction.nameable("/locations/3/place") == "/locations/3/place"
    assert redaction.nameable("/locations/0/Zhanar/place") == "/locations/0"
    assert redaction.nameable("/a@example.org") == ""


# --- the shape of a schema ------------------------------------------------------------------------


def test_a_shape_allows_what_its_schema_allows_and_no_more() -> None:
    shape = shape_of(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string"},
                "items": {"type": "array", "items": {"type": "integer"}},
                "free": {"type": "object"},
                "either": {"anyOf": [{"type": "string"}, {"type": "object"}]},
            },
            "patternProperties": {"^x_": {"type": "string"}},
        }
    )
    assert list(unknown_parts({"text": "a", "x_ab": "b", "free": {}}, shape)) == []
    # A key only a pattern allows is published where it reads as a field name: `x-1` may be
    # anything a pattern lets through (`^x-` lets `x-zq@example.org` through).
    assert list(unknown_parts({"text": "a", "x_ab": "b", "x-1": "c"}, shape)) == [""]
    # A key only an open mapping allows is named by no schema: its mapping is withheld (an
    # outside review found `{"type": "object"}` holding `{"email": …}` published).
    assert list(unknown_parts({"free": {"email": "zq@example.org"}}, shape)) == ["/free"]
    # A combinator that may hold a mapping is not worked out: what it holds is withheld (a
    # public view printed it, contacts included, found by an outside review).
    assert list(unknown_parts({"either": {"k": 1}}, shape)) == ["/either"]
    assert list(unknown_parts({"other": 1, "text": {"k": 1}}, shape)) == ["", "/text"]
    assert list(unknown_parts({"items": [1, [2], {"a": 1}]}, shape)) == ["/items/1", "/items/2"]
    assert shape_of({"anyOf": []}) is NOTHING and not shape_of(True).complete
    for unusable in ({"allOf": [{"type": "object"}]}, {"type": "objekt"}, {"pattern": "("}):
        assert shape_of(unusable) is NOTHING
    year_or_date = shape_of(
        {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}]}
    )
    assert year_or_date.allows(1991) and year_or_date.allows("1991-12")
    assert not year_or_date.allows("zq@example.org") and not year_or_date.mapping


def test_the_repository_schemas_have_shapes() -> None:
    for kind in RecordKind:
        schema = loader.load_schema(kind, REPO_ROOT / "schema" / f"{kind.value}.schema.json")
        assert schema.shape is not ANYTHING and schema.shape.child("zq@example.org") is None
        # Every record valid against them is in their shape: `validate` relies on it.
        assert schema.shape.complete


def _mappings(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every mapping of `record`, itself included: where a test plants a value."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
        if isinstance(node, dict | list):
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found


KEYS = st.sampled_from(["contacts", "<<", "note", "z@example.org", "Ｅmail", "0", "~1/"])


@given(records(), st.data())
@settings(max_examples=100, deadline=None)
def test_what_a_public_view_withholds_as_unknown_is_what_the_committee_is_shown(
    generated: tuple[dict[str, Any], set[str], set[str]], data: st.DataObject
) -> None:
    """One walk of the shape for both: every part out of it lies in a part the public view
    withholds, and every such part holds one (they disagreed on a mapping where a text
    belongs: withheld from the public, shown to nobody)."""
    record = generated[0]
    for __ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(_mappings(record)))
        name = data.draw(KEYS if data.draw(st.booleans()) else st.sampled_from(sorted(target)))
        target[name] = data.draw(st.sampled_from([{"email": "zq@example.org"}, ["a"], "b", 1]))
    shape = POLICY.shapes[RecordKind.ELEMENT]
    parts = [pointers.split(p) for p in unknown_parts(record, shape)]
    out = [pointers.split(p) for p, __ in out_of_shape(record, shape)]
    for where in out:
        assert any(where[: len(part)] == part for part in parts), (where, parts)
    for part in parts:
        assert any(where[: len(part)] == part for where in out), (part, out)


@given(records(), st.data())
@settings(max_examples=150, deadline=None)
def test_no_public_view_holds_a_contact_planted_anywhere(
    generated: tuple[dict[str, Any], set[str], set[str]], data: st.DataObject
) -> None:
    """A mapping holding a contact, planted under any key of any mapping of a record or in
    place of any of its values: the schema has no place for it, the public never sees it."""
    record, contact_secrets, restricted_secrets = generated
    target = data.draw(st.sampled_from(_mappings(record)))
    key = data.draw(KEYS)
    planted = "zqplanted@example.org"
    if data.draw(st.booleans()):
        target[key] = {"email": planted, key: planted}
    else:
        name = data.draw(st.sampled_from(sorted(k for k in target if k != "id")))
        target[name] = {"email": planted, key: planted}
    text = json.dumps(redact.public_view(record, policy=POLICY), ensure_ascii=False)
    assert planted not in text
    assert key not in redact.public_view(record, policy=POLICY) or key == "contacts"
    assert not [s for s in contact_secrets | restricted_secrets if s in text]


@pytest.mark.parametrize("secret", ['LEAK63"x@example.org', "LEAK67\tx@example.org"])
def test_a_finding_quoting_an_escaped_withheld_text_loses_its_words(secret: str) -> None:
    # An outside test: a value the message escapes (a quotation mark, a tab) was not
    # recognised as the withheld text it quotes.
    data = d.element("KZ-2026-0001", viability={"status": secret, "email": "x"})
    finding = _finding(
        f"`viability.status` is {json.dumps(secret)}, not one of the statuses",
        "/viability/status",
        rule="schema.enum",
    )
    shown = redaction.unquoted_finding(finding, data, policy=POLICY)
    assert "LEAK6" not in shown.message


@pytest.mark.parametrize("listed", ["/access/reason", "/access", "/access/decided_by"])
def test_an_access_that_lists_itself_publishes_neither_its_reason_nor_who_decided(
    listed: str,
) -> None:
    """An outside test: restricted_parts: [/access/reason] withheld the rest of the record,
    and every note quoted the reason it asked to hide."""
    access = {"level": "restricted", "restricted_parts": [listed], "reason": "LEAK13 reason",
              "decided_by": "LEAK14 elder"}  # fmt: skip
    data = d.element("KZ-2026-0001", access=access)
    text = public_text(data)
    assert "LEAK13" not in text and "LEAK14" not in text
    assert redact.public_view(data, policy=POLICY)["access"]["level"] == "restricted"
    old = d.element("KZ-2026-0001", access=access | {"reason": "LEAK15 older"})
    shown = changes_view.public_changes(
        (Change("/access/reason", ChangeKind.CHANGED, old="LEAK15 older", new="LEAK13 reason"),),
        before=old,
        after=data,
        policy=POLICY,
    )
    assert "LEAK1" not in repr(shown) and shown[0].withheld


def test_a_text_where_the_schema_wants_a_number_is_withheld() -> None:
    data = d.element("KZ-2026-0001") | {"schema_version": "LEAK12@example.org"}
    assert "LEAK12" not in public_text(data)
    assert isinstance(redact.public_view(data, policy=POLICY)["schema_version"], Withheld)


@given(records(), st.data())
@settings(max_examples=150, deadline=None)
def test_the_one_pass_copy_is_the_copy_and_the_check_of_two(
    generated: tuple[dict[str, Any], set[str], set[str]], data: st.DataObject
) -> None:
    """`plaindata.fitted` copies a record and finds it in its schema's shape in one pass: the
    copy is `plain`'s, and it refuses exactly the records `fits` refuses (one with a value
    planted anywhere that the schema may not allow there, or may)."""
    record = generated[0]
    shape = POLICY.shapes[RecordKind.ELEMENT]
    if data.draw(st.booleans()):
        containers = [record, *(v for v in record.values() if isinstance(v, dict))]
        target = data.draw(st.sampled_from(containers))
        target[data.draw(KEYS | st.sampled_from(sorted(target)))] = data.draw(
            st.sampled_from(["active", 3, None, ["x"], {"en": "x"}, "not-a-domain", True])
        )
    if fits(record, shape):
        copy = fitted(record, shape)
        assert copy == plain(record) and copy is not record
        assert json.dumps(copy) == json.dumps(plain(record))  # the same order of keys too
    else:
        with pytest.raises(Misfit):
            fitted(record, shape)


def _valid_elements() -> list[dict[str, Any]]:
    """Records valid against the element schema: the repository's and generated ones."""
    from benchmarks.generate import element

    texts = [p.read_bytes() for p in sorted((REPO_ROOT / "elements").glob("*.yaml"))]
    texts += [element(n, revision=n % 3).encode() for n in range(40)]
    found = [strict_yaml.load(raw)[0] for raw in texts]
    return [data for data in found if ELEMENT_SCHEMA.is_valid(data)]


ELEMENT_SCHEMA = loader.load_schema(
    RecordKind.ELEMENT, REPO_ROOT / "schema" / "element.schema.json"
)
VALID = _valid_elements()


@given(st.sampled_from(range(len(VALID))), st.data())
@settings(max_examples=examples(100, 300), deadline=None)
def test_law_a_record_valid_against_its_schema_is_in_its_shape(
    number: int, data: st.DataObject
) -> None:
    """`validate` skips the shape check of the records its schema check passed (a fifth of a
    cold run's record rules): that is sound only while the shape never refuses what the
    schema allows. Valid records, and records with a value planted anywhere (valid or not)."""
    shape = POLICY.shapes[RecordKind.ELEMENT]
    record = json.loads(json.dumps(VALID[number]))
    if data.draw(st.booleans()):
        target = data.draw(st.sampled_from(_mappings(record)))
        key = data.draw(KEYS | st.sampled_from(sorted(target)))
        target[key] = data.draw(
            st.sampled_from(["active", 3, None, ["x"], {"en": "x"}, "KZ-23", "2024-01-01", True])
        )
    if ELEMENT_SCHEMA.is_valid(record):
        assert fits(record, shape)
        assert list(unknown_parts(record, shape)) == []


def test_the_valid_records_of_the_law_are_many() -> None:
    assert len(VALID) >= 100


@given(schemas(), DATA)
@example(
    {"type": "array", "prefixItems": [{"type": "string"}], "items": {"pattern": "^KZ-"}},
    ["zq@example.org", "KZ-23"],  # found by an outside review: the shape withheld item 0
)
@example({"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}, ["a", 1])
@settings(max_examples=examples(100, 500), deadline=None)
def test_law_a_shape_never_refuses_what_its_schema_allows(schema: Any, data: Any) -> None:
    """The premise of `validate` skipping the shape check of records its schema passed, for
    any schema a committee may write (draft 2020-12, as ichinv validates, and draft 7, as the
    compiled validator reads one): a shape refusing a valid value would let it be quoted."""
    from jsonschema import Draft7Validator, Draft202012Validator
    from jsonschema.exceptions import SchemaError

    shape = shape_of(schema)
    for validator in (Draft202012Validator, Draft7Validator):
        try:
            validator.check_schema(schema)
        except SchemaError:
            continue  # no schema in that draft (`items: []` in 2020-12): ichinv refuses it
        try:
            valid = validator(schema).is_valid(data)
        except (TypeError, AttributeError):
            continue  # jsonschema's own failures on odd draft 7 schemas (`items: false`)
        if valid and _named_as_keys(data):
            # Refused only where the shape is not complete (NOTHING, a mapping open to keys
            # no schema names): withheld, never quoted.
            refused = list(unknown_parts(data, shape))
            assert all(_incomplete(shape, where) for where in refused), (schema, data)
            assert fits(data, shape) or refused, (validator.__name__, schema, data)
            assert fits(data, shape) or not shape.complete, (schema, data)


def _named_as_keys(data: Any) -> bool:
    """Whether every key in `data` reads as a field name or a language tag (a key that does
    not, a pattern may let through, and a public view withholds it: `Shape.child`)."""
    if isinstance(data, dict):
        return all(reads_as_key(k) and _named_as_keys(v) for k, v in data.items())
    return all(_named_as_keys(v) for v in data) if isinstance(data, list) else True


def _incomplete(shape: Shape, where: str) -> bool:
    """Whether the part of `shape` at `where` is not complete (or lies under NOTHING)."""
    node: Shape | None = shape
    for part in where.split("/")[1:]:
        if node is None or node is NOTHING:
            return True
        node = node.items if part.isdigit() and node.sequence else node.child(part)
    return node is None or not node.complete
