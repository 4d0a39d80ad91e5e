"""The scenario file format (SPEC §1 plus levers, a war model and proposals), as pydantic models.

These models check the shape of one resolved scenario; rules that tie fields together (a weight
naming an existing issue, a red line naming an existing option) are in :mod:`sim.model.checks`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9_-]+$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class Strict(BaseModel):
    # defer_build: a model's validator is built on first use, so that loading a scenario builds
    # one validator (the scenario's, with every part inline), not one per model at import
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Quote(Strict):
    """A passage copied verbatim from a declared source."""

    source: str
    quote: Annotated[str, Field(min_length=1)]


class Assumption(Strict):
    """What is assumed where the documents are silent."""

    assumption: Annotated[str, Field(min_length=1)]


def _evidence_kind(value: Any) -> str:
    if isinstance(value, Assumption) or (isinstance(value, dict) and "assumption" in value):
        return "assumption"
    return "quote"


Evidence = Annotated[
    Annotated[Quote, Tag("quote")] | Annotated[Assumption, Tag("assumption")],
    Discriminator(_evidence_kind),
]


class Reliability(Strict):
    """How far a source can be relied on: ``A`` (dated, quoting people on the record), ``B``
    (dated, resting on unnamed sources or one side's account), ``C`` (undated, or not
    verifiable), with the reason."""

    grade: Literal["A", "B", "C"]
    reason: Annotated[str, Field(min_length=1)]


class Source(Strict):
    title: str | None = None
    outlet: str | None = None
    date: datetime.date | str | None = None
    document: str | None = None
    reliability: Reliability | None = None


class LinearForm(Strict):
    """``base + sum(effects[lever] * lever value)``."""

    base: Finite = 0.0
    effects: dict[str, Finite] = {}


def _number_or_form(value: Any) -> str:
    return "form" if isinstance(value, dict | BaseModel) else "number"


Coefficient = Annotated[
    Annotated[Finite, Tag("number")] | Annotated[LinearForm, Tag("form")],
    Discriminator(_number_or_form),
]


class Lever(Strict):
    title: str | None = None
    value: Finite
    evidence: list[Evidence] = []


PRIVATE_FIELDS = ("cost", "odds")
"""What a war side's private information may be about: its cost of war, or its own chance of
prevailing (see docs/strategic.md)."""

PRIVATE_GRID_LIMIT = 2000
"""Most types a private value's grid may hold (the memory the screening solution needs grows
with its square; :data:`sim.core.screening.TYPE_LIMIT`)."""


class PrivateValue(Strict):
    """A war side's value of fighting on that only it knows: the other parties hold ``belief``,
    a distribution of SPEC §6 over its ``cost`` (the war form's cost) or its ``odds`` (its own
    chance of prevailing), represented by ``grid`` types at the distribution's quantiles."""

    field: Literal["cost", "odds"]
    belief: Distribution
    grid: Annotated[int, Field(ge=1)] = 50
    evidence: list[Evidence] = []


class War(Strict):
    """Fearon-style model of fighting on.

    ``prevail`` is the probability that ``sides[0]`` wins at period 0; it moves by ``drift``
    each period (a month) over ``horizon`` periods. ``beliefs`` may give, per side, that
    probability as the side itself sees it (mutual optimism, where a case claims it: both
    sides' beliefs must then be cited). ``outcomes`` may give, per side, the terms it would
    impose if it prevailed (partial terms are completed by its own preferences); a war-derived
    reservation that omits ``win`` and ``lose`` then values the war as a lottery over them.
    ``private`` (even empty) asks why talks may fail: the durable zone, the optimism threshold
    and, for the side it names, bargaining under private information (docs/strategic.md).
    """

    title: str | None = None
    sides: Annotated[list[str], Field(min_length=2, max_length=2)]
    prevail: Coefficient
    drift: Coefficient = 0.0
    horizon: Annotated[int, Field(ge=0, le=1200)] = 24
    beliefs: dict[str, Coefficient] = {}
    outcomes: dict[str, dict[str, str]] = {}
    private: dict[str, PrivateValue] | None = None
    evidence: list[Evidence] = []


