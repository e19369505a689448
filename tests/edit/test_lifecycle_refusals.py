"""`retire`, `merge` and `renumber` refuse what they cannot do well, in words that quote no
contact and change nothing (found by an outside test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, element_yaml, init_repo

Run = Callable[..., Result]

PHONE = "+7 701 555 1234"
EMAIL = "aigul@mail.kz"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "elements").iterdir())}


@pytest.fixture
def elements(inventory: Path) -> Path:
    """The base inventory's KZ-2013-0002, plus active KZ-2026-0001 and KZ-2026-0002."""
    folder = inventory / "elements"
    for element_id in ("KZ-2026-0001", "KZ-2026-0002"):
        (folder / f"{element_id}.yaml").write_text(element_yaml(element_id), encoding="utf-8")
    return inventory


def _rewrite(root: Path, element_id: str, old: str, new: str) -> None:
    path = root / "elements" / f"{element_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_status_not_in_its_form_is_never_quoted(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """It was: `KZ-2013-0004 is 'ask Aigul +7 701 555 1234', not active`."""
    monkeypatch.setenv("ICHINV_LANG", lang)
    _rewrite(elements, "KZ-2026-0001", "status: active", f'status: "ask Aigul {PHONE}"')
    before = snapshot(elements)
    for args in (
        ("retire", "KZ-2026-0001", "--reason", "x"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--reason", "x"),
        ("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x"),
    ):
        result = run(*args)
        assert result.exit_code == 2, result.stderr
        assert "KZ-2026-0001" in result.stderr and "…" in result.stderr
        assert "555" not in result.stderr and "Aigul" not in result.stderr
    assert snapshot(elements) == before


def test_a_status_that_reads_as_a_word_is_still_quoted(elements: Path, run: Run) -> None:
    _rewrite(elements, "KZ-2026-0001", "status: active", "status: retird")
    result = run("retire", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "error: KZ-2026-0001 is 'retird', not active" in result.stderr


def test_an_absent_status_is_said_in_words(elements: Path, run: Run) -> None:
    """It was: `KZ-2013-0004 is None, not active`."""
    _rewrite(elements, "KZ-2026-0001", "status: active\n", "")
    result = run("retire", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "error: KZ-2026-0001 has no status, so it is not active" in result.stderr
    assert "None" not in result.stderr and "add `status: active`" in result.stderr


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_merged_into_that_is_no_id_is_never_quoted(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """It was: `--into KZ-2026-0044 is merged into aigul@mail.kz, not active / hint: merge
    into aigul@mail.kz`."""
    monkeypatch.setenv("ICHINV_LANG", lang)
    _rewrite(
        elements,
        "KZ-2026-0001",
        "status: active\n",
        f"status: merged\nstatus_change:\n  reason: x\n  date: 2026-11-01\n  merged_into: {EMAIL}\n",
    )
    result = run("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "KZ-2026-0001" in result.stderr
    assert "aigul" not in result.stderr and "mail.kz" not in result.stderr
    if lang == "en":
        assert "error: --into KZ-2026-0001 is merged, not active" in result.stderr


CONTACT_TEXTS = [
    f"Asked by Aigul, call {PHONE} or {EMAIL}",
    f"Write to {EMAIL}",
    "Order 12, ask 8 701 555 12 34",
    "Order 12, ask 701 555 1234",  # a review: a mobile number with no 8 before it, a handle
    "Agreed with aigul.k8 on Skype: aigul.k8",  # after Skype's name: both were written
]


@pytest.mark.parametrize("option", ["--reason", "--decision"])
@pytest.mark.parametrize("text", CONTACT_TEXTS)
def test_a_reason_or_decision_holding_a_contact_is_refused_unquoted(
    elements: Path, run: Run, option: str, text: str
) -> None:
    """`show`, the packets and the site publish the reason and the decision: a contact in
    them was written into the record (exit 0)."""
    before = snapshot(elements)
    for command in (
        ("retire", "KZ-2026-0001"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002"),
    ):
        args = [*command, "--reason", "Withdrawn", "--decision", "Order 12", option, text]
        result = run(*args)
        assert result.exit_code == 2, result.stdout
        assert (
            f"error: the value of {option} holds an e-mail address, a phone number or a messenger's link"
            in result.stderr
        )
        assert "keep contacts in the record's contacts field" in result.stderr
        assert "555" not in result.stderr and "aigul" not in result.stderr.lower()
    assert snapshot(elements) == before


def test_a_reason_naming_ids_dates_and_a_decision_number_is_no_contact(
    elements: Path, run: Run
) -> None:
    result = run(
        "merge",
        "KZ-2026-0001",
        "--into",
        "KZ-2026-0002",
        "--reason",
        "The same practice as KZ-2026-0002, as the committee found on 2026-11-10.",
        "--decision",
        "Order No. 2026/11-123456 of 10 November 2026",
    )
    assert result.exit_code == 0, result.stderr
    assert run("validate").exit_code == 0  # no text.contact either


def test_a_decision_citing_a_sum_a_shelf_mark_a_file_and_a_site_is_no_contact(
    elements: Path, run: Run
) -> None:
    """A review: each of these was refused as holding a contact (exit 2), and validate warned
    of it in a record."""
    result = run(
        "retire",
        "KZ-2026-0001",
        "--reason",
        "Moved to the museum at kazmuseum.kz (\u0418\u043d\u0432. \u2116 745 123 45 67)",
        "--decision",
        "Order No. 12: +1 700 000 000 \u0442\u0435\u04a3\u0433\u0435, Austria (AT) 1.5%, "
        "scan Order12@2x.png",
    )
    assert result.exit_code == 0, result.stderr
    assert run("validate").exit_code == 0  # no text.contact either


def test_a_decision_citing_a_kazakh_sum_a_recording_a_book_and_a_law_is_no_contact(
    elements: Path, run: Run
) -> None:
    """An outside attack: each of these was refused as holding a contact (exit 2, with no way
    past), and validate warned of it in a record."""
    result = run(
        "merge",
        "KZ-2026-0001",
        "--into",
        "KZ-2026-0002",
        "--reason",
        "The same practice",
        "--decision",
        "Order No. 50 of 1 March 2013 is at adilet.zan.kz; +1 700 000 000 "
        "\u0442\u0435\u04a3\u0433\u0435\u0433\u0435; ISBN 7040123456; tokpe_kui@48kHz.wav",
    )
    assert result.exit_code == 0, result.stderr
    assert run("validate").exit_code == 0  # no text.contact either


def _entered(root: Path, element_id: str, day: str) -> None:
    path = root / "elements" / f"{element_id}.yaml"
    path.write_text(
        element_yaml(element_id, provenance={"entered": day, "sources": [{"list": "other"}]}),
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("retire", "KZ-2026-0001", "--date", "2026-01-31"),
            "the decision date 2026-01-31 is before KZ-2026-0001 entered the inventory "
            "(2026-02-01)",
        ),
        (
            ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--date", "2026-01-31"),
            "the decision date 2026-01-31 is before KZ-2026-0001 entered the inventory "
            "(2026-02-01)",
        ),
        (
            ("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--date", "2026-01-31"),
            "the decision date 2026-01-31 is before KZ-2026-0001 entered the inventory "
            "(2026-02-01)",
        ),
        (
            ("retire", "KZ-2013-0002", "--date", "2010-01-01"),
            "the decision date 2010-01-01 is before KZ-2013-0002 entered the inventory "
            "(2013-03-01)",
        ),
    ],
)
def test_a_decision_dated_before_the_element_entered_is_refused(
    elements: Path, run: Run, args: tuple[str, ...], said: str
) -> None:
    """It was accepted: `merge --date 2010-01-01` of an element entered on 2013-03-01."""
    _entered(elements, "KZ-2026-0001", "2026-02-01")
    before = snapshot(elements)
    result = run(*args, "--reason", "x")
    assert result.exit_code == 2, result.stdout
    assert f"error: {said}" in result.stderr
    assert "hint: check --date, and provenance.entered of" in result.stderr
    assert snapshot(elements) == before


def test_a_decision_on_the_day_the_element_entered_is_taken(elements: Path, run: Run) -> None:
    _entered(elements, "KZ-2026-0001", "2026-02-01")
    result = run("retire", "KZ-2026-0001", "--date", "2026-02-01", "--reason", "x")
    assert result.exit_code == 0, result.stderr
    assert run("validate").exit_code == 0


def test_validate_reports_a_status_change_dated_before_the_entry(elements: Path, run: Run) -> None:
    _rewrite(
        elements,
        "KZ-2013-0002",
        "status: active\n",
        "status: retired\nstatus_change:\n  reason: x\n  date: 2010-01-01\n",
    )
    result = run("validate", "elements/KZ-2013-0002.yaml")
    assert result.exit_code == 1
    assert (
        "error [date.order] provenance: entered 2013-03-01 is after status_change.date "
        "2010-01-01; hint: entered must not come after status_change.date"
    ) in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("retire", "KZ-2026-0001", "--reason", "x"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--reason", "x"),
        ("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x"),
        ("renumber", "KZ-2026-0001", "--force"),
        ("renumber", "elements/KZ-2026-0001.yaml", "--force"),
    ],
)
@pytest.mark.parametrize("broken", ["outside", "unparsable"])
def test_a_record_that_cannot_be_read_is_named_as_show_names_it(
    elements: Path, run: Run, tmp_path: Path, args: tuple[str, ...], broken: str
) -> None:
    """A record behind a link leading out of the inventory was "no element KZ-2013-0003 …
    did you mean KZ-2013-0020?", where show said why it cannot be read."""
    record = elements / "elements" / "KZ-2026-0001.yaml"
    if broken == "outside":
        outside = tmp_path / "elsewhere.yaml"
        outside.write_bytes(record.read_bytes())
        record.unlink()
        record.symlink_to(outside)
    else:
        record.write_text(record.read_text() + "related: [see-also\n", encoding="utf-8")
    before = snapshot(elements)
    # The editing commands are the committee's: they name it as `show` names it to them (to
    # the public, where a link leads is not shown).
    shown = run("show", "KZ-2026-0001", "--audience", "committee")
    assert shown.exit_code == 1
    assert shown.stderr.startswith("error: the record of KZ-2026-0001 cannot be read: ")
    result = run(*args)
    assert (result.exit_code, result.stderr) == (1, shown.stderr)
    assert snapshot(elements) == before


