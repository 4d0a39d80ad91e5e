"""Sets of indices below a known bound, as sorted arrays.

``numpy.unique`` of a plain array (and so ``numpy.setdiff1d``) imports ``numpy.ma`` on first
use (about 7 ms at start-up, numpy 2.4); sets of indices below a small bound are found without
it, in linear time.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def distinct_indices(indices: ArrayLike, bound: int) -> NDArray[np.intp]:
    """The distinct values of ``indices`` (each in ``[0, bound)``), sorted: what
    ``numpy.unique`` returns for them.

    Examples
    --------
    >>> distinct_indices(np.array([4, 1, 4, 0]), 6).tolist()
    [0, 1, 4]
    >>> distinct_indices(np.zeros(0, dtype=np.int64), 3).tolist()
    []
    """
    return np.flatnonzero(_present(indices, bound))


def absent_indices(indices: ArrayLike, bound: int) -> NDArray[np.intp]:
    """The values in ``[0, bound)`` that ``indices`` leave out, sorted: what
    ``numpy.setdiff1d(numpy.arange(bound), indices)`` returns.

    Examples
    --------
    >>> absent_indices(np.array([3, 1, 3]), 5).tolist()
    [0, 2, 4]
    """
    return np.flatnonzero(~_present(indices, bound))


def _present(indices: ArrayLike, bound: int) -> NDArray[np.bool_]:
    present = np.zeros(bound, dtype=np.bool_)
    present[np.asarray(indices, dtype=np.intp)] = True
    return present
