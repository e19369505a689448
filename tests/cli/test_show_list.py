"""`ichinv show` and `ichinv list` through the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]


@pytest.fixture
def inv(inventory: Path) -> Path:
    d.write(
        inventory,
        d.element("KZ-2026-0001"),
        d.secret_element("KZ-2026-0009"),
        d.element(
            "KZ-2026-0004",
            names={"kk": "Белгі", "ru": "Знак [bold]жирный[/bold]"},
            description={"ru": "Только по-русски."},
            provinces=["KZ-YUZ"],
        ),
    )
    return inventory


# --- show ---------------------------------------------------------------------------------------


def test_show_gives_the_readable_view(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2013-0002")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for expected in (
        "KZ-2013-0002",
        "Aitys, the art of improvisation",
        "kk: Айтыс",
        "oral-traditions, performing-arts",
        "KZ-43 Kyzylorda Region",
        "Improvised poetic contest",
        "Viability",
        "2025-05-14",
        "Committee archive, consent file 2025/002",
        "order-50-2013",
        "index I-2",
    ):
        assert expected in out, expected


def test_show_is_public_by_default_and_says_what_it_withheld(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2026-0009")
    assert result.exit_code == 0, result.stderr
    for secret in d.secrets():
        assert secret not in result.stdout
    # Named by their labels, never by JSON pointers.
    assert "withheld Places, Transmission, Contacts (personal data)." in result.stdout
    assert "/locations" not in result.stdout
    assert "--audience committee" in result.stdout


def test_show_for_the_committee_shows_contacts_and_restricted_parts(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2026-0009", "--audience", "committee")
    assert result.exit_code == 0, result.stderr
    for secret in d.secrets():
        assert secret in result.stdout, secret
    assert "Do not share" in result.stdout


def test_show_for_the_committee_shows_keys_the_schema_does_not_know_inside_fields(
    run: Run, inv: Path
) -> None:
    """An outside test: an `email:` inside a documentation item and a phone number as a key
    under `description` were dropped without a word (exit 0), while the committee's packet
    and export show them; a field the schema does not know showed under "Other fields"."""
    d.write(
        inv,
        d.element(
            "KZ-2026-0005",
            description={"en": "A practice.", "+7 700 000 00 56": "call after six"},
            documentation=[{"title": "Field notes", "email": "notes.k5@example.org"}],
            remarks="kept by the secretary",
        ),
    )
    result = run("show", "KZ-2026-0005", "--audience", "committee")
    assert result.exit_code == 0, result.stderr
    other = result.stdout.split("== Other fields ==\n")[1].split("\n\n")[0].splitlines()
    assert [" ".join(line.split()) for line in other] == [
        "remarks kept by the secretary",
        "/description/+7 700 000 00 56 call after six",
        "/documentation/0/email notes.k5@example.org",
    ]
    public = run("show", "KZ-2026-0005")
    assert "Other fields" not in public.stdout
    assert "700 000 00 56" not in public.stdout and "notes.k5" not in public.stdout


def test_show_for_the_committee_shows_a_mapping_or_list_where_a_text_belongs(
    run: Run, inv: Path
) -> None:
    """An outside review: a mapping under a description's language (an e-mail address in it)
    was withheld from the public view and shown to the committee nowhere; the committee's
    walk of the schema's shape only looked for unknown keys."""
    d.write(
        inv,
        d.element(
            "KZ-2026-0005",
            description={"en": "A practice.", "kk-Latn": {"email": "hidden.k5@example.kz"}},
            communities=[{"name": ["Bearers", "+7 700 000 00 57"], "kind": "group"}],
        ),
    )
    assert "[schema.type]" in run("validate", "elements/KZ-2026-0005.yaml").stdout
    result = run("show", "KZ-2026-0005", "--audience", "committee")
    assert result.exit_code == 0, result.stderr
    other = result.stdout.split("== Other fields ==\n")[1].split("\n\n")[0].splitlines()
    assert [" ".join(line.split()) for line in other] == [
        "/description/kk-Latn email: hidden.k5@example.kz",
        "/communities/0/name Bearers, +7 700 000 00 57",
    ]
    public = run("show", "KZ-2026-0005")
    assert "hidden.k5" not in public.stdout and "700 000 00 57" not in public.stdout


