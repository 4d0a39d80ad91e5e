"""Why talks fail over a block of draws: what :func:`~sim.analysis.talks.talks_numbers`
gives `sim run`, every draw with its own problem, war model numbers, timeline and candidates.

Drawn like every other result: the draws are the static layer's (common random numbers);
the belief about the private value (``war.private``) is held as stated. The commitment
problem (:func:`~sim.core.commitment.first_failing`) and the optimism threshold
(:func:`~sim.core.expectations.optimism_thresholds`) are computed for a piece of draws at
once (:func:`~sim.montecarlo.static.candidate_pieces`), the same floats as one draw at a time;
offers under private information are built draw by draw and solved together
(:func:`~sim.core.screening.screening_many`). Run in the blocks of
:mod:`sim.runs.uncertainty_blocks` (so on any executor, and resumed with them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.strategy import veto_discounts, war_flows
from sim.analysis.talks import (
    WarColumns,
    both_informed,
    expectation_candidates,
    private_games,
    screening_game,
    war_columns,
)
from sim.compile import imposed_utilities
from sim.core.commitment import commitment_problems, first_failing
from sim.core.expectations import optimism_thresholds
from sim.core.screening import BATCH_CANDIDATES, ScreeningInput, screening_many
from sim.montecarlo.document import Screening, Spread, TalksOdds
from sim.montecarlo.static import (
    Candidates,
    Structure,
    block_arrays,
    candidate_pieces,
    drawn_values,
)
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
    by = np.full((n, war.horizon + 1), np.nan)
    month = np.full(n, np.nan)
    breakdown = np.full(n, np.nan)
    problem_flags = np.zeros(n, dtype=np.bool_)
    threshold = np.full(n, np.nan)
    tables, reservation, power = block_arrays(structure, drawn)
    at = drawn_values(structure, drawn)
    imposed = imposed_utilities(scenario, problem, tables)
    veto = problem.veto_indices
    columns = war_columns(scenario, problem, at, imposed)  # the war model's numbers, per draw
    flows = war_flows(scenario, problem, reservation, None if columns is None else columns.paths(n))
    discounts = veto_discounts(scenario, problem, at, n)
    offers = Offers(structure, columns, flows, discounts, (by, month, breakdown))
    if columns is not None:  # each side's own chance of prevailing, and its stakes
        beliefs = columns.pair("beliefs", n)
        chances = np.stack([beliefs[:, 0], 1.0 - beliefs[:, 1]], axis=-1)
        win, lose, cost = (columns.pair(name, n) for name in ("win", "lose", "cost"))
    for piece in candidate_pieces(problem, tables, reservation, power):
        part = slice(piece.start, piece.stop)
        first = first_failing(piece.utilities[..., veto], flows[part])
        problem_flags[part] = commitment_problems(first, flows.shape[-2], piece.keep)
        found = (
            None
            if columns is None
            else expectation_candidates(scenario, problem, veto, flows[part], piece.utilities)
        )
        if found is not None and columns is not None:
            ok, sides = found
            threshold[part] = optimism_thresholds(
                piece.utilities[..., sides],
                chances[part],
                win[part],
                lose[part],
                cost[part],
                keep=ok if piece.keep is None else ok & piece.keep,
            )
        offers.add(piece)
    offers.solve()
    return TalksDraws(by, month, breakdown, problem_flags, threshold)


class Offers:
    """Offers under private information, draw by draw, where the war model declares a private
    value (:func:`~sim.analysis.talks.private_games`): screening games held and solved
    together, up to :data:`~sim.core.screening.BATCH_CANDIDATES` candidates at a time
    (memory stays bounded); with both war sides informed, the first side's one offer. The
    results go to ``by``, ``month`` and ``breakdown``."""

    def __init__(
        self,
        structure: Structure,
        columns: WarColumns | None,
        flows: NDArray[np.float64],
        discounts: NDArray[np.float64],
        results: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    ) -> None:
        self.scenario, self.problem = structure.scenario, structure.problem
        self.veto = self.problem.veto_indices
        self.columns, self.flows, self.discounts = columns, flows, discounts
        self.by, self.month, self.breakdown = results
        self.active = private_games(self.scenario, columns, self.veto)
        self.games: list[ScreeningInput] = []
        self.screened: list[int] = []
        self.held = 0

    def add(self, piece: Candidates) -> None:
        """The offers of the draws of ``piece``."""
        if not self.active:
            return
        war, columns = self.scenario.war, self.columns
        assert war is not None and war.private is not None and columns is not None
        for d in range(piece.start, piece.stop):
            indices, utilities = piece.of(d)
            inputs = columns.at(d)
            if len(war.private) == 2:  # side 0's one offer, both sides informed
                both = both_informed(
                    self.scenario,
                    self.problem,
                    inputs,
                    self.veto,
                    self.discounts[d],
                    indices,
                    utilities,
                )
                refused = both[0].p_breakdown
                self.by[d] = 1.0 - refused
                self.month[d] = 0.0 if refused < 1.0 else np.nan
                self.breakdown[d] = refused
                continue
            _, _, game = screening_game(
                self.scenario,
                self.problem,
                inputs,
                self.veto,
                self.flows[d],
                self.discounts[d],
                indices,
                utilities,
            )
            self.games.append(game)
            self.screened.append(d)
            self.held += indices.size
            if self.held >= BATCH_CANDIDATES:
                self.solve()

    def solve(self) -> None:
        """Solve the screening games held."""
        for d, result in zip(self.screened, screening_many(self.games), strict=True):
            self.by[d] = result.p_agreement_by
            expected = result.expected_month
            self.month[d] = np.nan if expected is None else expected
            self.breakdown[d] = result.p_breakdown
        self.games.clear()
        self.screened.clear()
        self.held = 0


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
