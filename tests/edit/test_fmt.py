"""`ichinv fmt`: canonical order and style, comments kept, --check/--diff for CI, idempotent."""

from __future__ import annotations

import errno
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.io import strict_yaml as yamlload
from tests.support.faults import refuse, temporaries
from tests.support.helpers import Result, element_yaml

Run = Callable[..., Result]

UNTIDY = """\
# yaml-language-server: $schema=../schema/element.schema.json
names:
    kk: Айтыс   # Kazakh
    ru: Айтыс
id: KZ-2026-0001
# the Convention domains
domains: [oral-traditions, performing-arts]
provinces: [KZ-43]
status: active
# consent comes after access here
access:
    level: public
consent:
    status: given
    evidence: Committee archive, consent file 2026/001  # the paper copy
    date: 2026-10-01
    form: written
description:
    en: "Improvised poetic contest\\nbetween two akyns."
provenance:
    sources:
        - order: Order No. 50 of 1 March 2013
          list: order-50-2013
    entered: 2026-10-01
# last words
"""

TIDY = """\
# yaml-language-server: $schema=../schema/element.schema.json
id: KZ-2026-0001
names:
  kk: Айтыс  # Kazakh
  ru: Айтыс
# the Convention domains
domains:
  - oral-traditions
  - performing-arts
provinces:
  - KZ-43
status: active
description:
  en: |-
    Improvised poetic contest
    between two akyns.
consent:
  status: given
  date: 2026-10-01
  form: written
  evidence: Committee archive, consent file 2026/001  # the paper copy
# consent comes after access here
access:
  level: public
provenance:
  entered: 2026-10-01
  sources:
    - list: order-50-2013
      order: Order No. 50 of 1 March 2013
# last words
"""


@pytest.fixture
def untidy(inventory: Path) -> Path:
    path = inventory / "elements" / "KZ-2026-0001.yaml"
    path.write_text(UNTIDY, encoding="utf-8")
    return path


def test_fmt_orders_keys_and_applies_the_style_keeping_every_comment(
    untidy: Path, run: Run
) -> None:
    result = run("fmt", "elements/KZ-2026-0001.yaml")
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout == "formatted elements/KZ-2026-0001.yaml\n1 file formatted, 0 already tidy.\n"
    )
    assert untidy.read_text(encoding="utf-8") == TIDY
    assert yamlload.load(TIDY.encode())[0] == yamlload.load(UNTIDY.encode())[0]


@pytest.mark.parametrize("moved", ["names", "id"])
def test_the_comment_above_the_first_field_moves_with_it(
    untidy: Path, run: Run, moved: str
) -> None:
    """An outside review: a comment right below the schema line, above a first field that
    `fmt` moves (`# as the 2013 order lists it` above `names:`), stayed at the head, above the
    field put first. Both ways of writing (with ruamel.yaml, and the shortcut without it when
    the file holds no other comment) now move it with its field; a comment opening a file with
    nothing above it is the file's and stays first."""
    note = "# as the 2013 order lists it\n"
    if moved == "names":
        text = UNTIDY.replace("names:\n", note + "names:\n", 1)
        expected = TIDY.replace("names:\n", note + "names:\n", 1)
    else:  # the shortcut: no comment but the head, keys out of order
        text = (
            "# yaml-language-server: $schema=../schema/element.schema.json\n"
            + note
            + "status: active\nid: KZ-2026-0001\n"
        )
        expected = (
            "# yaml-language-server: $schema=../schema/element.schema.json\n"
            + "id: KZ-2026-0001\n"
            + note
            + "status: active\n"
        )
    untidy.write_text(text, encoding="utf-8")
    assert run("fmt", "elements/KZ-2026-0001.yaml").exit_code == 0
    assert untidy.read_text(encoding="utf-8") == expected
    assert run("fmt", "--check", "elements/KZ-2026-0001.yaml").exit_code == 0
    opening = "# Records of the Kyzylorda team\nstatus: active\nid: KZ-2026-0001\n"
    untidy.write_text(opening, encoding="utf-8")
    assert run("fmt", "elements/KZ-2026-0001.yaml").exit_code == 0
    assert untidy.read_text(encoding="utf-8") == (
        "# Records of the Kyzylorda team\nid: KZ-2026-0001\nstatus: active\n"
    )


