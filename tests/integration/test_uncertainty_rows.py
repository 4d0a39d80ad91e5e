"""draws.csv's rows are formatted block by block as the blocks arrive (while the workers
compute the others); the file is the same bytes as formatting each scenario's draws at the end.

Oracle: the same run with the writer's block formatting switched off, so that draws.csv is
written from the assembled results (the way it was written before blocks were formatted as
they arrived).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.runs import uncertainty_record
from sim.runs.uncertainty import uncertainty
from sim.runs.uncertainty_record import RunWriter, _rows_text
from tests.conftest import FIXTURES, WAR

SCENARIOS = [WAR / "baseline.yaml", FIXTURES / "toy" / "base.yaml"]
"""Two structures; the war fixture's blocks hold 4,096 draws, so 9,000 draws are three blocks,
the second with bargaining over time for part of its draws and the third without."""


def draws_csv(folder: Path, *, by_block: bool) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        if not by_block:
            patch.setattr(RunWriter, "take_block", lambda self, *args: None)
        uncertainty(
            SCENARIOS,
            draws=9000,
            seed=5,
            strategic_draws=5000,
            sensitivity=False,
            record=True,
            out=folder,
            executor="serial",
        )
    return (folder / "draws.csv").read_bytes()


def test_rows_formatted_block_by_block_are_the_rows_of_the_whole(tmp_path: Path) -> None:
    by_block = draws_csv(tmp_path / "by_block", by_block=True)
    assert by_block == draws_csv(tmp_path / "whole", by_block=False)
    assert by_block.count(b"\n") == 1 + 2 * 9000


def test_a_block_formatted_from_the_wrong_draw_is_caught(tmp_path: Path) -> None:
    """The comparison above can fail: a block's rows labelled and drawn from draw 0 instead of
    its first draw differ from the whole's."""

    def from_zero(structure: Any, part: Any, first: int, *args: Any) -> str:
        return _rows_text(structure, part, 0, *args)

    whole = draws_csv(tmp_path / "whole", by_block=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uncertainty_record, "_rows_text", from_zero)
        wrong = draws_csv(tmp_path / "wrong", by_block=True)
    assert wrong != whole
