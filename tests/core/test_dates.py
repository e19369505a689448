"""Dates as records and options write them: YYYY-MM-DD and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from ichinv.core import dates
from ichinv.core.errors import UsageError


@pytest.mark.parametrize("text", ["20261201", "2026-12-1", "2026-02-30", "2026-W48", " 2026-12-01"])
def test_only_real_days_written_yyyy_mm_dd_are_dates(text: str) -> None:
    # Python reads "20261201" as a date; the three option parsers this one replaced did not
    # agree on it (--date of retire refused it, --since and --to took it).
    assert dates.parse_day(text) is None
    with pytest.raises(UsageError) as caught:
        dates.option_date(text, "--since")
    assert "--since" in caught.value.message and "YYYY-MM-DD" in (caught.value.hint or "")


def test_an_option_not_given_is_none_and_an_empty_one_no_date() -> None:
    """An outside test: `report periodic --from '' --to ''` took the empty values for options
    not given (the default period, exit 0) while `--from ' '` was a usage error."""
    assert dates.option_date(None, "--to") is None
    for empty in ("", " "):
        with pytest.raises(UsageError) as caught:
            dates.option_date(empty, "--to")
        assert caught.value.message == f"--to {empty!r} is not a date"


def test_a_decision_cannot_be_dated_in_the_future() -> None:
    assert dates.option_date("2026-11-25", "--date", latest=dt.date(2026, 11, 25))
    with pytest.raises(UsageError, match="in the future"):
        dates.option_date("2026-11-26", "--date", latest=dt.date(2026, 11, 25))


def test_today_can_be_fixed_for_reproducible_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICHINV_TODAY", "2013-03-01")
    assert dates.today() == dt.date(2013, 3, 1)
    monkeypatch.setenv("ICHINV_TODAY", "")
    assert dates.today() == dt.date.today()


@pytest.mark.parametrize("value", ["not a day", "garbage", "2099-02-30", "20261201"])
def test_today_fixed_to_no_day_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """It was ignored without a word, and the date rules judged as of the real today."""
    monkeypatch.setenv("ICHINV_TODAY", value)
    with pytest.raises(UsageError) as caught:
        dates.today()
    assert caught.value.message.startswith("ICHINV_TODAY is ")
    assert "YYYY-MM-DD" in caught.value.message