def test_a_second_fmt_changes_nothing(untidy: Path, run: Run) -> None:
    run("fmt")
    first = {p.name: p.read_bytes() for p in untidy.parent.iterdir()}
    again = run("fmt")
    assert again.exit_code == 0
    assert again.stdout == "0 files formatted, 7 already tidy.\n"
    assert {p.name: p.read_bytes() for p in untidy.parent.iterdir()} == first


def test_check_lists_what_would_change_writes_nothing_and_exits_1(untidy: Path, run: Run) -> None:
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "would reformat elements/KZ-2013-0002.yaml",
        "would reformat elements/KZ-2026-0001.yaml",
        "would reformat provinces/KZ-YUZ.yaml",  # `successors: [KZ-61, KZ-79]`, a flow list
        "3 files would reformat, 4 already tidy.",
    ]
    assert untidy.read_text(encoding="utf-8") == UNTIDY


def test_diff_shows_the_changes_and_writes_nothing(untidy: Path, run: Run) -> None:
    result = run("fmt", "--diff", str(untidy))
    assert result.exit_code == 1
    assert "--- a/elements/KZ-2026-0001.yaml\n+++ b/elements/KZ-2026-0001.yaml\n" in result.stdout
    assert "-domains: [oral-traditions, performing-arts]\n" in result.stdout
    assert "+  - oral-traditions\n" in result.stdout
    assert untidy.read_text(encoding="utf-8") == UNTIDY


def test_diff_shows_no_personal_data(inventory: Path, run: Run) -> None:
    """An outside attack: `fmt --diff` printed a record's contacts (a phone number whose
    spacing it would change, the e-mail beside it), in a public repository too."""
    record = inventory / "elements" / "KZ-2026-0001.yaml"
    record.write_text(
        element_yaml("KZ-2026-0001")
        + "contacts:\n  - name: Aigul Example\n    role: bearer\n"
        + '    phone:   "+7 700 000 00 00"\n    email: aigul@example.org\n'
        + "# call +7 700 000 00 01 after six\n",
        encoding="utf-8",
    )
    (inventory / "elements" / "KZ-2026-0002.yaml").write_text(
        '{"id": "KZ-2026-0002", "contacts": [{"name": "Bota Example", "phone": "+7 700 000 00 02"}]}\n',
        encoding="utf-8",
    )
    result = run("fmt", "--diff")
    assert result.exit_code == 1, result.stderr
    out = result.stdout + result.stderr
    for private in ("700 000 00", "aigul@", "Aigul Example", "Bota Example", "after six"):
        assert private not in out, private  # the comment at the block's end: inside it
    assert "\n-    (personal data, not shown)\n" in out  # the block where it was
    assert "\n+    (personal data, not shown)\n" in out  # and where fmt puts it
    assert "--- a/elements/KZ-2026-0002.yaml" in out


_CONTACTS = (
    "contacts:\n  - name: Aigul Example\n    role: bearer\n"
    '    address:   "12 Example Street, Aral"\n    phone: "+7 700 000 00 00"\n'
)


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(
            lambda text: "".join(f" {line}" for line in text.splitlines(True)), id="indented"
        ),
        pytest.param(lambda text: "\ufeff" + text, id="bom"),
        pytest.param(
            lambda text: text.replace(
                "  - name: Aigul Example\n", '  - name: "Aigul\nnames: x Example"\n'
            ),
            id="continued-at-column-0",
        ),
        pytest.param(
            lambda text: (
                "--- {id: KZ-2026-0001, contacts: "
                '[{name: Aigul Example, address: "12 Example Street"}]}\n'
            ),
            id="flow",
        ),
    ],
)
def test_diff_shows_no_personal_data_however_the_record_is_written(
    inventory: Path, run: Run, written: Callable[[str], str]
) -> None:
    """An outside review: a record indented as a whole, a quoted name continued at column 0
    (`names: x …`, which a line-by-line reading took for a key) and a record in flow style
    after `---` printed the contacts' names and addresses."""
    record = inventory / "elements" / "KZ-2026-0001.yaml"
    text = element_yaml("KZ-2026-0001") + _CONTACTS
    record.write_text(written(text), encoding="utf-8")
    result = run("fmt", "--diff", str(record))
    out = result.stdout + result.stderr
    assert result.exit_code == 1, out
    assert "--- a/elements/KZ-2026-0001.yaml" in out, out
    for private in ("Aigul", "Example Street", "700 000", "x Example"):
        assert private not in out, (private, out)


