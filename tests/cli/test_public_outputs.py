"""No public output of any command, in any format, shows a contact or a withheld text: not
under a malformed `access`, not for a value that was public in an old commit and is
restricted now, not quoted inside a finding, not in the CI job summary."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest
from ruamel.yaml import YAML

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, commit

Run = Callable[..., Result]

EARLIER = "EARLIER-PUBLIC-TEXT-k3w"
"""Public in the first commit, restricted since."""
NOW = "NOW-WITHHELD-TEXT-p5z"
EMAIL = "bearer.k3w@example.org"
BAD_EMAIL = "not-an-address zh9 EMAIL-QUOTED-r2t"
"""A contact value the schema rejects: its finding must not quote it."""
ELEMENT = "KZ-2026-0001"

ACCESS_VARIANTS: dict[str, Any] = {
    "other-case": {"level": "Restricted", "reason": "asked"},
    "a-text": "restricted",
    "null": None,
    "a-list": ["restricted", "/description"],
    "unknown-key": {"level": "restricted", "restricted_part": ["/description"], "reason": "x"},
    "part-naming-nothing": {"level": "restricted", "restricted_parts": ["/descripton"]},
    "empty-key": {"level": "restricted", "restricted_parts": ["//description"], "reason": "x"},
    "public-with-parts": {"level": "public", "restricted_parts": ["/description"]},
    "restricted-part": {"level": "restricted", "restricted_parts": ["/description"], "reason": "x"},
    "restricted-whole": {"level": "restricted", "reason": "sacred"},
}


@pytest.fixture(params=sorted(ACCESS_VARIANTS))
def history(request: pytest.FixtureRequest, git_inventory: Path) -> Path:
    """An element public in one commit, restricted (in a malformed way) in the next; its
    contact's e-mail address is kept throughout."""
    repo = git.Repo(git_inventory)
    contacts = [{"name": "A. Bearer", "role": "bearer", "email": EMAIL}]
    d.write(git_inventory, d.element(ELEMENT, description={"en": EARLIER}, contacts=contacts))
    commit(repo, "Add an element, public")
    restricted = d.element(
        ELEMENT,
        description={"en": NOW},
        contacts=[*contacts, {"name": "B. Bearer", "role": "bearer", "email": BAD_EMAIL}],
        access=ACCESS_VARIANTS[request.param],
    )
    d.write(git_inventory, restricted)
    commit(repo, "Restrict it")
    return git_inventory


def outputs(run: Run, root: Path) -> dict[str, str]:
    """Everything the public reads of the inventory: diffs, history, findings, summary."""
    found: dict[str, str] = {}

    def both(*args: str) -> str:
        result = run(*args)
        return result.stdout + result.stderr

    for fmt in ("text", "markdown", "json"):
        found[f"diff-2013 {fmt}"] = run("diff-2013", "-f", fmt).stdout
        found[f"diff-2013 {fmt} stderr"] = run("diff-2013", "-f", fmt).stderr
        found[f"diff HEAD~1 {fmt}"] = both("diff", "--baseline", "HEAD~1", "-f", fmt)
        found[f"diff --against {fmt}"] = both(
            "diff", "--baseline", "HEAD~1", "--against", "HEAD", "-f", fmt
        )
    for fmt in ("text", "json"):
        found[f"log {fmt}"] = both("log", ELEMENT, "-f", fmt)
    for args in (["list", "-f", "csv"], ["export", "-f", "json"], ["show", ELEMENT]):
        found[" ".join(args)] = both(*args)
    reports = root.parent / "reports"
    reports.mkdir()
    for fmt in ("text", "json", "github", "sarif"):
        result = run("validate", "-f", fmt)
        found[f"validate {fmt}"] = result.stdout + result.stderr
        (reports / f"validate.{fmt}").write_text(result.stdout, encoding="utf-8")
    (reports / "diff-2013.md").write_text(found["diff-2013 markdown"], encoding="utf-8")
    summary = run(
        "ci", "summary", str(reports / "validate.json"), str(reports / "diff-2013.md"), "-o", "-"
    )
    found["ci summary"] = summary.stdout
    return found


