"""The run folder of `sim uncertainty`: manifest.json, blocks/, draws.csv, summary.csv,
summary.json.

The folder is claimed and locked for as long as the run writes to it. The manifest pins the
input files (path and sha256) and the run's parameters; each block of draws is saved in
``blocks/`` as it finishes (:class:`sim.runs.uncertainty_blocks.BlockStore`), so an interrupted run
(Ctrl-C, a kill, a crash) is finished by ``sim uncertainty --resume FOLDER``, which refuses
if an input changed. ``draws.csv`` (one row per draw and scenario: the drawn value of every
judgment, empty where a scenario does not vary it, and the headline metrics) is written at the
end from the blocks' results and the draws (computed again: they depend on the seed and the
draw number only), into a temporary file renamed into place, so a reader never sees a partial
table and a resumed run writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from sim.errors import InputError, display_path
from sim.montecarlo.draws import draw_block
from sim.montecarlo.run_result import summary_rows
from sim.montecarlo.static import VERDICT_WORDS, Structure, accepted_by_all, block_size
from sim.montecarlo.strategic import StrategicBlock, protocol_names
from sim.runs.csvtext import rows_text
from sim.runs.files import (
    claim_run_folder,
    lock_run_folder,
    results_folder,
    write_atomic,
    write_json,
)
from sim.runs.integrity import outputs_record
from sim.runs.manifest import (
    changed_inputs,
    finish_manifest,
    input_record,
    read_manifest,
    start_manifest,
)
from sim.runs.uncertainty_blocks import BlockStore
from sim.writing import atomic_text

if TYPE_CHECKING:
    from sim.montecarlo.results import ScenarioDraws
    from sim.montecarlo.run_result import UncertaintyResult


_WORDS = np.array(VERDICT_WORDS)


def _headline_names(structure: Structure) -> list[str]:
    names = ["zone", "acceptable", "frontier", *structure.solution_names]
    for pid, _ in structure.proposals:
        names += [f"{pid}.{party}" for party in structure.problem.parties]
        names.append(f"{pid}.all")
    for protocol in protocol_names(structure):
        names += [f"{protocol}.period", f"{protocol}.bundle", f"{protocol}.self_enforcing"]
    return names


def read_run(folder: Path) -> dict[str, Any]:
    """The parameters of an unfinished uncertainty run, after checking that none of its
    input files changed.

    Raises
    ------
    InputError
        Not an uncertainty run folder, already complete, a manifest without the parameters,
        or inputs changed (one line per file, with the recorded and the current sha256).
    """
    context = f"--resume {display_path(folder)}"
    manifest = read_manifest(folder, context)
    where = display_path(folder / "manifest.json")
    if manifest.get("kind") != "uncertainty":
        raise InputError(f"{context}: not an uncertainty run")
    if manifest.get("status") == "complete":
        raise InputError(f"{context}: the run is already complete; nothing to resume")
    parameters, inputs = manifest.get("parameters"), manifest.get("inputs")
    shapes = {
        "paths": list,
        "draws": int,
        "seed": int,
        "sensitivity": bool,
        "strategic": int,
    }
    if not isinstance(parameters, dict) or any(
        not isinstance(parameters.get(k), t) for k, t in shapes.items()
    ):
        raise InputError(f"{where}: parameters: missing or of the wrong shape")
    if not (
        isinstance(inputs, list)
        and all(
            isinstance(i, dict) and all(isinstance(i.get(k), str) for k in ("absolute", "sha256"))
            for i in inputs
        )
    ):
        raise InputError(f"{where}: inputs: not a list of files with their sha256")
    problems = changed_inputs(inputs)
    if problems:
        raise InputError(
            "\n".join(
                f"{context}: {p}; the run cannot be finished with other inputs (start a new run)"
                for p in problems
            )
        )
    return parameters


class RunWriter:
    """Holds a run folder's lock while the run writes to it: the manifest, the blocks, and at
    the end draws.csv and the summaries."""

    def __init__(
        self,
        structures: list[Structure],
        files: list[Path],
        parameters: dict[str, Any],
        out: Path | None,
        resume: Path | None = None,
    ) -> None:
        names = [s.scenario.name for s in structures]
        self.structures = structures
        self.seed = int(parameters["seed"])
        if resume is not None:
            self.lock = lock_run_folder(resume, f"--resume {display_path(resume)}")
            self.folder = resume
            try:
                self.manifest = {
                    **read_manifest(resume, f"--resume {display_path(resume)}"),
                    "status": "running",
                    "finished": None,
                    "outputs": None,
                }
                self.manifest["resumed"] = int(self.manifest.get("resumed", 0)) + 1
                write_json(self.folder / "manifest.json", self.manifest)
                self.store = BlockStore(self.folder)
            except BaseException:
                self.lock.release()
                raise
            return
        label = names[0] if len(names) == 1 else "uncertainty"
        self.lock = claim_run_folder(results_folder(), label, out)
        self.folder = self.lock.folder
        try:
            unique = sorted({f.resolve() for f in files})
            self.manifest = start_manifest(
                "uncertainty",
                files,
                seed=self.seed,
                draws=parameters["draws"],
                scenarios=names,
                judgments={s.scenario.name: len(s.judgments) for s in structures},
                inputs=[input_record(f) for f in unique],
                parameters=parameters,
            )
            write_json(self.folder / "manifest.json", self.manifest)
            self.store = BlockStore(self.folder)
        except BaseException:
            self.lock.release()
            raise

    def _write_draws(self, result: UncertaintyResult) -> None:
        paths: list[str] = []
        headlines: list[str] = []
        for s in self.structures:
            paths += [j.path for j in s.judgments if j.path not in paths]
            headlines += [h for h in _headline_names(s) if h not in headlines]
        with atomic_text(self.folder / "draws.csv") as stream:
            csv.writer(stream, lineterminator="\n").writerow(
                ["scenario", "draw", *paths, *headlines]
            )
            for item in result.scenarios:
                _scenario_rows(stream, item.draws, self.seed, paths, headlines)

    def finish(self, result: UncertaintyResult) -> UncertaintyResult:
        """Write draws.csv and the summaries, mark the run complete, release the folder."""
        import dataclasses

        self._write_draws(result)
        document = result.document()
        write_json(self.folder / "summary.json", document)
        rows = summary_rows(result)
        write_atomic(self.folder / "summary.csv", _csv_text(rows))
        outputs = outputs_record(self.folder, ["draws.csv", "summary.csv", "summary.json"])
        finished = finish_manifest(self.manifest, "complete", outputs=outputs)
        write_json(self.folder / "manifest.json", finished)
        self.lock.release()
        return dataclasses.replace(result, folder=self.folder)

    def abort(self, error: BaseException) -> None:
        """Mark the run interrupted (Ctrl-C) or failed; the finished blocks stay for
        ``--resume``; release the folder."""
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        extra = {} if status == "interrupted" else {"error": repr(error)}
        try:
            write_json(
                self.folder / "manifest.json", finish_manifest(self.manifest, status, **extra)
            )
        except InputError:
            pass  # the disk failed: the error being raised says so
        finally:
            self.lock.release()


def _scenario_rows(
    stream: IO[str], result: ScenarioDraws, seed: int, paths: list[str], headlines: list[str]
) -> None:
    """Append one scenario's rows, a block of draws at a time."""
    structure = result.structure
    n = result.acceptable.shape[0]
    step = block_size(structure)
    for start in range(0, n, step):
        stop = min(n, start + step)
        drawn = draw_block(structure.judgments, seed, start, stop)
        count = stop - start
        columns: dict[str, list[Any]] = {
            j.path: drawn[:, i].tolist() for i, j in enumerate(structure.judgments)
        }
        acceptable = result.acceptable[start:stop]
        verdicts = result.verdicts[start:stop]
        columns["zone"] = (acceptable > 0).astype(int).tolist()
        columns["acceptable"] = acceptable.tolist()
        columns["frontier"] = result.frontier[start:stop].tolist()
        for s, name in enumerate(structure.solution_names):
            columns[name] = result.solutions[start:stop, s].tolist()
        completable = None if result.completable is None else result.completable[start:stop]
        every = accepted_by_all(verdicts, completable, structure.problem)
        for p, (pid, _) in enumerate(structure.proposals):
            for i, party in enumerate(structure.problem.parties):
                columns[f"{pid}.{party}"] = _WORDS[verdicts[:, p, i]].tolist()
            columns[f"{pid}.all"] = every[:, p].astype(int).tolist()
        strategic: StrategicBlock | None = result.strategic
        if strategic is not None:
            rows = strategic.period[start:stop].shape[0]
            for r, protocol in enumerate(strategic.names):
                for key, array in (
                    ("period", strategic.period),
                    ("bundle", strategic.bundle),
                    ("self_enforcing", strategic.self_enforcing),
                ):
                    values = array[start:stop, r].tolist()
                    columns[f"{protocol}.{key}"] = values + [""] * (count - rows)
        empty = [""] * count
        ordered = [columns.get(c, empty) for c in (*paths, *headlines)]
        label = [structure.scenario.name] * count
        stream.write(rows_text([label, range(start, stop), *ordered]))


def _csv_text(rows: list[dict[str, Any]]) -> str:
    import io

    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
