"""What every figure kind returns, and how a figure becomes SVG or PNG.

matplotlib is imported lazily (never at ``import sim``) and only through its object API
(:class:`matplotlib.figure.Figure`, no pyplot, no interactive backend).
"""

from __future__ import annotations

import html
import io
import re
import textwrap
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "svg.image_inline": True,
}
"""Text stays text in the SVG (a generic font family, nothing to fetch); images inline."""

COLOURS = ("#1b6ca8", "#c8553d", "#3a7d44", "#8e6c8a", "#d4a017", "#5c5c5c", "#2a9d8f")


@dataclass(frozen=True, eq=False)
class Chart:
    """A figure, what it shows and what it says.

    ``hover`` maps an artist's ``gid`` to one title per plotted point (in plotting order):
    they become SVG ``<title>`` elements, shown when a reader hovers the point.
    """

    kind: str
    title: str
    figure: Figure
    caption: str
    hover: dict[str, tuple[str, ...]] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)
    """What was plotted, for tests and other renderers (arrays, tables)."""


def new_figure(
    width: float,
    height: float,
    *,
    left: float = 0.8,
    right: float = 0.25,
    top: float = 0.75,
    bottom: float = 0.55,
    hspace: float = 0.45,
) -> Figure:
    """An empty figure (inches), its margins fixed in inches (a layout engine would cost a
    second drawing of every figure)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=hspace,
    )
    return figure


def wrap(text: str, width: int = 60) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def svg_text(chart: Chart, salt: str, with_caption: bool = False) -> str:
    """The figure as an SVG document (no XML prolog), ids made unique by ``salt``, with a
    ``<title>`` on every point named in ``chart.hover``."""
    import matplotlib

    figure = chart.figure
    undo = _caption_artist(chart) if with_caption else None
    _plain_text(figure)
    buffer = io.StringIO()
    try:
        rc: Any = {**STYLE, "svg.hashsalt": salt}
        with matplotlib.rc_context(rc):
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        if undo is not None:
            undo()
    svg = buffer.getvalue()
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = _add_titles(_shared_styles(svg), chart.hover)
    return _unique_ids(svg, re.sub(r"[^A-Za-z0-9_]", "_", salt))


_MARKERS = re.compile(r'(<g clip-path="[^"]*")>((?:\s*<use [^>]*?/>)+)(\s*</g>)')
_STYLE = re.compile(r' style="([^"]*)"')


def _shared_styles(svg: str) -> str:
    """A group of markers that all carry the same ``style`` carries it once, on the group
    (the markers inherit it): a scatter of a few hundred points is a fifth smaller."""

    def hoist(match: re.Match[str]) -> str:
        styles = set(_STYLE.findall(match.group(2)))
        if len(styles) != 1 or match.group(2).count("<use ") != match.group(2).count(' style="'):
            return match.group(0)
        markers = _STYLE.sub("", match.group(2))
        return f'{match.group(1)} style="{styles.pop()}">{markers}{match.group(3)}'

    return _MARKERS.sub(hoist, svg)


def png_bytes(chart: Chart, dpi: int = 150, with_caption: bool = True) -> bytes:
    import matplotlib

    undo = _caption_artist(chart) if with_caption else None
    _plain_text(chart.figure)
    buffer = io.BytesIO()
    try:
        rc: Any = STYLE
        with matplotlib.rc_context(rc):
            chart.figure.savefig(buffer, format="png", dpi=dpi)
    finally:
        if undo is not None:
            undo()
    return buffer.getvalue()


def _plain_text(figure: Figure) -> None:
    """Every text drawn as written: a scenario's ``$`` is never read as TeX math."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        text.set_parse_math(False)


