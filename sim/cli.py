"""The `sim` command line: parse, call one library function, render, exit code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import yaml

from sim.compile import compile_problem, reservation_breakdown
from sim.core.frontier import SpaceTooLargeError
from sim.core.problem import Problem
from sim.core.utility import bundle_utilities
from sim.core.verdict import judge_terms
from sim.errors import InputError, ScenarioError, SimError, display_path
from sim.model import load_many, validate_paths
from sim.model.catalog import DEFAULT_ROOT
from sim.model.evidence import check_quotes
from sim.model.resolve import LoadedScenario, scenario_name
from sim.report.text import explain_terms, number, table
from sim.terms import parse_terms

app = typer.Typer(
    name="sim",
    help="Game-theoretic negotiation simulator: scenarios, zones of agreement, settlements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

ScenarioArg = Annotated[
    str,
    typer.Argument(help="A scenario file, a folder of them, or a scenario name under scenarios/."),
]


def _guard(action: Callable[[], T]) -> T:
    """Run a command body; bad input becomes messages on stderr and exit status 2."""
    try:
        return action()
    except SimError as error:
        for message in error.messages():
            typer.echo(message, err=True)
        raise typer.Exit(2) from None
    except SpaceTooLargeError as error:
        typer.echo(f"space too large: {error}", err=True)
        raise typer.Exit(2) from None


@app.command("list")
def list_command(
    folder: Annotated[Path, typer.Argument(help="Folder to list (recursively).")] = DEFAULT_ROOT,
) -> None:
    """List the scenarios in a folder, one per line with its title."""

    def body() -> None:
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder")
        rows = []
        for path in sorted(folder.rglob("*.y*ml")):
            if "sweeps" in path.relative_to(folder).parts:
                continue
            name = scenario_name(path)
            title = _title(path) if name else "(not a readable scenario: run sim validate)"
            rows.append(f"{name or '?':24} {title}  [{display_path(path)}]")
        typer.echo("\n".join(rows) if rows else f"no scenarios in {folder}")

    _guard(body)


def _title(path: Path) -> str:
    from sim.model.yamlio import read_yaml

    data, _ = read_yaml(path)
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title else ""


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="Scenario files, folders or names.")],
    documents: Annotated[
        Path | None,
        typer.Option(help="Folder of source documents: check every quote verbatim against it."),
    ] = None,
) -> None:
    """Load and check scenario files; report every problem found."""

    from sim.experiments.targets import check_sweep_files

    def body() -> None:
        result = validate_paths(paths)
        problems = list(result.diagnostics)
        if documents is not None:
            for loaded in result.scenarios:
                problems.extend(check_quotes(loaded, documents))
        sweeps, sweep_problems = check_sweep_files(paths)
        problems.extend(sweep_problems)
        if problems:
            raise ScenarioError(problems)
        checked = " and their quotes" if documents is not None else ""
        swept = f" and {sweeps} sweeps" if sweeps else ""
        typer.echo(f"ok: {len(result.scenarios)} scenarios{checked}{swept} valid")

    _guard(body)


@app.command()
def show(scenario: ScenarioArg) -> None:
    """Print the resolved scenario (after `extends` and `set`) as YAML."""

    def body() -> None:
        for loaded in load_many(scenario):
            document = loaded.scenario.model_dump(
                mode="json", exclude_none=True, exclude={"extends", "set"}
            )
            typer.echo(f"# {display_path(loaded.path)} (resolved)")
            typer.echo(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))
            typer.echo(_reservation_comment(loaded))

    _guard(body)


def _reservation_comment(loaded: LoadedScenario) -> str:
    lines = ["# resolved reservation values:"]
    problem = compile_problem(loaded.scenario)
    for i, party in enumerate(problem.parties):
        line = f"#   {party}: {number(problem.reservation[i])}"
        b = reservation_breakdown(loaded.scenario, party)
        if b is not None:
            line += (
                f" = clip({b.prevail:.3f} * {b.win:.3f} + {1 - b.prevail:.3f} * {b.lose:.3f}"
                f" - {b.cost:.3f}, 0, 1)"
            )
        lines.append(line)
    return "\n".join(lines)


@app.command()
def explain(
    scenario: ScenarioArg,
    bundle: Annotated[
        str | None,
        typer.Option(help="Terms as issue=option,...; issues left out are open."),
    ] = None,
    proposal: Annotated[
        str | None, typer.Option(help="A proposal named in the scenario (--bundle overrides it).")
    ] = None,
) -> None:
    """Each party's utility, per-issue contributions, reservation, red lines and verdict."""

    def body() -> None:
        if bundle is None and proposal is None:
            raise InputError("explain: give --bundle issue=option,... or --proposal ID")
        for loaded in load_many(scenario):
            s = loaded.scenario
            problem = compile_problem(s)
            terms: dict[str, str] = {}
            if proposal is not None:
                if proposal not in s.proposals:
                    known = ", ".join(s.proposals) or "none defined"
                    raise InputError(
                        f"--proposal: unknown proposal {proposal!r} in {s.name} (known: {known})"
                    )
                terms.update(s.proposals[proposal].terms)
            if bundle is not None:
                terms.update(parse_terms(bundle, "--bundle"))
            digits = _digits(problem, terms)
            typer.echo(f"{s.name}: {s.label()}")
            if proposal is not None:
                typer.echo(f"proposal {proposal}: {s.proposals[proposal].title or proposal}")
            typer.echo(explain_terms(problem, digits, judge_terms(problem, digits)))
            if len(digits) == len(problem.issues):
                typer.echo(_frontier_view(problem, digits))

    _guard(body)


