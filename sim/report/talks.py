"""Why talks fail, rendered: the outcome document's keys (SPEC §9), the outcome-table columns
and the terminal lines of a :class:`~sim.experiments.talks_outcome.TalksOutcome`."""

from __future__ import annotations

from typing import Any

from sim.experiments.talks_outcome import TalksOutcome, TalksProtocol

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
                "tradeoff": [
                    {
                        "p_breakdown": _round(c.p_breakdown),
                        "index": c.bundle.index,
                        "bundle": c.bundle.as_dict(),
                        "proposer_utility": _round(c.proposer_utility),
                        "responder_utility": _round(c.responder_utility),
                        "expected_utility": _round(c.expected_utility),
                    }
                    for c in private.curve
                ],
            },
        }
    if talks.expectations is not None:
        e = talks.expectations
        section["perceived_zones"] = {
            "joint": e.joint,
            **{side: count for side, count in zip(e.sides, e.perceived, strict=True)},
        }
    section["notes"] = list(talks.notes)
    document["talks"] = section
    return document


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


def _pct(value: float) -> str:
    return f"{value:.0%}"


def talks_lines(talks: TalksOutcome) -> list[str]:
    """Why talks fail, in a few terminal lines."""
    lines = []
    for p in talks.protocols:
        if p.information == "complete":
            if p.fighting is not None and not p.durable:
                lines.append(f"{p.title}: the agreed bundle would not hold: " + fighting_words(p))
            continue
        by = ", ".join(f"{_pct(p.p_agreement(m))} by month {m}" for m in (0, *ROW_MONTHS))
        month = "-" if p.expected_month is None else f"{p.expected_month:.2f}"
        lines.append(
            f"{p.title}: agreement {by}; expected month {month}; "
            f"no agreement by the horizon {_pct(p.p_breakdown)}"
        )
    private = talks.private
    if private is not None:
        offer = "none" if private.one_offer is None else private.one_offer.words()
        lines.append(
            f"one offer by {private.proposer} ({private.party}'s {private.field} private): "
            f"{offer}, rejected (war) with probability {_pct(private.one_offer_breakdown)}"
        )
    d = talks.durable
    if d.commitment_problem:
        lines.append(
            f"commitment problem: {d.today} bundles acceptable today, none at every later month "
            f"(least shortfall {d.shortfall:.3f}; zone shrinks in months "
            f"{', '.join(map(str, d.loss_months))})"
        )
    else:
        lost = ", ".join(map(str, d.loss_months)) or "none"
        lines.append(
            f"durable zone: {d.durable} of {d.today} bundles hold at every month "
            f"(months losing bundles: {lost})"
        )
    e = talks.expectations
    if e is not None:
        threshold = (
            "no optimism empties it"
            if e.optimism_threshold is None
            else f"each side overstating its chance by {e.optimism_threshold:.3f} empties it"
        )
        lines.append(
            f"zone as {e.sides[0]} sees it {e.perceived[0]}, as {e.sides[1]} sees it "
            f"{e.perceived[1]}, joint {e.joint}; {threshold}"
        )
    return lines


def fighting_words(p: TalksProtocol) -> str:
    assert p.fighting is not None
    return "; ".join(
        f"{party} would rather fight from month {month}"
        for party, month in p.fighting
        if month is not None
    )


def fighting_line(fighting: tuple[tuple[str, int | None], ...]) -> str:
    """``sim explain``: whether a bundle holds as the odds drift (docs/strategic.md)."""
    later = [(party, month) for party, month in fighting if month is not None]
    if not later:
        return "durable: every veto party prefers it to fighting in every month of the horizon"
    return "not durable: " + "; ".join(
        f"{party} would rather fight from month {month}" for party, month in later
    )
