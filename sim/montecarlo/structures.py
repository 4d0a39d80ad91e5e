"""Named structures of a scenario (SPEC §9): alternative readings of the documents, each a set
of overrides with a prior weight, analysed side by side and mixed over their weights.

A scenario's ``uncertainty.structures`` says, for example, that Moscow's demand for the four
regions is a red line (weight 0.4) or a weight (0.6). :func:`expand` turns the scenario into one
scenario per structure, named ``SCENARIO@STRUCTURE``; ``sim uncertainty`` draws each with the
same seed, so a judgment shared by two structures takes the same value in the same draw and the
structures' differences are paired. :func:`mixture` then reports every conclusion per structure
and mixed over the weights, and names the conclusions that hold in one structure and not in
another.

The mixed share of a conclusion is the weighted sum of its shares in the structures, a
stratified estimate (each structure a stratum of weight ``w``, with its own draws). Its 95%
interval is the stratified Agresti–Coull interval (Agresti & Coull 1998): each stratum's share
is taken as ``p~ = (x + 2) / (n + 4)``, the interval is centred on ``sum(w p~)`` with variance
``sum(w^2 p~(1 - p~) / (n + 4))``, so a structure in which a conclusion holds in every draw
still contributes its uncertainty; the interval is widened where needed to hold the estimate
itself (with many structures the adjusted centre can move past a share of 0 or 1). Its
coverage is checked by simulation in the tests.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.core.verdict import Verdict
from sim.errors import Diagnostic, ScenarioError
from sim.model import LoadedScenario
from sim.model.schema import StructureChoice
from sim.montecarlo.document import Odds
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.results import ScenarioDraws
from sim.montecarlo.static import VERDICTS
from sim.montecarlo.summary import Z95, paired

SEPARATOR = "@"
"""Between a scenario's name and its structure's in the name of the structure's scenario."""

HOLDS = 0.5
"""A conclusion holds in a structure when it holds in at least this share of its draws."""


@dataclass(frozen=True, eq=False)
class StructureOf:
    """One structure of a scenario, as its own scenario.

    Attributes
    ----------
    scenario
        The name of the scenario that declares the structure.
    name, weight, title
        The structure's name, prior weight and title.
    loaded
        The scenario with the structure's overrides applied, named ``SCENARIO@NAME``.
    """

    scenario: str
    name: str
    weight: float
    title: str | None
    loaded: LoadedScenario


MAX_STRUCTURES = 64
"""Most structures one scenario may expand to (declared structures times the combinations of
its drawn red lines)."""

_RED_LINE_PATH = re.compile(r"parties\.([^.]+)\.red_lines\.(\d+)")


@dataclass(frozen=True)
class _Drawn:
    """A stated red line that is firm with probability ``firm``."""

    path: str
    party: str
    index: int
    label: str
    firm: float
    title: str | None = None


def _drawn_red_lines(loaded: LoadedScenario) -> list[_Drawn]:
    """The red lines the ``uncertainty`` section draws, in declared order.

    Raises
    ------
    ScenarioError
        A path that names no stated red line.
    """
    declared = loaded.scenario.uncertainty
    assert declared is not None
    found, problems = [], []
    for path, draw in declared.red_lines.items():
        match = _RED_LINE_PATH.fullmatch(path)
        party = loaded.scenario.parties.get(match.group(1)) if match else None
        if match is None or party is None or int(match.group(2)) >= len(party.red_lines):
            problems.append(
                loaded.locate(
                    "uncertainty.red_lines",
                    f"{path}: names no stated red line (give parties.PARTY.red_lines.N, N "
                    "counting from 0)",
                )
            )
            continue
        index = int(match.group(2))
        issue = party.red_lines[index].issue
        label = f"{match.group(1)}-{issue}"
        found.append(_Drawn(path, match.group(1), index, label, draw.firm, draw.title))
    if problems:
        raise ScenarioError(problems)
    labels = [d.label for d in found]
    return [
        d if labels.count(d.label) == 1 else replace(d, label=f"{d.party}-{d.index}") for d in found
    ]