@app.command()
def run(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files, folders or names.")],
    out: Annotated[
        Path | None, typer.Option(help="Write the run folder here (must not exist).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the outcome document of a single scenario.")
    ] = False,
    frontier_limit: Annotated[
        int | None, typer.Option(min=0, help="List at most this many frontier bundles.")
    ] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not write a run folder.")
    ] = False,
) -> None:
    """Analyse scenarios: zone of agreement, frontier, solutions, bargaining, equilibria."""
    import json

    from sim.experiments.run import run_scenarios
    from sim.report.outcome_text import render_outcome, render_summary

    def body() -> None:
        loaded = [item for target in scenarios for item in load_many(target)]
        if json_output and len(loaded) != 1:
            raise InputError(f"--json prints one outcome document; {len(loaded)} scenarios given")
        record = run_scenarios(loaded, out=out, frontier_limit=frontier_limit, record=not no_record)
        if json_output:
            typer.echo(json.dumps(record.documents[0], indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_outcome(d) for d in record.documents))
            if len(record.rows) > 1:
                typer.echo("\n" + render_summary(list(record.rows)))
        if record.folder is not None:
            typer.echo(f"run folder: {display_path(record.folder)}", err=json_output)

    _guard(body)


@app.command()
def games(
    scenario: ScenarioArg,
    json_output: Annotated[bool, typer.Option("--json", help="Print the games as JSON.")] = False,
) -> None:
    """The games built from a scenario and all their equilibria."""
    import json

    from sim.experiments.outcome import games_document
    from sim.experiments.strategy import analyse_strategy
    from sim.model.resolve import load_raw
    from sim.report.games_text import render_games

    def body() -> None:
        documents = []
        for loaded in load_many(scenario):
            problem = compile_problem(loaded.scenario)
            strategy = analyse_strategy(loaded, load_raw(loaded.path))
            documents.append(games_document(loaded.scenario.name, problem, strategy))
        if json_output:
            shown = documents[0] if len(documents) == 1 else documents
            typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_games(d) for d in documents))

    _guard(body)