def _caption_artist(chart: Chart) -> Callable[[], None]:
    """Draw the caption under the figure (grown to make room, axes kept in place); returns
    what undoes it."""
    figure = chart.figure
    width, height = figure.get_figwidth(), figure.get_figheight()
    text = wrap(chart.caption, int(width * 14))
    extra = 0.15 * (text.count("\n") + 1) + 0.25
    params = figure.subplotpars
    bottom, top = params.bottom, params.top
    figure.set_size_inches(width, height + extra)
    figure.subplots_adjust(
        bottom=(bottom * height + extra) / (height + extra),
        top=(top * height + extra) / (height + extra),
    )
    artist = figure.text(
        0.5,
        0.08 / (height + extra),
        text,
        fontsize=7.5,
        ha="center",
        va="bottom",
        color="#333333",
    )

    def undo() -> None:
        artist.remove()
        figure.set_size_inches(width, height)
        figure.subplots_adjust(bottom=bottom, top=top)

    return undo


_ID = re.compile(r'id="([^"]+)"')


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and its references) so several SVGs can share one HTML page."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'(id=")([^"]+)(?=")', rename, svg)
    svg = re.sub(r"(url\(#)([^)]+)(?=\))", rename, svg)
    return re.sub(r'(xlink:href="#)([^"]+)(?=")', rename, svg)


def _add_titles(svg: str, hover: dict[str, tuple[str, ...]]) -> str:
    """Put ``<title>`` into the k-th marker of each group named in ``hover``; where the count
    of markers differs from the count of titles, one title on the group instead."""
    for gid, titles in hover.items():
        match = re.search(rf'<g id="{re.escape(gid)}">', svg)
        if match is None:
            continue
        start = match.end()
        end = _group_end(svg, match.start())
        body = svg[start:end]
        uses = list(re.finditer(r"<use [^>]*?/>", body))
        if len(uses) == len(titles):
            pieces, last = [], 0
            for use, title in zip(uses, titles, strict=True):
                pieces.append(body[last : use.start()])
                pieces.append(use.group(0)[:-2] + f"><title>{html.escape(title)}</title></use>")
                last = use.end()
            pieces.append(body[last:])
            body = "".join(pieces)
        else:
            body = f"<title>{html.escape('; '.join(titles[:20]))}</title>" + body
        svg = svg[:start] + body + svg[end:]
    return svg


def _group_end(svg: str, start: int) -> int:
    """The index of the ``</g>`` closing the group opened at ``start``."""
    depth = 0
    for match in re.finditer(r"<g[\s>]|</g>", svg[start:]):
        if match.group(0) == "</g>":
            depth -= 1
            if depth == 0:
                return start + match.start()
        else:
            depth += 1
    return len(svg)


def label_points(ax: Axes, xs: Sequence[float], ys: Sequence[float], labels: Sequence[str]) -> None:
    """Labels beside points, placed so that none overlaps another or a point (see
    :func:`place_labels`); points that coincide share one label."""
    place_labels(ax, xs, ys, labels)


HINTING = 1.12
"""How much wider a text may come out at another resolution than measured at the figure's
(font hinting does not scale linearly: 7-point text is up to 10% wider at 90 dpi than at 100)."""

RINGS = (8.0, 14.0, 24.0, 36.0, 50.0, 66.0)
"""Distances (points) from a point at which :func:`place_labels` tries its label."""

FAR = (*RINGS, 84.0, 104.0, 126.0, 150.0)
"""The rings tried for a number (a label that found no room) before it is drawn anyway."""

DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


_RENDERERS: weakref.WeakKeyDictionary[Figure, tuple[tuple[int, int, float], Any]] = (
    weakref.WeakKeyDictionary()
)


def renderer_of(figure: Figure) -> Any:
    """An Agg renderer of the figure's size, to measure text before anything is saved (one
    per figure and size, reused)."""
    from matplotlib.backends.backend_agg import RendererAgg

    size = (int(figure.bbox.width), int(figure.bbox.height), float(figure.dpi))
    cached = _RENDERERS.get(figure)
    if cached is not None and cached[0] == size:
        return cached[1]
    renderer = RendererAgg(*size)  # type: ignore[no-untyped-call]
    _RENDERERS[figure] = (size, renderer)
    return renderer


def place_labels(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    labels: Sequence[str],
    *,
    avoid: Sequence[Any] = (),
    fontsize: float = 7.5,
    marker: float = 5.0,
) -> list[tuple[str, str]]:
    """Label points so that no label overlaps another label, a labelled point, a box in
    ``avoid`` (pixels) or the axes' edge: a greedy search over rings of candidate positions
    around each point, nearest first (the point-feature placement of Christensen, Marks and
    Shieber, "An empirical study of algorithms for point-feature label placement", ACM TOG
    14(3), 1995), with a leader line beyond the first ring. A label that finds no room is
    replaced by a number, tried further out (up to 150 points, with a leader line); returns
    the (number, label) pairs for a key drawn elsewhere. Points that coincide share one
    label. In a chart too crowded even for the numbers, a number is drawn beside its point
    regardless (the layout test of the figures would then fail)."""
    from matplotlib.transforms import Bbox

    merged: dict[tuple[float, float], list[str]] = {}
    for x, y, label in zip(xs, ys, labels, strict=True):
        merged.setdefault((round(float(x), 6), round(float(y), 6)), []).append(label)
    renderer = renderer_of(ax.figure)  # type: ignore[arg-type]
    frame = ax.get_window_extent(renderer)
    scale = ax.figure.dpi / 72.0
    half = marker * scale
    points = [ax.transData.transform((x, y)) for x, y in merged]
    taken = [Bbox.from_extents(px - half, py - half, px + half, py + half) for px, py in points]
    taken += list(avoid)
    key: list[tuple[str, str]] = []
    for ((x, y), group), _ in zip(merged.items(), points, strict=True):
        text = ", ".join(group)
        if not _place(ax, (x, y), text, taken, frame, renderer, fontsize):
            number = str(len(key) + 1)
            key.append((number, text))
            if not _place(ax, (x, y), number, taken, frame, renderer, fontsize, FAR):
                _annotate(ax, (x, y), number, (RINGS[0], RINGS[0]), fontsize, False)
    return key


def _annotate(
    ax: Axes,
    xy: tuple[float, float],
    text: str,
    offset: tuple[float, float],
    fontsize: float,
    leader: bool,
) -> Any:
    dx, dy = offset
    return ax.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset points",
        ha="left" if dx > 0 else "right" if dx < 0 else "center",
        va="bottom" if dy > 0 else "top" if dy < 0 else "center",
        fontsize=fontsize,
        color="#222222",
        zorder=7,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        arrowprops={"arrowstyle": "-", "color": "#888888", "linewidth": 0.5, "shrinkB": 4}
        if leader
        else None,
    )


