"""A report as one self-contained HTML file: figures inline as SVG, styles inline, no
scripts, fonts or anything else fetched. Every text from a scenario or a run folder is
escaped (scenario files are untrusted)."""

from __future__ import annotations

import html
import re

from sim.report.blocks import FigureBlock, Heading, Items, Page, Paragraph, Table

STYLE = """
body { font-family: sans-serif; max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem;
       color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc;
       margin-top: 2.2rem; } h3 { font-size: 1.1rem; margin-top: 1.6rem; } h4 { font-size: 1rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.2rem 0.45rem; text-align: left;
         vertical-align: top; }
th { background: #f1f1f1; }
tr.marked td { background: #fde2e1; }
p.warning { background: #fff3cd; border-left: 0.3rem solid #d39e00; padding: 0.5rem; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #333; max-width: 60rem; }
nav ul { columns: 2; }
"""


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def render_html(page: Page) -> str:
    """The page as an HTML document (a string)."""
    from sim.figures.chart import svg_text

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(page.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    anchors = [b for b in page.blocks if isinstance(b, Heading) and b.anchor]
    toc_done = False
    for n, block in enumerate(page.blocks):
        if isinstance(block, Heading):
            if block.level == 2 and anchors and not toc_done:
                out.append("<nav><ul>")
                out += [
                    f'<li><a href="#{_anchor(a.anchor)}">{_text(a.text)}</a></li>' for a in anchors
                ]
                out.append("</ul></nav>")
                toc_done = True
            level = min(max(block.level, 1), 6)
            ident = f' id="{_anchor(block.anchor)}"' if block.anchor else ""
            out.append(f"<h{level}{ident}>{_text(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = ' class="warning"' if block.warning else ""
            out.append(f"<p{css}>{_text(block.text)}</p>")
        elif isinstance(block, Items):
            out.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, FigureBlock):
            svg = svg_text(block.chart, f"f{n}")
            out.append(
                f'<figure id="{_anchor(block.slug)}">{svg}'
                f"<figcaption><strong>{_text(block.chart.title)}.</strong> "
                f"{_text(block.chart.caption)}</figcaption></figure>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _anchor(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)


def _table(table: Table) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in table.header)
    rows = []
    for i, row in enumerate(table.rows):
        css = ' class="marked"' if i in table.marked else ""
        rows.append(f"<tr{css}>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>")
    caption = f"<caption>{_text(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
