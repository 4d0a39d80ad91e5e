"""Run folders of negotiations and tournaments, laid out as `sim run`'s (SPEC §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.agents.result import NegotiationResult, summary_row
from sim.model.resolve import LoadedScenario
from sim.runs.files import new_run_folder, results_folder, write_json
from sim.runs.manifest import finish_manifest, start_manifest
from sim.runs.store import write_table

if TYPE_CHECKING:
    from sim.agents.tournament import TournamentPlan, TournamentResult
    from sim.runs.limits import Limits


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


def _most_seats(plan: TournamentPlan) -> int:
    return max((len(t.parties) for t in plan.tables), default=0)


def record_tournament(
    plan: TournamentPlan,
    *,
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    limits: Limits | None = None,
    out: Path | None = None,
    results: Path | None = None,
    resume: Path | None = None,
    extra_files: Callable[[Path, TournamentResult], None] | None = None,
) -> tuple[TournamentResult, Path]:
    """Play a tournament into a run folder, as sweeps do: the folder is claimed and locked,
    each batch's rows are journalled as it finishes (``rows.jsonl``), and an interrupted
    tournament (status ``interrupted`` or ``failed``) is finished by ``resume`` with the same
    arguments, playing only the matches not yet recorded; its tables are then the same bytes.
    The folder holds ``manifest.json`` (kind ``tournament``), ``outcomes.csv`` (a row per
    negotiation, in match order), ``agents.csv`` (a row per agent) and what ``extra_files``
    adds (the figure).

    Raises
    ------
    InputError
        ``resume`` is not a tournament run folder, was made with other arguments or from
        scenario files that changed since; or the folder is in use.
    """
    from sim.agents.tournament import play_matches, tabulate
    from sim.errors import InputError, display_path
    from sim.runs.executors import Executor
    from sim.runs.files import claim_run_folder, lock_run_folder, remove_stray_temporaries
    from sim.runs.limits import default_limits
    from sim.runs.manifest import read_manifest
    from sim.runs.signals import signals_as_interrupts
    from sim.runs.store import RowStore

    limits = limits or default_limits()
    described = plan.described()
    files = [f for s in plan.scenarios for f in s.files]
    total = len(plan.matches)
    with Executor(executor, workers, scheduler, limits) as engine:
        if resume is None:
            names = described["scenarios"]
            label = names[0] if len(names) == 1 else "scenarios"
            where = results_folder() if results is None else results
            lock = claim_run_folder(where, f"tournament-{label}", out)
        else:
            context = f"--resume {display_path(resume)}"
            recorded = read_manifest(resume, context)
            if recorded.get("kind") != "tournament":
                raise InputError(f"{context}: not a tournament run folder")
            if recorded.get("tournament") != described:
                raise InputError(
                    f"{context}: the tournament given differs from the one recorded there "
                    f"(recorded: {recorded.get('tournament')}; given: {described})"
                )
            lock = lock_run_folder(resume, context)
        with lock, signals_as_interrupts():
            folder = lock.folder
            remove_stray_temporaries(folder)
            store = RowStore(folder)
            if resume is None:
                manifest = start_manifest(
                    "tournament",
                    files,
                    seed=0,
                    keys=[
                        "scenario",
                        *(["draw"] if plan.draws else []),
                        "seed",
                        *(f"agent_{k}" for k in range(_most_seats(plan))),
                    ],
                    tournament=described,
                    agents=list(plan.agents),
                    rounds=plan.rounds,
                    seeds=plan.seeds,
                    protocol=plan.protocol,
                )
            else:
                manifest = recorded
                now = {Path(f["absolute"]): f["sha256"] for f in recorded["scenario_files"]}
                fresh = start_manifest("tournament", files, seed=0)["scenario_files"]
                changed = [f["path"] for f in fresh if now.get(Path(f["absolute"])) != f["sha256"]]
                if changed:
                    raise InputError(
                        f"{context}: {', '.join(changed)}: changed since the tournament started "
                        "(its sha256 differs); start a new tournament"
                    )
            manifest = {**manifest, "status": "running", "executor": engine.kind, "error": None}
            write_json(folder / "manifest.json", manifest)
            try:
                done = store.read(total)
                pending = [i for i in range(total) if i not in done]
                play_matches(plan, engine, pending, store.append)
                rows = store.read(total)
                missing = [i for i in range(total) if i not in rows]
                if missing:
                    raise InputError(
                        f"{display_path(folder / 'rows.jsonl')}: {len(missing)} negotiations "
                        "missing after the tournament; --resume plays them"
                    )
                result = tabulate(plan, [rows[i] for i in range(total)])
                write_table(folder / "outcomes.csv", list(result.rows))
                write_table(folder / "agents.csv", [s.row() for s in result.standings])
                if extra_files is not None:
                    extra_files(folder, result)
            except KeyboardInterrupt:
                write_json(folder / "manifest.json", finish_manifest(manifest, "interrupted"))
                raise
            except BaseException as error:
                write_json(
                    folder / "manifest.json",
                    finish_manifest(manifest, "failed", error=repr(error)),
                )
                raise
            write_json(folder / "manifest.json", finish_manifest(manifest, "complete"))
    return result, folder


def _number(cell: str) -> float | None:
    return None if cell in ("", "nan") else float(cell)


def read_negotiations(folder: Path) -> tuple[NegotiationResult, ...]:
    """The negotiation documents of a run folder (``outcomes/*.json``), read back typed.

    Raises
    ------
    InputError
        A document that cannot be read or is not a negotiation document.
    """
    import json

    from sim.agents.result import SCHEMA
    from sim.errors import InputError, display_path

    out = []
    for path in sorted((folder / "outcomes").glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("schema") != SCHEMA:
                raise InputError(f"{display_path(path)}: schema: not {SCHEMA!r}")
            out.append(NegotiationResult.from_json(document))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(
                f"{display_path(path)}: not a negotiation document ({error})"
            ) from None
    if not out:
        raise InputError(f"{display_path(folder)}: outcomes: no negotiation document")
    return tuple(out)


def read_tournament(folder: Path, manifest: dict[str, Any]) -> TournamentResult:
    """A tournament run folder read back typed: its rows (as stored, text cells) and each
    agent's standing (``agents.csv``).

    Raises
    ------
    InputError
        ``outcomes.csv`` or ``agents.csv`` missing or unreadable.
    """
    from sim.agents.tournament import AgentStanding, TournamentResult
    from sim.errors import InputError, display_path
    from sim.runs.store import read_table

    for name in ("outcomes.csv", "agents.csv"):
        if not (folder / name).is_file():
            raise InputError(f"{display_path(folder / name)}: not found in the tournament run")
    rows = tuple(read_table(folder / "outcomes.csv"))
    standings = []
    try:
        for row in read_table(folder / "agents.csv"):
            standings.append(
                AgentStanding(
                    row["agent"],
                    int(row["negotiations"]),
                    float(row["agreement_rate"]),
                    float(row["agreement_low"]),
                    float(row["agreement_high"]),
                    _number(row["mean_round"]),
                    float(row["mean_utility"]),
                    float(row["mean_welfare"]),
                    _number(row["mean_to_frontier"]),
                    _number(row["mean_to_nash"]),
                    float(row["mean_to_equilibrium"]),
                )
            )
    except (KeyError, ValueError) as error:
        raise InputError(f"{display_path(folder / 'agents.csv')}: bad row ({error})") from None
    scenarios = tuple(dict.fromkeys(row.get("scenario", "") for row in rows))
    return TournamentResult(
        scenarios,
        tuple(s.agent for s in standings),
        int(manifest.get("rounds", 0)),
        int(manifest.get("seeds", 0)),
        str(manifest.get("protocol", "")),
        rows,
        tuple(standings),
        int((manifest.get("tournament") or {}).get("draws", 0)),
    )
