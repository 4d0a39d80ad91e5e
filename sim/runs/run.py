"""`sim run`: analyse scenarios and record them in a run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.analysis.analyse import AnalysisOptions, analyse_scenario
from sim.analysis.document import outcome_document
from sim.analysis.outcome import Outcome
from sim.analysis.row import outcome_row, table_schema
from sim.analysis.stored import ANALYSIS, FORMAT, outcome_from_json, outcome_to_json
from sim.core.frontier import SpaceTooLargeError
from sim.display import as_html
from sim.errors import InputError, display_path
from sim.model.resolve import LoadedScenario
from sim.runs.files import (
    new_run_folder,
    read_document,
    results_folder,
    write_atomic,
    write_json,
)
from sim.runs.integrity import outputs_record
from sim.runs.manifest import finish_manifest, start_manifest
from sim.runs.store import write_table


@dataclass(frozen=True, eq=False)
class RunRecord:
    """What `sim run` produced: the run folder (None when not recorded), each scenario's
    typed outcome and its outcome-table row."""

    folder: Path | None
    outcomes: tuple[Outcome, ...]
    rows: tuple[dict[str, Any], ...]

    @property
    def documents(self) -> tuple[dict[str, Any], ...]:
        """The outcome documents (SPEC §3) of the scenarios."""
        return tuple(outcome_document(o) for o in self.outcomes)

    def __getitem__(self, scenario: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.scenario == scenario:
                return outcome
        known = ", ".join(o.scenario for o in self.outcomes)
        raise KeyError(f"no scenario {scenario!r} in this run (known: {known})")

    def __repr__(self) -> str:
        where = display_path(self.folder) if self.folder is not None else "not recorded"
        names = ", ".join(o.scenario for o in self.outcomes)
        return f"RunRecord({len(self.outcomes)} scenarios [{names}], {where})"

    def _repr_html_(self) -> str:
        return as_html(self)


def run_scenarios(
    scenarios: list[LoadedScenario],
    *,
    out: Path | None = None,
    results: Path | None = None,
    frontier_limit: int | None = None,
    record: bool = True,
    options: AnalysisOptions | None = None,
) -> RunRecord:
    """Analyse each scenario; unless ``record`` is False, write a run folder.

    The folder holds ``manifest.json``, ``outcomes.csv`` (one row per scenario),
    ``outcomes/<scenario>.json`` (the outcome document), ``analysis.json`` (every outcome,
    typed, as :mod:`sim.analysis.stored` writes it: what reports and figures read, never
    analysing again) and ``scenarios/<scenario>.yaml`` (the scenario as it was analysed: after
    ``extends``, ``set`` and ``--set``, so that its report needs neither the files nor the
    command line); the manifest is written first with status ``running`` and
    last with ``complete`` (``interrupted`` after Ctrl-C, ``failed`` after an error).
    ``options`` (default: ``frontier_limit`` alone) says how to analyse each scenario.
    """
    if options is None:
        options = AnalysisOptions(frontier_limit=frontier_limit)
    label = scenarios[0].scenario.name if len(scenarios) == 1 else scenarios[0].path.parent.name
    where = results_folder() if results is None else results
    folder = new_run_folder(where, label, out) if record else None
    manifest: dict[str, Any] = {}
    if folder is not None:  # a run not recorded needs no manifest (nor git and the versions)
        files = [f for s in scenarios for f in s.files]
        manifest = start_manifest(
            "run", files, seed=0, keys=["scenario"], ids=[], frontier_limit=options.frontier_limit
        )
        write_json(folder / "manifest.json", manifest)
    outcomes, rows = [], []
    try:
        for loaded in scenarios:
            try:
                outcome = analyse_scenario(loaded, options)
            except SpaceTooLargeError as error:
                raise InputError(f"{display_path(loaded.path)}: space too large: {error}") from None
            outcomes.append(outcome)
            rows.append({"scenario": outcome.scenario, **outcome_row(outcome)})
            if folder is not None:
                write_json(
                    folder / "outcomes" / f"{outcome.scenario}.json", outcome_document(outcome)
                )
                write_atomic(
                    folder / "scenarios" / f"{outcome.scenario}.yaml", scenario_text(loaded)
                )
        if folder is not None:
            write_table(folder / "outcomes.csv", rows)
            write_json(folder / ANALYSIS, stored_outcomes(outcomes))
    except KeyboardInterrupt:
        if folder is not None:
            write_json(folder / "manifest.json", finish_manifest(manifest, "interrupted"))
        raise
    except BaseException as error:
        if folder is not None:
            write_json(
                folder / "manifest.json", finish_manifest(manifest, "failed", error=repr(error))
            )
        raise
    if folder is not None:
        outputs = outputs_record(folder, ["outcomes.csv", ANALYSIS])
        columns = table_schema(
            list(dict.fromkeys(c for row in rows for c in row)),
            list(dict.fromkeys(p for o in outcomes for p in o.parties)),
            list(dict.fromkeys(s.rule.key for o in outcomes for s in o.solutions)),
        )
        finished = finish_manifest(manifest, "complete", outputs=outputs, columns=columns)
        write_json(folder / "manifest.json", finished)
    return RunRecord(folder, tuple(outcomes), tuple(rows))


def stored_outcomes(outcomes: list[Outcome]) -> dict[str, Any]:
    """The run's outcomes, typed, by scenario: ``{"format": 1, "outcomes": {name: ...}}``
    (:func:`sim.analysis.stored.outcome_to_json` of each)."""
    return {
        "format": FORMAT,
        "outcomes": {outcome.scenario: outcome_to_json(outcome) for outcome in outcomes},
    }


def read_outcomes(folder: Path) -> dict[str, Outcome] | None:
    """The typed outcomes a run stored (``analysis.json``, :func:`stored_outcomes`), by
    scenario; None for a folder made before they were stored, or in another version of the
    stored form. The caller checks the folder first (:func:`sim.runs.integrity.verify_outputs`
    compares the file with the sha256 the manifest recorded).

    Raises
    ------
    InputError
        The file is there but is not JSON or not stored outcomes.
    """
    path = folder / ANALYSIS
    document = read_document(path, "outcomes")
    if document is None or document.get("format") != FORMAT:
        return None
    return {
        str(name): outcome_from_json(data, f"{display_path(path)}: {name}")
        for name, data in document["outcomes"].items()
    }


def scenario_text(loaded: LoadedScenario) -> str:
    """The scenario as analysed (after ``extends``, ``set`` and ``--set``) as YAML, read back
    by :func:`sim.model.yamlio.read_yaml` to the same document."""
    import yaml

    return yaml.safe_dump(loaded.document, sort_keys=False, allow_unicode=True, width=100)
