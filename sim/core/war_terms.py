"""War outcomes in terms of the deal space: what a side imposes if it prevails.

A scenario may say, for each war side, the terms it would impose if it prevailed: a bundle, or
partial terms completed by the winner's own preferences (its best option on every issue the
terms leave open, among the options that are not its own red lines; ties to the first option).
The value of fighting on is then a lottery over these outcomes, valued with each party's own
utility function (Fearon 1995, §2: war as a lottery over settlements, less its cost).

Utility is additive over the compiled issues, so the winner's best completion is found issue by
issue. Every function accepts tables with leading batch axes (e.g. one row per Monte Carlo draw).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def imposed_terms(
    winner_tables: Sequence[NDArray[np.float64]], allowed: Sequence[NDArray[np.bool_]]
) -> NDArray[np.int64]:
    """Per issue, the option the winner imposes.

    Parameters
    ----------
    winner_tables
        Per issue ``k``, the winner's weighted values ``(..., n_options_k)``.
    allowed
        Per issue, ``(n_options_k,)``: the options the winner may impose there (one where the
        terms fix the issue).

    Returns
    -------
    ``(..., n_issues)`` option indices.

    Examples
    --------
    >>> tables = [np.array([0.1, 0.5, 0.5]), np.array([0.2, 0.0])]
    >>> imposed_terms(tables, [np.ones(3, bool), np.array([False, True])]).tolist()
    [1, 1]
    """
    digits = [
        np.argmax(np.where(mask, table, -np.inf), axis=-1)
        for table, mask in zip(winner_tables, allowed, strict=True)
    ]
    return np.stack(digits, axis=-1).astype(np.int64)


def terms_utilities(
    tables: Sequence[NDArray[np.float64]], digits: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Every party's utility of the bundle ``digits``.

    Parameters
    ----------
    tables
        Per issue, ``(..., n_parties, n_options_k)`` weighted values.
    digits
        ``(..., n_issues)`` option indices, with the same leading axes as the tables.

    Returns
    -------
    ``(..., n_parties)``.

    Examples
    --------
    >>> tables = [np.array([[0.1, 0.5], [0.4, 0.0]]), np.array([[0.2, 0.3], [0.0, 0.6]])]
    >>> terms_utilities(tables, np.array([1, 0])).round(3).tolist()
    [0.7, 0.0]
    """
    total: NDArray[np.float64] | None = None
    for k, table in enumerate(tables):
        if digits.ndim == 1:  # one bundle for every leading index: a plain index
            part = table[..., int(digits[k])]
        else:
            index = np.broadcast_to(digits[..., k, None, None], (*table.shape[:-1], 1))
            part = np.take_along_axis(table, index, axis=-1)[..., 0]
        total = part if total is None else total + part
    assert total is not None
    return total


def allowed_for_winner(
    fixed: Sequence[NDArray[np.bool_] | None], red_lines: Sequence[NDArray[np.bool_]]
) -> list[NDArray[np.bool_]]:
    """What the winner may impose on each issue: the options the terms allow where they fix
    it (``fixed[k]``), else every option; in both cases less the winner's own red lines,
    unless that would leave nothing.

    Examples
    --------
    >>> allowed_for_winner([None, np.array([True, False])],
    ...                    [np.array([True, False]), np.array([False, False])])
    [array([False,  True]), array([ True, False])]
    """
    out = []
    for mask, lines in zip(fixed, red_lines, strict=True):
        lines = np.asarray(lines, dtype=np.bool_)
        terms = np.ones_like(lines) if mask is None else np.asarray(mask, dtype=np.bool_)
        free = terms & ~lines
        out.append(free if free.any() else terms)
    return out
