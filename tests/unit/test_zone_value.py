"""What the zone is worth per draw (joint surplus, each party's range, reservations, options'
shares), checked draw by draw against a brute force over every bundle of the drawn scenario
compiled again."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.compile import compile_problem
from sim.core.utility import ACCEPT_TOL
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.runs.uncertainty import uncertainty

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"
VARY = {
    "parties.*.weights.*": {"relative": 0.6},
    "parties.*.values.border.*": {"jitter": 0.3},
    "parties.*.reservation.cost": {"uniform": [-0.4, 0.3]},
    "levers.aid.value": {"uniform": [0.0, 2.0]},
}


def scenario(folder: Path, name: str = "valued", **extra: object) -> Path:
    (folder / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    document = {"name": name, "extends": "base", "uncertainty": {"vary": VARY}, **extra}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def brute_force(row: dict[str, float], path: Path) -> tuple[float, list, list, list, list]:
    """Surplus, each judge's least and greatest utility in the zone, reservations and the
    acceptable bundles of one drawn scenario, by enumerating every bundle."""
    problem = compile_problem(load_scenario(path).raw().with_overrides(row).scenario)
    judges = problem.judges.tolist()
    best, low, high, zone = -np.inf, [np.inf] * len(judges), [-np.inf] * len(judges), []
    for digits in itertools.product(*(range(len(o)) for o in problem.options)):
        if any(problem.red_lines[k][j, o] for k, o in enumerate(digits) for j in judges):
            continue
        u = [sum(problem.tables[k][j, o] for k, o in enumerate(digits)) for j in judges]
        if any(u[c] < problem.reservation[j] - ACCEPT_TOL for c, j in enumerate(judges)):
            continue
        zone.append(digits)
        best = max(best, sum(u[c] - problem.reservation[j] for c, j in enumerate(judges)))
        low = [min(a, b) for a, b in zip(low, u, strict=True)]
        high = [max(a, b) for a, b in zip(high, u, strict=True)]
    return best, low, high, [float(problem.reservation[j]) for j in judges], zone


def test_every_draw_matches_the_brute_force(tmp_path: Path) -> None:
    path = scenario(tmp_path)
    draws = 120
    result = uncertainty(path, draws=draws, seed=4, sensitivity=False, strategic_draws=0)
    found = result["valued"].draws
    judgments = found.judgments
    drawn = draw_block(judgments, 4, 0, draws)
    measures = found.measures
    assert measures is not None
    zones, counts = 0, {}
    for d in range(draws):
        row = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        best, low, high, reservation, zone = brute_force(row, path)
        assert measures.reservations[d].tolist() == pytest.approx(reservation, abs=1e-12)
        if not zone:
            assert np.isnan(measures.surplus[d]) and np.isnan(measures.utility_low[d]).all()
            continue
        zones += 1
        assert measures.surplus[d] == pytest.approx(best, abs=1e-12), d
        assert measures.utility_low[d].tolist() == pytest.approx(low, abs=1e-12), d
        assert measures.utility_high[d].tolist() == pytest.approx(high, abs=1e-12), d
        for digits in zone:
            counts[digits] = counts.get(digits, 0) + 1
    assert 0 < zones < draws  # the draws move the zone in and out of existence
    value = result["valued"].summary.zone_value
    assert value is not None
    total = sum(counts.values())
    border = {o: sum(c for b, c in counts.items() if b[0] == i) / total for i, o in
              enumerate(("west", "middle", "east"))}  # fmt: skip
    assert value.options["border"] == pytest.approx(border, abs=1e-12)
    surplus = np.nan_to_num(measures.surplus, nan=0.0)
    assert value.surplus.mean == pytest.approx(surplus.mean(), abs=1e-12)


def test_a_variant_reports_the_shift_of_each_reservation(tmp_path: Path) -> None:
    """Halving aid raises a's reservation (aid lowers a's odds of prevailing): the paired
    shift of a's reservation is positive, b's negative, and the surplus difference pairs the
    same draws."""
    parent = scenario(tmp_path)
    child = tmp_path / "less_aid.yaml"
    child.write_text(
        yaml.safe_dump({"name": "less_aid", "extends": "valued", "set": {"levers.aid.value": 0.5}}),
        encoding="utf-8",
    )
    vary = {k: v for k, v in VARY.items() if k != "levers.aid.value"}
    (tmp_path / "valued.yaml").write_text(
        yaml.safe_dump({"name": "valued", "extends": "base", "uncertainty": {"vary": vary}}),
        encoding="utf-8",
    )
    result = uncertainty([parent, child], draws=200, seed=2, sensitivity=False)
    versus = result["less_aid"].summary.versus_parent
    assert versus is not None and versus.reservations is not None and versus.surplus is not None
    assert versus.parent == "valued"
    assert versus.reservations["a"].difference > 0 > versus.reservations["b"].difference
    a, b = result["less_aid"].draws.measures, result["valued"].draws.measures
    assert a is not None and b is not None
    expected = (np.nan_to_num(a.surplus) - np.nan_to_num(b.surplus)).mean()
    assert versus.surplus.difference == pytest.approx(expected, abs=1e-12)


def test_the_text_and_the_report_lead_with_the_zones_worth(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sim.cli import app
    from sim.report.uncertainty_text import render_uncertainty

    folder = tmp_path / "run"
    result = uncertainty(scenario(tmp_path), draws=100, seed=1, out=folder)
    measures = result["valued"].draws.measures
    assert measures is not None
    zone = ~np.isnan(measures.surplus)
    median = np.quantile(measures.surplus[zone], 0.5, method="inverted_cdf")
    text = render_uncertainty(result.summary)
    worth = text.index("what the zone is worth")
    assert worth < text.index("acceptable bundles:")  # before the counts
    assert f"joint surplus above the veto parties' reservations {median:.2f} [5-95%:" in text
    out = tmp_path / "report.md"
    args = ["report", str(folder), "--format", "markdown", "--out", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    page = out.read_text(encoding="utf-8")
    low = np.quantile(measures.utility_low[zone, 0], 0.5, method="inverted_cdf")
    assert "| party | reservation | least in the zone | most in the zone |" in page
    reservation = np.quantile(measures.reservations[:, 0], 0.5, method="inverted_cdf")
    assert f"| a | {reservation:.2f} (" in page and f" | {low:.2f} (" in page


def test_the_continuous_tornado_matches_the_brute_force(tmp_path: Path) -> None:
    """Each judgment alone at an end of its spread: the surplus the swings report equals the
    brute force on the scenario with that one value moved; a judgment of a party without a
    veto moves nothing."""
    from sim.montecarlo.draws import support

    vary = {**VARY, "parties.c.weights.border": {"uniform": [0.5, 2.0]}}
    path = scenario(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["uncertainty"]["vary"] = vary
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = uncertainty(path, draws=60, seed=1, strategic_draws=0)
    sensitivity = result["valued"].summary.sensitivity
    assert sensitivity is not None
    swings = sensitivity.document["swings"]
    judgments = {j.path: j for j in result["valued"].draws.judgments}
    stated = {p: j.base for p, j in judgments.items()}
    assert swings["stated_surplus"] == pytest.approx(brute_force(stated, path)[0], abs=1e-12)
    assert swings["judgments"], "some judgment moves the surplus"
    for row in swings["judgments"]:
        low, high = support(judgments[row["path"]])
        for end, key in ((low, "surplus_at_low"), (high, "surplus_at_high")):
            best = brute_force({**stated, row["path"]: end}, path)[0]
            assert row[key] == pytest.approx(
                max(best, 0.0) if np.isfinite(best) else 0.0, abs=1e-12
            )
        assert row["swing"] == pytest.approx(abs(row["surplus_at_high"] - row["surplus_at_low"]))
    swing = {r["path"]: r["swing"] for r in swings["judgments"]}
    assert swing.get("parties.c.weights.border", 0.0) == 0.0
    ranked = [r["swing"] for r in swings["judgments"]]
    assert ranked == sorted(ranked, reverse=True)
