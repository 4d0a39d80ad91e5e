"""A report as Markdown, its figures as SVG files beside it (for pasting into documents)."""

from __future__ import annotations

from pathlib import Path

from sim.report.blocks import FigureBlock, Heading, Items, Page, Paragraph, SvgBlock, Table


def _escape(text: str) -> str:
    """Text safe in a Markdown paragraph or table cell: no markup, no raw HTML."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    for mark in ("*", "_", "`", "[", "]", "#"):
        out = out.replace(mark, "\\" + mark)
    return " ".join(out.split("\n"))


def render_markdown(page: Page, figure_folder: str) -> tuple[str, dict[str, str]]:
    """The Markdown text and the figures to write beside it (relative file name -> SVG)."""
    from sim.figures.chart import svg_text

    lines: list[str] = []
    files: dict[str, str] = {}
    for n, block in enumerate(page.blocks):
        if isinstance(block, Heading):
            if block.anchor:
                lines += [f'<a id="{_anchor(block.anchor)}"></a>', ""]
            lines += ["#" * min(max(block.level, 1), 6) + " " + _escape(block.text), ""]
        elif isinstance(block, Paragraph):
            prefix = "> **Warning:** " if block.warning else ""
            links = ", ".join(f"[{_escape(label)}](#{anchor})" for label, anchor in block.links)
            lines += [prefix + _escape(block.text) + (f" {links}" if links else ""), ""]
        elif isinstance(block, Items):
            lines += [f"- {_escape(i)}" for i in block.items] + [""]
        elif isinstance(block, Table):
            if block.caption:
                lines += [f"*{_escape(block.caption)}*", ""]
            lines.append("| " + " | ".join(_escape(h) for h in block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            for i, row in enumerate(block.rows):
                cells = [_escape(c) for c in row]
                if i in block.marked:
                    cells = [f"**{c}**" if c else c for c in cells]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        elif isinstance(block, FigureBlock):
            name = f"{figure_folder}/{n:03d}-{_file_slug(block.slug)}.svg"
            files[name] = svg_text(block.chart, f"f{n}")
            lines += [
                f"![{_escape(block.chart.title)}]({name})",
                "",
                f"*{_escape(block.chart.caption)}*",
                "",
            ]
        elif isinstance(block, SvgBlock):
            name = f"{figure_folder}/{n:03d}-{_file_slug(block.slug)}.svg"
            files[name] = block.svg
            lines += [f"![{_escape(block.title)}]({name})", "", f"*{_escape(block.caption)}*", ""]
    return "\n".join(lines), files


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def _file_slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:80]


def figure_folder(out: Path) -> Path:
    """Where the figures of a Markdown report go: ``<name>_figures/`` beside it."""
    return out.with_name(out.stem + "_figures")
