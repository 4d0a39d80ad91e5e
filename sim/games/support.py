"""Mixed equilibria of games with three or more players, by support enumeration.

Method (cf. McKelvey & McLennan 1996, §4; Porter, Nudelman & Shoham 2008). Strictly
dominated pure strategies are removed first (no equilibrium uses them). Then every support
profile ``(S_1, ..., S_n)`` is tried: each player ``i`` with ``|S_i| >= 2`` (a *mixer*) must be
indifferent among ``S_i`` given the others' strategies, and every player must have no better
pure strategy outside its support. The indifference conditions are multilinear; they are
solved exactly in these cases:

- one mixer: its payoffs over ``S_i`` must tie (else no equilibrium has that support);
- two mixers ``i, j`` (the others pure): two linear systems, one for each mixer's strategy;
- three mixers each over two strategies: eliminating two probabilities leaves a polynomial
  of degree two at most in the third, whose roots are all found;
- three mixers, two of them over two strategies: the wide one's indifference conditions
  involve only the two binary weights (resultant: degree two at most), and then the binary
  ones' conditions are linear in the wide one's mixture.

Completeness. A *degenerate* support profile is one whose solution set is not a finite set
of points (a continuum: the one mixer ties, a linear system is rank-deficient with a
solution of full support, or the quadratic vanishes identically) or where the elimination
divides by zero. The enumeration is complete (every Nash equilibrium is listed) when no
support profile is degenerate and every support profile is of a solved kind; in particular
for every nondegenerate game of three players in which at most one has more than two
undominated strategies.
Otherwise the result says which support profiles were not solved and why. Each equilibrium
is checked here against every pure deviation and then, independently, by
:func:`sim.games.verify.verify_profile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, product

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog  # type: ignore[import-untyped]

from sim.games.dominance import undominated

MAX_SUPPORT_PROFILES = 200_000
"""Support profiles tried at most; beyond that the mixed equilibria are not computed."""

Profile = list[NDArray[np.float64]]


class _Degenerate(Exception):
    """The support profile's solutions are not isolated points."""


def support_enumeration(
    payoffs: NDArray[np.float64], payoff_tol: float
) -> tuple[list[Profile], str]:
    """Equilibria with at least one mixing player, and what was not computed ("" if none).

    ``payoffs`` has shape ``(n, s_1, ..., s_n)`` with ``n >= 3``; ``payoff_tol`` is the absolute
    tolerance of indifference and best replies. Pure equilibria are left to
    :func:`sim.games.game.pure_equilibria`.
    """
    n = payoffs.shape[0]
    kept = undominated(payoffs, payoff_tol)
    reduced = payoffs[np.ix_(np.arange(n), *kept)]
    subsets = [
        [c for k in range(1, len(s) + 1) for c in combinations(range(len(s)), k)] for s in kept
    ]
    count = int(np.prod([len(s) for s in subsets], dtype=np.float64))
    if count > MAX_SUPPORT_PROFILES:
        return [], (
            f"mixed equilibria not computed: {count} support profiles after removing "
            f"dominated strategies exceed the limit of {MAX_SUPPORT_PROFILES}"
        )
    found: list[Profile] = []
    unsolved, degenerate = 0, False
    for supports in product(*subsets):
        mixers = [i for i, s in enumerate(supports) if len(s) >= 2]
        try:
            if not mixers:
                continue  # pure profiles: enumerated exactly elsewhere
            if len(mixers) == 1:
                # once the game is known to be degenerate, continua need no more proof
                candidates = _one_mixer(reduced, supports, mixers[0], payoff_tol, not degenerate)
            elif len(mixers) == 2:
                candidates = _two_mixers(reduced, supports, mixers, payoff_tol, not degenerate)
            elif len(mixers) == 3 and all(len(supports[i]) == 2 for i in mixers):
                candidates = _three_binary(reduced, supports, mixers, payoff_tol)
            elif len(mixers) == 3 and sum(len(supports[i]) == 2 for i in mixers) == 2:
                candidates = _two_binary_one_wide(reduced, supports, mixers, payoff_tol)
            else:
                unsolved += 1
                continue
        except _Degenerate:
            degenerate = True
            continue
        for candidate in candidates:
            if _best_replies(reduced, candidate, payoff_tol):
                full = []
                for strategy, indices, size in zip(candidate, kept, payoffs.shape[1:], strict=True):
                    vector = np.zeros(size)
                    vector[indices] = strategy
                    full.append(vector)
                found.append(full)
    reasons = []
    if unsolved:
        reasons.append(
            f"{unsolved} of {count} support profiles have more than three mixing players, or "
            "three of which two mix over more than two strategies, which this method does not "
            "solve"
        )
    if degenerate:
        reasons.append(
            "the game is degenerate (some support profile has a continuum of solutions or a "
            "vanishing divisor), so equilibria may be missing"
        )
    return found, ("some mixed equilibria not computed: " + "; ".join(reasons)) if reasons else ""