def test_check_passes_once_formatted(untidy: Path, run: Run) -> None:
    assert run("fmt").exit_code == 0
    result = run("fmt", "--check")
    assert result.exit_code == 0
    assert result.stdout == "0 files would reformat, 7 already tidy.\n"


def test_a_crlf_checkout_is_named_for_what_it_is(untidy: Path, run: Run) -> None:
    """A Windows checkout (`core.autocrlf = true`) made `fmt --check` flag every record with
    no word of why: the files whose only change is their line endings say so, with how to
    keep records LF."""
    assert run("fmt").exit_code == 0
    tidy = untidy.parent / "KZ-2013-0002.yaml"
    tidy.write_bytes(tidy.read_bytes().replace(b"\n", b"\r\n"))
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "would reformat elements/KZ-2013-0002.yaml (line endings only: CRLF → LF)",
        "1 file would reformat, 6 already tidy.",
    ]
    assert "`git config core.autocrlf input`" in result.stdout
    assert run("fmt").stdout.startswith(
        "formatted elements/KZ-2013-0002.yaml (line endings only: CRLF → LF)\n"
    )
    assert b"\r" not in tidy.read_bytes()
    tidy.write_bytes(tidy.read_bytes().replace(b"\n", b"\r"))  # an old Mac editor's
    assert run("fmt", "--check").stdout.startswith(
        "would reformat elements/KZ-2013-0002.yaml (line endings only: CR → LF)\n"
    )


def test_an_unreadable_record_is_reported_and_the_others_formatted(untidy: Path, run: Run) -> None:
    broken = untidy.parent / "KZ-2026-0002.yaml"
    broken.write_text("id: KZ-2026-0002\nid: again\n", encoding="utf-8")
    result = run("fmt")
    assert result.exit_code == 1
    assert "cannot format elements/KZ-2026-0002.yaml: elements/KZ-2026-0002.yaml:2:1:" in (
        result.stdout
    )
    assert "appears twice" in result.stdout
    assert broken.read_text(encoding="utf-8") == "id: KZ-2026-0002\nid: again\n"
    assert untidy.read_text(encoding="utf-8") == TIDY


