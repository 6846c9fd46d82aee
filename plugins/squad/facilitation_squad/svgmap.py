"""The interaction map as SVG, in pure Python: roles as boxes where the canvas puts them,
interactions as labelled arrows between them.

Positions are part of the canvas (``x``, ``y`` of each role, the centre of its box in map
units: one unit is one CSS pixel at the map's own size). The live map (squad.js) lays out
roles that have none with the dagre library and stores the result; a version saved before
canvases had positions, or never opened in a browser, is laid out here by ``fallback``, a
simple deterministic arrangement in rows. Everything else (box sizes, wrapped labels, arrows,
where each arrow's label goes) is computed the same way as squad.js (``geometry``): both
must be changed together, and a browser test checks that the two put every text in the
same place.

Texts are never cut short before three lines; what does not fit ends with "…" and is whole
in the ``<title>`` (a tooltip, and what screen readers and searches find) and in the text
list of links beside every map. Every text is escaped.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
# (font size, width of a character, line height, characters a line, most lines), in map units.
TITLE = (14, 8.4, 18, 18, 3)
HOLDERS = (13, 7.4, 17, 24, 2)
LABEL = (13, 7.4, 16, 22, 3)
PAD_X, PAD_Y, NODE_MIN_W, NODE_RADIUS = 10, 8, 96, 8
LABEL_PAD_X, LABEL_PAD_Y = 5, 3
MARGIN = 12
CURVE = 30  # how far apart arrows between the same two roles bend
GAP = 5  # between an arrow and its label
LABEL_STOPS = (0.5, 0.38, 0.62, 0.26, 0.74)
# The fallback arrangement: at most this many roles a row, this far apart.
ROW_MAX, ROW_GAP, COL_GAP = 4, 80, 36
COLOURS = {"node": "#fff7ed", "node_line": "#9a3412", "text": "#1f2937", "muted": "#4b5563", "edge": "#1d4ed8",
           "label_line": "#cbd5e1", "added": "#15803d", "removed": "#b91c1c", "changed": "#a16207"}
# What a change looks like on a comparison's map: a colour, a symbol (never colour alone), a dash.
MARKS = {"added": ("+", None), "removed": ("−", "6 4"), "changed": ("✎", None)}


def wrap(text: str, width: int, most: int) -> list[str]:
    """Lines of at most ``width`` characters (long words broken), at most ``most`` of them; the
    last ends with "…" when text is left over."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        lines[-1] = (last if len(last) < width else last[: width - 1]) + "…"
    return lines


def holders(role: dict) -> str:
    return " · ".join(x for x in (role.get("organisation", ""), role.get("profession", "")) if x)


def node_box(role: dict) -> dict:
    """The lines of a role's box and its size."""
    title = wrap(role.get("title", "") or "—", TITLE[3], TITLE[4])
    sub = wrap(holders(role), HOLDERS[3], HOLDERS[4])
    width = max(NODE_MIN_W, 2 * PAD_X + max(max(len(x) for x in title) * TITLE[1],
                                            max((len(x) for x in sub), default=0) * HOLDERS[1]))
    height = 2 * PAD_Y + len(title) * TITLE[2] + len(sub) * HOLDERS[2]
    return {"title": title, "sub": sub, "w": width, "h": height}


def fallback(canvas: dict) -> dict[str, tuple[int, int]]:
    """Positions for a canvas whose roles have none: networkx's breadth-first layers from the most
    connected role of each group (canvas order breaks ties), at most ``ROW_MAX`` roles a row,
    rows centred; roles with no interaction last. Deterministic: the same canvas, the same map."""
    import networkx as nx

    from .analysis import graphs

    ids, _flows, contacts = graphs(canvas)
    order = {rid: n for n, rid in enumerate(ids)}
    boxes = {r["id"]: node_box(r) for r in canvas.get("roles", [])}
    layers: list[list[str]] = []
    for group in sorted(nx.connected_components(contacts), key=lambda g: min(order[r] for r in g)):
        if len(group) == 1:
            continue
        root = min(group, key=lambda r: (-contacts.degree(r), order[r]))
        for depth, layer in enumerate(nx.bfs_layers(contacts, [root])):
            while len(layers) <= depth:
                layers.append([])
            layers[depth].extend(sorted(layer, key=order.get))
    layers.append([rid for rid in ids if contacts.degree(rid) == 0])
    rows = [layer[n:n + ROW_MAX] for layer in layers for n in range(0, len(layer), ROW_MAX)]
    widths = [sum(boxes[r]["w"] for r in row) + COL_GAP * (len(row) - 1) for row in rows]
    widest = max(widths, default=0)
    out, top = {}, MARGIN
    for row, width in zip(rows, widths):
        height = max(boxes[r]["h"] for r in row)
        left = MARGIN + (widest - width) / 2
        for rid in row:
            out[rid] = (round(left + boxes[rid]["w"] / 2), round(top + height / 2))
            left += boxes[rid]["w"] + COL_GAP
        top += height + ROW_GAP
    return out


