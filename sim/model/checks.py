"""Rules that tie a resolved scenario's fields together (SPEC §1), each problem reported."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sim.model.schema import (
    PRIVATE_GRID_LIMIT,
    STRUCTURE_WEIGHT_TOLERANCE,
    LinearForm,
    PrivateValue,
    Quote,
    Scenario,
    WarReservation,
)

Finding = tuple[str, str]
"""(dotted path, reason)."""

EVIDENCE_EXTRA_KEYS = ("reservation", "discount")


def check_scenario(scenario: Scenario) -> list[Finding]:
    """Every cross-field problem of a scenario whose shape is already valid."""
    return [finding for check in _CHECKS for finding in check(scenario)]


def check_lever_values(scenario: Scenario) -> list[Finding]:
    """The problems :func:`check_scenario` finds in a variant of a scenario that passed it,
    when the variant changes nothing but levers' values: only the checks that read a lever's
    value (through :func:`_value`) can find any. The rest read levers' names and evidence,
    which such a variant keeps."""
    return [finding for check in _LEVER_VALUE_CHECKS for finding in check(scenario)]


def _check_structures(s: Scenario) -> Iterator[Finding]:
    """The structures' weights are a distribution: they sum to 1."""
    declared = s.uncertainty.structures if s.uncertainty is not None else {}
    total = sum(choice.weight for choice in declared.values())
    if declared and abs(total - 1.0) > STRUCTURE_WEIGHT_TOLERANCE:
        terms = " + ".join(f"{name} {choice.weight:g}" for name, choice in declared.items())
        yield "uncertainty.structures", f"the weights sum to {total:g} ({terms}), not 1"


def _check_parties(s: Scenario) -> Iterator[Finding]:
    if not s.parties and not s.issues and s.spatial is not None:
        return  # a spatial reading alone
    if not s.parties:
        yield "parties", "at least one party is required"
    if not any(p.veto for p in s.parties.values()):
        yield "parties", "no party has veto: true; an agreement needs at least one veto party"
    for pid, party in s.parties.items():
        where = f"parties.{pid}"
        for issue in party.weights:
            if issue not in s.issues:
                yield f"{where}.weights.{issue}", _unknown("issue", issue, s.issues)
        if sum(party.weights.values()) <= 0.0:
            yield f"{where}.weights", "weights are missing or all zero; give at least one > 0"
        for issue, table in party.values.items():
            if issue not in s.issues:
                yield f"{where}.values.{issue}", _unknown("issue", issue, s.issues)
                continue
            options = s.issues[issue].options
            for option in table:
                if option not in options:
                    yield f"{where}.values.{issue}.{option}", _unknown("option", option, options)
        for issue, weight in party.weights.items():
            if weight > 0.0 and issue in s.issues:
                valued = party.values.get(issue, {})
                missing = [o for o in s.issues[issue].options if o not in valued]
                if missing:
                    yield (
                        f"{where}.values.{issue}",
                        f"weighted issue leaves options unvalued: {listed(missing)}",
                    )
        for i, line in enumerate(party.red_lines):
            if line.issue not in s.issues:
                yield f"{where}.red_lines.{i}.issue", _unknown("issue", line.issue, s.issues)
                continue
            options = s.issues[line.issue].options
            for option in line.options:
                if option not in options:
                    yield f"{where}.red_lines.{i}.options", _unknown("option", option, options)
        for i, term in enumerate(party.interactions):
            yield from _check_terms(s, term.when, f"{where}.interactions.{i}.when")
        if party.consent is not None:
            yield from _check_consent(s, pid)
        for key in party.evidence:
            if key not in s.issues and key not in EVIDENCE_EXTRA_KEYS:
                yield f"{where}.evidence.{key}", _unknown("issue", key, s.issues)
        if party.veto and party.reservation is None:
            yield f"{where}.reservation", "required for a veto party (a number in [0, 1])"
        if isinstance(party.reservation, WarReservation):
            if s.war is None:
                yield f"{where}.reservation", "the war form needs a `war:` section"
            elif pid not in s.war.sides:
                yield (
                    f"{where}.reservation",
                    f"the war form is for the sides of `war:` ({', '.join(s.war.sides)})",
                )
            yield from _check_form(s, party.reservation.cost, f"{where}.reservation.cost")
            growth = party.reservation.cost_growth
            yield from _check_form(s, growth, f"{where}.reservation.cost_growth")


