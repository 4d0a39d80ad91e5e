"""The blocks a report is made of, independent of its format: headings, paragraphs, item
lists, tables and figures. :mod:`sim.report.pages` builds them; each format in
:data:`sim.report.pages.FORMATS` renders them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.figures.chart import Chart


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    warning: bool = False
    links: tuple[tuple[str, str], ...] = ()
    """(label, anchor) pairs: links to sections of the same page, after the text."""


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    marked: tuple[int, ...] = ()
    """Rows drawn as a warning (e.g. failed points)."""


@dataclass(frozen=True, eq=False)
class FigureBlock:
    chart: Chart
    slug: str


@dataclass(frozen=True)
class SvgBlock:
    """A figure drawn by the report itself as SVG markup (no matplotlib): ``svg`` is trusted
    markup built from escaped text, ``title`` and ``caption`` plain text."""

    svg: str
    title: str
    caption: str
    slug: str


Block = Heading | Paragraph | Items | Table | FigureBlock | SvgBlock


@dataclass(frozen=True, eq=False)
class Page:
    title: str
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = field(default=())

    def figures(self) -> Iterator[FigureBlock]:
        return (b for b in self.blocks if isinstance(b, FigureBlock))


def number_text(value: float | None) -> str:
    """A number in a report's tables: three decimals, a dash for none or NaN."""
    return "–" if value is None or value != value else f"{value:.3f}"