def _place(
    ax: Axes,
    xy: tuple[float, float],
    text: str,
    taken: list[Any],
    frame: Any,
    renderer: Any,
    fontsize: float,
    rings: tuple[float, ...] = RINGS,
) -> bool:
    from matplotlib.text import Text

    margin = 2.0
    for ring, radius in enumerate(rings):
        for dx, dy in DIRECTIONS:
            offset = (dx * radius, dy * radius * (0.7 if dx else 1.0))
            trial = _annotate(ax, xy, text, offset, fontsize, False)
            trial.update_positions(renderer)
            box = Text.get_window_extent(trial, renderer).expanded(HINTING, 1.1).padded(margin)
            fits = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
                and not any(box.overlaps(other) for other in taken)
            )
            if fits:
                if ring > 0:
                    trial.remove()
                    _annotate(ax, xy, text, offset, fontsize, True)
                taken.append(box)
                return True
            trial.remove()
    return False


def fit_suptitle(figure: Figure, text: str, fontsize: float = 10.0) -> None:
    """The figure's title, every line wrapped to the figure's width (never cut)."""
    characters = max(20, int(figure.get_figwidth() * 72 / (fontsize * 0.56)))
    lines = "\n".join(wrap(line, characters) for line in text.split("\n"))
    figure.suptitle(lines, fontsize=fontsize, y=1 - 0.1 / figure.get_figheight(), va="top")
    needed = (lines.count("\n") + 1) * fontsize * 1.3 / 72 + 0.45
    height = figure.get_figheight()
    if 1 - needed / height < figure.subplotpars.top:
        figure.subplots_adjust(top=1 - needed / height)


