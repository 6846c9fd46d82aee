/* The territorial squad canvas: four steps edited live by a team, the interaction map as a
 * visual editor (drag roles, draw links between them), the network figures, presence; the
 * facilitator's side-by-side view of every team.
 *
 * The server's state is the truth: every edit comes back as an event carrying the new units
 * (ops), applied in server order on every screen. Text is set with textContent/value only; the
 * map is built with DOM APIs (no innerHTML). The map's geometry is the same as svgmap.py's
 * (`geometry`): change both together.
 */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("squad." + key);
  const SVG = "http://www.w3.org/2000/svg";
  const HERE = document.currentScript ? document.currentScript.src : window.location.href;
  const STEP_OF = { goal: 1, needs: 1, strategy: 2, objective: 2, role: 3, interaction: 4 };
  const PREFIX = { strategy: "s:", objective: "o:", role: "r:", interaction: "i:" };
  const CHECKS = ["strategy_without_objective", "strategy_unmanaged", "role_without_interaction", "interaction_to_deleted_role"];
  // Texts an item cannot be without (exercise.py REQUIRED): checked here first, and by the server.
  const REQUIRED = { "strategy/title": "required_strategy", "objective/text": "required_objective", "role/title": "required_role" };

  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
  const alive = (u) => !!u && !u.del;
  const keyOf = (kind, id) => (kind === "goal" || kind === "needs" ? kind : PREFIX[kind] + id);
  const lang = () => document.documentElement.lang || "it";
  const domId = (text) => "sq-" + String(text).replace(/[^A-Za-z0-9_-]/g, "-");

  function ordered(units, prefix) {
    return Object.entries(units).filter(([k, u]) => k.startsWith(prefix) && alive(u)).map(([, u]) => u)
      .sort((a, b) => (a.at || 0) - (b.at || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /* The map's part of a canvas (canvas.py canvas_of): live roles, and links between live roles. */
  function canvasOf(units) {
    const roles = ordered(units, "r:");
    const ids = new Set(roles.map((r) => r.id));
    return { roles, interactions: ordered(units, "i:").filter((i) => ids.has(i.source) && ids.has(i.target)) };
  }

  /* Same rules as canvas.py checks(). */
  function checks(units) {
    const strategies = ordered(units, "s:"), roles = ordered(units, "r:");
    const links = ordered(units, "i:"), objectives = ordered(units, "o:");
    const liveRoles = new Set(roles.map((r) => r.id));
    const withObjective = new Set(objectives.map((o) => o.strategy));
    const managed = new Set(roles.flatMap((r) => r.manages || []));
    const linked = new Set(links.flatMap((i) => [i.source, i.target]));
    const out = [];
    for (const x of strategies) {
      if (!withObjective.has(x.id)) out.push({ code: CHECKS[0], key: "s:" + x.id, label: x.title });
      if (!managed.has(x.id)) out.push({ code: CHECKS[1], key: "s:" + x.id, label: x.title });
    }
    for (const r of roles) if (!linked.has(r.id)) out.push({ code: CHECKS[2], key: "r:" + r.id, label: r.title });
    for (const i of links) if (!liveRoles.has(i.source) || !liveRoles.has(i.target)) out.push({ code: CHECKS[3], key: "i:" + i.id, label: i.what });
    return out;
  }

  /* ---- the map's geometry: the same as svgmap.py ---- */

  const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
  // [font size, width of a character, line height, characters a line, most lines], in map units.
  const TITLE = [14, 8.4, 18, 18, 3], HOLDERS = [13, 7.4, 17, 24, 2], LABEL = [13, 7.4, 16, 22, 3];
  const PAD_X = 10, PAD_Y = 8, NODE_MIN_W = 96, NODE_RADIUS = 8, LABEL_PAD_X = 5, LABEL_PAD_Y = 3;
  const MARGIN = 12, CURVE = 30, GAP = 5, LABEL_STOPS = [0.5, 0.38, 0.62, 0.26, 0.74];
  const MAX_COORD = 10000;
  const COLOURS = { node: "#fff7ed", node_line: "#9a3412", text: "#1f2937", muted: "#4b5563", edge: "#1d4ed8",
    label_line: "#cbd5e1", added: "#15803d", removed: "#b91c1c", changed: "#a16207" };
  const MARKS = { added: ["+", null], removed: ["−", "6 4"], changed: ["✎", null] };
  const f1 = (v) => v.toFixed(1);
  const chars = (text) => Array.from(String(text));

  function wrap(text, width, most) {
    const lines = [];
    let line = [];
    for (let word of String(text || "").split(/\s+/).filter(Boolean).map(chars)) {
      while (word.length > width) {
        if (line.length) { lines.push(line.join("")); line = []; }
        lines.push(word.slice(0, width).join(""));
        word = word.slice(width);
      }
      if (!word.length) continue;
      if (!line.length) line = word;
      else if (line.length + 1 + word.length <= width) line = line.concat([" "], word);
      else { lines.push(line.join("")); line = word; }
    }
    if (line.length) lines.push(line.join(""));
    if (lines.length > most) {
      lines.length = most;
      const last = chars(lines[most - 1]);
      lines[most - 1] = (last.length < width ? last : last.slice(0, width - 1)).join("") + "…";
    }
    return lines;
  }

  const holders = (role) => [role.organisation, role.profession].filter(Boolean).join(" · ");
  const longest = (lines) => lines.reduce((n, l) => Math.max(n, chars(l).length), 0);

  function nodeBox(role) {
    const title = wrap(role.title || "—", TITLE[3], TITLE[4]);
    const sub = wrap(holders(role), HOLDERS[3], HOLDERS[4]);
    const w = Math.max(NODE_MIN_W, 2 * PAD_X + Math.max(longest(title) * TITLE[1], longest(sub) * HOLDERS[1]));
    return { title, sub, w, h: 2 * PAD_Y + title.length * TITLE[2] + sub.length * HOLDERS[2] };
  }

  function labelBox(link) {
    const lines = wrap(link.what, LABEL[3], LABEL[4]);
    return { lines, w: longest(lines) * LABEL[1] + 2 * LABEL_PAD_X, h: lines.length * LABEL[2] + 2 * LABEL_PAD_Y };
  }

  function clip(box, [cx, cy], [tx, ty]) {
    const vx = tx - cx, vy = ty - cy;
    if (vx === 0 && vy === 0) return [cx, cy];
    const scale = Math.min(vx ? box.w / 2 / Math.abs(vx) : Infinity, vy ? box.h / 2 / Math.abs(vy) : Infinity);
    return [cx + vx * scale, cy + vy * scale];
  }

  const quad = (p0, c, p1, t) => [(1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
    (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1]];
  const overlap = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

  function placeLabel(candidates, [w, h], placed) {
    const boxes = candidates.map(([x, y]) => [x - w / 2, y - h / 2, x + w / 2, y + h / 2]);
    const left = Math.min(...boxes.map((b) => b[0])), top = Math.min(...boxes.map((b) => b[1]));
    const right = Math.max(...boxes.map((b) => b[2])), bottom = Math.max(...boxes.map((b) => b[3]));
    const near = placed.filter((b) => b[0] < right && b[2] > left && b[1] < bottom && b[3] > top);
    let best = null, bestCost = null;
    for (const box of boxes) {
      let cost = 0;
      for (const b of near) {
        const w = Math.min(box[2], b[2]) - Math.max(box[0], b[0]);
        const h = w > 0 ? Math.min(box[3], b[3]) - Math.max(box[1], b[1]) : 0;
        if (w > 0 && h > 0) {
          cost += w * h;
          if (bestCost !== null && cost >= bestCost) break; // past the best so far: it cannot win
        }
      }
      if (bestCost === null || cost < bestCost) { best = box; bestCost = cost; }
      if (cost === 0) break;
    }
    placed.push(best);
    return best;
  }

  function bends(links) {
    const pairs = new Set(links.map((i) => i.source + ">" + i.target));
    const seen = new Map();
    return links.map((i) => {
      const pair = i.source + ">" + i.target;
      const n = seen.get(pair) || 0;
      seen.set(pair, n + 1);
      return n + (i.source !== i.target && pairs.has(i.target + ">" + i.source) ? 1 : 0);
    });
  }

  function geometry(canvas, where) {
    const nodes = new Map();
    const placed = [];
    for (const role of canvas.roles) {
      if (!where[role.id]) continue;
      const box = nodeBox(role);
      const [x, y] = where[role.id];
      nodes.set(role.id, Object.assign({ role, x, y }, box));
      placed.push([x - box.w / 2 - 4, y - box.h / 2 - 4, x + box.w / 2 + 4, y + box.h / 2 + 4]);
      // Where the handle for drawing a link sits, on the box's right side: no label there either.
      placed.push([x + box.w / 2 - 12, y - 12, x + box.w / 2 + 12, y + 12]);
    }
    const links = canvas.interactions.filter((i) => nodes.has(i.source) && nodes.has(i.target));
    const extent = placed.filter((b, n) => n % 2 === 0);
    const bent = bends(links);
    const edges = links.map((link, n) => {
      const a = nodes.get(link.source), b = nodes.get(link.target), bend = bent[n];
      const { lines, w, h } = labelBox(link);
      let path, apex, candidates;
      if (a === b) {
        const top = a.y - a.h / 2, rise = 40 + 18 * bend;
        path = `M${f1(a.x - 12)},${f1(top)} C${f1(a.x - 44)},${f1(top - rise)} ${f1(a.x + 44)},${f1(top - rise)} ${f1(a.x + 12)},${f1(top)}`;
        apex = [a.x, top - rise * 0.75];
        candidates = [[a.x, apex[1] - GAP - h / 2], [a.x + 44 + GAP + w / 2, apex[1]]];
      } else {
        const length = Math.hypot(b.x - a.x, b.y - a.y);
        const [ux, uy] = length ? [(b.x - a.x) / length, (b.y - a.y) / length] : [0, 1];
        const nx = -uy, ny = ux;
        const control = [(a.x + b.x) / 2 + nx * 2 * CURVE * bend, (a.y + b.y) / 2 + ny * 2 * CURVE * bend];
        const start = clip(a, [a.x, a.y], control);
        let end = clip(b, [b.x, b.y], control);
        const back = Math.hypot(control[0] - end[0], control[1] - end[1]) || 1;
        end = [end[0] + (control[0] - end[0]) / back * 3, end[1] + (control[1] - end[1]) / back * 3];
        path = `M${f1(start[0])},${f1(start[1])} Q${f1(control[0])},${f1(control[1])} ${f1(end[0])},${f1(end[1])}`;
        apex = quad(start, control, end, 0.5);
        candidates = [];
        for (const at of LABEL_STOPS) {
          const [px, py] = quad(start, control, end, at);
          const tx = 2 * (1 - at) * (control[0] - start[0]) + 2 * at * (end[0] - control[0]);
          const ty = 2 * (1 - at) * (control[1] - start[1]) + 2 * at * (end[1] - control[1]);
          const norm = Math.hypot(tx, ty) || 1;
          const mx = -ty / norm, my = tx / norm;
          const reach = GAP + Math.abs(mx) * w / 2 + Math.abs(my) * h / 2;
          for (const side of [1, -1]) candidates.push([px + side * mx * reach, py + side * my * reach]);
        }
      }
      const label = lines.length ? placeLabel(candidates, [w, h], placed) : null;
      extent.push([apex[0], apex[1], apex[0], apex[1]]);
      if (label) extent.push(label);
      return { link, path, label, lines };
    });
    const left = Math.min(...extent.map((b) => b[0])) - MARGIN, top = Math.min(...extent.map((b) => b[1])) - MARGIN;
    const right = Math.max(...extent.map((b) => b[2])) + MARGIN, bottom = Math.max(...extent.map((b) => b[3])) + MARGIN;
    return { nodes, edges, frame: extent.length ? [left, top, right - left, bottom - top] : [0, 0, 0, 0] };
  }

  /* ---- the first layout: the dagre library (loaded when a map has roles nobody placed) ---- */

  let dagreLoading = null;
  function loadDagre() {
    if (window.dagre) return Promise.resolve(window.dagre);
    if (!dagreLoading) {
      dagreLoading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("vendor/dagre.min.js", HERE).href;
        script.onload = () => resolve(window.dagre);
        script.onerror = () => { dagreLoading = null; reject(new Error("dagre")); };
        document.head.append(script);
      });
    }
    return dagreLoading;
  }

  function dagreRun(canvas, rankdir) {
    const g = new window.dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir, nodesep: 36, ranksep: 44, edgesep: 16, marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const role of canvas.roles) {
      const box = nodeBox(role);
      g.setNode(role.id, { width: Math.ceil(box.w), height: Math.ceil(box.h) });
    }
    for (const link of canvas.interactions) {
      if (link.source === link.target) continue;
      const label = labelBox(link);
      // The label takes room in the layout: dagre keeps it clear of the roles.
      g.setEdge(link.source, link.target, label.lines.length ? { width: Math.ceil(label.w), height: Math.ceil(label.h), labelpos: "c" } : {}, link.id);
    }
    window.dagre.layout(g);
    const out = {};
    for (const role of canvas.roles) out[role.id] = [g.node(role.id).x, g.node(role.id).y];
    return { out, side: Math.max(g.graph().width || 0, g.graph().height || 0) };
  }

  /* The library's layout, top to bottom or left to right, whichever is more compact: the same
     map then fits a phone and a projector. */
  function libraryLayout(canvas) {
    const down = dagreRun(canvas, "TB"), across = dagreRun(canvas, "LR");
    return across.side < down.side ? across.out : down.out;
  }

  const inMap = (v, half) => Math.min(MAX_COORD, Math.max(Math.ceil(half), Math.round(v)));

  /* Positions for every role nobody placed by hand (``everything``: for every role): the library's
     layout of the whole map, moved so that the hand-placed roles' layout positions sit over their
     own on average, then pushed clear of them. */
  function autoPositions(canvas, everything) {
    const laid = libraryLayout(canvas);
    const pinned = everything ? [] : canvas.roles.filter((r) => r.pinned && Number.isInteger(r.x) && Number.isInteger(r.y));
    let dx = 0, dy = 0;
    if (pinned.length) {
      dx = pinned.reduce((sum, r) => sum + r.x - laid[r.id][0], 0) / pinned.length;
      dy = pinned.reduce((sum, r) => sum + r.y - laid[r.id][1], 0) / pinned.length;
    }
    const fixed = pinned.map((r) => { const b = nodeBox(r); return [r.x - b.w / 2, r.y - b.h / 2, r.x + b.w / 2, r.y + b.h / 2]; });
    const out = {};
    for (const role of canvas.roles) {
      if (pinned.includes(role)) continue;
      const b = nodeBox(role);
      let x = laid[role.id][0] + dx, y = laid[role.id][1] + dy;
      for (let guard = 0; guard < 200; guard++) {
        const hit = fixed.find((f) => overlap([x - b.w / 2 - 8, y - b.h / 2 - 8, x + b.w / 2 + 8, y + b.h / 2 + 8], f) > 0);
        if (!hit) break;
        y = hit[3] + b.h / 2 + 9;
      }
      out[role.id] = [inMap(x, b.w / 2), inMap(y, b.h / 2)];
    }
    return out;
  }

  /* Where each role is drawn: its stored place; a role without one (just added, its layout on the
     way) where the library would put it, once the library is here. */
  function whereOf(canvas, override) {
    const where = {};
    const missing = canvas.roles.filter((r) => !Number.isInteger(r.x) || !Number.isInteger(r.y));
    const auto = missing.length && window.dagre ? autoPositions(canvas, false) : {};
    for (const role of canvas.roles) {
      if (override && override.id === role.id) where[role.id] = [override.x, override.y];
      else if (Number.isInteger(role.x) && Number.isInteger(role.y)) where[role.id] = [role.x, role.y];
      else if (auto[role.id]) where[role.id] = auto[role.id];
    }
    return { where, pending: missing.length > 0 && !window.dagre };
  }

  /* ---- drawing the map ---- */

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function svgText(lines, x, top, font, attrs) {
    const node = svg("text", Object.assign({ "unicode-bidi": "plaintext", "text-anchor": "middle", "font-size": font[0] }, attrs));
    lines.forEach((line, n) => {
      const span = svg("tspan", { x: f1(x), y: f1(top + font[2] - 4 + n * font[2]) });
      span.textContent = line;
      node.append(span);
    });
    return node;
  }

  function titled(text) {
    const node = svg("title");
    node.textContent = text;
    return node;
  }

  function badge(x, y, mark) {
    const sign = svg("text", { x: f1(x), y: f1(y + 4.5), "text-anchor": "middle", "font-size": 13, "font-weight": "bold", fill: "#ffffff" });
    sign.textContent = MARKS[mark][0];
    return svg("g", { class: "mark mark-" + mark }, svg("circle", { cx: f1(x), cy: f1(y), r: 9, fill: COLOURS[mark] }), sign);
  }

  /* Draw ``canvas`` into the <svg> ``root`` (its children are replaced; the element stays, so a drag
     that captured the pointer on it goes on). Options: ``override`` (a role being moved), ``editable``
     (roles can be focused, moved, and linked when ``canLink``), ``marks``. */
  function drawInto(root, canvas, options) {
    const { where } = whereOf(canvas, options.override);
    const shape = geometry(canvas, where);
    // While a role is dragged the frame stays as it was: the map does not shift under the pointer.
    const [left, top, width, height] = options.frame || shape.frame;
    root.setAttribute("data-placed", canvas.roles.every((r) => Number.isInteger(r.x) && Number.isInteger(r.y)) ? "true" : "false");
    root.setAttribute("viewBox", [left, top, width, height].map(f1).join(" "));
    root.style.setProperty("--map-w", String(Math.round(width)));
    const marks = options.marks || {};
    const parts = [
      svg("defs", {}, svg("marker", { id: options.arrowId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", fill: COLOURS.edge }))),
      svg("rect", { x: f1(left), y: f1(top), width: f1(width), height: f1(height), fill: "#ffffff", class: "map-ground" }),
    ];
    for (const edge of shape.edges) {
      const link = edge.link;
      const mark = marks["i:" + link.id];
      const colour = mark ? COLOURS[mark] : COLOURS.edge;
      const dash = mark && MARKS[mark][1] ? MARKS[mark][1] : null;
      const g = svg("g", { class: "edge", "data-id": link.id },
        titled([link.what, link.channel, link.frequency].filter(Boolean).join(" · ")),
        svg("path", { d: edge.path, fill: "none", stroke: colour, "stroke-width": mark ? 2.5 : 1.6, "stroke-dasharray": dash, "marker-end": `url(#${options.arrowId})` }));
      if (edge.label) {
        const [x0, y0, x1, y1] = edge.label;
        g.append(svg("rect", { x: f1(x0), y: f1(y0), width: f1(x1 - x0), height: f1(y1 - y0), rx: 4, fill: "#ffffff", stroke: mark ? colour : COLOURS.label_line, "stroke-dasharray": dash }),
          svgText(edge.lines, (x0 + x1) / 2, y0 + LABEL_PAD_Y, LABEL, { fill: COLOURS.text }));
        if (mark) g.append(badge(x1, y0, mark));
      }
      parts.push(g);
    }
    for (const [id, node] of shape.nodes) {
      const role = node.role;
      const mark = marks["r:" + id];
      const who = holders(role);
      const x0 = node.x - node.w / 2, y0 = node.y - node.h / 2;
      const g = svg("g", { class: "node", "data-id": id }, titled(role.title + (who ? " (" + who + ")" : "")),
        svg("rect", { class: "box", x: f1(x0), y: f1(y0), width: f1(node.w), height: f1(node.h), rx: NODE_RADIUS, fill: COLOURS.node,
          stroke: mark ? COLOURS[mark] : COLOURS.node_line, "stroke-width": mark ? 3 : 1.5, "stroke-dasharray": mark && MARKS[mark][1] ? MARKS[mark][1] : null }),
        svgText(node.title, node.x, y0 + PAD_Y, TITLE, { fill: COLOURS.text, "font-weight": "bold" }),
        node.sub.length ? svgText(node.sub, node.x, y0 + PAD_Y + node.title.length * TITLE[2], HOLDERS, { fill: COLOURS.muted }) : null,
        mark ? badge(x0 + node.w, y0, mark) : null);
      if (options.editable) {
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "button");
        g.setAttribute("aria-roledescription", s("map_node"));
        g.setAttribute("aria-label", role.title + (who ? " (" + who + ")" : "") + ". " + s("map_move_keys"));
        if (options.canLink) {
          // The handle a person drags from to draw an interaction; the form is the keyboard's way.
          const hx = x0 + node.w, arrow = svg("text", { x: f1(hx), y: f1(node.y + 4.5), "text-anchor": "middle", "font-size": 13, "font-weight": "bold", fill: "#ffffff" });
          arrow.textContent = "→";
          g.append(svg("g", { class: "handle", "aria-hidden": "true" },
            svg("circle", { cx: f1(hx), cy: f1(node.y), r: 22, fill: "transparent", class: "hit" }),
            svg("circle", { cx: f1(hx), cy: f1(node.y), r: 11, fill: COLOURS.edge }), arrow));
        }
      }
      parts.push(g);
    }
    root.replaceChildren(...parts);
    return shape;
  }

  let mapCount = 0;

  /* A map that only shows (console cards, projector, comparisons). */
  function mapView(units, options) {
    const canvas = canvasOf(units);
    if (!canvas.roles.length) return el("p", { class: "muted small squad-map-empty", text: s("map_empty_short") });
    const root = svg("svg", { class: "squad-map live" + (options && options.big ? " big" : ""), role: "img", "aria-label": s("map"), "font-family": FONT });
    const draw = () => drawInto(root, canvas, { arrowId: "arrow-" + (++mapCount) });
    draw();
    if (whereOf(canvas).pending) loadDagre().then(draw, () => {});
    return el("div", { class: "squad-map-box", tabindex: "0", role: "region", "aria-label": s("map_scroll") }, root);
  }

  /* ---- the figures, in words (the same sentences as analysis.py) ---- */

  function fill(template, values) {
    const out = [];
    let last = 0;
    template.replace(/%\((\w+)\)[sd]/g, (match, name, offset) => {
      out.push(template.slice(last, offset));
      out.push(values[name] === undefined ? match : values[name]);
      last = offset + match.length;
      return match;
    });
    out.push(template.slice(last));
    return out.filter((x) => x !== "");
  }
  const plural = (key, n) => (new Intl.PluralRules(lang()).select(n) === "one" ? s(key + "_one") : s(key + "_other"));
  const decimal = (v) => new Intl.NumberFormat(lang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  const percent = (v) => new Intl.NumberFormat(lang(), { style: "percent" }).format(v);

  /* "A, B and C" in the page's language, every name isolated. */
  function names(list) {
    const shown = list.slice(0, 4);
    const items = shown.map((name) => bdi(name));
    if (list.length > shown.length) items.push(fill(plural("more", list.length - shown.length), { num: list.length - shown.length }).join(""));
    let n = 0;
    const parts = new Intl.ListFormat(lang(), { type: "conjunction" }).formatToParts(items.map((_, i) => String(i)));
    return el("span", {}, ...parts.map((p) => (p.type === "element" ? items[n++] : p.value)));
  }

  function sentences(found, roleTitle, strategyTitle) {
    const out = [];
    const count = found.roles.length;
    const partners = Object.fromEntries(found.roles.map((r) => [r.id, r.partners]));
    const betweenness = Object.fromEntries(found.roles.map((r) => [r.id, r.betweenness]));
    for (const id of found.hubs) out.push(fill(s("hub"), { role: bdi(roleTitle(id)), n: partners[id], others: Math.max(count - 1, 0) }));
    // The roles of one side with commas: the sentence's own "and" stays between the sides.
    const group = (ids) => el("span", {}, ...ids.flatMap((id, i) => (i ? [", ", bdi(roleTitle(id))] : [bdi(roleTitle(id))])));
    for (const cut of found.only_links) {
      const groups = cut.groups, role = bdi(roleTitle(cut.role));
      if (groups.length === 2 && groups.every((g) => g.length === 1)) out.push(fill(s("only_link"), { role, a: bdi(roleTitle(groups[0][0])), b: bdi(roleTitle(groups[1][0])) }));
      else if (groups.length === 2) out.push(fill(s("only_link_sides"), { role, a: group(groups[0]), b: group(groups[1]) }));
      else out.push(fill(s("only_link_groups"), { role, n: groups.length, groups: el("span", {}, ...groups.flatMap((g, i) => (i ? ["; ", group(g)] : [group(g)]))) }));
    }
    for (const id of found.bottlenecks) out.push(fill(s("bottleneck"), { share: percent(betweenness[id]), role: bdi(roleTitle(id)) }));
    if (found.isolated.length) out.push(fill(plural("isolated", found.isolated.length), { names: names(found.isolated.map(roleTitle)) }));
    if (found.unmanaged.length) out.push(fill(plural("unmanaged", found.unmanaged.length), { names: names(found.unmanaged.map(strategyTitle)) }));
    if (found.without_objectives.length) out.push(fill(plural("without_objectives", found.without_objectives.length), { names: names(found.without_objectives.map(strategyTitle)) }));
    if (found.flows) out.push(fill(plural("reciprocity", found.flows), { value: decimal(found.reciprocity), mutual: found.mutual, num: found.flows }));
    if (found.possible) out.push(fill(s("density"), { value: decimal(found.density), flows: found.flows, possible: found.possible, roles: count }));
    if (found.groups > 1) out.push(fill(s("groups"), { n: found.groups }));
    return out;
  }

  const figureValue = (name, v) => (v === null || v === undefined ? "—" : name === "density" || name === "reciprocity" ? decimal(v) : String(v));

  /* The figures beside a map: the sentences, each role's connections and betweenness, and how the
     figures changed since T0. ``compact``: the sentences and the changes only (console cards). */
  function figuresView(view, units, compact) {
    const found = view.figures;
    if (!found) return null;
    const titleOf = (prefix, list) => (id) => ((units[prefix + id] && units[prefix + id].title) || (list.find((x) => x.id === id) || {}).title || "?");
    const roleTitle = titleOf("r:", found.roles);
    const strategyTitle = titleOf("s:", []);
    const words = sentences(found, roleTitle, strategyTitle);
    // A card has room for the first few (who holds the squad together comes first); the canvas shows them all.
    const shown = compact ? words.slice(0, 3) : words;
    const parts = [
      compact ? el("h4", { class: "squad-figures-title", text: s("figures") }) : null,
      words.length ? el("ul", { class: "squad-sentences" }, ...shown.map((w) => el("li", {}, ...w))) : el("p", { class: "muted", text: s("no_figures") }),
      words.length > shown.length ? el("p", { class: "small muted", text: fill(plural("more_figures", words.length - shown.length), { num: words.length - shown.length }).join("") }) : null,
    ];
    if (!compact && found.roles.length) {
      const rows = found.roles.slice().sort((a, b) => b.betweenness - a.betweenness || b.partners - a.partners);
      parts.push(el("div", { class: "table-wrap" }, el("table", { class: "table small squad-roles-table" },
        el("caption", { class: "visually-hidden", text: s("role_figures") }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: s("role_title") }), el("th", { scope: "col", class: "num", text: s("partners") }), el("th", { scope: "col", class: "num", text: s("betweenness") }))),
        el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row", dir: "auto", text: roleTitle(r.id) }), el("td", { class: "num", text: String(r.partners) }), el("td", { class: "num", text: decimal(r.betweenness) })))))));
      parts.push(el("p", { class: "help", text: s("betweenness_help") }));
    }
    const since = view.since_t0;
    if (since) {
      const changed = since.figures.filter((f) => f.before !== f.after);
      if (compact) {
        parts.push(el("p", { class: "small squad-since" }, el("strong", { text: s("since_t0") + " " }),
          ...(changed.length ? changed.slice(0, 4).flatMap((f, i) => [i ? " · " : "", s("fig_" + f.figure) + " " + figureValue(f.figure, f.before) + " → " + figureValue(f.figure, f.after)]) : [s("no_change_t0")])));
      } else {
        parts.push(el("div", { class: "table-wrap" }, el("table", { class: "table small squad-since" },
          el("caption", { text: s("since_t0_caption") }),
          el("thead", {}, el("tr", {}, el("th", { scope: "col", text: s("figure") }), el("th", { scope: "col", class: "num", text: "T0" }), el("th", { scope: "col", class: "num", text: s("now") }))),
          el("tbody", {}, ...since.figures.map((f) => el("tr", { class: f.before !== f.after ? "changed" : null },
            el("th", { scope: "row", text: s("fig_" + f.figure) }), el("td", { class: "num", text: figureValue(f.figure, f.before) }),
            el("td", { class: "num" }, figureValue(f.figure, f.after), f.before !== f.after ? el("span", { class: "visually-hidden", text: " (" + s("changed") + ")" }) : null)))),
          ...(since.roles.length ? [el("tbody", {}, ...since.roles.map((r) => el("tr", { class: "changed" },
            el("th", { scope: "row" }, fill(s("contacts_of"), { role: bdi(roleTitle(r.id) === "?" ? r.title : roleTitle(r.id)) })),
            el("td", { class: "num", text: figureValue("", r.before) }), el("td", { class: "num", text: figureValue("", r.after) }))))] : []))));
      }
    }
    return el("div", { class: "squad-figures" }, ...parts);
  }

  /* Who talks to whom, about what, how often, through which channel: the map as a list. */
  function linksList(units) {
    const canvas = canvasOf(units);
    if (!canvas.interactions.length) return el("p", { class: "muted small", text: s("no_links") });
    const title = new Map(canvas.roles.map((r) => [r.id, r.title]));
    return el("ul", { class: "squad-links" }, ...canvas.interactions.map((i) => el("li", { dataset: { link: i.id } },
      bdi(title.get(i.source)), " → ", bdi(title.get(i.target)), ": ",
      i.what ? bdi(i.what) : el("em", { text: s("not_described") }),
      ...[[s("channel_short"), i.channel], [s("frequency_short"), i.frequency]].filter(([, v]) => v).flatMap(([k, v]) => ["; " + k + " ", bdi(v)]))));
  }

  /* ---- the editor (participants, network teams, a facilitator inside one team) ---- */

  function model(root, itemId) {
    if (!root._squad || root._squad.itemId !== itemId || root._squad.teams) {
      root._squad = { itemId, units: {}, step: 0, editing: {}, tab: 1, members: [], notices: [], bases: {}, errors: {}, adding: {}, view: {} };
    }
    return root._squad;
  }

  function applyOps(units, ops) {
    for (const op of ops || []) {
      if (op.unit === null || op.unit === undefined) delete units[op.key];
      else units[op.key] = op.unit;
    }
  }

  function meKey(ctx) {
    return ctx.me ? ctx.me.kind + ":" + ctx.me.id : null;
  }

  /* Keep what the person is typing across a re-render caused by someone else's edit: the focused
     field (or role on the map) and every draft of a new item. Focus and blur events fired by the
     re-render itself are ignored (m.quiet), so they send nothing. */
  function keepFocus(root, m, draw) {
    const active = document.activeElement;
    let keep = null;
    if (active && root.contains(active) && active.dataset && (active.dataset.field || active.dataset.draft)) {
      const selector = active.dataset.draft ? `[data-draft="${CSS.escape(active.dataset.draft)}"]`
        : `[data-key="${CSS.escape(active.dataset.key)}"][data-field="${CSS.escape(active.dataset.field)}"]`;
      keep = { selector, value: active.value, start: active.selectionStart, end: active.selectionEnd };
    } else if (active && root.contains(active) && active.matches && active.matches("g.node")) {
      keep = { selector: `g.node[data-id="${CSS.escape(active.getAttribute("data-id"))}"]` };
    }
    const drafts = [...root.querySelectorAll("[data-draft]")].filter((i) => i.value).map((i) => [i.dataset.draft, i.value]);
    m.quiet = true;
    try {
      draw();
      for (const [draft, value] of drafts) {
        const again = root.querySelector(`[data-draft="${CSS.escape(draft)}"]`);
        if (again && (again.tagName !== "SELECT" || [...again.options].some((o) => o.value === value))) again.value = value;
      }
      if (!keep) return;
      const again = root.querySelector(keep.selector);
      if (!again) return;
      if (keep.value !== undefined) again.value = keep.value;
      again.focus();
      if (again.setSelectionRange && keep.start !== null && keep.start !== undefined) {
        try { again.setSelectionRange(keep.start, keep.end); } catch (e) { /* not a text field */ }
      }
    } finally {
      m.quiet = false;
    }
  }

  function editor(root, m, ctx, options) {
    const units = m.units;
    const led = () => (options.free ? 0 : m.step);
    const allows = (kind) => !led() || led() === STEP_OF[kind];
    const status = el("p", { class: "squad-status", role: "status", "aria-live": "polite" });
    const send = (type, payload) => ctx.send(type, payload).then((ack) => {
      if (ack && ack.reply && ack.reply.ops) applyOps(m.units, ack.reply.ops);
      if (ack && ack.reply && ack.reply.conflict) note(root, m, ctx, ack.reply.conflict, true);
      return ack;
    }, (err) => { status.textContent = (err && err.message) || t("not_sent"); return { ok: false, error: err }; });

    /* After a change of the map's structure, its sender lays out the roles nobody placed by hand. */
    function relayout(everything) {
      if (!options.canLayout) return Promise.resolve();
      return loadDagre().then(() => {
        const canvas = canvasOf(m.units);
        if (!canvas.roles.length) return null;
        const positions = {};
        for (const [id, [x, y]] of Object.entries(autoPositions(canvas, everything))) {
          const u = m.units["r:" + id];
          if (everything || !u || u.x !== x || u.y !== y) positions[id] = [x, y];
        }
        if (!Object.keys(positions).length) return null;
        return send("place", { positions, all: Boolean(everything) }).then((ack) => { redraw(); return ack; });
      }, () => { status.textContent = s("layout_failed"); });
    }
    const structural = (ack) => { if (ack && ack.ok) relayout(false); return ack; };

    function focusOn(key) {
      if (m.focused === key) return;
      m.focused = key;
      send("focus", { target: key || "" });
    }

    function editingBadge(key) {
      const who = Object.entries(m.editing || {}).filter(([k, f]) => f && f.target === key && k !== meKey(ctx)).map(([, f]) => f.name);
      return who.length ? el("span", { class: "badge editing" }, ...who.flatMap((n, i) => (i ? [", ", bdi(n)] : [bdi(n)])), " " + s("editing")) : null;
    }

    /* A labelled field of an item: long texts grow with what is typed, so nothing is cut. */
    function field(kind, unit, name, label, size) {
      const key = keyOf(kind, unit ? unit.id : null);
      const id = domId(key + "-" + name);
      const error = m.errors[key + "/" + name];
      const attrs = { id, dataset: { key, field: name }, class: "squad-field" + (size === "short" ? "" : " grow"), dir: "auto",
        "aria-invalid": error ? "true" : null, "aria-describedby": error ? id + "-error" : null };
      const input = size === "short" ? el("input", Object.assign({ type: "text" }, attrs)) : el("textarea", Object.assign({ rows: size === "long" ? 3 : 1 }, attrs));
      input.value = error ? error.value : (unit ? unit[name] || "" : "");
      input.addEventListener("focus", () => { if (!m.quiet) { m.bases[key + "/" + name] = units[key] ? units[key].v : 0; focusOn(key); } });
      input.addEventListener("blur", () => { if (!m.quiet) focusOn(""); });
      if (size !== "long") {
        // One line: Enter keeps what was typed (as leaving the field does) instead of a line break.
        input.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey && input.tagName === "TEXTAREA") { e.preventDefault(); input.dispatchEvent(new Event("change")); } });
      }
      input.addEventListener("change", () => {
        const required = REQUIRED[kind + "/" + name];
        if (required && !input.value.trim()) {
          m.errors[key + "/" + name] = { message: s(required), value: input.value };
          redraw();
          return;
        }
        const base = m.bases[key + "/" + name] !== undefined ? m.bases[key + "/" + name] : (units[key] ? units[key].v : 0);
        const payload = { kind, field: name, value: input.value, base };
        if (kind !== "goal" && kind !== "needs") payload.id = unit.id;
        send("edit", payload).then((ack) => {
          if (ack && ack.ok) {
            delete m.errors[key + "/" + name];
            m.bases[key + "/" + name] = units[key] ? units[key].v : 0;
          } else if (ack && ack.error && ack.error.code === "required") {
            m.errors[key + "/" + name] = { message: ack.error.message, value: input.value };
          }
          redraw();
        });
      });
      const prev = unit && unit.prev && unit.prev[name];
      return el("div", { class: "squad-input field" + (error ? " has-error" : "") },
        el("label", { for: id, text: label }),
        error ? el("p", { class: "error", id: id + "-error", text: error.message }) : null,
        input,
        prev ? el("p", { class: "small conflict-note" }, s("conflict") + " ", el("strong", { text: unit[name], dir: "auto" }), " · " + s("yours") + " ", el("span", { text: prev.value, dir: "auto" }), ...(prev.by ? [" (", bdi(prev.by.n), ")"] : [])) : null);
    }

    function removeButton(kind, unit) {
      return el("button", {
        type: "button", class: "small danger", "aria-label": s("delete") + " " + (unit.title || unit.text || unit.what || ""),
        onclick: () => send("delete", { kind, id: unit.id }).then((ack) => { if (ack && ack.ok) { undoOffer(kind, unit); structural(ack); } }),
      }, s("delete"));
    }

    function undoOffer(kind, unit) {
      m.undo = { kind, id: unit.id, text: kind === "role" ? s("role_deleted") : s("item_deleted") };
      redraw();
    }

    /* A form that adds an item. What was typed stays until the server has accepted the item: a
       refusal (a revoked link, a lost connection) says why and keeps it, to be sent again. */
    function addForm(kind, fields, extra, parent, before) {
      const ids = fields.map(([name]) => domId("new-" + kind + "-" + (parent || "") + "-" + name));
      const inputs = fields.map(([name], n) => el(n === 0 && kind !== "interaction" ? "textarea" : "input", Object.assign(
        n === 0 && kind !== "interaction" ? { rows: 1, class: "grow" } : { type: "text" },
        { id: ids[n], name, dir: "auto", dataset: { draft: kind + ":" + (parent || "") + ":" + name } })));
      const formKey = kind + ":" + (parent || "");
      const problem = el("p", { class: "error", role: "alert", hidden: true });
      const button = el("button", { type: "submit", class: "small", disabled: Boolean(m.adding[formKey]) }, s("add_" + kind));
      inputs.forEach((input) => input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && input.tagName === "TEXTAREA") { e.preventDefault(); form.requestSubmit(); }
      }));
      const form = el("form", {
        class: "squad-add", dataset: { kind },
        onsubmit: (e) => {
          e.preventDefault();
          const values = {};
          inputs.forEach((i) => { values[i.name] = i.value.trim(); });
          if (!values[fields[0][0]]) {
            problem.textContent = s("add_required_" + kind);
            problem.hidden = false;
            inputs[0].focus();
            return;
          }
          Object.assign(values, extra ? extra() : {});
          button.disabled = true;
          m.adding[formKey] = true;
          send("add", { kind, id: newId(), fields: values }).then((ack) => {
            button.disabled = false;
            delete m.adding[formKey];
            const again = root.querySelector(`form.squad-add[data-kind="${kind}"][data-parent="${CSS.escape(parent || "")}"] button[type=submit]`);
            if (again) again.disabled = false;
            if (ack && ack.ok) {
              // Accepted: only now is what was typed cleared (the item is on the canvas).
              for (const [name] of fields) {
                const input = root.querySelector(`[data-draft="${CSS.escape(kind + ":" + (parent || "") + ":" + name)}"]`);
                if (input) input.value = "";
              }
              redraw();
              structural(ack);
              return;
            }
            const shown = root.querySelector(`form.squad-add[data-kind="${kind}"][data-parent="${CSS.escape(parent || "")}"] .error`);
            const message = (ack && ack.error && ack.error.message) || t("not_sent");
            for (const node of [problem, shown]) if (node) { node.textContent = message; node.hidden = false; }
          });
        },
      }, before || null, ...fields.map(([name, label], n) => el("div", { class: "field squad-input" }, el("label", { for: ids[n], text: label }), inputs[n])),
      problem, el("p", { class: "squad-add-submit" }, button));
      form.dataset.parent = parent || "";
      return form;
    }

    function roleSelect(name, label) {
      const id = domId("new-link-" + name);
      return [id, el("select", { id, name, dataset: { draft: "interaction::" + name } },
        ...ordered(units, "r:").map((r) => el("option", { value: r.id, dir: "auto" }, r.title)))];
    }

    function stepGoal() {
      return [field("needs", units.needs, "text", s("needs"), "long"), editingBadge("needs"),
        field("goal", units.goal, "text", s("goal"), "long"), editingBadge("goal")];
    }

    function stepStrategies() {
      const objectives = ordered(units, "o:");
      return [
        el("ol", { class: "squad-items" }, ...ordered(units, "s:").map((st) => el("li", { class: "squad-item", dataset: { item: "s:" + st.id } },
          el("div", { class: "squad-row" }, field("strategy", st, "title", s("strategy")), editingBadge("s:" + st.id), removeButton("strategy", st)),
          el("ul", { class: "squad-objectives" }, ...objectives.filter((o) => o.strategy === st.id).map((o) =>
            el("li", { class: "squad-row" }, field("objective", o, "text", s("objective")), editingBadge("o:" + o.id), removeButton("objective", o)))),
          addForm("objective", [["text", s("new_objective")]], () => ({ strategy: st.id }), st.id)
        ))),
        addForm("strategy", [["title", s("new_strategy")]]),
      ];
    }

    function stepRoles() {
      const strategies = ordered(units, "s:");
      return [
        el("ol", { class: "squad-items" }, ...ordered(units, "r:").map((r) => el("li", { class: "squad-item", dataset: { item: "r:" + r.id } },
          el("div", { class: "squad-row" }, field("role", r, "title", s("role_title")), field("role", r, "organisation", s("organisation")),
            field("role", r, "profession", s("profession")), editingBadge("r:" + r.id), removeButton("role", r)),
          strategies.length ? el("fieldset", { class: "squad-manages" }, el("legend", { text: s("manages") }),
            ...strategies.map((st) => {
              const box = el("input", { type: "checkbox", checked: (r.manages || []).includes(st.id) });
              box.addEventListener("change", () => send("manage", { role: r.id, strategy: st.id, on: box.checked }).then(redraw));
              return el("label", { class: "check" }, box, " ", bdi(st.title));
            })) : null
        ))),
        addForm("role", [["title", s("role_title")], ["organisation", s("organisation")], ["profession", s("profession")]]),
      ];
    }

    function stepInteractions() {
      const roles = ordered(units, "r:");
      const names = new Map(Object.values(units).filter((u) => u.kind === "role").map((r) => [r.id, r.title]));
      const [sourceId, source] = roleSelect("source");
      const [targetId, target] = roleSelect("target");
      if (roles.length > 1) target.selectedIndex = 1;
      // The two roles side by side, the arrow between them, on one line at any width.
      const pair = el("div", { class: "squad-pair" },
        el("div", { class: "field" }, el("label", { for: sourceId, text: s("from") }), source),
        el("span", { class: "squad-pair-arrow", "aria-hidden": "true", text: "→" }),
        el("div", { class: "field" }, el("label", { for: targetId, text: s("to") }), target));
      const form = addForm("interaction", [["what", s("what")], ["channel", s("channel")], ["frequency", s("frequency")]],
        () => ({ source: source.value, target: target.value }), "", pair);
      return [
        el("ul", { class: "squad-items" }, ...ordered(units, "i:").map((i) => el("li", { class: "squad-item", dataset: { item: "i:" + i.id } },
          el("p", { class: "squad-link" }, el("strong", { text: names.get(i.source) || "?", dir: "auto" }), " → ", el("strong", { text: names.get(i.target) || "?", dir: "auto" }), editingBadge("i:" + i.id)),
          el("div", { class: "squad-row" }, field("interaction", i, "what", s("what")), field("interaction", i, "channel", s("channel"), "short"),
            field("interaction", i, "frequency", s("frequency"), "short"), removeButton("interaction", i))
        ))),
        roles.length ? el("section", { class: "squad-new-link", "aria-label": s("add_interaction") }, el("h4", { text: s("add_interaction") }), form) : el("p", { class: "muted", text: s("help3") }),
      ];
    }

    const STEPS = { 1: stepGoal, 2: stepStrategies, 3: stepRoles, 4: stepInteractions };

    function deletedList() {
      const gone = Object.values(units).filter((u) => u.del && !u.with && (u.kind === "role" || u.kind === "strategy"));
      if (!gone.length) return null;
      return el("details", { class: "squad-deleted" }, el("summary", { text: s("deleted") + " (" + gone.length + ")" }),
        el("ul", {}, ...gone.map((u) => el("li", {}, el("span", { text: u.title || "", dir: "auto" }), " ",
          el("button", { type: "button", class: "small secondary", onclick: () => send("restore", { kind: u.kind, id: u.id }).then((ack) => { redraw(); structural(ack); }) }, s("restore"))))));
    }

    /* ---- the map, where people work ---- */

    const map = m.map || (m.map = { svg: svg("svg", { class: "squad-map live", role: "group", "aria-label": s("map"), "font-family": FONT }), arrowId: "arrow-edit-" + (++mapCount) });

    function drawMap() {
      const canvas = canvasOf(units);
      const override = m.drag || m.keys || null;
      drawInto(map.svg, canvas, { arrowId: map.arrowId, override, editable: true, canLink: allows("interaction") && canvas.roles.length > 1,
        frame: m.drag || m.linking ? map.frame : null });
      if (!m.drag && !m.linking) { const box = map.svg.viewBox.baseVal; map.frame = [box.x, box.y, box.width, box.height]; }
      map.svg.setAttribute("aria-describedby", domId("map-hint"));
      if (whereOf(canvas).pending) loadDagre().then(() => { if (!m.drag && !m.linking) m.redrawMap(); }, () => {});
    }

    function point(e) {
      const p = map.svg.createSVGPoint();
      p.x = e.clientX;
      p.y = e.clientY;
      return p.matrixTransform(map.svg.getScreenCTM().inverse());
    }

    function roleAt(e) {
      const hit = document.elementFromPoint(e.clientX, e.clientY);
      const node = hit && hit.closest && hit.closest("g.node");
      return node && map.svg.contains(node) ? node.getAttribute("data-id") : null;
    }

    /* Drag a role to move it; drag from its arrow handle to another role to draw an interaction. */
    if (!map.wired) {
      map.wired = true;
      map.svg.addEventListener("pointerdown", (e) => {
        const node = e.target.closest && e.target.closest("g.node");
        if (!node || e.button > 0) return;
        const id = node.getAttribute("data-id");
        const unit = m.units["r:" + id];
        if (!unit) return;
        const at = point(e);
        e.preventDefault();
        map.svg.setPointerCapture(e.pointerId);
        if (e.target.closest("g.handle")) {
          m.linking = { from: id, x: at.x, y: at.y };
        } else {
          const placed = whereOf(canvasOf(m.units)).where[id];
          if (!placed) return;
          m.drag = { id, x: placed[0], y: placed[1], startX: at.x, startY: at.y, fromX: placed[0], fromY: placed[1], moved: false };
        }
      });
      map.svg.addEventListener("pointermove", (e) => {
        if (m.drag) {
          const at = point(e);
          const x = Math.round(m.drag.fromX + at.x - m.drag.startX), y = Math.round(m.drag.fromY + at.y - m.drag.startY);
          if (!m.drag.moved && Math.hypot(x - m.drag.fromX, y - m.drag.fromY) < 3) return;
          Object.assign(m.drag, { x: Math.max(0, x), y: Math.max(0, y), moved: true });
          m.redrawMap();
        } else if (m.linking) {
          const at = point(e);
          m.linking.x = at.x;
          m.linking.y = at.y;
          m.linking.over = roleAt(e);
          m.redrawMap();
        }
      });
      const finish = (e, cancelled) => {
        if (m.drag) {
          const drag = m.drag;
          if (drag.moved && !cancelled) {
            const unit = m.units["r:" + drag.id];
            m.keys = null;
            m.sendMove(drag.id, drag.x, drag.y, unit);
          } else {
            m.drag = null;
          }
          if (!drag.moved) { const node = map.svg.querySelector(`g.node[data-id="${CSS.escape(drag.id)}"]`); if (node) node.focus(); }
        } else if (m.linking) {
          const link = m.linking;
          m.linking = null;
          const target = cancelled ? null : roleAt(e);
          if (target && target !== link.from) m.connect(link.from, target);
          else m.redrawMap();
        }
        if (m.deferred) { m.deferred = false; m.redraw(); }
      };
      map.svg.addEventListener("pointerup", (e) => finish(e, false));
      map.svg.addEventListener("pointercancel", (e) => finish(e, true));
      // Escape drops what is being dragged or drawn: the role goes back, no interaction is made.
      window.addEventListener("keydown", (e) => {
        if (e.key !== "Escape" || !(m.drag || m.linking) || !map.svg.isConnected) return;
        m.drag = null;
        m.linking = null;
        m.redrawMap();
        if (m.deferred) { m.deferred = false; m.redraw(); }
      });
      /* The keyboard's way: a focused role moves with the arrow keys (Shift: further). */
      map.svg.addEventListener("keydown", (e) => {
        const node = e.target.closest && e.target.closest("g.node");
        const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
        if (!node || !step) return;
        e.preventDefault();
        const id = node.getAttribute("data-id");
        const placed = m.keys && m.keys.id === id ? [m.keys.x, m.keys.y] : whereOf(canvasOf(m.units)).where[id];
        if (!placed) return;
        const by = e.shiftKey ? 40 : 10;
        m.keys = { id, x: Math.min(MAX_COORD, Math.max(0, placed[0] + step[0] * by)), y: Math.min(MAX_COORD, Math.max(0, placed[1] + step[1] * by)) };
        m.redrawMap();
        clearTimeout(m.keysTimer);
        m.keysTimer = setTimeout(() => m.sendMove(id, m.keys.x, m.keys.y), 400);
      });
      map.svg.addEventListener("focusout", (e) => {
        if (m.keys && !m.quiet && e.target.closest && e.target.closest("g.node")) {
          clearTimeout(m.keysTimer);
          m.sendMove(m.keys.id, m.keys.x, m.keys.y);
        }
      });
    }

    m.redrawMap = () => {
      // The role that has the focus keeps it: it is drawn again, not replaced under the keyboard.
      const active = document.activeElement;
      const focused = active && map.svg.contains(active) && active.closest("g.node") ? active.closest("g.node").getAttribute("data-id") : null;
      const quiet = m.quiet;
      m.quiet = true; // a role drawn again loses and regains the focus: that is not the person leaving it
      try {
        drawMap();
        if (focused) { const again = map.svg.querySelector(`g.node[data-id="${CSS.escape(focused)}"]`); if (again) again.focus(); }
      } finally {
        m.quiet = quiet;
      }
      if (m.linking) {
        const from = whereOf(canvasOf(m.units)).where[m.linking.from];
        if (from) map.svg.append(svg("line", { class: "linking", x1: f1(from[0]), y1: f1(from[1]), x2: f1(m.linking.x), y2: f1(m.linking.y), stroke: COLOURS.edge, "stroke-width": 2, "stroke-dasharray": "6 4", "pointer-events": "none" }));
        if (m.linking.over) { const over = map.svg.querySelector(`g.node[data-id="${CSS.escape(m.linking.over)}"] rect.box`); if (over) over.classList.add("target"); }
      }
    };
    m.sendMove = (id, x, y) => {
      m.drag = null;
      const unit = m.units["r:" + id];
      if (unit && unit.pinned && unit.x === x && unit.y === y) { m.keys = null; m.redrawMap(); return; }
      const moving = { id, x, y };
      m.keys = moving;
      send("move", moving).then(() => {
        if (m.keys === moving) m.keys = null;
        m.redrawMap();
      });
    };
    m.connect = (from, to) => {
      const id = newId();
      send("add", { kind: "interaction", id, fields: { source: from, target: to } }).then((ack) => {
        if (!ack || !ack.ok) { m.redrawMap(); return; }
        // Drawn: now described, in its own fields on the interactions' step.
        if (!led()) m.tab = 4;
        redraw();
        const what = root.querySelector(`[data-key="i:${CSS.escape(id)}"][data-field="what"]`);
        if (what) { what.focus(); what.scrollIntoView({ block: "nearest" }); }
        structural(ack);
      });
    };

    function mapPanel() {
      const canvas = canvasOf(units);
      const hint = el("p", { class: "help", id: domId("map-hint"), text: allows("interaction") ? s("map_hint") : s("map_hint_move") });
      let body;
      if (!canvas.roles.length) {
        body = el("div", { class: "squad-map-empty", role: "note" }, el("p", { text: s("map_empty") }),
          allows("role") && m.tab !== 3 ? el("button", { type: "button", class: "small secondary", onclick: () => { m.tab = 3; redraw(); } }, s("go_roles")) : null);
      } else {
        drawMap();
        body = el("div", { class: "squad-map-box" }, map.svg);
      }
      return el("section", { class: "squad-side", "aria-labelledby": domId("map-title") },
        el("h3", { id: domId("map-title"), text: s("map") }),
        canvas.roles.length ? hint : null, body,
        canvas.roles.length > 1 ? el("p", {}, el("button", { type: "button", class: "small secondary", id: "squad-rearrange", onclick: () => relayout(true) }, s("rearrange"))) : null,
        el("h4", { text: s("links") }), linksList(units),
        el("h4", { text: s("figures") }), figuresView(m.view, units, false),
        el("h4", { text: s("checks") }), checksList(checks(units)));
    }

    function redraw() {
      if (m.drag || m.linking) { m.deferred = true; m.redrawMap(); return; }
      keepFocus(root, m, () => {
        const tab = led() || m.tab;
        const tabs = el("div", { class: "squad-tabs", role: "tablist" }, ...[1, 2, 3, 4].map((n) => el("button", {
          type: "button", role: "tab", class: "squad-tab", "aria-selected": n === tab ? "true" : "false", disabled: Boolean(led()) && n !== m.step,
          onclick: () => { m.tab = n; redraw(); },
        }, n + ". " + s("step" + n))));
        const parts = [
          // One line whatever the number of people: a teammate arriving never moves the page under
          // someone's finger; on a narrow screen the names that do not fit end in "…".
          el("p", { class: "squad-presence" }, el("span", { class: "squad-presence-label", text: s("here") }),
            el("span", { class: "squad-presence-names", title: m.members.map((p) => p.name).join(", ") },
              ...m.members.map((p) => el("span", { class: "badge member", text: p.name, dir: "auto" })))),
          led() ? el("p", { class: "squad-led", text: s("step_led") + " " + m.step }) : null,
          m.behind ? el("p", { class: "squad-behind", role: "status", text: s("behind") }) : null,
          tabs,
          m.undo ? el("p", { class: "squad-undo", role: "status" }, m.undo.text + " ",
            el("button", { type: "button", class: "small", onclick: () => { const u = m.undo; m.undo = null; send("restore", { kind: u.kind, id: u.id }).then((ack) => { redraw(); structural(ack); }); } }, s("undo"))) : null,
          ...m.notices.map((n) => el("div", { class: "squad-conflict", role: "alert" },
            el("div", {},
              el("p", {}, s("conflict") + " ", el("strong", { text: n.won.value, dir: "auto" }), ...(n.won.by ? [" (", bdi(n.won.by.n), ")"] : [])),
              el("p", {}, s("yours") + " ", el("span", { text: n.lost.value, dir: "auto" }))),
            el("p", { class: "squad-conflict-actions" },
              n.mine ? el("button", { type: "button", class: "small", onclick: () => {
                m.notices = m.notices.filter((x) => x !== n);
                const unit = units[n.key];
                const payload = { kind: unit.kind, field: n.field, value: n.lost.value, base: unit.v };
                if (unit.kind !== "goal" && unit.kind !== "needs") payload.id = unit.id;
                send("edit", payload).then(redraw);
              } }, s("keep_mine")) : null,
              el("button", { type: "button", class: "small secondary squad-dismiss", onclick: () => { m.notices = m.notices.filter((x) => x !== n); redraw(); } }, s("dismiss"))))),
          el("div", { class: "squad-work" },
            el("section", { class: "squad-step", role: "tabpanel", dataset: { step: String(tab) } },
              el("p", { class: "squad-help", text: s("help" + tab) }), ...STEPS[tab]()),
            mapPanel()),
          deletedList(),
          m.savedBy ? el("p", { class: "muted small squad-saved" }, s("saved_by") + " ", bdi(m.savedBy)) : null,
          options.canSave ? el("p", { class: "inline-row" }, el("button", {
            type: "button", class: "secondary", id: "squad-save",
            onclick: () => send("save", {}).then((ack) => { if (ack && ack.ok) status.textContent = t("saved"); }),
          }, s("save")), status) : status,
        ];
        root.replaceChildren(el("div", { class: "squad squad-editor" }, ...parts));
      });
    }
    m.redraw = redraw;
    redraw();
    // Roles with no place yet (a canvas from a version saved before maps kept positions): laid out
    // once and stored, so every screen, every later version and the archive draw the same map.
    if (options.canLayout && !m.placing && canvasOf(m.units).roles.some((r) => !Number.isInteger(r.x) || !Number.isInteger(r.y))) {
      m.placing = true;
      relayout(false).finally(() => { m.placing = false; });
    }
  }

  function checksList(found, small) {
    return found.length ? el("ul", { class: "squad-checks" + (small ? " small" : "") }, ...found.map((c) => el("li", { dataset: { code: c.code } }, s(c.code) + ": ", el("strong", { text: c.label || "?", dir: "auto" }))))
      : el("p", { class: "muted" + (small ? " small" : ""), text: s("no_checks") });
  }

  /* A conflict the person should see: one notice per field (a newer one replaces it), each dismissible. */
  function note(root, m, ctx, conflict, asWinner) {
    const me = meKey(ctx);
    const lostMine = conflict.lost && conflict.lost.by && conflict.lost.by.k === me;
    if (!lostMine && !asWinner) return;
    m.notices = m.notices.filter((n) => n.key !== conflict.key || n.field !== conflict.field);
    m.notices.push(Object.assign({ mine: lostMine && !asWinner }, conflict));
    if (m.redraw) m.redraw();
  }

  function participant(root, item, ctx) {
    const m = model(root, item.id === undefined ? "workspace" : item.id);
    m.units = Object.assign({}, item.view.units);
    m.view = { figures: item.view.figures, since_t0: item.view.since_t0 };
    m.step = item.view.step;
    m.editing = item.view.editing || {};
    m.team = item.team || (ctx.me && ctx.me.team);
    m.behind = Boolean(item.behind);
    m.members = (root._presence || {})[m.team] || m.members;
    editor(root, m, ctx, { canSave: item.status === "open" || item.workspace, canLayout: item.status === "open" || item.workspace });
  }

  function takeFigures(target, data) {
    if (data.figures) { target.figures = data.figures; target.since_t0 = data.since_t0; }
  }

  function event(root, item, message, ctx) {
    const data = message.data || {};
    const m = root._squad;
    if (!m) return;
    if (m.teams) return facilitatorEvent(root, item, message, ctx);
    if (data.step !== undefined) m.step = data.step;
    applyOps(m.units, data.ops);
    takeFigures(m.view, data);
    for (const op of data.ops || []) if (op.key.startsWith("f:")) {
      if (op.unit) m.editing[op.key.slice(2)] = op.unit; else delete m.editing[op.key.slice(2)];
    }
    if (data.conflict) note(root, m, ctx, data.conflict, false);
    if (data.saved) { m.savedBy = data.saved.by; m.behind = false; }
    if (m.redraw) m.redraw();
  }

  /* Who is on each team's canvas: kept on the root, as it may arrive before the canvas opens. */
  function presence(root, message) {
    root._presence = Object.assign(root._presence || {}, { [message.team]: message.members || [] });
    const m = root._squad;
    if (!m) return;
    if (!m.teams) {
      if (m.team && m.team !== message.team) return;
      m.members = message.members || [];
    }
    if (m.redraw) m.redraw();
  }

  /* ---- the facilitator: every team side by side, or inside one team ---- */

  function teamEntry(entry) {
    return { networks: entry.networks, units: Object.assign({}, entry.view.units), view: { figures: entry.view.figures, since_t0: entry.view.since_t0 },
      step: entry.view.step, editing: entry.view.editing || {}, tab: 1, members: [], notices: [], bases: {}, errors: {}, adding: {} };
  }

  function facilitator(root, item, ctx) {
    const old = root._squad;
    root._presence = root._presence || {};
    const m = { teams: {}, teamMembers: root._presence, open: old && old.itemId === item.id ? old.open : null, itemId: item.id, step: item.view.step };
    for (const [team, entry] of Object.entries(item.teams || {})) {
      m.teams[team] = teamEntry(entry);
      m.teams[team].members = m.teamMembers[team] || [];
      // The open team keeps its editor (its map, what is being dragged) across a fresh view.
      if (old && old.teams && old.teams[team] && old.open === team) m.teams[team].map = old.teams[team].map;
    }
    root._squad = m;
    drawFacilitator(root, m, item, ctx);
  }

  function teamLabel(ctx, team, entry) {
    const names = (entry.networks || []).map((id) => ctx.networks[id] || "#" + id);
    return names.join(" + ") || team;
  }

  function counts(units) {
    return [["strategies", ordered(units, "s:").length], ["roles", ordered(units, "r:").length], ["interactions", ordered(units, "i:").length]]
      .map(([key, n]) => fill(plural("count_" + key, n), { num: n }).join("")).join(" · ");
  }

  function drawFacilitator(root, m, item, ctx) {
    const stepBar = el("div", { class: "inline-row squad-steps-control", role: "group", "aria-label": s("step_led") },
      el("button", { type: "button", class: "small" + (m.step ? " secondary" : ""), "aria-pressed": m.step ? "false" : "true", onclick: () => ctx.send("set_step", { step: 0 }) }, s("free")),
      ...[1, 2, 3, 4].map((n) => el("button", { type: "button", class: "small" + (m.step === n ? "" : " secondary"), "aria-pressed": m.step === n ? "true" : "false", onclick: () => ctx.send("set_step", { step: n }) }, n + ". " + s("step" + n))));
    if (m.open && m.teams[m.open]) {
      const team = m.open;
      const entry = m.teams[team];
      const inner = el("div", { class: "squad-team-open" });
      const teamCtx = Object.assign({}, ctx, {
        send: (type, payload) => ctx.live.send("action", { item: item.id, type, payload, team }),
      });
      root.replaceChildren(stepBar, el("p", {}, el("button", { type: "button", class: "small secondary", onclick: () => { m.open = null; drawFacilitator(root, m, item, ctx); } }, "← " + s("back_to_teams")),
        " ", el("strong", {}, s("team_of") + " ", bdi(teamLabel(ctx, team, entry)))), inner);
      entry.members = m.teamMembers[team] || [];
      editor(inner, entry, teamCtx, { canSave: true, free: true, canLayout: item.status === "open" });
      m.redraw = () => { entry.members = m.teamMembers[team] || []; entry.redraw(); };
      return;
    }
    const cards = Object.entries(m.teams).map(([team, entry]) => {
      const strategies = ordered(entry.units, "s:");
      return el("article", { class: "squad-card", dataset: { team } },
        el("h3", { text: teamLabel(ctx, team, entry), dir: "auto" }),
        el("p", { class: "small" }, ...(m.teamMembers[team] || []).map((p) => el("span", { class: "badge member", text: p.name, dir: "auto" }))),
        el("p", { class: "squad-goal", text: (entry.units.goal && entry.units.goal.text) || "—", dir: "auto" }),
        el("p", { class: "small muted squad-counts", text: counts(entry.units) }),
        el("ul", { class: "small squad-strategies" }, ...strategies.map((x) => el("li", { text: x.title, dir: "auto" }))),
        mapView(entry.units),
        el("details", { class: "squad-card-links" }, el("summary", { text: s("links") }), linksList(entry.units)),
        figuresView(entry.view, entry.units, true),
        checksList(checks(entry.units), true),
        el("button", { type: "button", class: "small", onclick: () => { m.open = team; drawFacilitator(root, m, item, ctx); } }, s("open_team")));
    });
    root.replaceChildren(stepBar, cards.length ? el("div", { class: "squad-grid" }, ...cards) : el("p", { class: "muted", text: t("nobody") }));
    m.redraw = () => drawFacilitator(root, m, item, ctx);
  }

  function facilitatorEvent(root, item, message, ctx) {
    const m = root._squad;
    const data = message.data || {};
    if (data.step !== undefined) {
      m.step = data.step;
      for (const entry of Object.values(m.teams)) entry.step = data.step;
    }
    const team = message.by && message.by.team;
    if (team && data.ops) {
      if (!m.teams[team]) m.teams[team] = { networks: [], units: {}, view: {}, step: m.step, editing: {}, tab: 1, members: [], notices: [], bases: {}, errors: {}, adding: {} };
      const entry = m.teams[team];
      applyOps(entry.units, data.ops);
      takeFigures(entry.view, data);
      for (const op of data.ops) if (op.key.startsWith("f:")) {
        if (op.unit) entry.editing[op.key.slice(2)] = op.unit; else delete entry.editing[op.key.slice(2)];
      }
      // A facilitator's edit inside a team replaced by someone's later one: told, as a participant is.
      if (data.conflict) note(root, entry, ctx, data.conflict, false);
    }
    if (m.open && m.teams[m.open] && m.teams[m.open].redraw) m.teams[m.open].redraw();
    else if (m.redraw) m.redraw();
  }

  function projector(root, item, ctx) {
    root.replaceChildren(el("div", { class: "squad-grid squad-projector" }, ...Object.entries(item.teams || {}).map(([team, entry]) => {
      const view = teamEntry(entry);
      return el("article", { class: "squad-card" }, el("h3", { text: teamLabel(ctx || { networks: {} }, team, entry), dir: "auto" }),
        el("p", { class: "squad-goal", text: (view.units.goal && view.units.goal.text) || "—", dir: "auto" }),
        mapView(view.units, { big: true }), figuresView(view.view, view.units, true));
    })));
  }

  window.Facilitation.exercises.squad = { participant, facilitator, projector, event, presence, checks, geometry, wrap };
})();
