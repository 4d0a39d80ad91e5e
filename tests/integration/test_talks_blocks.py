"""Why talks fail in `sim uncertainty` is computed in the run's blocks: on any executor, saved
with each block and resumed with it. Oracles: the serial run's arrays (for worker processes
and for a resumed run) and the one-draw-at-a-time block over the same draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim.runs.uncertainty_blocks as blocks_module
from sim.model import load_many
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import build_structure
from sim.montecarlo.talks import talks_block
from sim.runs.uncertainty import resume_uncertainty, uncertainty
from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "talks" / "two_party.yaml"
UNCERTAINTY = """
uncertainty:
  vary:
    war.prevail: {uniform: [0.42, 0.58]}
    war.drift: {uniform: [0.0, 0.025]}
  evidence: [{assumption: "Test spreads."}]
"""
OPTIONS = {"draws": 150, "seed": 4, "sensitivity": False}
FIELDS = ("p_agreement_by", "expected_month", "p_breakdown", "commitment_problem")


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 40 draws (the plan is made in this process; workers compute its items)."""
    monkeypatch.setattr(blocks_module, "BLOCK_DRAWS", 40)
    monkeypatch.setattr(blocks_module, "block_size", lambda structure: 40)


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "two_party.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + UNCERTAINTY, encoding="utf-8")
    return path


def talks_of(result):  # type: ignore[no-untyped-def]
    talks = result.scenarios[0].draws.talks
    assert talks is not None
    return talks


@pytest.mark.usefixtures("small_blocks")
def test_blocks_hold_the_talks_of_every_draw_on_every_executor(scenario: Path) -> None:
    serial = uncertainty([scenario], **OPTIONS)
    talks = talks_of(serial)
    assert talks.p_breakdown.shape == (150,)
    loaded = load_many(str(scenario))[0]
    judgments = resolve_judgments(loaded)
    direct = talks_block(build_structure(loaded, judgments), draw_block(judgments, 4, 0, 150))
    for name in FIELDS:
        assert np.array_equal(getattr(talks, name), getattr(direct, name), equal_nan=True), name
    assert len({round(float(m), 6) for m in talks.expected_month}) > 1  # the draws matter
    workers = uncertainty([scenario], executor="processes", workers=2, **OPTIONS)
    assert workers.document() == serial.document()
    for name in FIELDS:
        assert np.array_equal(
            getattr(talks_of(workers), name), getattr(talks, name), equal_nan=True
        ), name


@pytest.mark.usefixtures("small_blocks")
def test_a_resumed_run_reads_the_saved_talks(scenario: Path, tmp_path: Path) -> None:
    whole = uncertainty([scenario], out=tmp_path / "a", **OPTIONS)
    calls = [0]

    def stop_after_two(done: int, total: int) -> None:
        calls[0] += 1
        if calls[0] > 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        uncertainty([scenario], out=tmp_path / "b", progress=stop_after_two, **OPTIONS)
    saved = sorted((tmp_path / "b" / "blocks").glob("*.npz"))
    assert 1 <= len(saved) < 4
    with np.load(saved[0]) as data:
        assert data["talks_breakdown"].shape == (40,)
    resumed = resume_uncertainty(tmp_path / "b")
    assert resumed.document() == whole.document()
    for name in FIELDS:
        assert np.array_equal(
            getattr(talks_of(resumed), name), getattr(talks_of(whole), name), equal_nan=True
        ), name


@pytest.mark.usefixtures("small_blocks")
def test_a_block_saved_without_the_talks_is_computed_again(scenario: Path, tmp_path: Path) -> None:
    """Mutation of a saved block (its talks arrays emptied, as a block of another plan would
    be): the store refuses it and the resumed run computes it again."""
    whole = uncertainty([scenario], out=tmp_path / "a", **OPTIONS)
    folder = tmp_path / "a" / "blocks"
    first = sorted(folder.glob("*.npz"))[0]
    with np.load(first) as data:
        arrays = {k: data[k] for k in data.files}
    item = {"scenario": 0, "start": 0, "stop": 40, "strategic": 40, "talks": True}
    store = blocks_module.BlockStore(tmp_path / "a")
    assert store.load(item) is not None
    arrays = {**arrays, **{k: arrays[k][:0] for k in blocks_module.TALKS}}
    np.savez(first, **arrays)
    assert store.load(item) is None
    assert whole.document()["scenarios"]["two_party"]["talks"]["draws"] == 150
