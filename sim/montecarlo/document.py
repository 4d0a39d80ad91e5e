"""The typed summary of ``sim uncertainty`` (SPEC §6): what ``summary.json`` holds, as records.

:class:`UncertaintySummary` is the whole document, :class:`ScenarioSummary` one scenario's.
``to_json`` writes the SPEC §6 document (the same keys, order and values the summaries have
always had, so ``summary.json`` is unchanged byte for byte) and ``from_json`` reads one back,
refusing a document of another shape with the field named (:class:`SummaryError`). The
headline parts are records: the zone's odds, the acceptable bundles, each proposal's and
solution's odds, what the zone is worth, bargaining over time, why talks fail, the paired
differences against the parent, and what decides the answers (the sensitivity ranking and
tornado). Three parts are carried as the documents their producers write, their shapes
depending on the model or the options: the sensitivity's swings and Sobol' indices,
``spatial`` (the spatial model's forecasts) and the per-structure mixtures (``structures``).

Examples
--------
>>> odds = Odds.from_json({"p": 0.5, "ci": [0.4, 0.6]}, "p")
>>> odds.p, odds.low, odds.to_json()
(0.5, 0.4, {'p': 0.5, 'ci': [0.4, 0.6]})
>>> Odds.from_json({"p": 0.5}, "zone")
Traceback (most recent call last):
...
sim.montecarlo.document.SummaryError: zone.ci: missing
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

Document = Mapping[str, Any]
"""A part of the summary carried as its producer's document (JSON values)."""


class SummaryError(ValueError):
    """A summary document that is not of the SPEC §6 shape; the message names the field."""


def _field(document: Any, key: str, where: str) -> Any:
    if not isinstance(document, Mapping):
        raise SummaryError(f"{where or 'the summary'}: not a mapping")
    if key not in document:
        raise SummaryError(f"{where}.{key}: missing" if where else f"{key}: missing")
    return document[key]


def _number(value: Any, where: str, optional: bool = False) -> Any:
    """A JSON number as it was read (an int stays an int: the bytes written back are the same)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SummaryError(f"{where}: not a number: {value!r}")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise SummaryError(f"{where}: not a mapping")
    return dict(value)


def _pair(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise SummaryError(f"{where}: not a pair [low, high]: {value!r}")
    return _number(value[0], where), _number(value[1], where)


def _estimate(document: Any, key: str, interval: str, where: str) -> tuple[Any, Any, Any]:
    """A number at ``key`` and its interval ``[low, high]`` at ``interval``."""
    value = _number(_field(document, key, where), f"{where}.{key}")
    return (value, *_pair(_field(document, interval, where), f"{where}.{interval}"))


def _bundle(document: Any, where: str) -> dict[str, str]:
    """A bundle's terms, ``{issue: option}``, at ``bundle``."""
    found = _mapping(_field(document, "bundle", where), f"{where}.bundle")
    return {str(k): str(v) for k, v in found.items()}


def _shares(value: Any, where: str) -> dict[str, float]:
    """``{name: number}``."""
    return {str(k): _number(v, f"{where}.{k}") for k, v in _mapping(value, where).items()}


class _Interval:
    """An estimate (the field named :attr:`KEY`) with its 95% interval ``low``..``high``;
    JSON ``{KEY: estimate, "ci": [low, high]}``."""

    KEY: ClassVar[str]
    low: float
    high: float

    @property
    def ci(self) -> list[float]:
        return [self.low, self.high]

    def to_json(self) -> dict[str, Any]:
        return {self.KEY: getattr(self, self.KEY), "ci": self.ci}