def positions(canvas: dict, layout_of: dict | None = None) -> dict[str, tuple[int, int]]:
    """Where each role goes: its own position; else where ``layout_of`` puts it (a comparison passes
    both versions together, so that a role sits in the same place on both maps); else the fallback
    arrangement of the roles placed nowhere, in rows under the placed ones."""
    source = layout_of or canvas
    own = {r["id"]: (r["x"], r["y"]) for r in canvas.get("roles", []) if "x" in r and "y" in r}
    if len(own) == len(canvas.get("roles", [])):
        return own
    known = {**{r["id"]: (r["x"], r["y"]) for r in source.get("roles", []) if "x" in r and "y" in r}, **own}
    roles = {r["id"]: r for r in [*source.get("roles", []), *canvas.get("roles", [])]}
    missing = [r for rid, r in roles.items() if rid not in known]
    ids = {r["id"] for r in missing}
    laid = fallback({"roles": missing, "interactions": [i for i in [*source.get("interactions", []),
                                                                     *canvas.get("interactions", [])]
                                                        if i["source"] in ids and i["target"] in ids]})
    if known and laid:
        below = max(y + node_box(roles[rid])["h"] / 2 for rid, (_x, y) in known.items()) + ROW_GAP - MARGIN
        left = min(x - node_box(roles[rid])["w"] / 2 for rid, (x, _y) in known.items()) - MARGIN
        laid = {rid: (round(x + left), round(y + below)) for rid, (x, y) in laid.items()}
    return {**laid, **known}


# geometry (the same as squad.js) -----------------------------------------------

