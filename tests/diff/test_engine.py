"""The diff engine, without git: statuses, field changes, keyed lists, re-mappings, laws."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core.model import Change, ChangeKind, ElementStatus, Finding, Record, RecordKind
from ichinv.diff import compare as comparison
from ichinv.diff import engine as diffing
from ichinv.diff.fields import diff_records, word_diff
from ichinv.inventory.changes_view import public_changes
from ichinv.schemas import loader as schemas
from tests.support.helpers import REPO_ROOT, element_data, examples

SCHEMA = schemas.load_schema(
    RecordKind.ELEMENT, REPO_ROOT / "schema" / "element.schema.json", check=False
)
RULES = diffing.DiffRules(
    list_keys=SCHEMA.list_keys,
    successors={"KZ-YUZ": ("KZ-61", "KZ-79"), "KZ-OLD": ("KZ-YUZ",)},
)


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    return [(c.pointer, c.kind.value, c.old, c.new) for c in diff_records(old, new, RULES)]


def record(path: str, data: dict[str, Any]) -> Record:
    return Record(RecordKind.ELEMENT, path, data)


# --- fields --------------------------------------------------------------------------------------


def test_a_record_compared_with_itself_has_no_changes() -> None:
    data = element_data("KZ-2013-0001")
    assert diff_records(data, json.loads(json.dumps(data)), RULES) == ()


def test_an_edited_field_is_one_change_at_its_pointer() -> None:
    old = element_data("KZ-2013-0001")
    new = element_data("KZ-2013-0001", names={**old["names"], "en": "Aitys"})
    assert changes(old, new) == [("/names/en", "changed", "Element KZ-2013-0001", "Aitys")]


def test_added_and_removed_fields() -> None:
    old = element_data("KZ-2013-0001")
    new = element_data("KZ-2013-0001", national_category=None, latin_orthography="2021")
    assert changes(old, new) == [
        ("/latin_orthography", "added", None, "2021"),
        ("/national_category", "removed", "I", None),
    ]


def test_values_of_different_types_differ() -> None:
    assert changes({"a": True}, {"a": 1}) == [("/a", "changed", True, 1)]
    assert changes({"a": "1"}, {"a": 1}) == [("/a", "changed", "1", 1)]
    assert changes({"a": []}, {"a": {}}) == [("/a", "changed", [], {})]


def test_pointers_escape_slash_and_tilde() -> None:
    assert changes({"a/b": 1, "c~d": 1}, {"a/b": 2, "c~d": 2}) == [
        ("/a~1b", "changed", 1, 2),
        ("/c~0d", "changed", 1, 2),
    ]


COMMUNITIES = [
    {"name": "Akyns of Kyzylorda", "kind": "group", "role": "practitioners"},
    {"name": "Union of akyns", "kind": "organisation"},
    {"name": "Dombra school", "kind": "organisation", "role": "transmitters"},
]


def test_reordering_a_keyed_list_changes_nothing() -> None:
    old = element_data("KZ-2013-0001", communities=COMMUNITIES)
    new = element_data("KZ-2013-0001", communities=COMMUNITIES[::-1])
    assert changes(old, new) == []


def test_an_edited_item_of_a_keyed_list_is_a_change_of_that_item_in_the_current_record() -> None:
    edited = [*COMMUNITIES[::-1]]
    edited[2] = {**edited[2], "role": "bearers"}  # "Akyns of Kyzylorda", now last
    old = element_data("KZ-2013-0001", communities=COMMUNITIES)
    new = element_data("KZ-2013-0001", communities=edited)
    assert changes(old, new) == [("/communities/2/role", "changed", "practitioners", "bearers")]


def test_items_added_to_and_removed_from_a_keyed_list() -> None:
    new_item = {"name": "Women's aitys circle", "kind": "group"}
    old = element_data("KZ-2013-0001", communities=COMMUNITIES)
    new = element_data("KZ-2013-0001", communities=[COMMUNITIES[0], new_item, COMMUNITIES[2]])
    assert changes(old, new) == [
        ("/communities/1", "added", None, new_item),
        ("/communities/1", "removed", COMMUNITIES[1], None),
    ]


def test_a_list_keyed_by_two_fields() -> None:
    sources = [
        {"list": "order-50-2013", "order": "Order No. 50"},
        {"list": "other", "url": "https://example.org/a", "note": "first"},
        {"list": "other", "url": "https://example.org/b", "note": "second"},
    ]
    edited = [sources[2], {**sources[1], "note": "first, revised"}, sources[0]]
    old = {"provenance": {"sources": sources}}
    new = {"provenance": {"sources": edited}}
    assert changes(old, new) == [
        ("/provenance/sources/1/note", "changed", "first", "first, revised")
    ]


def test_a_list_whose_items_lack_the_key_is_compared_by_position() -> None:
    old = {"communities": [{"kind": "group"}, {"kind": "community"}]}
    new = {"communities": [{"kind": "group"}, {"kind": "organisation"}]}
    assert changes(old, new) == [("/communities/1/kind", "changed", "community", "organisation")]


def test_lists_of_plain_values_are_compared_as_sets() -> None:
    old = element_data("KZ-2013-0001", domains=["oral-traditions", "performing-arts"])
    reordered = element_data("KZ-2013-0001", domains=["performing-arts", "oral-traditions"])
    replaced = element_data("KZ-2013-0001", domains=["social-practices", "oral-traditions"])
    assert changes(old, reordered) == []
    assert changes(old, replaced) == [
        ("/domains/1", "removed", "performing-arts", None),
        ("/domains/0", "added", None, "social-practices"),
    ]


def test_long_texts_carry_a_word_diff() -> None:
    old = element_data("KZ-2013-0001")
    text = "Improvised poetic duel between two akyns, on the dombra and the kobyz."
    new = element_data("KZ-2013-0001", description={"en": text})
    (change,) = diff_records(old, new, RULES)
    assert change.words == (
        ("=", "Improvised poetic "),
        ("-", "contest"),
        ("+", "duel"),
        ("=", " between two akyns, on the dombra"),
        ("+", " and the kobyz"),
        ("=", "."),
    )
    assert "".join(t for op, t in change.words if op != "+") == old["description"]["en"]
    assert "".join(t for op, t in change.words if op != "-") == text


def test_short_texts_have_no_word_diff() -> None:
    (change,) = diff_records({"a": "short"}, {"a": "shorter"}, RULES)
    assert change.words == ()


@given(st.text(max_size=80), st.text(max_size=80))
def test_a_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    words = word_diff(old, new)
    assert "".join(t for op, t in words if op != "+") == old
    assert "".join(t for op, t in words if op != "-") == new


# --- provinces -----------------------------------------------------------------------------------


def test_a_province_replaced_by_its_successor_is_a_re_mapping() -> None:
    old = element_data("KZ-2013-0001", provinces=["KZ-YUZ"])
    new = element_data("KZ-2013-0001", provinces=["KZ-61"])
    (change,) = diff_records(old, new, RULES)
    assert change == Change("/provinces/0", ChangeKind.CHANGED, "KZ-YUZ", "KZ-61", remapped=True)
    assert diffing.classify(old, new, [change]) is ElementStatus.UNCHANGED


def test_a_split_province_maps_to_all_its_successors() -> None:
    old = element_data("KZ-2013-0001", provinces=["KZ-43", "KZ-YUZ"])
    new = element_data("KZ-2013-0001", provinces=["KZ-43", "KZ-61", "KZ-79"])
    found = diff_records(old, new, RULES)
    assert [(c.pointer, c.kind.value, c.remapped) for c in found] == [
        ("/provinces/1", "changed", True),
        ("/provinces/2", "added", True),
    ]


def test_successors_are_followed_through_several_re_mappings() -> None:
    old = element_data("KZ-2013-0001", provinces=["KZ-OLD"])
    new = element_data("KZ-2013-0001", provinces=["KZ-79"])
    assert [c.remapped for c in diff_records(old, new, RULES)] == [True]


def test_moving_to_an_unrelated_province_is_a_substantive_change() -> None:
    old = element_data("KZ-2013-0001", provinces=["KZ-YUZ"])
    new = element_data("KZ-2013-0001", provinces=["KZ-23"])
    found = diff_records(old, new, RULES)
    assert [(c.kind.value, c.remapped) for c in found] == [("removed", False), ("added", False)]
    assert diffing.classify(old, new, found) is ElementStatus.REVISED


def test_a_re_mapping_next_to_a_real_edit_keeps_the_element_revised() -> None:
    old = element_data("KZ-2013-0001", provinces=["KZ-YUZ"])
    new = element_data("KZ-2013-0001", provinces=["KZ-61"], national_category="II")
    found = diff_records(old, new, RULES)
    assert sorted(c.remapped for c in found) == [False, True]
    assert diffing.classify(old, new, found) is ElementStatus.REVISED


def test_province_fields_inside_lists_are_re_mapped_too() -> None:
    old = {"locations": [{"place": "Sairam", "province": "KZ-YUZ"}]}
    new = {"locations": [{"place": "Sairam", "province": "KZ-61"}]}
    (change,) = diff_records(old, new, RULES)
    assert (change.pointer, change.remapped) == ("/locations/0/province", True)


def test_the_province_fields_come_from_the_schema() -> None:
    from tests.support.helpers import REPO_ROOT as root

    class _Settings:
        def schema_file(self, kind: RecordKind) -> Any:
            return root / "schema" / f"{kind.value}.schema.json"

    rules = comparison.inventory_rules(_Settings(), [])  # type: ignore[arg-type]
    assert set(rules.province_fields) >= {
        "/provinces/*",
        "/locations/*/province",
        "/communities/*/provinces/*",
    }
    assert rules.list_keys["/communities"] in ("name", ("name",))


# --- statuses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old_status", "new_status", "expected"),
    [
        ("active", "retired", ElementStatus.RETIRED),
        ("active", "merged", ElementStatus.MERGED),
        ("retired", "merged", ElementStatus.MERGED),
        ("retired", "active", ElementStatus.REVISED),
        ("retired", "retired", ElementStatus.UNCHANGED),
    ],
)
def test_status_changes(old_status: str, new_status: str, expected: ElementStatus) -> None:
    old = element_data("KZ-2013-0001", status=old_status)
    new = element_data("KZ-2013-0001", status=new_status)
    assert diffing.classify(old, new, diff_records(old, new, RULES)) is expected


def public(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    """The changes as the public reads them: the engine's, through the audience view."""
    return public_changes(diff_records(old, new, RULES), before=old, after=new)


