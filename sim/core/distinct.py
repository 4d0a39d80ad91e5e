"""Distinct values as sorted arrays, without ``numpy.unique``.

``numpy.unique`` of a plain array (and so ``numpy.setdiff1d`` and ``numpy.union1d``) imports
``numpy.ma`` on its first call, about 7 ms of a command's start-up (numpy 2.4). Sets of indices
below a known bound are found here in linear time, other values by the same sort and mask as
``numpy.unique``'s.
"""

from __future__ import annotations

from typing import Any

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


def distinct_values(values: ArrayLike) -> NDArray[Any]:
    """The distinct values of ``values``, flattened and sorted, NaNs as one: what
    ``numpy.unique`` returns for them (the same sort, then the first of each run of equals).

    Examples
    --------
    >>> distinct_values(np.array([0.5, 0.2, 0.5, 1.0])).tolist()
    [0.2, 0.5, 1.0]
    >>> distinct_values(np.array([1.0, np.nan, 0.0, np.nan])).tolist()
    [0.0, 1.0, nan]
    """
    ordered = np.sort(np.asarray(values).ravel())
    keep = np.empty(ordered.shape, dtype=np.bool_)
    keep[:1] = True
    keep[1:] = ordered[1:] != ordered[:-1]
    if ordered.size and ordered.dtype.kind in "fc" and np.isnan(ordered[-1]):
        keep[np.flatnonzero(np.isnan(ordered))[0] + 1 :] = False
    return ordered[keep]