def _clip(box, centre, towards):
    """Where the ray from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty) = centre, towards
    vx, vy = tx - cx, ty - cy
    if vx == 0 and vy == 0:
        return cx, cy
    scale = min(box["w"] / 2 / abs(vx) if vx else math.inf, box["h"] / 2 / abs(vy) if vy else math.inf)
    return cx + vx * scale, cy + vy * scale


def _quad(p0, c, p1, t):
    return ((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1])


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def place_label(candidates, size, placed: list) -> tuple:
    """The candidate box (each candidate the centre of a box of ``size``) that overlaps least what
    is placed already, the first of equals; it is added to ``placed``."""
    w, h = size
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for x, y in candidates]
    # Only what lies near the candidates can overlap them: one pass over what is placed, per label.
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    near = [b for b in placed if b[0] < right and b[2] > left and b[1] < bottom and b[3] > top]
    best, best_cost = None, None
    for box in boxes:
        x0, y0, x1, y1 = box
        cost = 0.0
        for bx0, by0, bx1, by1 in near:  # the overlap of two boxes, without function calls: the hot loop
            w = (x1 if x1 < bx1 else bx1) - (x0 if x0 > bx0 else bx0)
            if w > 0:
                h = (y1 if y1 < by1 else by1) - (y0 if y0 > by0 else by0)
                if h > 0:
                    cost += w * h
                    # Past the best so far it cannot win: the rest of the sum changes nothing.
                    if best_cost is not None and cost >= best_cost:
                        break
        if best_cost is None or cost < best_cost:
            best, best_cost = box, cost
        if cost == 0:
            break
    placed.append(best)
    return best


def bends(interactions: list[dict]) -> list[int]:
    """How many steps of ``CURVE`` each arrow bends: a lone arrow is straight; two roles that talk
    both ways get two arrows bent apart; more arrows the same way fan out."""
    pairs = {(i["source"], i["target"]) for i in interactions}
    seen: dict[tuple, int] = {}
    out = []
    for i in interactions:
        pair = (i["source"], i["target"])
        n = seen.get(pair, 0)
        seen[pair] = n + 1
        out.append(n + (1 if (pair[1], pair[0]) in pairs and pair[0] != pair[1] else 0))
    return out


def geometry(canvas: dict, where: dict) -> dict:
    """Everything the map draws, in map units: ``nodes`` (role, centre, box, lines), ``edges``
    (interaction, path, label box and lines) and ``frame`` (left, top, width, height)."""
    roles = [r for r in canvas.get("roles", []) if r["id"] in where]
    nodes = {}
    placed: list = []
    for role in roles:
        box = node_box(role)
        x, y = where[role["id"]]
        nodes[role["id"]] = {"role": role, "x": x, "y": y, **box}
        placed.append((x - box["w"] / 2 - 4, y - box["h"] / 2 - 4, x + box["w"] / 2 + 4, y + box["h"] / 2 + 4))
        # Where the live map's handle for drawing a link sits, on the box's right side: no label there either.
        placed.append((x + box["w"] / 2 - 12, y - 12, x + box["w"] / 2 + 12, y + 12))
    links = [i for i in canvas.get("interactions", []) if i["source"] in nodes and i["target"] in nodes]
    extent = [b for n, b in enumerate(placed) if n % 2 == 0]
    edges = []
    for link, bend in zip(links, bends(links)):
        a, b = nodes[link["source"]], nodes[link["target"]]
        lines = wrap(link.get("what", ""), LABEL[3], LABEL[4])
        size = (max((len(x) for x in lines), default=0) * LABEL[1] + 2 * LABEL_PAD_X,
                len(lines) * LABEL[2] + 2 * LABEL_PAD_Y)
        if a is b:  # a role talking within itself: a loop above its box
            top, rise = a["y"] - a["h"] / 2, 40 + 18 * bend
            path = (f"M{a['x'] - 12:.1f},{top:.1f} C{a['x'] - 44:.1f},{top - rise:.1f} "
                    f"{a['x'] + 44:.1f},{top - rise:.1f} {a['x'] + 12:.1f},{top:.1f}")
            apex = (a["x"], top - rise * 0.75)
            candidates = [(a["x"], apex[1] - GAP - size[1] / 2), (a["x"] + 44 + GAP + size[0] / 2, apex[1])]
        else:
            (x1, y1), (x2, y2) = (a["x"], a["y"]), (b["x"], b["y"])
            length = math.hypot(x2 - x1, y2 - y1)
            ux, uy = ((x2 - x1) / length, (y2 - y1) / length) if length else (0.0, 1.0)
            nx_, ny_ = -uy, ux
            control = ((x1 + x2) / 2 + nx_ * 2 * CURVE * bend, (y1 + y2) / 2 + ny_ * 2 * CURVE * bend)
            start = _clip(a, (x1, y1), control)
            end = _clip(b, (x2, y2), control)
            back = math.hypot(control[0] - end[0], control[1] - end[1]) or 1
            end = (end[0] + (control[0] - end[0]) / back * 3, end[1] + (control[1] - end[1]) / back * 3)
            path = f"M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {end[0]:.1f},{end[1]:.1f}"
            apex = _quad(start, control, end, 0.5)
            candidates = []
            for t in LABEL_STOPS:
                px, py = _quad(start, control, end, t)
                tx = 2 * (1 - t) * (control[0] - start[0]) + 2 * t * (end[0] - control[0])
                ty = 2 * (1 - t) * (control[1] - start[1]) + 2 * t * (end[1] - control[1])
                norm = math.hypot(tx, ty) or 1
                nx_, ny_ = -ty / norm, tx / norm
                # The label's box touches the arrow at one corner or side only: it never sits on it.
                reach = GAP + abs(nx_) * size[0] / 2 + abs(ny_) * size[1] / 2
                for side in (1, -1):
                    candidates.append((px + side * nx_ * reach, py + side * ny_ * reach))
        label = place_label(candidates, size, placed) if lines else None
        extent.append((apex[0], apex[1], apex[0], apex[1]))
        if label:
            extent.append(label)
        edges.append({"link": link, "path": path, "label": label, "lines": lines})
    left = min((b[0] for b in extent), default=0) - MARGIN
    top = min((b[1] for b in extent), default=0) - MARGIN
    right = max((b[2] for b in extent), default=0) + MARGIN
    bottom = max((b[3] for b in extent), default=0) + MARGIN
    return {"nodes": nodes, "edges": edges, "frame": (left, top, right - left, bottom - top)}


def _text(lines, x, top, font, anchor="middle", fill=None, weight=None, first=None) -> str:
    size, _, line_height = font[0], font[1], font[2]
    baseline = top + (first if first is not None else line_height - 4)
    spans = []
    for n, line in enumerate(lines):
        spans.append(f'<tspan x="{x:.1f}" y="{baseline + n * line_height:.1f}">{escape(line)}</tspan>')
    attrs = f' font-weight="{weight}"' if weight else ""
    return (f'<text unicode-bidi="plaintext" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{attrs}>'
            + "".join(spans) + "</text>")


def render(canvas: dict, title: str = "", *, layout_of: dict | None = None, marks: dict | None = None,
           frame: tuple | None = None, shape: dict | None = None) -> str:
    """The map as SVG text, at its own size (``width`` and ``height`` in CSS pixels).

    ``marks`` (``{"r:<id>" or "i:<id>": "added" | "removed" | "changed"}``) highlights what a
    comparison found, with a symbol and, for what was removed, a dashed line; ``frame`` draws
    several maps on the same frame, so that they line up; ``shape`` is the map's ``geometry`` when
    the caller has it already."""
    marks = marks or {}
    shape = shape or geometry(canvas, positions(canvas, layout_of))
    left, top, width, height = frame or shape["frame"]
    label = escape(title or "map", {'"': "&quot;"})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="squad-map" viewBox="{left:.1f} {top:.1f} {width:.1f} '
        f'{height:.1f}" width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{label}" '
        f'font-family="{FONT}">',
        "<defs>" + "".join(
            f'<marker id="arrow{"-" + name if name else ""}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
            f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{COLOURS[name or "edge"]}"/>'
            "</marker>" for name in ("", *sorted({m for m in marks.values() if m in MARKS}))) + "</defs>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
    ]
    for edge in shape["edges"]:
        link = edge["link"]
        mark = marks.get("i:" + link["id"])
        colour = COLOURS[mark] if mark else COLOURS["edge"]
        dash = f' stroke-dasharray="{MARKS[mark][1]}"' if mark and MARKS[mark][1] else ""
        full = " · ".join(x for x in (link.get("what", ""), link.get("channel", ""), link.get("frequency", "")) if x)
        body = (f'<path d="{edge["path"]}" fill="none" stroke="{colour}" stroke-width="{2.5 if mark else 1.6}"{dash} '
                f'marker-end="url(#arrow{"-" + mark if mark else ""})"/>')
        if edge["label"]:
            x0, y0, x1, y1 = edge["label"]
            body += (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" rx="4" '
                     f'fill="#ffffff" stroke="{colour if mark else COLOURS["label_line"]}"{dash}/>')
            body += _text(edge["lines"], (x0 + x1) / 2, y0 + LABEL_PAD_Y, LABEL, fill=COLOURS["text"])
            if mark:
                body += _badge(x1, y0, mark)
        parts.append(f'<g class="edge" data-id="{escape(link["id"])}"><title>{escape(full)}</title>{body}</g>')
    for rid, node in shape["nodes"].items():
        role = node["role"]
        mark = marks.get("r:" + rid)
        x0, y0 = node["x"] - node["w"] / 2, node["y"] - node["h"] / 2
        dash = f' stroke-dasharray="{MARKS[mark][1]}"' if mark and MARKS[mark][1] else ""
        who = holders(role)
        body = (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{node["w"]:.1f}" height="{node["h"]:.1f}" rx="{NODE_RADIUS}" '
                f'fill="{COLOURS["node"]}" stroke="{COLOURS[mark] if mark else COLOURS["node_line"]}" '
                f'stroke-width="{3 if mark else 1.5}"{dash}/>')
        body += _text(node["title"], node["x"], y0 + PAD_Y, TITLE, fill=COLOURS["text"], weight="bold")
        if node["sub"]:
            body += _text(node["sub"], node["x"], y0 + PAD_Y + len(node["title"]) * TITLE[2], HOLDERS,
                          fill=COLOURS["muted"])
        if mark:
            body += _badge(x0 + node["w"], y0, mark)
        parts.append(f'<g class="node" data-id="{escape(rid)}"><title>'
                     f'{escape(role.get("title", "") + (" (" + who + ")" if who else ""))}</title>{body}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _badge(x: float, y: float, mark: str) -> str:
    """A change's symbol in a small circle on a box's corner: the change reads without its colour."""
    return (f'<g class="mark mark-{mark}"><circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{COLOURS[mark]}"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="#ffffff">{MARKS[mark][0]}</text></g>')
