"""Composite issues: runs of consecutive issues joined so that interaction terms stay additive.

An interaction term links options of several issues, so utility is no longer a sum over
issues. Joining every issue from the first to the last one a term names into one composite
issue, whose options are the combinations of its members' options in mixed-radix order (the
first member most significant), restores a sum over (composite) issues, and keeps every
bundle index unchanged: the bundle's digits on the composite are its members' digits read as
one number. The engine then runs on the composite problem as it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.budgets import env_limit
from sim.core.frontier import SpaceTooLargeError
from sim.core.space import decode


@dataclass(frozen=True)
class Layout:
    """Which scenario issues each compiled issue joins (``blocks[c]`` is a range of indices)."""

    blocks: tuple[tuple[int, ...], ...]
    radices: NDArray[np.int64]

    def member_digits(self, c: int) -> NDArray[np.int64]:
        """``(n_options, len(block))``: the members' options of each option of compiled issue c.

        Examples
        --------
        >>> layout = join_spans(np.array([2, 3, 2]), [(0, 1)])
        >>> layout.blocks
        ((0, 1), (2,))
        >>> layout.member_digits(0).tolist()
        [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]
        """
        members = self.radices[list(self.blocks[c])]
        return decode(np.arange(int(np.prod(members)), dtype=np.int64), members)


MAX_COMPOSITE_OPTIONS = 1 << 22
"""Default largest number of options of one composite issue (``$SIM_MAX_COMPOSITE``): every
party's values are tabulated over them, 32 MiB per party at this size."""


def join_spans(
    radices: NDArray[np.int64], spans: list[tuple[int, int]], names: Sequence[str] = ()
) -> Layout:
    """Blocks of consecutive issues: each span ``(first, last)`` must lie in one block;
    overlapping or touching spans share a block; other issues stay alone.

    Raises
    ------
    SpaceTooLargeError
        A block would have more options than ``$SIM_MAX_COMPOSITE`` (checked before any
        array over them is made; ``names`` name its issues in the message).
    """
    n = radices.shape[0]
    joined = np.zeros(n, dtype=np.bool_)  # joined[k]: issue k is in the block of issue k - 1
    for first, last in spans:
        joined[first + 1 : last + 1] = True
    blocks: list[list[int]] = []
    for k in range(n):
        if joined[k]:
            blocks[-1].append(k)
        else:
            blocks.append([k])
    limit = env_limit("SIM_MAX_COMPOSITE", MAX_COMPOSITE_OPTIONS)
    for block in blocks:
        size = math.prod(int(radices[k]) for k in block)
        if size > limit:
            start, end = (names[k] if names else str(k) for k in (block[0], block[-1]))
            raise SpaceTooLargeError(
                f"interaction terms join the {len(block)} issues from {start} to {end} (every "
                f"issue between the first and the last a term names) into one composite issue "
                f"of {size:,} options, more than the limit of {limit:,}; put linked issues next "
                "to each other in the file, or raise the limit with $SIM_MAX_COMPOSITE"
            )
    return Layout(tuple(tuple(b) for b in blocks), radices)


def compose(
    layout: Layout, per_issue: Sequence[NDArray[Any]], combine: str = "sum"
) -> list[NDArray[Any]]:
    """Per-issue arrays ``(..., n_options_k)`` as per-compiled-issue arrays over the composite
    options: summed over members (``"sum"``, for values) or OR-ed (``"any"``, for red lines).

    Examples
    --------
    >>> layout = join_spans(np.array([2, 2]), [(0, 1)])
    >>> compose(layout, [np.array([0.0, 1.0]), np.array([0.0, 10.0])])[0].tolist()
    [0.0, 10.0, 1.0, 11.0]
    """
    out = []
    for c, block in enumerate(layout.blocks):
        if len(block) == 1:
            out.append(per_issue[block[0]])
            continue
        digits = layout.member_digits(c)
        parts = [per_issue[k][..., digits[:, j]] for j, k in enumerate(block)]
        if combine == "any":
            out.append(np.logical_or.reduce(parts))
        else:
            out.append(np.sum(parts, axis=0))
    return out


def composite_names(
    layout: Layout, issues: tuple[str, ...], options: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Compiled issue names (members joined by ``+``) and their option names."""
    names, labels = [], []
    for c, block in enumerate(layout.blocks):
        names.append("+".join(issues[k] for k in block))
        if len(block) == 1:
            labels.append(options[block[0]])
            continue
        digits = layout.member_digits(c)
        labels.append(
            tuple(
                "+".join(options[k][int(d)] for k, d in zip(block, row, strict=True))
                for row in digits
            )
        )
    return tuple(names), tuple(labels)


def compiled_masks(layout: Layout, masks: list[NDArray[np.bool_]]) -> list[NDArray[np.bool_]]:
    """Allowed options per scenario issue as allowed options per compiled issue (a composite
    option is allowed when each member's option is)."""
    out = []
    for c, block in enumerate(layout.blocks):
        if len(block) == 1:
            out.append(masks[block[0]])
            continue
        digits = layout.member_digits(c)
        out.append(np.logical_and.reduce([masks[k][digits[:, j]] for j, k in enumerate(block)]))
    return out