def expand(loaded: LoadedScenario) -> list[StructureOf]:
    """One scenario per structure: each declared structure (or the scenario as stated, when it
    declares none) for every combination of its drawn red lines firm or lifted, weighted by
    the structure's weight times each red line's ``firm`` or ``1 - firm`` (combinations of
    weight 0 left out). Empty when the scenario declares neither structures nor drawn red
    lines.

    A structure in which red lines are lifted is named ``NAME-without-PARTY-ISSUE...``.

    Raises
    ------
    ScenarioError
        A structure overrides a path the scenario does not have, or leaves an invalid
        scenario; a drawn red line names no stated one, or its party's red lines are also
        overridden by a structure; more than :data:`MAX_STRUCTURES` structures: every problem,
        each naming the file, the field and the reason.
    """
    declared = loaded.scenario.uncertainty
    if declared is None or not (declared.structures or declared.red_lines):
        return []
    drawn = _drawn_red_lines(loaded)
    base = declared.structures or {"stated": StructureChoice(weight=1.0, title="as stated")}
    count = len(base) * 2 ** len(drawn)
    if count > MAX_STRUCTURES:
        raise ScenarioError(
            [
                loaded.locate(
                    "uncertainty.red_lines",
                    f"{len(base)} structures and {len(drawn)} drawn red lines make {count:,} "
                    f"structures, above the limit of {MAX_STRUCTURES}",
                )
            ]
        )
    raw = loaded.raw()
    found, problems = [], []
    for name, choice in base.items():
        field = f"uncertainty.structures.{name}.set"
        _, clash = _lifted(loaded, choice.set, drawn)
        if clash:
            problems.append(
                loaded.locate(
                    field,
                    f"{clash}: overridden here and drawn in uncertainty.red_lines; draw the "
                    "red lines of a structure's own list in another structure",
                )
            )
            continue
        for firm in itertools.product((True, False), repeat=len(drawn)):
            weight = round(  # 0.7 * 0.8 is 0.56, not 0.5599999999999999
                choice.weight
                * math.prod(
                    d.firm if f else 1.0 - d.firm for d, f in zip(drawn, firm, strict=True)
                ),
                12,
            )
            lifted = [d for d, f in zip(drawn, firm, strict=True) if not f]
            if weight == 0.0 and choice.weight > 0.0:
                continue  # a red line that is always or never firm
            overrides, _ = _lifted(loaded, choice.set, lifted)
            try:
                variant = raw.with_overrides(overrides, source=field)
            except ScenarioError as error:
                blamed = [_blamed(loaded, field, d) for d in error.diagnostics]
                problems += [d for d in dict.fromkeys(blamed) if d not in problems]
                break
            key = name + ("-without-" + "-".join(d.label for d in lifted) if lifted else "")
            title = choice.title or name
            if lifted:
                title += "; lifted: " + ", ".join(d.title or d.path for d in lifted)
            renamed = variant.scenario.model_copy(
                update={"name": f"{loaded.scenario.name}{SEPARATOR}{key}"}
            )
            found.append(
                StructureOf(
                    loaded.scenario.name,
                    key,
                    weight,
                    title,
                    LoadedScenario(
                        renamed, variant.path, variant.files, variant.origin, variant.document
                    ),
                )
            )
    if problems:
        raise ScenarioError(problems)
    return found


def _lifted(
    loaded: LoadedScenario, overrides: dict[str, Any], lifted: list[_Drawn]
) -> tuple[dict[str, Any], str | None]:
    """A structure's overrides with the lifted red lines removed from their parties' lists
    (as the scenario states them), or the overridden path that clashes with a drawn one."""
    out = dict(overrides)
    for party in dict.fromkeys(d.party for d in lifted):
        path = f"parties.{party}.red_lines"
        clash = next((k for k in overrides if k == path or k.startswith(path + ".")), None)
        if clash is not None or any(path.startswith(k + ".") for k in overrides):
            return out, clash or next(k for k in overrides if path.startswith(k + "."))
        stated = loaded.document["parties"][party]["red_lines"]
        gone = {d.index for d in lifted if d.party == party}
        out[path] = [line for k, line in enumerate(stated) if k not in gone]
    return out, None


