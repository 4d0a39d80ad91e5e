"""The compliance game's option contributions (detection by option, protection by option and
side) drawn like its other numbers: every draw as the one-draw path judges the drawn scenario
compiled again, the vectorised path equal to it, and the drawn values used."""

from __future__ import annotations

from pathlib import Path

from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import build_structure
from sim.montecarlo.strategic import strategic_block
from tests.unit.test_montecarlo_induction import assert_equal_blocks
from tests.unit.test_montecarlo_strategic import check

REPO = Path(__file__).resolve().parents[2]


def write_drawn_options(folder: Path) -> Path:
    """The toy with only the options' contributions to detection and protection drawn (wide,
    so that they decide some compliance games), and the gain high enough to tempt."""
    toy = REPO / "tests" / "fixtures" / "toy" / "base.yaml"
    (folder / "base.yaml").write_text(toy.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "options.yaml"
    path.write_text(
        "extends: base.yaml\nname: options\n"
        "set:\n  compliance.gain.a: 0.3\n  compliance.gain.b: 0.3\n"
        "uncertainty:\n  vary:\n"
        "    compliance.detection_options.*.*: {uniform: [0.0, 1.0]}\n"
        "    compliance.protection.*.*.*: {uniform: [0.0, 1.0]}\n",
        encoding="utf-8",
    )
    return path


def test_option_contributions_are_drawn_and_equal_analyse_strategy(tmp_path: Path) -> None:
    path = write_drawn_options(tmp_path)
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    assert {j.path for j in judgments} == {
        "compliance.detection_options.status.neutral",
        "compliance.protection.b.border.middle",
    }
    assert {j.kind for j in judgments} == {"compliance"}
    agreed, judged = check(path, 40, 5)  # per draw against the drawn scenario compiled again
    assert agreed > 0 and judged > 0
    structure = build_structure(loaded, judgments)
    block = strategic_block(structure, draw_block(judgments, 5, 0, 40))
    verdicts = set(block.self_enforcing[block.self_enforcing >= 0].tolist())
    assert verdicts == {0, 1}  # the drawn contributions decide some games


def test_option_contributions_vectorised_equal_one_draw_at_a_time(tmp_path: Path) -> None:
    agreed, judged = assert_equal_blocks(write_drawn_options(tmp_path), 200, 9)
    assert agreed > 0 and judged > 0
