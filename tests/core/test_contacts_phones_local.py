"""Phone numbers as Kazakhstan and Russia write them that validate passed (`sure_contact` read
none in them, so a record's text published them): a landline with its area code in brackets
and no `8`, a local number right after a word naming a phone's line, a number of the `+7`
zone after its `7` grouped 3-3-2-2, an international one with `00` for its `+`, one with
commas between its groups; and what stays none (fictitious numbers)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core import contacts
from tests.support import reading_data as d
from tests.support.helpers import Result, commit, judged_in_linear_time


def _warned_and_hidden(text: str) -> None:
    """`text` is warned of, `log` and the messages hide it, and what they print is no contact
    and holds no group of the number's digits."""
    assert contacts.sure_contact(text), text
    assert contacts.may_be_contact(text), text
    hidden = contacts.without_contacts(text)
    assert hidden != text and not contacts.sure_contact(hidden), (text, hidden)
    assert re.search(r"\d\d[-\s.,]\d\d(?!\d)", hidden) is None, (text, hidden)


@pytest.mark.parametrize(
    "text",
    [
        "(7172) 12-34-56",
        "\u0422\u0435\u043b. (7172) 12-34-56",  # Тел.
        "(7172)12-34-56",
        "(71036) 2-12-34",  # a district's five-digit code
        "(3532) 12 34 56",
        "(495) 123-45-67",  # Russia's
        "(727) 2-50-12-34",
        "\u0411\u0430\u0439\u043b\u0430\u043d\u044b\u0441: (7172) 21-45-67, \u0436\u04b1\u043c\u044b\u0441 "
        "\u043a\u04af\u043d\u0434\u0435\u0440\u0456.",  # Байланыс: …, жұмыс күндері.
        "Call the museum at (7172) 12-34-56 on weekdays.",
    ],
)
def test_a_landline_with_its_area_code_in_brackets_and_no_8_is_a_phone_number(text: str) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u0442\u0435\u043b. 12-34-56",  # тел.
        "\u0422\u0435\u043b: 2-50-12",
        "\u0422\u0435\u043b.: 250-12-34",
        "\u0434\u043e\u043c. \u0442\u0435\u043b. 21-45-67",  # дом. тел.
        "\u0440\u0430\u0431. \u0442\u0435\u043b. 21 45 67",  # раб. тел.
        "\u0442\u0435\u043b\u0435\u0444\u043e\u043d 2-50-12-34",  # телефон
        "\u0442\u0435\u043b\u0435\u0444\u043e\u043d\u044b: 21-45-67, 21-45-68",  # телефоны:
        "\u041c\u043e\u0431. 21-45-67",  # Моб.
        "\u0444\u0430\u043a\u0441 12-34-56",  # факс
        "\u0422\u0435\u043b./\u0444\u0430\u043a\u0441: 21-45-67",  # Тел./факс:
        "\u0422\u0435\u043b. \u2116 21-45-67",  # Тел. №
        "\u04b1\u044f\u043b\u044b \u0442\u0435\u043b. 2 50 12",  # ұялы тел.
        "\u0431\u0430\u0439\u043b\u0430\u043d\u044b\u0441 \u0442\u0435\u043b. 12-34-56",
        "phone 12-34-56",
        "Tel.: 12 34 56",
        "tel.12-34-56",
        "fax 2-50-12",
        "Fax: 12\u201334\u201356",  # en dashes
        "\u041f\u043e \u0432\u043e\u043f\u0440\u043e\u0441\u0430\u043c \u0437\u0432\u043e\u043d\u0438\u0442\u044c "
        "\u043f\u043e \u0442\u0435\u043b. 21-45-67 \u043f\u043e\u0441\u043b\u0435 18:00.",
        "\u0428\u0435\u0431\u0435\u0440\u0433\u0435 \u0445\u0430\u0431\u0430\u0440\u043b\u0430\u0441\u0443: "
        "\u04b1\u044f\u043b\u044b \u0442\u0435\u043b. 21-45-67.",  # Шеберге хабарласу: ұялы тел.
        "For lessons, phone 2-50-12 in the evening.",
    ],
)
def test_a_local_number_right_after_a_word_naming_a_phones_line_is_a_phone_number(
    text: str,
) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        "7 912 345 67 89",
        "7-912-345-67-89",
        "7 (912) 345-67-89",
        "7 912 345-67-89",
        "7 3532 12-34-56",
        "\u0417\u0432\u043e\u043d\u0438\u0442\u0435: 7 912 345 67 89.",  # Звоните:
        "\u2116 7 912 345 67 89",  # spaced as a phone number is, after a number sign too
    ],
)
def test_a_number_of_the_plus_7_zone_after_its_7_grouped_as_phones_are_is_a_phone_number(
    text: str,
) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        "0049 30 1234567",
        "00 49 30 1234567",
        "00 1 212 555 0100",
        "007 912 345 67 89",
        "call 0049 30 1234567 from abroad",
        "Tel. No. 0049 30 1234567",
        "\u0421\u043e\u0442\u043e\u0432\u044b\u0439: 0049-30-1234567",  # Сотовый:
    ],
)
def test_an_international_number_with_00_for_its_plus_is_a_phone_number(text: str) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text", ["8,701,123,45,67", "+7,701,123,45,67", "8,912,345,67,89", "call 8,701,123,45,67."]
)
def test_a_number_with_commas_between_its_groups_is_a_phone_number(text: str) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        # what was caught before stays caught
        "\u0442\u0435\u043b.: 8 (7172) 12-34-56",
        "phone: (727) 250-12-34",
        "007 701 123 45 67",
        "7 701 123 45 67",
        "+7 700 000 00 00",
    ],
)
def test_the_forms_taken_before_are_still_taken(text: str) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        # a local number alone: a date, a score, a code
        "12-34-56",
        "12-03-13",
        "2-50-12",
        "the match ended 21 45 67 in the third round",
        # dates, times, ranges, pages
        "12-03-2013",
        "12.03.13",
        "12:34:56",
        "\u0442\u0435\u043b. 12:34:56",
        "1997\u20132003",
        "1997 2003 2013",
        "pp. 12-34",
        "\u0442\u0435\u043b. 12-34",
        "\u0442\u0435\u043b 2013",
        "\u0441\u0447\u0451\u0442 2-1, 3-2",  # счёт
        # a number after a number sign or a word naming a number, with no phone's word
        "No. 12-34-56",
        "\u0418\u043d\u0432. \u2116 21-45-67",  # Инв. №
        "\u0430\u0440\u0445. 21-45-67",
        "No. 0049 30 1234567",
        "\u0418\u043d\u0432. \u2116 0012 345 678 90",
        # a messenger's name, `contact`, or `сот` (a court) is no phone's line
        "WhatsApp: 555-12-34",
        "Contact: 12-34-56",
        "\u0441\u043e\u0442 12-34-56",
        # a figure grouped by thousands, after a `7` or an area code's brackets
        "7 912 345 678",
        "7 000 000",
        "\u041d\u0430\u0441\u0435\u043b\u0435\u043d\u0438\u0435 7 912 345 \u0447\u0435\u043b.",
        "(7172) 1 000 000",
        "(300) 1 000 000",
        "\u0442\u0435\u043b. 1 234 567",
        # a year in brackets, ids
        "(1997) 12-34-56",
        "(2013) 2-12-34",
        "KZ-2013-7701",
        "KZ-2013-7 912 345 67 89",
        # `00` alone, unspaced (an id), or a sum's digits before a currency
        "0049",
        "0049301234567",
        "00 49 30 1234567 \u0442\u0435\u04a3\u0433\u0435",  # теңге
        "0049 30 1234567 EUR",
        "IIN 001231500123",
        # commas: a figure, a list of numbers
        "8,701,123",
        "8, 701, 123, 45, 67",
        "8,701,123,45,67,89",
        "1,8,701,123,45,67",
        "ISBN 978-601-12-3456-7",
    ],
)
def test_what_stays_none(text: str) -> None:
    assert not contacts.sure_contact(text), text