@dataclass(frozen=True)
class Odds(_Interval):
    """A share of draws and its 95% interval (:func:`sim.montecarlo.summary.wilson`: Wilson
    1927; or a mixture's, :func:`sim.montecarlo.structures.stratified`); JSON
    ``{"p": p, "ci": [low, high]}``, or flat as ``"<name>": p, "<name>_ci": [low, high]``
    inside its parent (:meth:`flat`)."""

    KEY: ClassVar[str] = "p"
    p: float
    low: float
    high: float

    def flat(self, name: str) -> dict[str, Any]:
        return {name: self.p, f"{name}_ci": self.ci}

    @classmethod
    def from_json(cls, document: Any, where: str) -> Odds:
        return cls(*_estimate(document, cls.KEY, "ci", where))

    @classmethod
    def from_flat(cls, document: Any, name: str, where: str) -> Odds:
        return cls(*_estimate(document, name, f"{name}_ci", where))


@dataclass(frozen=True)
class Difference(_Interval):
    """A paired difference (variant minus parent, same draws) and its 95% interval; JSON
    ``{"difference": d, "ci": [low, high]}``."""

    KEY: ClassVar[str] = "difference"
    difference: float
    low: float
    high: float

    @classmethod
    def from_json(cls, document: Any, where: str) -> Difference:
        return cls(*_estimate(document, cls.KEY, "ci", where))


@dataclass(frozen=True)
class Spread:
    """A measure's mean and 5%, 50%, 95% quantiles over draws (None: no draw had it), and,
    for a measure some draws lack (why talks fail), the ``share`` of draws that have it."""

    mean: float | None
    quantiles: dict[str, float] | None
    share: float | None = None

    @property
    def median(self) -> float | None:
        return None if self.quantiles is None else self.quantiles["0.5"]

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"mean": self.mean, "quantiles": self.quantiles}
        if self.share is not None:
            document["share"] = self.share
        return document

    @classmethod
    def from_json(cls, document: Any, where: str) -> Spread:
        mean = _number(_field(document, "mean", where), f"{where}.mean", optional=True)
        found = _field(document, "quantiles", where)
        quantiles = None if found is None else _shares(found, f"{where}.quantiles")
        if quantiles is not None and "0.5" not in quantiles:
            raise SummaryError(f"{where}.quantiles.0.5: missing")
        share = document.get("share")
        return cls(mean, quantiles, None if share is None else _number(share, f"{where}.share"))


@dataclass(frozen=True)
class BundleOdds:
    """A bundle and the share of draws in which every veto party could accept it."""

    index: int
    bundle: dict[str, str]
    words: str
    p_acceptable: float

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "bundle": dict(self.bundle),
            "words": self.words,
            "p_acceptable": self.p_acceptable,
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> BundleOdds:
        return cls(
            _number(_field(document, "index", where), f"{where}.index"),
            _bundle(document, where),
            str(_field(document, "words", where)),
            _number(_field(document, "p_acceptable", where), f"{where}.p_acceptable"),
        )


@dataclass(frozen=True)
class Modal:
    """A solution's most frequent bundle and the share of all draws choosing it."""

    index: int
    bundle: dict[str, str]
    p: float

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "bundle": dict(self.bundle), "p": self.p}

    @classmethod
    def from_json(cls, document: Any, where: str) -> Modal:
        return cls(
            _number(_field(document, "index", where), f"{where}.index"),
            _bundle(document, where),
            _number(_field(document, "p", where), f"{where}.p"),
        )


