"""Tournaments: every assignment of agents to the negotiating parties, on every scenario,
for every seed; a row per negotiation and a table per agent.

The negotiations are independent, so they go through the sweep executors
(:class:`sim.runs.executors.Executor`: ``serial``, worker ``processes`` or ``dask``);
each worker builds a scenario's table once and plays its share of the negotiations.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.agents.agents import agent_kind
from sim.agents.negotiate import check_protocol, check_rounds, play, summarise, table_of
from sim.agents.protocols import ProtocolKey
from sim.agents.result import summary_row
from sim.agents.table import Table
from sim.errors import InputError, display_path
from sim.model.resolve import LoadedScenario
from sim.runs.executors import Batch, Executor, Result, batches
from sim.runs.limits import Limits, default_limits


@dataclass(frozen=True)
class Match:
    """One negotiation of a tournament: a scenario, an agent per negotiating party, a seed."""

    scenario: int
    agents: tuple[str, ...]
    seed: int


@dataclass(frozen=True)
class AgentStanding:
    """One agent's record over a tournament (means over its negotiations; rounds over its
    agreements; ``agreement_low``/``agreement_high`` the 95% Wilson score interval of its
    agreement rate, Wilson 1927)."""

    agent: str
    negotiations: int
    agreement_rate: float
    agreement_low: float
    agreement_high: float
    mean_round: float | None
    mean_utility: float
    mean_welfare: float
    mean_to_frontier: float | None
    mean_to_nash: float | None
    mean_to_equilibrium: float

    def row(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "negotiations": self.negotiations,
            "agreement_rate": self.agreement_rate,
            "agreement_low": self.agreement_low,
            "agreement_high": self.agreement_high,
            "mean_round": self.mean_round,
            "mean_utility": self.mean_utility,
            "mean_welfare": self.mean_welfare,
            "mean_to_frontier": self.mean_to_frontier,
            "mean_to_nash": self.mean_to_nash,
            "mean_to_equilibrium": self.mean_to_equilibrium,
        }


@dataclass(frozen=True)
class TournamentResult:
    """Every negotiation's row (in match order) and every agent's standing (in the order
    the agents were given)."""

    scenarios: tuple[str, ...]
    agents: tuple[str, ...]
    rounds: int
    seeds: int
    protocol: str
    rows: tuple[dict[str, Any], ...]
    standings: tuple[AgentStanding, ...]
    draws: int = 0
    """Variants drawn from each scenario's uncertainty (0: the scenarios as stated)."""


def matches(
    tables: Sequence[Table], agents: Sequence[str], seeds: int, first_seed: int = 0
) -> list[Match]:
    """Every assignment of distinct agents to each scenario's negotiating parties (ordered:
    ``k!/(k-n)!`` for ``k`` agents and ``n`` parties), for each seed.

    Raises
    ------
    InputError
        Fewer agents than a scenario's negotiating parties.
    """
    out = []
    for s, table in enumerate(tables):
        n = len(table.parties)
        if len(agents) < n:
            raise InputError(
                f"--agents: {table.scenario} has {n} negotiating (veto) parties; a tournament "
                f"seats a different agent at each, so it needs at least {n} agents, "
                f"got {len(agents)}"
            )
        for assignment in itertools.permutations(agents, n):
            for seed in range(first_seed, first_seed + seeds):
                out.append(Match(s, tuple(assignment), seed))
    return out


_BUILT: dict[str, Any] = {"base": None, "tables": {}}
"""Tables built in this process for the scenarios of the current tournament (the base object
itself is kept, so a new tournament, a new base, starts afresh)."""


def _table(scenarios: Sequence[LoadedScenario], s: int) -> Table:
    if _BUILT["base"] is not scenarios:
        _BUILT.update(base=scenarios, tables={})
    tables: dict[int, Table] = _BUILT["tables"]
    if s not in tables:
        tables[s] = table_of(scenarios[s])
    return tables[s]


def play_batch(base: Any, plan: dict[str, Any], batch: Batch) -> list[Result]:
    """Play a batch of matches (an executor task: ``base`` the scenarios, ``plan`` the rounds
    and protocol, each item ``(number, match fields)``)."""
    scenarios: Sequence[LoadedScenario] = base
    out: list[Result] = []
    for number, item in batch:
        table = _table(scenarios, int(item["scenario"]))
        kinds = [agent_kind(a) for a in item["agents"]]
        played = play(
            table,
            kinds,
            rounds=int(plan["rounds"]),
            seed=int(item["seed"]),
            protocol=plan["protocol"],
        )
        parties = tuple(table.names[c] for c in table.parties)
        row: dict[str, Any] = {"scenario": table.scenario}
        if item.get("draw") is not None:
            row["draw"] = int(item["draw"])
        row["seed"] = int(item["seed"])
        for k, (party, agent) in enumerate(zip(parties, item["agents"], strict=True)):
            row[f"party_{k}"] = party
            row[f"agent_{k}"] = agent
        seat = {f"utility_{party}": f"utility_{k}" for k, party in enumerate(parties)}
        cells = summary_row(parties, summarise(table, played))
        row.update({seat.get(column, column): value for column, value in cells.items()})
        out.append((number, row, None))
    return out


