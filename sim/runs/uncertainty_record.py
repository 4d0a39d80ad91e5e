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
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

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
from sim.runs.uncertainty_blocks import Arrays, Assembled, BlockStore, block_arrays
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
        self.parts: dict[int, tuple[int, str]] = {}
        """Each block's row count and rows of draws.csv, by its number in the plan."""
        self.formatted = Formatted()
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

    @functools.cached_property
    def _columns(self) -> tuple[list[str], list[str]]:
        """draws.csv's columns after the scenario and the draw: every judgment's path, then
        every headline, each once, in the structures' order."""
        paths: list[str] = []
        headlines: list[str] = []
        for s in self.structures:
            paths += [j.path for j in s.judgments if j.path not in paths]
            headlines += [h for h in _headline_names(s) if h not in headlines]
        return paths, headlines

    def take_block(self, number: int, item: dict[str, Any], arrays: Arrays) -> None:
        """Format a block's rows of draws.csv as it arrives (``number`` in the run's plan,
        :func:`sim.runs.uncertainty_blocks.plan_blocks`), while the workers compute the
        others; :meth:`finish` writes them in order."""
        structure = self.structures[item["scenario"]]
        part = block_arrays(structure, arrays)
        paths, headlines = self._columns
        text = _rows_text(
            structure, part, item["start"], self.seed, paths, headlines, self.formatted
        )
        self.parts[number] = (part.acceptable.shape[0], text)

    def _write_draws(self, result: UncertaintyResult) -> None:
        paths, headlines = self._columns
        scenarios = [item.draws for item in result.scenarios]
        numbers = sorted(self.parts)
        taken = (  # every block's rows, of these structures in this order
            len(scenarios) == len(self.structures)
            and all(d.structure is s for d, s in zip(scenarios, self.structures, strict=True))
            and numbers == list(range(len(numbers)))
            and sum(self.parts[n][0] for n in numbers)
            == sum(d.acceptable.shape[0] for d in scenarios)
        )
        with atomic_text(self.folder / "draws.csv") as stream:
            csv.writer(stream, lineterminator="\n").writerow(
                ["scenario", "draw", *paths, *headlines]
            )
            if taken:
                for number in numbers:
                    stream.write(self.parts[number][1])
            else:
                for draws in scenarios:
                    stream.write(
                        _rows_text(
                            draws.structure, draws, 0, self.seed, paths, headlines, self.formatted
                        )
                    )
        self.parts.clear()
        self.formatted = Formatted()

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


FORMATTED_LIMIT = 1 << 21
"""Most formatted drawn values a run's writer keeps (about 160 MB; the case's 10,000-draw run
keeps 1.6 million): beyond it a column is formatted each time."""


class Formatted:
    """Drawn columns formatted as csv writes them, kept by their values: the scenarios of a
    folder draw most judgments with common random numbers (the case's seven: 1,043 columns a
    block, 156 distinct), so each distinct column is formatted once, within
    :data:`FORMATTED_LIMIT` values."""

    def __init__(self, limit: int = FORMATTED_LIMIT) -> None:
        self.columns: dict[bytes, list[str]] = {}
        self.left = limit

    def __call__(self, column: NDArray[np.float64]) -> list[str]:
        key = column.tobytes()
        found = self.columns.get(key)
        if found is None:
            found = list(map(str, column.tolist()))  # what csv writes of a float
            if len(found) <= self.left:
                self.left -= len(found)
                self.columns[key] = found
        return found


def _rows_text(
    structure: Structure,
    part: ScenarioDraws | Assembled,
    first: int,
    seed: int,
    paths: list[str],
    headlines: list[str],
    formatted: Formatted | None = None,
) -> str:
    """draws.csv's rows of one scenario's draws ``first``, ``first + 1``, ... (``part``: their
    arrays, a block's or the whole scenario's), drawn again a block of draws at a time; the
    drawn values formatted by ``formatted`` (each distinct column once), else each time."""
    format_column = formatted if formatted is not None else Formatted(0)
    n = part.acceptable.shape[0]
    step = block_size(structure)
    texts = []
    for start in range(0, n, step):
        stop = min(n, start + step)
        drawn = draw_block(structure.judgments, seed, first + start, first + stop)
        count = stop - start
        columns: dict[str, list[Any]] = {
            j.path: format_column(drawn[:, i]) for i, j in enumerate(structure.judgments)
        }
        acceptable = part.acceptable[start:stop]
        verdicts = part.verdicts[start:stop]
        columns["zone"] = (acceptable > 0).astype(int).tolist()
        columns["acceptable"] = acceptable.tolist()
        columns["frontier"] = part.frontier[start:stop].tolist()
        for s, name in enumerate(structure.solution_names):
            columns[name] = part.solutions[start:stop, s].tolist()
        completable = None if part.completable is None else part.completable[start:stop]
        every = accepted_by_all(verdicts, completable, structure.problem)
        for p, (pid, _) in enumerate(structure.proposals):
            for i, party in enumerate(structure.problem.parties):
                columns[f"{pid}.{party}"] = _WORDS[verdicts[:, p, i]].tolist()
            columns[f"{pid}.all"] = every[:, p].astype(int).tolist()
        strategic: StrategicBlock | None = part.strategic
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
        texts.append(rows_text([label, range(first + start, first + stop), *ordered]))
    return "".join(texts)


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
