"""The bounds of additive utility over partial terms against a plain loop over issues.

:func:`sim.core.verdict.term_bounds` serves one draw (``sim run``'s verdicts) and a block of
draws (``sim uncertainty``'s): every float must be the one a loop adding issue after issue
gives, for every draw alone, or the two paths would round apart.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core import verdict
from sim.core.verdict import option_starts, side_by_side, term_bounds


def loop_bounds(
    tables: list[list[float]], lines: list[list[bool]], allowed: list[list[bool]]
) -> tuple[float, float, list[bool], list[bool], bool]:
    """Plain Python: low, high, hit, possible and blocked of one party in one draw."""
    low = high = 0.0
    hit, possible, blocked = [], [], False
    for values, red, mask in zip(tables, lines, allowed, strict=True):
        options = [o for o, m in enumerate(mask) if m]
        if len(options) == 1:
            low += values[options[0]]
            high += values[options[0]]
            hit.append(red[options[0]])
            possible.append(False)
            continue
        low += min(values[o] for o in options)
        free = [values[o] for o in options if not red[o]]
        blocked = blocked or not free
        high += max(free) if free else 0.0
        hit.append(False)
        possible.append(any(red[o] for o in options))
    return low, high, hit, possible, blocked


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
    radices = draw(st.lists(st.integers(1, 4), min_size=1, max_size=14))
    draws = draw(st.integers(1, 4))
    width = sum(radices)
    values = np.array(
        draw(
            st.lists(
                st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False),
                min_size=draws * width,
                max_size=draws * width,
            )
        )
    ).reshape(draws, width)
    lines = np.array(draw(st.lists(st.booleans(), min_size=width, max_size=width)))
    allowed = []
    for radix in radices:
        mask = draw(st.lists(st.booleans(), min_size=radix, max_size=radix))
        if not any(mask):
            mask[draw(st.integers(0, radix - 1))] = True
        allowed.extend(mask)
    return radices, values, lines, np.array(allowed)


def split(row: np.ndarray, radices: list[int]) -> list[list]:
    out, at = [], 0
    for radix in radices:
        out.append(row[at : at + radix].tolist())
        at += radix
    return out


@settings(max_examples=400, deadline=None)
@given(cases())
def test_bounds_over_draws_are_each_draws_loop(
    case: tuple[list[int], np.ndarray, np.ndarray, np.ndarray],
) -> None:
    radices, values, lines, allowed = case
    starts = option_starts(np.array(radices))
    bounds = term_bounds(values, lines, allowed, starts)
    for d in range(values.shape[0]):
        low, high, hit, possible, blocked = loop_bounds(
            split(values[d], radices), split(lines, radices), split(allowed, radices)
        )
        assert (bounds.low[d], bounds.high[d]) == (low, high)  # exact: the loop's floats
        assert (bounds.hit.tolist(), bounds.possible.tolist()) == (hit, possible)
        assert bool(bounds.blocked[d]) == blocked
        one = term_bounds(values[d], lines, allowed, starts)
        assert (one.low, one.high) == (bounds.low[d], bounds.high[d])


def test_side_by_side_keeps_issue_order() -> None:
    tables = [np.array([[1.0, 2.0]]), np.array([[3.0, 4.0, 5.0]])]
    assert side_by_side(tables).tolist() == [[1.0, 2.0, 3.0, 4.0, 5.0]]
    assert option_starts(np.array([2, 3])).tolist() == [0, 2]


def test_a_pairwise_sum_is_caught() -> None:
    """The exact comparison above can fail: numpy's pairwise sum over 14 issues rounds some
    sums differently from the loop."""
    rng = np.random.default_rng(5)
    radices = [1] * 14
    starts = option_starts(np.array(radices))
    values = rng.uniform(-1, 1, size=(200, 14))
    allowed = np.ones(14, dtype=bool)
    lines = np.zeros(14, dtype=bool)
    loops = [
        loop_bounds(split(v, radices), split(lines, radices), split(allowed, radices))[0]
        for v in values
    ]
    assert term_bounds(values, lines, allowed, starts).low.tolist() == loops
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verdict, "_in_order", lambda terms: terms.sum(axis=-1))
        assert term_bounds(values, lines, allowed, starts).low.tolist() != loops
