"""Reference results: the committed outcome tables of the shipped scenarios and sweeps.

``sim reference`` recomputes them and says which drifted; ``sim reference --update``
rewrites them after a deliberate change.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim.model import load_many
from sim.model.catalog import SKIPPED_FOLDERS
from sim.model.resolve import scenario_files
from sim.runs.files import write_atomic
from sim.runs.run import run_scenarios
from sim.runs.store import table_text
from sim.runs.sweep import run_sweep
from sim.runs.targets import file_plan

REFERENCE = Path("results/reference")
SCENARIOS = Path("scenarios")


@dataclass(frozen=True)
class Drift:
    name: str
    reason: str


def reference_tables(scenarios: Path = SCENARIOS, executor: str = "processes") -> dict[str, str]:
    """File name -> CSV text for every scenario folder and sweep file under ``scenarios``."""
    tables = {}
    folders = sorted(
        {p.parent for p in scenarios.rglob("*.y*ml") if p.parent.name not in SKIPPED_FOLDERS}
    )
    for folder in folders:
        if scenario_files(folder):
            record = run_scenarios(load_many(str(folder)), record=False)
            label = "-".join(folder.relative_to(scenarios).parts) or "scenarios"
            tables[f"{label}.csv"] = table_text(list(record.rows))
    for sweep_file in sorted(scenarios.rglob("sweeps/*.y*ml")):
        plan, base = file_plan(str(sweep_file))
        with tempfile.TemporaryDirectory() as temporary:
            out = Path(temporary) / "run"
            run_sweep(plan, base, out=out, executor=executor)
            tables[f"sweep-{plan.name}.csv"] = (out / "outcomes.csv").read_text(encoding="utf-8")
    return tables


def check_reference(reference: Path = REFERENCE, scenarios: Path = SCENARIOS) -> list[Drift]:
    """Which committed tables differ from a fresh computation (empty: none)."""
    fresh = reference_tables(scenarios)
    drifts = []
    for name, text in fresh.items():
        path = reference / name
        if not path.is_file():
            drifts.append(Drift(name, "missing from the reference results"))
        elif path.read_text(encoding="utf-8") != text:
            drifts.append(Drift(name, "differs from a fresh computation"))
    for path in sorted(reference.glob("*.csv")):
        if path.name not in fresh:
            drifts.append(Drift(path.name, "no longer produced by any scenario or sweep"))
    return drifts


def update_reference(reference: Path = REFERENCE, scenarios: Path = SCENARIOS) -> list[str]:
    """Rewrite the reference tables; return the names written."""
    fresh = reference_tables(scenarios)
    for name, text in fresh.items():
        write_atomic(reference / name, text)
    for path in reference.glob("*.csv"):
        if path.name not in fresh:
            path.unlink()
    return sorted(fresh)
