"""A brute-force replay of the negotiation protocols' rules over a random tournament.

The scenarios are random (two or three veto parties, red lines, sometimes a consent holder);
the replay re-derives in plain Python, sharing no code with the engine, which bundles are on
the table, every party's utility and best utility, each time-based agent's aspiration, and
the order of turns, and checks every trace: no agent offers below its aspiration (a
time-based agent offers exactly the lowest own utility at or above it), every acceptance is
by the party whose turn it is and meets its acceptance rule, an agreement gives every party at
least its reservation, and a negotiation without agreement uses every turn up to the
deadline and gives each party its reservation.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.agents import agents as agents_module
from sim.agents import protocols as protocols_module
from sim.agents.agents import agent_kind
from sim.agents.negotiate import describe, play, table_of
from sim.agents.result import NegotiationResult
from sim.agents.tournament import matches, run_tournament
from sim.api import load_scenarios
from sim.model.resolve import LoadedScenario

TOL = 1e-9
EXPONENTS = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25, "time:2": 2.0}
AGENTS = [
    "boulware",
    "linear",
    "conceder",
    "time:2",
    "tit-for-tat",
    "hardliner",
    "random",
    "equilibrium",
]


def utility(spec: dict[str, Any], party: str, bundle: dict[str, str]) -> float:
    p = spec["parties"][party]
    total = sum(p["weights"].values())
    return sum(w / total * p["values"][k][bundle[k]] for k, w in p["weights"].items())


def bundles(spec: dict[str, Any]) -> list[dict[str, str]]:
    issues = list(spec["issues"])
    options = [list(spec["issues"][k]["options"]) for k in issues]
    return [dict(zip(issues, combo, strict=True)) for combo in itertools.product(*options)]


def hits_red_line(spec: dict[str, Any], party: str, bundle: dict[str, str]) -> bool:
    return any(
        bundle[line["issue"]] in line["options"]
        for line in spec["parties"][party].get("red_lines", [])
    )


def on_table(spec: dict[str, Any], bundle: dict[str, str]) -> bool:
    """Feasible (no veto party's red line) and no party whose consent it needs refuses it."""
    for party, p in spec["parties"].items():
        if p.get("veto", True) and hits_red_line(spec, party, bundle):
            return False
        terms = p.get("consent", {}).get("terms", [])
        needs = any(f"{k}={v}" in terms for k, v in bundle.items())
        if needs and not p.get("veto", True):
            if hits_red_line(spec, party, bundle):
                return False
            if utility(spec, party, bundle) < p["reservation"] - 1e-12:
                return False
    return True


def random_spec(rng: random.Random, name: str) -> dict[str, Any]:
    """A random scenario whose veto parties each reach their reservation on the table."""
    issues = {
        f"i{k}": {"options": {f"o{o}": f"option {o}" for o in range(rng.randint(2, 4))}}
        for k in range(rng.randint(1, 3))
    }
    n_veto = rng.choice([2, 2, 3])
    parties: dict[str, Any] = {}
    for j in range(n_veto + 1):
        veto = j < n_veto
        weights = {k: rng.randint(1, 4) for k in issues}
        values = {k: {o: rng.randint(0, 10) / 10 for o in v["options"]} for k, v in issues.items()}
        party: dict[str, Any] = {"veto": veto, "weights": weights, "values": values}
        if rng.random() < 0.3:
            k = rng.choice(list(issues))
            party["red_lines"] = [{"issue": k, "options": [rng.choice(list(issues[k]["options"]))]}]
        if not veto:
            k = rng.choice(list(issues))
            option = rng.choice(list(issues[k]["options"]))
            party["consent"] = {"terms": [f"{k}={option}"], "evidence": [{"assumption": "x"}]}
            party["reservation"] = rng.randint(0, 6) / 10
        parties[f"p{j}"] = party
    spec: dict[str, Any] = {"name": name, "issues": issues, "parties": parties}
    table = [b for b in bundles(spec) if on_table(spec, b)]
    if not table:
        return random_spec(rng, name)
    for party, p in parties.items():
        if p["veto"]:
            best = max(utility(spec, party, b) for b in table)
            p["reservation"] = round(rng.uniform(0, 0.9) * best, 3)
            p["discount"] = rng.choice([0.5, 0.9, 0.99])
    return spec


def replay(spec: dict[str, Any], result: NegotiationResult) -> list[str]:
    """Every rule the trace breaks (an empty list when it keeps them all)."""
    wrong: list[str] = []
    table = [b for b in bundles(spec) if on_table(spec, b)]
    parties = list(result.parties)
    order = list(result.order)
    n, rounds = len(order), result.rounds
    agent = dict(zip(parties, result.agents, strict=True))
    reservation = {p: float(spec["parties"][p]["reservation"]) for p in parties}
    best = {p: max(utility(spec, p, b) for b in table) for p in parties}

    def aspiration(party: str, round_: int) -> float:
        e = EXPONENTS[agent[party]]
        t = (round_ + 1) / (rounds + 1)
        low = reservation[party]
        return low + max(best[party] - low, 0.0) * (1 - t**e)

    def offer_floor(party: str, round_: int) -> float:
        if agent[party] in EXPONENTS:
            return min(aspiration(party, round_), best[party])
        if agent[party] == "hardliner":
            return best[party]
        return min(reservation[party], best[party])

    def accept_floor(party: str, round_: int) -> float:
        if agent[party] in EXPONENTS:
            return aspiration(party, round_)
        if agent[party] == "hardliner":
            return best[party]
        return min(reservation[party], best[party])

    seat, round_ = 0, 0  # who must propose next, and when
    for k, entry in enumerate(result.trace):
        bundle = dict(entry.offer.terms)
        if bundle not in table:
            wrong.append(f"offer {k}: {bundle} is not on the table")
            continue
        for p, u in zip(parties, entry.offer.utilities, strict=True):
            if abs(u - utility(spec, p, bundle)) > TOL:
                wrong.append(f"offer {k}: utility of {p} misreported")
        if (entry.proposer, entry.round) != (order[seat], round_):
            wrong.append(f"offer {k}: {entry.proposer} in round {entry.round} out of turn")
        mine = utility(spec, entry.proposer, bundle)
        if mine < offer_floor(entry.proposer, entry.round) - TOL:
            wrong.append(f"offer {k}: {entry.proposer} offers below its aspiration")
        if agent[entry.proposer] in EXPONENTS:
            level = aspiration(entry.proposer, entry.round)
            lower = [utility(spec, entry.proposer, b) for b in table]
            if any(level - 1e-12 <= u < mine - 1e-12 for u in lower):
                wrong.append(f"offer {k}: a lower bundle at or above the aspiration exists")
        for j, accepter in enumerate(entry.accepted_by, start=1):
            at = seat + j
            if accepter != order[at % n]:
                wrong.append(f"offer {k}: {accepter} accepts out of turn")
            when = round_ + at // n
            if utility(spec, accepter, bundle) < accept_floor(accepter, when) - TOL:
                wrong.append(f"offer {k}: {accepter} accepts below its acceptance level")
        last = seat + len(entry.accepted_by)
        if entry.rejected_by is not None:
            nxt = last + 1
            if entry.rejected_by != order[nxt % n]:
                wrong.append(f"offer {k}: rejected out of turn")
            seat, round_ = nxt % n, round_ + nxt // n
        elif k != len(result.trace) - 1:
            wrong.append(f"offer {k}: neither agreed nor rejected, yet not the last")
    if not result.trace:
        return [*wrong, "no offer at all"]
    final = result.trace[-1]
    used = final.turn + len(final.accepted_by)
    s = result.summary
    if len(final.accepted_by) == n - 1:
        if (
            not s.agreed
            or s.agreed_round != final.round + (order.index(final.proposer) + n - 1) // n
        ):
            wrong.append("an offer every other party accepted is not the agreement of its round")
        agreed = dict(final.offer.terms)
        for p, u in zip(parties, s.utilities, strict=True):
            if abs(u - utility(spec, p, agreed)) > TOL or u < reservation[p] - TOL:
                wrong.append(f"agreement not acceptable to {p}")
    else:
        if s.agreed:
            wrong.append("an agreement without every other party's acceptance")
        if used != rounds * n - 1:
            wrong.append(f"breakdown before the deadline (last turn {used} of {rounds * n})")
        if any(abs(u - reservation[p]) > TOL for p, u in zip(parties, s.utilities, strict=True)):
            wrong.append("a breakdown that does not give the reservations")
    return wrong


def replay_mediated(spec: dict[str, Any], result: NegotiationResult) -> list[str]:
    """The single-text protocol's rules: one mediator's text a round, on the table; once a
    text has been adopted, every party that the new text leaves no worse off votes for it,
    and a voter against is the first in turn order who does not; the text changes exactly when
    nobody votes against; a signed agreement is the current text and meets every party's
    acceptance level; without one, every round is played and each party gets its
    reservation."""
    wrong: list[str] = []
    table = [b for b in bundles(spec) if on_table(spec, b)]
    parties, order, rounds = list(result.parties), list(result.order), result.rounds
    agent = dict(zip(parties, result.agents, strict=True))
    reservation = {p: float(spec["parties"][p]["reservation"]) for p in parties}
    best = {p: max(utility(spec, p, b) for b in table) for p in parties}

    def accept_floor(party: str, round_: int) -> float:
        if agent[party] in EXPONENTS:
            t = (round_ + 1) / (rounds + 1)
            low = reservation[party]
            return low + max(best[party] - low, 0.0) * (1 - t ** EXPONENTS[agent[party]])
        if agent[party] == "hardliner":
            return best[party]
        return min(reservation[party], best[party])

    current: dict[str, str] | None = None
    for k, entry in enumerate(result.trace):
        new = dict(entry.offer.terms)
        if (entry.proposer, entry.round) != ("mediator", k) or new not in table:
            wrong.append(f"text {k}: not the mediator's text of round {k} on the table")
            continue
        if current is not None:
            content = [
                p for p in order if utility(spec, p, new) >= utility(spec, p, current) - 1e-12
            ]
            if any(p not in entry.accepted_by for p in content):
                wrong.append(f"text {k}: a party no worse off voted against it")
            for p in entry.accepted_by:
                if p not in content and utility(spec, p, new) < accept_floor(p, k) - TOL:
                    wrong.append(f"text {k}: {p} voted for a worse text below its level")
        against = [p for p in order if p not in entry.accepted_by]
        if entry.rejected_by != (against[0] if against else None):
            wrong.append(f"text {k}: the vote against is misreported")
        if entry.rejected_by is None:
            current = new
    s = result.summary
    if s.agreed:
        assert result.agreement is not None
        agreed = dict(result.agreement.terms)
        if s.agreed_round != len(result.trace) - 1:
            wrong.append("an agreement signed before the last text")
        if current is not None and agreed != current:
            wrong.append("the agreement is not the current text")
        for p in parties:
            if utility(spec, p, agreed) < accept_floor(p, len(result.trace) - 1) - TOL:
                wrong.append(f"agreement below {p}'s acceptance level")
            if utility(spec, p, agreed) < reservation[p] - TOL:
                wrong.append(f"agreement not acceptable to {p}")
    else:
        if len(result.trace) != rounds:
            wrong.append("breakdown before the deadline")
        if any(abs(u - reservation[p]) > TOL for p, u in zip(parties, s.utilities, strict=True)):
            wrong.append("a breakdown that does not give the reservations")
    return wrong


def random_tournament(
    folder: Path, count: int, seed: int
) -> tuple[list[dict[str, Any]], list[LoadedScenario]]:
    rng = random.Random(seed)
    specs, loaded = [], []
    for s in range(count):
        spec = random_spec(rng, f"r{s}")
        path = folder / f"r{s}.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        specs.append(spec)
        loaded.extend(load_scenarios(str(path)))
    return specs, loaded


def violations(
    folder: Path, rounds: int, seeds: int, seed: int, protocol: str = "stacked"
) -> list[str]:
    """Play a random tournament, check that each match's replayed trace gives the
    tournament's row, and replay every trace."""
    specs, loaded = random_tournament(folder, 6, seed)
    tournament = run_tournament(loaded, AGENTS, rounds=rounds, seeds=seeds, protocol=protocol)
    check = replay if protocol == "stacked" else replay_mediated
    tables = [table_of(s) for s in loaded]
    found: list[str] = []
    for number, match in enumerate(matches(tables, tournament.agents, seeds)):
        table = tables[match.scenario]
        kinds = [agent_kind(a) for a in match.agents]
        result = describe(
            table,
            play(table, kinds, rounds=rounds, seed=match.seed, protocol=tournament.protocol),
            kinds,
            match.seed,
        )
        row = tournament.rows[number]
        if (row["agreed"], row["agreement"]) != (result.summary.agreed, result.summary.agreement):
            found.append(f"match {number}: the tournament row differs from the replayed play")
        found += [
            f"{table.scenario} {match.agents}: {w}" for w in check(specs[match.scenario], result)
        ]
    return found


@pytest.mark.parametrize(("rounds", "seed"), [(1, 0), (6, 1), (15, 2)])
def test_every_trace_of_a_random_tournament_keeps_the_rules(
    tmp_path: Path, rounds: int, seed: int
) -> None:
    assert violations(tmp_path, rounds, 2, seed) == []


@pytest.mark.parametrize(("rounds", "seed"), [(1, 3), (12, 4)])
def test_every_trace_of_a_random_mediated_tournament_keeps_the_rules(
    tmp_path: Path, rounds: int, seed: int
) -> None:
    assert violations(tmp_path, rounds, 2, seed, "mediated") == []


def test_mediated_replay_catches_a_broken_vote_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: a party votes "better" only for a text a whole utility point better (the
    protocol's tolerance set to -1), so parties no worse off vote against."""
    monkeypatch.setattr(protocols_module, "LEVEL_TOL", -1.0)
    assert any("voted against" in v for v in violations(tmp_path, 12, 1, 4, "mediated"))


def test_replay_catches_an_agent_offering_below_its_aspiration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = agents_module.TimeBased.propose

    def greedy_drop(self: agents_module.TimeBased, turn: agents_module.Turn) -> int:
        lower = self.seat.ladder.lowest_at_or_above(self.aspiration(turn) - 0.3)
        return lower if turn.round % 2 else original(self, turn)

    monkeypatch.setattr(agents_module.TimeBased, "propose", greedy_drop)
    assert any("below its aspiration" in v for v in violations(tmp_path, 8, 1, 1))


def test_replay_catches_a_deadline_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = protocols_module.stacked_alternating_offers

    def short(agents: Any, order: tuple[int, ...], rounds: int) -> protocols_module.Played:
        played = original(agents, order, max(rounds - 1, 1))
        return protocols_module.Played(
            played.protocol,
            order,
            rounds,
            played.moves,
            played.agreement,
            played.agreed_round,
            played.agreed_turn,
        )

    monkeypatch.setattr("sim.agents.negotiate.stacked_alternating_offers", short)
    assert any("before the deadline" in v for v in violations(tmp_path, 6, 1, 1))


def test_replay_catches_acceptance_below_the_aspiration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def eager(self: agents_module.TimeBased, turn: agents_module.Turn, offer: int) -> bool:
        return bool(self.seat.utilities[offer] >= self.seat.reservation)

    monkeypatch.setattr(agents_module.TimeBased, "respond", eager)
    assert any("below its acceptance level" in v for v in violations(tmp_path, 8, 1, 1))
