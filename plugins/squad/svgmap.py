"""The interaction map as SVG, in pure Python: roles on a circle, interactions as labelled arrows.

The layout is deterministic (the order of the roles in the canvas) and is the same
as the live map drawn by squad.js (``layout``): both must be changed together.
Every text is escaped; long labels are shortened on the map and kept whole in a
``<title>`` (a tooltip, and what screen readers and searches find).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

NODE_RADIUS = 22
MARGIN = 170
SPACING = 95  # room on the circle per role, so neighbouring labels do not overlap
LABEL_MAX = 26
CURVE = 34


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(count: int) -> tuple[float, list[tuple[float, float]]]:
    """(size of the square drawing, centre of each role), first role at the top, clockwise."""
    radius = max(140.0, count * SPACING / (2 * math.pi))
    size = 2 * (radius + MARGIN)
    centre = size / 2
    points = [(centre + radius * math.sin(2 * math.pi * i / max(count, 1)),
               centre - radius * math.cos(2 * math.pi * i / max(count, 1))) for i in range(count)]
    return size, points


def edge_path(a, b, bend: float) -> tuple[str, tuple[float, float]]:
    """A path from node centre ``a`` to ``b`` (stopping at the node's rim), bent sideways by
    ``bend`` pixels, and the point where its label goes."""
    (x1, y1), (x2, y2) = a, b
    if (x1, y1) == (x2, y2):  # a role talking within itself: a small loop above it
        r = NODE_RADIUS
        path = (f"M{x1 - 8:.1f},{y1 - r:.1f} C{x1 - 40:.1f},{y1 - r - 50:.1f} "
                f"{x1 + 40:.1f},{y1 - r - 50:.1f} {x1 + 8:.1f},{y1 - r:.1f}")
        return path, (x1, y1 - r - 42)
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    mx, my = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
    sx, sy = x1 + ux * NODE_RADIUS + nx * bend * 0.15, y1 + uy * NODE_RADIUS + ny * bend * 0.15
    ex, ey = x2 - ux * (NODE_RADIUS + 4) + nx * bend * 0.15, y2 - uy * (NODE_RADIUS + 4) + ny * bend * 0.15
    path = f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"
    # The midpoint of the quadratic curve.
    lx, ly = 0.25 * sx + 0.5 * mx + 0.25 * ex, 0.25 * sy + 0.5 * my + 0.25 * ey
    return path, (lx, ly)


def bends(interactions: list[dict]) -> list[float]:
    """How far each arrow bends: arrows between the same two roles fan out, both directions apart."""
    seen: dict[tuple, int] = {}
    out = []
    for i in interactions:
        pair = (i["source"], i["target"])
        n = seen.get(pair, 0)
        seen[pair] = n + 1
        out.append(CURVE * (1 + n))
    return out


def render(canvas: dict, title: str = "") -> str:
    roles = canvas.get("roles", [])
    index = {r["id"]: n for n, r in enumerate(roles)}
    links = [i for i in canvas.get("interactions", []) if i["source"] in index and i["target"] in index]
    size, points = layout(len(roles))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="squad-map" viewBox="0 0 {size:.0f} {size:.0f}" '
        f'width="{size:.0f}" height="{size:.0f}" role="img" aria-label="{escape(title or "map", {chr(34): "&quot;"})}">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#3a5a8c\"/></marker></defs>",
        f'<rect width="{size:.0f}" height="{size:.0f}" fill="#ffffff"/>',
    ]
    if title:
        parts.append(f'<text x="16" y="28" font-size="18" font-weight="bold" fill="#222">{escape(title)}</text>')
    for link, bend in zip(links, bends(links)):
        a, b = points[index[link["source"]]], points[index[link["target"]]]
        path, (lx, ly) = edge_path(a, b, bend)
        full = " · ".join(x for x in (link.get("what", ""), link.get("channel", ""), link.get("frequency", "")) if x)
        parts.append(
            f'<g class="edge"><title>{escape(full)}</title>'
            f'<path d="{path}" fill="none" stroke="#3a5a8c" stroke-width="1.6" marker-end="url(#arrow)"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="middle" fill="#1d3557" '
            f'paint-order="stroke" stroke="#ffffff" stroke-width="3">{escape(shorten(link.get("what", "")))}</text></g>')
    for role, (x, y) in zip(roles, points):
        holders = " · ".join(x for x in (role.get("organisation", ""), role.get("profession", "")) if x)
        below = y + NODE_RADIUS + 16
        parts.append(
            f'<g class="node"><title>{escape(role["title"] + (" (" + holders + ")" if holders else ""))}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" fill="#f4a261" stroke="#6d3b07" stroke-width="1.5"/>'
            f'<text x="{x:.1f}" y="{below:.1f}" font-size="13" font-weight="bold" text-anchor="middle" '
            f'fill="#222">{escape(shorten(role["title"]))}</text>'
            + (f'<text x="{x:.1f}" y="{below + 15:.1f}" font-size="11" text-anchor="middle" fill="#555">'
               f'{escape(shorten(holders, 32))}</text>' if holders else "")
            + "</g>")
    parts.append("</svg>")
    return "".join(parts)
