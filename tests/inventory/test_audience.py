"""Redaction: what the public may see of a record (never contacts, never restricted parts)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ichinv.core import pointers
from ichinv.core.catalogue import WITHHELD
from ichinv.core.model import Change, ChangeKind, Finding, Record, RecordKind, Severity
from ichinv.inventory import audience as redact
from ichinv.inventory import changes_view, redaction
from ichinv.inventory.audience import Restriction, Why, Withheld
from ichinv.inventory.listings import printed_listing
from ichinv.inventory.policy import policy_for
from tests.support.helpers import REPO_ROOT, element_data, examples

REASON = "The keepers asked that the places not be published."


def restricted(parts: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    access: dict[str, Any] = {"level": "restricted", "reason": REASON}
    if parts is not None:
        access["restricted_parts"] = parts
    defaults: dict[str, Any] = {
        "locations": [{"place": "Secret grove"}, {"place": "Open square"}],
        "transmission": {"modes": ["family"], "description": {"en": "Secret rite"}},
        "contacts": [{"name": "Bearer One", "role": "bearer", "email": "one@example.org"}],
        "access": access,
    }
    return element_data("KZ-2024-0001", **{**defaults, **fields})


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in leaves(v)]
    return [value]


# --- public and committee views -------------------------------------------------------------------


def test_public_view_drops_contacts_and_keeps_the_rest() -> None:
    data = element_data("KZ-2013-0002", contacts=[{"name": "Bearer One", "role": "bearer"}])
    view = redact.public_view(data)
    assert "contacts" not in view
    assert view["description"] == data["description"]
    assert "Bearer One" not in json.dumps(view)


def test_public_view_shows_a_web_address_without_its_user_name_and_password() -> None:
    """An outside attack: show and the site printed and linked `https://aigul:…@host/…`."""
    login = "https://aigul.kenzhebayeva:Secr3tPass@opennews.kz/x.html"
    sources = [{"list": "other", "url": login, "note": f"see {login} and [1]"}]
    data = element_data("KZ-2013-0002", provenance={"entered": "2013-03-01", "sources": sources})
    view = redact.public_view(data)
    assert view["provenance"]["sources"] == [
        {
            "list": "other",
            "url": "https://opennews.kz/x.html",
            "note": "see https://opennews.kz/x.html and [1]",
        }
    ]
    assert data["provenance"]["sources"][0]["url"] == login  # the record is left as it is
    assert redact.committee_view(data)["provenance"] == data["provenance"]
    change = Change(
        "/provenance/sources/0/url",
        ChangeKind.CHANGED,
        old="https://opennews.kz/x.html",
        new=login,
        words=(("+", "aigul"),),
    )
    (shown,) = changes_view.public_changes([change], before=data, after=data)
    assert (shown.old, shown.new, shown.words) == ("https://opennews.kz/x.html",) * 2 + ((),)


def test_restricted_parts_are_replaced_by_a_note_saying_why_never_what() -> None:
    view = redact.public_view(restricted(["/locations/0", "/transmission"]))
    note = view["locations"][0]
    assert isinstance(note, Withheld) and note.why is Why.RESTRICTED and note.reason == REASON
    assert view["locations"][1] == {"place": "Open square"}
    assert isinstance(view["transmission"], Withheld)
    assert "Secret" not in json.dumps(view)
    assert REASON in str(note)


@pytest.mark.parametrize("part", ["/locations/0/place", "/locations/0/place/kk"])
def test_a_withheld_place_takes_its_coordinates_with_it(part: str) -> None:
    grove = {
        "place": {"kk": "Киелі тоғай", "en": "Sacred grove"},
        "coordinates": {"latitude": 47.1307, "longitude": 51.9823},
    }
    square = {"place": {"en": "Open square"}, "coordinates": {"latitude": 43.2, "longitude": 76.9}}
    view = redact.public_view(restricted([part], locations=[grove, square]))
    assert isinstance(view["locations"][0]["coordinates"], Withheld)
    assert "47.1307" not in json.dumps(view, default=str)
    assert view["locations"][1] == square  # the other place keeps its map point


def test_a_restricted_record_without_parts_shows_only_its_identification() -> None:
    data = restricted()
    view = redact.public_view(data)
    assert redact.restriction(data) is Restriction.WHOLE
    for key in ("id", "names", "domains", "national_category", "provinces", "status", "access"):
        assert view[key] == data[key]
    for key in ("description", "locations", "transmission", "consent", "provenance", "viability"):
        assert isinstance(view[key], Withheld), key
    assert "contacts" not in view


@pytest.mark.parametrize(
    "access",
    [
        None,
        "restricted",
        {"level": "secret"},
        {"level": "restricted", "restricted_parts": ["locations"]},
        {"level": "restricted", "restricted_parts": [7]},
        {"level": "restricted", "restricted_parts": "/locations"},
        {"level": "Restricted", "restricted_parts": ["/locations"]},
        ["restricted"],
        {"level": "restricted", "restricted_parts": ["/locations"], "reasons": "typo"},
        {"level": "public", "restricted_parts": ["/locations"]},
    ],
    ids=[
        "missing",
        "not-a-map",
        "unknown-level",
        "not-a-pointer",
        "not-text",
        "not-a-list",
        "other-case",
        "a-list",
        "unknown-key",
        "public-with-parts",
    ],
)
def test_unreadable_access_fails_closed(access: Any) -> None:
    data = restricted(access=access)  # None leaves access out
    view = redact.public_view(data)
    assert redact.restriction(data) is Restriction.FAILED
    assert isinstance(view["locations"], Withheld)
    assert isinstance(view["description"], Withheld)
    assert view["names"] == data["names"]


def test_listed_parts_are_withheld_even_when_the_level_says_public() -> None:
    data = restricted(
        ["/locations"], access={"level": "public", "restricted_parts": ["/locations"]}
    )
    assert isinstance(redact.public_view(data)["locations"], Withheld)


REPOSITORY_POLICY = policy_for(REPO_ROOT / "schema")


@pytest.mark.parametrize(
    "policy", [REPOSITORY_POLICY, redact.DEFAULT_POLICY], ids=["schema", "none"]
)
@pytest.mark.parametrize(
    "entry",
    [
        "/contacts/zhanar@example.org",  # a contact where an index should be: names nothing
        "/locations/+7 700 000 00 00",
        "/locations/0/place/zhanar@example.org",
        "zhanar@example.org",
        "/locations/77000000000/place",  # a phone number as an index of no item
    ],
)
def test_a_listed_part_that_names_nothing_is_not_printed(entry: str, policy: Any) -> None:
    """An entry of access.restricted_parts is text an editor wrote: one that names no part of
    the record may hold anything, a contact included; the public sees that an entry is
    withheld, never what it says (found by an outside review: `show`, the packets and
    `export` printed it). The entries that name parts are printed as before."""
    data = restricted(["/locations/0", entry])
    view = redact.public_view(data, policy=policy)
    listed = view["access"]["restricted_parts"]
    assert listed[0] == "/locations/0"
    assert isinstance(listed[1], Withheld) and listed[1].why is Why.UNKNOWN
    assert entry not in json.dumps(view, ensure_ascii=False)


@pytest.mark.parametrize("entry", ["/transmission", "/description/kk", "/locations/3/place"])
def test_a_listed_part_naming_nothing_in_the_schemas_words_is_printed(entry: str) -> None:
    """An entry the record lacks, spelt in the schema's keys (and an index that is no phone
    number), says where a field would be, never what: printed, so `validate` may quote it
    (`/transmission names no part of the record`); the record is still withheld but for its
    identification."""
    data = restricted(["/locations/0", entry])
    data.pop("transmission", None)
    data["description"].pop("kk", None)
    view = redact.public_view(data, policy=REPOSITORY_POLICY)
    assert view["access"]["restricted_parts"] == ["/locations/0", entry]
    assert isinstance(view["locations"], Withheld)
    assert printed_listing(data, entry, REPOSITORY_POLICY.shapes[RecordKind.ELEMENT])


def test_a_listed_part_reached_through_a_key_the_schema_does_not_name_is_not_printed() -> None:
    """A key of the record the schema does not know may be anything (a contact written as a
    key): a part listed through it is not printed, though it names something."""
    data = restricted(["/transmission/zhanar@example.org"])
    data["transmission"]["zhanar@example.org"] = "x"
    view = redact.public_view(data, policy=REPOSITORY_POLICY)
    assert isinstance(view["access"]["restricted_parts"][0], Withheld)
    assert "zhanar" not in json.dumps(view)


def test_wildcards_escapes_and_nested_pointers() -> None:
    data = restricted(
        ["/locations/*/place", "/names/kk-Latn", "/other~1names"],
        names={"kk": "Айтыс", "ru": "Айтыс", "kk-Latn": "Aitys"},
        **{"other/names": "x"},
    )
    view = redact.public_view(data)
    assert [isinstance(loc["place"], Withheld) for loc in view["locations"]] == [True, True]
    assert isinstance(view["names"]["kk-Latn"], Withheld) and view["names"]["kk"] == "Айтыс"
    assert isinstance(view["other/names"], Withheld)


def test_list_indices_and_tilde_escapes_follow_rfc_6901() -> None:
    """`~01` is the key `~1` (not `/`); `/locations/1` is the second item only."""
    data = restricted(["/locations/1/place", "/notes/~01", "/notes/a~0b"],
                      notes={"~1": "tilde one", "/": "slash", "a~b": "tilde", "ab": "plain"})  # fmt: skip
    view = redact.public_view(data)
    assert view["locations"][0] == {"place": "Secret grove"}
    assert isinstance(view["locations"][1]["place"], Withheld)
    assert {k: isinstance(v, Withheld) for k, v in view["notes"].items()} == {
        "~1": True, "/": False, "a~b": True, "ab": False}  # fmt: skip


@pytest.mark.parametrize(
    "typo", ["/locations/2", "/locations/01", "/locations/-1", "/locations/x", "/locations/²",
             "/locations/\u0661", "/locations/*/placee", "/description/en/"]
)  # fmt: skip
def test_a_part_naming_nothing_withholds_everything_but_the_identification(typo: str) -> None:
    """Not an index of RFC 6901 (`²` and Arabic-Indic digits are digits to Python), a key
    that is not there, a trailing slash: the part meant something the record does not say, so
    only the identification is public until the record is fixed, and nothing crashes."""
    data = restricted([typo])
    assert redact.restriction(data) is Restriction.WHOLE
    view = redact.public_view(data)
    assert isinstance(view["locations"], Withheld)
    assert isinstance(view["description"], Withheld)
    assert view["names"] == data["names"]


@pytest.mark.parametrize(
    "part", ["/names/en", "/names", "/domains", "/provinces", "/national_category", "/names/enn"]
)
@pytest.mark.parametrize(
    "consent", ["given", "pending", "withdrawn"]
)  # fmt: skip
def test_a_listed_identification_field_is_withheld_even_when_only_the_identification_shows(
    part: str, consent: str
) -> None:
    """A record withheld as a whole (consent not given, a typo) still shows its
    identification: not the identification fields its editor listed."""
    data = restricted([part])
    data["consent"] = {"status": consent, "date": "2025-01-01"}
    view = redact.public_view(data)
    top = part.split("/")[1]
    shown = view[top]
    if part in ("/names/en",):
        assert isinstance(shown["en"], Withheld)
        assert shown["kk"] == data["names"]["kk"]
    else:
        assert isinstance(shown, Withheld)


@pytest.mark.parametrize(
    "access",
    [
        {"level": "Restricted", "restricted_parts": ["/names/en"]},
        {"level": "restricted", "restricted_part": ["/names/en"], "reason": "x"},
        ["restricted", "/names/en"],
    ],
)
def test_a_malformed_access_still_withholds_the_identification_fields_it_names(
    access: Any,
) -> None:
    data = restricted([])
    data["access"] = access
    view = redact.public_view(data)
    assert isinstance(view["names"]["en"], Withheld)
    assert view["names"]["kk"] == data["names"]["kk"]


def test_a_misspelt_top_level_part_withholds_everything_but_the_identification() -> None:
    data = restricted(["/location"])
    assert redact.restriction(data) is Restriction.WHOLE
    view = redact.public_view(data)
    assert isinstance(view["locations"], Withheld) and isinstance(view["description"], Withheld)
    assert view["names"] == data["names"]


@pytest.mark.parametrize("part", ["/id", "/status", "/access", "/access/reason"])
def test_a_part_that_cannot_be_withheld_withholds_everything_but_the_identification(
    part: str,
) -> None:
    """The id, status and access are always public; an editor who listed one meant to hide
    something, and what cannot be told: fail closed (validate reports it: access.parts)."""
    data = restricted([part, "/locations"])
    view = redact.public_view(data)
    assert view["id"] == "KZ-2024-0001" and view["status"] == data["status"]
    assert isinstance(view["description"], Withheld) and isinstance(view["locations"], Withheld)
    assert redact.restriction(data) is Restriction.WHOLE


def test_views_do_not_share_data_with_the_record() -> None:
    data = restricted(["/locations/0"])
    for view in (redact.public_view(data), redact.committee_view(data)):
        view["locations"][1]["place"] = "changed"
        view["names"]["en"] = "changed"
    assert data["locations"][1]["place"] == "Open square"
    assert data["names"]["en"] == "Element KZ-2024-0001"


_yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.builds(Withheld, st.sampled_from(Why), st.none() | st.just(REASON)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3) | st.integers() | st.booleans(), inner, max_size=3)
        | st.builds(MappingProxyType, st.dictionaries(st.text(max_size=3), inner, max_size=2))
    ),
    max_leaves=20,
)


def _containers(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return [value, *(c for v in value.values() for c in _containers(v))]
    if isinstance(value, list | tuple):
        return [value, *(c for v in value for c in _containers(v))]
    return []


def _leaves_of(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return [x for v in value.values() for x in _leaves_of(v)]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _leaves_of(v)]
    return [value]


def _normal(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


@given(_yaml_values)
def test_a_view_copies_every_container_and_names_keys_as_text(value: Any) -> None:
    """What a view is made of: plain dicts with text keys (a YAML key may be a number or a
    boolean), lists for sequences, the same leaves, and no container shared with the record."""
    copied = redact.plain(value)
    assert copied == _normal(value)
    assert [type(x) for x in _leaves_of(copied)] == [type(x) for x in _leaves_of(value)]
    made = _containers(copied)
    assert all(type(c) in (dict, list) for c in made)
    assert not {id(c) for c in made} & {id(c) for c in _containers(value)}


def test_committee_view_shows_everything_and_merges_the_private_overlay() -> None:
    data = restricted(["/locations"])
    view = redact.committee_view(data, private={"contacts": [{"name": "Two"}], "access": {"x": 1}})
    assert view["locations"] == data["locations"]
    assert view["contacts"] == [{"name": "Two"}]
    assert view["access"]["reason"] == REASON and view["access"]["x"] == 1
    assert (
        redact.view(data, redact.Audience.PUBLIC, private={"contacts": [{"name": "Two"}]}).get(
            "contacts"
        )
        is None
    )


def test_views_accept_records_and_provinces_are_not_restricted() -> None:
    province = Record(RecordKind.PROVINCE, "provinces/KZ-23.yaml", {"id": "KZ-23", "names": {}})
    assert redact.public_view(province) == {"id": "KZ-23", "names": {}}
    element = Record(RecordKind.ELEMENT, "elements/x.yaml", restricted(["/locations"]))
    assert isinstance(redact.public_view(element)["locations"], Withheld)


def test_withheld_notes_stay_plain_data() -> None:
    view = redact.public_view(restricted(["/locations"]))
    assert json.loads(json.dumps(view))["locations"].startswith("[withheld: restricted")
    import copy
    import pickle

    note = view["locations"]
    for clone in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert isinstance(clone, Withheld) and clone.reason == REASON and clone == note


def test_policy_reads_personal_fields_from_the_schema(tmp_path: Path) -> None:
    schema = json.loads((REPO_ROOT / "schema" / "element.schema.json").read_text("utf-8"))
    schema["properties"]["communities"]["items"]["properties"]["description"][
        "x-ichinv-personal-data"
    ] = True
    (tmp_path / "element.schema.json").write_text(json.dumps(schema), "utf-8")
    shutil.copy(REPO_ROOT / "schema" / "province.schema.json", tmp_path)
    policy = policy_for(tmp_path)
    assert "/contacts" in policy.personal_fields(RecordKind.ELEMENT)
    data = element_data(
        "KZ-2013-0002", communities=[{"name": "Group", "description": "Private words"}]
    )
    view = redact.public_view(data, policy=policy)
    assert view["communities"] == [{"name": "Group"}]


# --- changes and findings -----------------------------------------------------------------------------


def test_public_changes_hide_values_and_the_shape_of_withheld_parts() -> None:
    old, new = restricted(["/locations"]), restricted(["/locations"])
    changes = [
        Change("/locations/0/place", ChangeKind.CHANGED, "Secret grove", "Hidden spring"),
        Change("/locations/2", ChangeKind.ADDED, None, {"place": "Third"}),
        Change("/contacts/0/email", ChangeKind.CHANGED, "one@example.org", "two@example.org"),
        Change("/contacts/1", ChangeKind.ADDED, None, {"name": "Bearer Two"}),
        Change("/viability/status", ChangeKind.CHANGED, "viable", "at-risk"),
    ]
    public = changes_view.public_changes(changes, before=old, after=new)
    assert [(c.pointer, c.kind, c.withheld) for c in public] == [
        ("/locations", ChangeKind.CHANGED, True),
        ("/contacts", ChangeKind.CHANGED, True),
        ("/viability/status", ChangeKind.CHANGED, False),
    ]
    text = repr(public)
    for secret in ("Secret grove", "Hidden spring", "Third", "one@example", "Bearer Two"):
        assert secret not in text
    assert public[2].new == "at-risk"


def test_a_part_restricted_now_is_hidden_in_changes_made_before() -> None:
    old = element_data("KZ-2024-0001", locations=[{"place": "Grove"}])
    new = restricted(["/locations"])
    change = Change("/locations/0/place", ChangeKind.CHANGED, "Grove", "Secret grove")
    assert changes_view.public_changes([change], before=old, after=new)[0].withheld


def test_public_findings_about_withheld_parts_lose_their_words() -> None:
    data = restricted(["/locations"])
    about_contact = Finding("p", "schema.pattern", "'one@example.org' is not an e-mail",
                            pointer="/contacts/0/email", hint="fix one@example.org")  # fmt: skip
    quoting = Finding("p", "rule.x", "the place 'Secret grove' is listed twice", pointer="")
    harmless = Finding("p", "names.kk", "the Kazakh name is not in Cyrillic", pointer="/names/kk")
    assert "one@example.org" not in repr(redaction.public_finding(about_contact, data))
    assert "Secret grove" not in repr(redaction.public_finding(quoting, data))
    assert redaction.public_finding(harmless, data) == harmless


def test_a_public_finding_about_a_withheld_part_keeps_no_rule_of_its_own() -> None:
    """A public packet named `consent.withdrawn` where the public view says only that consent
    is not given, and `access.consent` (found at the public `access.level`) quoted the state."""
    data = element_data("KZ-2024-0001", consent={"status": "withdrawn"})
    withdrawn = Finding(
        "p",
        "consent.withdrawn",
        "the communities withdrew their consent",
        severity=Severity.WARNING,
        pointer="/consent/status",
        line=18,
        column=11,
    )
    public = Finding(
        "p",
        "access.consent",
        "the record is public but consent is 'withdrawn'",
        pointer="/access/level",
        line=30,
        column=10,
    )
    named = Finding("p", "names.whitespace", "a name has a doubled space", pointer="/names/kk")
    for finding in (withdrawn, public):
        shown = redaction.public_finding(finding, data)
        assert shown.rule == WITHHELD and "withdr" not in shown.message
        # withheld as a whole: not even its line, which would name the field (the consent's)
        assert (shown.severity, shown.place) == (finding.severity, "p")
    assert redaction.public_finding(named, data) == named
    parts = element_data(
        "KZ-2024-0001", access={"level": "restricted", "restricted_parts": ["/consent"]}
    )  # a part withheld: the finding keeps its place
    assert redaction.public_finding(withdrawn, parts).place == withdrawn.place
    given = element_data("KZ-2024-0001")  # the state is public: the rule is kept
    assert redaction.public_finding(withdrawn, given).rule == "consent.withdrawn"


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("{p} is not a .yaml record file", "{p} is not a .yaml record file"),
        ("{p} — не файл записи .yaml", "{p} — не файл записи .yaml"),
        ("{p} and elements/Aigul +7 701 555 1234.yaml hold KZ-2013-0002",
         "{p} and elements/… hold KZ-2013-0002"),
        ("{p}x +7 701 555 1234.yaml is a copy", "elements/… is a copy"),
    ],
)  # fmt: skip
def test_a_public_problem_names_its_own_path_as_a_path_and_keeps_the_words_after_it(
    message: str, shown: str
) -> None:
    """The public read "elements/KZ-2013-0002 is not a .yaml record file" as "elements/… record
    file": the path was read up to the next `.yaml`, words and all. Another file its words
    name is still shown by its folder when its name may be anyone's."""
    path = "elements/KZ-2013-0002"
    problem = Finding(path, "file.extension", message.format(p=path), hint="see " + path)
    public = redaction.public_problem(problem)
    assert (public.path, public.message, public.hint) == (path, shown.format(p=path), "see " + path)


