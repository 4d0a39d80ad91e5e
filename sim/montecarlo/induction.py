"""Bargaining over time and compliance for a whole block of draws at once.

The same equilibria as :func:`sim.montecarlo.strategic.strategic_block` (the core's
:func:`~sim.core.bargaining.alternating_offers` and :func:`~sim.core.bargaining.mediated`, one
draw at a time), computed for every draw of a block together:

1. **War flows.** The drawn war model's path ``(D, T + 1, n_veto)`` and the present value of
   fighting on, with the operations of :func:`~sim.core.timeline.war_path` and
   :func:`~sim.core.timeline.war_present_value` elementwise (so the numbers are the same).
2. **Candidates that can matter.** In every period a veto party's value is at least its
   continuation less ``ACCEPT_TOL + TIE_TOL`` (a responder only accepts what meets its
   continuation, a proposer only settles when its best offer does, and picks within
   ``TIE_TOL`` of it), so the continuation ``C_i(t)`` is at least
   ``L_i(t) = (1 - δ) w_i(t) + δ (L_i(t + 1) - s)`` with ``L_i(T) = C_i(T)`` and a slack ``s``
   above those tolerances. A bundle below ``min_t L_i(t)`` (less a margin) for some veto party
   is never accepted by it as a responder, never chosen by it in a deal as a proposer and never
   tied with the offer chosen; dropping it changes no period's deal or values. For the case,
   this leaves at most a few hundred of the 2,048 feasible bundles in a draw, most often none.
3. **Backward induction over the block.** The kept candidates of each draw, padded to a common
   width, with their utilities summed issue by issue exactly as
   :func:`~sim.core.utility.bundle_utilities` does; each period is a masked maximum with the
   tie rules of the core (the proposer's utility within ``TIE_TOL``, then the responder's,
   then the lowest bundle index; the mediator's utility, then the lowest index) for all draws.
4. **Compliance.** The 2x2 compliance game of an agreed bundle is self-enforcing, i.e. mutual
   compliance is its only equilibrium, exactly when ``a_s > 0`` for both sides and
   ``e_s > 0`` for at least one, where ``a_s`` is side ``s``'s gain from complying rather than
   violating when the other complies, and ``e_s`` the same when the other violates:

   - if ``a_s < 0`` for a side, mutual compliance is no equilibrium;
   - if ``a_s = 0`` for a side, that side is indifferent against compliance, so the profiles
     where it mixes (down to the other side's indifference point) are equilibria too: an
     equilibrium component with more than one extreme point;
   - if both ``a_s > 0`` and some ``e_s > 0``, complying strictly dominates for that side, and
     after eliminating its violation the other side strictly prefers compliance: one
     equilibrium;
   - if both ``a_s > 0`` and both ``e_s <= 0``, mutual violation is an equilibrium as well.

   Where a margin lies within ``1e-6 max(1, |payoff|)`` of zero but is not exactly zero, the
   solver's own tolerances decide, so that draw's game is solved by
   :func:`~sim.games.compliance.compliance_game` as the one-draw path does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.analysis.strategy import (
    ALTERNATING,
    CANDIDATE_LIMIT,
    DEFAULT_HORIZON,
    MEDIATED,
    ROTATING,
    compliance_model,
    mediator_column,
)
from sim.analysis.talks import war_columns
from sim.compile import Column, Values, imposed_utilities
from sim.core.bargaining import TIE_TOL
from sim.core.space import decode
from sim.core.timeline import war_path, war_present_value
from sim.core.utility import ACCEPT_TOL
from sim.games.compliance import ComplianceModel, compliance_game
from sim.montecarlo.draws import draw_block
from sim.montecarlo.static import BLOCK_CELLS, Structure, _half_sums, block_arrays, drawn_values
from sim.montecarlo.strategic import (
    StrategicBlock,
    compliance_columns,
    drawn_compliance,
    protocol_names,
    protocol_runs,
    strategic_block,
)

SLACK = 1e-9
"""Per-period slack of the lower bound on continuations (well above ``ACCEPT_TOL + TIE_TOL``)."""
MARGIN = 1e-8
"""Margin below that bound within which a candidate is kept."""
GAME_BAND = 1e-6
"""Compliance margins within this (times the largest payoff, at least 1) of zero, but not
zero, are left to the game solver."""

_NO_INDEX = np.iinfo(np.int64).max


VECTORISED = (ALTERNATING.key, ROTATING.key, MEDIATED.key)
"""The protocols whose backward induction this module runs over a block (proposers in turn,
or the mediator's choice); a scenario playing any other is drawn one draw at a time."""


@dataclass(frozen=True)
class WarBlock:
    """Per draw: war flows ``(D, T + 1, n_veto)``, discounts ``(D, n_veto)`` and the present
    value of fighting on ``(D, n_veto)``, veto parties in ``problem.veto_indices`` order."""

    flows: NDArray[np.float64]
    discounts: NDArray[np.float64]
    present: NDArray[np.float64]


def _column(value: NDArray[np.float64] | float, n: int) -> NDArray[np.float64]:
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def war_block(
    structure: Structure,
    at: Values,
    reservation: NDArray[np.float64],
    n: int,
    tables: list[NDArray[np.float64]],
) -> WarBlock:
    """The war flows, discounts and present values of every draw of a block (``tables``: the
    block's drawn value tables, which value a war over the terms each side imposes)."""
    scenario, problem = structure.scenario, structure.problem
    veto = problem.veto_indices
    war = scenario.war
    horizon = war.horizon if war is not None else DEFAULT_HORIZON
    flows = np.repeat(reservation[:, veto][:, None, :], horizon + 1, axis=1)
    numbers = war_columns(scenario, problem, at, imposed_utilities(scenario, problem, tables))
    if war is not None and numbers is not None:

        def sides(pair: tuple[Column, Column]) -> NDArray[np.float64]:
            return np.stack([_column(pair[0], n), _column(pair[1], n)], axis=1)

        path = war_path(
            sides(numbers.beliefs),
            _column(numbers.drift, n),
            horizon,
            sides(numbers.win),
            sides(numbers.lose),
            sides(numbers.cost),
            sides(numbers.cost_growth),
        )  # (D, T + 1, 2): the war_columns of every draw at once
        for column, side in enumerate(war.sides):
            position = np.flatnonzero(veto == problem.parties.index(side))
            if position.size:
                flows[:, :, position[0]] = path[:, :, column]
    discounts = np.stack(
        [
            _column(at.get(f"parties.{problem.parties[i]}.discount", p.discount), n)
            for i, p in ((int(i), scenario.parties[problem.parties[int(i)]]) for i in veto)
        ],
        axis=1,
    )
    return WarBlock(flows, discounts, war_present_value(flows, discounts))


def lower_bounds(war: WarBlock) -> NDArray[np.float64]:
    """``(D, n_veto)``: below every continuation value of the game, less the tolerances."""
    flows, delta = war.flows, war.discounts
    horizon = flows.shape[1] - 1
    bound = (1.0 - delta) * flows[:, horizon] + delta * flows[:, horizon]
    lowest = bound.copy()
    for t in range(horizon - 1, -1, -1):
        bound = (1.0 - delta) * flows[:, t] + delta * (bound - SLACK)
        lowest = np.minimum(lowest, bound)
    return lowest - ACCEPT_TOL - TIE_TOL - MARGIN


def kept_candidates(
    structure: Structure, tables: list[NDArray[np.float64]], floor: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Draw and position (into ``structure.bundles``) of each candidate at or above every veto
    party's floor ``(D, n_veto)``, ordered by draw then bundle."""
    problem = structure.problem
    n = floor.shape[0]
    split, k = structure.split, len(problem.issues)
    f1, f2 = structure.first.shape[0], structure.second.shape[0]
    step = max(1, BLOCK_CELLS // max(1, f1 * f2))
    rows_parts, positions_parts = [], []
    for start in range(0, n, step):
        stop = min(n, start + step)
        part = [t[start:stop] for t in tables]
        grid = np.ones((stop - start, f1, f2), dtype=np.bool_)
        for c, v in enumerate(problem.veto_indices):
            head = _half_sums(part, range(split), structure.first, int(v))
            tail = _half_sums(part, range(split, k), structure.second, int(v))
            grid &= head[:, :, None] + tail[:, None, :] >= floor[start:stop, c, None, None]
        rows, positions = np.nonzero(grid.reshape(stop - start, -1))
        rows_parts.append(rows + start)
        positions_parts.append(positions)
    return np.concatenate(rows_parts), np.concatenate(positions_parts)


def _flat_options(
    tables: list[NDArray[np.float64]], draws: NDArray[np.int64], digits: NDArray[np.int64]
) -> list[NDArray[np.int64]]:
    """Per issue, ``(D, W)`` where each candidate's option lies in a ``(draws, options)``
    table of one party: ``draw * options + option``, computed once for every party."""
    return [draws[:, None] * t.shape[2] + digits[:, :, k] for k, t in enumerate(tables)]


def _utilities(
    tables: list[NDArray[np.float64]], flat: list[NDArray[np.int64]], party: int
) -> NDArray[np.float64]:
    """``(D, W)`` utilities of the candidates at ``flat`` (:func:`_flat_options`) summed issue
    by issue from zero, as ``bundle_utilities`` does."""
    total = np.zeros(flat[0].shape) if flat else np.zeros((0, 0))
    for table, where in zip(tables, flat, strict=True):
        total += np.ascontiguousarray(table[:, party, :]).take(where)
    return total


def _pick(
    tied: NDArray[np.bool_],
    second: NDArray[np.float64] | None,
    indices: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Position of the chosen candidate among ``tied``: the highest ``second`` within
    ``TIE_TOL`` (if given), then the lowest bundle index."""
    if second is not None:
        top = np.where(tied, second, -np.inf).max(axis=1)
        tied = tied & (second >= top[:, None] - TIE_TOL)
    picked: NDArray[np.int64] = np.where(tied, indices, _NO_INDEX).argmin(axis=1)
    return picked


def _induction(
    utilities: NDArray[np.float64],
    valid: NDArray[np.bool_],
    indices: NDArray[np.int64],
    war: WarBlock,
    order: list[int] | None,
    favour: NDArray[np.float64] | None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Backward induction for a chunk: ``utilities (D, W, n_veto)`` of the candidates (veto
    order), ``order`` the proposers in turn as veto columns, period ``t``'s being
    ``order[t % len(order)]`` and the other veto party responding (alternating offers, and
    rotating offers between two parties), or ``favour (D, W)`` the mediator's utilities.
    Returns the agreement period and candidate position (-1: none)."""
    n = utilities.shape[0]
    rows = np.arange(n)
    flows, delta = war.flows, war.discounts
    horizon = flows.shape[1] - 1
    value = flows[:, horizon].copy()
    period = np.full(n, -1, dtype=np.int64)
    chosen = np.full(n, -1, dtype=np.int64)
    for t in range(horizon, -1, -1):
        continuation = (1.0 - delta) * flows[:, t] + delta * value
        if order is not None:
            proposer = order[t % len(order)]
            responder = 1 - proposer
            mine = utilities[:, :, proposer]
            theirs = utilities[:, :, responder]
            acceptable = valid & (theirs >= (continuation[:, responder] - ACCEPT_TOL)[:, None])
            best = np.where(acceptable, mine, -np.inf).max(axis=1)
            tied = acceptable & (mine >= (best - TIE_TOL)[:, None])
            position = _pick(tied, theirs, indices)
            agreed = acceptable.any(axis=1) & (best >= continuation[:, proposer] - ACCEPT_TOL)
        else:
            assert favour is not None
            acceptable = valid.copy()
            for c in range(utilities.shape[2]):
                acceptable &= utilities[:, :, c] >= (continuation[:, c] - ACCEPT_TOL)[:, None]
            best = np.where(acceptable, favour, -np.inf).max(axis=1)
            tied = acceptable & (favour >= (best - TIE_TOL)[:, None])
            position = _pick(tied, None, indices)
            agreed = acceptable.any(axis=1)
        value = np.where(agreed[:, None], utilities[rows, position], continuation)
        period = np.where(agreed, t, period)
        chosen = np.where(agreed, position, chosen)
    return period, chosen


def _chunks(counts: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Draws grouped by their number of kept candidates so that a chunk's padded arrays stay
    within :data:`BLOCK_CELLS` cells."""
    order = np.argsort(counts, kind="stable")
    chunks: list[NDArray[np.int64]] = []
    start = 0
    while start < order.shape[0]:
        stop = start + 1
        while stop < order.shape[0] and (stop + 1 - start) * max(1, int(counts[order[stop]])) <= (
            BLOCK_CELLS // 8
        ):
            stop += 1
        chunks.append(order[start:stop])
        start = stop
    return chunks


def vectorised_strategic_block(structure: Structure, drawn: NDArray[np.float64]) -> StrategicBlock:
    """Bargaining over time and compliance for every draw of a block, all draws at once.

    Equal to :func:`sim.montecarlo.strategic.strategic_block` draw by draw; scenarios whose
    protocols choose among the Pareto frontier rather than every feasible bundle (more than
    ``CANDIDATE_LIMIT`` feasible bundles), scenarios with other than two veto parties
    (rotating offers among three or more, and their many-player compliance game) and
    protocols this module has no kernel for (:data:`VECTORISED`) are computed by it.
    """
    plays = protocol_runs(structure)
    if (
        structure.bundles.shape[0] > CANDIDATE_LIMIT
        or len(structure.problem.veto_indices) != 2
        or any(play.kind not in VECTORISED for play in plays)
    ):
        return strategic_block(structure, drawn)
    scenario, problem = structure.scenario, structure.problem
    names = tuple(run.name for run in plays)
    n = drawn.shape[0]
    period = np.full((n, len(names)), -1, dtype=np.int64)
    bundle = np.full((n, len(names)), -1, dtype=np.int64)
    enforcing = np.full((n, len(names)), -1, dtype=np.int8)
    if not names or n == 0:
        return StrategicBlock(names, period, bundle, enforcing)
    tables, reservation, _ = block_arrays(structure, drawn)
    at = drawn_values(structure, drawn)
    war = war_block(structure, at, reservation, n, tables)
    veto = [int(v) for v in problem.veto_indices]
    mediator = mediator_column(scenario, problem)
    rows, positions = kept_candidates(structure, tables, lower_bounds(war))
    counts = np.bincount(rows, minlength=n).astype(np.int64)
    offsets = np.cumsum(counts) - counts
    utility_of_agreed = np.zeros((n, len(names), len(veto)))
    for chunk in _chunks(counts):
        width = max(1, int(counts[chunk].max()))
        slot = np.arange(width)
        valid = slot[None, :] < counts[chunk][:, None]
        where = np.minimum(offsets[chunk][:, None] + slot[None, :], max(0, rows.shape[0] - 1))
        index = np.where(valid, structure.bundles[positions[where]] if rows.size else 0, 0)
        digits = decode(index.reshape(-1), problem.radices).reshape(*index.shape, -1)
        sub = [t[chunk] for t in tables]
        local = np.arange(chunk.shape[0])
        flat = _flat_options(sub, local, digits)
        utilities = np.stack([_utilities(sub, flat, v) for v in veto], axis=2)
        if structure.consent is not None and rows.size:  # (no candidate: nothing valid)
            at_bundles = positions[where]
            valid = valid & _consented(structure, sub, flat, at_bundles, reservation[chunk])
        part = WarBlock(war.flows[chunk], war.discounts[chunk], war.present[chunk])
        runs: list[tuple[list[int] | None, NDArray[np.float64] | None]] = []
        for play in plays:
            if play.order:
                runs.append(([veto.index(c) for c in play.order], None))
            else:
                assert mediator is not None
                runs.append((None, _utilities(sub, flat, mediator)))
        for r, (order, favour) in enumerate(runs):
            agreed_in, position = _induction(utilities, valid, index, part, order, favour)
            agreed = agreed_in >= 0
            period[chunk[agreed], r] = agreed_in[agreed]
            bundle[chunk[agreed], r] = index[local[agreed], position[agreed]]
            utility_of_agreed[chunk[agreed], r] = utilities[local[agreed], position[agreed]]
    model = compliance_model(scenario, problem)
    if model is not None and all(problem.veto[list(model.sides)]):
        drawn_scalars = compliance_columns(model, scenario, problem, at, n)
        enforcing = _compliance(
            structure, model, drawn_scalars, bundle, utility_of_agreed, war, veto
        )
    return StrategicBlock(names, period, bundle, enforcing)


def _consented(
    structure: Structure,
    tables: list[NDArray[np.float64]],
    flat: list[NDArray[np.int64]],
    positions: NDArray[np.int64],
    reservation: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """``(D, W)``: no consent holder whose consent the candidate needs refuses it in the draw
    (utilities summed as :func:`~sim.core.utility.bundle_utilities` does, so that this
    decides as :func:`sim.analysis.strategy.candidates` does)."""
    consent = structure.consent
    assert consent is not None
    size = structure.second.shape[0]
    first_at, second_at = np.divmod(positions, size)
    holders = structure.problem.consent_holders
    needed = consent.deciders_at(first_at, second_at, holders)
    hits = consent.hits[0][first_at] | consent.hits[1][second_at]
    ok = np.ones(positions.shape, dtype=np.bool_)
    for k, j in enumerate(holders.tolist()):
        meets = _utilities(tables, flat, j) >= (reservation[:, j] - ACCEPT_TOL)[:, None]
        ok &= ~needed[..., k] | (meets & ~hits[..., j])
    return ok


def self_enforcing(
    margins: NDArray[np.float64], scale: NDArray[np.float64]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Whether mutual compliance is the only equilibrium of 2x2 games, from their margins.

    Parameters
    ----------
    margins
        ``(4, N)``: per game ``a_0, e_0, a_1, e_1``, where ``a_s`` is side ``s``'s payoff from
        complying less that from violating when the other complies, ``e_s`` the same when the
        other violates (row player: ``A[0, 0] - A[1, 0]``, ``A[0, 1] - A[1, 1]``; column
        player: ``B[0, 0] - B[0, 1]``, ``B[1, 0] - B[1, 1]``).
    scale
        ``(N,)`` the largest payoff magnitude of each game, at least 1.

    Returns
    -------
    decided
        ``a_0 > 0 and a_1 > 0 and (e_0 > 0 or e_1 > 0)`` (see the module notes).
    unsure
        Games with a margin within ``GAME_BAND * scale`` of zero but not zero: the solver's
        tolerances decide those.

    Examples
    --------
    Prisoner's dilemma (violating dominates) and an assurance game (two pure equilibria), then
    a game where complying dominates for the row player:

    >>> margins = np.array([[-1.0, 2.0, 1.0], [-1.0, -1.0, 1.0], [-1.0, 2.0, 3.0],
    ...                     [-1.0, -1.0, -1.0]])
    >>> self_enforcing(margins, np.ones(3))[0].tolist()
    [False, False, True]
    """
    unsure: NDArray[np.bool_] = (
        (margins != 0.0) & (np.abs(margins) <= GAME_BAND * scale[None, :])
    ).any(axis=0)
    positive = margins > 0.0
    decided: NDArray[np.bool_] = positive[0] & positive[2] & (positive[1] | positive[3])
    return decided, unsure


def _compliance(
    structure: Structure,
    model: ComplianceModel,
    drawn_scalars: Any,
    bundle: NDArray[np.int64],
    agreed: NDArray[np.float64],
    war: WarBlock,
    veto: list[int],
) -> NDArray[np.int8]:
    """Whether each agreed bundle's compliance game is self-enforcing (-1: no agreement);
    ``drawn_scalars``: each draw's gain, exposure, penalty, detection base and the options'
    contributions (:func:`sim.montecarlo.strategic.compliance_columns`)."""
    problem = structure.problem
    gain, exposure, penalty, detection, detection_tables, protection_tables = drawn_scalars
    enforcing = np.full(bundle.shape, -1, dtype=np.int8)
    draws, runs = np.nonzero(bundle >= 0)
    if draws.size == 0:
        return enforcing
    found = bundle[draws, runs]
    unique, inverse = np.unique(found, return_inverse=True)
    unique_digits = decode(unique, problem.radices)
    digits = unique_digits[inverse]  # (agreements, issues)

    def summed(tables: tuple[NDArray[np.float64], ...]) -> NDArray[np.float64]:
        """Each agreement's options' contributions in its draw, summed over issues in the
        order ``ComplianceModel`` sums them."""
        total = np.zeros(draws.shape[0])
        for k, table in enumerate(tables):
            total = total + table[draws, digits[:, k]]
        return total

    q = np.clip(detection[draws] + summed(detection_tables), 0.0, 1.0)
    columns = [veto.index(s) for s in model.sides]
    payoffs = []
    margins = []
    for s, column in enumerate(columns):
        protection = np.clip(summed(protection_tables[s]), 0.0, 1.0)
        agreement = agreed[draws, runs, column]
        fight = war.present[draws, column]
        exposed = exposure[draws, s] * (1.0 - protection)
        cheat = fight + gain[draws, s] - q * penalty[draws, s]
        kept_alone = fight - exposed
        both_violate = fight - q * penalty[draws, s]
        payoffs += [agreement, cheat, kept_alone, both_violate]
        margins += [agreement - cheat, kept_alone - both_violate]
    scale = np.maximum(1.0, np.abs(np.stack(payoffs)).max(axis=0))
    decided, unsure = self_enforcing(np.stack(margins), scale)
    enforcing[draws, runs] = decided.astype(np.int8)
    players = (problem.parties[model.sides[0]], problem.parties[model.sides[1]])
    for e in np.flatnonzero(unsure):
        d, r = int(draws[e]), int(runs[e])
        digits = unique_digits[inverse[e]]
        agreement = agreed[d, r, columns]
        enforcing[d, r] = int(
            compliance_game(
                drawn_compliance(model, drawn_scalars, d),
                players,
                int(found[e]),
                digits,
                agreement,
                war.present[d, columns],
            ).self_enforcing
            is True
        )
    return enforcing


STRATEGIC_BLOCK = 1024
"""Draws of bargaining over time per block."""


def simulate_strategic(
    structure: Structure,
    count: int,
    seed: int,
    on_block: Callable[[int], None] | None = None,
) -> StrategicBlock:
    """Bargaining over time and compliance for draws ``0..count-1`` (the same draws as the
    static layer's, by common random numbers), a block of draws at a time
    (:func:`vectorised_strategic_block`); ``on_block(done)`` reports
    progress."""
    names = protocol_names(structure)
    parts = []
    for start in range(0, count, STRATEGIC_BLOCK):
        stop = min(count, start + STRATEGIC_BLOCK)
        drawn = draw_block(structure.judgments, seed, start, stop)
        parts.append(vectorised_strategic_block(structure, drawn))
        if on_block is not None:
            on_block(stop - start)
    if not parts:
        empty = np.zeros((0, len(names)), dtype=np.int64)
        return StrategicBlock(names, empty, empty.copy(), empty.astype(np.int8))
    return StrategicBlock(
        names,
        np.concatenate([p.period for p in parts]),
        np.concatenate([p.bundle for p in parts]),
        np.concatenate([p.self_enforcing for p in parts]),
    )
