"""`sim negotiate` and `sim tournament` from the command line: run folders, JSON, Genius
domains, and bad input (exit status 2, one message, no traceback)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.agents.result import NegotiationResult
from sim.cli import app
from tests.conftest import FIXTURES, WAR

NEGMAS = FIXTURES / "agents" / "negmas_price.yaml"
GENIUS = FIXTURES / "genius"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_negotiate_prints_json_and_writes_a_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, stdout, stderr = run(
        [
            "negotiate",
            str(NEGMAS),
            "--agents",
            "boulware,linear",
            "--rounds",
            "20",
            "--json",
            "--out",
            str(out),
        ]
    )
    assert code == 0, stderr
    document = json.loads(stdout)
    assert document["agreement"]["bundle"] == {"price": "p35"}
    assert document["agreed_round"] == 15
    assert document["agents"] == {"seller": "boulware", "buyer": "linear"}
    assert document["trace"][0] == {
        "turn": 0,
        "round": 0,
        "proposer": "seller",
        "index": 49,
        "bundle": {"price": "p49"},
        "utilities": {"seller": 1.0, "buyer": 0.0},
        "accepted_by": [],
        "rejected_by": "buyer",
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["kind"], manifest["status"], manifest["seed"]) == (
        "negotiation",
        "complete",
        0,
    )
    stored = json.loads((out / "outcomes" / "negmas_price.json").read_text())
    assert stored == document
    assert NegotiationResult.from_json(stored).to_json() == stored
    [row] = list(csv.DictReader((out / "outcomes.csv").open()))
    assert (row["agent_seller"], row["agreed"], row["agreement"]) == ("boulware", "true", "35")
    assert (out / "negotiation.svg").read_text().lstrip().startswith("<svg")


def test_the_same_negotiation_gives_the_same_table_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        code, _, stderr = run(
            [
                "negotiate",
                str(NEGMAS),
                "--agents",
                "random,tit-for-tat",
                "--seed",
                "7",
                "--protocol",
                "mediated",
                "--out",
                str(tmp_path / name),
            ]
        )
        assert code == 0, stderr
    assert (tmp_path / "a" / "outcomes.csv").read_bytes() == (
        tmp_path / "b" / "outcomes.csv"
    ).read_bytes()


@pytest.fixture
def holiday(tmp_path: Path) -> Path:
    target = tmp_path / "holiday.yaml"
    code, _, stderr = run(
        [
            "import",
            "genius",
            str(GENIUS / "holiday_domain.xml"),
            str(GENIUS / "holiday_alice.xml"),
            str(GENIUS / "holiday_bob.xml"),
            "--out",
            str(target),
        ]
    )
    assert code == 0, stderr
    return target


def test_negotiate_and_tournament_on_an_imported_genius_domain(
    tmp_path: Path, holiday: Path
) -> None:
    code, stdout, stderr = run(
        ["negotiate", str(holiday), "--agents", "conceder,boulware", "--no-record"]
    )
    assert code == 0, stderr
    assert "agreement in round" in stdout or "breakdown at the deadline" in stdout
    out = tmp_path / "tournament"
    agents = "boulware,linear,conceder,tit-for-tat,hardliner,random,equilibrium"
    code, stdout, stderr = run(
        [
            "tournament",
            str(holiday),
            "--agents",
            agents,
            "--rounds",
            "30",
            "--seeds",
            "2",
            "--executor",
            "processes",
            "--workers",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 0, stderr
    rows = list(csv.DictReader((out / "outcomes.csv").open()))
    assert len(rows) == 7 * 6 * 2  # ordered pairs of distinct agents, two seeds
    standings = list(csv.DictReader((out / "agents.csv").open()))
    assert [s["agent"] for s in standings] == agents.split(",")
    assert all(s["negotiations"] == str(2 * 6 * 2) for s in standings)
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    assert (out / "tournament.svg").exists()


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_parallel_and_serial_tournaments_agree(
    tmp_path: Path, holiday: Path, executor: str
) -> None:
    if executor == "dask":
        pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    for kind in ("serial", executor):
        code, _, stderr = run(
            [
                "tournament",
                str(holiday),
                "--agents",
                "random,linear,boulware",
                "--seeds",
                "3",
                "--executor",
                kind,
                "--workers",
                "2",
                "--out",
                str(tmp_path / kind),
            ]
        )
        assert code == 0, stderr
    assert (tmp_path / "serial" / "outcomes.csv").read_bytes() == (
        tmp_path / executor / "outcomes.csv"
    ).read_bytes()


BAD = {
    "unknown_agent": (
        ["negotiate", str(NEGMAS), "--agents", "boulware,shark"],
        ["--agents", "unknown agent 'shark'"],
    ),
    "zero_rounds": (
        ["negotiate", str(NEGMAS), "--agents", "linear,linear", "--rounds", "0"],
        ["--rounds", "at least 1 round, got 0"],
    ),
    "zero_exponent": (
        ["negotiate", str(NEGMAS), "--agents", "time:0,linear"],
        ["--agents", "exponent must be a finite number > 0, got 0"],
    ),
    "negative_exponent": (
        ["tournament", str(NEGMAS), "--agents", "time:-2,linear"],
        ["--agents", "exponent must be a finite number > 0, got -2"],
    ),
    "one_agent_tournament": (
        ["tournament", str(NEGMAS), "--agents", "boulware"],
        ["negmas_price.yaml", "parties", "2 negotiating (veto) parties", "needs at least 2, got 1"],
    ),
    "agents_for_parties": (
        ["negotiate", str(NEGMAS), "--agents", "linear"],
        ["--agents", "2 negotiating (veto) parties", "1 agents given"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gives_one_message_and_exit_2(case: str) -> None:
    args, fragments = BAD[case]
    code, stdout, stderr = run(args)
    assert code == 2
    assert "Traceback" not in stdout + stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_war_negotiation_offers_only_bundles_on_the_table() -> None:
    """The war fixture: every offer respects the red lines and consent."""
    from sim.agents.agents import agent_kinds
    from sim.agents.negotiate import negotiate, table_of
    from sim.api import load_scenarios

    [loaded] = load_scenarios(str(WAR / "baseline.yaml"))
    table = table_of(loaded)
    assert table.size == 40  # of 144: red lines leave 48, the broker's consent takes 8 more
    result = negotiate(loaded, agent_kinds("boulware,conceder"), rounds=100)
    on_table = set(table.indices.tolist())
    assert all(entry.offer.index in on_table for entry in result.trace)
    assert result.summary.agreed


def test_report_plot_and_compare_read_negotiation_and_tournament_runs(
    tmp_path: Path, holiday: Path
) -> None:
    for name, agents in (("a", "boulware,linear"), ("b", "conceder,linear")):
        code, _, stderr = run(
            ["negotiate", str(holiday), "--agents", agents, "--out", str(tmp_path / name)]
        )
        assert code == 0, stderr
    code, stdout, stderr = run(["compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert code == 0, stderr
    assert "1 row matched" in stdout
    report = tmp_path / "negotiation.html"
    code, _, stderr = run(["report", str(tmp_path / "a"), "--out", str(report)])
    assert code == 0, stderr
    html = report.read_text()
    assert "holiday: stacked negotiation" in html and "Every offer, in order." in html
    assert html.count("<svg") >= 1
    code, _, stderr = run(
        [
            "tournament",
            str(holiday),
            "--agents",
            "boulware,linear,random",
            "--seeds",
            "2",
            "--out",
            str(tmp_path / "t"),
        ]
    )
    assert code == 0, stderr
    markdown = tmp_path / "tournament.md"
    code, _, stderr = run(
        ["report", str(tmp_path / "t"), "--out", str(markdown), "--format", "markdown"]
    )
    assert code == 0, stderr
    text = markdown.read_text()
    assert "## The tournament" in text and "| boulware | 8 |" in text
    code, _, stderr = run(
        ["plot", str(tmp_path / "t"), "tournament", "--out", str(tmp_path / "t.svg")]
    )
    assert code == 0, stderr
    assert "<svg" in (tmp_path / "t.svg").read_text()


def test_a_deadline_too_long_for_the_equilibrium_fails_fast(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sim.agents.agents.EQUILIBRIUM_LIMIT", 50 * 2 * 20)
    code, _, stderr = run(["negotiate", str(NEGMAS), "--agents", "linear,linear", "--rounds", "21"])
    assert code == 2
    assert stderr.strip() == (
        "--rounds: the equilibrium of 21 rounds (42 turns) over 50 bundles on the table is "
        "2,100 cells, more than the limit of 2,000; give fewer rounds"
    )
    code, _, stderr = run(
        ["negotiate", str(NEGMAS), "--agents", "linear,linear", "--rounds", "20", "--no-record"]
    )
    assert code == 0, stderr


def test_a_tournament_larger_than_the_limit_fails_before_playing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIM_MAX_POINTS", "11")
    # 4 agents on 2 parties: 4 x 3 = 12 assignments, one seed: 12 negotiations.
    code, _, stderr = run(
        ["tournament", str(NEGMAS), "--agents", "boulware,linear,conceder,random", "--no-record"]
    )
    assert code == 2
    assert (
        stderr.strip()
        == "tournament: 12 points, more than the limit of 11 (raise it with --max-points N)"
    )
    code, _, stderr = run(
        [
            "tournament",
            str(NEGMAS),
            "--agents",
            "boulware,linear,conceder,random",
            "--no-record",
            "--max-points",
            "12",
        ]
    )
    assert code == 0, stderr


def test_an_interrupted_tournament_resumes_to_the_same_tables(
    tmp_path: Path, holiday: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.agents import tournament as tournament_module
    from sim.runs.store import RowStore

    args = ["tournament", str(holiday), "--agents", "random,linear,boulware,conceder",
            "--seeds", "4", "--workers", "3"]  # fmt: skip
    code, _, stderr = run([*args, "--out", str(tmp_path / "whole")])
    assert code == 0, stderr
    append = RowStore.append
    saved: list[int] = []

    def then_stop(self: RowStore, finished: list[tuple[int, dict[str, object]]]) -> None:
        append(self, finished)
        saved.extend(i for i, _ in finished)
        raise KeyboardInterrupt

    monkeypatch.setattr(RowStore, "append", then_stop)
    code, _, _ = run([*args, "--out", str(tmp_path / "cut")])
    assert code != 0
    manifest = json.loads((tmp_path / "cut" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not (tmp_path / "cut" / "outcomes.csv").exists()
    monkeypatch.setattr(RowStore, "append", append)
    played: list[int] = []
    original = tournament_module.play

    def counted(*a: object, **k: object) -> object:
        played.append(1)
        return original(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(tournament_module, "play", counted)
    code, _, stderr = run([*args, "--resume", str(tmp_path / "cut")])
    assert code == 0, stderr
    total = 4 * 3 * 4  # ordered pairs of 4 agents, 4 seeds
    assert 0 < len(saved) < total and len(played) == total - len(saved)
    for name in ("outcomes.csv", "agents.csv"):
        assert (tmp_path / "cut" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert json.loads((tmp_path / "cut" / "manifest.json").read_text())["status"] == "complete"
    code, _, stderr = run([*args[:-4], "--seeds", "5", "--resume", str(tmp_path / "cut")])
    assert code == 2
    assert "the tournament given differs from the one recorded there" in stderr


UNCERTAIN_PRICE = """name: price
issues:
  price:
    options: {p0: low, p1: mid, p2: high}