def test_the_engine_sees_every_value_the_public_reads_none_of_the_personal_data() -> None:
    contact = {"name": "Aigerim Example", "role": "bearer", "phone": "+7 700 000 00 00"}
    old = element_data("KZ-2013-0001", contacts=[contact])
    new = element_data("KZ-2013-0001", contacts=[{**contact, "phone": "+7 700 000 00 01"}])
    (change,) = diff_records(old, new, RULES)
    assert change.new == "+7 700 000 00 01"  # the committee reads it
    assert public(old, new) == (Change("/contacts", ChangeKind.CHANGED, withheld=True),)
    added = public(element_data("KZ-2013-0001"), new)
    assert [(c.pointer, c.new, c.withheld) for c in added] == [("/contacts", None, True)]


def test_restricted_parts_are_never_shown_to_the_public() -> None:
    access = {"level": "restricted", "restricted_parts": ["/locations"], "reason": "sacred"}
    old = element_data("KZ-2013-0001", access=access, locations=[{"place": "Shrine A"}])
    new = element_data("KZ-2013-0001", access=access, locations=[{"place": "Shrine B"}])
    found = public(old, new)
    assert {c.withheld for c in found} == {True}
    assert "Shrine" not in json.dumps([(c.old, c.new) for c in found])


def test_a_restricted_record_without_parts_shows_only_its_identification() -> None:
    access = {"level": "restricted", "reason": "sacred knowledge"}
    old = element_data("KZ-2013-0001", access=access)
    new = element_data(
        "KZ-2013-0001", access=access, description={"en": "Secret"}, national_category="II"
    )
    found = {c.pointer: c for c in public(old, new)}
    assert found["/description"].withheld and found["/description"].new is None
    assert not found["/national_category"].withheld


