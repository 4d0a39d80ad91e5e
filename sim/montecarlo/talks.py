"""Why talks fail, draw by draw: the same :func:`~sim.analysis.talks.talks_numbers` as
`sim run`, fed each draw's problem, war model numbers, timeline and candidates.

Drawn like every other result: the draws are the static layer's (common random numbers);
the belief about the private value (``war.private``) is held as stated. One draw at a time (a
few milliseconds a draw for a small scenario), in the blocks of
:mod:`sim.runs.uncertainty_blocks` (so on any executor, and resumed with them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.strategy import candidates, timeline
from sim.analysis.talks import talks_numbers, war_columns
from sim.compile import imposed_utilities
from sim.core.screening import BATCH_CANDIDATES, ScreeningInput, screening_many
from sim.montecarlo.document import Screening, Spread, TalksOdds
from sim.montecarlo.static import Structure, block_arrays, candidate_utilities, drawn_values
from sim.montecarlo.summary import wilson

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class TalksDraws:
    """Per draw: the probability of agreement by each month under screening (NaN rows: no
    informed side; with both sides informed, side 0's one offer), the expected month (NaN:
    none), the probability of no agreement, whether a commitment problem exists, and the
    optimism threshold (NaN: none, or no optimism empties the zone)."""

    p_agreement_by: NDArray[np.float64]
    expected_month: NDArray[np.float64]
    p_breakdown: NDArray[np.float64]
    commitment_problem: NDArray[np.bool_]
    optimism_threshold: NDArray[np.float64]


def talks_block(structure: Structure, drawn: NDArray[np.float64]) -> TalksDraws:
    """Why talks fail for every draw of a block."""
    scenario, problem = structure.scenario, structure.problem
    war = scenario.war
    assert war is not None
    n = drawn.shape[0]
    horizon = war.horizon
    by = np.full((n, horizon + 1), np.nan)
    month = np.full(n, np.nan)
    breakdown = np.full(n, np.nan)
    problem_flags = np.zeros(n, dtype=np.bool_)
    threshold = np.full(n, np.nan)
    tables, reservation, power = block_arrays(structure, drawn)
    at = drawn_values(structure, drawn)
    imposed = imposed_utilities(scenario, problem, tables)
    veto = problem.veto_indices
    games: list[ScreeningInput] = []  # solved together, up to BATCH_CANDIDATES candidates
    screened: list[int] = []
    held = 0

    def solve() -> None:
        nonlocal held
        for d, result in zip(screened, screening_many(games), strict=True):
            by[d] = result.p_agreement_by
            expected = result.expected_month
            month[d] = np.nan if expected is None else expected
            breakdown[d] = result.p_breakdown
        games.clear()
        screened.clear()
        held = 0

    # what does not change from draw to draw, or is computed for the whole block at once
    columns = war_columns(scenario, problem, at, imposed)
    for d, gathered in zip(range(n), candidate_utilities(problem, tables), strict=True):
        drawn_problem = dataclasses.replace(
            problem,
            tables=tuple(np.ascontiguousarray(t[d]) for t in tables),
            reservation=reservation[d].copy(),
            power=power[d].copy(),
        )
        line = timeline(scenario, drawn_problem, at, imposed, d, columns)
        flows, discounts = line.flows, line.discounts
        inputs = line.inputs
        indices, utilities, _ = candidates(drawn_problem, gathered)
        numbers = talks_numbers(
            scenario, drawn_problem, inputs, veto, flows, discounts, indices, utilities, full=False
        )
        if numbers.game is not None:
            games.append(numbers.game)
            screened.append(d)
            held += np.asarray(numbers.game[0]).size
            if held >= BATCH_CANDIDATES:  # solve what is held: memory stays bounded
                solve()
        elif numbers.both is not None:  # side 0's one offer, both sides informed
            refused = numbers.both[0].p_breakdown
            by[d] = 1.0 - refused
            month[d] = 0.0 if refused < 1.0 else np.nan
            breakdown[d] = refused
        problem_flags[d] = numbers.lasting.commitment_problem
        if numbers.expectations is not None and numbers.expectations[3] is not None:
            threshold[d] = numbers.expectations[3]
    solve()
    return TalksDraws(by, month, breakdown, problem_flags, threshold)


def _spread(values: NDArray[np.float64]) -> Spread:
    """Mean and quantiles of the finite values, and the share of draws they are."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return Spread(None, None, 0.0)
    return Spread(
        float(finite.mean()),
        {str(q): float(np.quantile(finite, q)) for q in QUANTILES},
        float(finite.size / values.size),
    )


def talks_title(structure: Structure) -> str:
    """What the ``screening`` figures of the summary describe: screening by the uninformed
    side, or (both war sides informed) the first war side's one offer."""
    war = structure.scenario.war
    assert war is not None and war.private is not None
    if len(war.private) == 2:
        return f"one offer by {war.sides[0]}, both sides' values private"
    return "screening under private information"


def talks_summary(
    draws: TalksDraws, title: str = "screening under private information"
) -> TalksOdds:
    """Why talks fail over the draws: the mean probability of agreement by each month and of
    no agreement (screening, or ``title``), the expected month's spread, the share of draws
    with a commitment problem, and the optimism threshold's spread."""
    n = draws.expected_month.shape[0]
    screened = ~np.isnan(draws.p_breakdown)
    screening = (
        Screening(
            title,
            {str(t): float(v) for t, v in enumerate(draws.p_agreement_by[screened].mean(axis=0))},
            float(draws.p_breakdown[screened].mean()),
            _spread(draws.expected_month[screened]),
        )
        if screened.any()
        else None
    )
    return TalksOdds(
        n,
        wilson(int(draws.commitment_problem.sum()), n),
        _spread(draws.optimism_threshold),
        screening,
    )