def test_two_files_shown_by_one_name_stay_two_and_one_file_stays_one() -> None:
    """Public output names both `elements/…`: they are still counted as two files (an outside
    review: "1 record file could not be read", and three listed), and nothing of either name
    is kept in the finding."""
    first = Finding("elements/Aigul Serikova.yaml", "yaml.syntax", "bad", line=2)
    second = Finding("elements/draft copy.yaml", "yaml.syntax", "bad", line=2)
    again = Finding("elements/Aigul Serikova.yaml", "id.unique", "held twice")
    shown = [redaction.public_problem(f) for f in (first, second, again)]
    assert {f.path for f in shown} == {"elements/…"}
    assert shown[0].file != shown[1].file and shown[0].file == shown[2].file
    assert shown[0] != shown[1]  # "each once" keeps both
    assert redaction.public_problem(shown[0]) == shown[0]
    for finding in shown:
        assert "Aigul" not in finding.file and "draft" not in finding.file
        assert "Aigul" not in repr(finding)
    whole = Finding("elements/KZ-2013-0002.yaml", "yaml.syntax", "bad", line=2)
    assert redaction.public_problem(whole).file == "elements/KZ-2013-0002.yaml"


# --- the law: no contact value and no restricted text in any public view or packet ------------------

TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=10, max_size=10)
TEXT_FIELDS = ("locations", "communities", "transmission", "description", "safeguarding", "consent")


