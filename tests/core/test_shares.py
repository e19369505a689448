"""Shares in count tables add up to 100 % (largest-remainder method)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core.shares import percents


def test_thirds_make_a_hundred() -> None:
    assert percents([1, 1, 1]) == [34, 33, 33]
    assert percents([1, 2]) == [33, 67]


def test_nothing_counted_is_no_share() -> None:
    assert percents([0, 0]) == [0, 0]
    assert percents([]) == []


def test_a_zero_stays_zero() -> None:
    assert percents([0, 3, 0]) == [0, 100, 0]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_every_table_sums_to_100_and_no_share_is_off_by_a_point(counts: list[int]) -> None:
    shares = percents(counts)
    total = sum(counts)
    if total == 0:
        assert shares == [0] * len(counts)
        return
    assert sum(shares) == 100
    for count, share in zip(counts, shares, strict=True):
        exact = count * 100 / total
        assert abs(share - exact) < 1
        if count == 0:
            assert share == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        percents([-1, 2])