parties:
  seller:
    reservation: 0.2
    weights: {price: 1}
    values:
      price: {p0: 0.0, p1: 0.5, p2: 1.0}
  buyer:
    reservation: 0.2
    weights: {price: 1}
    values:
      price: {p0: 1.0, p1: 0.5, p2: 0.0}
uncertainty:
  defaults:
    values: {jitter: 0.0}
    weights: {jitter: 0.0}
  vary:
    parties.*.reservation: {uniform: [0.1, 0.4]}
"""


def drawn_reservations(tmp_path: Path, scenario: Path, seed: int) -> dict[int, tuple[float, float]]:
    """Each draw's reservations as `sim uncertainty` records them (draws.csv)."""
    out = tmp_path / f"u{seed}"
    code, _, stderr = run(
        ["uncertainty", str(scenario), "--draws", "6", "--seed", str(seed), "--out", str(out)]
    )
    assert code == 0, stderr
    return {
        int(row["draw"]): (
            float(row["parties.seller.reservation"]),
            float(row["parties.buyer.reservation"]),
        )
        for row in csv.DictReader((out / "draws.csv").open())
    }


@pytest.mark.parametrize("uncertainty_seed", [3, 4])
def test_tournament_draws_are_the_uncertainty_engines_draws(
    tmp_path: Path, uncertainty_seed: int
) -> None:
    """A hard-liner and a tit-for-tat never concede, so every negotiation breaks down and
    gives the drawn reservations: they must be `sim uncertainty`'s draws of the same seed
    (seed 3); with another seed (4, the mutation) they are not."""
    scenario = tmp_path / "price.yaml"
    scenario.write_text(UNCERTAIN_PRICE, encoding="utf-8")
    expected = drawn_reservations(tmp_path, scenario, uncertainty_seed)
    out = tmp_path / "t"
    code, _, stderr = run(
        ["tournament", str(scenario), "--agents", "hardliner,tit-for-tat", "--draws", "6",
         "--draw-seed", "3", "--out", str(out)]
    )  # fmt: skip
    assert code == 0, stderr
    rows = list(csv.DictReader((out / "outcomes.csv").open()))
    assert len(rows) == 2 * 6
    assert {int(r["draw"]) for r in rows} == set(range(6))
    assert all(r["agreed"] == "false" for r in rows)
    same = all(
        r["party_0"] == "seller"
        and abs(float(r["utility_0"]) - expected[int(r["draw"])][0]) < 1e-9
        and abs(float(r["utility_1"]) - expected[int(r["draw"])][1]) < 1e-9
        for r in rows
    )
    assert same == (uncertainty_seed == 3)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tournament"]["draws"] == 6 and "draw" in manifest["keys"]