def test_no_public_output_shows_a_withheld_value(history: Path, run: Run) -> None:
    leaks = {
        name: [s for s in (EARLIER, NOW, EMAIL, "EMAIL-QUOTED-r2t") if s in text]
        for name, text in outputs(run, history).items()
    }
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_committee_still_reads_everything(git_inventory: Path, run: Run) -> None:
    repo = git.Repo(git_inventory)
    d.write(git_inventory, d.element(ELEMENT, description={"en": EARLIER}))
    commit(repo, "Add an element, public")
    d.write(
        git_inventory,
        d.element(ELEMENT, description={"en": NOW}, access=ACCESS_VARIANTS["restricted-part"]),
    )
    committee = run("diff", "--baseline", "HEAD", "--audience", "committee").stdout
    assert EARLIER in committee and NOW in committee
    public = run("diff", "--baseline", "HEAD").stdout
    assert EARLIER not in public and NOW not in public
    assert "/description" in public  # where and what kind, never what


def test_a_key_inside_a_contact_is_never_named_by_a_finding(git_inventory: Path, run: Run) -> None:
    """An unknown key is reported at its place, but a key inside a contact may itself be
    personal data: findings name the field down to `contacts` and no further."""
    leaky = "keyleak3@example.org"
    contacts = [{"name": "A. Bearer", "role": "bearer", leaky: "x"}]
    d.write(git_inventory, d.element(ELEMENT, contacts=contacts))
    for fmt in ("text", "json", "github", "sarif"):
        result = run("validate", "-f", fmt)
        assert result.exit_code == 1
        assert leaky not in result.stdout + result.stderr, fmt
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    assert any(f["pointer"].startswith("/contacts") for f in findings)


def test_a_contact_outside_contacts_reaches_no_public_output(git_inventory: Path, run: Run) -> None:
    """Contacts an editor put where the schema has no field for them (a documentation item, a
    quoted `"<<"` key, a key's name, the names, a mapping for a text): the record fails
    validate, and until it is fixed no public output shows them, nor the committee's lacks
    them."""
    repo = git.Repo(git_inventory)
    d.write(git_inventory, d.element(ELEMENT, description={"en": EARLIER}))
    commit(repo, "Add an element, public")
    d.write(git_inventory, d.misplaced_element(ELEMENT))
    commit(repo, "Put contacts where they do not belong")
    found = outputs(run, git_inventory)
    for args in (["packet", ELEMENT], ["packet", "--since", "HEAD~1"], ["list", "-f", "json"]):
        found[" ".join(args)] = run(*args, "--audience", "public").stdout
    leaks = {name: [s for s in d.MISPLACED.values() if s in text] for name, text in found.items()}
    assert {name: hits for name, hits in leaks.items() if hits} == {}
    assert run("validate").exit_code == 1
    committee = run("export", "-f", "json", "--audience", "committee").stdout
    assert all(s in committee for s in d.MISPLACED.values())


def test_a_web_addresses_user_name_and_password_reach_no_public_output(
    git_inventory: Path, run: Run
) -> None:
    """An outside attack: a source's address with a user name and password in it passed
    validate silently, and show and the site printed and linked it whole; `site --base-url`
    refuses such an address. Now validate warns of it, and every public output shows the
    address without them (it still leads to the source); the committee reads it as written."""
    repo = git.Repo(git_inventory)
    page = "opennews.kz/culture/13599-kujshiler.html"
    login = "aigul.kenzhebayeva:Secr3tPass@"
    source = {"list": "other", "url": f"https://{page}", "note": "District kui contest."}
    provenance = {"entered": "2026-04-01", "sources": [source]}
    d.write(git_inventory, d.element(ELEMENT, provenance=provenance))
    commit(repo, "Add an element, public")
    source["url"] = f"https://{login}{page}"
    source["note"] = f"District kui contest, see https://{login}{page}"
    d.write(git_inventory, d.element(ELEMENT, provenance=provenance))
    commit(repo, "Cite its source with a login")
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    warned = [f for f in findings if f["rule"] == "text.contact"]
    assert sorted(f["pointer"] for f in warned) == [
        "/provenance/sources/0/note",
        "/provenance/sources/0/url",
    ]
    assert all("user name or password" in f["message"] for f in warned)
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")  # packets, the site
    found = outputs(run, git_inventory)
    found["packet"] = run("packet", "--element", ELEMENT, "--output", "-").stdout
    site = git_inventory.parent / "site"
    built = run("site", "-o", str(site), "--lang", "en")
    assert built.exit_code == 0, built.stderr
    for file in site.rglob("*"):
        if file.is_file():
            found[str(file)] = file.read_text(encoding="utf-8", errors="replace")
    assert {name for name, text in found.items() if "Secr3tPass" in text} == set()
    assert f'href="https://{page}"' in found[str(site / "en" / "elements" / f"{ELEMENT}.html")]
    assert f"https://{page}" in found[f"show {ELEMENT}"] and f"https://{page}" in found["packet"]
    committee = run("show", ELEMENT, "--audience", "committee").stdout
    assert "Secr3tPass" in committee


