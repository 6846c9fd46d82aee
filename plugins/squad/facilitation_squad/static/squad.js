/* The territorial squad canvas: four steps edited live by a team, the interaction map,
 * the checks, presence; the facilitator's side-by-side view of every team.
 *
 * The server's state is the truth: every edit comes back as an event carrying the
 * new units (ops), applied in server order on every screen. Text is set with
 * textContent/value only; the map is built with DOM APIs (no innerHTML).
 */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("squad." + key);
  const SVG = "http://www.w3.org/2000/svg";
  const STEP_OF = { goal: 1, needs: 1, strategy: 2, objective: 2, role: 3, interaction: 4 };
  const PREFIX = { strategy: "s:", objective: "o:", role: "r:", interaction: "i:" };
  const CHECKS = ["strategy_without_objective", "strategy_unmanaged", "role_without_interaction", "interaction_to_deleted_role"];

  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
  const alive = (u) => !!u && !u.del;
  const keyOf = (kind, id) => (kind === "goal" || kind === "needs" ? kind : PREFIX[kind] + id);

  function ordered(units, prefix) {
    return Object.entries(units).filter(([k, u]) => k.startsWith(prefix) && alive(u)).map(([, u]) => u)
      .sort((a, b) => (a.at || 0) - (b.at || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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

  /* The map: same layout as svgmap.py (roles on a circle, first at the top, clockwise). */
  const NODE = 22, MARGIN = 210, SPACING = 95, LABEL_MAX = 26, CURVE = 34;
  const LABEL_STOPS = [0.5, 0.38, 0.62, 0.28, 0.72, 0.45, 0.55];

  const overlap = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

  function placeLabel(candidates, text, placed) {
    const width = 6.2 * text.length + 4, height = 13;
    const boxes = candidates.map(([x, y]) => [x - width / 2, y - height, x + width / 2, y + 2]);
    // Only what lies near the candidates can overlap them (as in svgmap.py): one pass per label.
    const left = Math.min(...boxes.map((b) => b[0])), top = Math.min(...boxes.map((b) => b[1]));
    const right = Math.max(...boxes.map((b) => b[2])), bottom = Math.max(...boxes.map((b) => b[3]));
    const near = placed.filter((b) => b[0] < right && b[2] > left && b[1] < bottom && b[3] > top);
    let best = null, bestCost = null;
    for (const box of boxes) {
      const cost = near.reduce((sum, b) => sum + overlap(box, b), 0);
      if (bestCost === null || cost < bestCost) { best = box; bestCost = cost; }
      if (cost === 0) break;
    }
    placed.push(best);
    return [best[0] + width / 2, best[3] - 2];
  }

  function nodeLabel(x, y, centre) {
    const dx = x - centre, dy = y - centre, len = Math.hypot(dx, dy) || 1, ux = dx / len, uy = dy / len;
    const anchor = ux > 0.3 ? "start" : ux < -0.3 ? "end" : "middle";
    let lx = x + ux * (NODE + 8), ly = y + uy * (NODE + 8) + 4;
    if (anchor === "middle") ly = uy < 0 ? y - NODE - 22 : y + NODE + 16;
    return [lx, ly, anchor];
  }
  const shorten = (text, n) => { text = String(text || "").split(/\s+/).filter(Boolean).join(" "); n = n || LABEL_MAX; return text.length <= n ? text : text.slice(0, n - 1) + "…"; };

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function drawMap(units, small) {
    const roles = ordered(units, "r:");
    const index = new Map(roles.map((r, n) => [r.id, n]));
    const links = ordered(units, "i:").filter((i) => index.has(i.source) && index.has(i.target));
    const radius = Math.max(140, (roles.length * SPACING) / (2 * Math.PI));
    const size = 2 * (radius + MARGIN);
    const c = size / 2;
    const pts = roles.map((_, i) => [c + radius * Math.sin((2 * Math.PI * i) / Math.max(roles.length, 1)), c - radius * Math.cos((2 * Math.PI * i) / Math.max(roles.length, 1))]);
    const root = svg("svg", { class: "squad-map" + (small ? " small" : ""), viewBox: "0 0 " + Math.round(size) + " " + Math.round(size), role: "img", "aria-label": s("map") });
    const marker = svg("marker", { id: "arrow-live", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#3a5a8c" }));
    root.append(svg("defs", {}, marker), svg("rect", { width: Math.round(size), height: Math.round(size), fill: "#ffffff" }));
    const seen = new Map();
    const placed = [];
    pts.forEach(([x, y], n) => {
      const [lx, ly, anchor] = nodeLabel(x, y, c);
      const width = 7.5 * shorten(roles[n].title).length;
      const left = anchor === "middle" ? lx - width / 2 : anchor === "end" ? lx - width : lx;
      placed.push([left, ly - 14, left + width, ly + 18], [x - NODE, y - NODE, x + NODE, y + NODE]);
    });
    for (const link of links) {
      const pair = link.source + ">" + link.target;
      const n = seen.get(pair) || 0;
      seen.set(pair, n + 1);
      const bend = CURVE * (1 + n);
      const [x1, y1] = pts[index.get(link.source)], [x2, y2] = pts[index.get(link.target)];
      let d, candidates;
      if (x1 === x2 && y1 === y2) {
        d = `M${x1 - 8},${y1 - NODE} C${x1 - 40},${y1 - NODE - 50} ${x1 + 40},${y1 - NODE - 50} ${x1 + 8},${y1 - NODE}`;
        candidates = [0, -14, 14, -28].map((dy) => [x1, y1 - NODE - 42 + dy]);
      } else {
        const len = Math.hypot(x2 - x1, y2 - y1), ux = (x2 - x1) / len, uy = (y2 - y1) / len, nx = -uy, ny = ux;
        const mx = (x1 + x2) / 2 + nx * bend, my = (y1 + y2) / 2 + ny * bend;
        const sx = x1 + ux * NODE + nx * bend * 0.15, sy = y1 + uy * NODE + ny * bend * 0.15;
        const ex = x2 - ux * (NODE + 4) + nx * bend * 0.15, ey = y2 - uy * (NODE + 4) + ny * bend * 0.15;
        d = `M${sx.toFixed(1)},${sy.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
        const stops = LABEL_STOPS.map((t) => [(1 - t) ** 2 * sx + 2 * (1 - t) * t * mx + t * t * ex, (1 - t) ** 2 * sy + 2 * (1 - t) * t * my + t * t * ey]);
        candidates = stops.concat([-14, 14, -28, 28].flatMap((dy) => stops.map(([x, y]) => [x, y + dy])));
      }
      const [lx, ly] = placeLabel(candidates, shorten(link.what), placed);
      const title = svg("title");
      title.textContent = [link.what, link.channel, link.frequency].filter(Boolean).join(" · ");
      const label = svg("text", { "unicode-bidi": "plaintext", x: lx.toFixed(1), y: ly.toFixed(1), "font-size": 11, "text-anchor": "middle", fill: "#1d3557", "paint-order": "stroke", stroke: "#ffffff", "stroke-width": 3 });
      label.textContent = shorten(link.what);
      root.append(svg("g", { class: "edge" }, title, svg("path", { d, fill: "none", stroke: "#3a5a8c", "stroke-width": 1.6, "marker-end": "url(#arrow-live)" }), label));
    }
    roles.forEach((role, n) => {
      const [x, y] = pts[n];
      const title = svg("title");
      const holders = [role.organisation, role.profession].filter(Boolean).join(" · ");
      title.textContent = role.title + (holders ? " (" + holders + ")" : "");
      const [nx, ny, anchor] = nodeLabel(x, y, c);
      const name = svg("text", { "unicode-bidi": "plaintext", x: nx.toFixed(1), y: ny.toFixed(1), "font-size": 13, "font-weight": "bold", "text-anchor": anchor, fill: "#222" });
      name.textContent = shorten(role.title);
      const g = svg("g", { class: "node" }, title, svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: NODE, fill: "#f4a261", stroke: "#6d3b07", "stroke-width": 1.5 }), name);
      if (holders) {
        const sub = svg("text", { "unicode-bidi": "plaintext", x: nx.toFixed(1), y: (ny + 15).toFixed(1), "font-size": 11, "text-anchor": anchor, fill: "#555" });
        sub.textContent = shorten(holders, 32);
        g.append(sub);
      }
      root.append(g);
    });
    return root;
  }

  /* ---- the editor (participants, network teams, a facilitator inside one team) ---- */

  function model(root, itemId) {
    if (!root._squad || root._squad.itemId !== itemId || root._squad.teams) {
      root._squad = { itemId, units: {}, step: 0, editing: {}, tab: 1, members: [], notices: [], bases: {} };
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

  /* Keep what the person is typing across a re-render caused by someone else's edit:
     the focused field and every draft of a new item. Focus and blur events fired by
     the re-render itself are ignored (m.quiet), so they send nothing. */
  function keepFocus(root, m, draw) {
    const active = document.activeElement;
    let keep = null;
    if (active && root.contains(active) && active.dataset && (active.dataset.field || active.dataset.draft)) {
      const selector = active.dataset.draft ? `[data-draft="${CSS.escape(active.dataset.draft)}"]`
        : `[data-key="${CSS.escape(active.dataset.key)}"][data-field="${CSS.escape(active.dataset.field)}"]`;
      keep = { selector, value: active.value, start: active.selectionStart, end: active.selectionEnd };
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
      again.value = keep.value;
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
    const send = (type, payload) => ctx.send(type, payload).then((ack) => {
      if (ack && ack.reply && ack.reply.ops) applyOps(units, ack.reply.ops);
      if (ack && ack.reply && ack.reply.conflict) note(root, m, ctx, ack.reply.conflict, true);
      return ack;
    }, (err) => { status.textContent = err.message || t("not_sent"); });
    const status = el("p", { class: "squad-status", role: "status", "aria-live": "polite" });

    function focusOn(key) {
      if (m.focused === key) return;
      m.focused = key;
      send("focus", { target: key || "" });
    }

    function editingBadge(key) {
      const who = Object.entries(m.editing || {}).filter(([k, f]) => f && f.target === key && k !== meKey(ctx)).map(([, f]) => f.name);
      return who.length ? el("span", { class: "badge editing" }, ...who.flatMap((n, i) => (i ? [", ", bdi(n)] : [bdi(n)])), " " + s("editing")) : null;
    }

    function field(kind, unit, name, label, multiline) {
      const key = keyOf(kind, unit ? unit.id : null);
      const attrs = { "aria-label": label, placeholder: label, dataset: { key, field: name }, class: "squad-field", dir: "auto" };
      const input = multiline ? el("textarea", Object.assign({ rows: 3 }, attrs)) : el("input", Object.assign({ type: "text" }, attrs));
      input.value = unit ? unit[name] || "" : "";
      input.addEventListener("focus", () => { if (!m.quiet) { m.bases[key + "/" + name] = units[key] ? units[key].v : 0; focusOn(key); } });
      input.addEventListener("blur", () => { if (!m.quiet) focusOn(""); });
      input.addEventListener("change", () => {
        const base = m.bases[key + "/" + name] !== undefined ? m.bases[key + "/" + name] : (units[key] ? units[key].v : 0);
        const payload = { kind, field: name, value: input.value, base };
        if (kind !== "goal" && kind !== "needs") payload.id = unit.id;
        send("edit", payload).then(() => { m.bases[key + "/" + name] = units[key] ? units[key].v : 0; });
      });
      const prev = unit && unit.prev && unit.prev[name];
      return el("div", { class: "squad-input" }, input,
        prev ? el("p", { class: "small conflict-note" }, s("conflict") + " ", el("strong", { text: unit[name], dir: "auto" }), " · " + s("yours") + " ", el("span", { text: prev.value, dir: "auto" }), ...(prev.by ? [" (", bdi(prev.by.n), ")"] : [])) : null);
    }

    function removeButton(kind, unit) {
      return el("button", {
        type: "button", class: "small danger", "aria-label": s("delete") + " " + (unit.title || unit.text || unit.what || ""),
        onclick: () => send("delete", { kind, id: unit.id }).then(() => undoOffer(kind, unit)),
      }, s("delete"));
    }

    function undoOffer(kind, unit) {
      m.undo = { kind, id: unit.id, text: kind === "role" ? s("role_deleted") : s("item_deleted") };
      redraw();
    }

    function addForm(kind, fields, extra, parent) {
      const inputs = fields.map(([name, label]) => el("input", { type: "text", "aria-label": label, placeholder: label, name, dir: "auto", dataset: { draft: kind + ":" + (parent || "") + ":" + name } }));
      const form = el("form", {
        class: "inline-row squad-add", dataset: { kind },
        onsubmit: (e) => {
          e.preventDefault();
          const values = {};
          inputs.forEach((i) => { values[i.name] = i.value.trim(); });
          if (!values[fields[0][0]]) return;
          // Cleared at once: the item comes back through the server, and a re-render in
          // between must not keep the text as a draft.
          inputs.forEach((i) => { i.value = ""; });
          Object.assign(values, extra ? extra() : {});
          send("add", { kind, id: newId(), fields: values }).then((ack) => {
            if (ack && ack.ok) return;
            for (const [name] of fields) {
              const input = root.querySelector(`[data-draft="${CSS.escape(kind + ":" + (parent || "") + ":" + name)}"]`);
              if (input && !input.value) input.value = values[name];
            }
          });
        },
      }, ...inputs, el("button", { type: "submit", class: "small" }, s("add_" + kind)));
      return form;
    }

    function roleSelect(name, label) {
      return el("select", { "aria-label": label, name, dataset: { draft: "interaction::" + name } },
        ...ordered(units, "r:").map((r) => el("option", { value: r.id, dir: "auto" }, r.title)));
    }

    function stepGoal() {
      return [
        el("label", { class: "squad-label", text: s("needs") }), field("needs", units.needs, "text", s("needs"), true), editingBadge("needs"),
        el("label", { class: "squad-label", text: s("goal") }), field("goal", units.goal, "text", s("goal"), true), editingBadge("goal"),
      ];
    }

    function stepStrategies() {
      const objectives = ordered(units, "o:");
      return [
        el("ol", { class: "squad-items" }, ...ordered(units, "s:").map((st) => el("li", { class: "squad-item", dataset: { item: "s:" + st.id } },
          el("div", { class: "inline-row" }, field("strategy", st, "title", s("strategy")), editingBadge("s:" + st.id), removeButton("strategy", st)),
          el("ul", { class: "squad-objectives" }, ...objectives.filter((o) => o.strategy === st.id).map((o) =>
            el("li", { class: "inline-row" }, field("objective", o, "text", s("objective")), editingBadge("o:" + o.id), removeButton("objective", o)))),
          addForm("objective", [["text", s("objective")]], () => ({ strategy: st.id }), st.id)
        ))),
        addForm("strategy", [["title", s("strategy")]]),
      ];
    }

    function stepRoles() {
      const strategies = ordered(units, "s:");
      return [
        el("ol", { class: "squad-items" }, ...ordered(units, "r:").map((r) => el("li", { class: "squad-item", dataset: { item: "r:" + r.id } },
          el("div", { class: "inline-row" }, field("role", r, "title", s("role_title")), field("role", r, "organisation", s("organisation")),
            field("role", r, "profession", s("profession")), editingBadge("r:" + r.id), removeButton("role", r)),
          strategies.length ? el("fieldset", { class: "inline-row squad-manages" }, el("legend", { text: s("manages") }),
            ...strategies.map((st) => {
              const box = el("input", { type: "checkbox", checked: (r.manages || []).includes(st.id) });
              box.addEventListener("change", () => send("manage", { role: r.id, strategy: st.id, on: box.checked }));
              return el("label", { class: "check" }, box, " ", bdi(st.title));
            })) : null
        ))),
        addForm("role", [["title", s("role_title")], ["organisation", s("organisation")], ["profession", s("profession")]]),
      ];
    }

    function stepInteractions() {
      const roles = ordered(units, "r:");
      const names = new Map(Object.values(units).filter((u) => u.kind === "role").map((r) => [r.id, r.title]));
      const source = roleSelect("source", s("from"));
      const target = roleSelect("target", s("to"));
      if (roles.length > 1) target.selectedIndex = 1;
      const form = addForm("interaction", [["what", s("what")], ["channel", s("channel")], ["frequency", s("frequency")]],
        () => ({ source: source.value, target: target.value }));
      form.prepend(source, el("span", { text: "→" }), target);
      return [
        el("ul", { class: "squad-items" }, ...ordered(units, "i:").map((i) => el("li", { class: "squad-item", dataset: { item: "i:" + i.id } },
          el("p", { class: "squad-link" }, el("strong", { text: names.get(i.source) || "?", dir: "auto" }), " → ", el("strong", { text: names.get(i.target) || "?", dir: "auto" }), editingBadge("i:" + i.id)),
          el("div", { class: "inline-row" }, field("interaction", i, "what", s("what")), field("interaction", i, "channel", s("channel")),
            field("interaction", i, "frequency", s("frequency")), removeButton("interaction", i))
        ))),
        roles.length ? form : el("p", { class: "muted", text: s("help3") }),
      ];
    }

    const STEPS = { 1: stepGoal, 2: stepStrategies, 3: stepRoles, 4: stepInteractions };

    function deletedList() {
      const gone = Object.values(units).filter((u) => u.del && !u.with && (u.kind === "role" || u.kind === "strategy"));
      if (!gone.length) return null;
      return el("details", { class: "squad-deleted" }, el("summary", { text: s("deleted") + " (" + gone.length + ")" }),
        el("ul", {}, ...gone.map((u) => el("li", {}, el("span", { text: u.title || "", dir: "auto" }), " ",
          el("button", { type: "button", class: "small secondary", onclick: () => send("restore", { kind: u.kind, id: u.id }) }, s("restore"))))));
    }

    function redraw() {
      keepFocus(root, m, () => {
        const tab = led() || m.tab;
        const tabs = el("div", { class: "squad-tabs", role: "tablist" }, ...[1, 2, 3, 4].map((n) => el("button", {
          type: "button", role: "tab", class: "squad-tab", "aria-selected": n === tab ? "true" : "false", disabled: Boolean(led()) && n !== m.step,
          onclick: () => { m.tab = n; redraw(); },
        }, n + ". " + s("step" + n))));
        const found = checks(units);
        const parts = [
          el("p", { class: "squad-presence" }, s("here") + " ", ...m.members.map((p) => el("span", { class: "badge member", text: p.name, dir: "auto" }))),
          led() ? el("p", { class: "squad-led", text: s("step_led") + " " + m.step }) : null,
          m.behind ? el("p", { class: "squad-behind", role: "status", text: s("behind") }) : null,
          tabs,
          el("section", { class: "squad-step", role: "tabpanel", dataset: { step: String(tab) } },
            el("p", { class: "squad-help", text: s("help" + tab) }), ...STEPS[tab]()),
          m.undo ? el("p", { class: "squad-undo", role: "status" }, m.undo.text + " ",
            el("button", { type: "button", class: "small", onclick: () => { const u = m.undo; m.undo = null; send("restore", { kind: u.kind, id: u.id }).then(redraw); } }, s("undo"))) : null,
          ...m.notices.map((n, i) => el("div", { class: "squad-conflict", role: "alert" },
            el("p", {}, s("conflict") + " ", el("strong", { text: n.won.value, dir: "auto" }), ...(n.won.by ? [" (", bdi(n.won.by.n), ")"] : [])),
            el("p", {}, s("yours") + " ", el("span", { text: n.lost.value, dir: "auto" })),
            n.mine ? el("button", { type: "button", class: "small", onclick: () => {
              m.notices.splice(i, 1);
              const unit = units[n.key];
              const payload = { kind: unit.kind, field: n.field, value: n.lost.value, base: unit.v };
              if (unit.kind !== "goal" && unit.kind !== "needs") payload.id = unit.id;
              send("edit", payload).then(redraw);
            } }, s("keep_mine")) : null)),
          deletedList(),
          m.savedBy ? el("p", { class: "muted small squad-saved" }, s("saved_by") + " ", bdi(m.savedBy)) : null,
          el("section", { class: "squad-side" },
            el("h3", { text: s("map") }), drawMap(units),
            el("h3", { text: s("checks") }),
            found.length ? el("ul", { class: "squad-checks" }, ...found.map((c) => el("li", { dataset: { code: c.code } }, s(c.code) + ": ", el("strong", { text: c.label || "?", dir: "auto" }))))
              : el("p", { class: "muted", text: s("no_checks") })),
          options.canSave ? el("p", { class: "inline-row" }, el("button", {
            type: "button", class: "secondary", id: "squad-save",
            onclick: () => send("save", {}).then((ack) => { if (ack && ack.ok) status.textContent = t("saved"); }),
          }, s("save")), status) : status,
        ];
        root.replaceChildren(el("div", { class: "squad" }, ...parts));
      });
    }
    m.redraw = redraw;
    redraw();
  }

  function note(root, m, ctx, conflict, asWinner) {
    const me = meKey(ctx);
    const lostMine = conflict.lost && conflict.lost.by && conflict.lost.by.k === me;
    if (!lostMine && !asWinner) return;
    m.notices.push(Object.assign({ mine: lostMine && !asWinner }, conflict));
    if (m.redraw) m.redraw();
  }

  function participant(root, item, ctx) {
    const m = model(root, item.id === undefined ? "workspace" : item.id);
    m.units = Object.assign({}, item.view.units);
    m.step = item.view.step;
    m.editing = item.view.editing || {};
    m.team = item.team || (ctx.me && ctx.me.team);
    m.behind = Boolean(item.behind);
    m.members = (root._presence || {})[m.team] || m.members;
    editor(root, m, ctx, { canSave: item.status === "open" || item.workspace });
  }

  function event(root, item, message, ctx) {
    const data = message.data || {};
    const m = root._squad;
    if (!m) return;
    if (m.teams) return facilitatorEvent(root, item, message, ctx);
    if (data.step !== undefined) m.step = data.step;
    applyOps(m.units, data.ops);
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

  function facilitator(root, item, ctx) {
    const old = root._squad;
    root._presence = root._presence || {};
    const m = { teams: {}, teamMembers: root._presence, open: old && old.itemId === item.id ? old.open : null, itemId: item.id, step: item.view.step };
    for (const [team, entry] of Object.entries(item.teams || {})) {
      m.teams[team] = { networks: entry.networks, units: Object.assign({}, entry.view.units), step: entry.view.step, editing: entry.view.editing || {}, tab: 1, members: m.teamMembers[team] || [], notices: [], bases: {} };
    }
    root._squad = m;
    drawFacilitator(root, m, item, ctx);
  }

  function teamLabel(ctx, team, entry) {
    const names = (entry.networks || []).map((id) => ctx.networks[id] || "#" + id);
    return names.join(" + ") || team;
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
      editor(inner, entry, teamCtx, { canSave: true, free: true });
      m.redraw = () => { entry.members = m.teamMembers[team] || []; entry.redraw(); };
      return;
    }
    const cards = Object.entries(m.teams).map(([team, entry]) => {
      const strategies = ordered(entry.units, "s:"), roles = ordered(entry.units, "r:"), links = ordered(entry.units, "i:");
      const found = checks(entry.units);
      return el("article", { class: "squad-card", dataset: { team } },
        el("h3", { text: teamLabel(ctx, team, entry), dir: "auto" }),
        el("p", { class: "small" }, ...(m.teamMembers[team] || []).map((p) => el("span", { class: "badge member", text: p.name, dir: "auto" }))),
        el("p", { class: "squad-goal", text: (entry.units.goal && entry.units.goal.text) || "—", dir: "auto" }),
        el("p", { class: "small muted", text: strategies.length + " " + s("step2") + " · " + roles.length + " " + s("step3") + " · " + links.length + " " + s("step4") }),
        el("ul", { class: "small squad-strategies" }, ...strategies.map((x) => el("li", { text: x.title, dir: "auto" }))),
        drawMap(entry.units, true),
        found.length ? el("ul", { class: "squad-checks small" }, ...found.map((c) => el("li", { dataset: { code: c.code } }, s(c.code) + ": ", el("strong", { text: c.label || "?", dir: "auto" }))))
          : el("p", { class: "small muted", text: s("no_checks") }),
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
      if (!m.teams[team]) m.teams[team] = { networks: [], units: {}, step: m.step, editing: {}, tab: 1, members: [], notices: [], bases: {} };
      const entry = m.teams[team];
      applyOps(entry.units, data.ops);
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
    root.replaceChildren(el("div", { class: "squad-grid" }, ...Object.entries(item.teams || {}).map(([team, entry]) =>
      el("article", { class: "squad-card" }, el("h3", { text: teamLabel(ctx || { networks: {} }, team, entry), dir: "auto" }), el("p", { class: "squad-goal", text: (entry.view.units.goal && entry.view.units.goal.text) || "—", dir: "auto" }), drawMap(entry.view.units, true)))));
  }

  window.Facilitation.exercises.squad = { participant, facilitator, projector, event, presence, checks, drawMap };
})();