def _check_consent(s: Scenario, pid: str) -> Iterator[Finding]:
    """A consent section: a party without a veto and with a reservation, terms naming known
    issues and options, and evidence."""
    party = s.parties[pid]
    consent = party.consent
    assert consent is not None
    where = f"parties.{pid}.consent"
    if party.veto:
        yield where, "a party with veto: true consents to every bundle already; remove `consent`"
    elif party.reservation is None:
        yield (
            f"parties.{pid}.reservation",
            "required for a party whose consent a bundle may need (`consent:`)",
        )
    if not consent.terms:
        yield f"{where}.terms", "empty: name at least one `issue` or `issue=option`"
    for i, (issue, option) in enumerate(consent.pairs()):
        if issue not in s.issues:
            yield f"{where}.terms.{i}", _unknown("issue", issue, s.issues)
        elif option is not None and option not in s.issues[issue].options:
            yield f"{where}.terms.{i}", _unknown("option", option, s.issues[issue].options)
    if not consent.evidence:
        yield f"{where}.evidence", "empty: cite a quote or state an assumption"


def _check_war(s: Scenario) -> Iterator[Finding]:
    if s.war is None:
        return
    for i, side in enumerate(s.war.sides):
        if side not in s.parties:
            yield f"war.sides.{i}", _unknown("party", side, s.parties)
    if len(set(s.war.sides)) != len(s.war.sides):
        yield "war.sides", "the two sides must be different parties"
    yield from _check_form(s, s.war.prevail, "war.prevail")
    yield from _check_form(s, s.war.drift, "war.drift")
    for side, form in s.war.beliefs.items():
        if side not in s.war.sides:
            yield f"war.beliefs.{side}", _unknown("war side", side, s.war.sides)
        yield from _check_form(s, form, f"war.beliefs.{side}")
    for side, terms in s.war.outcomes.items():
        if side not in s.war.sides:
            yield f"war.outcomes.{side}", _unknown("war side", side, s.war.sides)
        yield from _check_terms(s, terms, f"war.outcomes.{side}")
    stated = [(f"parties.{p}.reservation", r.reservation) for p, r in s.parties.items()]
    if s.leverage is not None:
        stated.append(("leverage.war", s.leverage.war))
    for where, reservation in stated:
        if not isinstance(reservation, WarReservation):
            continue
        if reservation.win is not None and reservation.lose is not None:
            continue
        missing = [side for side in s.war.sides if side not in s.war.outcomes]
        if missing:
            yield (
                where,
                "win and lose left out: the war model must give war.outcomes for "
                + " and ".join(repr(m) for m in missing),
            )


def _check_private(s: Scenario) -> Iterator[Finding]:
    """Private information (``war.private``): war sides with a veto and a war-derived
    reservation (one or both of them), two veto parties, a spread that is not degenerate and lies
    in the field's range [0, 1], and a grid within the memory limit."""
    if s.war is None or not s.war.private:
        return
    veto = [p for p, party in s.parties.items() if party.veto]
    for pid, private in s.war.private.items():
        where = f"war.private.{pid}"
        party = s.parties.get(pid)
        if party is None:
            yield where, _unknown("party", pid, s.parties)
            continue
        if not party.veto:
            yield where, f"{pid!r} has no veto: only a veto party's private value can block a deal"
            continue
        if pid not in s.war.sides:
            yield (
                where,
                f"{pid!r} is not a war side ({', '.join(s.war.sides)}): it has no war value",
            )
            continue
        if len(veto) != 2:
            yield (
                where,
                (
                    "private information needs exactly two veto parties (the uninformed one "
                    f"proposes); this scenario has {len(veto)}"
                ),
            )
        sides = [s.parties[side].reservation for side in s.war.sides if side in s.parties]
        if not all(isinstance(r, WarReservation) for r in sides) or len(sides) != 2:
            yield where, "both war sides need a war-derived reservation ({win, lose, cost})"
            continue
        if private.grid > PRIVATE_GRID_LIMIT:
            yield (
                f"{where}.grid",
                (
                    f"{private.grid} types exceed the memory limit of {PRIVATE_GRID_LIMIT} "
                    "(the screening solution keeps a grid-by-grid table per month)"
                ),
            )
        yield from _check_spread(s, pid, private, f"{where}.belief")