@app.command()
def sweep(
    target: Annotated[
        str | None,
        typer.Argument(
            help="A sweep file (sweeps/*.yaml) or a scenario to vary with --grid/--range."
        ),
    ] = None,
    grid: Annotated[
        list[str] | None, typer.Option(help="path=v1,v2,... (repeatable): values of a dotted path.")
    ] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option("--range", help="path=lo:hi:n (repeatable); with --sample, path=lo:hi."),
    ] = None,
    sample: Annotated[
        str | None,
        typer.Option(help="method:n, a seeded sample over the --range bounds (lhs or random)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of --sample.")] = 0,
    out: Annotated[
        Path | None, typer.Option(help="Write the run folder here (must not exist).")
    ] = None,
    resume: Annotated[
        Path | None, typer.Option(help="Finish an interrupted sweep in this run folder.")
    ] = None,
    executor: Annotated[
        str, typer.Option(help="serial, processes (all cores) or dask (pip install -e '.[dask]').")
    ] = "processes",
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Join this Dask scheduler (with --executor dask).")
    ] = None,
) -> None:
    """Run a parameter sweep into a run folder, or finish an interrupted one (--resume)."""
    from sim.experiments.executors import EXECUTORS
    from sim.experiments.sweep import SweepInterrupted, run_sweep
    from sim.experiments.targets import command_line_plan, file_plan, is_sweep_file, recorded_plan
    from sim.report.progress import progress_reporter

    def body() -> int:
        if executor not in EXECUTORS:
            raise InputError(
                f"--executor: unknown executor {executor!r} (known: {', '.join(EXECUTORS)})"
            )
        if scheduler is not None and executor != "dask":
            raise InputError("--scheduler needs --executor dask")
        extra: tuple[Path, ...] = ()
        if target is None:
            if resume is None:
                raise InputError(
                    "sweep: give a sweep file, a scenario with --grid/--range, or --resume RUN"
                )
            plan, base = recorded_plan(resume)
        elif is_sweep_file(target):
            if grid or range_ or sample:
                raise InputError(
                    "sweep: a sweep file already says what varies; drop --grid/--range/--sample"
                )
            plan, base = file_plan(target)
            extra = (Path(target),)
        else:
            if not grid and not range_:
                raise InputError(f"sweep {target}: say what varies with --grid or --range")
            plan, base = command_line_plan(target, grid or [], range_ or [], sample, seed)
        if resume is not None and target is not None:
            recorded, _ = recorded_plan(resume)
            if recorded.describe() != plan.describe():
                where = f"--resume {display_path(resume)}"
                raise InputError(f"{where}: the sweep given differs from the one recorded there")
        with progress_reporter(len(plan.points)) as report:
            try:
                record = run_sweep(
                    plan,
                    base,
                    out=out,
                    resume=resume,
                    executor=executor,
                    workers=workers,
                    scheduler=scheduler,
                    progress=report,
                    extra_files=extra,
                )
            except SweepInterrupted as stop:
                typer.echo(
                    f"interrupted; finished points are saved. Resume with: "
                    f"sim sweep --resume {display_path(stop.folder)}",
                    err=True,
                )
                return 130
        typer.echo(
            f"{record.total} points ({record.redone} run now), {record.failed} failed; "
            f"run folder: {display_path(record.folder)}"
        )
        return 1 if record.failed else 0

    code = _guard(body)
    if code:
        raise typer.Exit(code)


@app.command()
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The later run folder.")],
    fail_on_change: Annotated[
        bool, typer.Option(help="Exit with status 1 if anything differs.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", help="table, markdown, csv or json.")
    ] = "table",
    tol: Annotated[float, typer.Option(min=0.0, help="Numbers closer than this are equal.")] = 1e-9,
) -> None:
    """Align two runs' outcome tables by their keys and show what changed."""
    from sim.experiments.compare import compare_runs
    from sim.report.compare_text import FORMATS, render_comparison

    def body() -> int:
        if output_format not in FORMATS:
            raise InputError(
                f"--format: unknown format {output_format!r} (known: {', '.join(FORMATS)})"
            )
        comparison = compare_runs(run_a, run_b, tol)
        typer.echo(render_comparison(comparison, output_format))
        return 1 if fail_on_change and not comparison.identical else 0

    code = _guard(body)
    if code:
        raise typer.Exit(code)