# --- matching records ------------------------------------------------------------------------------


def side(
    files: dict[str, tuple[str, dict[str, Any] | Finding | None]],
    hints: dict[str, str | None] | None = None,
) -> diffing.Side:
    """path → (blob, data or finding, or None when not read); `hints`: ids known unparsed."""
    parsed: dict[str, Record | Finding] = {}
    for path, (_, data) in files.items():
        if isinstance(data, Finding):
            parsed[path] = data
        elif data is not None:
            parsed[path] = record(path, data)
    return diffing.Side({p: b for p, (b, _) in files.items()}, parsed, hints or {})


def test_statuses_of_a_whole_inventory() -> None:
    base = {
        "elements/KZ-2013-0001.yaml": ("a1", element_data("KZ-2013-0001")),
        "elements/KZ-2013-0002.yaml": ("a2", element_data("KZ-2013-0002")),
        "elements/KZ-2013-0003.yaml": ("a3", element_data("KZ-2013-0003")),
        "elements/KZ-2013-0004.yaml": ("a4", None),  # same blob on both sides: never read
    }
    current = {
        "elements/KZ-2013-0001.yaml": ("b1", element_data("KZ-2013-0001", national_category="II")),
        "elements/KZ-2013-0002.yaml": (
            "b2",
            element_data("KZ-2013-0002", status="retired", status_change={"reason": "gone"}),
        ),
        "elements/KZ-2013-0004.yaml": ("a4", None),
        "elements/KZ-2026-0001.yaml": ("b5", element_data("KZ-2026-0001")),
    }
    result = diffing.diff_sides(side(base), side(current), RULES).elements
    assert [(e.id, e.status.value) for e in result] == [
        ("KZ-2013-0001", "revised"),
        ("KZ-2013-0002", "retired"),
        ("KZ-2013-0003", "removed"),
        ("KZ-2013-0004", "unchanged"),
        ("KZ-2026-0001", "added"),
    ]
    assert result[0].changes == (Change("/national_category", ChangeKind.CHANGED, "I", "II"),)
    assert result[2].path == "elements/KZ-2013-0003.yaml"


