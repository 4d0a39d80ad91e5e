"""`sim.uncertainty(...)`: seeded Monte Carlo over scenarios' judgments (SPEC §6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.core.verdict import Verdict
from sim.errors import InputError
from sim.model import LoadedScenario, load_many
from sim.model.schema import Distribution
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import Judgment, parse_vary, resolve_judgments
from sim.montecarlo.static import (
    VERDICTS,
    Structure,
    block_size,
    build_structure,
    evaluate_block,
)
from sim.montecarlo.strategic import (
    STRATEGIC_DRAWS,
    StrategicBlock,
    bargaining_summary,
    bargaining_versus,
    simulate_strategic,
)
from sim.montecarlo.summary import (
    bundle_words,
    in_words,
    paired,
    quantiles,
    solution_summary,
    wilson,
)

if TYPE_CHECKING:
    import pandas

MAX_DRAWS = 1_000_000
"""Most draws without ``max_draws`` (``--max-draws``) raised."""
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 0
TOP_BUNDLES = 5
"""Most often acceptable bundles listed per scenario."""

Progress = Callable[[int, int], None]
"""Called with (draws done, draws in all) over every scenario."""


@dataclass(frozen=True, eq=False)
class ScenarioDraws:
    """Per-draw results of one scenario (the static layer).

    Attributes
    ----------
    acceptable, frontier
        ``(N,)`` acceptable bundles and distinct frontier points.
    solutions
        ``(N, 4)`` bundle index of each solution (``structure.solution_names``), -1 if none.
    verdicts
        ``(N, n_proposals, n_parties)`` codes into :data:`sim.montecarlo.static.VERDICTS`.
    bundle_counts
        ``(F,)`` draws in which each feasible bundle (``structure.bundles``) is acceptable.
    strategic
        Bargaining over time and compliance for the first ``strategic_draws`` draws.
    """

    loaded: LoadedScenario
    structure: Structure
    acceptable: NDArray[np.int64]
    frontier: NDArray[np.int64]
    solutions: NDArray[np.int64]
    verdicts: NDArray[np.int8]
    bundle_counts: NDArray[np.int64]
    strategic: StrategicBlock | None = None
    """Bargaining over time and compliance for the first draws (None: not computed)."""

    @property
    def name(self) -> str:
        return self.structure.scenario.name

    @property
    def judgments(self) -> tuple[Judgment, ...]:
        return self.structure.judgments

    def accepts(self) -> NDArray[np.bool_]:
        """``(N, n_proposals, n_parties)`` True where the party accepts."""
        accepts: NDArray[np.bool_] = self.verdicts == VERDICTS.index(Verdict.ACCEPTS)
        return accepts

    def all_accept(self) -> NDArray[np.bool_]:
        """``(N, n_proposals)`` True where every veto party accepts."""
        veto = self.structure.problem.veto_indices
        every: NDArray[np.bool_] = np.all(self.accepts()[:, :, veto], axis=2)
        return every


def simulate(
    structure: Structure,
    draws: int,
    seed: int,
    on_block: Callable[[int, NDArray[np.float64], Any], None] | None = None,
) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]
]:
    """Evaluate draws ``0..draws-1`` block by block; ``on_block(start, drawn, result)`` sees
    each block (to write it out or report progress)."""
    n_props, n_parties = len(structure.proposals), structure.problem.n_parties
    acceptable = np.empty(draws, dtype=np.int64)
    frontier = np.empty(draws, dtype=np.int64)
    solutions = np.empty((draws, 4), dtype=np.int64)
    verdicts = np.empty((draws, n_props, n_parties), dtype=np.int8)
    counts = np.zeros(structure.bundles.shape[0], dtype=np.int64)
    step = block_size(structure)
    for start in range(0, draws, step):
        stop = min(draws, start + step)
        drawn = draw_block(structure.judgments, seed, start, stop)
        result = evaluate_block(structure, drawn)
        acceptable[start:stop] = result.acceptable
        frontier[start:stop] = result.frontier
        solutions[start:stop] = result.solutions
        verdicts[start:stop] = result.verdicts
        counts += result.bundle_counts
        if on_block is not None:
            on_block(start, drawn, result)
    return acceptable, frontier, solutions, verdicts, counts


def summarise(result: ScenarioDraws, robust: float) -> dict[str, Any]:
    """The SPEC §6 summary of one scenario's draws (without ``versus_parent``)."""
    structure, problem = result.structure, result.structure.problem
    n = result.acceptable.shape[0]
    zone = wilson(int((result.acceptable > 0).sum()), n)
    values, counts = np.unique(result.acceptable, return_counts=True)
    common = np.argsort(-counts, kind="stable")[:10]
    accepts, all_accept = result.accepts(), result.all_accept()
    proposals: dict[str, dict[str, float]] = {}
    proposals_ci: dict[str, dict[str, list[float]]] = {}
    for p, (pid, _) in enumerate(structure.proposals):
        shares = {
            party: wilson(int(accepts[:, p, i].sum()), n)
            for i, party in enumerate(problem.parties)
            if not (result.verdicts[:, p, i] == VERDICTS.index(Verdict.NO_RESERVATION)).all()
        }
        shares["all"] = wilson(int(all_accept[:, p].sum()), n)
        proposals[pid] = {k: v.value for k, v in shares.items()}
        proposals_ci[pid] = {k: [v.low, v.high] for k, v in shares.items()}
    shares = result.bundle_counts / max(n, 1)
    order = np.argsort(-shares, kind="stable")
    robust_rows = [r for r in order if shares[r] >= robust]
    top = [r for r in order[:TOP_BUNDLES] if shares[r] > 0]

    def listed(rows: list[Any]) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            words = bundle_words(problem, int(structure.bundles[r]))
            out.append(
                {
                    "index": int(structure.bundles[r]),
                    "bundle": words,
                    "words": in_words(words),
                    "p_acceptable": float(shares[r]),
                }
            )
        return out

    return {
        "draws": n,
        "judgments": len(result.judgments),
        "p_zone": zone.value,
        "p_zone_ci": [zone.low, zone.high],
        "acceptable": {
            "mean": float(result.acceptable.mean()) if n else float("nan"),
            "quantiles": quantiles(result.acceptable),
            "distribution": {str(int(values[i])): float(counts[i] / n) for i in common},
        },
        "frontier": {"mean": float(result.frontier.mean()) if n else float("nan")},
        "proposals": proposals,
        "proposals_ci": proposals_ci,
        "robust_threshold": robust,
        "robust_bundles": listed(robust_rows),
        "top_bundles": listed(top),
        "solutions": {
            name: solution_summary(problem, result.solutions[:, s])
            for s, name in enumerate(structure.solution_names)
        },
    }