HOSTILE = [
    ["negotiate", str(NEGMAS), "--agents", ""],
    ["negotiate", str(NEGMAS), "--agents", ","],
    ["negotiate", str(NEGMAS), "--agents", "time:,linear"],
    ["negotiate", str(NEGMAS), "--agents", "time:nan,linear"],
    ["negotiate", str(NEGMAS), "--agents", "time:inf,linear"],
    ["negotiate", str(NEGMAS), "--agents", "linear,linear,linear"],
    ["negotiate", str(NEGMAS), "--agents", "linear,linear", "--rounds", "-5"],
    ["negotiate", str(NEGMAS), "--agents", "linear,linear", "--rounds", "100001"],
    ["negotiate", str(NEGMAS), "--agents", "linear,linear", "--protocol", "auction"],
    ["negotiate", "missing/nowhere.yaml", "--agents", "linear,linear"],
    ["negotiate", str(FIXTURES / "toy"), "--agents", "linear,linear"],
    ["negotiate", str(FIXTURES / "trade" / "three_party.yaml"), "--agents", "linear,linear"],
    ["tournament", str(NEGMAS), "--agents", "boulware,boulware"],
    ["tournament", str(NEGMAS), "--agents", "boulware,linear", "--seeds", "0"],
    ["tournament", str(NEGMAS), "--agents", "boulware,linear", "--executor", "threads"],
    ["tournament", str(NEGMAS), "--agents", "boulware,linear", "--scheduler", "tcp://x:1"],
    ["tournament", str(NEGMAS), "--agents", "boulware,linear", "--resume", str(NEGMAS)],
    ["tournament", str(NEGMAS), "--agents", "boulware,linear", "--no-record", "--draws", "-1"],
]


@pytest.mark.parametrize("args", HOSTILE, ids=[" ".join(a[2:]) or a[0] for a in HOSTILE])
def test_hostile_arguments_exit_2_with_a_message(args: list[str]) -> None:
    code, stdout, stderr = run(args)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert stderr.strip()
