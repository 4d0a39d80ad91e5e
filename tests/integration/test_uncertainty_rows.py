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

import sim.montecarlo.static as static
from sim.runs import uncertainty_blocks, uncertainty_record
from sim.runs.uncertainty import uncertainty
from sim.runs.uncertainty_record import RunWriter, _rows_text
from tests.conftest import FIXTURES, WAR

SCENARIOS = [WAR / "baseline.yaml", WAR / "sanctions_threat.yaml", FIXTURES / "toy" / "base.yaml"]
"""Three structures, in blocks of 700 draws (so 2,000 draws are three blocks, the second with
bargaining over time for part of its draws and the third without), drawn in pieces of 16 for
the war fixture. The two war scenarios draw some judgments alike (common random numbers) and
some not."""
DRAWS = 2000


def draws_csv(folder: Path, *, by_block: bool) -> bytes:
    """The run's draws.csv; ``by_block`` False: written from the assembled results, each
    drawn column formatted afresh (none kept)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uncertainty_blocks, "BLOCK_DRAWS", 700)
        patch.setattr(static, "BLOCK_CELLS", 144 * 16)
        if not by_block:
            patch.setattr(RunWriter, "take_block", lambda self, *args: None)
            patch.setattr(uncertainty_record, "FORMATTED_LIMIT", 0)
        uncertainty(
            SCENARIOS,
            draws=DRAWS,
            seed=5,
            strategic_draws=1000,
            sensitivity=False,
            record=True,
            out=folder,
            executor="serial",
        )
    return (folder / "draws.csv").read_bytes()


def test_rows_formatted_block_by_block_are_the_rows_of_the_whole(tmp_path: Path) -> None:
    by_block = draws_csv(tmp_path / "by_block", by_block=True)
    assert by_block == draws_csv(tmp_path / "whole", by_block=False)
    assert by_block.count(b"\n") == 1 + 3 * DRAWS


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


def test_a_column_kept_by_other_than_its_values_is_caught(tmp_path: Path) -> None:
    """The comparison can fail: keeping formatted columns by their shape instead of their
    values gives every column of a block's size the first one's values."""

    class ByShape(uncertainty_record.Formatted):
        def __call__(self, column: Any) -> list[str]:
            key = str(column.shape).encode()
            if key not in self.columns:
                self.columns[key] = list(map(str, column.tolist()))
            return self.columns[key]

    whole = draws_csv(tmp_path / "whole", by_block=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uncertainty_record, "Formatted", ByShape)
        wrong = draws_csv(tmp_path / "wrong", by_block=True)
    assert wrong != whole