def _stated_private(s: Scenario, pid: str, field: str) -> float | None:
    """The stated value a private field's spread is centred on: the war form's cost, or the
    side's own chance of prevailing in period 0."""
    assert s.war is not None
    if field == "cost":
        reservation = s.parties[pid].reservation
        assert isinstance(reservation, WarReservation)
        return _value(s, reservation.cost)
    first = _value(s, s.war.beliefs.get(pid, s.war.prevail))
    if first is None:
        return None
    return first if s.war.sides[0] == pid else 1.0 - first


def _check_spread(s: Scenario, pid: str, private: PrivateValue, where: str) -> Iterator[Finding]:
    name, params = private.belief.kind()
    field = private.field
    if isinstance(params, float):  # jitter or relative, around the stated value
        stated = _stated_private(s, pid, field)
        if stated is None:
            return
        spread = params if name == "jitter" else abs(stated) * params
        if spread <= 0.0:
            yield (
                f"{where}.{name}",
                (
                    f"a spread of {spread} is degenerate: the value would not be private "
                    "(give a spread > 0, or leave the side out of war.private)"
                ),
            )
        if not 0.0 <= stated <= 1.0:
            yield f"{where}.{name}", f"the stated {field} {stated} is outside its range [0, 1]"
        return
    if name in ("uniform", "triangular"):
        if params[0] >= params[-1]:
            yield (
                f"{where}.{name}",
                (f"{name} {params} is degenerate: its ends must differ (a spread > 0)"),
            )
        if params[0] < 0.0 or params[-1] > 1.0:
            yield f"{where}.{name}", f"{name} {params}: the {field} must lie in [0, 1]"
    if name == "normal" and not 0.0 <= params[0] <= 1.0:
        yield f"{where}.{name}", f"normal mean {params[0]}: the {field} must lie in [0, 1]"


def _check_form(s: Scenario, form: float | LinearForm, where: str) -> Iterator[Finding]:
    if isinstance(form, LinearForm):
        for lever in form.effects:
            if lever not in s.levers:
                yield f"{where}.effects.{lever}", _unknown("lever", lever, s.levers)


def _check_proposals(s: Scenario) -> Iterator[Finding]:
    for pid, proposal in s.proposals.items():
        yield from _check_terms(s, proposal.terms, f"proposals.{pid}.terms")


def _check_terms(s: Scenario, terms: dict[str, str], where: str) -> Iterator[Finding]:
    """Terms naming one option per issue (proposals, interaction terms)."""
    for issue, option in terms.items():
        if issue not in s.issues:
            yield f"{where}.{issue}", _unknown("issue", issue, s.issues)
        elif option not in s.issues[issue].options:
            yield f"{where}.{issue}", _unknown("option", option, s.issues[issue].options)


def _check_options(
    s: Scenario, table: dict[str, dict[str, float]], where: str
) -> Iterator[Finding]:
    for issue, options in table.items():
        if issue not in s.issues:
            yield f"{where}.{issue}", _unknown("issue", issue, s.issues)
            continue
        for option in options:
            if option not in s.issues[issue].options:
                known = s.issues[issue].options
                yield f"{where}.{issue}.{option}", _unknown("option", option, known)


def compliance_players(s: Scenario) -> list[str] | None:
    """Who plays the compliance game: every veto party when there are three or more, else
    the two war sides (None: no war section to name them)."""
    veto = [p for p, party in s.parties.items() if party.veto]
    if len(veto) >= 3:
        return veto
    return None if s.war is None else list(s.war.sides)


def _check_compliance(s: Scenario) -> Iterator[Finding]:
    c = s.compliance
    if c is None:
        return
    players = compliance_players(s)
    if players is None:
        yield "compliance", "the compliance game needs a `war:` section (its sides play it)"
        return
    kind = "war side" if s.war is not None and players == list(s.war.sides) else "veto party"
    for field in ("gain", "exposure", "penalty"):
        table = getattr(c, field)
        for side in players:
            if side not in table:
                yield f"compliance.{field}", f"missing a value for {kind} {side!r}"
        for party in table:
            if party not in players:
                yield f"compliance.{field}.{party}", _unknown(kind, party, players)
    yield from _check_options(s, c.detection_options, "compliance.detection_options")
    for party, table in c.protection.items():
        if party not in players:
            yield f"compliance.protection.{party}", _unknown(kind, party, players)
        yield from _check_options(s, table, f"compliance.protection.{party}")