def test_records_are_matched_by_id_not_by_file_name() -> None:
    base = {"elements/aitys.yaml": ("a1", element_data("KZ-2013-0001"))}
    current = {
        "elements/KZ-2013-0001.yaml": ("b1", element_data("KZ-2013-0001", national_category="II"))
    }
    (element,) = diffing.diff_sides(side(base), side(current), RULES).elements
    assert (element.id, element.status.value) == ("KZ-2013-0001", "revised")
    assert (element.path, element.old_path) == ("elements/KZ-2013-0001.yaml", "elements/aitys.yaml")


def test_a_file_renamed_without_an_edit_is_unchanged_and_not_read() -> None:
    base = {"elements/aitys.yaml": ("a1", None)}
    current = {"elements/KZ-2013-0001.yaml": ("a1", None)}
    pairing = diffing.pair_by_blob(
        {p: b for p, (b, _) in base.items()}, {p: b for p, (b, _) in current.items()}
    )
    assert pairing.unchanged == (("elements/aitys.yaml", "elements/KZ-2013-0001.yaml"),)
    (element,) = diffing.diff_sides(side(base), side(current), RULES).elements
    assert (element.id, element.status, element.old_path) == (
        "KZ-2013-0001",
        ElementStatus.UNCHANGED,
        "elements/aitys.yaml",
    )


def test_the_engine_insists_on_reading_every_file_whose_blob_changed() -> None:
    base = {"elements/KZ-2013-0001.yaml": ("a1", None)}
    current = {"elements/KZ-2013-0001.yaml": ("b1", None)}
    with pytest.raises(ValueError, match="was not read"):
        diffing.diff_sides(side(base), side(current), RULES)


