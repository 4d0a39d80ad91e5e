"""The typed result of a spatial forecast (``sim spatial``) and its JSON document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA = "sim.spatial/1"
"""The ``schema`` key of a spatial result document; changed when the document changes."""

Number = float | int | str


@dataclass(frozen=True)
class Challenge:
    """One challenge of a round: ``challenger`` pressed ``target`` to move to ``proposed``
    (one number per dimension of ``dimensions``); ``kind`` is how BDM classes it
    (``conflict``, ``compromise``, ``capitulation``) or SMP's ``bargain``; ``accepted`` says
    whether the target moved there; ``probability`` is the challenger's chance of winning."""

    round: int
    dimensions: tuple[str, ...]
    challenger: str
    target: str
    kind: str
    proposed: tuple[float, ...]
    accepted: bool
    probability: float | None = None


@dataclass(frozen=True)
class SpatialResult:
    """A spatial forecast: positions round by round, the group's position and the challenges.

    Attributes
    ----------
    positions
        Per round (the start first), per actor, per dimension: positions on the scales.
    group
        Per round, per dimension: the model's forecast of the group's position then.
    forecast
        Per dimension: the forecast at the end.
    options
        The model's settings as ``(name, value)`` pairs.
    converged
        Positions stopped moving before the last round (always True for the static models).
    """

    scenario: str
    model: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    scales: tuple[tuple[float, float], ...]
    options: tuple[tuple[str, Number], ...]
    positions: tuple[tuple[tuple[float, ...], ...], ...]
    group: tuple[tuple[float, ...], ...]
    forecast: tuple[float, ...]
    challenges: tuple[Challenge, ...]
    converged: bool

    @property
    def rounds(self) -> int:
        """Rounds played (0 for the static models)."""
        return len(self.positions) - 1

    def movement(self) -> dict[str, tuple[float, ...]]:
        """Each actor's final minus initial position, per dimension."""
        first, last = self.positions[0], self.positions[-1]
        return {
            a: tuple(e - s for s, e in zip(first[k], last[k], strict=True))
            for k, a in enumerate(self.actors)
        }

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON document (``schema`` :data:`SCHEMA`)."""
        return {
            "schema": SCHEMA,
            "scenario": self.scenario,
            "model": self.model,
            "actors": list(self.actors),
            "dimensions": {
                d: {"scale": list(s), "forecast": f}
                for d, s, f in zip(self.dimensions, self.scales, self.forecast, strict=True)
            },
            "options": dict(self.options),
            "rounds": self.rounds,
            "converged": self.converged,
            "forecast": dict(zip(self.dimensions, self.forecast, strict=True)),
            "movement": {
                a: dict(zip(self.dimensions, m, strict=True)) for a, m in self.movement().items()
            },
            "positions": [
                {
                    a: dict(zip(self.dimensions, row, strict=True))
                    for a, row in zip(self.actors, rnd, strict=True)
                }
                for rnd in self.positions
            ],
            "group": [dict(zip(self.dimensions, row, strict=True)) for row in self.group],
            "challenges": [
                {
                    "round": c.round,
                    "dimensions": list(c.dimensions),
                    "challenger": c.challenger,
                    "target": c.target,
                    "kind": c.kind,
                    "proposed": list(c.proposed),
                    "accepted": c.accepted,
                    "probability": c.probability,
                }
                for c in self.challenges
            ],
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> SpatialResult:
        """Read back :meth:`to_json`'s document.

        Raises
        ------
        ValueError
            The document is not a spatial result of this schema.
        """
        if document.get("schema") != SCHEMA:
            raise ValueError(f"not a spatial result of schema {SCHEMA}: {document.get('schema')!r}")
        dims = tuple(document["dimensions"])
        actors = tuple(document["actors"])
        return cls(
            scenario=document["scenario"],
            model=document["model"],
            actors=actors,
            dimensions=dims,
            scales=tuple(
                (
                    float(document["dimensions"][d]["scale"][0]),
                    float(document["dimensions"][d]["scale"][1]),
                )
                for d in dims
            ),
            options=tuple((k, v) for k, v in document["options"].items()),
            positions=tuple(
                tuple(tuple(float(rnd[a][d]) for d in dims) for a in actors)
                for rnd in document["positions"]
            ),
            group=tuple(tuple(float(row[d]) for d in dims) for row in document["group"]),
            forecast=tuple(float(document["dimensions"][d]["forecast"]) for d in dims),
            challenges=tuple(
                Challenge(
                    round=int(c["round"]),
                    dimensions=tuple(c["dimensions"]),
                    challenger=c["challenger"],
                    target=c["target"],
                    kind=c["kind"],
                    proposed=tuple(float(v) for v in c["proposed"]),
                    accepted=bool(c["accepted"]),
                    probability=None if c["probability"] is None else float(c["probability"]),
                )
                for c in document["challenges"]
            ),
            converged=bool(document["converged"]),
        )
