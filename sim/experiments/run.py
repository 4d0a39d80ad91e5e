"""`sim run`: analyse scenarios and record them in a run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.core.frontier import SpaceTooLargeError
from sim.errors import InputError, display_path
from sim.experiments.files import new_run_folder, write_json
from sim.experiments.manifest import finish_manifest, start_manifest
from sim.experiments.outcome import SOLUTIONS, outcome_document
from sim.experiments.store import write_table
from sim.model.resolve import LoadedScenario

RESULTS = Path("results")


@dataclass(frozen=True)
class RunRecord:
    folder: Path | None
    documents: tuple[dict[str, Any], ...]
    rows: tuple[dict[str, Any], ...]


def bundle_text(bundle: dict[str, str] | None) -> str | None:
    """A bundle in words for a table cell: ``issue=option`` joined by ``; ``."""
    return None if bundle is None else "; ".join(f"{k}={v}" for k, v in bundle.items())


def outcome_row(document: dict[str, Any]) -> dict[str, Any]:
    """The headline metrics of an outcome document, as one row of an outcome table."""
    space = document["space"]
    row: dict[str, Any] = {
        "bundles": space["bundles"],
        "feasible": space["feasible"],
        "acceptable": space["acceptable"],
        "acceptable_exact": "acceptable_estimate" not in space,
        "zopa_share": space["acceptable"] / space["bundles"],
        "frontier_size": document.get("frontier_size", len(document["frontier"])),
    }
    for party, value in document["reservations"].items():
        row[f"reservation_{party}"] = value
    for name in SOLUTIONS:
        solution = document["solutions"][name]
        row[f"{name}_bundle"] = bundle_text(solution["bundle"]) if solution else None
        for party in document["parties"]:
            row[f"{name}_{party}"] = solution["utilities"][party] if solution else None
    bargaining = document.get("bargaining")
    if bargaining is not None:
        for result in bargaining["results"]:
            key = _protocol_key(result["protocol"])
            row[f"{key}_period"] = result["agreement_period"]
            row[f"{key}_bundle"] = bundle_text(result["bundle"])
    games = document.get("equilibria", {}).get("games", [])
    compliance = [g for g in games if g["name"] == "compliance"]
    if bargaining is not None:
        row["self_enforcing"] = _self_enforcing(bargaining, compliance)
    leverage = [g for g in games if g["name"] == "leverage"]
    if leverage:
        row["leverage_choice"] = leverage[0]["choice"]
        row["credible_threats"] = " ".join(
            p["policy"] for p in leverage[0]["policies"] if p["target"] and p["credible"]
        )
    return row


def _protocol_key(protocol: str) -> str:
    if protocol == "mediated":
        return "mediated"
    first = protocol.removeprefix("alternating (").removesuffix(" first)")
    return f"alternating_{first}_first"


def _self_enforcing(bargaining: dict[str, Any], compliance: list[dict[str, Any]]) -> str | None:
    """Per agreed bundle of the bargaining protocols: yes / no (empty when no agreement)."""
    verdicts = {g["bundle_index"]: g["self_enforcing"] for g in compliance}
    agreed = [r["index"] for r in bargaining["results"] if r["index"] is not None]
    if not agreed or not verdicts:
        return None
    return " ".join("yes" if verdicts.get(i) else "no" for i in agreed)


def run_scenarios(
    scenarios: list[LoadedScenario],
    *,
    out: Path | None = None,
    results: Path = RESULTS,
    frontier_limit: int | None = None,
    record: bool = True,
) -> RunRecord:
    """Analyse each scenario; unless ``record`` is False, write a run folder.

    The folder holds ``manifest.json``, ``outcomes.csv`` (one row per scenario) and
    ``outcomes/<scenario>.json``; the manifest is written first with status ``running`` and
    last with ``complete`` (or ``failed``).
    """
    label = scenarios[0].scenario.name if len(scenarios) == 1 else scenarios[0].path.parent.name
    folder = new_run_folder(results, label, out) if record else None
    files = [f for s in scenarios for f in s.files]
    manifest = start_manifest(
        "run", files, seed=0, keys=["scenario"], ids=[], frontier_limit=frontier_limit
    )
    if folder is not None:
        write_json(folder / "manifest.json", manifest)
    documents, rows = [], []
    try:
        for loaded in scenarios:
            try:
                document = outcome_document(loaded, frontier_limit=frontier_limit)
            except SpaceTooLargeError as error:
                raise InputError(f"{display_path(loaded.path)}: space too large: {error}") from None
            documents.append(document)
            rows.append({"scenario": document["scenario"], **outcome_row(document)})
            if folder is not None:
                write_json(folder / "outcomes" / f"{document['scenario']}.json", document)
        if folder is not None:
            write_table(folder / "outcomes.csv", rows)
    except BaseException as error:
        if folder is not None:
            write_json(
                folder / "manifest.json", finish_manifest(manifest, "failed", error=repr(error))
            )
        raise
    if folder is not None:
        write_json(folder / "manifest.json", finish_manifest(manifest, "complete"))
    return RunRecord(folder, tuple(documents), tuple(rows))
