"""The outcome document (SPEC §3 and §5): JSON-ready renderings of a typed outcome."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.analysis.outcome import (
    Bargaining,
    BargainingOutcome,
    Bundle,
    ComplianceOutcome,
    GameOutcome,
    Games,
    LeverageOutcome,
    NormalFormGame,
    Outcome,
    PositionsOutcome,
    ProposalOutcome,
    StrategicGame,
)
from sim.analysis.selection import left_out
from sim.analysis.talks_document import talks_document

LEVERAGE_CONCEPT = "subgame perfect equilibrium (backward induction)"


def rounded(value: float) -> float | None:
    """A number as the documents store it: 12 decimals, None for NaN."""
    return None if math.isnan(value) else round(float(value), 12)


def by_name(names: Sequence[str], values: Sequence[float]) -> dict[str, float | None]:
    return {name: rounded(v) for name, v in zip(names, values, strict=True)}


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


def _game(game: NormalFormGame) -> dict[str, Any]:
    """A game in normal form, of any number of players (SPEC §5): ``payoffs[p]`` has one axis
    per player; every equilibrium found, each with its regret and check; ``complete`` says
    whether that is every one (two players: every extreme equilibrium)."""
    doc: dict[str, Any] = {
        "name": game.name,
        "players": list(game.players),
        "strategies": [list(s) for s in game.strategies],
        "payoffs": np.round(game.payoffs, 12).tolist(),
        "solution_concept": "Nash equilibrium",
        "method": game.method,
        "complete": game.complete,
        "not_computed": game.not_computed or None,
        "degenerate": game.degenerate,
        "equilibria": [
            {
                "strategies": [np.round(x, 12).tolist() for x in e.strategies],
                "payoffs": [round(v, 12) for v in e.payoffs],
                "method": game.method,
                "regret": e.regret,
                "verified": e.verified,
            }
            for e in game.equilibria
        ],
        "tolerance": game.tolerance,
        "eliminated": [list(labels) for labels in game.eliminated],
    }
    if game.bundle is not None:
        doc["bundle"] = game.bundle.as_dict()
        doc["bundle_index"] = game.bundle.index
    if game.note:
        doc["note"] = game.note
    if game.cross_check is not None:
        check = game.cross_check
        doc["cross_check"] = {
            "method": check.method,
            "equilibria": check.equilibria,
            "agrees": check.agrees,
            "error": check.error,
        }
    return doc


def game_document(game: GameOutcome, games: Games) -> dict[str, Any]:
    """One game in the shape of SPEC §5, whatever its number of players."""
    if isinstance(game, ComplianceOutcome):
        return {**_game(game.game), "self_enforcing": game.self_enforcing}
    if isinstance(game, PositionsOutcome):
        return {
            **_game(game.game),
            "settlements": [
                {
                    "profile": [game.game.strategies[p][k] for p, k in enumerate(profile)],
                    "bundle": None if bundle is None else bundle.as_dict(),
                }
                for profile, bundle in game.settled
            ],
        }
    if isinstance(game, StrategicGame):
        return {**_game(game.game), "source": game.source}
    return _leverage(game, games)


def _leverage(game: LeverageOutcome, games: Games) -> dict[str, Any]:
    return {
        "name": "leverage",
        "solution_concept": LEVERAGE_CONCEPT,
        "policies": [
            {
                "policy": p.policy,
                "target": p.target,
                "credible": p.credible,
                "refusal_values": by_name(games.veto, p.refusal_values),
                "settlement": None
                if p.settlement is None or p.settlement_utilities is None
                else {
                    "index": p.settlement.index,
                    "bundle": p.settlement.as_dict(),
                    "utilities": by_name(games.parties, p.settlement_utilities),
                },
                "threat_carried_out": p.threat_carried_out,
                "changes_anything": p.changes_anything,
                "mediator_payoff": rounded(p.mediator_payoff),
            }
            for p in game.policies
        ],
        "choice": game.choice,
    }


def games_document(games: Games) -> dict[str, Any]:
    """The games of a scenario and all their equilibria (SPEC §5)."""
    return {
        "scenario": games.scenario,
        "games": [game_document(g, games) for g in games.games],
        "not_built": list(games.not_built),
    }


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
