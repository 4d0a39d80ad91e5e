"""Every figure kind, drawn for the war fixture and for a scenario without a war model, is laid out
cleanly: checked from the artists matplotlib actually drew (their window extents).

- no two drawn text boxes overlap;
- no drawn text leaves the canvas;
- no legend covers a data point (a marker, a vertex of a data line, a bar or a heat cell);
- no label drawn inside an axes covers a named marker (a solution, a proposal).

The layout oracle below shares no code with the figures: it records every ``Text`` as the
Agg renderer draws it and compares the boxes in pixels. Each check comes with a mutation that
puts a figure back into the colliding layout and shows the check fails.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from sim import api
from sim.figures import FIGURES, build_figures, kinds_for
from sim.figures.chart import STYLE, Chart
from sim.figures.chart import _caption_artist as caption_artist
from sim.figures.chart import _plain_text as plain_text
from sim.figures.sources import RunSource, open_comparison, read_source

WAR = Path("tests/fixtures/war")
NON_WAR = Path("tests/fixtures/trade/three_party.yaml")
TALKS = Path("tests/fixtures/talks/two_party.yaml")
SPATIAL = Path("tests/fixtures/spatial")
TOLERANCE = 0.5
"""Pixels two boxes may share (anti-aliasing) before they count as overlapping."""


# ---------------------------------------------------------------- the layout oracle


@dataclass(frozen=True)
class Drawn:
    text: str
    box: Bbox
    artist: Text


def drawn_texts(chart: Chart) -> tuple[list[Drawn], Any]:
    """Draw the chart as ``png_bytes`` does (caption included) and return every text the
    renderer drew, with its box in pixels (the text alone, without an annotation's leader
    line), and the problems :func:`layout_problems` finds."""
    figure = chart.figure
    undo = caption_artist(chart)
    plain_text(figure)
    seen: list[Drawn] = []
    original = Text.draw

    def recording(self: Text, renderer: Any) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen.append(Drawn(self.get_text(), Text.get_window_extent(self, renderer), self))

    try:
        with rc_context(STYLE):
            canvas = FigureCanvasAgg(figure)
            Text.draw = recording  # type: ignore[method-assign]
            try:
                canvas.draw()
            finally:
                Text.draw = original  # type: ignore[method-assign]
            renderer = canvas.get_renderer()
            problems = layout_problems(figure, seen, renderer)
    finally:
        undo()
    return seen, problems


def _overlap(a: Bbox, b: Bbox) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE
        and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE
    )


def _inside(box: Bbox, x: float, y: float) -> bool:
    return box.x0 < x < box.x1 and box.y0 < y < box.y1


def data_points(ax: Any) -> Iterator[tuple[float, float]]:
    """Every data point of an axes in pixels: markers, vertices of data lines, centres of
    hexagons."""
    for line in ax.get_lines():
        if not isinstance(line, Line2D) or line.get_transform() != ax.transData:
            continue
        xy = np.column_stack([line.get_xdata(orig=False), line.get_ydata(orig=False)])
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy):
            yield from map(tuple, ax.transData.transform(xy))
    for collection in ax.collections:
        if isinstance(collection, PathCollection | PolyCollection) and len(
            collection.get_offsets()
        ):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            offsets = offsets[np.isfinite(offsets).all(axis=1)]
            if len(offsets):
                yield from map(tuple, collection.get_offset_transform().transform(offsets))


def data_boxes(ax: Any, renderer: Any) -> Iterator[Bbox]:
    """Bars and heat cells of an axes, in pixels."""
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_transform() == ax.transData:
            box = patch.get_window_extent(renderer)
            if box.width > 0 and box.height > 0:
                yield box
    for collection in ax.collections:
        if isinstance(collection, QuadMesh):
            yield collection.get_window_extent(renderer)


def layout_problems(figure: Any, texts: list[Drawn], renderer: Any) -> list[str]:
    problems = []
    canvas = figure.bbox
    for item in texts:
        box = item.box
        if (
            box.x0 < canvas.x0 - TOLERANCE
            or box.y0 < canvas.y0 - TOLERANCE
            or box.x1 > canvas.x1 + TOLERANCE
            or box.y1 > canvas.y1 + TOLERANCE
        ):
            problems.append(f"leaves the canvas: {item.text[:60]!r}")
    for a, b in itertools.combinations(texts, 2):
        if _overlap(a.box, b.box):
            problems.append(f"overlap: {a.text[:50]!r} and {b.text[:50]!r}")
    legends = [(ax, ax.get_legend()) for ax in figure.axes if ax.get_legend() is not None]
    legends += [(None, legend) for legend in figure.legends]
    for owner, legend in legends:
        assert isinstance(legend, Legend)
        frame = legend.get_window_extent(renderer)
        for ax in figure.axes if owner is None else [owner]:
            covered = [p for p in data_points(ax) if _inside(frame, *p)]
            if covered:
                problems.append(f"legend covers {len(covered)} data points")
            if any(_overlap(frame, box) for box in data_boxes(ax, renderer)):
                problems.append("legend covers a bar or cell")
    for ax in figure.axes:
        named = [
            tuple(p)
            for c in ax.collections
            if isinstance(c, PathCollection) and c.get_zorder() >= 5
            for p in c.get_offset_transform().transform(np.asarray(c.get_offsets(), float))
        ]
        for item in texts:
            if item.artist.axes is ax and item.artist in ax.texts:
                for x, y in named:
                    if _inside(item.box, x, y):
                        problems.append(f"label {item.text[:40]!r} covers a named marker")
    return problems


# ---------------------------------------------------------------- the two setups


def _war(root: Path) -> dict[str, RunSource]:
    run = api.run(WAR, out=root / "war-run")
    assert run is not None
    api.run(WAR / "aid_freeze.yaml", out=root / "war-b")
    api.run(WAR / "baseline.yaml", out=root / "war-a")
    api.sweep(
        WAR / "baseline.yaml",
        grid={"levers.aid.value": [0.0, 1.0, 2.0], "levers.momentum.value": [0.0, 0.5, 1.0]},
        executor="serial",
        out=root / "war-grid",
    )
    api.sweep(
        WAR / "baseline.yaml",
        ranges={
            "levers.aid.value": [0.0, 2.0],
            "levers.momentum.value": [0.0, 1.0],
            "levers.sanctions.value": [0.0, 1.0],
        },
        sample="lhs:8",
        executor="serial",
        out=root / "war-lhs",
    )
    from sim.runs.uncertainty import uncertainty

    uncertainty([WAR / "baseline.yaml"], draws=50, seed=1, out=root / "war-unc")
    return {
        "run": read_source(root / "war-run"),
        "sweep-grid": read_source(root / "war-grid"),
        "sweep-lhs": read_source(root / "war-lhs"),
        "uncertainty": read_source(root / "war-unc"),
        "compare": open_comparison(root / "war-a", root / "war-b"),
    }


def _non_war(root: Path) -> dict[str, RunSource]:
    api.run(NON_WAR, out=root / "trade-run")
    api.run(NON_WAR, out=root / "trade-b", overrides={"parties.north.reservation": 0.45})
    api.sweep(
        NON_WAR,
        grid={
            "parties.north.reservation": [0.2, 0.3, 0.4],
            "parties.south.reservation": [0.2, 0.4],
        },
        executor="serial",
        out=root / "trade-grid",
    )
    api.sweep(
        NON_WAR,
        ranges={
            "parties.north.reservation": [0.1, 0.5],
            "parties.south.reservation": [0.1, 0.5],
            "parties.east.reservation": [0.1, 0.5],
        },
        sample="lhs:8",
        executor="serial",
        out=root / "trade-lhs",
    )
    from sim.runs.uncertainty import uncertainty

    uncertainty(
        [NON_WAR],
        draws=50,
        seed=1,
        vary=["parties.*.values.*.*=jitter:0.1"],
        out=root / "trade-unc",
    )
    return {
        "run": read_source(root / "trade-run"),
        "sweep-grid": read_source(root / "trade-grid"),
        "sweep-lhs": read_source(root / "trade-lhs"),
        "uncertainty": read_source(root / "trade-unc"),
        "compare": open_comparison(root / "trade-run", root / "trade-b"),
    }


@pytest.fixture(scope="module")
def setups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, RunSource]]:
    root = tmp_path_factory.mktemp("layout")
    talks = root / "talks-run"
    api.run(TALKS, out=talks)
    return {
        "war": _war(root / "war"),
        "non-war": _non_war(root / "non-war"),
        "talks": {"run": read_source(talks)},
    }


SOURCES = {
    "space": ("run",),
    "zone": ("run",),
    "timeline": ("run",),
    "agreement": ("run",),
    "games": ("run",),
    "sweep": ("sweep-grid", "sweep-lhs"),
    "uncertainty": ("uncertainty",),
    "compare": ("compare",),
}
"""Which folder of a setup each kind is drawn from (the kinds of other run kinds, spatial,
negotiation and tournament, are checked in ``test_agent_and_spatial_figures``)."""


def charts_of(setups: dict[str, dict[str, RunSource]], setup: str, kind: str) -> list[Chart]:
    charts = []
    for name in SOURCES[kind]:
        source = setups[setup].get(name)
        if source is not None and kind in {k.name for k in kinds_for(source.kind)}:
            charts += build_figures(source, kind)
    return charts


def test_every_kind_is_covered() -> None:
    covered = set(SOURCES) | {"spatial", "negotiation", "tournament"}
    assert {k.name for k in FIGURES} == covered


@pytest.mark.parametrize(("kind", "setup"), [(k, s) for k in SOURCES for s in ("war", "non-war")])
def test_layout(setups: dict[str, dict[str, RunSource]], kind: str, setup: str) -> None:
    charts = charts_of(setups, setup, kind)
    if kind == "agreement":  # neither setup declares war.private: the talks fixture instead
        assert not charts
        charts = charts_of(setups, "talks", kind)
    assert charts, f"{kind}: no figure drawn for the {setup}"
    problems = {}
    for chart in charts:
        _, found = drawn_texts(chart)
        if found:
            problems[chart.title] = found
    assert not problems, problems


@pytest.fixture(scope="module")
def agent_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], RunSource]:
    """Negotiations and tournaments on the war fixture and the non-war fixture; spatial
    forecasts on the war fixture's spatial reading and the spatial fixtures."""
    from sim.model import load_many
    from sim.runs.spatial import run_spatial

    root = tmp_path_factory.mktemp("agents")
    war = api.load_scenario(WAR / "baseline.yaml")
    trade = api.load_scenario(NON_WAR)
    api.negotiate(war, "boulware,linear", rounds=40, out=root / "war-neg")
    api.negotiate(trade, "boulware,linear,conceder", rounds=40, out=root / "trade-neg")
    api.tournament([war], "boulware,linear,hardliner", rounds=30, out=root / "war-tour")
    api.tournament([trade], "boulware,linear,hardliner", rounds=30, out=root / "trade-tour")
    run_spatial(load_many(str(SPATIAL / "four-actors.yaml")), out=root / "four")
    run_spatial(load_many(str(SPATIAL / "ec-emissions.yaml")), out=root / "ec")
    run_spatial([war], out=root / "war-spatial")
    return {
        ("negotiation", "war"): read_source(root / "war-neg"),
        ("negotiation", "non-war"): read_source(root / "trade-neg"),
        ("tournament", "war"): read_source(root / "war-tour"),
        ("tournament", "non-war"): read_source(root / "trade-tour"),
        ("spatial", "four-actors"): read_source(root / "four"),
        ("spatial", "ec-emissions"): read_source(root / "ec"),
        ("spatial", "war"): read_source(root / "war-spatial"),
    }