def _check_leverage(s: Scenario) -> Iterator[Finding]:
    lev = s.leverage
    if lev is None:
        return
    if lev.mediator not in s.parties:
        yield "leverage.mediator", _unknown("party", lev.mediator, s.parties)
    if s.war is None:
        yield "leverage", "the leverage game needs a `war:` section"
    elif lev.backs not in s.war.sides:
        yield "leverage.backs", _unknown("war side", lev.backs, s.war.sides)
    yield from _check_form(s, lev.war.cost, "leverage.war.cost")
    yield from _check_form(s, lev.war.cost_growth, "leverage.war.cost_growth")
    for pid, policy in lev.policies.items():
        if policy.target not in s.parties:
            yield f"leverage.policies.{pid}.target", _unknown("party", policy.target, s.parties)
        elif not s.parties[policy.target].veto:
            yield f"leverage.policies.{pid}.target", f"{policy.target!r} has no veto to pressure"


def _check_bargaining(s: Scenario) -> Iterator[Finding]:
    rules = s.bargaining
    if rules is None:
        return
    for k, party in enumerate(rules.order or []):
        if party not in s.parties:
            yield f"bargaining.order.{k}", _unknown("party", party, s.parties)
        elif not s.parties[party].veto:
            yield f"bargaining.order.{k}", f"{party!r} has no veto: only veto parties propose"
    if rules.protocols is not None and len(set(rules.protocols)) != len(rules.protocols):
        yield "bargaining.protocols", "a protocol is listed twice"


def _check_finite(s: Scenario) -> Iterator[Finding]:
    """Finite numbers that overflow together: each linear form (base plus effects times lever
    values), the war path ``start + slope * t`` over the horizon, and the sum of a cost over
    every period must be finite, or the analysis would compute with infinities."""
    horizon = s.war.horizon if s.war is not None else 0
    paths: list[tuple[str, float | LinearForm, str, float | LinearForm, bool]] = []
    if s.war is not None:
        paths.append(("war.prevail", s.war.prevail, "war.drift", s.war.drift, False))
    for pid, party in s.parties.items():
        if isinstance(party.reservation, WarReservation):
            where = f"parties.{pid}.reservation"
            r = party.reservation
            paths.append((f"{where}.cost", r.cost, f"{where}.cost_growth", r.cost_growth, True))
        if not math.isfinite(sum(party.weights.values())):
            yield f"parties.{pid}.weights", "the weights add up to more than the largest float"
    if s.leverage is not None:
        w = s.leverage.war
        where = "leverage.war"
        paths.append((f"{where}.cost", w.cost, f"{where}.cost_growth", w.cost_growth, True))
    for start_at, start_form, slope_at, slope_form, summed in paths:
        start, slope = _value(s, start_form), _value(s, slope_form)
        if start is None or slope is None:
            continue  # an unknown lever, reported by _check_form
        if not math.isfinite(start):
            yield start_at, _overflow(start)
        elif not math.isfinite(slope):
            yield slope_at, _overflow(slope)
        elif not math.isfinite(end := start + slope * horizon):
            yield slope_at, f"reaches {end} by period {horizon} (war.horizon); {_RANGE}"
        elif summed and not math.isfinite((horizon + 1) * (abs(start) + abs(slope) * horizon)):
            yield start_at, f"summed over the {horizon + 1} periods it is not finite; {_RANGE}"


_RANGE = "keep the numbers where their products and sums stay finite"


def _overflow(value: float) -> str:
    return f"evaluates to {value}: the base and effects times lever values overflow; {_RANGE}"


def _value(s: Scenario, form: float | LinearForm) -> float | None:
    """A form's value (as :func:`sim.compile.evaluate` computes it), or None if it names an
    unknown lever."""
    if not isinstance(form, LinearForm):
        return float(form)
    if any(lever not in s.levers for lever in form.effects):
        return None
    return form.base + sum(c * s.levers[k].value for k, c in form.effects.items())


