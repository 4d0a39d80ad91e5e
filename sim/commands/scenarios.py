"""Commands on scenario files: list, validate, show, explain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from sim.commands.base import AllowOutside, ScenarioArg, app, guard
from sim.compile import compile_problem, reservation_breakdown, war_value_warning
from sim.errors import InputError, ScenarioError, display_path
from sim.model import load_many, validate_paths
from sim.model.evidence import check_quotes
from sim.model.resolve import LoadedScenario, scenario_name
from sim.report.text import number
from sim.words import plural


@app.command("list")
def list_command(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Folder to list (recursively; default $SIM_SCENARIOS, else scenarios/)."
        ),
    ] = None,
) -> None:
    """List the scenarios in a folder, one per line with its title."""
    from sim.model.catalog import SKIPPED_FOLDERS, scenario_root
    from sim.model.walk import scenario_tree

    def body() -> None:
        where = scenario_root() if folder is None else folder
        if not where.is_dir():
            raise InputError(f"{where}: no such folder")
        rows = []
        groups = scenario_tree(where, skip=lambda name: name in SKIPPED_FOLDERS, strict=False)
        for path in sorted(p for _, files in groups for p in files):
            name = scenario_name(path)
            title = _title(path) if name else "(not a readable scenario: run sim validate)"
            rows.append(f"{name or '?':24} {title}  [{display_path(path)}]")
        typer.echo("\n".join(rows) if rows else f"no scenarios in {where}")

    guard(body)


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
    allow_outside: AllowOutside = False,
) -> None:
    """Load and check scenario files and sweep files; report every problem found."""
    from sim.montecarlo.judgments import check_uncertainty
    from sim.montecarlo.structures import check_structures, expand
    from sim.runs.forecast import QUESTIONS, read_questions
    from sim.runs.targets import check_sweep_files, is_sweep_file

    def body() -> None:
        scenario_targets = [p for p in paths if not is_sweep_file(p)]
        result = validate_paths(scenario_targets, allow_outside=allow_outside)
        problems = list(result.diagnostics)
        if documents is not None:
            for loaded in result.scenarios:
                quoted = check_quotes(loaded, documents)
                try:  # and the quotes a structure's overrides bring in, placed at its set
                    structures = expand(loaded)
                except ScenarioError:
                    structures = []  # the structures' own problems are reported below
                for choice in structures:
                    quoted += [
                        loaded.locate(
                            f"uncertainty.structures.{choice.name.split('-without-')[0]}.set",
                            f"{d.path}: {d.reason}",
                        )
                        for d in check_quotes(choice.loaded, documents)
                        if d not in quoted
                    ]
                problems.extend(dict.fromkeys(quoted))
        problems += [d for loaded in result.scenarios for d in check_uncertainty(loaded)]
        problems += [d for loaded in result.scenarios for d in check_structures(loaded)]
        sweeps, sweep_problems = check_sweep_files(paths, allow_outside=allow_outside)
        problems.extend(sweep_problems)
        for target in paths:  # a folder's forecast questions (sim forecast)
            if (Path(target) / QUESTIONS).is_file():
                try:
                    read_questions(Path(target))
                except ScenarioError as error:
                    problems.extend(error.diagnostics)
        if problems:
            raise ScenarioError(problems)
        checked = " and their quotes" if documents is not None else ""
        swept = f" and {plural(sweeps, 'sweep')}" if sweeps else ""
        given = {display_path(item.path): _warnings(item) for item in result.scenarios}
        for loaded in result.scenarios:
            parents = [given.get(display_path(f), []) for f in loaded.files[1:]]
            for warning in given[display_path(loaded.path)]:
                if not any(warning in found for found in parents):  # else given there, once
                    typer.echo(f"{display_path(loaded.path)}: warning: {warning}", err=True)
        typer.echo(f"ok: {plural(len(result.scenarios), 'scenario')}{checked}{swept} valid")

    guard(body)


def _warnings(loaded: LoadedScenario) -> list[str]:
    """Every warning of one valid scenario (``sim validate``)."""
    from sim.analysis.checks import structural_warnings
    from sim.model.checks import weakest_evidence
    from sim.montecarlo.judgments import fixed_judgments, undrawn_deciding
    from sim.montecarlo.structures import expand, unsupported

    found = [
        *fixed_judgments(loaded),
        *weakest_evidence(loaded.scenario),
        *undrawn_deciding(loaded),
        *structural_warnings(loaded),
        *unsupported(loaded),
    ]
    found += [
        f"uncertainty.structures.{choice.name}: {warning}"
        for choice in expand(loaded)
        for warning in structural_warnings(choice.loaded)
    ]
    if loaded.scenario.issues:  # else a spatial reading alone: nothing to compile
        war = war_value_warning(loaded.scenario, compile_problem(loaded.scenario))
        found += [war] if war is not None else []
    return found


@app.command()
def show(scenario: ScenarioArg, allow_outside: AllowOutside = False) -> None:
    """Print the resolved scenario (after `extends` and `set`) as YAML."""

    def body() -> None:
        for loaded in load_many(scenario, allow_outside=allow_outside):
            document = loaded.scenario.model_dump(
                mode="json", exclude_none=True, exclude={"extends", "set"}
            )
            typer.echo(f"# {display_path(loaded.path)} (resolved)")
            typer.echo(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))
            if loaded.scenario.issues:  # a spatial reading alone has no reservations
                typer.echo(_reservation_comment(loaded))

    guard(body)


def _reservation_comment(loaded: LoadedScenario) -> str:
    lines = ["# resolved reservation values:"]
    problem = compile_problem(loaded.scenario)
    for i, party in enumerate(problem.parties):
        line = f"#   {party}: {number(problem.reservation[i])}"
        b = reservation_breakdown(loaded.scenario, party, problem)
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
    index: Annotated[
        int | None, typer.Option(help="A bundle by its index (as other outputs name bundles).")
    ] = None,
    allow_outside: AllowOutside = False,
) -> None:
    """Each party's utility, per-issue contributions, reservation, red lines and verdict."""
    from sim.api import explain as explain_terms_of
    from sim.api import load_scenarios

    def body() -> None:
        if bundle is None and proposal is None and index is None:
            raise InputError("explain: give --bundle issue=option,..., --proposal ID or --index N")
        for loaded in load_scenarios(scenario, allow_outside=allow_outside):
            explanation = explain_terms_of(loaded, bundle=bundle, proposal=proposal, index=index)
            typer.echo(explanation.text)

    guard(body)
