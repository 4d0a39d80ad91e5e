"""The value of fighting on: Fearon-style disagreement payoffs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def war_value(
    prevail: ArrayLike, win: ArrayLike, lose: ArrayLike, cost: ArrayLike
) -> NDArray[np.float64]:
    """Expected utility of continuing the war, clipped to [0, 1].

    ``clip(p * win + (1 - p) * lose - cost, 0, 1)`` with ``p`` clipped to [0, 1] first:
    the disagreement payoff of Fearon (1995), "Rationalist explanations for war", §2, where a
    war is a lottery over outcomes less its cost.

    Examples
    --------
    >>> float(war_value(0.6, 1.0, 0.0, 0.1))
    0.5
    >>> float(war_value(1.3, 0.8, 0.2, 0.0))
    0.8
    """
    p = np.clip(np.asarray(prevail, dtype=np.float64), 0.0, 1.0)
    value = p * np.asarray(win) + (1.0 - p) * np.asarray(lose) - np.asarray(cost)
    return np.asarray(np.clip(value, 0.0, 1.0), dtype=np.float64)