@app.command()
def runs(
    folder: Annotated[Path, typer.Argument(help="Folder of run folders.")] = Path("results"),
) -> None:
    """List the run folders: name, kind, status, rows, started."""
    from sim.experiments.compare import list_runs

    def body() -> None:
        rows = list_runs(folder)
        typer.echo(
            table(["run", "kind", "status", "rows", "started"], rows)
            if rows
            else f"no runs in {folder}"
        )

    _guard(body)


@app.command()
def reference(
    update: Annotated[
        bool, typer.Option(help="Rewrite results/reference/ after a deliberate change.")
    ] = False,
) -> None:
    """Check the committed reference results against a fresh computation (exit 1 on drift)."""
    from sim.experiments.reference import REFERENCE, check_reference, update_reference

    def body() -> int:
        if update:
            names = update_reference()
            typer.echo(f"wrote {len(names)} tables to {REFERENCE}/: {', '.join(names)}")
            return 0
        drifts = check_reference()
        for drift in drifts:
            typer.echo(f"{REFERENCE}/{drift.name}: {drift.reason}")
        if drifts:
            typer.echo("if the change is deliberate: sim reference --update", err=True)
            return 1
        typer.echo(f"ok: {REFERENCE}/ matches a fresh computation")
        return 0

    code = _guard(body)
    if code:
        raise typer.Exit(code)


def _frontier_view(problem: Problem, digits: dict[int, int]) -> str:
    """Where a full bundle stands against the frontier of the acceptable set."""
    import numpy as np

    from sim.core.distance import frontier_distance
    from sim.core.frontier import exact_frontier
    from sim.core.space import decode, encode

    choice = np.array([[digits[k] for k in range(len(problem.issues))]], dtype=np.int64)
    index = int(encode(choice, problem.radices)[0])
    front = exact_frontier(problem)
    point = bundle_utilities(problem, choice)[0, problem.veto_indices]
    standing = frontier_distance(front.veto_utilities, front.indices, point)
    head = f"bundle {index}: "
    if front.indices.shape[0] == 0:
        return head + "no bundle is acceptable to every veto party, so there is no frontier"
    if standing.best_index is None:
        return (
            head
            + "no acceptable bundle Pareto-dominates it"
            + (" (it is on the frontier)" if int(index) in set(front.indices.tolist()) else "")
        )
    better = decode(np.array([standing.best_index]), problem.radices)[0]
    changes = ", ".join(
        f"{issue}={problem.options[k][int(better[k])]}"
        for k, issue in enumerate(problem.issues)
        if better[k] != choice[0, k]
    )
    return (
        f"{head}dominated by {standing.dominated_by} frontier bundles; bundle "
        f"{standing.best_index} gives every veto party at least {standing.improvement:.3f} more "
        f"({changes})"
    )


def _digits(problem: Problem, terms: dict[str, str]) -> dict[int, int]:
    digits = {}
    for issue, option in terms.items():
        if issue not in problem.issues:
            raise InputError(
                f"--bundle: unknown issue {issue!r} (known: {', '.join(problem.issues)})"
            )
        k = problem.issues.index(issue)
        if option not in problem.options[k]:
            known = ", ".join(problem.options[k])
            raise InputError(
                f"--bundle: unknown option {option!r} for issue {issue!r} (known: {known})"
            )
        digits[k] = problem.options[k].index(option)
    return digits


def main() -> None:
    """Console entry point."""
    app(prog_name="sim")


if __name__ == "__main__":  # pragma: no cover
    main()