Z95 = 1.959963984540054
"""The standard normal quantile of 0.975."""


def wilson_interval(successes: int, trials: int, z: float | None = None) -> tuple[float, float]:
    """The Wilson (1927) score interval of a binomial proportion (``z``: default
    :data:`Z95`, a 95% interval).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    """
    z = Z95 if z is None else z
    p = successes / trials
    scale = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / scale
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / scale
    return max(centre - half, 0.0), min(centre + half, 1.0)


def _seats(row: dict[str, Any]) -> int:
    return sum(1 for column in row if column.startswith("agent_"))


def standings(rows: Sequence[dict[str, Any]], agents: Sequence[str]) -> tuple[AgentStanding, ...]:
    """Per agent: its share of agreements, mean agreement round, mean own utility, mean
    welfare and mean distances, over every negotiation it took part in."""
    out = []
    for agent in agents:
        seats = [(row, k) for row in rows for k in range(_seats(row)) if row[f"agent_{k}"] == agent]
        if not seats:
            continue
        mine = [row for row, _ in seats]

        def mean(values: list[Any]) -> float | None:
            kept = [float(v) for v in values if v is not None]
            return float(np.mean(kept)) if kept else None

        agreed = [row for row in mine if row["agreed"]]
        low, high = wilson_interval(len(agreed), len(mine))
        out.append(
            AgentStanding(
                agent,
                len(mine),
                len(agreed) / len(mine),
                low,
                high,
                mean([row["agreed_round"] for row in agreed]),
                float(np.mean([float(row[f"utility_{k}"]) for row, k in seats])),
                float(np.mean([float(row["welfare"]) for row in mine])),
                mean([row["to_frontier"] for row in mine]),
                mean([row["to_nash"] for row in mine]),
                float(np.mean([float(row["to_equilibrium"]) for row in mine])),
            )
        )
    return tuple(out)


@dataclass(frozen=True, eq=False)
class TournamentPlan:
    """A checked tournament: its scenarios and their tables, agents, deadline, seeds,
    protocol and every match in order."""

    scenarios: tuple[LoadedScenario, ...]
    tables: tuple[Table, ...]
    agents: tuple[str, ...]
    rounds: int
    seeds: int
    protocol: ProtocolKey
    matches: tuple[Match, ...]
    sources: tuple[LoadedScenario, ...] = ()
    """The scenarios as given (``scenarios`` holds one variant per draw when drawing)."""
    draw: tuple[int | None, ...] = ()
    """Per entry of ``scenarios``: its draw, or None (the scenario as stated)."""
    draws: int = 0
    draw_seed: int = 0

    def described(self) -> dict[str, Any]:
        """What identifies the tournament (recorded in its manifest, checked on resume)."""
        described: dict[str, Any] = {
            "scenarios": list(dict.fromkeys(t.scenario for t in self.tables)),
            "agents": list(self.agents),
            "rounds": self.rounds,
            "seeds": self.seeds,
            "protocol": self.protocol,
        }
        if self.draws:
            described.update(draws=self.draws, draw_seed=self.draw_seed)
        return described