def test_the_new_forms_are_told_in_linear_time() -> None:
    """Each text tens of kilobytes long, judged and hidden well within a second: a pattern
    that backtracks over what it passed would take minutes."""
    judged_in_linear_time(
        (
            "\u0442\u0435\u043b. " * 5_000,
            "\u0442\u0435\u043b. 1" * 5_000,
            "\u0442\u0435\u043b. 12-34-" * 3_000,
            "12-34-" * 5_000,
            "12-34-56 " * 3_000,
            "\u2116 12-34-56 " * 2_500,
            "1 2 3 " * 5_000,
            "(7172) " * 4_000,
            "(7172) 12-" * 3_000,
            "(" * 25_000,
            "7 912 " * 5_000,
            "7 (912) 345-" * 2_500,
            "7 " * 15_000,
            "00 " * 10_000,
            "0049 " * 6_000,
            "0" * 25_000 + " 1",
            "00 49" + " 30" * 10_000 + " \u0442\u0435\u04a3\u0433\u0435",
            "8,701," * 5_000,
            "8,701,123,45," * 2_500,
            "\u2116 " * 10_000 + "21-45-67",
        )
    )


_PIECES = st.sampled_from(
    ["\u0442\u0435\u043b. ", "\u0422\u0435\u043b: ", "phone ", "WhatsApp: ", "No. ", "\u2116 ",
     "(7172) ", "(727) ", "(1997) ", "(", ")", "12-34-56", "2-50-12", "21 45 67", "12", "-",
     " ", ".", ",", ":", "7 ", "7", "8", "0", "00", "0049 ", "912 345 67 89", "912 345 678",
     "30 1234567", "8,701,123,45,67", ",45", "\u0442\u0435\u04a3\u0433\u0435", "1997", "\n",
     "KZ-2013-", "\u2013", "700 000 00 00"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=10).map("".join))
def test_law_what_validate_warns_of_log_hides_and_what_it_prints_is_none(text: str) -> None:
    """Whatever validate warns of (`sure_contact`), `log` and every message hide
    (`without_contacts`), and what they print holds nothing validate warns of."""
    hidden = contacts.without_contacts(text)
    if contacts.sure_contact(text):
        assert hidden != text, text
    assert not contacts.sure_contact(hidden), (text, hidden)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Call the master: \u0442\u0435\u043b. 21-45-67.", "21-45-67"),
        ("Museum: (7172) 12-34-56", "12-34-56"),
        ("Master in Orenburg: 7 912 345 67 89", "345 67 89"),
        ("From abroad: 0049 30 1234567", "1234567"),
        ("Call 8,701,123,45,67", "123,45,67"),
    ],
)
def test_validate_warns_of_the_new_forms_in_a_records_text_and_log_hides_them(
    git_inventory: Path, run: Callable[..., Result], text: str, number: str
) -> None:
    """As `test_public_outputs` does for the forms before: validate warns of the text (which
    a record's public outputs print as written), `log` hides the number from a commit's
    subject."""
    repo = git.Repo(git_inventory)
    d.write(git_inventory, d.element("KZ-2026-0001", description={"en": text}))
    commit(repo, f"Add an element, {text}")
    findings = json.loads(run("validate", "-f", "json").stdout)["findings"]
    assert [f["pointer"] for f in findings if f["rule"] == "text.contact"] == ["/description/en"]
    shown = run("log", "KZ-2026-0001").stdout
    assert "Add an element, " in shown and number not in shown