def test_a_record_that_cannot_be_read_is_reported_not_fatal() -> None:
    broken = Finding("elements/KZ-2013-0001.yaml", "yaml.syntax", "bad YAML", line=3, column=1)
    base = {
        "elements/KZ-2013-0001.yaml": ("a1", element_data("KZ-2013-0001")),
        "elements/KZ-2013-0009.yaml": (
            "a9",
            Finding("elements/KZ-2013-0009.yaml", "yaml.tab", "tab"),
        ),
    }
    current = {
        "elements/KZ-2013-0001.yaml": ("b1", broken),
        "elements/KZ-2013-0002.yaml": ("b2", element_data("KZ-2013-0002")),
    }
    compared = diffing.diff_sides(side(base), side(current), RULES)
    result = {e.id: e for e in compared.elements}
    # Its record now cannot be read: no status (neither revised nor anything else), a problem.
    assert "KZ-2013-0001" not in result
    assert compared.unknown["KZ-2013-0001"] == (broken,)
    # Its baseline record cannot be read, and nothing holds it now: removed all the same.
    assert result["KZ-2013-0009"].status is ElementStatus.REMOVED
    assert result["KZ-2013-0009"].problems[0].rule == "yaml.tab"
    assert result["KZ-2013-0002"].status is ElementStatus.ADDED
    assert compared.problems == (broken,)


def test_an_unreadable_file_leaves_the_element_it_may_hold_without_a_status() -> None:
    """A broken file that names an element in its `id:` line (a record renamed and broken at
    once): the element is neither added nor removed nor revised. A baseline record that cannot
    be read, of an element readable now, is revised, with the problem of that past version."""
    broken = Finding("elements/zzz.yaml", "yaml.syntax", "bad YAML", line=3, column=1)
    base = {
        "elements/KZ-2026-0022.yaml": ("a1", element_data("KZ-2026-0022")),
        "elements/KZ-2013-0003.yaml": (
            "a3",
            Finding("elements/KZ-2013-0003.yaml", "yaml.tab", "t"),
        ),
    }
    current = {
        "elements/zzz.yaml": ("b1", broken),
        "elements/KZ-2013-0003.yaml": ("b3", element_data("KZ-2013-0003")),
    }
    compared = diffing.diff_sides(
        side(base), side(current, hints={"elements/zzz.yaml": "KZ-2026-0022"}), RULES
    )
    (revised,) = compared.elements
    assert (revised.id, revised.status, revised.now) == (
        "KZ-2013-0003",
        ElementStatus.REVISED,
        "active",
    )
    assert revised.problems[0].rule == "yaml.tab"
    assert set(compared.unknown) == {"KZ-2026-0022"}


def test_two_files_with_one_id_leave_the_element_without_a_status() -> None:
    """Which file is the element cannot be told: it is not `added` (it is in the baseline),
    nor anything else; both files are named."""
    base = {"elements/KZ-2013-0001.yaml": ("a1", element_data("KZ-2013-0001"))}
    current = {
        "elements/KZ-2013-0001.yaml": ("a1", None),
        "elements/KZ-2013-0001-copy.yaml": ("b2", element_data("KZ-2013-0001", status="retired")),
    }
    compared = diffing.diff_sides(side(base), side(current), RULES)
    assert compared.elements == ()
    assert [(p.path, p.rule) for p in compared.unknown["KZ-2013-0001"]] == [
        ("elements/KZ-2013-0001-copy.yaml", "id.unique"),
        ("elements/KZ-2013-0001.yaml", "id.unique"),
    ]