class WarReservation(Strict):
    """Reservation as the expected value of fighting on: ``p * win + (1 - p) * lose - cost``.

    ``win`` and ``lose`` may be left out when the war model gives ``outcomes``: they are then
    the party's own utility of the terms its side (``win``) or the other side (``lose``) would
    impose. ``cost_growth`` is the increase of the cost per period of the war model (war
    weariness); the reservation value is the period-0 value.
    """

    win: Unit | None = None
    lose: Unit | None = None
    cost: Coefficient = 0.0
    cost_growth: Coefficient = 0.0


Reservation = Annotated[
    Annotated[Unit, Tag("number")] | Annotated[WarReservation, Tag("form")],
    Discriminator(_number_or_form),
]


class Issue(Strict):
    title: str | None = None
    options: Annotated[dict[Identifier, str | None], Field(min_length=2)]


class RedLine(Strict):
    issue: str
    options: Annotated[list[str], Field(min_length=1)]
    evidence: list[Evidence] = []


class Interaction(Strict):
    """A term added to a party's utility when a bundle takes every option in ``when``: the
    value of options that go together (or clash), beyond their separate values."""

    when: Annotated[dict[str, str], Field(min_length=2)]
    value: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
    evidence: list[Evidence] = []


class Consent(Strict):
    """What a party without a veto must deliver: a bundle taking any of ``terms`` needs its
    consent. A term is ``issue=option`` (that option needs it) or a bare ``issue`` (every
    option of the issue does: the party delivers whatever is decided on it)."""

    title: str | None = None
    terms: list[str]
    evidence: list[Evidence]

    def pairs(self) -> list[tuple[str, str | None]]:
        """Each term as ``(issue, option)``, ``option`` None for a bare issue."""
        out: list[tuple[str, str | None]] = []
        for term in self.terms:
            issue, sep, option = term.partition("=")
            out.append((issue.strip(), option.strip() if sep else None))
        return out


class Party(Strict):
    title: str | None = None
    veto: bool = True
    power: Annotated[float, Field(gt=0.0, allow_inf_nan=False)] = 1.0
    discount: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    reservation: Reservation | None = None
    weights: dict[str, Annotated[float, Field(ge=0.0, allow_inf_nan=False)]] = {}
    values: dict[str, dict[str, Unit]] = {}
    red_lines: list[RedLine] = []
    interactions: list[Interaction] = []
    consent: Consent | None = None
    evidence: dict[str, list[Evidence]] = {}


class Proposal(Strict):
    title: str | None = None
    terms: dict[str, str]
    evidence: list[Evidence] = []


class Compliance(Strict):
    """Parameters of the compliance game played over an agreed bundle.

    A side that violates while the other complies gets its war value plus ``gain``, less
    ``penalty`` times the probability that the violation is detected; the side that kept the
    deal gets its war value less ``exposure`` (reduced by ``protection``). Detection is
    ``base`` plus the contributions of the bundle's options, clipped to [0, 1].
    """

    title: str | None = None
    gain: dict[str, Unit]
    exposure: dict[str, Unit]
    penalty: dict[str, Unit]
    detection: Unit = 0.0
    detection_options: dict[str, dict[str, Unit]] = {}
    protection: dict[str, dict[str, dict[str, Unit]]] = {}
    evidence: list[Evidence] = []


class Policy(Strict):
    """A pressure the mediator may threaten: overrides applied if the target refuses.

    ``value`` is what carrying it out is worth to the mediator by itself (negative: a cost,
    positive: e.g. money saved), on top of how it moves the war.
    """

    title: str | None = None
    target: str
    set: dict[str, Any] = {}
    value: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] = 0.0
    evidence: list[Evidence] = []


class Leverage(Strict):
    """The mediator's threats, solved by backward induction (see :mod:`sim.games.leverage`).

    While the war goes on the mediator's utility is ``p * win + (1 - p) * lose - cost`` with
    ``p`` the probability that the side it ``backs`` prevails.
    """

    title: str | None = None
    mediator: str
    backs: str
    war: WarReservation
    policies: dict[Identifier, Policy]
    evidence: list[Evidence] = []


DISTRIBUTIONS = ("jitter", "relative", "uniform", "triangular", "normal", "beta")
"""The distributions a judgment may be drawn from (SPEC §6)."""

JUDGMENT_KINDS = (
    "weights", "values", "reservations", "levers", "war", "power", "discount",
    "interactions", "compliance", "leverage", "positions", "salience", "capability",
)  # fmt: skip
"""The kinds of judgment a default spread may be declared for (see docs/uncertainty.md)."""

