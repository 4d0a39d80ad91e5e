"""Hypothesis generators of small compiled problems.

Values, weights and reservations are drawn on grids: a coarse grid forces ties between bundles
(and utilities landing exactly on a reservation), a fine one gives generic positions. Either
way distinct utilities differ by far more than the 1e-12 tolerance, so float summation noise is
the only thing the tolerance has to absorb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from sim.core.problem import Problem

MAX_BUNDLES = 600
"""Largest space drawn, so that a plain-Python reference stays fast."""


def build_problem(
    values: list[list[list[float]]],
    weights: list[list[float]],
    reservation: list[float],
    *,
    veto: list[bool] | None = None,
    power: list[float] | None = None,
    red_lines: list[list[list[bool]]] | None = None,
) -> Problem:
    """A problem from per-party ``values[i][k][o]`` and ``weights[i][k]`` (normalised here)."""
    n_parties, n_issues = len(values), len(values[0])
    radices = [len(options) for options in values[0]]
    w = np.array(weights, dtype=np.float64)
    w = w / w.sum(axis=1, keepdims=True)
    tables = tuple(
        np.array([[w[i, k] * values[i][k][o] for o in range(r)] for i in range(n_parties)])
        for k, r in enumerate(radices)
    )
    lines = tuple(
        np.array(
            [[bool(red_lines and red_lines[i][k][o]) for o in range(r)] for i in range(n_parties)]
        )
        for k, r in enumerate(radices)
    )
    return Problem(
        name="generated",
        issues=tuple(f"issue{k}" for k in range(n_issues)),
        options=tuple(tuple(f"option{o}" for o in range(r)) for r in radices),
        parties=tuple(f"party{i}" for i in range(n_parties)),
        veto=np.array(veto if veto is not None else [True] * n_parties),
        power=np.array(power if power is not None else [1.0] * n_parties, dtype=np.float64),
        reservation=np.array(reservation, dtype=np.float64),
        tables=tables,
        red_lines=lines,
    )


@st.composite
def radices(draw: st.DrawFn, max_issues: int = 6, max_options: int = 5) -> list[int]:
    """Options per issue, with at most :data:`MAX_BUNDLES` bundles in all."""
    n_issues = draw(st.integers(1, max_issues))
    result: list[int] = []
    room = MAX_BUNDLES
    for k in range(n_issues):
        still_to_come = n_issues - k - 1
        most = min(max_options, room // 2**still_to_come)
        if most < 2:
            break
        result.append(draw(st.integers(2, most)))
        room //= result[-1]
    return result


@st.composite
def problems(draw: st.DrawFn, max_parties: int = 4) -> Problem:
    """Random small problems: 2-4 parties, 1-6 issues, 2-5 options, reservations, red lines,
    powers, zero weights, divisive issues, forced ties and (often) empty zones of agreement."""
    n_parties = draw(st.integers(2, max_parties))
    sizes = draw(radices())
    steps = draw(st.sampled_from([1, 2, 4, 1_000_000]))
    value = st.integers(0, steps).map(lambda x: x / steps)
    values = [[[draw(value) for _ in range(r)] for r in sizes] for _ in range(n_parties)]
    for k in range(len(sizes)):
        if draw(st.booleans()):  # a divisive issue: the second party wants the opposite
            values[1][k] = [1.0 - x for x in values[0][k]]
    weights = []
    for _ in range(n_parties):
        row = [draw(st.integers(0, 4 if steps < 10 else 1000)) for _ in sizes]
        if sum(row) == 0:
            row[draw(st.integers(0, len(sizes) - 1))] = 1
        weights.append([float(x) for x in row])
    veto = [draw(st.integers(0, 3)) > 0 for _ in range(n_parties)]
    if not any(veto):
        veto[draw(st.integers(0, n_parties - 1))] = True
    reservation_grid = draw(st.sampled_from([4, 8, 1000]))
    top = reservation_grid * draw(st.sampled_from([1, 2, 3])) // 4
    reservation = [
        draw(st.integers(0, top).map(lambda x: x / reservation_grid))
        if is_veto or draw(st.booleans())
        else float("nan")
        for is_veto in veto
    ]
    power = [draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) for _ in range(n_parties)]
    red_rate = draw(st.sampled_from([0, 0, 8, 4]))
    red_lines = [
        [
            [red_rate > 0 and draw(st.integers(0, red_rate - 1)) == 0 for _ in range(r)]
            for r in sizes
        ]
        for _ in range(n_parties)
    ]
    return build_problem(values, weights, reservation, veto=veto, power=power, red_lines=red_lines)


def add_war_terms(
    draw: st.DrawFn,
    document: dict[str, Any],
    radices: list[int],
    *,
    bases: st.SearchStrategy[float],
    effects: st.SearchStrategy[float],
) -> None:
    """Often: the terms each war side (``p0``, ``p1``) imposes if it prevails, partial (or
    empty) so that the winner's completion moves with its drawn values, with the sides'
    reservations (and a mediator's leverage war, if any) valued over them; often: beliefs by
    side, their ``base`` drawn from ``bases`` and a lever effect from ``effects``, each varying."""
    war, parties = document["war"], document["parties"]
    vary = document["uncertainty"].setdefault("vary", {})
    if draw(st.booleans()):
        war["outcomes"] = {}
        for side in ("p0", "p1"):
            fixed = draw(st.sets(st.integers(0, len(radices) - 1), max_size=len(radices)))
            war["outcomes"][side] = {
                f"i{k}": f"o{draw(st.integers(0, radices[k] - 1))}" for k in sorted(fixed)
            }
            for key in draw(st.sampled_from([("win", "lose"), ("win",), ("lose",)])):
                parties[side]["reservation"].pop(key)
        if "leverage" in document:
            document["leverage"]["war"] = {"cost": 0.05}
    if draw(st.booleans()):
        war["beliefs"] = {}
        for side in draw(st.sampled_from([("p0",), ("p1",), ("p0", "p1")])):
            base = draw(bases)
            if draw(st.booleans()):
                war["beliefs"][side] = {"base": base, "effects": {"push": draw(effects)}}
                vary[f"war.beliefs.{side}.base"] = {"jitter": 0.3}
            else:
                war["beliefs"][side] = base
                vary[f"war.beliefs.{side}"] = {"jitter": 0.3}


@st.composite
def consent_problems(draw: st.DrawFn, max_parties: int = 4) -> Problem:
    """Random small problems (:func:`problems`) where parties without a veto (at least one
    party, often more) hold consent over some options: every option of an issue, or a few,
    or none (a holder whose consent no option needs), each holder with a reservation."""
    import dataclasses

    problem = draw(problems(max_parties=max_parties))
    n = problem.n_parties
    veto = problem.veto.copy()
    if veto.all():
        veto[draw(st.integers(1, n - 1))] = False
    consent = [np.zeros((n, r), dtype=np.bool_) for r in problem.radices.tolist()]
    reservation = problem.reservation.copy()
    grid = draw(st.sampled_from([4, 8, 1000]))
    for i in range(n):
        if veto[i] or not draw(st.integers(0, 3)):
            continue
        for table in consent:
            kind = draw(st.sampled_from(["none", "issue", "options", "options"]))
            if kind == "issue":
                table[i, :] = True
            elif kind == "options":
                table[i] = [draw(st.booleans()) for _ in range(table.shape[1])]
        if np.isnan(reservation[i]):
            reservation[i] = draw(st.integers(0, grid).map(lambda x: x / grid))
    return dataclasses.replace(problem, veto=veto, consent=tuple(consent), reservation=reservation)
