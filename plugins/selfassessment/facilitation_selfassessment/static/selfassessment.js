/* The network self-assessment: a team rates itself together, live (in a meeting, or between
   meetings through its network link), one shared rating and reason per dimension. The later
   of two simultaneous changes wins on every screen and the replaced value stays visible; the
   person whose change was replaced can put it back. People's text only goes through textContent. */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("selfassessment." + key);

  const labelOf = (dim) => dim.label || s("dim_" + dim.id);
  const groupOf = (dim) => (dim.group ? s("group_" + dim.group) : "");
  function helpOf(dim) {
    const key = "selfassessment.help_" + dim.id;
    const text = t(key);
    return text === key ? "" : text;
  }
  const myKey = (ctx) => (ctx.me ? ctx.me.kind + ":" + ctx.me.id : "");
  const shown = (field, value) => (field === "v" ? (value ? String(value) : s("none")) : (value || "–"));

  /* ---- one team's self-assessment ---- */

  function editor(root, m, ctx, opts) {
    m.parts = {};
    const base = "sa" + (m.key || "w") + "-";
    const presence = el("p", { class: "small sa-presence", "aria-live": "polite" });
    const status = el("p", { class: "poll-status", role: "status", "aria-live": "polite" });
    const behind = el("p", { class: "sa-behind", role: "status", text: s("behind") });
    const list = el("div", { class: "sa-dims" });
    let group = null;
    m.dims.forEach((dim, index) => {
      const label = groupOf(dim);
      if (label && label !== group) {
        group = label;
        list.append(el("h3", { class: "sa-group", text: label }));
      }
      const part = dimension(dim, index, base, m, ctx);
      m.parts[dim.id] = part;
      list.append(part.node);
    });
    const save = el("button", { type: "button", class: "sa-save" }, s("save"));
    save.addEventListener("click", () => {
      save.disabled = true;
      status.className = "poll-status";
      status.textContent = t("sending");
      ctx.send("save", {}).then(() => {
        save.disabled = false;
        m.behind = false;
        status.textContent = s("saved_by") + " " + ((ctx.me && ctx.me.name) || "");
        m.redraw();
      }, (err) => {
        save.disabled = false;
        status.className = "poll-status error";
        status.textContent = (err && err.message) || t("not_sent");
      });
    });
    root.replaceChildren(el("p", { class: "help", text: s("intro") }), presence, behind, list,
      opts.canSave ? el("div", { class: "button-group sa-save-bar" }, save) : null, status);
    m.status = status;
    m.redraw = () => {
      behind.hidden = !m.behind;
      const names = (m.members || []).map((p) => p.name).filter(Boolean);
      presence.replaceChildren(...(names.length ? [s("here") + " ", ...names.flatMap((n, i) => (i ? [", ", bdi(n)] : [bdi(n)]))] : []));
      for (const dim of m.dims) m.parts[dim.id].update();
    };
    m.redraw();
  }

  function dimension(dim, index, base, m, ctx) {
    const name = base + dim.id;
    const help = helpOf(dim);
    const unit = () => m.units[dim.id] || { v: null, why: "", ver: 0, by: {}, prev: {} };
    const radios = [1, 2, 3, 4, 5].map((v) => el("input", { type: "radio", name, value: String(v) }));
    const clear = el("button", { type: "button", class: "link sa-clear" }, s("clear"));
    const why = el("textarea", { id: name + "-why", rows: "2", maxlength: "300", dir: "auto" });
    const last = el("p", { class: "muted small sa-last" });
    const note = el("div", { class: "sa-notes", "aria-live": "polite" });
    let typed = false;
    // The rating just chosen and not yet acknowledged: shown whatever a push redraws meanwhile (a
    // teammate arriving, another's edit), so the choice does not flicker back under the finger.
    let pending = null;
    let sent = 0;

    function send(type, payload) {
      const mine = type === "rate" ? ++sent : 0;
      if (mine) pending = payload.value;
      const settle = () => { if (mine && mine === sent) pending = null; };
      return ctx.send(type, Object.assign({ dim: dim.id, base: unit().ver || 0 }, payload)).then((ack) => {
        settle();
        if (ack.reply && ack.reply.unit) m.units[dim.id] = ack.reply.unit;
        update();
      }, (err) => {
        settle();
        note.replaceChildren(el("p", { class: "error", role: "alert", text: (err && err.message) || t("not_sent") }));
        update();
      });
    }
    radios.forEach((input) => input.addEventListener("change", () => send("rate", { value: Number(input.value) })));
    clear.addEventListener("click", () => send("rate", { value: 0 }));
    why.addEventListener("input", () => { typed = true; });
    why.addEventListener("change", () => { typed = false; send("explain", { text: why.value }); });

    function update() {
      const u = unit();
      const v = pending === null ? u.v : pending;
      for (const input of radios) input.checked = Number(input.value) === v;
      clear.hidden = !v;
      if (document.activeElement !== why && !typed) why.value = u.why || "";
      const before = (m.last || {})[dim.id];
      const by = u.by && u.by.v && u.by.v.n;
      last.replaceChildren(...[
        before ? s("last") + " " + before : "", before && by ? " · " : "",
        by ? s("rated_by") + " " : "", by ? bdi(by) : "",
      ].filter(Boolean));
      const notes = [];
      for (const field of ["v", "why"]) {
        const prev = (u.prev || {})[field];
        if (!prev) continue;
        const lostMine = prev.by && prev.by.k === myKey(ctx);
        const row = el("p", { class: "sa-conflict" }, s("conflict") + " ",
          el("strong", { text: shown(field, u[field]), dir: "auto" }), " · " + s("replaced") + " ",
          el("strong", { text: shown(field, prev.value), dir: "auto" }),
          prev.by && prev.by.n ? " (" : "", prev.by && prev.by.n ? bdi(prev.by.n) : "", prev.by && prev.by.n ? ")" : "");
        if (lostMine) {
          row.append(" ", el("button", { type: "button", class: "small secondary", onclick: () => {
            send(field === "v" ? "rate" : "explain", field === "v" ? { value: prev.value || 0 } : { text: prev.value || "" });
          } }, s("keep_mine")));
        }
        notes.push(row);
      }
      note.replaceChildren(...notes);
    }

    const legend = el("legend", {}, (index + 1) + ". ", bdi(labelOf(dim)));
    const node = el("fieldset", { class: "sa-dim", dataset: { dim: dim.id }, "aria-describedby": help ? name + "-help" : null },
      legend,
      help ? el("p", { class: "help", id: name + "-help", text: help }) : null,
      el("div", { class: "sa-scale", role: "group", "aria-label": s("scale") },
        ...radios.map((input, i) => el("label", { class: "sa-option" }, input, el("span", { text: String(i + 1) })))),
      el("div", { class: "sa-below" }, last, clear),
      el("div", { class: "field sa-why" }, el("label", { for: name + "-why", text: s("why") }), why),
      note);
    return { node, update };
  }

  function model(root, key, view) {
    const m = root._sa && root._sa.key === key ? root._sa : { key, units: {} };
    m.dims = view.dims || [];
    m.units = Object.assign({}, view.units || {});
    m.last = view.last || {};
    root._sa = m;
    return m;
  }

  function participant(root, item, ctx) {
    const key = item.id === undefined ? "w" : String(item.id);
    const kept = root._sa && root._sa.key === key && root._sa.parts && root.contains(root._sa.status) ? root._sa : null;
    const m = model(root, key, item.view);
    m.team = item.team || (ctx.me && ctx.me.team);
    m.behind = Boolean(item.behind);
    m.members = (root._presence || {})[m.team] || m.members || [];
    if (kept && Object.keys(kept.parts).join() === m.dims.map((d) => d.id).join()) {
      m.redraw();
      return;
    }
    editor(root, m, ctx, { canSave: item.status === "open" || item.workspace });
  }

  function event(root, item, message, ctx) {
    const data = message.data || {};
    const m = root._sa;
    if (!m) return;
    if (m.teams) return facilitatorEvent(root, item, message, ctx);
    if (data.unit) m.units[data.unit.id] = data.unit;
    if (data.last) m.last = data.last.values || {};
    if (data.saved) {
      m.behind = false;
      if (m.status) m.status.textContent = s("saved_by") + " " + (data.saved.by || "");
    }
    if (m.redraw) m.redraw();
  }

  function presence(root, message) {
    root._presence = Object.assign(root._presence || {}, { [message.team]: message.members || [] });
    const m = root._sa;
    if (!m) return;
    if (m.teams) m.teamMembers = root._presence;
    else if (!m.team || m.team === message.team) m.members = message.members || [];
    if (m.redraw) m.redraw();
  }

  /* ---- the facilitator: every team side by side, or inside one team ---- */

  function teamLabel(ctx, team, entry) {
    const names = (entry.networks || []).map((id) => (ctx.networks || {})[id] || "#" + id);
    return names.join(" + ") || team;
  }

  function ratingsTable(view) {
    return el("div", { class: "table-wrap" }, el("table", { class: "table sa-ratings" },
      el("tbody", {}, ...(view.dims || []).map((dim, i) => {
        const u = (view.units || {})[dim.id] || {};
        return el("tr", {}, el("th", { scope: "row" }, (i + 1) + ". ", bdi(labelOf(dim))),
          el("td", { class: "num", text: u.v ? String(u.v) : "–" }));
      }))));
  }

  function facilitator(root, item, ctx) {
    const old = root._sa;
    const m = { teams: {}, teamMembers: root._presence || {}, open: old && old.teams && old.itemId === item.id ? old.open : null, itemId: item.id };
    for (const [team, entry] of Object.entries(item.teams || {})) m.teams[team] = { networks: entry.networks, view: entry.view };
    root._sa = m;
    drawFacilitator(root, m, item, ctx);
  }

  function drawFacilitator(root, m, item, ctx) {
    if (m.open && m.teams[m.open]) {
      const team = m.open;
      const entry = m.teams[team];
      const inner = el("div", { class: "sa-team-open" });
      const back = el("button", { type: "button", class: "small secondary", onclick: () => { m.open = null; drawFacilitator(root, m, item, ctx); } }, "← " + s("back_to_teams"));
      root.replaceChildren(el("p", {}, back, " ", el("strong", {}, s("team_of") + " ", bdi(teamLabel(ctx, team, entry)))), inner);
      const teamCtx = Object.assign({}, ctx, { send: (type, payload) => ctx.live.send("action", { item: item.id, type, payload, team }) });
      const inside = { key: "f" + item.id + team, dims: entry.view.dims || [], units: Object.assign({}, entry.view.units || {}), last: entry.view.last || {}, members: m.teamMembers[team] || [] };
      entry.editor = inside;
      editor(inner, inside, teamCtx, { canSave: true });
      m.redraw = () => { inside.members = m.teamMembers[team] || []; inside.redraw(); };
      return;
    }
    const cards = Object.entries(m.teams).map(([team, entry]) => el("article", { class: "sa-card", dataset: { team } },
      el("h3", { text: teamLabel(ctx, team, entry), dir: "auto" }),
      el("p", { class: "small" }, ...(m.teamMembers[team] || []).map((p) => el("span", { class: "badge member", text: p.name, dir: "auto" }))),
      el("p", { class: "small muted", text: s("rated") + ": " + (entry.view.rated || 0) + " / " + (entry.view.dims || []).length }),
      ratingsTable(entry.view),
      el("button", { type: "button", class: "small", onclick: () => { m.open = team; drawFacilitator(root, m, item, ctx); } }, s("open_team"))));
    root.replaceChildren(cards.length ? el("div", { class: "sa-grid" }, ...cards) : el("p", { class: "muted", text: s("empty") }));
    m.redraw = () => drawFacilitator(root, m, item, ctx);
  }

  function facilitatorEvent(root, item, message, ctx) {
    const m = root._sa;
    const data = message.data || {};
    const team = message.by && message.by.team;
    if (team && data.unit) {
      if (!m.teams[team]) m.teams[team] = { networks: [], view: { dims: [], units: {}, rated: 0 } };
      const entry = m.teams[team];
      entry.view.units = Object.assign({}, entry.view.units, { [data.unit.id]: data.unit });
      entry.view.rated = Object.values(entry.view.units).filter((u) => u && u.v).length;
      if (entry.editor) entry.editor.units[data.unit.id] = data.unit;
    }
    if (team && data.last && m.teams[team]) {
      m.teams[team].view.last = data.last.values || {};
      if (m.teams[team].editor) m.teams[team].editor.last = data.last.values || {};
    }
    if (m.redraw) m.redraw();
  }

  function projector(root, item, ctx) {
    const cards = Object.entries(item.teams || {}).map(([team, entry]) => el("article", { class: "sa-card" },
      el("h3", { text: teamLabel(ctx || {}, team, entry), dir: "auto" }),
      el("p", { class: "muted", text: s("rated") + ": " + (entry.view.rated || 0) + " / " + (entry.view.dims || []).length }),
      ratingsTable(entry.view)));
    root.replaceChildren(el("div", { class: "sa-grid" }, ...cards));
  }

  window.Facilitation.exercises.selfassessment = { participant, facilitator, projector, event, presence };
})();