@pytest.mark.parametrize(
    "address",
    [
        "https:\\\\aigul.k:Secr3tPass@host.example.org/x",
        "https:/\\aigul.k:Secr3tPass@host.example.org/x",
        "HTTPS://AIGUL.K:SECR3TPASS@HOST.EXAMPLE.ORG/X",
        "https:aigul.k:Secr3tPass@host.example.org/x",  # no slashes (WHATWG URL)
        "https:\t//aigul.k:Secr3tPass@host.example.org/x",
    ],
)
def test_a_web_login_however_its_slashes_are_written_reaches_no_public_output(
    git_inventory: Path, run: Run, address: str
) -> None:
    """A review: validate warned of `https:\\\\user:pw@host/…` (which a browser reads as
    `https://user:pw@host/…`), but show, export, diff, log and the packets printed it whole,
    as they did `https:/\\…`. Now every public output leaves the user name and password out
    of whatever validate warns of as a web address's login."""
    repo = git.Repo(git_inventory)
    source = {"list": "other", "note": "District kui contest."}
    provenance = {"entered": "2026-04-01", "sources": [source]}
    d.write(git_inventory, d.element(ELEMENT, provenance=provenance))
    commit(repo, "Add an element, public")
    source["note"] = f"District kui contest, see {address}"
    d.write(git_inventory, d.element(ELEMENT, provenance=provenance))
    commit(repo, "Cite its source with a login")
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    warned = [f for f in findings if f["rule"] == "text.contact"]
    assert [f["pointer"] for f in warned] == ["/provenance/sources/0/note"]
    assert "user name or password" in warned[0]["message"]
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")  # the packets
    found = {
        " ".join(args): run(*args).stdout
        for args in (
            ["show", ELEMENT],
            ["export", "-f", "json"],
            ["list", "-f", "csv"],
            ["diff", "--baseline", "HEAD~1", "-f", "json"],
            ["log", ELEMENT],
            ["packet", "--element", ELEMENT, "--output", "-"],
            ["packet", "--since", "HEAD~1", "--output", "-"],
        )
    }
    assert {name for name, text in found.items() if "secr3tpass" in text.lower()} == set()
    assert "host.example.org/x" in found[f"show {ELEMENT}"].lower()  # it still leads there
    assert "secr3tpass" in run("show", ELEMENT, "--audience", "committee").stdout.lower()


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("see https:\\\\aigul.k:Secr3tPass@host.example.org/x", "Secr3tPass"),
        ("see https://example.org/form?email=someone%40example.org", "someone"),
        ("see https://example.org/form?mail=someone@example.org", "someone"),
        ("TELEGRAM: aigul_k6", "aigul_k6"),
        ("WHATSAPP - leak.handle8", "leak.handle8"),
        # a later review: what an editor pastes from Word or WhatsApp, a calendar's address
        ("call (700) 000-00-41", "000-00-41"),
        ("call 8/700/000/00/41", "000/00/41"),
        ("write to aigul\u00a0at\u00a0example.org", "aigul"),
        ("see https://calendar.google.com/calendar/ical/aigul%40example.org/public/b.ics", "aigul"),
        ("see https:aigul:s3cret@example.org/archive", "s3cret"),
    ],
)
def test_what_log_hides_of_a_commits_subject_validate_warns_of_in_a_records_text(
    git_inventory: Path, run: Run, text: str, contact: str
) -> None:
    """A review: `log` hid an e-mail address in a web address's query and a handle after a
    messenger's name in capitals from a commit's subject, but validate passed both in a
    record's text, whose public outputs print it as written."""
    repo = git.Repo(git_inventory)
    d.write(git_inventory, d.element(ELEMENT, description={"en": text}))
    commit(repo, f"Add an element, {text}")
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    assert [f["pointer"] for f in findings if f["rule"] == "text.contact"] == ["/description/en"]
    shown = run("log", ELEMENT).stdout
    assert "Add an element, " in shown and contact not in shown


