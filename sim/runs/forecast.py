"""`sim forecast`: the probability of questions about what happens next, from the scenarios
dated up to a day and their declared uncertainty (SPEC §9).

A folder's ``forecasts/questions.yaml`` states the day (``as_of``), the draws and seed, and each
question with the scenario it is read from and the model output that answers it:

- ``proposal.PID.PARTY`` (or ``.all``): the share of draws in which the party accepts the named
  proposal under every completion of its terms (``all``: every veto party);
- ``agreement_by.M`` / ``no_agreement_by.M``: the share of draws with (without) an agreement
  under some protocol by month ``M`` of bargaining over time;
- ``zone``: the share of draws with a zone of agreement;
- ``structure.NAME``: the prior weight of a declared structure of the scenario (a judgment the
  file states, not a model output: it says so).

A scenario with structures (or drawn red lines) is answered per structure and mixed over their
weights, as ``sim uncertainty`` mixes them. Nothing dated after ``as_of`` may enter: a question
on a scenario dated later, or a quote from a source dated later, is refused; sources without a
date are listed in the output's notes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.model import LoadedScenario, load_many
from sim.model.checks import iter_quotes
from sim.model.yamlio import read_yaml
from sim.montecarlo.draws import draw_block
from sim.montecarlo.results import ScenarioDraws
from sim.montecarlo.structures import expand, stratified
from sim.montecarlo.summary import wilson
from sim.runs.uncertainty import uncertainty

QUESTIONS = Path("forecasts") / "questions.yaml"
"""Where a folder keeps its questions."""
FORECASTS = Path("forecasts") / "forecasts.yaml"
"""Where a folder keeps its forecasts on record."""
DEPENDS = 3
"""Judgments listed per question (the strongest correlations with the answer)."""


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Annotated[str, Field(min_length=1)]
    scenario: Annotated[str, Field(min_length=1)]
    output: Annotated[str, Field(min_length=1)]
    reading: str | None = None
    """How the output answers the question, in words (copied into the forecast)."""


class Questions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: datetime.date
    draws: Annotated[int, Field(ge=1, le=100_000)] = 1000
    seed: Annotated[int, Field(ge=0)] = 0
    statement: str | None = None
    questions: Annotated[dict[str, Question], Field(min_length=1)]


@dataclass(frozen=True)
class _Part:
    """One structure of a question's scenario (or the scenario itself) and its draws."""

    name: str | None
    weight: float
    draws: ScenarioDraws


def read_questions(folder: Path) -> Questions:
    """The folder's questions.

    Raises
    ------
    InputError, ScenarioError
        No questions file, or a field that is not valid (file, field and reason).
    """
    path = folder / QUESTIONS
    if not path.is_file():
        raise InputError(f"{display_path(folder)}: no {QUESTIONS} with the questions to forecast")
    data, _ = read_yaml(path)
    try:
        return Questions.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(
            [
                Diagnostic(
                    display_path(path),
                    None,
                    ".".join(str(p) for p in e["loc"]),
                    f"{e['msg']} (got {e['input']!r})" if e["type"] != "missing" else "required",
                )
                for e in error.errors()
            ]
        ) from None


