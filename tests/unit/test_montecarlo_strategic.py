"""Bargaining over time and compliance per draw equal `analyse_strategy` on the drawn scenario
(overrides applied, validated and compiled again), draw by draw."""

from __future__ import annotations

from pathlib import Path

from sim.analysis.strategy import analyse_strategy
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.induction import simulate_strategic
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import build_structure
from sim.montecarlo.strategic import bargaining_summary, strategic_block
from tests.conftest import WAR
from tests.unit.test_montecarlo_induction import write_terms

REPO = Path(__file__).resolve().parents[2]


def check(path: Path, draws: int, seed: int) -> tuple[int, int]:
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, seed, 0, draws)
    block = strategic_block(structure, drawn)
    raw = loaded.raw()
    agreed = judged = 0
    for d in range(draws):
        overrides = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        strategy = analyse_strategy(raw.with_overrides(overrides))
        assert len(strategy.bargaining) == len(block.names)
        many = strategy.many_sided.compliance if strategy.many_sided is not None else ()
        enforcing = {
            r.game.bundle: r.self_enforcing
            for r in (*strategy.compliance, *many)
            if r.self_enforcing is not None
        }
        for r, result in enumerate(strategy.bargaining):
            expected_bundle = -1 if result.bundle is None else result.bundle
            expected_period = -1 if result.bundle is None else result.agreement_period
            assert block.bundle[d, r] == expected_bundle, (d, r)
            assert block.period[d, r] == expected_period, (d, r)
            expected = int(enforcing[result.bundle]) if result.bundle in enforcing else -1
            assert block.self_enforcing[d, r] == expected, (d, r)
            agreed += result.bundle is not None
            judged += expected >= 0
    return agreed, judged


def test_war_fixture_draws_equal_analyse_strategy() -> None:
    """Three protocol runs a draw (alternating offers both ways, mediated), beliefs by side,
    consent; the interim ceasefire's war drifts fast enough that some agreements wait."""
    agreed, judged = check(WAR / "baseline.yaml", 12, 5)
    assert 0 < agreed < 12 * 3 and judged > 0  # both outcomes occur
    check(WAR / "interim_ceasefire.yaml", 8, 6)
    loaded = load_scenario(WAR / "interim_ceasefire.yaml")
    structure = build_structure(loaded, resolve_judgments(loaded))
    block = strategic_block(structure, draw_block(structure.judgments, 6, 0, 8))
    assert block.period.max() > 0  # the equality above covers agreements that wait


def test_toy_with_a_mediator_and_compliance_equals_analyse_strategy() -> None:
    agreed, judged = check(REPO / "tests" / "fixtures" / "toy" / "base.yaml", 15, 2)
    assert agreed > 0 and judged > 0


def test_war_terms_and_beliefs_equal_analyse_strategy(tmp_path: Path) -> None:
    """Drawn completions of the terms each side imposes, drawn beliefs by side and a drifting
    war; a mediator whose leverage war states neither win nor lose."""
    agreed, judged = check(write_terms(tmp_path), 25, 8)
    assert 0 < agreed < 25 * 3 and judged > 0


def test_blocks_and_summary() -> None:
    loaded = load_scenario(REPO / "tests" / "fixtures" / "toy" / "base.yaml")
    structure = build_structure(loaded, resolve_judgments(loaded))
    whole = simulate_strategic(structure, 40, 3)
    again = strategic_block(structure, draw_block(structure.judgments, 3, 20, 40))
    assert (whole.period[20:] == again.period).all() and (whole.bundle[20:] == again.bundle).all()
    summary = bargaining_summary(whole)
    assert summary.draws == 40
    for name, entry in summary.protocols.items():
        share = (whole.period[:, whole.names.index(name)] >= 0).mean()
        assert entry.agreement.p == share
        assert abs(sum(entry.period.distribution.values()) - share) < 1e-12
    # the earliest agreement over the protocols, draw by draw
    agreed = whole.period >= 0
    earliest = [
        int(row[ok].min()) for row, ok in zip(whole.period, agreed, strict=True) if ok.any()
    ]
    overall = summary.period.distribution
    assert abs(sum(overall.values()) - summary.agreement.p) < 1e-12
    assert overall == {str(p): earliest.count(p) / 40 for p in sorted(set(earliest))}


def write_drawn_compliance(folder: Path) -> Path:
    """The toy scenario with its compliance game's scalars drawn (gain, exposure, penalty,
    detection) besides the fallback spreads of values and weights."""
    toy = REPO / "tests" / "fixtures" / "toy" / "base.yaml"
    (folder / "base.yaml").write_text(toy.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "drawn.yaml"
    path.write_text(
        "extends: base.yaml\nname: drawn\nuncertainty:\n  vary:\n"
        "    parties.*.values.*.*: {jitter: 0.05}\n"
        "    compliance.gain.*: {uniform: [0.0, 0.6]}\n"
        "    compliance.exposure.*: {jitter: 0.1}\n"
        "    compliance.penalty.*: {jitter: 0.2}\n"
        "    compliance.detection: {uniform: [0.0, 0.9]}\n",
        encoding="utf-8",
    )
    return path


def test_drawn_compliance_parameters_equal_analyse_strategy(tmp_path: Path) -> None:
    """The compliance game's scalars drawn: every draw as `analyse_strategy` judges the drawn
    scenario, and the verdicts differ across draws (the drawn values are used)."""
    path = write_drawn_compliance(tmp_path)
    loaded = load_scenario(path)
    assert any(j.path == "compliance.detection" for j in resolve_judgments(loaded))
    agreed, judged = check(path, 30, 3)
    assert agreed > 0 and judged > 0
    structure = build_structure(loaded, resolve_judgments(loaded))
    block = strategic_block(structure, draw_block(structure.judgments, 3, 0, 30))
    verdicts = set(block.self_enforcing[block.self_enforcing >= 0].tolist())
    assert verdicts == {0, 1}