@pytest.mark.parametrize("schema", ["missing", "a folder"])
def test_without_the_element_schema_no_output_is_made(
    git_inventory: Path, run: Run, schema: str
) -> None:
    """Found by an outside review: with schema/element.schema.json deleted (or a folder in its
    place, by a hostile pull request), the public dossier, `show` and the site published a
    phone number written where the schema has no field, exit 0: without the schema a public
    view cannot tell a field from a contact, so every command stops as `validate` does."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    d.write(git_inventory, d.misplaced_element(ELEMENT))
    path = git_inventory / "schema" / "element.schema.json"
    path.unlink()
    if schema == "a folder":
        path.mkdir()
    for args in (
        ["packet", "--element", ELEMENT, "--audience", "public", "--output", "-"],
        ["show", ELEMENT],
        ["list", "-f", "json"],
        ["site", "--output", str(git_inventory.parent / "site")],
        ["export", "-f", "json"],
        ["diff-2013", "-f", "json"],
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stdout)
        assert "element.schema.json" in result.stderr, args
        assert not [s for s in d.MISPLACED.values() if s in result.stdout + result.stderr], args
    assert not (git_inventory.parent / "site").exists()


def test_a_cross_record_finding_does_not_quote_a_reference_in_a_withheld_part(
    git_inventory: Path, run: Run
) -> None:
    """`there is no province …` quotes the reference: inside a restricted part (or one not in
    the schema's form) the finding keeps its rule and line, not its words."""
    hidden, shown = "KZ-QQX", "KZ-QQY"
    d.write(
        git_inventory,
        d.element(
            ELEMENT,
            locations=[{"place": "A grove", "province": hidden}],
            access=ACCESS_VARIANTS["restricted-part"] | {"restricted_parts": ["/locations"]},
        ),
        d.element("KZ-2026-0002", locations=[{"place": "A square", "province": shown}]),
    )
    for fmt in ("text", "json", "github", "sarif"):
        result = run("validate", "-f", fmt)
        assert result.exit_code == 1
        assert hidden not in result.stdout + result.stderr, fmt
        assert shown in result.stdout, fmt  # a public reference is still named, for the editor
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    withheld = [f for f in findings if f["rule"] == "ref.province" and f["pointer"] == "/locations"]
    assert len(withheld) == 1 and withheld[0]["line"] > 1


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("  dup.k7@example.org: 1\n  dup.k7@example.org: 2\n", "dup.k7@example.org"),
        ("  77000000042: bearer\n", "77000000042"),  # a key read as a number
        (f"  phone: {'7' * 120}\n", "7" * 20),  # a number too long to read
        ("  phone: !!int +7 700 000 00 43\n", "700 000 00 43"),
        ("  email: !tag.k7@example.org x\n", "tag.k7@example.org"),
    ],
    ids=["duplicate-key", "number-key", "long-number", "tagged", "custom-tag"],
)
def test_a_file_that_cannot_be_read_is_reported_without_quoting_it(
    git_inventory: Path, run: Run, line: str, secret: str
) -> None:
    """Nothing of an unreadable file is known, so nothing of it is quoted: the rule and the
    place only (every command reports it, public ones too, and the site keeps the report)."""
    text = io.StringIO()
    YAML().dump(d.element(ELEMENT), text)
    path = git_inventory / "elements" / f"{ELEMENT}.yaml"
    path.write_text(text.getvalue() + "extra:\n" + line, encoding="utf-8")
    for args in (["validate"], ["validate", "-f", "json"], ["list"], ["show", ELEMENT]):
        result = run(*args)
        assert result.exit_code != 0, args
        assert secret not in result.stdout + result.stderr, args
    assert "[yaml." in run("validate").stdout


