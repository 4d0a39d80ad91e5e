"""Run folders of negotiations and tournaments, laid out as `sim run`'s (SPEC §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.agents.result import NegotiationResult, Summary
from sim.experiments.files import new_run_folder, results_folder, write_json
from sim.experiments.manifest import finish_manifest, start_manifest
from sim.experiments.store import write_table
from sim.model.resolve import LoadedScenario

if TYPE_CHECKING:
    from sim.agents.tournament import TournamentResult


def summary_row(parties: tuple[str, ...], summary: Summary) -> dict[str, Any]:
    """The metrics of one negotiation as table cells (no clock times, no paths)."""
    row: dict[str, Any] = {
        "agreed": summary.agreed,
        "agreed_round": summary.agreed_round,
        "agreement": summary.agreement,
    }
    row.update({f"utility_{p}": u for p, u in zip(parties, summary.utilities, strict=True)})
    row.update(
        welfare=summary.welfare,
        to_frontier=summary.to_frontier,
        to_nash=summary.to_nash,
        to_equilibrium=summary.to_equilibrium,
    )
    return row


def negotiation_row(result: NegotiationResult) -> dict[str, Any]:
    """The outcomes.csv row of one negotiation: its keys, then its metrics."""
    keys: dict[str, Any] = {"scenario": result.scenario, "protocol": result.protocol}
    keys.update({f"agent_{p}": a for p, a in zip(result.parties, result.agents, strict=True)})
    keys["seed"] = result.seed
    return {**keys, **summary_row(result.parties, result.summary)}


def record_run(
    kind: str,
    scenarios: Iterable[LoadedScenario],
    label: str,
    *,
    out: Path | None,
    results: Path | None,
    seed: int,
    write: Callable[[Path], None],
    **extra: Any,
) -> Path:
    """Claim a new run folder, write its manifest (``running``), let ``write`` fill it, and
    finish the manifest (``complete``; ``interrupted`` or ``failed`` with the error)."""
    where = results_folder() if results is None else results
    files = [f for s in scenarios for f in s.files]
    folder = new_run_folder(where, label, out)
    manifest = start_manifest(kind, files, seed=seed, **extra)
    write_json(folder / "manifest.json", manifest)
    try:
        write(folder)
    except KeyboardInterrupt:
        write_json(folder / "manifest.json", finish_manifest(manifest, "interrupted"))
        raise
    except BaseException as error:
        write_json(folder / "manifest.json", finish_manifest(manifest, "failed", error=repr(error)))
        raise
    write_json(folder / "manifest.json", finish_manifest(manifest, "complete"))
    return folder


def record_negotiation(
    result: NegotiationResult,
    loaded: LoadedScenario,
    *,
    out: Path | None = None,
    results: Path | None = None,
    extra_files: Callable[[Path], None] | None = None,
) -> Path:
    """A run folder for one negotiation: ``manifest.json`` (kind ``negotiation``),
    ``outcomes.csv`` (one row) and ``outcomes/<scenario>.json`` (the negotiation document);
    ``extra_files`` may add more (the figure) before the manifest says ``complete``."""

    def write(folder: Path) -> None:
        write_json(folder / "outcomes" / f"{result.scenario}.json", result.to_json())
        write_table(folder / "outcomes.csv", [negotiation_row(result)])
        if extra_files is not None:
            extra_files(folder)

    return record_run(
        "negotiation",
        [loaded],
        f"negotiate-{result.scenario}",
        out=out,
        results=results,
        seed=result.seed,
        write=write,
        keys=["scenario", "protocol", *(f"agent_{p}" for p in result.parties), "seed"],
        agents=list(result.agents),
        rounds=result.rounds,
        protocol=result.protocol,
    )


def record_tournament(
    result: TournamentResult,
    scenarios: list[LoadedScenario],
    *,
    out: Path | None = None,
    results: Path | None = None,
    extra_files: Callable[[Path], None] | None = None,
) -> Path:
    """A run folder for a tournament: ``manifest.json`` (kind ``tournament``),
    ``outcomes.csv`` (a row per negotiation, in match order) and ``agents.csv`` (a row per
    agent); ``extra_files`` may add more (the figure)."""

    def write(folder: Path) -> None:
        write_table(folder / "outcomes.csv", list(result.rows))
        write_table(folder / "agents.csv", [s.row() for s in result.standings])
        if extra_files is not None:
            extra_files(folder)

    label = result.scenarios[0] if len(result.scenarios) == 1 else "scenarios"
    return record_run(
        "tournament",
        scenarios,
        f"tournament-{label}",
        out=out,
        results=results,
        seed=0,
        write=write,
        keys=["scenario", "seed", "party_k", "agent_k"],
        agents=list(result.agents),
        rounds=result.rounds,
        seeds=result.seeds,
        protocol=result.protocol,
    )
