"""Tournaments: every assignment of agents to the negotiating parties, on every scenario,
for every seed; a row per negotiation and a table per agent.

The negotiations are independent, so they go through the sweep executors
(:class:`sim.experiments.executors.Executor`: ``serial``, worker ``processes`` or ``dask``);
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
from sim.agents.record import summary_row
from sim.agents.table import Table
from sim.errors import InputError, display_path
from sim.experiments.executors import Batch, Executor, Result, batches
from sim.experiments.limits import Limits, default_limits
from sim.model.resolve import LoadedScenario


@dataclass(frozen=True)
class Match:
    """One negotiation of a tournament: a scenario, an agent per negotiating party, a seed."""

    scenario: int
    agents: tuple[str, ...]
    seed: int


@dataclass(frozen=True)
class AgentStanding:
    """One agent's record over a tournament (means over its negotiations; rounds over its
    agreements)."""

    agent: str
    negotiations: int
    agreement_rate: float
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
        row: dict[str, Any] = {"scenario": table.scenario, "seed": int(item["seed"])}
        for k, (party, agent) in enumerate(zip(parties, item["agents"], strict=True)):
            row[f"party_{k}"] = party
            row[f"agent_{k}"] = agent
        summary = summarise(table, played)
        cells = summary_row(parties, summary)
        for k, party in enumerate(parties):
            cells[f"utility_{k}"] = cells.pop(f"utility_{party}")
        row.update(cells)
        out.append((number, row, None))
    return out


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
        out.append(
            AgentStanding(
                agent,
                len(mine),
                len(agreed) / len(mine),
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

    def described(self) -> dict[str, Any]:
        """What identifies the tournament (recorded in its manifest, checked on resume)."""
        return {
            "scenarios": [t.scenario for t in self.tables],
            "agents": list(self.agents),
            "rounds": self.rounds,
            "seeds": self.seeds,
            "protocol": self.protocol,
        }


def plan_tournament(
    scenarios: Sequence[LoadedScenario],
    agents: Sequence[str],
    *,
    rounds: int = 100,
    seeds: int = 1,
    protocol: str = "stacked",
    limits: Limits | None = None,
) -> TournamentPlan:
    """Check a tournament and list its matches (:func:`matches`).

    Raises
    ------
    InputError
        Unknown agents, a bad deadline or protocol, fewer agents than parties, or more
        matches than ``limits.max_points`` (counted before any is listed).
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
    count = sum(math.perm(len(keys), len(t.parties)) for t in tables) * seeds
    limits.check_points(count, "tournament")
    return TournamentPlan(
        tuple(scenarios),
        tuple(tables),
        tuple(keys),
        rounds,
        seeds,
        key,
        tuple(matches(tables, keys, seeds)),
    )


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
        tuple(t.scenario for t in plan.tables),
        plan.agents,
        plan.rounds,
        plan.seeds,
        plan.protocol,
        tuple(rows),
        standings(rows, plan.agents),
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
) -> TournamentResult:
    """Play every match of a tournament in memory (no run folder) and tabulate.

    Raises
    ------
    InputError
        As :func:`plan_tournament`.
    """
    limits = limits or default_limits()
    plan = plan_tournament(
        scenarios, agents, rounds=rounds, seeds=seeds, protocol=protocol, limits=limits
    )
    rows: dict[int, dict[str, Any]] = {}
    with Executor(executor, workers, scheduler, limits) as engine:
        play_matches(plan, engine, range(len(plan.matches)), lambda done: rows.update(done))
    return tabulate(plan, [rows[i] for i in range(len(plan.matches))])