def test_show_in_another_language_names_provinces_in_it(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2026-0004", "--lang", "kk")
    assert "Белгі" in result.stdout
    assert "Оңтүстік Қазақстан облысы" in result.stdout


def test_show_says_when_a_text_is_not_in_the_language_asked(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2026-0004", "--lang", "en")
    assert "Только по-русски." in result.stdout
    assert "(Not available in en; shown in ru.)" in result.stdout


def test_show_falls_back_in_the_order_every_output_uses(run: Run, inv: Path) -> None:
    # Kazakh falls back to Russian before English, as packets do (show once used English).
    d.write(
        inv,
        d.element(
            "KZ-2026-0004",
            names={"kk": "Белгі", "ru": "Знак"},
            description={"en": "In English.", "ru": "По-русски."},
        ),
    )
    result = run("show", "KZ-2026-0004", "--lang", "kk")
    assert "По-русски." in result.stdout and "In English." not in result.stdout


def test_record_text_is_never_read_as_markup(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2026-0004", "--lang", "ru")
    assert "Знак [bold]жирный[/bold]" in result.stdout


def test_show_accepts_a_lower_case_id(run: Run, inv: Path) -> None:
    assert run("show", "kz-2013-0002").exit_code == 0


def test_show_unknown_id_is_exit_2_with_a_hint(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2013-0003")
    assert result.exit_code == 2
    assert "there is no element KZ-2013-0003" in result.stderr
    assert "hint: did you mean KZ-2013-0002" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_outside_an_inventory_is_exit_2(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("show", "KZ-2013-0002")
    assert result.exit_code == 2
    assert "no inventory found" in result.stderr


# --- list ---------------------------------------------------------------------------------------


def test_list_piped_is_one_plain_line_per_element(run: Run, inv: Path) -> None:
    # Piped (as here), no box and no wrapping: grep and cut work.
    result = run("list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "name", "status"]
    assert [line.split("\t")[0] for line in lines[1:]] == [
        "KZ-2013-0002",
        "KZ-2026-0001",
        "KZ-2026-0004",
        "KZ-2026-0009",
    ]
    assert all(len(line.split("\t")) == len(lines[0].split("\t")) for line in lines)
    assert not set("─━│┃┏┓┗┛╭╮╰╯") & set(result.stdout)


@pytest.mark.parametrize("width", [200, 120, 80, 60])
def test_list_on_a_terminal_shows_every_id_and_name_whole(inv: Path, width: int) -> None:
    from ichinv.inventory import selection
    from ichinv.inventory import view as inventory_view
    from ichinv.io import settings as settings_module
    from ichinv.render.terminal import console as terminal

    d.write(inv, d.element("KZ-2026-0010", names={"kk": "Ұзын", "ru": "Длинное",
        "en": "Knowledge and skills of making the Kazakh felt yurt and its wooden frame"},
        domains=["knowledge-nature"]))  # fmt: skip
    inventory = inventory_view.load(settings_module.load())
    rows = [
        selection.summary_row(rec, data, "en")
        for rec, data in selection.select(inventory, selection.Filters())
    ]
    labels = {"value.domain.knowledge-nature": LONG_DOMAIN}
    text = terminal.to_text(terminal.element_table(rows, width, labels), width)
    assert max(len(line) for line in text.splitlines()) <= width
    for row in rows:
        assert row["id"] in text  # never cut (KZ-2013-0…)
        words = " ".join(text.split())
        assert " ".join(row["name"].split()) in words or all(w in text for w in row["name"].split())
    if width >= 80:  # the domains column is shown, its longest name folded, never cut short
        assert all(word in text.split() for word in LONG_DOMAIN.split())


LONG_DOMAIN = "Knowledge and practices concerning nature and the universe"


@pytest.mark.parametrize("width", [120, 60])
def test_show_on_a_terminal_gives_the_whole_name_at_any_width(inv: Path, width: int) -> None:
    """A frame's title is cut at the frame's edge: a name too long for it goes inside."""
    from ichinv.inventory import view as inventory_view
    from ichinv.inventory.audience import Audience
    from ichinv.inventory.element_view import element_view
    from ichinv.io import settings as settings_module
    from ichinv.render.terminal import console as terminal
    from ichinv.render.terminal import show as render_show

    name = "Knowledge and skills of making the Kazakh felt yurt and its wooden frame"
    d.write(inv, d.element("KZ-2026-0010", names={"kk": "Ұзын", "ru": "Длинное", "en": name}))
    inventory = inventory_view.load(settings_module.load())
    view = element_view(inventory, "KZ-2026-0010", Audience.PUBLIC, "en")
    text = terminal.to_text(render_show.element(view, {}), width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "KZ-2026-0010" in text
    assert all(word in text.split() for word in name.split())


def test_show_piped_has_no_frames(run: Run, inv: Path) -> None:
    result = run("show", "KZ-2013-0002")
    assert result.exit_code == 0
    assert not set("─━│┃┏┓┗┛╭╮╰╯") & set(result.stdout)
    assert "== Description ==" in result.stdout


def test_escape_sequences_in_records_never_reach_the_terminal(run: Run, inv: Path) -> None:
    hostile = "Clear\x1b[2J\x1b]0;title\x07\x1b]52;c;SGk=\x07\x9b31m end"
    record = d.element("KZ-2026-0011", names={"kk": "Белгі", "ru": "Знак", "en": hostile},
                       description={"en": hostile})  # fmt: skip
    # Escaped in the file (YAML reads "\u001b" as the character), so that the record reads.
    (inv / "elements" / "KZ-2026-0011.yaml").write_text(json.dumps(record), encoding="utf-8")
    for args in (("show", "KZ-2026-0011"), ("list",), ("list", "-f", "csv")):
        out = run(*args).stdout
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out, args
        assert "\\x1b[2J" in out, args  # shown, as an escape


def test_list_csv_cells_are_inert_in_a_spreadsheet(run: Run, inv: Path) -> None:
    d.write(inv, d.element("KZ-2026-0012", names={"kk": "Белгі", "ru": "Знак",
                                                   "en": "=HYPERLINK(\"http://x\")"}))  # fmt: skip
    out = run("list", "-f", "csv", "--name", "HYPERLINK").stdout
    assert "'=HYPERLINK" in out and ",=HYPERLINK" not in out


def test_list_json(run: Run, inv: Path) -> None:
    result = run("list", "--format", "json", "--domain", "social-practices")
    document = json.loads(result.stdout)
    assert document["count"] == 1
    (row,) = document["elements"]
    assert row["id"] == "KZ-2026-0009"
    assert row["name"] == "Secret rite"
    assert row["access"] == "restricted"
    assert row["provinces"] == ["KZ-23"]
    assert row["path"] == "elements/KZ-2026-0009.yaml"
    for secret in d.secrets():
        assert secret not in result.stdout


def test_list_csv_in_kazakh(run: Run, inv: Path) -> None:
    result = run("list", "-f", "csv", "--lang", "kk", "--province", "KZ-23")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["name"]) for r in rows] == [
        ("KZ-2026-0001", "Сынақ"),
        ("KZ-2026-0009", "Құпия рәсім"),
    ]


def test_list_filters_combine(run: Run, inv: Path) -> None:
    result = run(
        "list", "-f", "json", "--province", "KZ-61", "--category", "V", "--consent", "given"
    )
    assert [e["id"] for e in json.loads(result.stdout)["elements"]] == ["KZ-2026-0004"]


def test_list_with_nothing_matching_is_empty_not_an_error(run: Run, inv: Path) -> None:
    result = run("list", "-f", "json", "--status", "merged")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["elements"] == []


def test_list_rejects_unknown_values(run: Run, inv: Path) -> None:
    result = run("list", "--domain", "crafts")
    assert result.exit_code == 2
    assert "craftsmanship" in result.stderr
    result = run("list", "--province", "KZ-99")
    assert result.exit_code == 2
    assert "there is no province KZ-99" in result.stderr


def test_a_record_restricted_as_a_whole_shows_its_identification_and_why(
    run: Run, inv: Path
) -> None:
    d.write(
        inv,
        d.element(
            "KZ-2026-0005",
            description={"en": d.SECRET_RITE},
            access={"level": "restricted", "reason": "Consent is being sought."},
            consent={"status": "pending"},
        ),
    )
    result = run("show", "KZ-2026-0005")
    assert result.exit_code == 0, result.stderr
    assert d.SECRET_RITE not in result.stdout
    assert "Test element" in result.stdout and "KZ-23 Atyrau Region" in result.stdout
    # The real reason: consent, not a customary restriction (the label once said so).
    assert "Withheld until the communities give their consent" in result.stdout
    assert "customary" not in result.stdout
    assert "Description, Viability, Consent, Provenance" in result.stdout
    assert "pending" not in result.stdout
    listed = json.loads(run("list", "-f", "json", "--name", "Test").stdout)["elements"]
    assert {e["id"]: e["consent"] for e in listed}["KZ-2026-0005"] == "withheld"


def test_every_element_of_the_repository_shows(repo_copy: Path) -> None:
    from ichinv.inventory import view as query
    from ichinv.inventory.audience import Audience
    from ichinv.inventory.element_view import element_view
    from ichinv.io import settings
    from ichinv.render.terminal import console as terminal
    from ichinv.render.terminal import show

    inventory = query.load(settings.load())
    for rec in inventory.elements:
        assert rec.id is not None
        public = element_view(inventory, rec.id, Audience.PUBLIC, "en")
        text = terminal.to_text(show.element(public))
        assert rec.id in text
        assert "@example.org" not in text and "+7 700" not in text
    for rec in inventory.elements[:3]:
        assert rec.id is not None
        committee = element_view(inventory, rec.id, Audience.COMMITTEE, "kk")
        assert rec.id in terminal.to_text(show.element(committee))


def test_show_labels_come_from_the_translation_tables(run: Run, repo_copy: Path) -> None:
    first = sorted((repo_copy / "elements").glob("*.yaml"))[0].stem
    kazakh = run("show", first, "--lang", "kk").stdout
    russian = run("show", first, "--lang", "ru").stdout
    assert "Ұлттық санат" in kazakh and "Өңірлер" in kazakh
    assert "Национальная категория" in russian


CERTAINTY = [
    {"fact": "entered", "status": "inferred", "note": "Nominated to UNESCO in 2015."},
    {
        "fact": "row",
        "list": "order-211-2024",
        "status": "confirmed",
        "note": "Row I-2 of the 2024 list.",
        "source": "https://nmrk.kz/en/structure/scientific-activity/national-list/707",
    },
]


@pytest.mark.parametrize(
    ("lang", "summary", "entered", "index"),
    [
        (
            "en",
            "Date of entry: inferred; Row in the National list of 2024 (Order No. 211-нқ): "
            "confirmed",
            "2013-03-01 (inferred)",
            "I-2 (confirmed)",
        ),
        (
            "kk",
            "Енгізілген күні: тұжырымдалған; Жолы — 2024 жылғы ұлттық тізім (№ 211-нқ бұйрық): "
            "расталған",
            "2013-03-01 (тұжырымдалған)",
            "I-2 (расталған)",
        ),
        (
            "ru",
            "Дата включения: выведено; Строка — Национальный список 2024 года (приказ № "
            "211-нқ): подтверждено",
            "2013-03-01 (выведено)",
            "I-2 (подтверждено)",
        ),
    ],
)
def test_show_says_how_certain_the_facts_of_the_listing_are(
    run: Run, repo_copy: Path, lang: str, summary: str, entered: str, index: str
) -> None:
    """The certainty of each assessed fact is in the heading, beside the fact, and explained,
    in the language asked (labels of templates/i18n/)."""
    record = d.element("KZ-2013-0902")
    record["provenance"] = {
        **record["provenance"],
        "national_index": "I-2",
        "entered": "2013-03-01",
        "confidence": CERTAINTY,
    }
    d.write(repo_copy, record)
    result = run("show", "KZ-2013-0902", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    out = "\n".join(lines)
    assert summary in out
    assert any(line.endswith(entered) for line in lines), out
    assert any(line.endswith(index) for line in lines), out
    assert "Nominated to UNESCO in 2015." in out and "Row I-2 of the 2024 list." in out


def test_show_names_no_certainty_where_none_was_assessed(run: Run, inv: Path) -> None:
    out = run("show", "KZ-2013-0002").stdout
    assert "Certainty" not in out and "(inferred)" not in out


def test_show_without_translation_tables_still_words_the_certainty(run: Run, inv: Path) -> None:
    record = d.element("KZ-2013-0902")
    record["provenance"] = {
        **record["provenance"],
        "entered": "2013-03-01",
        "confidence": CERTAINTY,
    }
    d.write(inv, record)
    out = " ".join(run("show", "KZ-2013-0902").stdout.split())
    assert "Date of entry: inferred; Row in the order-211-2024: confirmed" in out
    assert "2013-03-01 (inferred)" in out


@pytest.mark.parametrize(
    "columns", ["99999999999999999999", "9223372036854775807", "0", "-3", "1", "8"]
)
def test_a_terminal_of_any_claimed_width_gets_its_view(inv: Path, columns: str) -> None:
    """Found by an outside review: `COLUMNS=99999999999999999999` on a terminal ended `show`,
    `list` and `progress` in an OverflowError (exit 3); a billion kept them busy for minutes.
    The views are laid out at most WIDEST columns wide, and at least NARROWEST: at 1 to 8,
    `show` printed empty frames and `list` no ids."""
    import subprocess
    import sys

    from ichinv.render.terminal.console import WIDEST

    for args in (["show", "KZ-2013-0002"], ["list"], ["progress"]):
        reader, writer = os.openpty()  # a terminal: rich lays out for it
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "ichinv", *args],
                cwd=inv,
                stdout=writer,
                stderr=subprocess.PIPE,
                env={**os.environ, "COLUMNS": columns},
            )
            os.close(writer)
            shown = b""
            while chunk := _read(reader):  # as it comes: a terminal holds a few kilobytes
                shown += chunk
            stderr = process.communicate(timeout=60)[1]
        finally:
            os.close(reader)
        assert process.returncode == 0, (args, stderr)
        text = re.sub("\x1b\\[[0-9;]*m", "", shown.decode("utf-8"))  # without colours
        lines = text.splitlines()
        assert len(lines) > 2 and max(len(line) for line in lines) <= WIDEST, args
        if args[0] != "progress":  # the id whole, at 1 column too (rich split it letter by letter)
            assert "KZ-2013-0002" in text, (args, text)


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the terminal's other end is closed and all is read
        return b""
