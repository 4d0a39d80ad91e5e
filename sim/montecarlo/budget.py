"""Time and memory of a Monte Carlo run, estimated before any draw (see docs/reliability.md).

* Memory: the feasible bundles are held as digits, indices and per-judge utilities, about
  ``feasible * (issues + judges + 2) * 8`` bytes; refused above ``$SIM_MAX_MC_BYTES``
  (default 2 GiB).
* Time: every draw evaluates every feasible bundle for every judge, ``draws * feasible *
  judges`` cells, at about a million cells a second on one core (the case's 2,048 bundles, 4
  judges and 2,000 draws: 1.6e7 cells, 11 s); refused above ``$SIM_MAX_MC_CELLS`` (default
  2e9, about half an hour), the message giving the draws that would fit.
* Each draw's frontier is one Pareto filter over the feasible bundles, within the limit of
  :mod:`sim.core.work`.
"""

from __future__ import annotations

from sim.budgets import env_limit
from sim.core.work import work_refusal
from sim.errors import InputError

MAX_MC_BYTES = 2 << 30
MAX_MC_CELLS = 2 * 10**9


def check_structure(name: str, feasible: int, issues: int, judges: int) -> None:
    """Refuse, before the bundles are built, a scenario whose Monte Carlo would not fit.

    Raises
    ------
    InputError
        Naming the scenario, the size, the limit and the variable that raises it.
    """
    needed = feasible * (issues + judges + 2) * 8
    allowed = env_limit("SIM_MAX_MC_BYTES", MAX_MC_BYTES)
    if needed > allowed:
        raise InputError(
            f"{name}: `sim uncertainty` holds {feasible:,} feasible bundles x ({issues} issues "
            f"+ {judges} judges), about {needed / 2**20:,.0f} MiB, more than the limit of "
            f"{allowed / 2**20:,.0f} MiB (raise it with $SIM_MAX_MC_BYTES)"
        )
    reason = work_refusal(feasible, judges)
    if reason:
        raise InputError(f"{name}: in every draw, {reason}")


def check_cells(draws: int, sizes: list[tuple[str, int, int]]) -> None:
    """Refuse a run whose ``draws * feasible * judges`` cells, summed over its scenarios
    (``(name, feasible, judges)``), exceed ``$SIM_MAX_MC_CELLS``.

    Raises
    ------
    InputError
        Naming the cells, the limit, the draws that would fit and the variable.

    Examples
    --------
    >>> check_cells(2000, [("baseline", 2048, 4)])
    >>> check_cells(10**6, [("big", 65536, 2)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sim.errors.InputError: 1,000,000 draws x 131,072 bundle-judge cells = 1.3e+11 cells, ...
    """
    per_draw = sum(feasible * judges for _, feasible, judges in sizes)
    allowed = env_limit("SIM_MAX_MC_CELLS", MAX_MC_CELLS)
    if draws * per_draw > allowed:
        raise InputError(
            f"{draws:,} draws x {per_draw:,} bundle-judge cells = {draws * per_draw:.2g} cells, "
            f"more than the limit of {allowed:.2g} (about a million a second; "
            f"{allowed // max(1, per_draw):,} draws would fit; raise the limit with "
            "$SIM_MAX_MC_CELLS)"
        )
