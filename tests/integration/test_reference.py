"""The committed reference results match a fresh computation of every shipped scenario and sweep.

If this fails after a deliberate change to the scenarios or the model, regenerate them with
`sim reference --update` and review the diff of results/reference/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.runs.reference import check_reference

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_reference_results_have_not_drifted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    drifts = check_reference()
    assert not drifts, "; ".join(f"{d.name}: {d.reason}" for d in drifts)