def _check_sources(s: Scenario) -> Iterator[Finding]:
    for where, quote in iter_quotes(s):
        if quote.source not in s.sources:
            yield f"{where}.source", _unknown("source", quote.source, s.sources)


def evidence_lists(s: Scenario) -> list[tuple[str, list[Any]]]:
    """Every evidence list of the scenario with its dotted path."""
    lists = [(f"levers.{k}.evidence", v.evidence) for k, v in s.levers.items()]
    if s.spatial is not None:
        lists.append(("spatial.evidence", s.spatial.evidence))
        lists += [
            (f"spatial.dimensions.{k}.evidence", v.evidence)
            for k, v in s.spatial.dimensions.items()
        ]
        for aid, actor in s.spatial.actors.items():
            lists += [(f"spatial.actors.{aid}.evidence.{k}", v) for k, v in actor.evidence.items()]
    if s.war is not None:
        lists.append(("war.evidence", s.war.evidence))
    for pid, party in s.parties.items():
        lists += [(f"parties.{pid}.evidence.{k}", v) for k, v in party.evidence.items()]
        lists += [
            (f"parties.{pid}.red_lines.{i}.evidence", r.evidence)
            for i, r in enumerate(party.red_lines)
        ]
        lists += [
            (f"parties.{pid}.interactions.{i}.evidence", t.evidence)
            for i, t in enumerate(party.interactions)
        ]
        if party.consent is not None:
            lists.append((f"parties.{pid}.consent.evidence", party.consent.evidence))
    lists += [(f"proposals.{k}.evidence", v.evidence) for k, v in s.proposals.items()]
    if s.compliance is not None:
        lists.append(("compliance.evidence", s.compliance.evidence))
    if s.leverage is not None:
        lists.append(("leverage.evidence", s.leverage.evidence))
        lists += [
            (f"leverage.policies.{k}.evidence", v.evidence) for k, v in s.leverage.policies.items()
        ]
    if s.bargaining is not None:
        lists.append(("bargaining.evidence", s.bargaining.evidence))
    if s.uncertainty is not None:
        u = s.uncertainty
        lists.append(("uncertainty.evidence", u.evidence))
        lists += [(f"uncertainty.defaults.{k}.evidence", v.evidence) for k, v in u.defaults.items()]
        lists += [(f"uncertainty.vary.{k}.evidence", v.evidence) for k, v in u.vary.items()]
        lists += [(f"uncertainty.groups.{k}.evidence", v.evidence) for k, v in u.groups.items()]
        lists += [
            (f"uncertainty.structures.{k}.evidence", v.evidence) for k, v in u.structures.items()
        ]
        lists += [
            (f"uncertainty.red_lines.{k}.evidence", v.evidence) for k, v in u.red_lines.items()
        ]
    return lists


def iter_quotes(s: Scenario) -> Iterator[tuple[str, Quote]]:
    """Every quoted evidence item in the scenario with its dotted path."""
    for where, items in evidence_lists(s):
        for i, item in enumerate(items):
            if isinstance(item, Quote):
                yield f"{where}.{i}", item


def weakest_evidence(s: Scenario) -> list[str]:
    """Warnings for ``sim validate``: each judgment whose quotes all come from sources of the
    weakest grade (C), so that a conclusion resting on it says so. Nothing when no source is
    graded."""
    grades = {k: v.reliability.grade for k, v in s.sources.items() if v.reliability is not None}
    if not grades:
        return []
    found = []
    for where, items in evidence_lists(s):
        quoted = [item.source for item in items if isinstance(item, Quote)]
        if quoted and all(grades.get(source) == "C" for source in quoted):
            names = ", ".join(dict.fromkeys(quoted))
            found.append(f"{where}: its quoted evidence is all grade C ({names})")
    return found


