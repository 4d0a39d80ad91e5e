"""Negotiating agents: oracles for the concession agents, the ladder and the protocols."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.agents import agents as agents_module
from sim.agents.agents import Turn, agent_kinds
from sim.agents.negotiate import negotiate, play, table_of
from sim.agents.result import NegotiationResult
from sim.agents.table import Ladder, Table
from sim.api import load_scenarios
from sim.model.resolve import LoadedScenario
from tests.conftest import FIXTURES

NEGMAS = FIXTURES / "agents" / "negmas_price.yaml"


def price_scenario(folder: Path, steps: int, name: str = "price") -> LoadedScenario:
    """One divisible price issue with ``steps + 1`` values 0..steps: the seller's utility
    p / steps, the buyer's 1 - p / steps, reservations 0, the seller first."""
    options = "\n".join(f"      p{p}: price {p}" for p in range(steps + 1))
    seller = "\n".join(f"        p{p}: {p / steps!r}" for p in range(steps + 1))
    buyer = "\n".join(f"        p{p}: {1 - p / steps!r}" for p in range(steps + 1))
    text = (
        f"name: {name}\nissues:\n  price:\n    options:\n{options}\nparties:\n"
        f"  seller:\n    reservation: 0.0\n    weights: {{price: 1}}\n    values:\n"
        f"      price:\n{seller}\n"
        f"  buyer:\n    reservation: 0.0\n    weights: {{price: 1}}\n    values:\n"
        f"      price:\n{buyer}\n"
    )
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    [loaded] = load_scenarios(str(path))
    return loaded


def closed_form(rounds: int, steps: int) -> tuple[int, int]:
    """Two linear conceders (aspiration 1 - t, t = (r + 1) / (R + 1), reservations 0) on a
    price issue of ``steps + 1`` values with ``steps`` a multiple of ``R + 1``, the seller
    first. The seller's round-r offer is p = steps (1 - t_r), the buyer's p = steps t_r. The
    buyer accepts the seller's round-r offer when 1 - t_r <= t_r, i.e. 2(r + 1) >= R + 1; the
    seller, who moves first in round r, accepts the buyer's round-(r - 1) offer when
    t_(r-1) >= 1 - t_r, i.e. 2r >= R. R odd: the buyer accepts first, in round (R - 1) / 2,
    at price steps / 2. R even: in round R / 2 the seller accepts the buyer's previous offer,
    at price steps R / (2 (R + 1)). Returns (round, price)."""
    assert steps % (rounds + 1) == 0
    if rounds % 2 == 1:
        return (rounds - 1) // 2, steps // 2
    return rounds // 2, steps * rounds // (2 * (rounds + 1))


def price_of(result: NegotiationResult) -> int:
    assert result.agreement is not None
    return int(dict(result.agreement.terms)["price"].removeprefix("p"))


CLOSED_FORM_CASES = [(19, 100), (20, 105), (9, 50), (4, 25), (1, 6), (2, 9)]


@pytest.mark.parametrize(("rounds", "steps"), CLOSED_FORM_CASES)
def test_two_linear_conceders_meet_at_the_closed_form(
    tmp_path: Path, rounds: int, steps: int
) -> None:
    loaded = price_scenario(tmp_path, steps)
    result = negotiate(loaded, agent_kinds("linear,linear"), rounds=rounds)
    assert result.summary.agreed
    assert (result.summary.agreed_round, price_of(result)) == closed_form(rounds, steps)


def test_closed_form_fails_with_another_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: relative time step / n_steps instead of (step + 1) / (n_steps + 1)."""
    monkeypatch.setattr(Turn, "time", property(lambda self: self.round / self.rounds))
    loaded = price_scenario(tmp_path, 100)
    result = negotiate(loaded, agent_kinds("linear,linear"), rounds=19)
    assert (result.summary.agreed_round, price_of(result)) != closed_form(19, 100)


# NegMAS's getting-started negotiation as its documentation reports it (docs/getting_started
# of NegMAS): the offers of the seller (boulware) and the buyer (linear) in steps 0..14, and
# the agreement on 35 offered by the buyer in step 14 and accepted by the seller in step 15
# (the state NegMAS prints after the run shows step=16 and relative_time=17/21, the step
# counter having moved on past the last step played).
NEGMAS_SELLER = [49, 49, 49, 49, 49, 49, 49, 48, 48, 47, 46, 44, 42, 40, 37]
NEGMAS_BUYER = [2, 4, 7, 9, 11, 14, 16, 18, 21, 23, 25, 28, 30, 32, 35]


def negmas_trace(result: NegotiationResult) -> tuple[list[int], list[int]]:
    seller = [int(dict(e.offer.terms)["price"][1:]) for e in result.trace if e.proposer == "seller"]
    buyer = [int(dict(e.offer.terms)["price"][1:]) for e in result.trace if e.proposer == "buyer"]
    return seller, buyer


def test_negmas_getting_started_gives_the_same_trace_and_agreement() -> None:
    [loaded] = load_scenarios(str(NEGMAS))
    result = negotiate(loaded, agent_kinds("boulware,linear"), rounds=20)
    assert negmas_trace(result) == (NEGMAS_SELLER, NEGMAS_BUYER)
    assert price_of(result) == 35
    assert result.summary.agreed_round == 15
    last = result.trace[-1]
    assert (last.proposer, last.round, last.accepted_by) == ("buyer", 14, ("seller",))


def test_negmas_trace_fails_when_offers_must_exceed_the_aspiration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mutation: offer the lowest utility strictly above the aspiration instead of at or
    above it (the buyer's aspiration in step 2 is 1 - 3/21 = 42/49 exactly)."""
    at_or_above = Ladder.lowest_at_or_above
    monkeypatch.setattr(
        Ladder, "lowest_at_or_above", lambda self, level: at_or_above(self, level + 1e-9)
    )
    [loaded] = load_scenarios(str(NEGMAS))
    result = negotiate(loaded, agent_kinds("boulware,linear"), rounds=20)
    assert negmas_trace(result) != (NEGMAS_SELLER, NEGMAS_BUYER)


