"""Bundles as mixed-radix numbers: the first issue is the most significant digit."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def decode(indices: NDArray[np.int64], radices: NDArray[np.int64]) -> NDArray[np.int64]:
    """Option digits of bundle indices.

    Parameters
    ----------
    indices
        ``(n,)`` bundle indices.
    radices
        ``(k,)`` number of options per issue.

    Returns
    -------
    ``(n, k)`` array: column ``j`` is the option index taken on issue ``j``.

    Examples
    --------
    >>> decode(np.array([0, 1, 5]), np.array([2, 3])).tolist()
    [[0, 0], [0, 1], [1, 2]]
    """
    indices = np.asarray(indices, dtype=np.int64)
    # issue-major storage, returned transposed: each issue's digits are contiguous, which is
    # how the vectorised layers read them (``digits[..., k]``)
    columns = np.empty((radices.shape[0], indices.shape[0]), dtype=np.int64)
    rest = indices.copy()
    for j in range(radices.shape[0] - 1, -1, -1):
        rest, columns[j] = np.divmod(rest, radices[j])
    return columns.T


def encode(digits: NDArray[np.int64], radices: NDArray[np.int64]) -> NDArray[np.int64]:
    """Bundle indices of option digits (inverse of :func:`decode`).

    Examples
    --------
    >>> encode(np.array([[0, 0], [0, 1], [1, 2]]), np.array([2, 3])).tolist()
    [0, 1, 5]
    """
    digits = np.asarray(digits, dtype=np.int64)
    indices = np.zeros(digits.shape[0], dtype=np.int64)
    for j in range(radices.shape[0]):
        indices = indices * radices[j] + digits[:, j]
    return indices
