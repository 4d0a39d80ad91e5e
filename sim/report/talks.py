"""Why talks fail, in words: the terminal and report lines of a
:class:`~sim.analysis.outcome.TalksOutcome`."""

from __future__ import annotations

from sim.analysis.outcome import BothPrivate, TalksOutcome, TalksProtocol
from sim.analysis.talks_document import ROW_MONTHS


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
        if talks.both is not None and p.key.startswith(ONE_OFFER):
            continue  # below, with its offers
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
    if talks.both is not None:
        lines.extend(both_lines(talks.both))
    d = talks.durable
    if d.commitment_problem:
        lines.append(
            f"commitment problem: {d.today:,} bundles acceptable today, none at every later month "
            f"(least shortfall {d.shortfall:.3f}; zone shrinks in months "
            f"{', '.join(map(str, d.loss_months))})"
        )
    else:
        lost = ", ".join(map(str, d.loss_months)) or "none"
        lines.append(
            f"durable zone: {d.durable:,} of {d.today:,} bundles hold at every month "
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
            f"zone as {e.sides[0]} sees it {e.perceived[0]:,}, as {e.sides[1]} sees it "
            f"{e.perceived[1]:,}, joint {e.joint:,}; {threshold}"
        )
    return lines


ONE_OFFER = "one_offer_"
"""The key prefix of a side's single offer when both war sides are informed."""


def both_lines(both: BothPrivate) -> list[str]:
    """Each war side's single offer with both sides informed, and what is solved."""
    private = " and ".join(f"{s}'s {f}" for s, f in zip(both.sides, both.fields, strict=True))
    lines = []
    for o in both.offers:
        offers = "; ".join(
            f"{'no offer (war)' if b is None else b.words()} by {_pct(share)} of its types"
            for b, share in sorted(o.offers, key=lambda x: -x[1])
        )
        lines.append(
            f"one offer by {o.proposer} ({private} private): {offers}; rejected (war) with "
            f"probability {_pct(o.p_breakdown)}"
        )
    lines.append(f"solved: {both.solved}")
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
