"""KTAB's spatial model of politics (SMP), after Howe, Wise and Efird (2017), "Modeling
Collective Decision-Making Processes with the KAPSARC Toolkit for Behavioral Analysis", and
KAPSARC's discussion paper "Multidimensional Bargaining using KTAB"; the probabilistic
Condorcet election after Wise and Bankes (2015). Over several dimensions (docs/spatial.md).

Actors keep their ideal points (the initial positions, on [0, 1] per dimension) and move
their positions by bargains. Arrays of candidate positions may carry leading batch axes
(states, draws): ``(..., m, D)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

MAX_SMP_ACTORS = 60
"""Most actors SMP runs with (a round weighs every challenge: ``n^4`` per challenger)."""


@dataclass(frozen=True)
class SmpOptions:
    """The model's settings; every one the sources leave open (docs/spatial.md, "SMP").

    Attributes
    ----------
    rounds
        Most rounds (default 100).
    tol
        Positions have stopped moving when no actor moves more than ``tol`` (on [0, 1]).
    victory
        ``linear`` (``P = S_a / (S_a + S_b)``, KTAB's default) or ``square``.
    pce
        The probabilistic Condorcet election: ``conditional`` (``p_a`` proportional to the
        product over ``b`` of ``P(a beats b)``) or ``markov`` (the stationary distribution
        of moving from ``a`` to ``b`` with probability ``P(b beats a) / (m - 1)``).
    vote_weight
        Each actor's vote weight: ``capability_salience`` (capability times mean salience,
        ``c s`` on one dimension as in BDM) or ``capability``.
    risk
        ``probability`` (risk attitudes from each position's chance in the risk-neutral
        election) or ``neutral`` (every ``R = 0``).
    choice
        How a target picks among its status quo and the bargains it is offered: ``likeliest``
        (the winner of their election; ties to the status quo, then the first challenger) or
        ``sample`` (drawn from the election's probabilities with ``seed``).
    forecast
        ``expected`` (the election-weighted mean of the positions) or ``likeliest``.
    seed
        For ``choice="sample"``.
    """

    rounds: int = 100
    tol: float = 1e-6
    victory: Literal["linear", "square"] = "linear"
    pce: Literal["conditional", "markov"] = "conditional"
    vote_weight: Literal["capability_salience", "capability"] = "capability_salience"
    risk: Literal["probability", "neutral"] = "probability"
    choice: Literal["likeliest", "sample"] = "likeliest"
    forecast: Literal["expected", "likeliest"] = "expected"
    seed: int = 0


@dataclass(frozen=True)
class Actors:
    """Ideal points ``(n, D)`` on [0, 1], salience weights ``(n, D)`` summing to 1 per actor
    (0 for an actor with no salience), and vote weights ``(n,)``."""

    ideals: Array
    weights: Array
    votes: Array


def smp_actors(ideals: Array, salience: Array, capability: Array, options: SmpOptions) -> Actors:
    """The actors as SMP sees them (``ideals`` on [0, 1])."""
    total = salience.sum(axis=-1, keepdims=True)
    weights = np.where(total > 0, salience / np.where(total > 0, total, 1.0), 0.0)
    if options.vote_weight == "capability":
        votes = capability.astype(np.float64)
    else:
        votes = capability * salience.mean(axis=-1)
    return Actors(ideals, weights, votes)


def utilities(actors: Actors, positions: Array, risk: Array) -> Array:
    """``(..., n, m)`` each actor's utility of each position: ``(1 - d)(1 + d R)`` with
    ``d = sqrt(sum_D w_D (ideal_D - position_D)^2)`` (salience-weighted distance in [0, 1])."""
    diff = actors.ideals[:, None, :] - positions[..., None, :, :]
    d = np.sqrt(np.sum(actors.weights[:, None, :] * diff * diff, axis=-1))
    out: Array = (1.0 - d) * (1.0 + d * risk[:, None])
    return out


def victory(actors: Actors, util: Array, how: str = "linear") -> Array:
    """``(..., m, m)`` ``P(a beats b)`` from the coalition strengths
    ``S(a:b) = sum_k max(c_k (u_k(a) - u_k(b)), 0)`` (proportional votes); ``linear``:
    ``S(a:b) / (S(a:b) + S(b:a))``, ``square``: with squared strengths; 0.5 where both are 0."""
    votes = actors.votes[:, None, None] * (util[..., :, :, None] - util[..., :, None, :])
    strength = np.sum(np.maximum(votes, 0.0), axis=-3)
    if how == "square":
        strength = strength * strength
    total = strength + np.swapaxes(strength, -1, -2)
    ok = total > 0
    return np.where(ok, strength / np.where(ok, total, 1.0), 0.5)


def condorcet_probabilities(p: Array, how: str = "conditional") -> Array:
    """``(..., m)`` the probabilistic Condorcet election over ``m`` candidates from the
    pairwise ``P(a beats b)``. ``conditional``: ``prod_{b != a} P(a, b)``, normalised
    (uniform if every product is 0); ``markov``: the chain's stationary distribution."""
    m = p.shape[-1]
    eye = np.eye(m, dtype=bool)
    if how == "conditional":
        prod = np.prod(np.where(eye, 1.0, p), axis=-1)
        total = prod.sum(axis=-1, keepdims=True)
        out: Array = np.where(total > 0, prod / np.where(total > 0, total, 1.0), 1.0 / m)
        return out
    if m == 1:
        return np.ones(p.shape[:-1])
    move = np.where(eye, 0.0, np.swapaxes(p, -1, -2) / (m - 1))  # a -> b when b beats a
    chain = move + np.eye(m) * (1.0 - move.sum(axis=-1, keepdims=True))
    system = np.swapaxes(chain, -1, -2) - np.eye(m)
    system[..., -1, :] = 1.0
    rhs = np.zeros(p.shape[:-1])
    rhs[..., -1] = 1.0
    return np.linalg.solve(system, rhs[..., None])[..., 0]


def election(actors: Actors, positions: Array, risk: Array, options: SmpOptions) -> Array:
    """``(..., m)`` each position's chance in the election among ``positions``."""
    util = utilities(actors, positions, risk)
    return condorcet_probabilities(victory(actors, util, options.victory), options.pce)


def risk_attitudes(chance: Array) -> Array:
    """``R_i = (2 p_i - max p - min p) / (max p - min p)`` in [-1, 1]: the actor whose
    position is likeliest to win is the most risk averse (``R = 1``); 0 if all are equal."""
    top = np.max(chance, axis=-1, keepdims=True)
    bottom = np.min(chance, axis=-1, keepdims=True)
    spread = top - bottom
    ok = spread > 1e-12
    return np.where(ok, (2.0 * chance - top - bottom) / np.where(ok, spread, 1.0), 0.0)


@dataclass(frozen=True)
class SmpRound:
    """One round: risk attitudes ``(n,)``, each position's chance ``(n,)``, ``P(i beats j)``
    ``(n, n)``, the expected gain of ``i`` challenging ``j`` ``(n, n)``, each actor's best
    target (-1: none) and bargain ``(n, D)`` (NaN: none), the challenger whose bargain each
    target took (-1: it kept its position), and the positions after the round ``(n, D)``."""

    risk: Array
    chance: Array
    victory: Array
    gain: Array
    target: NDArray[np.int64]
    bargain: Array
    chosen: NDArray[np.int64]
    after: Array


@dataclass(frozen=True)
class SmpTrace:
    """Positions ``(rounds + 1, n, D)`` and forecasts ``(rounds + 1, D)`` on [0, 1]."""

    positions: Array
    forecast: Array
    rounds: tuple[SmpRound, ...]
    converged: bool


def _risk(actors: Actors, z: Array, options: SmpOptions) -> Array:
    """The risk attitudes of a state: from the risk-neutral election, or all 0."""
    neutral = np.zeros(z.shape[0])
    if options.risk == "probability":
        return risk_attitudes(election(actors, z, neutral, options))
    return neutral


def _forecast(positions: Array, chance: Array, how: str) -> Array:
    if how == "likeliest":
        out: Array = positions[int(np.argmax(chance))]
        return out
    return np.asarray(chance @ positions)


CHUNK = 4_000_000
"""Most elements of one block of challenge states (about 32 MB of floats)."""


def _expected_gain(
    actors: Actors, z: Array, risk: Array, rows: NDArray[np.int64], win: Array, options: SmpOptions
) -> Array:
    """``(len(rows), n)`` challenger ``i``'s expected value of challenging each ``j``:
    ``P(i beats j) V_i(j takes z_i) + (1 - P) V_i(i takes z_j)``, each ``V_i`` its expected
    utility over the election among the new positions."""
    n = z.shape[0]
    b = len(rows)
    i_idx = np.repeat(rows, n)
    j_idx = np.tile(np.arange(n), b)
    states = np.broadcast_to(z, (2, b * n, *z.shape)).copy()
    pair = np.arange(b * n)
    states[0, pair, j_idx] = z[i_idx]  # the challenger wins: the target takes its position
    states[1, pair, i_idx] = z[j_idx]  # it loses: it takes the target's position
    u_states = utilities(actors, states, risk)
    chances = condorcet_probabilities(victory(actors, u_states, options.victory), options.pce)
    v = np.sum(u_states[:, pair, i_idx, :] * chances, axis=-1).reshape(2, b, n)
    p = win[rows]
    out: Array = p * v[0] + (1.0 - p) * v[1]
    return out


def smp_round(actors: Actors, z: Array, options: SmpOptions, rng: np.random.Generator) -> SmpRound:
    """Risk from the risk-neutral election; each actor's expected gain from challenging each
    other (if it wins the target adopts its position, if it loses it adopts the target's,
    valued by the election over the new positions); each actor's best challenge with a gain
    and its bargain ``z_j + P(i beats j)(z_i - z_j)``; each target's election among its
    position and its bargains."""
    n = z.shape[0]
    risk = _risk(actors, z, options)
    util = utilities(actors, z, risk)
    win = victory(actors, util, options.victory)
    chance = condorcet_probabilities(win, options.pce)
    value = util @ chance  # (n,) each actor's expected utility of the current state
    gain = np.empty((n, n))
    block = max(1, CHUNK // max(1, 2 * n**4))
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        gain[rows] = _expected_gain(actors, z, risk, rows, win, options) - value[rows, None]
    differs = np.any(z[:, None, :] != z[None, :, :], axis=-1)
    gain = np.where(differs, gain, 0.0)
    best = np.argmax(np.where(differs, gain, -np.inf), axis=1)
    has = gain[np.arange(n), best] > 1e-12
    target = np.where(has, best, -1)
    share = win[np.arange(n), best][:, None]
    bargain = np.where(has[:, None], z[best] + share * (z - z[best]), np.nan)
    chosen = np.full(n, -1)
    after = z.copy()
    for j in range(n):
        offered = np.flatnonzero(target == j)
        if offered.size == 0:
            continue
        candidates = np.concatenate([z[j][None, :], bargain[offered]])
        odds = election(actors, candidates, risk, options)
        if options.choice == "sample":
            pick = int(rng.choice(len(candidates), p=odds / odds.sum()))
        else:
            pick = int(np.argmax(odds >= odds.max() - 1e-12))
        if pick > 0:
            chosen[j] = offered[pick - 1]
            after[j] = candidates[pick]
    return SmpRound(risk, chance, win, gain, target, bargain, chosen, after)


def run_smp(ideals: Array, salience: Array, capability: Array, options: SmpOptions) -> SmpTrace:
    """Rounds of :func:`smp_round` until no position moves more than ``tol`` or
    ``options.rounds`` rounds. ``ideals`` and ``salience`` are ``(n, D)`` (ideals on [0, 1]).

    Raises
    ------
    ValueError
        More than :data:`MAX_SMP_ACTORS` actors.
    """
    n = ideals.shape[0]
    if n > MAX_SMP_ACTORS:
        raise ValueError(f"SMP takes at most {MAX_SMP_ACTORS} actors, got {n}")
    actors = smp_actors(ideals, salience, capability, options)
    rng = np.random.default_rng(options.seed)
    z = ideals.astype(np.float64).copy()
    history, forecasts, rounds = [z], [], []
    converged = False
    for _ in range(options.rounds):
        detail = smp_round(actors, z, options, rng)
        rounds.append(detail)
        forecasts.append(_forecast(z, detail.chance, options.forecast))
        moved = float(np.max(np.abs(detail.after - z))) if n else 0.0
        z = detail.after
        history.append(z)
        if moved <= options.tol:
            converged = True
            break
    final = election(actors, z, _risk(actors, z, options), options)
    forecasts.append(_forecast(z, final, options.forecast))
    return SmpTrace(np.stack(history), np.stack(forecasts), tuple(rounds), converged)