def test_boulware_against_a_conceder_agrees_later_and_nearer_its_best(tmp_path: Path) -> None:
    loaded = price_scenario(tmp_path, 200)
    tough = negotiate(loaded, agent_kinds("boulware,conceder"), rounds=40)
    soft = negotiate(loaded, agent_kinds("conceder,conceder"), rounds=40)
    assert tough.summary.agreed and soft.summary.agreed
    assert tough.summary.agreed_round is not None and soft.summary.agreed_round is not None
    assert tough.summary.agreed_round > soft.summary.agreed_round
    best = 1.0  # the seller's best utility (price 200)
    assert best - tough.summary.utilities[0] < best - soft.summary.utilities[0]


def test_boulware_claim_fails_when_the_boulware_concedes_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: the boulware's exponent set to the conceder's; the claim then fails."""
    monkeypatch.setitem(
        agents_module.AGENTS,
        "boulware",
        agents_module.time_based(agents_module.CONCEDER, "boulware"),
    )
    loaded = price_scenario(tmp_path, 200)
    tough = negotiate(loaded, agent_kinds("boulware,conceder"), rounds=40)
    soft = negotiate(loaded, agent_kinds("conceder,conceder"), rounds=40)
    assert not (tough.summary.agreed_round or 0) > (soft.summary.agreed_round or 0)


def plain_lowest_at_or_above(utilities: list[float], level: float) -> int:
    """One bundle at a time: the lowest utility at or above ``level`` (1e-12 below counts),
    ties within 1e-12 to the lowest position; the best when none reaches it."""
    above = [u for u in utilities if u >= level - 1e-12]
    if not above:
        top = max(utilities)
        return min(i for i, u in enumerate(utilities) if u >= top - 1e-12)
    low = min(above)
    return min(i for i, u in enumerate(utilities) if low - 1e-12 <= u <= low + 1e-12)


def test_ladder_equals_the_one_at_a_time_choice() -> None:
    rng = np.random.default_rng(3)
    for _ in range(30):
        utilities = rng.integers(0, 12, size=int(rng.integers(1, 40))) / 11
        ladder = Ladder(utilities.astype(np.float64))
        for level in np.linspace(-0.1, 1.1, 25):
            assert ladder.lowest_at_or_above(float(level)) == plain_lowest_at_or_above(
                utilities.tolist(), float(level)
            )


def test_equilibrium_agents_play_the_bargaining_models_outcome(tmp_path: Path) -> None:
    for loaded in (
        price_scenario(tmp_path, 30),
        load_scenarios(str(FIXTURES / "consent" / "peacekeepers.yaml"))[0],
    ):
        result = negotiate(loaded, agent_kinds("equilibrium,equilibrium"), rounds=10)
        assert result.summary.to_equilibrium == pytest.approx(0.0, abs=1e-12)
        assert result.summary.agreed_round == result.equilibrium_round


def test_the_table_leaves_out_red_lines_and_refused_consent() -> None:
    # peacekeepers.yaml: bundle 3 (split, european) needs e's consent, and e refuses it
    # (0.40 < 0.45); no red lines.
    [consent] = load_scenarios(str(FIXTURES / "consent" / "peacekeepers.yaml"))
    assert table_of(consent).indices.tolist() == [0, 1, 2, 4, 5]
    # toy base.yaml: a red-lines status=aligned (option 0 of the last issue): only neutral.
    [toy] = load_scenarios(str(FIXTURES / "toy" / "base.yaml"))
    assert table_of(toy).indices.tolist() == [1, 3, 5]


def test_mediated_single_text_offers_only_the_table_and_is_seeded() -> None:
    [consent] = load_scenarios(str(FIXTURES / "consent" / "peacekeepers.yaml"))
    table = table_of(consent)
    kinds = agent_kinds("linear,random")
    one = play(table, kinds, rounds=30, seed=4, protocol="mediated")
    two = play(table, kinds, rounds=30, seed=4, protocol="mediated")
    assert one == two
    assert all(0 <= m.position < table.size for m in one.moves)
    assert 3 not in {int(table.indices[m.position]) for m in one.moves}


def test_result_round_trips_through_json(tmp_path: Path) -> None:
    loaded = price_scenario(tmp_path, 40)
    for protocol in ("stacked", "mediated"):
        result = negotiate(loaded, agent_kinds("tit-for-tat,random"), rounds=15, protocol=protocol)
        assert NegotiationResult.from_json(result.to_json()) == result


class Splitter(agents_module.Agent):
    """The docs' example of a new agent: the middle of its range; accepts above reservation."""

    def propose(self, turn: Turn) -> int:
        middle = (self.seat.reservation + self.seat.best) / 2
        return self.seat.ladder.lowest_at_or_above(middle)

    def respond(self, turn: Turn, offer: int) -> bool:
        return bool(self.seat.utilities[offer] >= self.seat.reservation)


