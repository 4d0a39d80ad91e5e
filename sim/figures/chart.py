"""What every figure kind returns, and how a figure becomes SVG or PNG.

matplotlib is imported lazily (never at ``import sim``) and only through its object API
(:class:`matplotlib.figure.Figure`, no pyplot, no interactive backend).
"""

from __future__ import annotations

import html
import io
import re
import textwrap
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
    svg = _add_titles(svg, chart.hover)
    return _unique_ids(svg, re.sub(r"[^A-Za-z0-9_]", "_", salt))


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
    """Labels beside points; points that coincide share one label."""
    merged: dict[tuple[float, float], list[str]] = {}
    for x, y, label in zip(xs, ys, labels, strict=True):
        merged.setdefault((round(x, 6), round(y, 6)), []).append(label)
    for (x, y), group in merged.items():
        ax.annotate(
            ", ".join(group),
            (x, y),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=7.5,
            color="#222222",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            zorder=7,
        )


@dataclass(frozen=True)
class Names:
    """Parties and issues in words (their titles in the scenario, else their ids)."""

    parties: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)

    def party(self, key: str) -> str:
        return self.parties.get(key) or key.replace("_", " ").title()

    def issue(self, key: str) -> str:
        return self.issues.get(key) or key.replace("_", " ")


def names_of(scenario: object) -> Names:
    """The titles a scenario gives its parties and issues."""
    from sim.model.schema import Scenario

    if not isinstance(scenario, Scenario):
        return Names()
    return Names(
        {k: p.title or "" for k, p in scenario.parties.items()},
        {k: i.title or "" for k, i in scenario.issues.items()},
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
) -> None:
    """One horizontal bar of shares (option, share) stacked left to right, each option named
    inside its segment when the segment is at least ``label_from`` wide; zero shares skipped."""
    left = 0.0
    for k, (option, share) in enumerate(shares):
        if share <= 0:
            continue
        ax.barh(y, share, left=left, color=COLOURS[k % len(COLOURS)], edgecolor="white", height=0.7)
        if share >= label_from:
            ax.text(
                left + share / 2,
                y,
                option,
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white",
            )
        left += share