@st.composite
def records(draw: st.DrawFn) -> tuple[dict[str, Any], set[str], set[str]]:
    """A record with secrets in contacts and in restricted parts, and public words elsewhere."""
    counter = iter(range(1000))

    def secret() -> str:
        return f"zq{next(counter):03d}{draw(TOKEN)}"

    contact_secrets: set[str] = set()
    contacts = []
    for _ in range(draw(st.integers(0, 3))):
        name, mail, note = secret(), secret(), secret()
        contact_secrets |= {name, mail, note}
        contacts.append({"name": name, "role": "bearer", "email": f"{mail}@example.org",
                         "note": note})  # fmt: skip
    texts = {
        "locations": [
            {"place": secret(), "note": secret()} for _ in range(draw(st.integers(1, 3)))
        ],
        "communities": [{"name": secret(), "description": secret()}],
        "transmission": {"modes": ["family"], "description": {"en": secret(), "ru": secret()}},
        "description": {"en": secret(), "kk": secret(), "ru": secret()},
        "safeguarding": [{"measure": secret(), "by": secret()}],
        "consent": {"status": "given", "date": "2025-01-01", "evidence": secret()},
    }
    level = draw(st.sampled_from(["public", "restricted"]))
    choice = draw(st.lists(st.sampled_from(TEXT_FIELDS), unique=True, max_size=4))
    listed = [f"/{key}" for key in choice]
    if draw(st.booleans()):
        listed.append("/locations/*/place")
    if draw(st.booleans()):
        listed.append("/description/en")
    # List indices (RFC 6901), with the values they name found here, not by redact itself.
    indexed = {
        "/locations/0/note": texts["locations"][0]["note"],
        "/safeguarding/0": texts["safeguarding"][0],
        f"/locations/{len(texts['locations']) - 1}": texts["locations"][-1],
    }
    chosen = draw(st.lists(st.sampled_from(sorted(indexed)), unique=True, max_size=2))
    listed.extend(chosen)
    access: dict[str, Any] = {"level": level, "reason": "Customary restriction."}
    if listed or level == "restricted":
        access["restricted_parts"] = listed
    data = element_data("KZ-2026-0001", contacts=contacts or None, access=access, **texts)
    restricted_secrets: set[str] = set()
    if level == "restricted" and not listed:
        restricted_secrets = {s for k in TEXT_FIELDS for s in map(str, leaves(texts[k]))}
    for pointer in listed:
        for _, value in pointers.matches(data, pointer):
            restricted_secrets |= {str(x) for x in leaves(value)}
    for pointer in chosen:
        restricted_secrets |= {str(x) for x in leaves(indexed[pointer])}
    restricted_secrets = {s for s in restricted_secrets if s.startswith("zq")}
    return data, contact_secrets, restricted_secrets