def _pure(size: int, k: int) -> NDArray[np.float64]:
    vector = np.zeros(size)
    vector[k] = 1.0
    return vector


def _fixed(
    reduced: NDArray[np.float64], supports: Sequence[tuple[int, ...]], player: int
) -> NDArray[np.float64]:
    """``player``'s payoffs with every axis restricted to its support (non-mixers kept)."""
    return np.asarray(reduced[player][np.ix_(*supports)], dtype=np.float64)


def _embed(
    reduced: NDArray[np.float64],
    supports: Sequence[tuple[int, ...]],
    mixed: dict[int, NDArray[np.float64]],
) -> Profile:
    """The profile with ``mixed[i]`` on ``supports[i]`` for mixers, pure elsewhere."""
    profile = []
    for i, support in enumerate(supports):
        size = reduced.shape[i + 1]
        if i in mixed:
            vector = np.zeros(size)
            vector[list(support)] = mixed[i]
            profile.append(vector)
        else:
            profile.append(_pure(size, support[0]))
    return profile


def _one_mixer(
    reduced: NDArray[np.float64],
    supports: Sequence[tuple[int, ...]],
    mixer: int,
    tol: float,
    check_continuum: bool = True,
) -> list[Profile]:
    """No isolated equilibrium: either the mixer's payoffs tie and the others' pure replies
    stay best for some mixture of full support (a continuum: degenerate), or none. Without
    ``check_continuum`` the (costly) test for a continuum is skipped and none is reported."""
    own = _fixed(reduced, supports, mixer).reshape(-1)
    if own.max() - own.min() > tol or not check_continuum:
        return []
    size = len(supports[mixer])
    rows = []
    for k, support in enumerate(supports):
        if k == mixer:
            continue
        window = list(supports)
        window[k] = tuple(range(reduced.shape[k + 1]))
        table = np.moveaxis(reduced[k][np.ix_(*window)], k, 0)
        table = table.reshape(reduced.shape[k + 1], size)  # (k's strategies, mixer's support)
        rows.append(table - table[support[0]])
    # max t subject to G σ <= tol, σ >= t, Σ σ = 1 (variables σ, t; linprog minimises -t)
    deviations = np.vstack(rows)
    a_ub = np.vstack(
        [
            np.hstack([deviations, np.zeros((len(deviations), 1))]),
            np.hstack([-np.eye(size), np.ones((size, 1))]),
        ]
    )
    b_ub = np.concatenate([np.full(len(deviations), tol), np.zeros(size)])
    result = linprog(
        np.r_[np.zeros(size), -1.0],
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.r_[np.ones(size), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * size + [(None, 1)],
    )
    if result.status == 0 and -result.fun > 1e-9:
        raise _Degenerate
    return []


def _indifference(
    matrix: NDArray[np.float64], tol: float
) -> tuple[str, NDArray[np.float64] | None]:
    """The mixtures ``y`` over the columns making every row of ``matrix`` pay the same.

    Returns ``("unique", y)``, ``("none", None)`` if no such ``y`` has nonnegative entries,
    or ``("continuum", None)`` if they form a continuum (see :func:`_full_support`).
    """
    system, target = _indifference_system(matrix)
    columns = matrix.shape[1]
    scale = max(1.0, float(np.abs(matrix).max()))
    solution, *_ = np.linalg.lstsq(system, target, rcond=None)
    if np.abs(system @ solution - target).max() > tol * 10:
        return "none", None
    if np.linalg.matrix_rank(system, tol=1e-9 * scale) < columns + 1:
        return "continuum", None
    mixture = solution[:columns]
    if mixture.min() < -1e-9:
        return "none", None
    clipped = np.clip(mixture, 0.0, None)
    return "unique", np.asarray(clipped / clipped.sum(), dtype=np.float64)


def _indifference_system(
    matrix: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``[M, -1; 1ᵀ, 0] (y, v) = (0, 1)``: every row pays ``v``, ``y`` sums to one."""
    rows, columns = matrix.shape
    system = np.zeros((rows + 1, columns + 1))
    system[:rows, :columns] = matrix
    system[:rows, columns] = -1.0
    system[rows, :columns] = 1.0
    target = np.zeros(rows + 1)
    target[rows] = 1.0
    return system, target


def _full_support(matrix: NDArray[np.float64]) -> bool:
    """Whether some solution of the indifference system gives every column positive weight
    (linear program: maximise ``t`` subject to the system and ``y >= t``)."""
    system, target = _indifference_system(matrix)
    columns = matrix.shape[1]
    result = linprog(
        np.r_[np.zeros(columns + 1), -1.0],
        A_ub=np.hstack([-np.eye(columns), np.zeros((columns, 1)), np.ones((columns, 1))]),
        b_ub=np.zeros(columns),
        A_eq=np.hstack([system, np.zeros((len(system), 1))]),
        b_eq=target,
        bounds=[(None, None)] * (columns + 1) + [(None, 1)],
    )
    return bool(result.status == 0 and -result.fun > 1e-9)


def _two_mixers(
    reduced: NDArray[np.float64],
    supports: Sequence[tuple[int, ...]],
    mixers: list[int],
    tol: float,
    check_continuum: bool = True,
) -> list[Profile]:
    """Mixers ``i < j``: ``j``'s indifference fixes ``i``'s mixture and vice versa.

    A continuum of solutions on one side, with solutions on the other, is degenerate when it
    has full support (checked only with ``check_continuum``; else none is reported).
    """
    i, j = mixers
    size_i, size_j = len(supports[i]), len(supports[j])
    own_i = _fixed(reduced, supports, i).reshape(size_i, size_j)
    own_j = _fixed(reduced, supports, j).reshape(size_i, size_j)
    sides = [(own_j.T, *_indifference(own_j.T, tol)), (own_i, *_indifference(own_i, tol))]
    if any(status == "none" for _, status, _ in sides):
        return []
    x, y = sides[0][2], sides[1][2]
    if x is not None and y is not None:
        return [_embed(reduced, supports, {i: x, j: y})]
    if check_continuum and all(
        _full_support(matrix) for matrix, status, _ in sides if status == "continuum"
    ):
        raise _Degenerate
    return []


def _three_binary(
    reduced: NDArray[np.float64],
    supports: Sequence[tuple[int, ...]],
    mixers: list[int],
    tol: float,
) -> list[Profile]:
    """Mixers ``a < b < c`` over two strategies each, with weights ``x, y, z`` on their second.

    Each mixer's gain from its second strategy is bilinear in the other two weights:
    ``E_a(y, z)``, ``E_b(x, z)``, ``E_c(x, y)``. Eliminating ``y`` from ``E_a`` and ``E_c`` leaves
    ``P(x, z) = P_0(z) + x P_1(z)``; eliminating ``x`` from ``P`` and ``E_b = B_0(z) + x B_1(z)``
    leaves ``S(z) = P_0 B_1 - B_0 P_1``, of degree two at most. Every solution has ``S(z) = 0``;
    ``x`` and then ``y`` follow from whichever equation still involves them. If ``S`` vanishes
    identically, or both equations lose a variable at a root, the profile is degenerate.
    """
    scale = max(1.0, float(np.abs(reduced).max()))
    coefficients = []
    for player in mixers:
        own = _fixed(reduced, supports, player).reshape(2, 2, 2)  # axes (a, b, c)
        own = np.moveaxis(own, mixers.index(player), 0)  # (player, first other, second other)
        d = own[1] - own[0]  # gain over the two others' strategies
        coefficients.append(
            (d[0, 0], d[1, 0] - d[0, 0], d[0, 1] - d[0, 0], d[1, 1] - d[1, 0] - d[0, 1] + d[0, 0])
        )
    poly = np.polynomial.Polynomial
    (a0, a_y, a_z, a_yz), (b0, b_x, b_z, b_xz), (c0, c_x, c_y, c_xy) = coefficients
    a_const, a_slope = poly([a0, a_z]), poly([a_y, a_yz])  # E_a = A0(z) + y A1(z)
    b_const, b_slope = poly([b0, b_z]), poly([b_x, b_xz])  # E_b = B0(z) + x B1(z)
    p_const = a_const * c_y - a_slope * c0  # P = A0 C1(x) - C0(x) A1, C0 = c0 + c_x x, ...
    p_slope = a_const * c_xy - a_slope * c_x  # ... C1 = c_y + c_xy x
    resultant = p_const * b_slope - b_const * p_slope
    if np.abs(resultant.coef).max() <= tol * scale**2:
        raise _Degenerate
    found = []
    for z in _unit_roots(resultant):
        x = _solve_linear([(b_const(z), b_slope(z)), (p_const(z), p_slope(z))], (tol, tol * scale))
        if x is None:
            continue
        c_const, c_slope = c0 + c_x * x, c_y + c_xy * x
        y = _solve_linear([(a_const(z), a_slope(z)), (c_const, c_slope)], (tol, tol))
        if y is None:
            continue
        weights = {mixers[0]: x, mixers[1]: y, mixers[2]: z}
        if all(-1e-9 <= w <= 1 + 1e-9 for w in weights.values()):
            mixed = {k: np.clip(np.array([1.0 - w, w]), 0.0, 1.0) for k, w in weights.items()}
            found.append(_embed(reduced, supports, mixed))
    return found


def _solve_linear(
    equations: list[tuple[float, float]], tolerances: Sequence[float]
) -> float | None:
    """The ``w`` with ``constant + w slope = 0`` for all equations, from the first with a
    nonzero slope; None if there is none; :class:`_Degenerate` if all vanish identically."""
    for (constant, slope), tol in zip(equations, tolerances, strict=True):
        if abs(slope) > tol:
            w = -constant / slope
            if all(
                abs(c + w * s) <= 10 * t for (c, s), t in zip(equations, tolerances, strict=True)
            ):
                return float(w)
            return None
    if all(abs(c) <= t for (c, _), t in zip(equations, tolerances, strict=True)):
        raise _Degenerate
    return None


def _bilinear(d: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """``d[x, y]`` over two binary strategies as ``k0 + k1 t1 + k2 t2 + k3 t1 t2`` in the
    weights ``t1``, ``t2`` of the second strategies."""
    return (
        float(d[0, 0]),
        float(d[1, 0] - d[0, 0]),
        float(d[0, 1] - d[0, 0]),
        float(d[1, 1] - d[1, 0] - d[0, 1] + d[0, 0]),
    )


def _two_binary_one_wide(
    reduced: NDArray[np.float64],
    supports: Sequence[tuple[int, ...]],
    mixers: list[int],
    tol: float,
) -> list[Profile]:
    """Mixers ``u < v`` over two strategies (weights ``t1``, ``t2`` on their second) and ``w``
    over ``k >= 3``. ``w``'s ``k - 1`` gains are bilinear in ``(t1, t2)``: two of them have a
    resultant in ``t2`` of degree two at most, and ``t1`` follows; then ``u``'s and ``v``'s
    gains and ``Σ σ_w = 1`` are ``3`` linear equations in ``σ_w``, which for ``k = 3`` have one
    solution unless singular (degenerate). For ``k > 3`` a solution is degenerate.
    """
    sizes = [len(supports[i]) for i in mixers]
    wide = mixers[int(np.argmax(sizes))]
    u, v = (i for i in mixers if i != wide)
    shape = tuple(sizes)
    scale = max(1.0, float(np.abs(reduced).max()))

    def table(player: int) -> NDArray[np.float64]:
        own = _fixed(reduced, supports, player).reshape(shape)
        return np.moveaxis(own, mixers.index(player), 0)  # (player, others in order)

    own_w = table(wide)  # (k, 2, 2) over (u, v)
    gains = [_bilinear(own_w[s] - own_w[0]) for s in range(1, len(own_w))]
    # each gain: (k0 + k2 t2) + t1 (k1 + k3 t2)
    poly = np.polynomial.Polynomial
    lines = [(poly([g[0], g[2]]), poly([g[1], g[3]])) for g in gains]
    resultant = None
    for (e_const, e_slope), (f_const, f_slope) in combinations(lines, 2):
        candidate = e_const * f_slope - f_const * e_slope
        if np.abs(candidate.coef).max() > tol * scale**2:
            resultant = candidate
            break
    if resultant is None:
        raise _Degenerate
    # u's gain over (w, v) and v's over (w, u), both as (k, 2) tables
    gain_u = table(u)[1] - table(u)[0]
    gain_v = table(v)[1] - table(v)[0]
    if wide > v:
        gain_u = gain_u.T  # (v, w) -> (w, v)
    if wide > u:
        gain_v = gain_v.T  # (u, w) -> (w, u)
    found = []
    for t2 in _unit_roots(resultant):
        t1 = _solve_linear([(float(c(t2)), float(s(t2))) for c, s in lines], [tol] * len(lines))
        if t1 is None or not -1e-9 <= t1 <= 1 + 1e-9:
            continue
        system = np.vstack(
            [
                gain_u[:, 0] * (1 - t2) + gain_u[:, 1] * t2,
                gain_v[:, 0] * (1 - t1) + gain_v[:, 1] * t1,
                np.ones(len(own_w)),
            ]
        )
        target = np.array([0.0, 0.0, 1.0])
        if np.linalg.matrix_rank(system, tol=1e-9 * scale) < len(own_w):
            solution, *_ = np.linalg.lstsq(system, target, rcond=None)
            if np.abs(system @ solution - target).max() <= 10 * tol:
                raise _Degenerate  # a continuum of mixtures for w
            continue
        mixture = np.linalg.solve(system, target)
        if mixture.min() < -1e-9:
            continue
        mixed = {
            u: np.clip(np.array([1.0 - t1, t1]), 0.0, 1.0),
            v: np.clip(np.array([1.0 - t2, t2]), 0.0, 1.0),
            wide: np.clip(mixture, 0.0, None) / np.clip(mixture, 0.0, None).sum(),
        }
        found.append(_embed(reduced, supports, mixed))
    return found


def _unit_roots(poly: np.polynomial.Polynomial) -> list[float]:
    """Real roots in ``[0, 1]`` (within 1e-9), polished by Newton steps."""
    trimmed = poly.trim(tol=0.0)
    if trimmed.degree() < 1:
        return []
    roots = []
    derivative = trimmed.deriv()
    for root in trimmed.roots():
        if abs(root.imag) > 1e-7:
            continue
        r = float(root.real)
        for _ in range(3):
            slope = float(derivative(r))
            if slope == 0.0:
                break
            r -= float(trimmed(r)) / slope
        if -1e-9 <= r <= 1 + 1e-9:
            roots.append(min(max(r, 0.0), 1.0))
    return roots


def _best_replies(reduced: NDArray[np.float64], profile: Profile, tol: float) -> bool:
    """Whether each player's mixture earns, within ``tol``, its best pure payoff."""
    n = reduced.shape[0]
    letters = "abcdefghijklmnopqrstuvwxyz"[:n]
    for i in range(n):
        others = [k for k in range(n) if k != i]
        spec = f"{letters}," + ",".join(letters[k] for k in others) + f"->{letters[i]}"
        pure_payoffs = np.einsum(spec, reduced[i], *[profile[k] for k in others])
        if pure_payoffs.max() - float(pure_payoffs @ profile[i]) > tol:
            return False
    return True