_ARITY = {"uniform": 2, "triangular": 3, "normal": 2, "beta": 2}


class Distribution(Strict):
    """One judgment's spread: exactly one of the distributions, with its evidence."""

    jitter: Annotated[float, Field(ge=0.0, allow_inf_nan=False)] | None = None
    relative: Annotated[float, Field(ge=0.0, allow_inf_nan=False)] | None = None
    uniform: list[Finite] | None = None
    triangular: list[Finite] | None = None
    normal: list[Finite] | None = None
    beta: list[Finite] | None = None
    evidence: list[Evidence] = []

    @model_validator(mode="before")
    @classmethod
    def _one_known(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [k for k in data if k not in (*DISTRIBUTIONS, "evidence")]
            if unknown:
                raise ValueError(
                    f"unknown distribution {unknown[0]!r} (known: {', '.join(DISTRIBUTIONS)})"
                )
            if sum(k in data for k in DISTRIBUTIONS) != 1:
                raise ValueError(f"give exactly one distribution of {', '.join(DISTRIBUTIONS)}")
        return data

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        name, params = self.kind()
        if isinstance(params, list):
            if len(params) != _ARITY[name]:
                raise ValueError(f"{name} takes {_ARITY[name]} numbers, got {len(params)}")
            if name == "uniform" and params[0] > params[1]:
                raise ValueError(f"uniform: lo {params[0]} > hi {params[1]}")
            if name == "triangular" and not params[0] <= params[1] <= params[2]:
                raise ValueError(f"triangular: mode {params[1]} outside [{params[0]}, {params[2]}]")
            if name == "normal" and params[1] <= 0.0:
                raise ValueError(f"normal: sd {params[1]} must be > 0")
            if name == "beta" and min(params) <= 0.0:
                raise ValueError(f"beta: parameters {params} must be > 0")
        return self

    def kind(self) -> tuple[str, float | list[float]]:
        """The distribution's name and parameters."""
        for name in DISTRIBUTIONS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        raise ValueError(f"give exactly one distribution of {', '.join(DISTRIBUTIONS)}")


class UncertaintyGroup(Strict):
    """Judgments drawn together: one uniform draw shared by every path (patterns allowed)."""

    title: str | None = None
    paths: Annotated[list[str], Field(min_length=1)]
    evidence: list[Evidence] = []


class StructureChoice(Strict):
    """One structure of the scenario (SPEC §9): overrides of any fields, as ``set:`` would
    apply them, with its prior weight and the evidence for reading the documents this way."""

    title: str | None = None
    weight: Annotated[float, Field(ge=0.0, le=1.0)]
    set: dict[str, Any] = {}
    evidence: list[Evidence] = []


class RedLineDraw(Strict):
    """How likely a stated red line is to be firm (SPEC §9): with probability ``firm`` it
    holds, else it is lifted. Analysed as two structures, weighted ``firm`` and ``1 - firm``."""

    title: str | None = None
    firm: Annotated[float, Field(ge=0.0, le=1.0)]
    evidence: list[Evidence] = []


STRUCTURE_WEIGHT_TOLERANCE = 1e-9
"""How far the structures' weights may sum from 1."""


class Uncertainty(Strict):
    """How sure the scenario's judgments are (SPEC §6): what varies, how, and how often;
    and which structures the scenario may have (SPEC §9), each with its weight."""

    title: str | None = None
    draws: Annotated[int, Field(ge=1)] | None = None
    seed: Annotated[int, Field(ge=0)] | None = None
    robust: Annotated[float, Field(gt=0.0, le=1.0)] = 0.9
    defaults: dict[Literal[JUDGMENT_KINDS], Distribution] = {}  # type: ignore[valid-type]
    vary: dict[str, Distribution] = {}
    groups: dict[Identifier, UncertaintyGroup] = {}
    structures: dict[Identifier, StructureChoice] = {}
    red_lines: dict[str, RedLineDraw] = {}
    deciding: list[str] = []
    """Patterns of the judgments the scenario's conclusions are said to turn on (as its
    documentation names them): ``sim validate`` warns of one that is never drawn."""
    evidence: list[Evidence] = []


class BargainingRules(Strict):
    """How bargaining over time is played (see :mod:`sim.core.bargaining`).

    ``order`` is the proposers' order of rotating offers (veto parties; default: every veto
    party in file order). ``protocols`` lists the protocols to play (default: every one that
    applies: alternating offers with two veto parties, rotating offers with three or more, and
    the mediated protocol when the leverage section names a mediator); leaving one out, with
    evidence, says the documents rule it out (e.g. direct talks).
    """

    title: str | None = None
    order: list[str] | None = None
    protocols: list[Literal["alternating", "rotating", "mediated"]] | None = None
    evidence: list[Evidence] = []


AnalysisName = Literal["space", "frontier", "solutions", "proposals", "bargaining", "games"]
"""An analysis a run can compute (``sim run --only``, the API's ``only=``, ``analyses:``)."""

ANALYSES: tuple[str, ...] = get_args(AnalysisName)
"""Every analysis, in the order the outcome document lists them."""


class SpatialDimension(Strict):
    """One dimension of a spatial reading: a scale ``[lo, hi]`` (``lo < hi``), optionally an
    ordered issue of ``issues`` read as this scale, with each option's ``positions`` on it."""

    title: str | None = None
    scale: Annotated[list[Finite], Field(min_length=2, max_length=2)]
    issue: str | None = None
    positions: dict[str, Finite] = {}
    evidence: list[Evidence] = []


SpatialPosition = Annotated[
    Annotated[Finite, Tag("number")] | Annotated[str, Tag("option")],
    Discriminator(lambda v: "option" if isinstance(v, str) else "number"),
]


class SpatialActor(Strict):
    """An actor of a spatial reading: its position on each dimension (a number on the scale,
    or an option of the dimension's issue), its salience per dimension in [0, 1] and its
    capability (>= 0). ``evidence`` is keyed by ``capability`` or a dimension id."""

    title: str | None = None
    capability: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
    positions: dict[str, SpatialPosition]
    salience: dict[str, Unit]
    evidence: dict[str, list[Evidence]] = {}


class Spatial(Strict):
    """Spatial issues (see docs/spatial.md): scales, and per actor positions, saliences and
    capabilities, for ``sim spatial``; ``model`` and ``options`` are the model ``sim spatial``
    and sweeps run unless told otherwise (``options``: setting name -> value)."""

    title: str | None = None
    model: Literal["compromise", "median", "bdm", "smp"] = "bdm"
    options: dict[str, Annotated[str, Field(min_length=1)] | Finite] = {}
    dimensions: Annotated[dict[Identifier, SpatialDimension], Field(min_length=1)]
    actors: Annotated[dict[Identifier, SpatialActor], Field(min_length=1)]
    evidence: list[Evidence] = []


class Scenario(Strict):
    """One scenario file; after resolution, ``extends`` and ``set`` have been applied.

    ``issues`` and ``parties`` may be left out only by a scenario with a ``spatial`` section
    (a spatial reading alone, for ``sim spatial``)."""

    name: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str | None = None
    description: str | None = None
    date: datetime.date | None = None
    """The day whose state the scenario describes (``sim forecast --as-of`` uses only the
    scenarios dated up to its day)."""
    extends: str | None = None
    sources: dict[str, Source] = {}
    levers: dict[Identifier, Lever] = {}
    war: War | None = None
    spatial: Spatial | None = None
    issues: dict[Identifier, Issue]
    parties: dict[Identifier, Party]
    proposals: dict[Identifier, Proposal] = {}
    compliance: Compliance | None = None
    leverage: Leverage | None = None
    bargaining: BargainingRules | None = None
    uncertainty: Uncertainty | None = None
    analyses: list[AnalysisName] | None = None
    set: dict[str, Any] = {}

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """A date written as text (``"2025-03-12"``) is read as the date it names."""
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _spatial_alone(cls, data: Any) -> Any:
        """A scenario with a spatial section may leave out issues and parties."""
        if isinstance(data, dict) and data.get("spatial") is not None:
            return {"issues": {}, "parties": {}, **data}
        return data

    @field_validator("issues", "parties")
    @classmethod
    def _at_least_one(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if not value and info.data.get("spatial") is None:
            raise PydanticCustomError(
                "too_short", "Dictionary should have at least 1 item after validation, not 0"
            )
        return value

    def label(self) -> str:
        return self.title or self.name
