"""Charts: one grammar (Vega-Lite, and Vega for what Vega-Lite cannot draw, such as radars),
rendered on the server to SVG by vl-convert, for the web pages and the PDFs alike.

Why this way: the same declarative spec gives the same chart in a page and in a printed
report, as vector graphics with real text (searchable, extracted by PDF tools); no script
runs in the browser, so the Content Security Policy stays strict and a page works without
JavaScript; nothing is drawn by hand-written geometry. Every chart comes with its table
(``figure``), so no figure is given by a picture alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

from markupsafe import Markup, escape

from . import offload

FONT = "DejaVu Sans, Verdana, sans-serif"
# The design system's palette (static/css/tokens.css): distinct in hue and lightness, so
# series are told apart without colour too (they also differ by shape or position and are
# named in the table).
PALETTE = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490", "#be123c", "#4b5563"]
CONFIG = {
    "font": FONT,
    "background": None,
    "view": {"stroke": None},
    "range": {"category": PALETTE},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1f2937", "titleColor": "#1f2937",
             "gridColor": "#e5e7eb", "domainColor": "#6b7280", "labelLimit": 220},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
    "title": {"fontSize": 14, "anchor": "start", "color": "#111827"},
}


def _key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@functools.lru_cache(maxsize=512)
def _render(kind: str, key: str, text: str) -> str:
    import vl_convert

    spec = json.loads(text)
    svg = vl_convert.vegalite_to_svg(spec) if kind == "vega-lite" else vl_convert.vega_to_svg(spec)
    # A background rectangle is not part of the chart; the page's colour shows through.
    return re.sub(r'<rect width="[\d.]+" height="[\d.]+" fill="white"/>', "", svg, count=1)


def svg(spec: dict, kind: str = "vega-lite") -> str:
    """The chart of a Vega-Lite (or, with ``kind="vega"``, Vega) spec as SVG text. Rendering is
    cached by spec, and runs off the event loop under eventlet or gevent."""
    spec = {**spec, "config": {**CONFIG, **spec.get("config", {})}}
    if kind == "vega-lite":
        spec.setdefault("$schema", "https://vega.github.io/schema/vega-lite/v5.json")
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    return offload.call(_render, kind, _key(spec), text)


def figure(spec: dict, *, title: str, headers: list, rows: list[list], kind: str = "vega-lite",
           caption: str = "") -> Markup:
    """A chart with its title and its table alternative, as an HTML ``<figure>``: the SVG is
    labelled for screen readers by the title; the table holds every figure of the chart."""
    # People's text (names of networks, options, meetings) reads in its own direction: SVG text
    # with unicode-bidi="plaintext", table cells with dir="auto".
    drawn = svg(spec, kind).replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    drawn = drawn.replace("<text ", '<text unicode-bidi="plaintext" ')
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(
        (f'<th scope="row" dir="auto">{escape(cell)}</th>' if i == 0 else f'<td class="num" dir="auto">{escape(cell)}</td>')
        for i, cell in enumerate(row)) + "</tr>" for row in rows)
    note = f"<p class=\"muted small\">{escape(caption)}</p>" if caption else ""
    return Markup(
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<div class="chart-drawing">{drawn}</div>{note}'
        f'<div class="table-wrap"><table class="table chart-table"><caption class="visually-hidden">'
        f'{escape(title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></figure>')