def _check_spatial(s: Scenario) -> Iterator[Finding]:
    """Spatial scales, option positions and actors (docs/spatial.md)."""
    sp = s.spatial
    if sp is None:
        return
    broken = set()  # dimensions whose own problem is reported (not echoed by each actor)
    for did, dim in sp.dimensions.items():
        where = f"spatial.dimensions.{did}"
        lo, hi = dim.scale
        if not lo < hi:
            yield f"{where}.scale", f"a scale needs two points, lo < hi (got [{lo}, {hi}])"
            broken.add(did)
            continue
        if not math.isfinite(hi - lo):
            yield f"{where}.scale", f"the scale's width overflows (got [{lo}, {hi}])"
            broken.add(did)
            continue
        for option, value in dim.positions.items():
            if not lo <= value <= hi:
                yield f"{where}.positions.{option}", _off_scale(value, lo, hi)
        if dim.issue is None:
            if dim.positions:
                yield f"{where}.positions", "option positions need `issue:` (the ordered issue)"
            continue
        if dim.issue not in s.issues:
            yield f"{where}.issue", _unknown("issue", dim.issue, s.issues)
            broken.add(did)
            continue
        options = list(s.issues[dim.issue].options)
        for option in dim.positions:
            if option not in options:
                yield f"{where}.positions.{option}", _unknown("option", option, options)
        missing = [o for o in options if o not in dim.positions]
        if missing:
            yield (
                f"{where}.positions",
                f"every option of {dim.issue!r} needs a position: missing {', '.join(missing)}",
            )
            broken.add(did)
            continue
        steps = [dim.positions[b] - dim.positions[a] for a, b in itertools.pairwise(options)]
        if not (all(d > 0 for d in steps) or all(d < 0 for d in steps)):
            yield f"{where}.positions", "positions must follow the options' order (strictly)"
    for aid, actor in sp.actors.items():
        where = f"spatial.actors.{aid}"
        for table in ("positions", "salience"):
            given = getattr(actor, table)
            for did in given:
                if did not in sp.dimensions:
                    yield f"{where}.{table}.{did}", _unknown("dimension", did, sp.dimensions)
            missing = [d for d in sp.dimensions if d not in given]
            if missing:
                yield f"{where}.{table}", f"missing for dimension {', '.join(missing)}"
        for did, spot in actor.positions.items():
            on = sp.dimensions.get(did)
            if on is None or did in broken:
                continue
            if isinstance(spot, str):
                if on.issue is None:
                    yield f"{where}.positions.{did}", "a number on the scale (no issue to name)"
                elif spot not in on.positions:
                    yield f"{where}.positions.{did}", _unknown("option", spot, on.positions)
            elif not on.scale[0] <= spot <= on.scale[1]:
                yield f"{where}.positions.{did}", _off_scale(spot, *on.scale)
        for key in actor.evidence:
            if key != "capability" and key not in sp.dimensions:
                yield f"{where}.evidence.{key}", _unknown("dimension", key, sp.dimensions)
    if all(a.capability <= 0.0 for a in sp.actors.values()):
        yield "spatial.actors", "every capability is zero; at least one must be > 0"
    fine = [d for k, d in sp.dimensions.items() if k not in broken]
    reach = max((max(abs(d.scale[0]), abs(d.scale[1])) for d in fine), default=0.0)
    total = sum(a.capability for a in sp.actors.values())
    if not math.isfinite(total * (1.0 + reach) * max(1, len(sp.actors)) ** 2):
        yield "spatial.actors", "capabilities too large: the models' sums over them overflow"


def _off_scale(value: float, lo: float, hi: float) -> str:
    return f"{value} is off the scale [{lo}, {hi}]"


LISTED = 12
"""Names a message lists at most; the rest are counted ("... and 588 more")."""


def listed(names: Iterable[object]) -> str:
    """Names for a message: the first :data:`LISTED`, then how many more.

    >>> listed(["a", "b"]), listed(range(20))
    ('a, b', '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 8 more')
    """
    items = [str(n) for n in names]
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED} more"


def _unknown(kind: str, name: str, known: Iterable[object]) -> str:
    names = listed(known) if known else "none defined"
    return f"unknown {kind} {name!r} (known: {names})"


_CHECKS: tuple[Callable[[Scenario], Iterable[Finding]], ...] = (
    _check_parties,
    _check_war,
    _check_private,
    _check_proposals,
    _check_sources,
    _check_compliance,
    _check_leverage,
    _check_bargaining,
    _check_finite,
    _check_spatial,
    _check_structures,
)
_LEVER_VALUE_CHECKS = tuple(c for c in _CHECKS if c in (_check_private, _check_finite))
"""The checks that read levers' values, in :data:`_CHECKS`' order."""