def test_a_record_that_cannot_be_written_stops_fmt_saying_what_was_written(
    untidy: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by an outside review: with a record that could not be written after others were
    formatted, fmt said "…; nothing was changed". It says which were (on standard output,
    as a run that ends well does) and that the others were left as they were; exit 2, as for
    every write the system refuses."""
    root = untidy.parents[1]
    province = root / "provinces" / "KZ-YUZ.yaml"
    before = province.read_bytes()
    with monkeypatch.context() as faults:
        refused = refuse(faults, root / "provinces", errno.EACCES, "open")
        result = run("fmt")
    assert refused
    assert result.exit_code == 2
    assert result.stdout == (
        "formatted elements/KZ-2013-0002.yaml\nformatted elements/KZ-2026-0001.yaml\n"
    )
    assert result.stderr.splitlines()[0] == (
        f"error: cannot write {province}: permission denied; fmt stopped there: 2 files were "
        "formatted before it (listed above), that file and the files after it were left as "
        "they were"
    )
    assert "nothing was changed" not in result.stderr
    assert untidy.read_text(encoding="utf-8") == TIDY
    assert province.read_bytes() == before
    assert temporaries(root) == []
    again = run("fmt")  # once the cause is gone, the rest
    assert again.exit_code == 0
    assert again.stdout.startswith("formatted provinces/KZ-YUZ.yaml\n")


def test_a_first_record_that_cannot_be_written_changes_nothing(
    untidy: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = untidy.parents[1]
    files = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    with monkeypatch.context() as faults:
        refuse(faults, root / "elements", errno.EACCES, "open")
        result = run("fmt")
    assert result.exit_code == 2
    assert result.stdout == ""
    first = root / "elements" / "KZ-2013-0002.yaml"
    assert result.stderr.startswith(
        f"error: cannot write {first}: permission denied; nothing was changed\n"
    )
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == files


def test_fmt_writes_atomically_and_leaves_no_temporary_files(untidy: Path, run: Run) -> None:
    untidy.chmod(0o640)
    run("fmt")
    assert untidy.stat().st_mode & 0o777 == 0o640
    for folder in ("elements", "provinces"):
        assert not [p for p in (untidy.parents[1] / folder).iterdir() if p.name.startswith(".")]


def test_a_path_outside_the_records_is_refused(untidy: Path, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("a: 1\n")
    result = run("fmt", str(outside))
    assert result.exit_code == 2
    assert "is not inside the inventory" in result.stderr


def test_a_file_of_the_inventory_that_is_no_record_is_reported_not_miscounted(
    untidy: Path, run: Run
) -> None:
    notes = untidy.parents[1] / "notes.yaml"
    notes.write_text("a: 1\n", encoding="utf-8")
    result = run("fmt", str(notes), str(untidy))
    assert result.exit_code == 1
    assert "cannot format notes.yaml: notes.yaml is not a record file" in result.stdout
    assert "  hint: name record files (elements/KZ-2013-0001.yaml) or their folders" in (
        result.stdout
    )
    assert result.stdout.endswith("1 file formatted, 0 already tidy, 1 unreadable.\n")
    assert notes.read_text(encoding="utf-8") == "a: 1\n"


@pytest.mark.parametrize(
    "named",
    [
        "elements/nonexist.yaml",  # said to be "not a record file" (an outside review)
        "nonexist",
        "empty",  # a folder that holds no record
        "notes.yaml",  # a file of the inventory that is no record
        "elements/KZ-2013-0099.yaml",  # a folder named like a record
    ],
)
@pytest.mark.parametrize("check", [True, False])
def test_a_named_path_that_is_no_record_is_named_as_validate_names_it(
    inventory: Path, run: Run, named: str, check: bool
) -> None:
    (inventory / "empty").mkdir()
    (inventory / "elements" / "KZ-2013-0099.yaml").mkdir()
    (inventory / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    validated = run("validate", named, "--format", "json")
    assert validated.exit_code == 1
    [finding] = json.loads(validated.stdout)["findings"]
    result = run("fmt", *(["--check"] if check else []), named)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"cannot format {named}: {finding['message']}",
        f"  hint: {finding['hint']}",
        f"0 files {'would reformat' if check else 'formatted'}, 0 already tidy, 1 unreadable.",
    ]


def test_fmt_check_passes_on_the_repository_inventory(repo_copy: Path, run: Run) -> None:
    result = run("fmt", "--check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("0 files would reformat")


def test_a_record_far_beyond_any_real_one_is_refused_quickly_and_named(
    untidy: Path, run: Run
) -> None:
    """Formatting costs about 0.1 ms per value (ruamel.yaml is pure Python); 130,000 keys took
    443 s. Past the editor's limit the file is reported, left alone, and the others done."""
    from ichinv.io.editor import limits

    huge = untidy.parent / "KZ-2026-0003.yaml"
    text = (
        UNTIDY.replace("KZ-2026-0001", "KZ-2026-0003")
        + "extra:\n"
        + "  - x\n" * (limits.MAX_VALUES)
    )
    huge.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = run("fmt", "--check")
    assert time.perf_counter() - start < 60  # about a second; it took minutes
    assert result.exit_code == 1
    assert (
        "cannot format elements/KZ-2026-0003.yaml: elements/KZ-2026-0003.yaml is too large to "
        f"rewrite: it has {limits.count_values(yamlload.load(text.encode())[0]):,} keys, values and list items, more than the "
        f"{limits.MAX_VALUES:,} the record writer takes; the file was not changed\n"
    ) in result.stdout
    assert "would reformat elements/KZ-2026-0001.yaml\n" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert huge.read_text(encoding="utf-8") == text


def test_a_record_that_is_a_link_is_formatted_where_the_link_leads(
    untidy: Path, inventory: Path, run: Run
) -> None:
    """An inventory may keep a record elsewhere in the repository and link to it: fmt edits
    that file and the link stays a link (it used to become a formatted copy)."""
    kept = inventory / "kept"
    kept.mkdir()
    target = kept / "KZ-2026-0001.yaml"
    untidy.rename(target)
    untidy.symlink_to(Path("..") / "kept" / "KZ-2026-0001.yaml")
    result = run("fmt")
    assert result.exit_code == 0, result.stderr
    assert "formatted elements/KZ-2026-0001.yaml" in result.stdout
    assert untidy.is_symlink() and target.read_text(encoding="utf-8") == TIDY
    assert run("fmt", "--check").exit_code == 0


def test_an_edit_never_follows_a_link_out_of_the_inventory(inventory: Path, tmp_path: Path) -> None:
    from ichinv.core.errors import WriteRefused
    from ichinv.io import atomic

    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: KZ-2026-0001\n", encoding="utf-8")
    link = inventory / "elements" / "KZ-2026-0009.yaml"
    link.symlink_to(outside)
    with pytest.raises(WriteRefused, match="does not lead to a file in the inventory"):
        atomic.edited(link, inventory)
    loop = inventory / "elements" / "KZ-2026-0008.yaml"
    loop.symlink_to(loop)
    with pytest.raises(WriteRefused):
        atomic.edited(loop, inventory)
    plain = inventory / "elements" / "KZ-2013-0002.yaml"
    assert atomic.edited(plain, inventory) == plain


def test_fmt_names_what_in_the_records_folders_it_cannot_read(
    untidy: Path, inventory: Path, run: Run, tmp_path: Path
) -> None:
    """A link leading out or nowhere, a folder named like a record: `validate` names them,
    and so does fmt (exit 1), rather than passing them over (found by an outside test)."""
    (inventory / "elements" / "KZ-2026-0007.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (inventory / "elements" / "KZ-2026-0008.yaml").mkdir()
    result = run("fmt")
    assert result.exit_code == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "elements/KZ-2026-0007.yaml" in said and "elements/KZ-2026-0008.yaml" in said
    assert untidy.read_text(encoding="utf-8") == TIDY  # the others are formatted all the same
    assert run("fmt", "--check").exit_code == 1


@pytest.mark.parametrize(("call", "after_writing"), [(2, False), (3, True)])
def test_ctrl_c_stops_fmt_saying_which_files_were_formatted(
    untidy: Path, run: Run, monkeypatch: pytest.MonkeyPatch, call: int, after_writing: bool
) -> None:
    """Ctrl-C during fmt listed nothing, though files were rewritten before it. They are
    listed, the file being written when it came counted when its new bytes are in place,
    and the run says it was stopped (exit 130)."""
    from ichinv.io import transaction

    applied = transaction.apply_one
    calls: list[Path] = []

    def interrupted(change: transaction.Change) -> None:
        calls.append(change.path)
        if len(calls) == call and not after_writing:
            raise KeyboardInterrupt
        applied(change)
        if len(calls) == call:
            raise KeyboardInterrupt

    monkeypatch.setattr(transaction, "apply_one", interrupted)
    result = run("fmt")
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"
    written = [
        str(p.relative_to(untidy.parents[1])) for p in calls[: call if after_writing else call - 1]
    ]
    assert result.stdout.splitlines() == [
        *(f"formatted {path}" for path in written),
        f"Stopped by Ctrl-C: {len(written)} file{'s' if len(written) != 1 else ''} "
        f"{'were' if len(written) != 1 else 'was'} formatted before it (listed above); the "
        "others were left as they were.",
    ]