def test_filters() -> None:
    base = {"KZ-2013-0001": element_data("KZ-2013-0001", provinces=["KZ-YUZ"])}
    current = {
        "KZ-2013-0001": element_data("KZ-2013-0001", provinces=["KZ-61"]),
        "KZ-2026-0001": element_data(
            "KZ-2026-0001", domains=["craftsmanship"], provinces=["KZ-23"]
        ),
    }
    result = diffing.diff_data(base, current, RULES)

    def kept(**options: Any) -> list[str]:
        flt = diffing.DiffFilter(**options)
        return [e.id for e in result if flt.keeps(e, RULES)]

    assert kept() == ["KZ-2013-0001", "KZ-2026-0001"]
    assert kept(provinces=("KZ-YUZ",)) == ["KZ-2013-0001"]  # through the successors
    assert kept(provinces=("KZ-23",)) == ["KZ-2026-0001"]
    assert kept(domains=("craftsmanship",)) == ["KZ-2026-0001"]
    assert kept(statuses=(ElementStatus.UNCHANGED,)) == ["KZ-2013-0001"]
    assert kept(elements=("KZ-2026-0001",)) == ["KZ-2026-0001"]


# --- laws ----------------------------------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
_words = st.lists(
    st.sampled_from(["akyn", "dombra", "song", "of", "the", "steppe", ","]), max_size=15
).map(" ".join)
_community = st.fixed_dictionaries(
    {"name": st.sampled_from(["A", "B", "C", "D"])},
    optional={
        "kind": st.sampled_from(["group", "community"]),
        "description": _words,
        "provinces": st.lists(st.sampled_from(["KZ-YUZ", "KZ-61", "KZ-79"]), unique=True),
    },
)
_record = st.fixed_dictionaries(
    {"id": st.just("KZ-2013-0001")},
    optional={
        "names": st.dictionaries(st.sampled_from(["kk", "ru", "en"]), _text, min_size=1),
        "domains": st.lists(
            st.sampled_from(["oral-traditions", "performing-arts", "craftsmanship"]), unique=True
        ),
        "provinces": st.lists(
            st.sampled_from(["KZ-OLD", "KZ-YUZ", "KZ-61", "KZ-79", "KZ-23", "KZ-43"]), unique=True
        ),
        "status": st.sampled_from(["active", "retired", "merged"]),
        "national_category": st.one_of(
            st.sampled_from(["I", "II"]), st.integers(0, 2), st.booleans()
        ),
        "communities": st.lists(_community, max_size=4, unique_by=lambda c: c["name"]),
        "description": st.dictionaries(st.sampled_from(["en", "ru"]), _words),
        "contacts": st.lists(
            st.fixed_dictionaries({"name": _text, "role": st.just("bearer")}), max_size=2
        ),
    },
)

_MIRROR = {ChangeKind.ADDED: ChangeKind.REMOVED, ChangeKind.REMOVED: ChangeKind.ADDED}


def _shape(change: Change, mirrored: bool = False) -> tuple[Any, ...]:
    kind = _MIRROR.get(change.kind, change.kind) if mirrored else change.kind
    old, new = (change.new, change.old) if mirrored else (change.old, change.new)
    pattern = re.sub(r"/[0-9]+(?=/|$)", "/*", change.pointer)
    return (pattern, kind, json.dumps(old), json.dumps(new), change.remapped, change.withheld)


@given(_record)
def test_law_a_record_diffed_with_itself_has_no_changes(data: dict[str, Any]) -> None:
    assert diff_records(data, json.loads(json.dumps(data)), RULES) == ()


@given(_record, _record)
@settings(max_examples=examples(100, 300))
def test_law_diff_a_b_mirrors_diff_b_a(a: dict[str, Any], b: dict[str, Any]) -> None:
    forward = Counter(_shape(c, mirrored=True) for c in diff_records(a, b, RULES))
    backward = Counter(_shape(c) for c in diff_records(b, a, RULES))
    assert forward == backward


@given(_record, st.randoms(use_true_random=False))
def test_law_reordering_keyed_lists_changes_nothing(
    data: dict[str, Any], rnd: random.Random
) -> None:
    shuffled = json.loads(json.dumps(data))
    for key in ("communities", "domains", "provinces"):
        if key in shuffled:
            rnd.shuffle(shuffled[key])
    for community in shuffled.get("communities", []):
        rnd.shuffle(community.get("provinces", []))
    assert diff_records(data, shuffled, RULES) == ()