def unsupported(loaded: LoadedScenario) -> list[str]:
    """Warnings for ``sim validate``: a structure or a drawn red line no evidence supports."""
    declared = loaded.scenario.uncertainty
    if declared is None:
        return []
    return [
        f"uncertainty.structures.{name}: no evidence supports this structure or its weight"
        for name, choice in declared.structures.items()
        if not choice.evidence
    ] + [
        f"uncertainty.red_lines.{path}: no evidence supports its probability of being firm"
        for path, draw in declared.red_lines.items()
        if not draw.evidence
    ]


def _blamed(loaded: LoadedScenario, field: str, found: Diagnostic) -> Diagnostic:
    """A problem of a structure's scenario, placed at the structure's ``set`` in the file."""
    if found.file != field:
        return found
    return loaded.locate(field, f"{found.path}: {found.reason}")


def check_structures(loaded: LoadedScenario) -> list[Diagnostic]:
    """The problems of the scenario's structures, as ``sim uncertainty`` would find them: an
    override of a path the scenario does not have, a structure that leaves an invalid
    scenario, an ``uncertainty`` pattern that matches nothing in a structure."""
    try:
        found = expand(loaded)
    except ScenarioError as error:
        return list(error.diagnostics)
    problems = []
    for choice in found:
        try:
            resolve_judgments(choice.loaded)
        except ScenarioError as error:
            field = f"uncertainty.structures.{choice.name}"
            problems += [
                loaded.locate(field, f"in this structure, {d.path}: {d.reason}")
                for d in error.diagnostics
            ]
    return problems


def measures(result: ScenarioDraws) -> dict[str, tuple[str, NDArray[np.bool_]]]:
    """The per-draw conclusions a structure can change, by name: title and ``(N,)`` column
    (bargaining over time over its first draws only)."""
    structure, problem = result.structure, result.structure.problem
    zone: NDArray[np.bool_] = result.acceptable > 0
    found: dict[str, tuple[str, NDArray[np.bool_]]] = {"zone": ("a zone of agreement", zone)}
    accepts, all_accept = result.accepts(), result.all_accept()
    silent = VERDICTS.index(Verdict.NO_RESERVATION)
    for p, (pid, _) in enumerate(structure.proposals):
        found[f"{pid}.all"] = (f"{pid} accepted by every veto party", all_accept[:, p])
        if result.completable is not None:
            meets: NDArray[np.bool_] = result.completable[:, p]
            found[f"{pid}.some"] = (f"some completion of {pid} in the zone", meets)
        for i, party in enumerate(problem.parties):
            if not (result.verdicts[:, p, i] == silent).all():
                found[f"{pid}.{party}"] = (f"{party} accepts {pid}", accepts[:, p, i])
    block = result.strategic
    if block is not None and block.period.shape[0]:
        agreed: NDArray[np.bool_] = block.period >= 0
        some: NDArray[np.bool_] = np.any(agreed, axis=1)
        found["agreement"] = ("agreement within the horizon", some)
        for r, protocol in enumerate(block.names):
            found[f"{protocol}.agreement"] = (
                f"agreement under the {protocol} protocol",
                agreed[:, r],
            )
            enforcing: NDArray[np.bool_] = block.self_enforcing[:, r] == 1
            found[f"{protocol}.self_enforcing"] = (
                f"a self-enforcing agreement under the {protocol} protocol",
                enforcing,
            )
    return found