@pytest.mark.parametrize("then", ["broken", "deleted", "broken-uncommitted"])
def test_log_keeps_a_part_withheld_once_restricted_whatever_the_record_became(
    git_inventory: Path, run: Run, then: str
) -> None:
    """An outside test: restricted in one commit, then broken (or deleted), the record's
    history showed the values it had before it was restricted."""
    repo = git.Repo(git_inventory)
    path = git_inventory / "elements" / f"{ELEMENT}.yaml"
    for text in ("FIRST-TEXT-h5q", "SECOND-TEXT-h5q"):
        d.write(git_inventory, d.element(ELEMENT, description={"en": text}))
        commit(repo, f"Describe it: {text[:5]}")
    access = {"level": "restricted", "restricted_parts": ["/description"], "reason": "asked"}
    d.write(git_inventory, d.element(ELEMENT, description={"en": "SECOND-TEXT-h5q"}, access=access))
    commit(repo, "Restrict the description")
    if then == "deleted":
        path.unlink()
    else:
        path.write_text(path.read_text("utf-8") + "\n\t: broken\n", encoding="utf-8")
    if then != "broken-uncommitted":
        commit(repo, "Break it")
    for fmt in ("text", "json"):
        shown = run("log", ELEMENT, "-f", fmt)
        assert "TEXT-h5q" not in shown.stdout + shown.stderr, (fmt, shown.stdout)
        if then == "deleted":  # its last version says what stays withheld
            assert "/description" in shown.stdout  # where and what kind, never what
        else:  # what it says now is not known: only its identification, no subject nor field
            assert "\n  /description:" not in shown.stdout and "Restrict" not in shown.stdout
            assert '"pointer": "/description"' not in shown.stdout
    committee = run("log", ELEMENT, "--audience", "committee").stdout
    assert "FIRST-TEXT-h5q" in committee


def test_a_province_finding_is_judged_as_a_province(git_inventory: Path, run: Run) -> None:
    """A province's findings were unquoted as if it were an element withheld as a whole (its
    own fields unknown to the element schema): `the value at /id breaks this rule`."""
    path = git_inventory / "provinces" / "KZ-23.yaml"
    path.write_text(path.read_text("utf-8").replace("id: KZ-23", "id: KZ-24", 1), "utf-8")
    found = [
        f
        for f in json.loads(run("validate", "-f", "json").stdout)["findings"]
        if f["rule"] == "id.file-name"
    ]
    assert [f["message"] for f in found] == ["the id is 'KZ-24' but the file is named 'KZ-23.yaml'"]


def test_progress_and_the_periodic_report_name_and_count_only_what_the_public_may_read(
    git_inventory: Path, run: Run
) -> None:
    """An outside test: both printed a name restricted in place, and values outside the
    vocabulary (a domain, a consent state, a province that is an e-mail address) as keys of
    their tables."""
    restricted = {"level": "restricted", "restricted_parts": ["/names/en"], "reason": "asked"}
    d.write(
        git_inventory,
        d.element(
            ELEMENT,
            names={"kk": "Сынақ", "en": "LEAK-NAME-p7q"},
            access=restricted,
        ),
        d.element(
            "KZ-2026-0002",
            domains=["craftsmanship", "leak.domain.p7q@example.org"],
            provinces=["KZ-23", "leak.province.p7q@example.org"],
            consent={"status": "leak.consent.p7q@example.org"},
        ),
    )
    for args in (["progress", "-f", "json"], ["progress"], ["report", "periodic", "-f", "json"]):
        result = run(*args)
        assert result.exit_code in (0, 1), result.stderr
        assert "p7q" not in result.stdout + result.stderr, args
    assert ELEMENT in run("report", "periodic", "-f", "json").stdout  # still counted, by id


def test_a_restricted_merger_is_not_named_by_the_element_it_leads_to(
    git_inventory: Path, run: Run
) -> None:
    """An outside test: ref.merged-from, reported on the element merged into, named the
    element whose `status_change` (and so its merger) is restricted."""
    access = {"level": "restricted", "restricted_parts": ["/status_change"], "reason": "asked"}
    d.write(
        git_inventory,
        d.element(
            "KZ-2026-0007",
            status="merged",
            status_change={"date": "2026-05-01", "merged_into": "KZ-2026-0008", "reason": "x"},
            access=access,
        ),
        d.element("KZ-2026-0008"),
    )
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    merged = [f for f in findings if f["rule"] == "ref.merged-from"]
    assert merged and all("KZ-2026-0007" not in f["message"] + str(f["hint"]) for f in merged)