@given(_record, _record)
def test_law_an_element_is_unchanged_in_both_directions_or_in_neither(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    forward = diffing.classify(a, b, diff_records(a, b, RULES))
    backward = diffing.classify(b, a, diff_records(b, a, RULES))
    assert (forward is ElementStatus.UNCHANGED) == (backward is ElementStatus.UNCHANGED)


_HEIRS = {"KZ-OLD": "KZ-YUZ", "KZ-YUZ": "KZ-79"}


def _remapped(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its provinces replaced by their successors (RULES), itself unchanged."""
    copy = json.loads(json.dumps(data))
    for holder in [copy, *copy.get("communities", [])]:
        if "provinces" in holder:
            holder["provinces"] = list(dict.fromkeys(_HEIRS.get(p, p) for p in holder["provinces"]))
    return copy


@given(_record, _record, st.sampled_from(["other", "remapped", "remapped and other"]))
@settings(max_examples=examples(100, 300))
def test_law_the_status_alone_is_the_status_of_every_change(
    a: dict[str, Any], other: dict[str, Any], how: str
) -> None:
    """Packets that show statuses only stop at the first change that makes an element
    revised; they must give the status the whole diff gives (province re-mappings included)."""
    b = _remapped(a) if how == "remapped" else other
    if how == "remapped and other":
        b = _remapped(a) | {k: v for k, v in other.items() if k != "provinces"}
    assert diffing.classify(a, b, None, RULES) is diffing.classify(a, b, diff_records(a, b, RULES))
    both = diffing.diff_data({"KZ-2013-0001": a}, {"KZ-2013-0001": b}, RULES)
    alone = diffing.element_diff(
        "KZ-2013-0001", record("a.yaml", a), record("a.yaml", b), RULES, status_only=True
    )
    assert (alone.status, alone.changes) == (both[0].status, ())


@given(_record)
def test_law_an_element_only_on_one_side_is_added_or_removed(a: dict[str, Any]) -> None:
    assert [e.status for e in diffing.diff_data({"KZ-2013-0001": a}, {}, RULES)] == [
        ElementStatus.REMOVED
    ]
    assert [e.status for e in diffing.diff_data({}, {"KZ-2013-0001": a}, RULES)] == [
        ElementStatus.ADDED
    ]


def test_setting_now_keeps_every_other_field() -> None:
    from dataclasses import fields, replace

    from ichinv.core.model import ElementDiff, ElementStatus, Finding
    from ichinv.diff import compare

    element = ElementDiff(
        "KZ-2013-0001",
        ElementStatus.REVISED,
        "elements/a.yaml",
        changes=(),
        old_path="elements/b.yaml",
        problems=(Finding("elements/a.yaml", "x", "y"),),
        name="n",
        provinces=("KZ-23",),
        domains=("craftsmanship",),
        now="active",
    )
    assert len(fields(ElementDiff)) == 10  # compare._now names each one
    assert compare._now(element, "retired") == replace(element, now="retired")


@pytest.mark.parametrize("status", [["active"], {"a": "b"}, [], 7, None, True, "paused"])
def test_a_status_that_is_no_status_is_unknown_now(status: Any) -> None:
    """A list or a mapping where the status goes (a slip in the YAML) is named `unknown`,
    as any value outside the vocabulary is, never an internal error (it was unhashable)."""
    assert diffing.now_of(element_data("KZ-2013-0001", status=status) | {"status": status}) == (
        "unknown"
    )
    assert diffing.now_of(element_data("KZ-2013-0001", status="retired")) == "retired"


def test_a_status_without_changes_or_rules_is_refused_not_guessed() -> None:
    old = element_data("KZ-2013-0001", status="active")
    new = element_data("KZ-2013-0001", status="active", names={"en": "Other"})
    assert diffing.classify(old, new, None, RULES) is ElementStatus.REVISED
    with pytest.raises(TypeError, match="rules"):
        diffing.classify(old, new, None)