def stratified(counts: list[int], draws: list[int], weights: list[float]) -> Odds:
    """The weighted share of a conclusion over structures with its 95% interval.

    Examples
    --------
    >>> share = stratified([100, 0], [100, 100], [0.3, 0.7])
    >>> share.p
    0.3
    >>> share.low < 0.3 < share.high
    True
    """
    value = sum(w * x / n for x, n, w in zip(counts, draws, weights, strict=True))
    adjusted = [(x + 2) / (n + 4) for x, n in zip(counts, draws, strict=True)]
    centre = sum(w * p for w, p in zip(weights, adjusted, strict=True))
    variance = sum(
        w * w * p * (1 - p) / (n + 4) for w, p, n in zip(weights, adjusted, draws, strict=True)
    )
    half = Z95 * math.sqrt(variance)
    low, high = min(value, centre - half), max(value, centre + half)  # it holds the estimate
    return Odds(value, max(0.0, low), min(1.0, high))


def mixture(parts: list[tuple[StructureOf, ScenarioDraws]]) -> dict[str, Any]:
    """Every conclusion of one scenario per structure and mixed over the weights.

    ``measures`` lists each conclusion that every structure reports: its share per structure,
    the mixed share with its interval, the spread between structures (largest minus smallest
    share) and each structure's paired difference from the first (the same draws of the
    judgments they share); the structures in which it holds (in at least half of the draws)
    and in which it does not. ``surplus``: the zone's joint surplus (0 without a zone), its
    mean per structure and mixed, with a 95% interval (stratified normal).
    ``depends_on_structure`` names the conclusions that hold in some structure and not in
    another, largest spread first.
    """
    first = parts[0][0]
    columns = [measures(result) for _, result in parts]
    shared = [name for name in columns[0] if all(name in c for c in columns[1:])]
    weights = [s.weight for s, _ in parts]
    found: dict[str, Any] = {}
    for name in shared:
        title = columns[0][name][0]
        cols = [c[name][1] for c in columns]
        counts, draws = [int(c.sum()) for c in cols], [int(c.shape[0]) for c in cols]
        if min(draws) == 0:
            continue
        mixed = stratified(counts, draws, weights)
        shares = {s.name: x / n for (s, _), x, n in zip(parts, counts, draws, strict=True)}
        n = min(draws)
        found[name] = {
            "title": title,
            "mixed": mixed.to_json(),
            "by_structure": shares,
            "spread": max(shares.values()) - min(shares.values()),
            "versus_first": {
                s.name: paired(col[:n], cols[0][:n]).to_json()
                for (s, _), col in zip(parts[1:], cols[1:], strict=True)
            },
            "holds_in": [s for s, p in shares.items() if p >= HOLDS],
            "fails_in": [s for s, p in shares.items() if p < HOLDS],
        }
    depends = sorted(
        (name for name, m in found.items() if m["holds_in"] and m["fails_in"]),
        key=lambda name: -found[name]["spread"],
    )
    surplus = [
        None if r.measures is None else np.nan_to_num(r.measures.surplus, nan=0.0) for _, r in parts
    ]
    value = None
    if all(v is not None and v.shape[0] for v in surplus):
        means = [float(v.mean()) for v in surplus if v is not None]
        variance = sum(
            w * w * float(v.var(ddof=1)) / v.shape[0] if v.shape[0] > 1 else 0.0
            for w, v in zip(weights, surplus, strict=True)
            if v is not None
        )
        mixed_mean = sum(w * m for w, m in zip(weights, means, strict=True))
        half = Z95 * math.sqrt(variance)
        value = {
            "title": "the zone's joint surplus (mean over draws, no zone = 0)",
            "mixed": {"mean": mixed_mean, "ci": [mixed_mean - half, mixed_mean + half]},
            "by_structure": {s.name: m for (s, _), m in zip(parts, means, strict=True)},
            "spread": max(means) - min(means),
        }
    return {
        "scenario": first.scenario,
        "structures": {
            s.name: {
                "scenario": s.loaded.scenario.name,
                "weight": s.weight,
                "title": s.title,
            }
            for s, _ in parts
        },
        "measures": found,
        "surplus": value,
        "depends_on_structure": depends,
    }