def test_suppression_findings_quote_neither_an_unknown_rule_nor_a_records_reason(
    git_inventory: Path, run: Run
) -> None:
    """An outside test: suppression.unused quoted a malformed rule (an e-mail address) and
    suppression.expired a reason the record withholds (`restricted_parts: [/suppressions]`)."""
    d.write(
        git_inventory,
        d.element(
            ELEMENT,
            suppressions=[
                {"rule": "s5q@example.org", "reason": "r", "until": "2099-12-31"},
                {"rule": "viability.missing", "reason": "S5Q reason", "until": "2020-01-01"},
            ],
            access={"level": "restricted", "restricted_parts": ["/suppressions"], "reason": "x"},
        ),
    )
    for fmt in ("text", "json", "github", "sarif"):
        out = run("validate", "-f", fmt).stdout
        assert "s5q" not in out.lower(), fmt
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    assert {"suppression.unused", "suppression.expired"} <= {f["rule"] for f in findings}


def test_reports_do_not_pin_what_a_record_withholds(git_inventory: Path, run: Run) -> None:
    """An outside test: progress listed an element under a province its record withholds,
    and a narrow period of the periodic report named a merged element whose status_change
    (and its date) is restricted."""
    d.write(
        git_inventory,
        d.element(
            ELEMENT,
            provinces=["KZ-23"],
            access={"level": "restricted", "restricted_parts": ["/provinces/0"], "reason": "x"},
        ),
        d.element(
            "KZ-2026-0002",
            status="merged",
            status_change={"date": "2026-03-03", "merged_into": ELEMENT, "reason": "same"},
            access={"level": "restricted", "restricted_parts": ["/status_change"], "reason": "x"},
        ),
    )
    progress = json.loads(run("progress", "-f", "json").stdout)
    listed = {e["id"] for p in progress["provinces"] for e in p["elements"]}
    assert ELEMENT not in listed
    report = run("report", "periodic", "--from", "2026-03-03", "--to", "2026-03-03", "-f", "json")
    assert "KZ-2026-0002" not in json.dumps(json.loads(report.stdout)["indicator_7_3"])


def test_an_id_not_in_an_ids_form_is_neither_answered_by_nor_quoted(
    git_inventory: Path, run: Run
) -> None:
    """An outside test: `id: <an e-mail address>` was listed, exported and named by the site.
    Such a record is left out of the answer and named by its file only (exit 1)."""
    d.write(git_inventory, d.element(ELEMENT))
    commit(git.Repo(git_inventory), "Add an element")
    path = git_inventory / "elements" / f"{ELEMENT}.yaml"
    path.write_text(path.read_text("utf-8").replace(f'"{ELEMENT}"', '"id.q4@example.org"'), "utf-8")
    for args in (
        ["list"],
        ["list", "-f", "json"],
        ["export", "-f", "json"],
        ["show", ELEMENT],
        ["diff", "--baseline", "HEAD", "-f", "json"],
        ["diff", "--baseline", "HEAD"],
        ["diff-2013", "-f", "markdown"],
    ):
        result = run(*args)
        assert result.exit_code != 0, args
        assert "q4@" not in result.stdout + result.stderr, args
    assert f"elements/{ELEMENT}.yaml" in run("list").stderr


def test_every_rule_of_the_catalogue_is_named_by_suppression_findings() -> None:
    from ichinv.core.catalogue import CATALOGUE
    from ichinv.validate.suppressions import _RULE_ID

    assert [r for r in CATALOGUE if not _RULE_ID.fullmatch(r)] == []


REMARKS = {"phone": "+7 700 000 31 31", "mail": "remarks31@example.org"}
"""A contact written into a field a pull request added to the schema."""


