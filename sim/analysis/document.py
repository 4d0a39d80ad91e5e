"""The outcome document (SPEC §3 and §5): JSON-ready renderings of a typed outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.analysis.games import games_document
from sim.analysis.numbers import by_name, rounded
from sim.analysis.outcome import (
    Bargaining,
    BargainingOutcome,
    Bundle,
    Outcome,
    ProposalOutcome,
)
from sim.analysis.selection import left_out
from sim.analysis.talks_document import talks_document


def bundle_reference(bundle: Bundle | None) -> dict[str, Any] | None:
    """A bundle as both its index and its terms."""
    return None if bundle is None else {"index": bundle.index, "bundle": bundle.as_dict()}


def outcome_document(outcome: Outcome) -> dict[str, Any]:
    """The outcome document of SPEC §3, with the games (SPEC §5) under ``equilibria``."""
    veto = outcome.judges
    space = outcome.space
    consent = bool(outcome.consent_parties)
    document: dict[str, Any] = {
        "scenario": outcome.scenario,
        "title": outcome.title,
        "parties": list(outcome.parties),
        "veto_parties": list(outcome.veto_parties),
        **({"consent_parties": list(outcome.consent_parties)} if consent else {}),
        "issues": {issue: list(options) for issue, options in outcome.issues},
        "reservations": by_name(veto, outcome.reservations),
        "space": {
            "bundles": space.bundles,
            "feasible": space.feasible,
            "acceptable": space.acceptable,
        },
        "frontier": [
            {
                "index": p.bundle.index,
                "ties": p.ties,
                "bundle": p.bundle.as_dict(),
                "utilities": by_name(outcome.parties, p.utilities),
                **({"consent": list(p.consent)} if consent else {}),
            }
            for p in outcome.frontier
        ],
        "solutions": {
            s.rule.key: None
            if s.point is None
            else {
                "index": s.point.bundle.index,
                "bundle": s.point.bundle.as_dict(),
                "utilities": by_name(outcome.parties, s.point.utilities),
                "slack": by_name(veto, s.point.slack),
                **({"consent": list(s.point.consent)} if consent else {}),
            }
            for s in outcome.solutions
        },
        "best_acceptable": by_name(veto, outcome.best_acceptable),
        "option_shares": {
            issue: by_name(options, shares)
            for (issue, options), (_, shares) in zip(
                outcome.issues, outcome.option_shares, strict=True
            )
        },
        "binding": {
            p: {"reservation": r, "red_lines": red}
            for p, r, red in zip(
                veto, outcome.binding.reservation, outcome.binding.red_lines, strict=True
            )
        },
    }
    if not space.exact:
        document["space"]["acceptable_estimate"] = {
            "method": space.method,
            "ci95": [space.low, space.high],
        }
    if outcome.frontier_limit is not None:
        document["frontier_truncated"] = outcome.frontier_truncated
        document["frontier_size"] = outcome.frontier_size
    asked = outcome.analyses
    if outcome.talks is not None:
        document.update(talks_document(outcome.talks))
    if asked is None or "proposals" in asked:
        document["proposals"] = {p.id: proposal_document(p) for p in outcome.proposals}
    if asked is None or "games" in asked:
        document["equilibria"] = games_document(outcome.games)
    if asked is None or "bargaining" in asked:
        document["bargaining"] = bargaining_document(outcome.bargaining)
        document["bargaining"]["not_built"] = list(outcome.games.not_built)
    return document if asked is None else selected_document(document, asked)


DOCUMENT_KEYS = {
    "space": ("space", "option_shares", "binding"),
    "frontier": ("frontier", "frontier_truncated", "frontier_size", "best_acceptable"),
    "solutions": ("solutions",),
    "proposals": ("proposals",),
    "bargaining": ("bargaining",),
    "games": ("equilibria",),
}
"""The outcome document's keys of each analysis (:data:`sim.model.schema.ANALYSES`)."""


def selected_document(document: dict[str, Any], analyses: Sequence[str]) -> dict[str, Any]:
    """The document without the keys of the analyses left out, saying which were computed
    (``analyses``) and which were not (``not_computed``)."""
    dropped = {key for name, keys in DOCUMENT_KEYS.items() if name not in analyses for key in keys}
    kept = {key: value for key, value in document.items() if key not in dropped}
    kept["analyses"] = list(analyses)
    kept["not_computed"] = list(left_out(tuple(analyses)))
    return kept


def proposal_document(proposal: ProposalOutcome) -> dict[str, Any]:
    document: dict[str, Any] = {
        "title": proposal.title,
        "terms": dict(proposal.terms),
        "verdict": proposal.verdict,
        "rejected_by": list(proposal.rejected_by),
        "parties": {
            s.party: {
                "veto": s.veto,
                "verdict": s.verdict.value,
                "utility": [rounded(s.utility_low), rounded(s.utility_high)],
                "reason": s.reason,
                **({} if s.consent is None else {"consent_needed_by": s.consent}),
            }
            for s in proposal.stances
        },
    }
    if proposal.completable is not None:
        document["some_completion_acceptable"] = proposal.completable
    return document


def _result(r: BargainingOutcome, bargaining: Bargaining) -> dict[str, Any]:
    veto = r.parties  # the order of each period's continuation and value
    return {
        "protocol": r.title,
        "protocol_key": r.column,
        "agreement_period": r.agreement_period,
        "bundle": None if r.agreed is None else r.agreed.as_dict(),
        "index": None if r.agreed is None else r.agreed.index,
        "utilities": None if r.utilities is None else by_name(bargaining.parties, r.utilities),
        "path": [
            {
                "period": step.period,
                "proposer": step.proposer,
                "offer": bundle_reference(step.offer),
                "agreed": step.agreed,
                "continuation": by_name(veto, step.continuation),
                "value": by_name(veto, step.value),
            }
            for step in r.path
        ],
    }


def bargaining_document(bargaining: Bargaining) -> dict[str, Any]:
    veto = bargaining.veto
    return {
        "horizon": bargaining.horizon,
        "war_values": {
            v: [rounded(x) for x in bargaining.war_values[:, j]] for j, v in enumerate(veto)
        },
        "discounts": dict(zip(veto, bargaining.discounts, strict=True)),
        "results": [_result(r, bargaining) for r in bargaining.results],
        "notes": list(bargaining.notes),
    }
