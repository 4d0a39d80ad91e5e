"""The run folder of `sim uncertainty`: manifest.json, draws.csv, summary.csv, summary.json.

``draws.csv`` is written as the draws are computed (one row per draw and scenario: the drawn
value of every judgment, empty where a scenario does not vary it, and the headline metrics)
into a temporary file renamed into place at the end, so a reader never sees a partial table.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.core.verdict import Verdict
from sim.experiments.files import new_run_folder, write_atomic, write_json
from sim.experiments.manifest import finish_manifest, start_manifest
from sim.montecarlo.static import VERDICT_WORDS, VERDICTS, BlockResult, Structure
from sim.montecarlo.strategic import StrategicBlock, protocol_names

if TYPE_CHECKING:
    from sim.montecarlo.api import UncertaintyResult

RESULTS = Path("results")

_WORDS = np.array(VERDICT_WORDS)


def _headline_names(structure: Structure) -> list[str]:
    names = ["zone", "acceptable", "frontier", *structure.solution_names]
    for pid, _ in structure.proposals:
        names += [f"{pid}.{party}" for party in structure.problem.parties]
        names.append(f"{pid}.all")
    for protocol in protocol_names(structure):
        names += [f"{protocol}.period", f"{protocol}.bundle", f"{protocol}.self_enforcing"]
    return names


class RunWriter:
    """Writes a run folder while the draws are computed."""

    def __init__(
        self,
        structures: list[Structure],
        files: list[Path],
        draws: int,
        seed: int,
        out: Path | None,
    ) -> None:
        names = [s.scenario.name for s in structures]
        label = names[0] if len(names) == 1 else "uncertainty"
        self.folder = new_run_folder(RESULTS, label, out)
        self.manifest = start_manifest(
            "uncertainty",
            files,
            seed=seed,
            draws=draws,
            scenarios=names,
            judgments={s.scenario.name: len(s.judgments) for s in structures},
        )
        write_json(self.folder / "manifest.json", self.manifest)
        self.paths: list[str] = []
        self.headlines: list[str] = []
        for s in structures:
            self.paths += [j.path for j in s.judgments if j.path not in self.paths]
            self.headlines += [h for h in _headline_names(s) if h not in self.headlines]
        handle, name = tempfile.mkstemp(dir=self.folder, prefix=".draws.csv.", suffix=".tmp")
        self.temporary = Path(name)
        self.stream = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self.csv = csv.writer(self.stream, lineterminator="\n")
        self.csv.writerow(["scenario", "draw", *self.paths, *self.headlines])

    def block(
        self,
        structure: Structure,
        start: int,
        drawn: NDArray[np.float64],
        result: Any,
        strategic: StrategicBlock | None = None,
    ) -> None:
        """Append one block's rows."""
        assert isinstance(result, BlockResult)
        n = drawn.shape[0]
        columns: dict[str, list[Any]] = {
            j.path: drawn[:, i].tolist() for i, j in enumerate(structure.judgments)
        }
        columns["zone"] = (result.acceptable > 0).astype(int).tolist()
        columns["acceptable"] = result.acceptable.tolist()
        columns["frontier"] = result.frontier.tolist()
        for s, name in enumerate(structure.solution_names):
            columns[name] = result.solutions[:, s].tolist()
        veto = structure.problem.veto_indices
        accepts = result.verdicts == VERDICTS.index(Verdict.ACCEPTS)
        for p, (pid, _) in enumerate(structure.proposals):
            for i, party in enumerate(structure.problem.parties):
                columns[f"{pid}.{party}"] = _WORDS[result.verdicts[:, p, i]].tolist()
            columns[f"{pid}.all"] = accepts[:, p][:, veto].all(axis=1).astype(int).tolist()
        if strategic is not None:
            rows = strategic.period[start : start + n].shape[0]
            for r, protocol in enumerate(strategic.names):
                for key, array in (
                    ("period", strategic.period),
                    ("bundle", strategic.bundle),
                    ("self_enforcing", strategic.self_enforcing),
                ):
                    values = array[start : start + n, r].tolist()
                    columns[f"{protocol}.{key}"] = values + [""] * (n - rows)
        empty = [""] * n
        ordered = [columns.get(c, empty) for c in (*self.paths, *self.headlines)]
        label = [structure.scenario.name] * n
        self.csv.writerows(zip(label, range(start, start + n), *ordered, strict=True))

    def finish(self, result: UncertaintyResult) -> UncertaintyResult:
        """Close draws.csv, write the summaries and mark the run complete."""
        import dataclasses

        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # as open() would create it
        os.replace(self.temporary, self.folder / "draws.csv")
        document = result.document()
        write_json(self.folder / "summary.json", document)
        rows = summary_rows(result)
        write_atomic(self.folder / "summary.csv", _csv_text(rows))
        write_json(self.folder / "manifest.json", finish_manifest(self.manifest, "complete"))
        return dataclasses.replace(result, folder=self.folder)

    def abort(self, error: BaseException) -> None:
        """Mark the run interrupted (Ctrl-C) or failed; drop the partial draws table."""
        if not self.stream.closed:
            self.stream.close()
        self.temporary.unlink(missing_ok=True)
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        extra = {} if status == "interrupted" else {"error": repr(error)}
        write_json(self.folder / "manifest.json", finish_manifest(self.manifest, status, **extra))


def summary_rows(result: UncertaintyResult) -> list[dict[str, Any]]:
    """One row per scenario: the headline shares and paired differences."""
    rows = []
    for item in result.scenarios:
        s = item.summary
        row: dict[str, Any] = {
            "scenario": item.name,
            "draws": s["draws"],
            "judgments": s["judgments"],
            "p_zone": s["p_zone"],
            "p_zone_low": s["p_zone_ci"][0],
            "p_zone_high": s["p_zone_ci"][1],
            "acceptable_mean": s["acceptable"]["mean"],
            "acceptable_q05": s["acceptable"]["quantiles"]["0.05"],
            "acceptable_q50": s["acceptable"]["quantiles"]["0.5"],
            "acceptable_q95": s["acceptable"]["quantiles"]["0.95"],
            "robust_bundles": len(s["robust_bundles"]),
        }
        for pid, entry in s["proposals"].items():
            row[f"{pid}.all"] = entry["all"]
        for name, solution in s["solutions"].items():
            row[f"{name}.p_exists"] = solution["p_exists"]["p"]
            row[f"{name}.modal_p"] = solution["modal"]["p"] if solution["modal"] else 0.0
        bargaining = s.get("bargaining")
        if bargaining and bargaining["draws"]:
            row["bargaining_draws"] = bargaining["draws"]
            row["p_agreement"] = bargaining["p_agreement"]
            for name, entry in bargaining["protocols"].items():
                row[f"{name}.p_agreement"] = entry["p_agreement"]
                row[f"{name}.p_self_enforcing"] = entry["p_self_enforcing"]
        versus = s["versus_parent"]
        row["parent"] = versus["parent"] or ""
        row["p_zone_vs_parent"] = versus["p_zone"]["difference"] if versus["parent"] else ""
        rows.append(row)
    return rows


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
