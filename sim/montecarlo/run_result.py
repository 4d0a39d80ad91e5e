"""The typed result of ``sim uncertainty``: every scenario's draws and summary, and the
one-row-per-scenario table of headline shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.montecarlo.document import ScenarioSummary, UncertaintySummary
from sim.montecarlo.results import ScenarioDraws, headline_columns

if TYPE_CHECKING:
    import pandas


@dataclass(frozen=True, eq=False)
class ScenarioUncertainty:
    """One scenario's results: the per-draw arrays and the summary."""

    draws: ScenarioDraws
    summary: ScenarioSummary

    @property
    def name(self) -> str:
        return self.draws.name

    def table(self) -> pandas.DataFrame:
        """One row per draw: the headline metrics (``pip install -e '.[notebook]'``)."""
        import pandas

        return pandas.DataFrame(headline_columns(self.draws))


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """What ``sim uncertainty`` computes: every scenario's draws and summaries."""

    draws: int
    seed: int
    scenarios: tuple[ScenarioUncertainty, ...]
    folder: Path | None = None
    notes: tuple[str, ...] = field(default=())
    structures: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per scenario that declares structures: its conclusions per structure and mixed
    (:func:`sim.montecarlo.structures.mixture`)."""

    def __getitem__(self, name: str) -> ScenarioUncertainty:
        for item in self.scenarios:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def summary(self) -> UncertaintySummary:
        """Every scenario's summary, typed (``summary.json`` is its :meth:`document`)."""
        return UncertaintySummary(
            self.draws,
            self.seed,
            self.notes,
            {s.name: s.summary for s in self.scenarios},
            self.structures,
        )

    def document(self) -> dict[str, Any]:
        """The SPEC §6 summary document."""
        return self.summary.to_json()

    def table(self) -> pandas.DataFrame:
        """One row per scenario: the headline shares (``pip install -e '.[notebook]'``)."""
        import pandas

        return pandas.DataFrame(summary_rows(self))


def summary_rows(result: UncertaintyResult) -> list[dict[str, Any]]:
    """One row per scenario: the headline shares and paired differences."""
    rows = []
    for item in result.scenarios:
        s = item.summary
        row: dict[str, Any] = {
            "scenario": item.name,
            "draws": s.draws,
            "judgments": s.judgments,
            "p_zone": s.zone.p,
            "p_zone_low": s.zone.low,
            "p_zone_high": s.zone.high,
            "acceptable_mean": s.acceptable.mean,
            "acceptable_q05": s.acceptable.quantiles["0.05"],
            "acceptable_q50": s.acceptable.quantiles["0.5"],
            "acceptable_q95": s.acceptable.quantiles["0.95"],
            "robust_bundles": len(s.robust_bundles),
        }
        for pid, entry in s.proposals.items():
            row[f"{pid}.all"] = entry["all"].p
        for name, solution in s.solutions.items():
            row[f"{name}.p_exists"] = solution.exists.p
            row[f"{name}.modal_p"] = solution.modal.p if solution.modal else 0.0
        bargaining = s.bargaining
        if bargaining and bargaining.draws:
            row["bargaining_draws"] = bargaining.draws
            row["p_agreement"] = bargaining.agreement.p
            for name, protocol in bargaining.protocols.items():
                row[f"{name}.p_agreement"] = protocol.agreement.p
                row[f"{name}.p_self_enforcing"] = protocol.self_enforcing.p
        versus = s.versus_parent
        row["parent"] = versus.parent if versus else ""
        row["p_zone_vs_parent"] = versus.zone.difference if versus else ""
        rows.append(row)
    return rows