def forecast(
    folder: Path,
    *,
    as_of: datetime.date | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """The forecasts of a folder's questions (the document ``forecasts.yaml`` holds).

    Raises
    ------
    InputError, ScenarioError
        Bad questions, a scenario or quote dated after ``as_of``, an unknown output.
    """
    asked = read_questions(folder)
    day = as_of or asked.as_of
    n = draws or asked.draws
    seed = asked.seed if seed is None else seed
    where = display_path(folder / QUESTIONS)
    loaded: dict[str, LoadedScenario] = {}
    problems: list[str] = []
    for key, q in asked.questions.items():
        if q.scenario not in loaded:
            found = load_many(str(folder / q.scenario))
            if len(found) != 1:
                raise InputError(f"{where}: questions.{key}.scenario: not one scenario file")
            loaded[q.scenario] = found[0]
        scenario = loaded[q.scenario].scenario
        if scenario.date is None:
            problems.append(f"{where}: questions.{key}.scenario: {q.scenario} states no date")
        elif scenario.date > day:
            problems.append(
                f"{where}: questions.{key}.scenario: {q.scenario} is dated {scenario.date}, "
                f"after the forecast's day {day}"
            )
        _check_output(q.output, loaded[q.scenario], f"{where}: questions.{key}.output", problems)
    notes, later = _source_dates(list(loaded.values()), day)
    problems += later
    if problems:
        raise InputError("\n".join(dict.fromkeys(problems)))
    drawn = {q.scenario for q in asked.questions.values() if not q.output.startswith("structure.")}
    # a structure's prior weight is a stated judgment: its scenario is drawn only if another
    # question needs the draws
    needed = [scenario for name, scenario in loaded.items() if name in drawn]
    result: Any = uncertainty(needed, draws=n, seed=seed, sensitivity=False) if needed else {}
    forecasts = {
        key: _answer(q, loaded[q.scenario], result, n, seed) for key, q in asked.questions.items()
    }
    return {
        "as_of": day.isoformat(),
        "draws": n,
        "seed": seed,
        "statement": asked.statement,
        "notes": notes,
        "forecasts": forecasts,
    }


def _source_dates(
    scenarios: list[LoadedScenario], day: datetime.date
) -> tuple[list[str], list[str]]:
    """Sources quoted but undated (notes), and quotes from sources dated after ``day``."""
    notes, problems = [], []
    for loaded in scenarios:
        versions = [loaded] + [s.loaded for s in expand(loaded)]
        for version in versions:
            s = version.scenario
            for path, quote in iter_quotes(s):
                source = s.sources.get(quote.source)
                date = None if source is None else source.date
                if isinstance(date, str):
                    try:
                        date = datetime.date.fromisoformat(date)
                    except ValueError:
                        date = None
                if date is None:
                    note = f"source {quote.source} is undated: it cannot be shown to precede {day}"
                    if note not in notes:
                        notes.append(note)
                elif date > day:
                    problems.append(
                        f"{display_path(loaded.path)}: {path}: quotes {quote.source}, dated "
                        f"{date}, after the forecast's day {day}"
                    )
    return notes, problems


def _check_output(output: str, loaded: LoadedScenario, where: str, problems: list[str]) -> None:
    kind, _, rest = output.partition(".")
    scenario = loaded.scenario
    if output == "zone":
        return
    if kind == "proposal":
        pid, _, party = rest.partition(".")
        if pid not in scenario.proposals:
            problems.append(f"{where}: no proposal {pid!r} in {scenario.name}")
        elif party != "all" and party not in scenario.parties:
            problems.append(f"{where}: no party {party!r} in {scenario.name}")
        return
    if kind in ("agreement_by", "no_agreement_by"):
        if not rest.isdigit():
            problems.append(f"{where}: {output!r}: give the month as a whole number")
        elif scenario.war is None:
            problems.append(f"{where}: {scenario.name} has no war model: no bargaining over time")
        return
    if kind == "structure":
        declared = scenario.uncertainty.structures if scenario.uncertainty else {}
        if rest not in declared:
            problems.append(f"{where}: no structure {rest!r} in {scenario.name}")
        return
    problems.append(
        f"{where}: {output!r} is not an output (zone, proposal.PID.PARTY, agreement_by.M, "
        "no_agreement_by.M, structure.NAME)"
    )


def _indicator(draws: ScenarioDraws, output: str) -> NDArray[np.bool_]:
    """Per draw, whether the output's event happens."""
    kind, _, rest = output.partition(".")
    if output == "zone":
        zone: NDArray[np.bool_] = draws.acceptable > 0
        return zone
    if kind == "proposal":
        pid, _, party = rest.partition(".")
        p = [name for name, _ in draws.structure.proposals].index(pid)
        if party == "all":
            every: NDArray[np.bool_] = draws.all_accept()[:, p]
            return every
        accepts: NDArray[np.bool_] = draws.accepts()[
            :, p, draws.structure.problem.parties.index(party)
        ]
        return accepts
    block = draws.strategic
    assert block is not None
    month = int(rest)
    agreed: NDArray[np.bool_] = np.any((block.period >= 0) & (block.period <= month), axis=1)
    return agreed if kind == "agreement_by" else ~agreed


def _parts(loaded: LoadedScenario, result: Any) -> list[_Part]:
    found = expand(loaded)
    if not found:
        return [_Part(None, 1.0, result[loaded.scenario.name].draws)]
    return [_Part(s.name, s.weight, result[s.loaded.scenario.name].draws) for s in found]


def _weights(loaded: LoadedScenario) -> list[tuple[str | None, float]]:
    """Each structure of the scenario (None: the scenario has none) with its prior weight."""
    return [(s.name, s.weight) for s in expand(loaded)] or [(None, 1.0)]


def _answer(q: Question, loaded: LoadedScenario, result: Any, n: int, seed: int) -> dict[str, Any]:
    kind, _, rest = q.output.partition(".")
    entry: dict[str, Any] = {"question": q.question}
    if kind == "structure":
        weights = _weights(loaded)
        weight = sum(w for name, w in weights if (name or "").split("-without-")[0] == rest)
        entry.update(
            {
                "probability": round(weight, 12),
                "interval": None,
                "from": f"the prior weight of structure {rest} of {loaded.scenario.name}: a "
                "judgment the scenario states with its evidence, not a model output",
            }
        )
    else:
        parts = _parts(loaded, result)
        columns = [_indicator(p.draws, q.output) for p in parts]
        counts = [int(c.sum()) for c in columns]
        sizes = [int(c.shape[0]) for c in columns]
        if len(parts) == 1:
            share = wilson(counts[0], sizes[0])
        else:
            share = stratified(counts, sizes, [p.weight for p in parts])
        mixed = (
            "" if len(parts) == 1 else f", mixed over its {len(parts)} structures by their weights"
        )
        entry.update(
            {
                "probability": round(share.p, 6),
                "interval": [round(share.low, 6), round(share.high, 6)],
                "from": f"sim uncertainty of {loaded.scenario.name} ({n:,} draws, seed {seed}): "
                f"the share of draws with {q.output}{mixed}",
                "by_structure": (
                    {p.name: round(c / s, 6) for p, c, s in zip(parts, counts, sizes, strict=True)}
                    if len(parts) > 1
                    else None
                ),
                "depends_on": _depends(parts, columns, seed),
            }
        )
    if q.reading:
        entry["reading"] = q.reading
    return entry


def _depends(parts: list[_Part], columns: list[NDArray[np.bool_]], seed: int) -> list[str]:
    """The structures (when they differ) and the judgments most correlated with the answer,
    in the structure of largest weight."""
    found = []
    shares = [float(c.mean()) for c in columns]
    if len(parts) > 1 and max(shares) > min(shares):
        found.append(
            "the structure: "
            + ", ".join(f"{p.name} {s:.0%}" for p, s in zip(parts, shares, strict=True))
        )
    heaviest = max(range(len(parts)), key=lambda i: parts[i].weight)
    column = columns[heaviest].astype(np.float64)
    draws = parts[heaviest].draws
    judgments = draws.judgments
    if column.min() == column.max() or not judgments:
        return found or ["no judgment: constant over the draws"]
    drawn = draw_block(judgments, seed, 0, column.shape[0])
    spread = drawn.std(axis=0) > 0
    correlation = np.zeros(len(judgments))
    centred = column - column.mean()
    values = drawn[:, spread] - drawn[:, spread].mean(axis=0)
    correlation[spread] = (values * centred[:, None]).sum(axis=0) / (
        np.sqrt((values**2).sum(axis=0)) * np.sqrt((centred**2).sum())
    )
    order = np.argsort(-np.abs(correlation), kind="stable")[:DEPENDS]
    found += [f"{judgments[i].path} (correlation {correlation[i]:+.2f})" for i in order]
    return found


def forecast_text(document: dict[str, Any]) -> str:
    """The forecasts as the YAML the case keeps on record (keys in a fixed order)."""
    import yaml

    return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=96))