@given(records())
@settings(max_examples=examples(75, 150), deadline=None)
def test_no_public_view_holds_a_contact_or_restricted_text(
    generated: tuple[dict[str, Any], set[str], set[str]],
) -> None:
    data, contact_secrets, restricted_secrets = generated
    text = json.dumps(redact.public_view(data), ensure_ascii=False)
    assert not [s for s in contact_secrets | restricted_secrets if s in text]
    committee = json.dumps(redact.committee_view(data), ensure_ascii=False)
    assert all(s in committee for s in contact_secrets | restricted_secrets)


PROVINCE = Record(
    RecordKind.PROVINCE,
    "provinces/KZ-23.yaml",
    {"id": "KZ-23", "names": {"kk": "Атырау", "ru": "Атырау", "en": "Atyrau"}, "focus": True,
     "target": 10},
)  # fmt: skip


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A packet builder over a one-record inventory outside git, and its renderer."""
    from ichinv.io import settings as settings_module
    from ichinv.packets import builder as packets
    from ichinv.render.markdown import labels as i18n
    from ichinv.render.markdown import templates as markdown

    root = tmp_path_factory.mktemp("one")
    (root / "pyproject.toml").write_text("[tool.ichinv]\n", "utf-8")
    settings = settings_module.load(root)
    labels = i18n.load(REPO_ROOT / "templates", "en")
    return settings, labels, markdown.Renderer(REPO_ROOT / "templates", labels), packets


@given(records())
@settings(
    max_examples=examples(20, 40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_no_public_packet_shows_a_contact_or_restricted_text(
    renderer: Any, generated: tuple[dict[str, Any], set[str], set[str]]
) -> None:
    settings_, labels, render, packets = renderer
    from ichinv.inventory.view import Inventory
    from ichinv.packets import element as dossier
    from ichinv.packets import index, province

    data, contact_secrets, restricted_secrets = generated
    outputs = {}
    for audience in redact.Audience:
        rec = Record(RecordKind.ELEMENT, "elements/KZ-2026-0001.yaml", data)
        inventory = Inventory(elements=(rec,), provinces={"KZ-23": PROVINCE})
        request = packets.Request(audience=audience)
        builder = packets.Builder(settings_, request, inventory, labels)
        outputs[audience] = "".join(
            render.render(f"packets/{kind}.md.j2", {"packet": model, "header": model.header})
            for kind, model in (
                ("element", dossier.element_packet(builder, "KZ-2026-0001")),
                ("index", index.index_packet(builder)),
                ("province", province.province_packet(builder, "KZ-23")),
            )
        )
    public = outputs[redact.Audience.PUBLIC]
    assert not [s for s in contact_secrets | restricted_secrets if s in public]
    committee = outputs[redact.Audience.COMMITTEE]
    assert all(s in committee for s in contact_secrets)


def test_a_restricted_part_with_an_empty_key_fails_closed() -> None:
    # "//description" names the key "" and then "description" (RFC 6901); a looser reading
    # once took it for /description. Naming nothing, it withholds everything.
    data = element_data(
        "KZ-2026-0001",
        description={"en": "A secret rite."},
        access={"level": "restricted", "restricted_parts": ["//description"], "reason": "asked"},
    )
    assert redact.restriction(data) is Restriction.WHOLE
    assert "A secret rite." not in json.dumps(redact.public_view(data), ensure_ascii=False)


@pytest.mark.parametrize(
    "consent",
    [
        {"status": "pending"},
        {"status": "withdrawn", "date": "2026-10-28"},
        {"status": "not-sought"},
        None,
        "given",
    ],
)
def test_without_consent_only_the_identification_is_public_and_the_note_says_why(
    consent: Any,
) -> None:
    # Whatever access says: a public level or a few listed parts do not stand in for consent.
    # The note says that consent is not given, never in which state it is (list, its filters
    # and progress show no consent state for such a record).
    for access in (
        {"level": "public"},
        {"level": "restricted", "restricted_parts": ["/locations"]},
    ):
        data = restricted(access=access, consent=consent)
        assert redact.restriction(data) is Restriction.CONSENT
        view = redact.public_view(data)
        assert view["names"] == data["names"]
        note = view["description"]
        assert isinstance(note, Withheld) and note.why is Why.CONSENT_NOT_GIVEN
        assert "customary" not in note and "restricted" not in note
        assert view.get("consent", note) == note == "[withheld: consent not given]"


@pytest.mark.parametrize("listed", ["/consent", "/consent/status", "/*"])
def test_a_record_restricting_its_consent_status_does_not_say_that_it_is_not_given(
    listed: str,
) -> None:
    access = {"level": "restricted", "restricted_parts": [listed], "reason": "asked"}
    data = restricted(access=access, consent={"status": "withdrawn"})
    assert redact.restriction(data) is Restriction.CONSENT
    note = redact.public_view(data)["consent"]
    assert isinstance(note, Withheld) and note.why is Why.RESTRICTED
    assert note == "[withheld: restricted: asked]"


def test_a_customary_restriction_is_labelled_as_one() -> None:
    note = redact.public_view(restricted())["description"]
    assert isinstance(note, Withheld) and note.why is Why.RESTRICTED
    assert note == f"[withheld: restricted: {REASON}]"


SECRET_TEXT = "SECRET-DESCRIPTION-w4k"

_value = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_malformed_access = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.lists(_value, max_size=3),
    st.integers(),
    # a level that is not exactly public or restricted
    st.fixed_dictionaries(
        {"level": st.one_of(_value, st.sampled_from(["Restricted", "PUBLIC", "restricted ", ""]))}
    ).filter(lambda a: a["level"] not in ("public", "restricted")),
    # a key the documented form does not have
    st.fixed_dictionaries(
        {
            "level": st.sampled_from(["public", "restricted"]),
            st.text(min_size=1, max_size=10).filter(
                lambda k: k not in redact.ACCESS_KEYS
            ): _value,
        }
    ),
    # parts that are not a list of pointers
    st.fixed_dictionaries(
        {
            "level": st.just("restricted"),
            "restricted_parts": st.one_of(
                st.text(max_size=10),
                st.lists(st.one_of(st.integers(), st.none(), st.text(max_size=6).filter(
                    lambda t: not t.startswith("/") or len(t) < 2)), min_size=1, max_size=3),
            ),
        }
    ),
)  # fmt: skip


@given(_malformed_access)
@settings(max_examples=200, deadline=None)
def test_any_malformed_access_withholds_everything_but_the_identification(access: Any) -> None:
    data = element_data(
        "KZ-2026-0001",
        description={"en": SECRET_TEXT},
        access=access,
        contacts=[{"name": "A. Bearer", "role": "bearer", "email": "bearer.w4k@example.org"}],
    )
    view = redact.public_view(data)
    shown = json.dumps(view, ensure_ascii=False)
    assert SECRET_TEXT not in shown and "bearer.w4k" not in shown
    assert view["names"] == data["names"]
    earlier = element_data("KZ-2026-0001", description={"en": "was public"})
    changes = changes_view.public_changes(
        [Change("/description/en", ChangeKind.CHANGED, old="was public", new=SECRET_TEXT)],
        before=earlier,
        after=data,
    )
    assert SECRET_TEXT not in repr(changes)


# --- the law: a view of some fields is the whole view's, restricted to them ----------------------

_ODD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | TOKEN | st.just("zq@example.org"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TOKEN, inner, max_size=2),
    max_leaves=6,
)
"""Values where the schema wants others: an unknown key's value, a text for a number."""