@pytest.mark.parametrize(
    "args",
    [
        ("retire", "KZ-2026-0001", "--reason", "x"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--reason", "x"),
        ("renumber", "KZ-2026-0001", "--force"),
        ("renumber", "elements/KZ-2026-0001.yaml", "--force"),
    ],
)
@pytest.mark.parametrize("how", ["link out", "own repository"])
def test_an_elements_folder_that_cannot_be_read_is_named_as_show_names_it(
    elements: Path, run: Run, tmp_path: Path, args: tuple[str, ...], how: str
) -> None:
    """With elements/ a link leading out of the inventory (or another repository), these
    said "there is no element KZ-2026-0001" (exit 2), where show said it cannot be read."""
    folder = elements / "elements"
    if how == "link out":
        moved = tmp_path / "r-elements"
        shutil.move(folder, moved)
        folder.symlink_to(moved)
    else:
        init_repo(folder)
        moved = folder
    before = {p.name: p.read_bytes() for p in sorted(moved.glob("*.yaml"))}
    shown = run("show", "KZ-2026-0001", "--audience", "committee")
    assert shown.exit_code == 1
    assert shown.stderr.startswith("error: the record of KZ-2026-0001 cannot be read: elements: ")
    result = run(*args)
    assert (result.exit_code, result.stderr) == (1, shown.stderr)
    assert {p.name: p.read_bytes() for p in sorted(moved.glob("*.yaml"))} == before


def test_renumber_refuses_when_a_record_that_may_refer_cannot_be_read(
    elements: Path, run: Run
) -> None:
    """It wrote the renamed record only (exit 0): the unreadable record's reference to the
    old id was left leading nowhere."""
    folder = elements / "elements"
    (folder / "KZ-2026-0002.yaml").write_text(
        element_yaml(
            "KZ-2026-0002", related=[{"id": "KZ-2026-0001", "relation": "see-also"}]
        ).replace("relation: see-also", "relation: [see-also"),
        encoding="utf-8",
    )
    (folder / "KZ-2026-0003.yaml").write_text("id: [\n", encoding="utf-8")
    before = snapshot(elements)
    result = run("renumber", "KZ-2026-0001", "--force")
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith(
        "error: 2 files cannot be read, and they may refer to KZ-2026-0001, so nothing was "
        "changed:\n  elements/KZ-2026-0002.yaml:"
    )
    assert "\n  elements/KZ-2026-0003.yaml:" in result.stderr
    assert "hint: fix them first (`ichinv validate` says what is wrong)" in result.stderr
    assert snapshot(elements) == before


def test_an_unreadable_record_does_not_stop_renumbering_a_copy_that_keeps_no_references(
    elements: Path, run: Run
) -> None:
    """Renumbering one of two records sharing an id changes no reference: nothing to miss."""
    folder = elements / "elements"
    (folder / "KZ-2026-0009.yaml").write_text(element_yaml("KZ-2026-0001"), encoding="utf-8")
    (folder / "KZ-2026-0003.yaml").write_text("id: [\n", encoding="utf-8")
    result = run("renumber", "elements/KZ-2026-0009.yaml")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("related", [f'"ask {EMAIL}"', "{id: KZ-2026-0002}"])
def test_merge_into_a_related_that_is_no_list_is_refused(
    elements: Path, run: Run, related: str
) -> None:
    """It was an internal error (exit 3): `/related is not a list`."""
    path = elements / "elements" / "KZ-2026-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"related: {related}\n", encoding="utf-8")
    before = snapshot(elements)
    result = run("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(
        "error: related of KZ-2026-0001 is not a list, so KZ-2026-0002 cannot be recorded in it\n"
    )
    assert EMAIL not in result.stderr
    assert snapshot(elements) == before


def test_renumber_quotes_what_was_typed(elements: Path, run: Run) -> None:
    """It said `ELEMENTS is neither …` for `renumber elements`; an id in any case is
    still taken."""
    result = run("renumber", "elements")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: elements is neither an element id nor a record file under elements/\n"
    )
    taken = run("renumber", "kz-2026-0002", "--to", "kz-2026-0009")
    assert taken.exit_code == 0, taken.stderr