def plan_tournament(
    scenarios: Sequence[LoadedScenario],
    agents: Sequence[str],
    *,
    rounds: int = 100,
    seeds: int = 1,
    protocol: str = "stacked",
    limits: Limits | None = None,
    draws: int = 0,
    draw_seed: int = 0,
) -> TournamentPlan:
    """Check a tournament and list its matches (:func:`matches`).

    With ``draws > 0`` every match is also played on ``draws`` variants of each scenario,
    its judgments drawn from the scenario's ``uncertainty`` section as ``sim uncertainty``
    draws them with seed ``draw_seed`` (the same streams, so draw ``d`` is the same variant
    in both; :func:`sim.montecarlo.judgments.resolve_judgments`,
    :func:`sim.montecarlo.draws.draw_block`).

    Raises
    ------
    InputError
        Unknown agents, a bad deadline or protocol, fewer agents than parties, or more
        matches than ``limits.max_points`` (counted before any is listed or drawn).
    """
    key = check_protocol(protocol)
    check_rounds(rounds)
    if seeds < 1:
        raise InputError(f"--seeds: at least 1 seed, got {seeds}")
    keys = [agent_kind(a).key for a in agents]
    if len(set(keys)) != len(keys):
        raise InputError(f"--agents: an agent is listed twice ({', '.join(keys)})")
    limits = limits or default_limits()
    tables = [table_of(s) for s in scenarios]
    for loaded, table in zip(scenarios, tables, strict=True):
        if len(keys) < len(table.parties):
            raise InputError(
                f"{display_path(loaded.path)}: parties: {table.scenario} has "
                f"{len(table.parties)} negotiating (veto) parties; a tournament seats a "
                f"different agent at each, so --agents needs at least {len(table.parties)}, "
                f"got {len(keys)}"
            )
    if draws < 0:
        raise InputError(f"--draws: at least 0 draws, got {draws}")
    count = sum(math.perm(len(keys), len(t.parties)) for t in tables) * seeds * max(draws, 1)
    limits.check_points(count, "tournament")
    played = list(scenarios)
    which: list[int | None] = [None for _ in scenarios]
    if draws:
        played, which, tables = _variants(scenarios, draws, draw_seed)
    return TournamentPlan(
        tuple(played),
        tuple(tables),
        tuple(keys),
        rounds,
        seeds,
        key,
        tuple(matches(tables, keys, seeds)),
        tuple(scenarios),
        tuple(which),
        draws,
        draw_seed,
    )


def _variants(
    scenarios: Sequence[LoadedScenario], draws: int, seed: int
) -> tuple[list[LoadedScenario], list[int | None], list[Table]]:
    """Each scenario's drawn variants (draw-major within a scenario) and their tables."""
    from sim.montecarlo.draws import draw_block
    from sim.montecarlo.judgments import resolve_judgments

    variants: list[LoadedScenario] = []
    which: list[int | None] = []
    for loaded in scenarios:
        judgments = resolve_judgments(loaded)
        drawn = draw_block(judgments, seed, 0, draws)
        raw = loaded.raw()
        for d in range(draws):
            values = {j.path: float(drawn[d, k]) for k, j in enumerate(judgments)}
            variants.append(raw.with_overrides(values))
            which.append(d)
    return variants, which, [table_of(v) for v in variants]


def play_matches(
    plan: TournamentPlan,
    engine: Executor,
    pending: Sequence[int],
    save: Callable[[list[tuple[int, dict[str, Any]]]], None],
) -> None:
    """Play the pending matches on an open executor; ``save`` gets each batch's rows (match
    number, row) as it finishes, in any order."""
    work = [
        [
            (
                i,
                {
                    "scenario": plan.matches[i].scenario,
                    "draw": plan.draw[plan.matches[i].scenario] if plan.draw else None,
                    "agents": plan.matches[i].agents,
                    "seed": plan.matches[i].seed,
                },
            )
            for i in part
        ]
        for part in batches(list(pending), engine.workers)
    ]
    task = {"rounds": plan.rounds, "protocol": plan.protocol}
    for results in engine.run(play_batch, list(plan.scenarios), task, work):
        save([(number, row) for number, row, _ in results])


def tabulate(plan: TournamentPlan, rows: Sequence[dict[str, Any]]) -> TournamentResult:
    """The result of a tournament whose rows (in match order) are all played."""
    return TournamentResult(
        tuple(dict.fromkeys(t.scenario for t in plan.tables)),
        plan.agents,
        plan.rounds,
        plan.seeds,
        plan.protocol,
        tuple(rows),
        standings(rows, plan.agents),
        plan.draws,
    )


def run_tournament(
    scenarios: Sequence[LoadedScenario],
    agents: Sequence[str],
    *,
    rounds: int = 100,
    seeds: int = 1,
    protocol: str = "stacked",
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    limits: Limits | None = None,
    draws: int = 0,
    draw_seed: int = 0,
) -> TournamentResult:
    """Play every match of a tournament in memory (no run folder) and tabulate.

    Raises
    ------
    InputError
        As :func:`plan_tournament`.
    """
    limits = limits or default_limits()
    plan = plan_tournament(
        scenarios,
        agents,
        rounds=rounds,
        seeds=seeds,
        protocol=protocol,
        limits=limits,
        draws=draws,
        draw_seed=draw_seed,
    )
    rows: dict[int, dict[str, Any]] = {}
    with Executor(executor, workers, scheduler, limits) as engine:
        play_matches(plan, engine, range(len(plan.matches)), lambda done: rows.update(done))
    return tabulate(plan, [rows[i] for i in range(len(plan.matches))])