def test_a_new_agent_is_one_class_with_two_methods(tmp_path: Path) -> None:
    from sim.api import negotiate as api_negotiate

    loaded = price_scenario(tmp_path, 100)
    kind = agents_module.AgentKind("splitter", Splitter)
    result, folder = api_negotiate(loaded, [kind, "boulware"], rounds=10, record=False)
    assert folder is None
    assert result.agents == ("splitter", "boulware")
    # The splitter (the seller) offers the middle of its range, price 50, in round 0; the
    # boulware buyer (aspiration 1 - (1/11)^4) rejects it and offers its best, price 0; the
    # splitter accepts anything at or above its reservation 0, so it accepts in round 1.
    assert result.trace[0].offer.terms == (("price", "p50"),)
    assert result.summary.agreed_round == 1
    assert price_of(result) == 0


@pytest.mark.parametrize(("successes", "trials"), [(0, 5), (3, 10), (8, 10), (50, 50), (17, 230)])
def test_wilson_interval_equals_scipys(successes: int, trials: int) -> None:
    from scipy.stats import binomtest

    from sim.agents.tournament import wilson_interval

    interval = binomtest(successes, trials).proportion_ci(0.95, method="wilson")
    assert wilson_interval(successes, trials) == pytest.approx(
        (interval.low, interval.high), abs=1e-12
    )


def test_wilson_interval_fails_at_another_level(monkeypatch: pytest.MonkeyPatch) -> None:
    from scipy.stats import binomtest

    from sim.agents import tournament

    monkeypatch.setattr(tournament, "Z95", 1.6448536269514722)  # the 90% quantile
    interval = binomtest(8, 10).proportion_ci(0.95, method="wilson")
    assert tournament.wilson_interval(8, 10) != pytest.approx(
        (interval.low, interval.high), abs=1e-12
    )


def random_table(rng: np.random.Generator, parties: int, size: int) -> Table:
    """A table of random utilities on a coarse grid (many exact ties), the first ``parties``
    columns negotiating, plus one more party."""

    utilities = rng.integers(0, 8, size=(size, parties + 1)) / 8
    indices = np.sort(rng.choice(10 * size, size=size, replace=False)).astype(np.int64)
    return Table(
        indices=indices,
        utilities=utilities,
        parties=tuple(range(parties)),
        names=tuple(f"p{k}" for k in range(parties + 1)),
        reservation=np.append(rng.integers(0, 4, size=parties) / 8, np.nan),
        discounts=rng.choice([0.5, 0.9, 0.99], size=parties),
        radices=np.array([10 * size], dtype=np.int64),
    )


def whole_table_plan(table: Table, order: tuple[int, ...], rounds: int) -> object:
    from sim.core.bargaining import rotating_offers

    positions = [table.parties.index(c) for c in order]
    flows = np.repeat(table.reservation[list(order)][None, :], rounds * len(order), axis=0)
    return rotating_offers(
        table.utilities, table.indices, list(order), flows, table.discounts[positions],
        order=list(order),
    )  # fmt: skip


def plans_agree(seed_count: int) -> bool:
    rng = np.random.default_rng(11)
    for _ in range(seed_count):
        parties = int(rng.integers(2, 4))
        table = random_table(rng, parties, int(rng.integers(1, 60)))
        order = tuple(int(c) for c in rng.permutation(parties))
        rounds = int(rng.integers(1, 6))
        if agents_module.equilibrium_plan(table, order, rounds) != whole_table_plan(
            table, order, rounds
        ):
            return False
    return True


def test_the_equilibrium_plan_over_the_front_is_the_whole_tables() -> None:
    assert plans_agree(300)


def test_the_front_shortcut_fails_without_the_whole_front(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mutation: the front loses its last member."""
    from sim.core.pareto import pareto_front

    monkeypatch.setattr(agents_module, "pareto_front", lambda u: pareto_front(u)[:-1])
    assert not plans_agree(300)
