"""`sim.uncertainty(...)`: seeded Monte Carlo over scenarios' judgments (SPEC §6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.errors import InputError
from sim.model import LoadedScenario, load_many
from sim.model.schema import Distribution
from sim.montecarlo.judgments import parse_vary, resolve_judgments
from sim.montecarlo.results import (
    ScenarioDraws,
    headline_columns,
    simulate,
    summarise,
    versus_parent,
)
from sim.montecarlo.static import build_structure
from sim.montecarlo.strategic import (
    STRATEGIC_DRAWS,
    bargaining_summary,
    simulate_strategic,
)

if TYPE_CHECKING:
    import pandas

MAX_DRAWS = 1_000_000
"""Most draws without ``max_draws`` (``--max-draws``) raised."""
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 0

Progress = Callable[[int, int], None]
"""Called with (draws done, draws in all) over every scenario."""


@dataclass(frozen=True, eq=False)
class ScenarioUncertainty:
    """One scenario's results: the per-draw arrays and the summary document."""

    draws: ScenarioDraws
    summary: dict[str, Any]

    @property
    def name(self) -> str:
        return self.draws.name

    def table(self) -> pandas.DataFrame:
        """One row per draw: the headline metrics (``pip install -e '.[notebook]'``)."""
        import pandas

        return pandas.DataFrame(headline_columns(self.draws))


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """What ``sim uncertainty`` computes: every scenario's draws and summaries."""

    draws: int
    seed: int
    scenarios: tuple[ScenarioUncertainty, ...]
    folder: Path | None = None
    notes: tuple[str, ...] = field(default=())

    def __getitem__(self, name: str) -> ScenarioUncertainty:
        for item in self.scenarios:
            if item.name == name:
                return item
        raise KeyError(name)

    def document(self) -> dict[str, Any]:
        """The SPEC §6 summary document."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "notes": list(self.notes),
            "scenarios": {s.name: s.summary for s in self.scenarios},
        }

    def table(self) -> pandas.DataFrame:
        """One row per scenario: the headline shares (``pip install -e '.[notebook]'``)."""
        import pandas

        from sim.montecarlo.record import summary_rows

        return pandas.DataFrame(summary_rows(self))


def _draws_and_seed(
    loaded: Sequence[LoadedScenario], draws: int | None, seed: int | None, max_draws: int
) -> tuple[int, int]:
    declared_draws = {s.scenario.uncertainty.draws for s in loaded if s.scenario.uncertainty}
    declared_seeds = {s.scenario.uncertainty.seed for s in loaded if s.scenario.uncertainty}
    declared_draws.discard(None)
    declared_seeds.discard(None)
    if draws is None:
        if len(declared_draws) > 1:
            raise InputError("the scenarios declare different uncertainty.draws; give --draws")
        draws = next(iter(declared_draws), DEFAULT_DRAWS)
    if seed is None:
        if len(declared_seeds) > 1:
            raise InputError("the scenarios declare different uncertainty.seed; give --seed")
        seed = next(iter(declared_seeds), DEFAULT_SEED)
    assert draws is not None and seed is not None
    if draws < 1:
        raise InputError(f"--draws: {draws} is not a positive number of draws")
    if draws > max_draws:
        raise InputError(
            f"--draws: {draws:,} is above the limit of {max_draws:,} draws; "
            "raise it with --max-draws"
        )
    if seed < 0:
        raise InputError(f"--seed: {seed} must be >= 0")
    return draws, seed


def uncertainty(
    scenarios: str | Path | Sequence[str | Path | LoadedScenario],
    *,
    draws: int | None = None,
    seed: int | None = None,
    vary: Sequence[str] | dict[str, Distribution] | None = None,
    robust: float | None = None,
    max_draws: int = MAX_DRAWS,
    sensitivity: bool = True,
    strategic_draws: int | None = None,
    record: bool = False,
    out: Path | None = None,
    progress: Progress | None = None,
) -> UncertaintyResult:
    """Seeded Monte Carlo over the judgments of one or more scenarios (SPEC §6).

    Parameters
    ----------
    scenarios
        Scenario files, folders, names, or loaded scenarios.
    draws, seed
        Default: the scenarios' ``uncertainty.draws``/``seed``, else 1000 and 0.
    vary
        Extra ``PATTERN=DIST:PARAMS`` items (as ``--vary``) or patterns to distributions; they
        take precedence over the files' ``vary``.
    robust
        Share of draws a bundle must be acceptable in to count as robust (default: the
        scenario's ``uncertainty.robust``, 0.9).
    sensitivity
        Compute the global sensitivity indices and the tornado table.
    strategic_draws
        Compute bargaining over time and compliance for the first this many draws (default
        500, or all draws if fewer; 0: not computed).
    record, out
        Write a run folder (under ``results/`` or at ``out``).

    Raises
    ------
    InputError, ScenarioError
        Bad input, every problem reported.
    """
    from sim.montecarlo.record import RunWriter
    from sim.montecarlo.sensitivity import sensitivity_summary

    targets = [scenarios] if isinstance(scenarios, str | Path) else list(scenarios)
    found = [
        item
        for target in targets
        for item in ([target] if isinstance(target, LoadedScenario) else load_many(str(target)))
    ]
    unique = {item.path.resolve(): item for item in reversed(found)}  # the first of each file
    loaded = [unique[p] for p in dict.fromkeys(item.path.resolve() for item in found)]
    if not loaded:
        raise InputError("no scenario to analyse")
    vary = [vary] if isinstance(vary, str) else vary
    extra = parse_vary(list(vary)) if isinstance(vary, Sequence) and vary else None
    extra = dict(vary) if isinstance(vary, dict) else extra
    draws, seed = _draws_and_seed(loaded, draws, seed, max_draws)
    structures = [build_structure(s, resolve_judgments(s, extra)) for s in loaded]
    notes = []
    if extra is None and all(s.scenario.uncertainty is None for s in loaded):
        notes.append(
            "no uncertainty declared: every option value and weight drawn within +-0.05 of "
            "its stated value (uniform, truncated to its range)"
        )
    files = [f for s in loaded for f in s.files]
    writer = RunWriter(structures, files, draws, seed, out) if record or out is not None else None
    strategic = min(draws, STRATEGIC_DRAWS if strategic_draws is None else strategic_draws)
    if strategic < 0:
        raise InputError(f"--strategic-draws: {strategic} must be >= 0")
    total = (draws + strategic) * len(structures)
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(done[0], total)

    results: dict[Path, ScenarioDraws] = {}
    try:
        for structure, scenario in zip(structures, loaded, strict=True):
            bargaining = (
                simulate_strategic(structure, strategic, seed, advance) if strategic else None
            )

            def on_block(start: int, drawn: NDArray[np.float64], block: Any) -> None:
                if writer is not None:
                    writer.block(structure, start, drawn, block, bargaining)  # noqa: B023
                advance(drawn.shape[0])

            arrays = simulate(structure, draws, seed, on_block)
            results[scenario.path.resolve()] = ScenarioDraws(
                scenario, structure, *arrays, strategic=bargaining
            )
        summaries = []
        for scenario, result in zip(loaded, results.values(), strict=True):
            declared = scenario.scenario.uncertainty
            threshold = robust if robust is not None else declared.robust if declared else 0.9
            summary = summarise(result, threshold)
            if result.strategic is not None:
                summary["bargaining"] = bargaining_summary(result.strategic)
            parent = scenario.files[1].resolve() if len(scenario.files) > 1 else None
            summary["versus_parent"] = (
                versus_parent(result, results[parent]) if parent in results else {"parent": None}
            )
            if sensitivity:
                summary["sensitivity"] = sensitivity_summary(result, seed)
            summaries.append(ScenarioUncertainty(result, summary))
        outcome = UncertaintyResult(draws, seed, tuple(summaries), None, tuple(notes))
        if writer is not None:
            return writer.finish(outcome)
        return outcome
    except BaseException as error:
        if writer is not None:
            writer.abort(error)
        raise
