"""Shares of a whole in whole percents that add up to exactly 100 (largest-remainder method).

Rounding each share down makes a table of thirds read 33 % + 33 % + 33 % = 99 %; rounding
each to the nearest can make 101 %. The largest-remainder method rounds down, then gives the
points still missing to the shares that lost most in rounding (ties: the larger count, then
the earlier row), so every table sums to 100 % and no share is off by a whole point.
"""

from __future__ import annotations

from collections.abc import Sequence


def percents(counts: Sequence[int]) -> list[int]:
    """Each count's share of their sum, in whole percents summing to 100 (all 0 when the sum
    is 0). Negative counts are a bug of the caller (ValueError)."""
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    floors = [c * 100 // total for c in counts]
    missing = 100 - sum(floors)
    order = sorted(
        range(len(counts)),
        key=lambda i: (-(counts[i] * 100 % total), -counts[i], i),
    )
    for i in order[:missing]:
        floors[i] += 1
    return floors
