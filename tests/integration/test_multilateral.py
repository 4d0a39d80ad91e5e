"""A scenario with three veto parties gets bargaining results and its games, all verified."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import sim
from sim.analysis.outcome import ComplianceOutcome, PositionsOutcome
from sim.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "trade" / "three_party.yaml"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _utilities(outcome: sim.analysis.outcome.Outcome) -> dict[int, np.ndarray]:  # type: ignore[name-defined]
    """Every bundle's utilities, by brute force over the scenario's own tables."""
    import yaml

    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    issues = list(data["issues"])
    options = [list(data["issues"][k]["options"]) for k in issues]
    out = {}
    for index, combo in enumerate(itertools.product(*options)):
        row = []
        for party in outcome.parties:
            spec = data["parties"][party]
            total = sum(spec["weights"].values())
            row.append(
                sum(
                    spec["weights"][k] / total * spec["values"][k][o]
                    for k, o in zip(issues, combo, strict=True)
                )
            )
        out[index] = np.array(row)
    return out


def test_three_veto_parties_bargain_by_rotating_offers() -> None:
    outcome = sim.analyse(FIXTURE)
    assert outcome.veto_parties == ("north", "south", "east")
    (result,) = outcome.bargaining.results
    assert result.protocol.key == "rotating" and result.first == "east"
    assert [step.proposer for step in result.path[:4]] == ["east", "north", "south", "east"]
    assert result.agreement_period == 0 and result.agreed is not None
    # An independent check of period 0 (no war: each side's continuation is its reservation):
    # the proposer's best bundle among those both others accept.
    u = _utilities(outcome)
    reservation = np.array(outcome.reservations)
    accepted = [i for i, v in u.items() if (v[:2] >= reservation[:2] - 1e-9).all()]
    best = max(u[i][2] for i in accepted)
    assert u[result.agreed.index][2] == best
    assert (u[result.agreed.index] >= reservation - 1e-9).all()


def test_three_party_games_are_built_and_verified() -> None:
    outcome = sim.analyse(FIXTURE)
    games = outcome.games
    (compliance,) = games.of_kind(ComplianceOutcome)
    (positions,) = games.of_kind(PositionsOutcome)
    assert isinstance(compliance, ComplianceOutcome)
    assert isinstance(positions, PositionsOutcome)
    # No first-strike gain and a penalty: violating never pays, so complying is strictly
    # dominant and mutual compliance the only equilibrium.
    assert compliance.self_enforcing is True
    payoffs = compliance.game.payoffs
    for p in range(3):
        comply = np.take(payoffs[p], 0, axis=p)
        violate = np.take(payoffs[p], 1, axis=p)
        assert (comply > violate).all()
    # every equilibrium of the positions game, checked by brute force over pure deviations
    table = positions.game.payoffs
    for e in positions.game.equilibria:
        assert e.verified
        for p in range(3):
            expected = table[p]
            for q in range(3):
                expected = (
                    np.tensordot(expected, e.strategies[q], axes=([0], [0]))
                    if q != p
                    else np.moveaxis(expected, 0, -1)
                )
            gains = np.asarray(expected).ravel()
            assert gains.max() <= e.payoffs[p] + 1e-7
    # the positions game is not complete here, and says so instead of pretending
    assert positions.game.complete or positions.game.not_computed


def test_three_party_outputs_say_what_is_not_computed() -> None:
    code, output = invoke(["games", str(FIXTURE)])
    assert code == 0 and "0 games" not in output and "compliance: north, south, east" in output
    code, output = invoke(["run", str(FIXTURE), "--no-record", "--json"])
    document = json.loads(output)
    assert [r["protocol_key"] for r in document["bargaining"]["results"]] == ["rotating_east_first"]
    not_built = " ".join(document["bargaining"]["not_built"])
    assert "alternating" in not_built and "mediated" in not_built
    positions = next(g for g in document["equilibria"]["games"] if g["name"] == "positions")
    assert positions["solution_concept"] == "Nash equilibrium"
    # either every equilibrium was found, or the document says what was not computed
    assert positions["complete"] is True or positions["not_computed"]
    assert all(e["verified"] for e in positions["equilibria"])


def test_protocols_ruled_out_in_the_file(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "  order: [east, north, south]\n", "  order: [east, north, south]\n  protocols: []\n"
    )
    path = tmp_path / "three_party.yaml"
    path.write_text(text, encoding="utf-8")
    outcome = sim.analyse(path)
    assert outcome.bargaining.results == ()
    assert any("ruled out by the scenario" in n for n in outcome.games.not_built)
    code, output = invoke(["run", str(path), "--no-record"])
    assert code == 0
    bad = text.replace("order: [east, north, south]", "order: [east, west]")
    path.write_text(bad, encoding="utf-8")
    code, output = invoke(["validate", str(path)])
    assert code == 2 and "bargaining.order.1" in output and "unknown party 'west'" in output


def drawn_fixture(tmp_path: Path, vary: dict[str, object]) -> Path:
    """The fixture with an uncertainty section drawing ``vary``, written to ``tmp_path``."""
    import yaml

    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    document["uncertainty"] = {"vary": vary}
    path = tmp_path / "three_party.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_three_party_bargaining_and_compliance_are_drawn_as_sim_run_plays_each_draw(
    tmp_path: Path,
) -> None:
    """Rotating offers among the three veto parties and their three-player compliance game,
    with the compliance numbers drawn too: each draw equals `analyse_strategy` of the scenario
    with the draw's values set (bundle, month, verdict), and the summary reports the
    protocol (the mutation is the next test)."""
    from tests.unit.test_montecarlo_strategic import check

    path = drawn_fixture(
        tmp_path,
        {
            "compliance.gain.*": {"uniform": [0.0, 0.6]},
            "compliance.detection": {"uniform": [0.0, 1.0]},
            "parties.*.reservation": {"uniform": [0.2, 0.45]},
        },
    )
    agreed, judged = check(path, 40, 3)
    assert agreed > 0 and judged > 0
    odds = sim.uncertainty([path], draws=60, seed=1, sensitivity=False)
    bargaining = odds.document()["scenarios"]["three_party"]["bargaining"]
    assert "rotating_east_first" in json.dumps(bargaining)


def test_the_three_party_oracle_sees_stated_compliance_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: a draw's compliance game with the stated numbers is caught."""
    import sim.montecarlo.strategic as strategic
    from tests.unit.test_montecarlo_strategic import check

    path = drawn_fixture(tmp_path, {"compliance.gain.*": {"uniform": [0.0, 0.6]}})
    monkeypatch.setattr(strategic, "drawn_compliance", lambda model, columns, d: model)
    with pytest.raises(AssertionError):
        check(path, 40, 3)


def test_thirteen_veto_parties_leave_the_compliance_game_out_by_name(tmp_path: Path) -> None:
    """More players than the compliance game's solver takes (12): `sim run` and
    `sim uncertainty` say so and go on (they stopped with a traceback)."""
    import yaml

    from sim.games.compliance import MAX_PLAYERS

    parties = [f"p{i}" for i in range(MAX_PLAYERS + 1)]
    document = {
        "name": "many",
        "issues": {"a": {"options": {"x": None, "y": None}}},
        "parties": {
            p: {"reservation": 0.1, "weights": {"a": 1.0}, "values": {"a": {"x": 1.0, "y": 0.5}}}
            for p in parties
        },
        "compliance": {
            "gain": dict.fromkeys(parties, 0.1),
            "exposure": dict.fromkeys(parties, 0.1),
            "penalty": dict.fromkeys(parties, 0.3),
            "detection": 0.5,
        },
    }
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    outcome = sim.analyse(path)
    assert any("the compliance game: 13 players" in n for n in outcome.games.not_built)
    assert outcome.bargaining.results[0].agreed is not None
    odds = sim.uncertainty([path], draws=10, seed=1, sensitivity=False).document()
    assert odds["scenarios"]["many"]["bargaining"]
