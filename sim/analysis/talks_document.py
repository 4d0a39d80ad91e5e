"""Why talks fail in the outcome document (SPEC §9) and the outcome-table columns: the
plain-data form of a :class:`~sim.analysis.outcome.TalksOutcome`."""

from __future__ import annotations

from typing import Any

from sim.analysis.outcome import BothPrivate, CurvePoint, TalksOutcome, TalksProtocol

ROW_MONTHS = (6, 12, 24)
"""The months the outcome table gives the probability of agreement by."""


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 12)


def protocol_document(p: TalksProtocol) -> dict[str, Any]:
    holds = (
        {}
        if p.fighting is None
        else {
            "agreement_durable": p.durable,
            "first_month_fighting": {party: month for party, month in p.fighting},
        }
    )
    return {
        "title": p.title,
        "information": p.information,
        "p_agreement_by": {str(t): _round(v) for t, v in enumerate(p.p_agreement_by)},
        "expected_month": _round(p.expected_month),
        "p_breakdown": _round(p.p_breakdown),
        "offers": [
            None if b is None else {"month": t, "index": b.index, "bundle": b.as_dict()}
            for t, b in enumerate(p.offers)
        ],
        **holds,
    }


def talks_document(talks: TalksOutcome) -> dict[str, Any]:
    """The keys SPEC §9 adds: ``durable_zone``, ``commitment_problem`` and
    ``optimism_threshold`` beside the zone, and ``talks`` (per protocol ``p_agreement_by``,
    ``expected_month``, ``p_breakdown``, ``offers``; private information; perceived zones)."""
    durable = talks.durable
    document: dict[str, Any] = {
        "durable_zone": {
            "bundles": durable.durable,
            "today": durable.today,
            "holding_by_month": list(durable.holding),
            "loss_months": list(durable.loss_months),
            "candidates": durable.candidates,
        },
        "commitment_problem": {
            "exists": durable.commitment_problem,
            "shortfall": _round(durable.shortfall),
        },
        "optimism_threshold": None
        if talks.expectations is None
        else _round(talks.expectations.optimism_threshold),
    }
    section: dict[str, Any] = {
        "protocols": {p.key: protocol_document(p) for p in talks.protocols},
    }
    private = talks.private
    if private is not None:
        section["private"] = {
            "party": private.party,
            "proposer": private.proposer,
            "field": private.field,
            "types": [_round(v) for v in private.types],
            "weights": [_round(v) for v in private.weights],
            "solved": private.solved,
            "one_offer": {
                "offer": None
                if private.one_offer is None
                else {"index": private.one_offer.index, "bundle": private.one_offer.as_dict()},
                "p_breakdown": _round(private.one_offer_breakdown),
                "expected_utility": _round(private.one_offer_value),
                "tradeoff": _curve(private.curve),
            },
        }
    if talks.both is not None:
        section["private_both"] = _both_document(talks.both)
    if talks.expectations is not None:
        e = talks.expectations
        section["perceived_zones"] = {
            "joint": e.joint,
            **{side: count for side, count in zip(e.sides, e.perceived, strict=True)},
        }
    section["notes"] = list(talks.notes)
    document["talks"] = section
    return document


def _curve(curve: tuple[CurvePoint, ...]) -> list[dict[str, Any]]:
    return [
        {
            "p_breakdown": _round(c.p_breakdown),
            "index": c.bundle.index,
            "bundle": c.bundle.as_dict(),
            "proposer_utility": _round(c.proposer_utility),
            "responder_utility": _round(c.responder_utility),
            "expected_utility": _round(c.expected_utility),
        }
        for c in curve
    ]


def _both_document(both: BothPrivate) -> dict[str, Any]:
    """Both war sides informed: each side's types and each side's one offer, per offer the
    probability the proposer's types make it."""
    return {
        "sides": {
            side: {
                "field": field,
                "types": [_round(v) for v in types],
                "weights": [_round(v) for v in weights],
            }
            for side, field, types, weights in zip(
                both.sides, both.fields, both.types, both.weights, strict=True
            )
        },
        "solved": both.solved,
        "one_offer": {
            o.proposer: {
                "responder": o.responder,
                "offers": [
                    {
                        "share": _round(share),
                        "offer": None if b is None else {"index": b.index, "bundle": b.as_dict()},
                    }
                    for b, share in o.offers
                ],
                "p_breakdown": _round(o.p_breakdown),
                "expected_utility": _round(o.expected_utility),
                "tradeoff": _curve(o.curve),
            }
            for o in both.offers
        },
    }


def talks_row(talks: TalksOutcome) -> dict[str, Any]:
    """The outcome-table columns: the headline protocol's probability of agreement by months
    6, 12 and 24, expected month and breakdown probability; the commitment problem; the
    optimism threshold."""
    row: dict[str, Any] = {}
    head = talks.headline
    for month in ROW_MONTHS:
        row[f"p_agreement_{month}"] = None if head is None else _round(head.p_agreement(month))
    row["expected_month"] = None if head is None else _round(head.expected_month)
    row["p_breakdown"] = None if head is None else _round(head.p_breakdown)
    row["commitment_problem"] = talks.durable.commitment_problem
    row["optimism_threshold"] = (
        None if talks.expectations is None else _round(talks.expectations.optimism_threshold)
    )
    return row