@dataclass(frozen=True)
class SolutionOdds:
    """How often a bargaining solution exists, its modal bundle (None: never exists) and per
    issue each option's share among the draws where it exists."""

    exists: Odds
    modal: Modal | None
    options: dict[str, dict[str, float]]

    def to_json(self) -> dict[str, Any]:
        return {
            "p_exists": self.exists.to_json(),
            "modal": None if self.modal is None else self.modal.to_json(),
            "options": {issue: dict(shares) for issue, shares in self.options.items()},
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> SolutionOdds:
        modal = _field(document, "modal", where)
        options = _mapping(_field(document, "options", where), f"{where}.options")
        return cls(
            Odds.from_json(_field(document, "p_exists", where), f"{where}.p_exists"),
            None if modal is None else Modal.from_json(modal, f"{where}.modal"),
            {k: _shares(v, f"{where}.options.{k}") for k, v in options.items()},
        )


@dataclass(frozen=True)
class Acceptable:
    """The number of acceptable bundles over draws: mean, quantiles and the most common
    counts' shares (``{count: share}``)."""

    mean: float
    quantiles: dict[str, float]
    distribution: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "quantiles": dict(self.quantiles),
            "distribution": dict(self.distribution),
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> Acceptable:
        return cls(
            _number(_field(document, "mean", where), f"{where}.mean"),
            _shares(_field(document, "quantiles", where), f"{where}.quantiles"),
            _shares(_field(document, "distribution", where), f"{where}.distribution"),
        )


@dataclass(frozen=True)
class PartyValue:
    """One judging party's reservation and the least and greatest utility it can get inside
    the zone, over draws."""

    veto: bool
    reservation: Spread
    low: Spread
    high: Spread

    def to_json(self) -> dict[str, Any]:
        return {
            "veto": self.veto,
            "reservation": self.reservation.to_json(),
            "low": self.low.to_json(),
            "high": self.high.to_json(),
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> PartyValue:
        veto = _field(document, "veto", where)
        if not isinstance(veto, bool):
            raise SummaryError(f"{where}.veto: not true or false: {veto!r}")
        spreads = [
            Spread.from_json(_field(document, k, where), f"{where}.{k}")
            for k in ("reservation", "low", "high")
        ]
        return cls(veto, *spreads)


@dataclass(frozen=True)
class ZoneValue:
    """What the zone is worth in the parties' utilities (:func:`sim.montecarlo.results.
    zone_value`): the joint surplus (0 without a zone), the same given a zone, each judging
    party's spread, and per issue each option's share of the acceptable bundles."""

    surplus: Spread
    surplus_given_zone: Spread
    parties: dict[str, PartyValue]
    options: dict[str, dict[str, float]]

    def to_json(self) -> dict[str, Any]:
        return {
            "surplus": self.surplus.to_json(),
            "surplus_given_zone": self.surplus_given_zone.to_json(),
            "parties": {name: value.to_json() for name, value in self.parties.items()},
            "options": {issue: dict(shares) for issue, shares in self.options.items()},
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> ZoneValue:
        parties = _mapping(_field(document, "parties", where), f"{where}.parties")
        options = _mapping(_field(document, "options", where), f"{where}.options")
        return cls(
            Spread.from_json(_field(document, "surplus", where), f"{where}.surplus"),
            Spread.from_json(
                _field(document, "surplus_given_zone", where), f"{where}.surplus_given_zone"
            ),
            {k: PartyValue.from_json(v, f"{where}.parties.{k}") for k, v in parties.items()},
            {k: _shares(v, f"{where}.options.{k}") for k, v in options.items()},
        )


@dataclass(frozen=True)
class Periods:
    """The median month of agreement (None: no draw agreed) and each month's share of all
    draws (``{month: share}``)."""

    median: float | None
    distribution: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {"median": self.median, "distribution": dict(self.distribution)}

    @classmethod
    def from_json(cls, document: Any, where: str) -> Periods:
        return cls(
            _number(_field(document, "median", where), f"{where}.median", optional=True),
            _shares(_field(document, "distribution", where), f"{where}.distribution"),
        )


@dataclass(frozen=True)
class ProtocolOdds:
    """One bargaining protocol over the draws: agreement, its month, self-enforcement."""

    agreement: Odds
    period: Periods
    self_enforcing: Odds

    def to_json(self) -> dict[str, Any]:
        return {
            **self.agreement.flat("p_agreement"),
            "period": self.period.to_json(),
            **self.self_enforcing.flat("p_self_enforcing"),
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> ProtocolOdds:
        return cls(
            Odds.from_flat(document, "p_agreement", where),
            Periods.from_json(_field(document, "period", where), f"{where}.period"),
            Odds.from_flat(document, "p_self_enforcing", where),
        )


@dataclass(frozen=True)
class BargainingOdds:
    """Bargaining over time over the draws it was played in: agreement under some protocol,
    the month of the earliest agreement, and each protocol's odds."""

    draws: int
    agreement: Odds
    period: Periods
    protocols: dict[str, ProtocolOdds]

    def to_json(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            **self.agreement.flat("p_agreement"),
            "period": self.period.to_json(),
            "protocols": {name: odds.to_json() for name, odds in self.protocols.items()},
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> BargainingOdds:
        protocols = _mapping(_field(document, "protocols", where), f"{where}.protocols")
        return cls(
            _number(_field(document, "draws", where), f"{where}.draws"),
            Odds.from_flat(document, "p_agreement", where),
            Periods.from_json(_field(document, "period", where), f"{where}.period"),
            {k: ProtocolOdds.from_json(v, f"{where}.protocols.{k}") for k, v in protocols.items()},
        )


@dataclass(frozen=True)
class Screening:
    """Screening under private information over the draws where it applies: the mean chance
    of agreement by each month, of no agreement, and the expected month's spread."""

    title: str
    p_agreement_by: dict[str, float]
    p_breakdown: float
    expected_month: Spread

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "p_agreement_by": dict(self.p_agreement_by),
            "p_breakdown": self.p_breakdown,
            "expected_month": self.expected_month.to_json(),
        }

    @classmethod
    def from_json(cls, document: Any, where: str) -> Screening:
        return cls(
            str(_field(document, "title", where)),
            _shares(_field(document, "p_agreement_by", where), f"{where}.p_agreement_by"),
            _number(_field(document, "p_breakdown", where), f"{where}.p_breakdown"),
            Spread.from_json(_field(document, "expected_month", where), f"{where}.expected_month"),
        )


@dataclass(frozen=True)
class TalksOdds:
    """Why talks fail, over the draws (docs/strategic.md): the share with a commitment
    problem, the optimism threshold's spread, and screening (None: no draw screened)."""

    draws: int
    commitment_problem: Odds
    optimism_threshold: Spread
    screening: Screening | None

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "draws": self.draws,
            **self.commitment_problem.flat("p_commitment_problem"),
            "optimism_threshold": self.optimism_threshold.to_json(),
        }
        if self.screening is not None:
            document["screening"] = self.screening.to_json()
        return document

    @classmethod
    def from_json(cls, document: Any, where: str) -> TalksOdds:
        screening = document.get("screening") if isinstance(document, Mapping) else None
        return cls(
            _number(_field(document, "draws", where), f"{where}.draws"),
            Odds.from_flat(document, "p_commitment_problem", where),
            Spread.from_json(
                _field(document, "optimism_threshold", where), f"{where}.optimism_threshold"
            ),
            None if screening is None else Screening.from_json(screening, f"{where}.screening"),
        )


@dataclass(frozen=True)
class VersusParent:
    """Paired differences against the parent scenario, draw by draw (common random numbers):
    the zone, the number of acceptable bundles, the zone's overlap, the Nash bundle kept,
    the joint surplus and each reservation's shift (None: measures not recorded), each
    proposal's acceptance (``{proposal: {"all" or party: difference}}``) and bargaining per
    protocol (None: not played in both)."""

    parent: str
    shared_judgments: int
    zone: Difference
    acceptable_mean: Difference
    zone_in_both: float
    zone_only_in_variant: float
    zone_only_in_parent: float
    nash_same_bundle: float
    surplus: Difference | None
    reservations: dict[str, Difference] | None
    proposals: dict[str, dict[str, Difference]]
    bargaining: dict[str, dict[str, Difference]] | None

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "parent": self.parent,
            "shared_judgments": self.shared_judgments,
            "p_zone": self.zone.to_json(),
            "acceptable_mean": self.acceptable_mean.to_json(),
            "zone_in_both": self.zone_in_both,
            "zone_only_in_variant": self.zone_only_in_variant,
            "zone_only_in_parent": self.zone_only_in_parent,
            "nash_same_bundle": self.nash_same_bundle,
        }
        if self.surplus is not None:
            document["surplus"] = self.surplus.to_json()
            document["reservations"] = {
                k: v.to_json() for k, v in (self.reservations or {}).items()
            }
        document["proposals"] = {
            pid: {who: d.to_json() for who, d in entry.items()}
            for pid, entry in self.proposals.items()
        }
        document["bargaining"] = (
            None
            if self.bargaining is None
            else {
                name: {what: d.to_json() for what, d in entry.items()}
                for name, entry in self.bargaining.items()
            }
        )
        return document

    @classmethod
    def from_json(cls, document: Any, where: str) -> VersusParent | None:
        """None for ``{"parent": null}``: a scenario without a parent in the run."""
        parent = _field(document, "parent", where)
        if parent is None:
            return None

        def differences(value: Any, at: str) -> dict[str, dict[str, Difference]]:
            return {
                k: {w: Difference.from_json(d, f"{at}.{k}.{w}") for w, d in _mapping(e, at).items()}
                for k, e in _mapping(value, at).items()
            }

        def number(key: str) -> Any:
            return _number(_field(document, key, where), f"{where}.{key}")

        surplus = document.get("surplus")
        bargaining = _field(document, "bargaining", where)
        return cls(
            str(parent),
            number("shared_judgments"),
            Difference.from_json(_field(document, "p_zone", where), f"{where}.p_zone"),
            Difference.from_json(
                _field(document, "acceptable_mean", where), f"{where}.acceptable_mean"
            ),
            number("zone_in_both"),
            number("zone_only_in_variant"),
            number("zone_only_in_parent"),
            number("nash_same_bundle"),
            None if surplus is None else Difference.from_json(surplus, f"{where}.surplus"),
            None
            if surplus is None
            else {
                k: Difference.from_json(v, f"{where}.reservations.{k}")
                for k, v in _mapping(
                    _field(document, "reservations", where), f"{where}.reservations"
                ).items()
            },
            differences(_field(document, "proposals", where), f"{where}.proposals"),
            None if bargaining is None else differences(bargaining, f"{where}.bargaining"),
        )


@dataclass(frozen=True)
class Ranked:
    """A judgment's PAWN index for a headline, and whether it is above the noise level."""

    path: str
    index: float
    above_noise: bool


@dataclass(frozen=True)
class Flip:
    """A single judgment that, moved to an end of its spread, changes a headline: the
    headline's value as stated and as moved (a bundle index for ``nash``, else true/false)."""

    path: str
    end: str
    value: Any
    headline: str
    stated: Any
    moved: Any
    changed: dict[str, Any] | None = None
    """For ``nash``: per issue whose option changes, ``[old, new]`` (None: not recorded)."""


NOT_RANKINGS = ("method", "noise", "tornado", "swings", "sobol")
"""Keys of the sensitivity document that are not a headline's ranking."""


@dataclass(frozen=True)
class Sensitivity:
    """What decides the conclusions (:func:`sim.montecarlo.sensitivity.sensitivity_summary`):
    the method, the tornado's flips, per headline the noise level and the judgments ranked by
    PAWN index (or, in words, why none is: ``constant over the draws``). The swings and the
    Sobol' indices stay in ``document``, the part as written, which :meth:`to_json` gives."""

    method: str
    tornado: tuple[Flip, ...]
    noise: dict[str, float]
    rankings: dict[str, tuple[Ranked, ...] | str]
    document: Document

    def to_json(self) -> Document:
        return self.document

    @classmethod
    def from_json(cls, document: Any, where: str) -> Sensitivity:
        method = _field(document, "method", where)
        flips = _field(document, "tornado", where)
        if not isinstance(flips, list):
            raise SummaryError(f"{where}.tornado: not a list")
        tornado = []
        for i, flip in enumerate(flips):
            at = f"{where}.tornado.{i}"
            path, end, value, headline, stated, moved = (
                _field(flip, k, at) for k in ("path", "end", "value", "headline", "stated", "moved")
            )
            changed = flip.get("changed")
            if changed is not None:
                changed = _mapping(changed, f"{at}.changed")
            tornado.append(Flip(str(path), str(end), value, str(headline), stated, moved, changed))
        rankings: dict[str, tuple[Ranked, ...] | str] = {}
        for headline, ranking in document.items():
            if headline in NOT_RANKINGS:
                continue
            at = f"{where}.{headline}"
            if isinstance(ranking, str):
                rankings[headline] = ranking
            elif isinstance(ranking, list):
                rankings[headline] = tuple(
                    Ranked(
                        str(_field(r, "path", f"{at}.{i}")),
                        _number(_field(r, "index", f"{at}.{i}"), f"{at}.{i}.index"),
                        bool(_field(r, "above_noise", f"{at}.{i}")),
                    )
                    for i, r in enumerate(ranking)
                )
            else:
                raise SummaryError(f"{at}: neither a ranking nor words: {ranking!r}")
        noise = _shares(document.get("noise", {}), f"{where}.noise")
        return cls(str(method), tuple(tornado), noise, rankings, document)


@dataclass(frozen=True)
class ScenarioSummary:
    """One scenario's summary over its draws (SPEC §6)."""

    draws: int
    judgments: int
    zone: Odds
    """The share of draws with a zone of agreement (``p_zone``, ``p_zone_ci``)."""
    zone_value: ZoneValue | None
    acceptable: Acceptable
    frontier_mean: float
    proposals: dict[str, dict[str, Odds]]
    """Per proposal, each party's share of draws accepting it and ``"all"``: accepted by all."""
    robust_threshold: float
    robust_bundles: tuple[BundleOdds, ...]
    top_bundles: tuple[BundleOdds, ...]
    solutions: dict[str, SolutionOdds]
    """Per solution rule (:data:`sim.core.solutions.SOLUTION_RULES`), in the rules' order."""
    versus_parent: VersusParent | None
    bargaining: BargainingOdds | None = None
    talks: TalksOdds | None = None
    sensitivity: Sensitivity | None = None
    spatial: Document | None = None
    """The spatial model's forecasts over the draws (``sim spatial --draws``' summary)."""

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "draws": self.draws,
            "judgments": self.judgments,
            **self.zone.flat("p_zone"),
            "zone_value": None if self.zone_value is None else self.zone_value.to_json(),
            "acceptable": self.acceptable.to_json(),
            "frontier": {"mean": self.frontier_mean},
            "proposals": {
                pid: {who: odds.p for who, odds in entry.items()}
                for pid, entry in self.proposals.items()
            },
            "proposals_ci": {
                pid: {who: odds.ci for who, odds in entry.items()}
                for pid, entry in self.proposals.items()
            },
            "robust_threshold": self.robust_threshold,
            "robust_bundles": [b.to_json() for b in self.robust_bundles],
            "top_bundles": [b.to_json() for b in self.top_bundles],
            "solutions": {name: odds.to_json() for name, odds in self.solutions.items()},
        }
        if self.bargaining is not None:
            document["bargaining"] = self.bargaining.to_json()
        if self.talks is not None:
            document["talks"] = self.talks.to_json()
        document["versus_parent"] = (
            {"parent": None} if self.versus_parent is None else self.versus_parent.to_json()
        )
        if self.sensitivity is not None:
            document["sensitivity"] = self.sensitivity.to_json()
        if self.spatial is not None:
            document["spatial"] = self.spatial
        return document

    @classmethod
    def from_json(cls, document: Any, where: str = "") -> ScenarioSummary:
        at = f"{where}." if where else ""
        shares = _mapping(_field(document, "proposals", where), f"{at}proposals")
        intervals = _mapping(_field(document, "proposals_ci", where), f"{at}proposals_ci")
        proposals = {}
        for pid, entry in shares.items():
            ci = _mapping(intervals.get(pid), f"{at}proposals_ci.{pid}")
            proposals[pid] = {
                who: Odds(
                    _number(p, f"{at}proposals.{pid}.{who}"),
                    *_pair(ci.get(who), f"{at}proposals_ci.{pid}.{who}"),
                )
                for who, p in _mapping(entry, f"{at}proposals.{pid}").items()
            }
        value = _field(document, "zone_value", where)
        solutions = _mapping(_field(document, "solutions", where), f"{at}solutions")
        optional = {
            key: document.get(key) for key in ("bargaining", "talks", "sensitivity", "spatial")
        }
        if optional["spatial"] is not None:
            _mapping(optional["spatial"], f"{at}spatial")

        def bundles(key: str) -> tuple[BundleOdds, ...]:
            found = _field(document, key, where)
            if not isinstance(found, list):
                raise SummaryError(f"{at}{key}: not a list")
            return tuple(BundleOdds.from_json(b, f"{at}{key}.{i}") for i, b in enumerate(found))

        return cls(
            draws=_number(_field(document, "draws", where), f"{at}draws"),
            judgments=_number(_field(document, "judgments", where), f"{at}judgments"),
            zone=Odds.from_flat(document, "p_zone", where),
            zone_value=None if value is None else ZoneValue.from_json(value, f"{at}zone_value"),
            acceptable=Acceptable.from_json(
                _field(document, "acceptable", where), f"{at}acceptable"
            ),
            frontier_mean=_number(
                _field(_field(document, "frontier", where), "mean", f"{at}frontier"),
                f"{at}frontier.mean",
            ),
            proposals=proposals,
            robust_threshold=_number(
                _field(document, "robust_threshold", where), f"{at}robust_threshold"
            ),
            robust_bundles=bundles("robust_bundles"),
            top_bundles=bundles("top_bundles"),
            solutions={
                k: SolutionOdds.from_json(v, f"{at}solutions.{k}") for k, v in solutions.items()
            },
            versus_parent=VersusParent.from_json(
                _field(document, "versus_parent", where), f"{at}versus_parent"
            ),
            bargaining=None
            if optional["bargaining"] is None
            else BargainingOdds.from_json(optional["bargaining"], f"{at}bargaining"),
            talks=None
            if optional["talks"] is None
            else TalksOdds.from_json(optional["talks"], f"{at}talks"),
            sensitivity=None
            if optional["sensitivity"] is None
            else Sensitivity.from_json(optional["sensitivity"], f"{at}sensitivity"),
            spatial=optional["spatial"],
        )


@dataclass(frozen=True)
class UncertaintySummary:
    """The whole ``sim uncertainty`` summary (``summary.json``): the draws and seed, notes,
    each scenario's summary and, per scenario that declares structures, its conclusions per
    structure and mixed (:func:`sim.montecarlo.structures.mixture`)."""

    draws: int
    seed: int
    notes: tuple[str, ...]
    scenarios: dict[str, ScenarioSummary]
    structures: Mapping[str, Document]

    def __getitem__(self, name: str) -> ScenarioSummary:
        return self.scenarios[name]

    def to_json(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "notes": list(self.notes),
            "scenarios": {name: s.to_json() for name, s in self.scenarios.items()},
            "structures": dict(self.structures),
        }

    @classmethod
    def from_json(cls, document: Any) -> UncertaintySummary:
        """Read a ``summary.json`` document.

        Raises
        ------
        SummaryError
            The document is not of the SPEC §6 shape (the message names the field).
        """
        scenarios = _mapping(_field(document, "scenarios", ""), "scenarios")
        notes = document.get("notes", [])  # both absent from summaries written before them
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise SummaryError("notes: not a list of strings")
        structures = _mapping(document.get("structures", {}), "structures")
        return cls(
            draws=_number(_field(document, "draws", ""), "draws"),
            seed=_number(_field(document, "seed", ""), "seed"),
            notes=tuple(notes),
            scenarios={
                name: ScenarioSummary.from_json(s, f"scenarios.{name}")
                for name, s in scenarios.items()
            },
            structures={
                name: _mapping(mix, f"structures.{name}") for name, mix in structures.items()
            },
        )
