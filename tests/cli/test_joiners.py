"""Joiners that are part of a word's spelling: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH
JOINER (U+200D) between two letters of a joining script (Persian, Uyghur and Kazakh in Arabic
script, Urdu, the Indic scripts), and U+200D between two emoji (ichinv.core.controls).

Reported: the schema invites names under `kk-Arab` or `ug`, but `validate` refused a name or a
text holding U+200C or U+200D anywhere, and every output garbled them (`\\u200c` in `show`,
U+FFFD in a packet and on the site). Spelt so, they are taken and printed as they are; anywhere
else (the cases of tests/validate/rule_cases/text.control-character--joiners.case) they stay
refused and escaped, and a file's name escapes every one of them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]

QAZAQ = "\u0642\u0627\u0632\u0627\u0642"
"""قازاق, the Kazakhs' own name, in the Arabic script of the Kazakhs of China."""

BOOKS = "\u06a9\u062a\u0627\u0628\u200c\u0647\u0627"
"""کتاب‌ها, "books" in Persian: the plural ending is kept apart from the word by U+200C."""

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
"""Man, woman and girl joined by U+200D: one emoji, a family."""

RAINBOW = "\U0001f3f3\ufe0f\u200d\U0001f308"
"""White flag, VS16 and rainbow joined by U+200D: the rainbow flag."""

ELEMENT = "KZ-2026-0001"


def _spelt(root: Path) -> None:
    names = {"kk": "Айтыс", "ru": "Айтыс", "en": f"Aitys {FAMILY}", "kk-Arab": QAZAQ, "fa": BOOKS}
    description = {"en": f"Aitys evenings for families {FAMILY} and {RAINBOW} alike."}
    d.write(root, d.element(ELEMENT, names=names, description=description))


def test_validate_takes_joiners_that_spell_a_word_or_an_emoji(inventory: Path, run: Run) -> None:
    _spelt(inventory)
    result = run("validate")
    assert result.exit_code == 0, result.stdout


def test_a_reason_typed_with_them_is_taken_as_validate_takes_it(inventory: Path, run: Run) -> None:
    _spelt(inventory)
    refused = run("retire", ELEMENT, "--reason", "Ай\u200cтыс")
    assert refused.exit_code == 2 and "(U+200C)" in refused.stderr
    assert run("retire", ELEMENT, "--reason", f"{BOOKS} {FAMILY}").exit_code == 0
    assert run("validate").exit_code == 0
    assert f"{BOOKS} {FAMILY}" in (inventory / "elements" / f"{ELEMENT}.yaml").read_text("utf-8")


def test_show_packet_site_export_and_list_print_them_as_they_are(inventory: Path, run: Run) -> None:
    """They were `\\u200c` in `show` and `list`, U+FFFD in a packet and on the site, `\\u200c`
    in an export to JSON."""
    _spelt(inventory)
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    spelt = (BOOKS, FAMILY, RAINBOW)
    shown = run("show", ELEMENT)
    assert shown.exit_code == 0 and all(word in shown.stdout for word in spelt), shown.stdout
    packet = run("packet", "--element", ELEMENT, "--audience", "public")
    assert packet.exit_code == 0 and all(word in packet.stdout for word in spelt), packet.stdout
    assert run("site", "--output", "site", "--lang", "en").exit_code == 0
    page = (inventory / "site" / "en" / "elements" / f"{ELEMENT}.html").read_text("utf-8")
    assert all(word in page for word in spelt)
    for fmt in ("csv", "json"):
        exported = run("export", "--format", fmt)
        assert exported.exit_code == 0 and all(word in exported.stdout for word in spelt), fmt
    exported = json.loads(run("export", "--format", "json").stdout)["elements"]
    assert [e["names"].get("fa") for e in exported if e["id"] == ELEMENT] == [BOOKS]
    for fmt in ("table", "csv", "json"):
        listed = run("list", "--format", fmt)
        assert listed.exit_code == 0 and f"Aitys {FAMILY}" in listed.stdout, fmt


def test_joiners_anywhere_else_stay_escaped(inventory: Path, run: Run) -> None:
    names = {"kk": "Ай\u200cтыс", "ru": "Айтыс\u200d", "en": "Aitys", "fa": BOOKS}
    d.write(inventory, d.element(ELEMENT, names=names))
    found = run("validate")
    assert found.exit_code == 1 and found.stdout.count("[text.control-character]") == 2
    assert "U+200D between two emoji; delete this one" in found.stdout  # not "retype the text"
    shown = run("show", ELEMENT).stdout
    assert "Ай\\u200cтыс" in shown and "Айтыс\\u200d" in shown and BOOKS in shown


def test_a_file_named_with_a_joiner_is_named_escaped(inventory: Path, run: Run) -> None:
    """A name is no record's text: between Arabic letters too, its joiner is escaped, in the
    text and in GitHub's annotations (`elements/کتاب‌ها.yaml` and `elements/کتابها.yaml` may
    look alike)."""
    twin = inventory / "elements" / "KZ-2013-0002.yaml"
    (inventory / "elements" / f"{BOOKS}.yaml").write_bytes(twin.read_bytes())
    for args, named in (
        ((), "elements/\u06a9\u062a\u0627\u0628\\u200c\u0647\u0627.yaml:"),
        (("--format", "github"), "file=elements/\u06a9\u062a\u0627\u0628%u200C\u0647\u0627.yaml,"),
    ):
        result = run("validate", *args)
        assert result.exit_code == 1
        assert named in result.stdout and "\u200c" not in result.stdout, args


def test_every_output_naming_a_file_escapes_its_joiners_and_controls(
    git_inventory: Path, run: Run
) -> None:
    """A file's name is no record's text. `list --format json` and `--format csv` wrote the
    joiner of `elements/کتاب‌ها.yaml` as it is (the listing is written as records' texts),
    `show` printed U+200B and U+202E of a file's name as they are, the Markdown of `diff` every
    file's name as it is, and a packet the joiner (in a change's file and a finding's place)."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    base = (git_inventory / "elements" / "KZ-2013-0002.yaml").read_text("utf-8")
    disguised = "ab\u200bcd\u202eef"
    for stem, number in ((BOOKS, "0904"), (disguised, "0905")):
        text = base.replace("id: KZ-2013-0002", f"id: KZ-2013-{number}")
        (git_inventory / "elements" / f"{stem}.yaml").write_text(text, "utf-8")
    committee = ("--audience", "committee")
    escaped = {
        ("list", *committee, "--format", "json"): "elements/ab\\u200bcd\\u202eef.yaml",
        ("list", *committee, "--format", "csv"): "elements/ab\\u200bcd\\u202eef.yaml",
        ("show", "KZ-2013-0904", *committee): "elements/\u06a9\u062a\u0627\u0628\\u200c",
        ("show", "KZ-2013-0905", *committee): "elements/ab\\u200bcd\\u202eef.yaml",
        ("diff", "--baseline", "2013", *committee, "--format", "markdown"): "ab\ufffdcd\ufffdef",
        ("packet", *committee, "--since", "inventory-2013"): "\u06a9\u062a\u0627\u0628\ufffd",
    }
    for args, named in escaped.items():
        printed = run(*args).stdout
        assert named in printed and not set("\u200b\u200c\u202e") & set(printed), args
    listed = json.loads(run("list", *committee, "--format", "json").stdout)["elements"]
    assert f"elements/{BOOKS}.yaml" in {e["path"] for e in listed}  # the same name, escaped
    for fmt in ("json", "csv"):
        assert "\\u200c" in run("list", *committee, "--format", fmt).stdout
