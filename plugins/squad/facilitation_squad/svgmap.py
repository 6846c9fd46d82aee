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
MARGIN = 210
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


def edge_path(a, b, bend: float) -> tuple[str, list[tuple[float, float]]]:
    """A path from node centre ``a`` to ``b`` (stopping at the node's rim), bent sideways by
    ``bend`` pixels, and the points along it where its label may go, best first."""
    (x1, y1), (x2, y2) = a, b
    if (x1, y1) == (x2, y2):  # a role talking within itself: a small loop above it
        r = NODE_RADIUS
        path = (f"M{x1 - 8:.1f},{y1 - r:.1f} C{x1 - 40:.1f},{y1 - r - 50:.1f} "
                f"{x1 + 40:.1f},{y1 - r - 50:.1f} {x1 + 8:.1f},{y1 - r:.1f}")
        return path, [(x1, y1 - r - 42 + dy) for dy in (0, -14, 14, -28)]
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    mx, my = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
    sx, sy = x1 + ux * NODE_RADIUS + nx * bend * 0.15, y1 + uy * NODE_RADIUS + ny * bend * 0.15
    ex, ey = x2 - ux * (NODE_RADIUS + 4) + nx * bend * 0.15, y2 - uy * (NODE_RADIUS + 4) + ny * bend * 0.15
    path = f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"
    stops = [curve_point(((sx, sy), (mx, my), (ex, ey)), t) for t in LABEL_STOPS]
    return path, stops + [(x, y + dy) for dy in (-14, 14, -28, 28) for x, y in stops]


def curve_point(path_points, t: float) -> tuple[float, float]:
    (sx, sy), (mx, my), (ex, ey) = path_points
    return ((1 - t) ** 2 * sx + 2 * (1 - t) * t * mx + t * t * ex,
            (1 - t) ** 2 * sy + 2 * (1 - t) * t * my + t * t * ey)


LABEL_STOPS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.45, 0.55)


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def place_label(candidates, text: str, placed: list) -> tuple[float, float]:
    """The candidate point whose label box overlaps least what is placed already (the first of equals)."""
    width, height = 6.2 * len(text) + 4, 13
    boxes = [(x - width / 2, y - height, x + width / 2, y + 2) for x, y in candidates]
    # Only what lies near the candidates can overlap them (the rest adds exactly 0 to every cost):
    # a large canvas costs a pass over what is placed per label, not one per candidate.
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    near = [b for b in placed if b[0] < right and b[2] > left and b[1] < bottom and b[3] > top]
    best, best_cost = None, None
    for box in boxes:
        cost = sum(_overlap(box, b) for b in near)
        if best_cost is None or cost < best_cost:
            best, best_cost = box, cost
        if cost == 0:
            break
    placed.append(best)
    return best[0] + width / 2, best[3] - 2


def node_label(x: float, y: float, centre: float) -> tuple[float, float, str]:
    """Where a role's name goes: outside the circle, away from the centre, so neighbours do not collide."""
    dx, dy = x - centre, y - centre
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    anchor = "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"
    lx, ly = x + ux * (NODE_RADIUS + 8), y + uy * (NODE_RADIUS + 8) + 4
    if anchor == "middle":
        ly = y - NODE_RADIUS - 22 if uy < 0 else y + NODE_RADIUS + 16
    return lx, ly, anchor


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
        parts.append(f'<text unicode-bidi="plaintext" x="16" y="28" font-size="18" font-weight="bold" fill="#222">{escape(title)}</text>')
    placed: list = []
    for role, (x, y) in zip(roles, points):  # role names first: edge labels keep clear of them
        lx, ly, anchor = node_label(x, y, size / 2)
        width = 7.5 * len(shorten(role["title"]))
        left = lx - width / 2 if anchor == "middle" else lx - width if anchor == "end" else lx
        placed.append((left, ly - 14, left + width, ly + 18))
        placed.append((x - NODE_RADIUS, y - NODE_RADIUS, x + NODE_RADIUS, y + NODE_RADIUS))
    for link, bend in zip(links, bends(links)):
        a, b = points[index[link["source"]]], points[index[link["target"]]]
        path, candidates = edge_path(a, b, bend)
        lx, ly = place_label(candidates, shorten(link.get("what", "")), placed)
        full = " · ".join(x for x in (link.get("what", ""), link.get("channel", ""), link.get("frequency", "")) if x)
        parts.append(
            f'<g class="edge"><title>{escape(full)}</title>'
            f'<path d="{path}" fill="none" stroke="#3a5a8c" stroke-width="1.6" marker-end="url(#arrow)"/>'
            f'<text unicode-bidi="plaintext" x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="middle" fill="#1d3557" '
            f'paint-order="stroke" stroke="#ffffff" stroke-width="3">{escape(shorten(link.get("what", "")))}</text></g>')
    for role, (x, y) in zip(roles, points):
        holders = " · ".join(x for x in (role.get("organisation", ""), role.get("profession", "")) if x)
        lx, ly, anchor = node_label(x, y, size / 2)
        parts.append(
            f'<g class="node"><title>{escape(role["title"] + (" (" + holders + ")" if holders else ""))}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" fill="#f4a261" stroke="#6d3b07" stroke-width="1.5"/>'
            f'<text unicode-bidi="plaintext" x="{lx:.1f}" y="{ly:.1f}" font-size="13" font-weight="bold" text-anchor="{anchor}" '
            f'fill="#222">{escape(shorten(role["title"]))}</text>'
            + (f'<text unicode-bidi="plaintext" x="{lx:.1f}" y="{ly + 15:.1f}" font-size="11" text-anchor="{anchor}" fill="#555">'
               f'{escape(shorten(holders, 32))}</text>' if holders else "")
            + "</g>")
    parts.append("</svg>")
    return "".join(parts)