@pytest.mark.parametrize(
    "remarks",
    [
        {"const": "none"},
        {"enum": [{"a": "b"}]},
        {"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": False},
        {"type": "object", "if": {"required": ["x"]}, "then": {}, "else": {"maxProperties": 0}},
        {"type": "object", "dependentSchemas": {"phone": False}},
        {"type": "object", "maxProperties": 0},
        {"type": "object", "propertyNames": {"pattern": "^[a-z]{2}$"}},
        {"type": "string", "properties": {}},
        {"type": "object", "allOf": [{"additionalProperties": False}]},
        {"oneOf": [{"type": "object"}]},
    ],
    ids=lambda schema: "-".join(sorted(schema))[:40],
)
def test_a_part_the_shape_does_not_work_out_is_withheld(
    git_inventory: Path, run: Run, remarks: dict[str, Any]
) -> None:
    """Found by outside reviews: under each of these schemas (valid draft 2020-12), a contact
    written into the field was printed by show, export, the packets and the site, exit 0
    (validate refused the record). The part is withheld until it is in a form ichinv reads."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    path = git_inventory / "schema" / "element.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["remarks"] = remarks
    path.write_text(json.dumps(schema), encoding="utf-8")
    d.write(git_inventory, d.element(ELEMENT, remarks=REMARKS))
    outputs = {
        "show": run("show", ELEMENT),
        "export": run("export", "-f", "json"),
        "csv": run("export", "-f", "csv"),
        "packet": run("packet", "--element", ELEMENT, "--audience", "public", "--output", "-"),
    }
    for name, result in outputs.items():
        assert result.exit_code in (0, 1, 2), (name, result.stderr)
        said = result.stdout + result.stderr
        assert not [v for v in REMARKS.values() if v in said], (name, said)
        assert "internal error" not in said, name


@pytest.mark.parametrize(
    "remarks",
    [
        {"const": 0},
        {"enum": ["none", None]},
        {"type": "string", "enum": ["none"], "anyOf": [{"type": "string"}]},
        {"$ref": "#/$defs/lang", "pattern": "^.+$"},
    ],
    ids=["const-0", "enum-with-null", "enum-beside-anyOf", "pattern-beside-ref"],
)
def test_a_text_the_schema_refuses_is_withheld(
    git_inventory: Path, run: Run, remarks: dict[str, Any]
) -> None:
    """Found by a fourth outside review: an enum or const holding a value that is not text
    let any text through; keywords beside anyOf, or beside a $ref (which replaced the target's
    vocabulary), were ignored: public outputs printed a contact the schema refused."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    path = git_inventory / "schema" / "element.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["remarks"] = remarks
    path.write_text(json.dumps(schema), encoding="utf-8")
    d.write(git_inventory, d.element(ELEMENT, remarks="call remarks32@example.org"))
    for args in (
        ["show", ELEMENT],
        ["export", "-f", "json"],
        ["packet", "--element", ELEMENT, "--audience", "public", "--output", "-"],
    ):
        result = run(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "remarks32@example.org" not in result.stdout + result.stderr, args


@pytest.mark.parametrize(
    ("record", "rule"),
    [
        ({"status": "retired"}, "status.reason"),
        ({"viability": None}, "viability.missing"),
        ({"suppressions": [{"rule": "path.missing", "reason": "x", "until": "2020-01-01"}]},
         "suppression.expired"),
    ],
    ids=["retired without a reason", "viability missing", "suppression expired"],
)  # fmt: skip
def test_a_public_finding_about_a_withheld_part_names_no_rule_of_its_own(
    git_inventory: Path, run: Run, record: dict[str, Any], rule: str
) -> None:
    """The public change packet named the rule of a finding about a part the public view
    withholds (`viability.missing`: that a field it withholds is missing; `status.reason`,
    found at the public `status`: that the retirement it withholds gives no reason). Such a
    finding keeps its severity and its place, under the rule `withheld.part`; the committee's
    packet names the rule."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    repo = git.Repo(git_inventory)
    d.write(git_inventory, d.element(ELEMENT))
    commit(repo, "Add an element")
    d.write(git_inventory, d.element(ELEMENT, consent={"status": "pending"}, **record))
    commit(repo, "Change it")
    committee = run("packet", "--since", "HEAD~1", "--audience", "committee")
    assert f"| `{rule}` |" in committee.stdout
    public = run("packet", "--since", "HEAD~1")
    assert public.exit_code == committee.exit_code == 0, public.stderr
    assert rule not in public.stdout
    assert "| `withheld.part` | `elements/KZ-2026-0001.yaml" in public.stdout