@pytest.mark.parametrize(
    ("kind", "setup"),
    [
        ("negotiation", "war"),
        ("negotiation", "non-war"),
        ("tournament", "war"),
        ("tournament", "non-war"),
        ("spatial", "four-actors"),
        ("spatial", "ec-emissions"),
        ("spatial", "war"),
    ],
)
def test_agent_and_spatial_figures(
    agent_runs: dict[tuple[str, str], RunSource], kind: str, setup: str
) -> None:
    charts = build_figures(agent_runs[(kind, setup)], kind)
    assert charts
    problems = {c.title: found for c in charts if (found := drawn_texts(c)[1])}
    assert not problems, problems


def _labelled_chart(points: int, size: float, seed: int) -> tuple[Chart, list[tuple[str, str]]]:
    from sim.figures.chart import new_figure, place_labels

    rng = np.random.default_rng(seed)
    xs, ys = rng.uniform(0, 1, points), rng.uniform(0, 1, points)
    figure = new_figure(size, size)
    ax = figure.add_subplot()
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.scatter(xs, ys, s=30, zorder=5)
    labels = [f"point number {k}" for k in range(points)]
    key = place_labels(ax, list(xs), list(ys), labels)
    return Chart("test", "labels", figure, ""), key


@pytest.mark.parametrize(("points", "size", "seed"), [(8, 6.0, 1), (15, 5.0, 2), (30, 4.0, 3)])
def test_placed_labels_never_collide(points: int, size: float, seed: int) -> None:
    """Random points, from roomy to crowded: no label overlaps another or a point, and where
    there is no room the labels become numbers with a key (every point still labelled)."""
    chart, key = _labelled_chart(points, size, seed)
    texts, problems = drawn_texts(chart)
    assert not problems, problems
    drawn = {t.text for t in texts}
    named = [f"point number {k}" for k in range(points)]
    keyed = dict(key)
    for label in named:
        number = next((n for n, text in key if text == label), None)
        assert label in drawn or (number is not None and number in drawn), label
    if points == 30:
        assert keyed, "a crowded chart numbers some labels"