def versus_parent(child: ScenarioDraws, parent: ScenarioDraws) -> dict[str, Any]:
    """Paired differences, variant minus parent, draw by draw (common random numbers)."""
    shared = {j.path for j in child.judgments} & {j.path for j in parent.judgments}
    proposals: dict[str, Any] = {}
    parent_props = [pid for pid, _ in parent.structure.proposals]
    child_all = child.all_accept()
    parent_all = parent.all_accept()
    for p, (pid, _) in enumerate(child.structure.proposals):
        if pid in parent_props:
            q = parent_props.index(pid)
            proposals[pid] = {"all": paired(child_all[:, p], parent_all[:, q]).as_dict()}
            for i, party in enumerate(child.structure.problem.parties):
                if party in parent.structure.problem.parties:
                    j = parent.structure.problem.parties.index(party)
                    proposals[pid][party] = paired(
                        child.accepts()[:, p, i], parent.accepts()[:, q, j]
                    ).as_dict()
    zone_child, zone_parent = child.acceptable > 0, parent.acceptable > 0
    nash_same = child.solutions[:, 0] == parent.solutions[:, 0]
    return {
        "parent": parent.name,
        "shared_judgments": len(shared),
        "p_zone": paired(zone_child, zone_parent).as_dict(),
        "acceptable_mean": paired(child.acceptable, parent.acceptable).as_dict(),
        "zone_in_both": float((zone_child & zone_parent).mean()),
        "zone_only_in_variant": float((zone_child & ~zone_parent).mean()),
        "zone_only_in_parent": float((~zone_child & zone_parent).mean()),
        "nash_same_bundle": float((nash_same & (child.solutions[:, 0] >= 0)).mean()),
        "proposals": proposals,
        "bargaining": (
            bargaining_versus(child.strategic, parent.strategic)
            if child.strategic is not None and parent.strategic is not None
            else None
        ),
    }


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


def headline_columns(result: ScenarioDraws) -> dict[str, NDArray[Any]]:
    """Per-draw headline metrics by column name (as in ``draws.csv``)."""
    structure = result.structure
    columns: dict[str, NDArray[Any]] = {
        "zone": (result.acceptable > 0).astype(np.int64),
        "acceptable": result.acceptable,
        "frontier": result.frontier,
    }
    for s, name in enumerate(structure.solution_names):
        columns[name] = result.solutions[:, s]
    all_accept = result.all_accept()
    for p, (pid, _) in enumerate(structure.proposals):
        for i, party in enumerate(structure.problem.parties):
            columns[f"{pid}.{party}"] = np.array([VERDICTS[c].name.lower() for c in range(4)])[
                result.verdicts[:, p, i]
            ]
        columns[f"{pid}.all"] = all_accept[:, p].astype(np.int64)
    return columns


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
    loaded = [
        item
        for target in targets
        for item in ([target] if isinstance(target, LoadedScenario) else load_many(str(target)))
    ]
    if not loaded:
        raise InputError("no scenario to analyse")
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
