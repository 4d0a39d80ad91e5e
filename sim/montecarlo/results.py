"""Per-draw results of a scenario and their summary (SPEC §6, without sensitivity)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.core.space import decode
from sim.core.verdict import Verdict
from sim.model import LoadedScenario
from sim.montecarlo.document import (
    Acceptable,
    BundleOdds,
    Difference,
    Odds,
    PartyValue,
    ScenarioSummary,
    Spread,
    VersusParent,
    ZoneValue,
)
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import Judgment
from sim.montecarlo.static import (
    VERDICT_WORDS,
    VERDICTS,
    Structure,
    ZoneMeasures,
    accepted_by_all,
    block_size,
    evaluate_block,
)
from sim.montecarlo.strategic import StrategicBlock, bargaining_versus
from sim.montecarlo.summary import (
    bundle_words,
    in_words,
    paired,
    quantiles,
    solution_summary,
    wilson,
)
from sim.montecarlo.talks import TalksDraws

TOP_BUNDLES = 5
"""Most often acceptable bundles listed per scenario."""


@dataclass(frozen=True, eq=False)
class ScenarioDraws:
    """Per-draw results of one scenario (the static layer).

    Attributes
    ----------
    acceptable, frontier
        ``(N,)`` acceptable bundles and distinct frontier points.
    solutions
        ``(N, 4)`` bundle index of each solution (``structure.solution_names``), -1 if none.
    verdicts
        ``(N, n_proposals, n_parties)`` codes into :data:`sim.montecarlo.static.VERDICTS`.
    bundle_counts
        ``(F,)`` draws in which each feasible bundle (``structure.bundles``) is acceptable.
    strategic
        Bargaining over time and compliance for the first ``strategic_draws`` draws.
    completable
        ``(N, n_proposals)`` with consent: some completion of the proposal is acceptable
        (None: not recorded; every veto party accepting every completion then suffices).
    """

    loaded: LoadedScenario
    structure: Structure
    acceptable: NDArray[np.int64]
    frontier: NDArray[np.int64]
    solutions: NDArray[np.int64]
    verdicts: NDArray[np.int8]
    bundle_counts: NDArray[np.int64]
    strategic: StrategicBlock | None = None
    """Bargaining over time and compliance for the first draws (None: not computed)."""
    completable: NDArray[np.bool_] | None = None
    measures: ZoneMeasures | None = None
    """What the zone is worth in each draw (None: not recorded)."""
    talks: TalksDraws | None = None
    """Why talks fail, draw by draw with bargaining over time (None: no ``war.private``)."""

    @property
    def name(self) -> str:
        return self.structure.scenario.name

    @property
    def judgments(self) -> tuple[Judgment, ...]:
        return self.structure.judgments

    def accepts(self) -> NDArray[np.bool_]:
        """``(N, n_proposals, n_parties)`` True where the party accepts."""
        accepts: NDArray[np.bool_] = self.verdicts == VERDICTS.index(Verdict.ACCEPTS)
        return accepts

    def all_accept(self) -> NDArray[np.bool_]:
        """``(N, n_proposals)`` True where the proposal is accepted by all: every veto party
        accepts every completion and (with consent) some completion is acceptable."""
        return accepted_by_all(self.verdicts, self.completable, self.structure.problem)


def simulate(
    structure: Structure,
    draws: int,
    seed: int,
    on_block: Callable[[int, NDArray[np.float64], Any], None] | None = None,
) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]
]:
    """Evaluate draws ``0..draws-1`` block by block; ``on_block(start, drawn, result)`` sees
    each block (to write it out or report progress)."""
    n_props, n_parties = len(structure.proposals), structure.problem.n_parties
    acceptable = np.empty(draws, dtype=np.int64)
    frontier = np.empty(draws, dtype=np.int64)
    solutions = np.empty((draws, len(structure.solution_names)), dtype=np.int64)
    verdicts = np.empty((draws, n_props, n_parties), dtype=np.int8)
    counts = np.zeros(structure.bundles.shape[0], dtype=np.int64)
    step = block_size(structure)
    for start in range(0, draws, step):
        stop = min(draws, start + step)
        drawn = draw_block(structure.judgments, seed, start, stop)
        result = evaluate_block(structure, drawn)
        acceptable[start:stop] = result.acceptable
        frontier[start:stop] = result.frontier
        solutions[start:stop] = result.solutions
        verdicts[start:stop] = result.verdicts
        counts += result.bundle_counts
        if on_block is not None:
            on_block(start, drawn, result)
    return acceptable, frontier, solutions, verdicts, counts


def summarise(result: ScenarioDraws, robust: float) -> ScenarioSummary:
    """The SPEC §6 summary of one scenario's draws (without bargaining, talks, the parent,
    sensitivity and the spatial forecast, which the caller adds)."""
    structure, problem = result.structure, result.structure.problem
    n = result.acceptable.shape[0]
    values, counts = np.unique(result.acceptable, return_counts=True)
    common = np.argsort(-counts, kind="stable")[:10]
    accepts, all_accept = result.accepts(), result.all_accept()
    proposals: dict[str, dict[str, Odds]] = {}
    for p, (pid, _) in enumerate(structure.proposals):
        proposals[pid] = {
            party: wilson(int(accepts[:, p, i].sum()), n)
            for i, party in enumerate(problem.parties)
            if not (result.verdicts[:, p, i] == VERDICTS.index(Verdict.NO_RESERVATION)).all()
        }
        proposals[pid]["all"] = wilson(int(all_accept[:, p].sum()), n)
    shares = result.bundle_counts / max(n, 1)
    order = np.argsort(-shares, kind="stable")

    def listed(rows: list[Any]) -> tuple[BundleOdds, ...]:
        out = []
        for r in rows:
            words = bundle_words(problem, int(structure.bundles[r]))
            out.append(
                BundleOdds(int(structure.bundles[r]), words, in_words(words), float(shares[r]))
            )
        return tuple(out)

    return ScenarioSummary(
        draws=n,
        judgments=len(result.judgments),
        zone=wilson(int((result.acceptable > 0).sum()), n),
        zone_value=zone_value(result),
        acceptable=Acceptable(
            float(result.acceptable.mean()) if n else float("nan"),
            quantiles(result.acceptable),
            {str(int(values[i])): float(counts[i] / n) for i in common},
        ),
        frontier_mean=float(result.frontier.mean()) if n else float("nan"),
        proposals=proposals,
        robust_threshold=robust,
        robust_bundles=listed([r for r in order if shares[r] >= robust]),
        top_bundles=listed([r for r in order[:TOP_BUNDLES] if shares[r] > 0]),
        solutions={
            name: solution_summary(problem, result.solutions[:, s])
            for s, name in enumerate(structure.solution_names)
        },
        versus_parent=None,
    )


def _spread(values: NDArray[np.float64]) -> Spread:
    """Mean and 5%, 50%, 95% quantiles of a measure (None where it has no draw)."""
    if values.shape[0] == 0:
        return Spread(None, None)
    found = np.quantile(values, [0.05, 0.5, 0.95], method="inverted_cdf")
    return Spread(
        float(values.mean()),
        {k: float(v) for k, v in zip(("0.05", "0.5", "0.95"), found, strict=True)},
    )


def zone_value(result: ScenarioDraws) -> ZoneValue | None:
    """What the zone is worth, in the parties' utilities (0 to 1 each) rather than in bundles.

    ``surplus``: the joint surplus (the veto parties' largest summed utility above their
    reservations over the acceptable bundles), counting a draw without a zone as 0;
    ``surplus_given_zone``: the same over the draws with a zone only. Per veto party (and
    consent holder), ``parties``: its reservation, and the least and greatest utility it can
    get inside the zone (over the draws with a zone). ``options``: per issue, each option's
    share of the acceptable bundles over all draws. None when the measures were not recorded.
    """
    measures = result.measures
    if measures is None:
        return None
    problem, structure = result.structure.problem, result.structure
    zone = ~np.isnan(measures.surplus)
    surplus = np.where(zone, measures.surplus, 0.0)
    parties = {
        problem.parties[j]: PartyValue(
            bool(problem.veto[j]),
            _spread(measures.reservations[:, c]),
            _spread(measures.utility_low[zone, c]),
            _spread(measures.utility_high[zone, c]),
        )
        for c, j in enumerate(problem.judges.tolist())
    }
    total = int(result.bundle_counts.sum())
    digits = decode(structure.bundles, problem.bundle_radices)  # the scenario's own issues
    options: dict[str, dict[str, float]] = {}
    for k, issue in enumerate(problem.bundle_issues):
        shares = np.bincount(
            digits[:, k], weights=result.bundle_counts, minlength=len(problem.bundle_options[k])
        )
        options[issue] = {
            option: float(shares[o] / total) if total else 0.0
            for o, option in enumerate(problem.bundle_options[k])
        }
    return ZoneValue(_spread(surplus), _spread(measures.surplus[zone]), parties, options)


def versus_parent(child: ScenarioDraws, parent: ScenarioDraws) -> VersusParent:
    """Paired differences, variant minus parent, draw by draw (common random numbers)."""
    shared = {j.path for j in child.judgments} & {j.path for j in parent.judgments}
    proposals: dict[str, dict[str, Difference]] = {}
    parent_props = [pid for pid, _ in parent.structure.proposals]
    child_all = child.all_accept()
    parent_all = parent.all_accept()
    for p, (pid, _) in enumerate(child.structure.proposals):
        if pid in parent_props:
            q = parent_props.index(pid)
            proposals[pid] = {"all": paired(child_all[:, p], parent_all[:, q])}
            for i, party in enumerate(child.structure.problem.parties):
                if party in parent.structure.problem.parties:
                    j = parent.structure.problem.parties.index(party)
                    proposals[pid][party] = paired(
                        child.accepts()[:, p, i], parent.accepts()[:, q, j]
                    )
    zone_child, zone_parent = child.acceptable > 0, parent.acceptable > 0
    nash_same = child.solutions[:, 0] == parent.solutions[:, 0]
    surplus, reservations = _value_versus(child, parent)
    return VersusParent(
        parent=parent.name,
        shared_judgments=len(shared),
        zone=paired(zone_child, zone_parent),
        acceptable_mean=paired(child.acceptable, parent.acceptable),
        zone_in_both=float((zone_child & zone_parent).mean()),
        zone_only_in_variant=float((zone_child & ~zone_parent).mean()),
        zone_only_in_parent=float((~zone_child & zone_parent).mean()),
        nash_same_bundle=float((nash_same & (child.solutions[:, 0] >= 0)).mean()),
        surplus=surplus,
        reservations=reservations,
        proposals=proposals,
        bargaining=(
            bargaining_versus(child.strategic, parent.strategic)
            if child.strategic is not None and parent.strategic is not None
            else None
        ),
    )


def _value_versus(
    child: ScenarioDraws, parent: ScenarioDraws
) -> tuple[Difference | None, dict[str, Difference] | None]:
    """Paired differences of the zone's joint surplus (0 without a zone) and of each judge's
    reservation (the shift of each reservation), variant minus parent; None, None when the
    measures were not recorded."""
    if child.measures is None or parent.measures is None:
        return None, None
    a, b = child.measures, parent.measures
    surplus = paired(np.nan_to_num(a.surplus, nan=0.0), np.nan_to_num(b.surplus, nan=0.0))
    shifts = {}
    child_judges = [child.structure.problem.parties[j] for j in child.structure.problem.judges]
    parent_judges = [parent.structure.problem.parties[j] for j in parent.structure.problem.judges]
    for c, party in enumerate(child_judges):
        if party in parent_judges:
            q = parent_judges.index(party)
            shifts[party] = paired(a.reservations[:, c], b.reservations[:, q])
    return surplus, shifts


def headline_columns(result: ScenarioDraws) -> dict[str, NDArray[Any]]:
    """Per-draw headline metrics by column name (as in ``draws.csv``)."""
    structure = result.structure
    columns: dict[str, NDArray[Any]] = {
        "zone": (result.acceptable > 0).astype(np.int64),
        "acceptable": result.acceptable,
        "frontier": result.frontier,
    }
    for s, name in enumerate(structure.solution_names):
        columns[name] = result.solutions[:, s]
    all_accept = result.all_accept()
    for p, (pid, _) in enumerate(structure.proposals):
        for i, party in enumerate(structure.problem.parties):
            columns[f"{pid}.{party}"] = np.array(VERDICT_WORDS)[result.verdicts[:, p, i]]
        columns[f"{pid}.all"] = all_accept[:, p].astype(np.int64)
    return columns