def test_a_chart_too_crowded_even_for_numbers_is_caught() -> None:
    """40 labelled points in 3 inches: some numbers find no room, are drawn regardless, and
    the check reports the overlap (the placement promises nothing it cannot keep)."""
    chart, _ = _labelled_chart(40, 3.0, 3)
    _, problems = drawn_texts(chart)
    assert any(p.startswith("overlap") for p in problems)


# ---------------------------------------------------------------- the checks can fail


def test_overlap_is_found(setups: dict[str, dict[str, RunSource]]) -> None:
    """Two labels drawn on one spot are an overlap; a label over its marker covers it."""
    chart = charts_of(setups, "war", "space")[0]
    ax = chart.figure.axes[0]
    x, y = ax.get_xlim()[0] + 0.3, ax.get_ylim()[0] + 0.3
    ax.text(x, y, "first label")
    ax.text(x, y, "second label")
    ax.scatter([x + 0.01], [y + 0.005], zorder=6)
    _, problems = drawn_texts(chart)
    assert any("overlap: 'first label' and 'second label'" in p for p in problems)
    assert any("covers a named marker" in p for p in problems)


def test_legend_over_data_is_found(setups: dict[str, dict[str, RunSource]]) -> None:
    chart = charts_of(setups, "non-war", "space")[0]
    ax = chart.figure.axes[0]
    ax.legend(loc="center", bbox_to_anchor=(0.6, 0.6), bbox_transform=ax.transAxes)
    _, problems = drawn_texts(chart)
    assert any(p.startswith("legend covers") for p in problems)


