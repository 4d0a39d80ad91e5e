"""A report as one self-contained HTML file: figures inline as SVG, styles inline, no
scripts, fonts or anything else fetched. Every text from a scenario or a run folder is
escaped (scenario files are untrusted)."""

from __future__ import annotations

import html
import re

from sim.report.blocks import FigureBlock, Heading, Items, Page, Paragraph, SvgBlock, Table

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
section.brief { background: #f6f8fa; border: 1px solid #d8dee4; padding: 0.2rem 1rem 0.6rem; }
section.brief h2 { margin-top: 0.8rem; }
span.links { font-size: 0.85rem; color: #444; }
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
    anchors = [
        b
        for b in page.blocks
        if isinstance(b, Heading) and b.anchor and b.level <= 2 and b.anchor != "in-brief"
    ]
    toc_done = False
    in_brief = False
    for n, block in enumerate(page.blocks):
        if isinstance(block, Heading):
            if in_brief and block.level <= 2:
                out.append("</section>")
                in_brief = False
            if block in anchors and not toc_done:
                out.append("<nav><ul>")
                out += [
                    f'<li><a href="#{_anchor(a.anchor)}">{_text(a.text)}</a></li>' for a in anchors
                ]
                out.append("</ul></nav>")
                toc_done = True
            level = min(max(block.level, 1), 6)
            ident = f' id="{_anchor(block.anchor)}"' if block.anchor else ""
            if block.level == 2 and block.anchor == "in-brief":
                out.append('<section class="brief">')
                in_brief = True
            out.append(f"<h{level}{ident}>{_text(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = ' class="warning"' if block.warning else ""
            links = ", ".join(
                f'<a href="#{_anchor(anchor)}">{_text(label)}</a>' for label, anchor in block.links
            )
            tail = f' <span class="links">{links}</span>' if links else ""
            out.append(f"<p{css}>{_text(block.text)}{tail}</p>")
        elif isinstance(block, Items):
            out.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, FigureBlock):
            svg = compact_svg(svg_text(block.chart, f"f{n}"))
            out.append(
                f'<figure id="{_anchor(block.slug)}">{svg}'
                f"<figcaption><strong>{_text(block.chart.title)}.</strong> "
                f"{_text(block.chart.caption)}</figcaption></figure>"
            )
        elif isinstance(block, SvgBlock):
            out.append(
                f'<figure id="{_anchor(block.slug)}">{block.svg}'
                f"<figcaption><strong>{_text(block.title)}.</strong> "
                f"{_text(block.caption)}</figcaption></figure>"
            )
    if in_brief:
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_CLOUD_TITLE = re.compile(r"<title>(\d[^<\n]*(?:bundle|bundles):[^<\n]*)\n[^<]*</title>")
_INDENT = re.compile(r"\n[ \t]+")
_GEOMETRY = re.compile(r'\b(d|x|y|x1|x2|y1|y2|transform|points)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")
_MARKER = re.compile(
    r'<g clip-path="url\(#([\w-]+)\)">\s*'
    r"(<use\b[^>]*?(?:/>|>(?:<title>[^<]*</title>)?</use>))\s*</g>\s*"
)
_ID = re.compile(r' id="([\w-]+)"')


def _tenth(match: re.Match[str]) -> str:
    text = f"{float(match.group(0)):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _merge_markers(svg: str) -> str:
    """Consecutive markers clipped by the same path in one group instead of one group each
    (the same drawing: the groups carry nothing but the clip)."""
    out: list[str] = []
    position, clip = 0, ""
    run: list[str] = []
    for match in _MARKER.finditer(svg):
        if match.start() != position or match.group(1) != clip:
            if run:
                out.append(f'<g clip-path="url(#{clip})">' + "".join(run) + "</g>\n")
            run = []
            out.append(svg[position : match.start()])
        clip = match.group(1)
        run.append(match.group(2))
        position = match.end()
    if run:
        out.append(f'<g clip-path="url(#{clip})">' + "".join(run) + "</g>\n")
    out.append(svg[position:])
    return "".join(out)


def compact_svg(svg: str) -> str:
    """A matplotlib SVG made smaller for a report of many figures, drawing the same picture:
    indentation dropped, coordinates to a tenth of a point, markers sharing a clip in one
    group, ids nothing refers to dropped; and the hover text of a marker that stands for
    several bundles cut to its first line (the count and the utilities; frontier markers keep
    their terms, and ``sim plot`` keeps every term)."""
    svg = _CLOUD_TITLE.sub(lambda m: f"<title>{m.group(1)}</title>", svg)
    svg = _INDENT.sub("\n", svg)
    svg = _GEOMETRY.sub(lambda m: f'{m.group(1)}="{_DECIMAL.sub(_tenth, m.group(2))}"', svg)
    svg = _merge_markers(svg)
    used = set(re.findall(r"url\(#([\w-]+)\)", svg)) | set(re.findall(r'href="#([\w-]+)"', svg))
    return _ID.sub(lambda m: m.group(0) if m.group(1) in used else "", svg)


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