_FIELD_NAMES = sorted(
    {*element_data("KZ-2026-0001"), *TEXT_FIELDS, "contacts", "access", "unknown_key"}
)


def _typed(value: Any) -> Any:
    """`value` with each Withheld told apart from text (a view compares equal to one with its
    note in place of the Withheld otherwise)."""
    if isinstance(value, Withheld):
        return ("withheld", value.why, value.reason)
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


@given(
    records(),
    st.lists(st.tuples(st.sampled_from(_FIELD_NAMES), _ODD_VALUES), max_size=2),
    st.lists(st.tuples(st.sampled_from(_FIELD_NAMES), TOKEN, _ODD_VALUES), max_size=2),
    st.sets(st.sampled_from(_FIELD_NAMES)),
    st.sampled_from(list(redact.Audience)),
)
@settings(
    max_examples=examples(100, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_law_a_view_of_some_fields_is_the_whole_view_restricted_to_them(
    generated: tuple[dict[str, Any], set[str], set[str]],
    replaced: list[tuple[str, Any]],
    added: list[tuple[str, str, Any]],
    only: set[str],
    audience: redact.Audience,
) -> None:
    """`view(..., only=...)` (what packet rows are made from) holds exactly what the whole view
    holds under those fields, for records out of shape anywhere: an unknown key at the top
    (the whole record is then withheld from the public, whichever field it is), inside a
    field, a value of the wrong kind, restrictions and contacts."""
    data, __, __ = generated
    for field, value in replaced:
        data[field] = value
    for field, key, value in added:
        if isinstance(data.get(field), dict):
            data[field][key] = value
    private = {"contacts": [{"name": "zq-private"}], "description": {"kk": "zq-kk"}}
    policy = policy_for(REPO_ROOT / "schema")  # the shape of records: as packets have it
    whole = redact.view(data, audience, private=private, policy=policy)
    part = redact.view(data, audience, private=private, policy=policy, only=only)
    assert _typed(part) == _typed({k: v for k, v in whole.items() if k in only})


def test_an_unknown_top_level_key_withholds_the_fields_of_a_view_of_some_fields() -> None:
    """The case the law above is for: the key the view does not copy still puts the record
    out of shape, and the public sees none of its fields but the identification (the id,
    names, domains, provinces and status among them)."""
    policy = policy_for(REPO_ROOT / "schema")
    data = element_data("KZ-2026-0001", contact={"email": "zq@example.org"})
    only = {"id", "names", "status", "provinces", "viability", "provenance"}
    part = redact.public_view(data, policy=policy, only=only)
    assert part["id"] == "KZ-2026-0001" and part["status"] == "active"
    assert {k for k, v in part.items() if isinstance(v, Withheld)} == {"viability", "provenance"}
    whole = redact.public_view(data, policy=policy)
    assert _typed(part) == _typed({k: v for k, v in whole.items() if k in part})
