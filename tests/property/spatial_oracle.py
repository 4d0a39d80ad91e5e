"""Plain-Python spatial models written from docs/spatial.md: no numpy, nothing from sim.

Lists of floats and loops over actors; every formula is the one the page states, computed
the direct way (BDM's probability sums over every third party; SMP's election multiplies the
pairwise probabilities one by one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def weighted_mean(x: list[float], w: list[float]) -> float:
    return sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sum(w)


def condorcet(x: list[float], w: list[float]) -> float:
    """The actor position with the largest total net pairwise vote; ties to the lowest."""
    totals = []
    for j in range(len(x)):
        total = 0.0
        for k in range(len(x)):
            total += sum(w[i] * (abs(x[i] - x[k]) - abs(x[i] - x[j])) for i in range(len(x)))
        totals.append(total)
    best = max(totals)
    return min(x[j] for j in range(len(x)) if totals[j] >= best - 1e-12 * (1 + abs(best)))


@dataclass
class BdmFirstRound:
    risk: list[float]
    offers: dict[tuple[int, int], tuple[str, float]]  # (challenger, target) -> (kind, to)
    accepted: list[int]  # per target, the challenger whose offer it took, -1 none
    after: list[float]


def bdm_first_round(
    x: list[float],
    s: list[float],
    c: list[float],
    span: float,
    *,
    group: str = "median",
    probability: str = "votes",
    q: float = 1.0,
    t: float = 1.0,
    security: str = "others",
    perception: str = "each",
    conflict: str = "expected",
    voters: str = "all",
) -> BdmFirstRound:
    n = len(x)
    w = [c[i] * s[i] for i in range(n)]
    mu = condorcet(x, w) if group == "median" else weighted_mean(x, w)

    def prob(i: int, j: int) -> float:
        if x[i] == x[j]:
            return 0.5
        who = [k for k in range(n) if voters == "all" or k not in (i, j)]
        if probability == "votes":
            votes = [w[k] * (abs(x[k] - x[j]) - abs(x[k] - x[i])) for k in who]
            den = sum(abs(v) for v in votes)
            return sum(v for v in votes if v > 0) / den if den > 1e-12 else 0.5
        near_i = sum(w[k] for k in who if abs(x[k] - x[i]) < abs(x[k] - x[j]))
        near_j = sum(w[k] for k in who if abs(x[k] - x[j]) < abs(x[k] - x[i]))
        return near_i / (near_i + near_j) if near_i + near_j > 1e-12 else 0.5

    def eu(i: int, j: int, r: float) -> float:
        if x[i] == x[j]:
            return 0.0
        dd = abs(x[i] - x[j]) / span
        g = abs(x[i] - mu) / span

        def u(base: float) -> float:
            return 2.0 - 4.0 * max(base, 0.0) ** r

        us, uf = u(0.5 - 0.5 * dd), u(0.5 + 0.5 * dd)
        ub, uw = u(0.5 - 0.25 * (g + dd)), u(0.5 + 0.25 * (g + dd))
        usq = u(0.5)
        p = prob(i, j)
        return (
            s[j] * (p * us + (1 - p) * uf)
            + (1 - s[j]) * us
            - q * usq
            - (1 - q) * (t * ub + (1 - t) * uw)
        )

    sums = []
    for i in range(n):
        if security == "others":
            sums.append(sum(eu(j, i, 1.0) for j in range(n) if j != i))
        else:
            sums.append(sum(eu(i, j, 1.0) for j in range(n) if j != i))
    top, bottom = max(sums), min(sums)
    risk = []
    for i in range(n):
        big = (2 * sums[i] - top - bottom) / (top - bottom) if top - bottom > 1e-12 else 0.0
        risk.append((1 - big / 3) / (1 + big / 3))
    offers: dict[tuple[int, int], tuple[str, float]] = {}
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            a = eu(i, j, risk[i])
            b = eu(j, i, risk[j] if perception == "each" else risk[i])
            wins = a > b if conflict == "expected" else prob(i, j) > 0.5
            if a > 0 and b > 0 and wins:
                offers[i, j] = ("conflict", x[i])
            elif a > 0 and b < 0 and a > -b:
                offers[i, j] = ("compromise", x[j] + (x[i] - x[j]) * (-b) / a)
            elif a > 0 and b < 0:
                offers[i, j] = ("capitulation", x[i])
    accepted, after = [], []
    for j in range(n):
        best, move = -1, math.inf
        for i in range(n):
            if (i, j) in offers and abs(offers[i, j][1] - x[j]) < move:
                best, move = i, abs(offers[i, j][1] - x[j])
        accepted.append(best)
        after.append(offers[best, j][1] if best >= 0 else x[j])
    return BdmFirstRound(risk, offers, accepted, after)


def smp_victory(
    ideals: list[list[float]],
    sal: list[list[float]],
    cap: list[float],
    positions: list[list[float]],
    risk: list[float],
) -> list[list[float]]:
    """``P(a > b)`` among ``positions`` (linear victory, proportional votes)."""
    n, m = len(ideals), len(positions)

    def util(k: int, z: list[float]) -> float:
        total = sum(sal[k])
        d2 = 0.0
        for dim in range(len(z)):
            weight = sal[k][dim] / total if total > 0 else 0.0
            d2 += weight * (ideals[k][dim] - z[dim]) ** 2
        d = math.sqrt(d2)
        return (1 - d) * (1 + d * risk[k])

    nu = [cap[k] * sum(sal[k]) / len(sal[k]) for k in range(n)]
    out = [[0.5] * m for _ in range(m)]
    for a in range(m):
        for b in range(m):
            strong_a = sum(
                max(nu[k] * (util(k, positions[a]) - util(k, positions[b])), 0.0) for k in range(n)
            )
            strong_b = sum(
                max(nu[k] * (util(k, positions[b]) - util(k, positions[a])), 0.0) for k in range(n)
            )
            if strong_a + strong_b > 0:
                out[a][b] = strong_a / (strong_a + strong_b)
    return out


def smp_election(victory: list[list[float]]) -> list[float]:
    """The conditional probabilistic Condorcet election."""
    m = len(victory)
    products = []
    for a in range(m):
        product = 1.0
        for b in range(m):
            if b != a:
                product *= victory[a][b]
        products.append(product)
    total = sum(products)
    return [p / total for p in products] if total > 0 else [1.0 / m] * m


def smp_risk(ideals: list[list[float]], sal: list[list[float]], cap: list[float]) -> list[float]:
    """Risk attitudes at the start (positions are the ideals)."""
    chance = smp_election(smp_victory(ideals, sal, cap, ideals, [0.0] * len(ideals)))
    top, bottom = max(chance), min(chance)
    if top - bottom <= 1e-12:
        return [0.0] * len(chance)
    return [(2 * p - top - bottom) / (top - bottom) for p in chance]