def test_text_off_the_canvas_is_found(setups: dict[str, dict[str, RunSource]]) -> None:
    chart = charts_of(setups, "war", "zone")[0]
    chart.figure.suptitle("a title far too long to fit " * 8)
    _, problems = drawn_texts(chart)
    assert any(p.startswith("leaves the canvas") for p in problems)


def test_old_label_placement_fails(
    setups: dict[str, dict[str, RunSource]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The placement the figures used before (every label at the same offset from its point)
    collides on the war fixture's space charts (clean with today's placement: test_layout), and
    the check says so."""
    import sim.figures.space as space

    def fixed(ax: Any, xs: Any, ys: Any, labels: Any, **_: Any) -> list[tuple[str, str]]:
        for x, y, label in zip(xs, ys, labels, strict=True):
            ax.annotate(label, (x, y), xytext=(7, 5), textcoords="offset points", fontsize=7.5)
        return []

    monkeypatch.setattr(space, "place_labels", fixed)
    charts = charts_of(setups, "war", "space")
    found = [p for chart in charts for p in drawn_texts(chart)[1]]
    assert any(p.startswith("overlap") or "named marker" in p for p in found)


def test_long_protocol_titles_stay_on_the_canvas(setups: dict[str, dict[str, RunSource]]) -> None:
    """A protocol's title names the parties and the private field, and a case's ids are long
    (e.g. "ukraine proposes every month, russia's cost private"): the legend wraps it. With
    the raw title (the old legend), the same chart leaves the canvas."""
    from sim.figures import agreement

    view = setups["talks"]["run"].scenarios[0]
    talks = view.outcome.talks
    assert talks is not None
    long = "a side with a long name proposes every month, the other side's cost private"
    renamed = dataclasses.replace(
        talks, protocols=tuple(dataclasses.replace(p, title=long) for p in talks.protocols)
    )
    assert not drawn_texts(agreement.agreement_chart("Talks", renamed))[1]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(agreement, "wrap", lambda text, width=60: text)
        assert drawn_texts(agreement.agreement_chart("Talks", renamed))[1]