def title_lines(figure: Figure) -> int:
    """How many lines the figure's title takes (for the margin above the axes)."""
    title = figure.get_suptitle()
    return title.count("\n") + 1 if title else 0


@dataclass(frozen=True)
class Names:
    """Parties, issues, options and proposals in words (their titles in the scenario, else
    their ids)."""

    parties: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, str]] = field(default_factory=dict)
    proposals: dict[str, str] = field(default_factory=dict)
    war: bool = True
    """Whether the scenario has a war model (else no figure speaks of war)."""

    def party(self, key: str) -> str:
        return self.parties.get(key) or key.replace("_", " ").title()

    def issue(self, key: str) -> str:
        return self.issues.get(key) or key.replace("_", " ")

    def option(self, issue: str, key: str) -> str:
        return (self.options.get(issue) or {}).get(key) or key.replace("_", " ")

    def proposal(self, key: str) -> str:
        return self.proposals.get(key) or key.replace("_", " ")


def names_of(scenario: object) -> Names:
    """The titles a scenario gives its parties, issues, options and proposals."""
    from sim.model.schema import Scenario

    if not isinstance(scenario, Scenario):
        return Names()
    return Names(
        {k: p.title or "" for k, p in scenario.parties.items()},
        {k: i.title or "" for k, i in scenario.issues.items()},
        {k: {o: t or "" for o, t in i.options.items()} for k, i in scenario.issues.items()},
        {k: p.title or "" for k, p in (scenario.proposals or {}).items()},
        scenario.war is not None,
    )


NO_NAMES = Names()
"""No titles: every party and issue named by its id."""


def stacked_shares(
    ax: Axes,
    y: float,
    shares: Sequence[tuple[str, float]],
    *,
    label_from: float,
    fontsize: float,
    colours: Sequence[str] | None = None,
    short: Sequence[str] | None = None,
) -> None:
    """One horizontal bar of shares (option, share) stacked left to right, each option named
    inside its segment when the segment is at least ``label_from`` wide and the name fits in
    it, else by its short name (``short``, one per option) if that fits; zero shares
    skipped. ``colours``: one per option (default: by position)."""
    from matplotlib.text import Text

    renderer = renderer_of(ax.figure)  # type: ignore[arg-type]
    left = 0.0
    for k, (option, share) in enumerate(shares):
        if share <= 0:
            continue
        colour = colours[k] if colours is not None else COLOURS[k % len(COLOURS)]
        bar = ax.barh(y, share, left=left, color=colour, edgecolor="white", height=0.7)
        if share >= label_from:
            room = bar.patches[0].get_window_extent(renderer).width - 4
            for name in (option, *([short[k]] if short is not None else [])):
                text = ax.text(
                    left + share / 2,
                    y,
                    name,
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="#222222" if colour in LIGHT else "white",
                )
                if Text.get_window_extent(text, renderer).width * HINTING <= room:
                    break
                text.remove()
        left += share


LIGHT = frozenset({"#b8b8b8", "#d4a017", "#dddddd"})
"""Fill colours light enough to need dark text."""


def terms_text(names: Names, terms: Sequence[tuple[str, str]]) -> str:
    """``Issue: Option; ...`` in the scenario's words."""
    return "; ".join(f"{names.issue(i)}: {names.option(i, o)}" for i, o in terms)
