/* The obstacle board: sticky notes in columns, clusters, dot voting, ranked results.
 *
 * The server's view is the truth: the board comes as coalesced `results` (the team's
 * board, or the room's), the person's own part (their notes, held ones too, and their
 * dots) in `item.personal` and in every ack. Drag and drop (SortableJS, which works with
 * touch as with a mouse) moves a note into a cluster; the same is done with the keyboard
 * by choosing the note's cluster in its list. Focus and typed text survive redraws.
 * People's text is set with textContent only (Facilitation.el), isolated with dir="auto".
 */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("board." + key);
  const PHASES = ["writing", "clustering", "voting", "results"];

  /* ---- redraws that keep what the person is doing ---- */

  /* Every control has a stable data-keep key: after a redraw the focused one is focused again,
     and text typed but not sent yet (value different from data-initial) is put back. */
  function keeping(root, draw) {
    const active = document.activeElement;
    const focused = active && root.contains(active) && active.dataset ? active.dataset.keep : null;
    const selection = focused && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    const typed = new Map();
    for (const node of root.querySelectorAll("input[data-keep], textarea[data-keep]")) {
      if (node.value !== (node.dataset.initial || "")) typed.set(node.dataset.keep, node.value);
    }
    draw();
    for (const [key, value] of typed) {
      const again = root.querySelector(`[data-keep="${CSS.escape(key)}"]`);
      if (again) again.value = value;
    }
    if (focused) {
      const again = root.querySelector(`[data-keep="${CSS.escape(focused)}"]`);
      if (again && !again.disabled) {
        again.focus({ preventScroll: true });
        if (selection && again.setSelectionRange) {
          try { again.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not a text field */ }
        }
      }
    }
  }

  function field(tag, key, attrs, value) {
    const node = el(tag, Object.assign({ dataset: { keep: key, initial: value || "" } }, attrs));
    node.value = value || "";
    return node;
  }

  function button(key, label, onclick, attrs) {
    return el("button", Object.assign({ type: "button", dataset: { keep: key }, onclick }, attrs || {}), label);
  }

  /* One live region per board, kept across redraws, so what it says is announced. */
  function statusOf(root) {
    if (!root._boardStatus) root._boardStatus = el("p", { class: "board-status", role: "status", "aria-live": "polite" });
    return root._boardStatus;
  }

  /* ---- pieces ---- */

  function phaseBar(view, large) {
    return el("ol", { class: "board-phases" + (large ? " large" : ""), "aria-label": s("phase") },
      ...PHASES.map((p) => el("li", { class: p === view.phase ? "current" : "", "aria-current": p === view.phase ? "step" : null },
        s(p))));
  }

  function facts(view) {
    const parts = [view.dots + " " + s("per_person")];
    if (view.stack) parts.push(s("several"));
    if (view.anonymous) parts.push(s("anonymous"));
    if (view.controlled) parts.push(s("controlled"));
    if (view.mode === "room") parts.push(s("whole_room"));
    return el("p", { class: "muted small board-facts", text: parts.join(" · ") });
  }

  // What a dot's ack says: which note it went on (or came back from), and how many are left.
  function placed(key, note, ack) {
    return s(key) + " «" + note.text + "». " + s("dots_left") + ": " + ack.reply.left;
  }

  function byLine(note) {
    return note.name ? el("p", { class: "board-by small" }, s("by") + " ", bdi(note.name)) : null;
  }

  function barOf(value, max) {
    const fill = el("span", { class: "bar-fill" });
    fill.style.inlineSize = (max ? (100 * value) / max : 0) + "%";
    return el("span", { class: "bar-track", "aria-hidden": "true" }, fill);
  }

  function ranking(view, large, limit) {
    const columns = view.ranking || [];
    return el("div", { class: "board-results" + (large ? " large" : "") }, ...columns.map((column) => {
      const entries = limit ? column.entries.slice(0, limit) : column.entries;
      const max = Math.max(1, ...column.entries.map((e) => e.dots));
      return el("section", { class: "board-result-column" },
        el("h3", { text: column.column, dir: "auto" }),
        entries.length ? el("ol", { class: "board-ranking" }, ...entries.map((e) => el("li", { class: "board-ranked " + e.kind },
          el("span", { class: "board-rank", text: e.rank + "." }),
          el("span", { class: "board-entry" },
            e.kind === "cluster" ? el("strong", { text: e.name, dir: "auto" }) : el("span", { text: e.text, dir: "auto" }),
            e.kind === "cluster" && !large ? el("ul", { class: "board-cluster-notes small" },
              ...e.notes.map((n) => el("li", {}, bdi(n.text), " (" + n.dots + ")"))) : null),
          barOf(e.dots, max),
          el("span", { class: "board-dots", text: e.dots + " " + s("dots") }))))
          : el("p", { class: "muted", text: s("no_notes") }));
    }));
  }

  /* ---- the board, for a participant, a facilitator in a room, or a facilitator inside a team ---- */

  function drawBoard(root, item, view, opts) {
    const state = root._board || (root._board = {});
    if (state.dragging) { state.pending = () => drawBoard(root, item, view, opts); return; }
    const status = statusOf(root);
    if (state.phase !== view.phase) {
      // What the last action said belongs to the phase it was done in.
      if (state.phase) status.textContent = "";
      state.phase = view.phase;
    }
    const personal = opts.personal || { mine: [], dots: {}, left: view.dots };
    // The person's own part comes with their acks; what others did since (a facilitator approved
    // or removed one of their notes) shows in the board itself.
    const shownIds = new Set(view.notes.filter((n) => !n.held).map((n) => n.id));
    const removed = new Set(view.removed || []);
    const me = Object.assign({}, personal, { mine: (personal.mine || []).filter((n) => !removed.has(n.id))
      .map((n) => Object.assign({}, n, { held: n.held && !shownIds.has(n.id) })) });
    const isFac = opts.role === "facilitator";
    const open = item.status === "open";
    const mayCluster = open && (isFac ? ["writing", "clustering"].includes(view.phase) : view.team_clusters && view.phase === "clustering");
    const send = (type, payload, done) => opts.send(type, payload).then((ack) => {
      if (done) status.textContent = typeof done === "function" ? done(ack) : done;
      if (opts.after) opts.after(ack);
      return ack;
    }, (err) => { status.textContent = (err && err.message) || t("not_sent"); });
    const mine = new Set((me.mine || []).map((n) => n.id));
    // Sent: empty the field as it is now (a redraw may have replaced it meanwhile).
    const clear = (key) => { const node = root.querySelector(`[data-keep="${CSS.escape(key)}"]`); if (node) node.value = ""; };
    const clustersOf = (col) => view.clusters.filter((k) => k.col === col);
    const help = isFac && view.phase === "clustering" ? "help_clustering" : !view.team_clusters && view.phase === "clustering" ? "help_clustering_fac" : "help_" + view.phase;

    function writeForm() {
      if (!open || view.phase !== "writing") return null;
      const column = field("select", "write-column", { id: opts.prefix + "-column" });
      column.append(...view.columns.map((c, i) => el("option", { value: String(i), dir: "auto" }, c)));
      column.value = state.column || "0";
      column.addEventListener("change", () => { state.column = column.value; });
      const text = field("textarea", "write-text", { id: opts.prefix + "-text", rows: 3, maxlength: "200", dir: "auto", required: true });
      const form = el("form", { class: "board-write", onsubmit: (event) => {
        event.preventDefault();
        const value = text.value.trim();
        if (!value) return;
        send("write", { column: Number(column.value), text: value }, (ack) => (ack.reply && ack.reply.held ? s("held") : s("saved")))
          .then((ack) => { if (ack) clear("write-text"); });
      } },
      el("div", { class: "field" }, el("label", { for: column.id, text: s("column") }), column),
      el("div", { class: "field" }, el("label", { for: text.id, text: s("your_note") }), text),
      el("button", { type: "submit", dataset: { keep: "write-send" } }, s("add_note")));
      return form;
    }

    function myNotes() {
      // While notes are written, and afterwards only those still waiting for approval.
      const listed = (me.mine || []).filter((n) => view.phase === "writing" || n.held);
      if (isFac || !listed.length) return null;
      return el("section", { class: "board-mine" }, el("h3", { text: s("your_notes") }),
        el("ul", { class: "board-mine-list" }, ...listed.map((n) => el("li", {},
          el("span", { text: n.text, dir: "auto" }), " ",
          el("span", { class: "muted small", text: "(" + (view.columns[n.col] || "") + ")", dir: "auto" }), " ",
          n.held ? el("span", { class: "badge badge-warning", text: s("held") }) : null, " ",
          open && view.phase === "writing" ? button("withdraw:" + n.id, s("withdraw"), () => send("remove", { note: n.id }, s("saved")),
            { class: "small secondary", "aria-label": s("withdraw") + ": " + n.text }) : null))));
    }

    function heldNotes() {
      if (!isFac) return null;
      const held = view.notes.filter((n) => n.held);
      if (!held.length) return null;
      return el("section", { class: "board-held" }, el("h3", { text: s("to_approve") + " (" + held.length + ")" }),
        el("ul", {}, ...held.map((n) => el("li", { dataset: { note: n.id } },
          el("span", { text: n.text, dir: "auto" }), " ",
          el("span", { class: "muted small", text: "(" + (view.columns[n.col] || "") + ")", dir: "auto" }), " ",
          open ? el("span", { class: "board-actions" },
            button("approve:" + n.id, s("approve"), () => send("approve", { note: n.id }, s("saved")), { class: "small", "aria-label": s("approve") + ": " + n.text }),
            button("remove:" + n.id, s("remove"), () => send("remove", { note: n.id }, s("saved")), { class: "small danger", "aria-label": s("remove") + ": " + n.text })) : null))));
    }

    function noteCard(n) {
      const parts = [el("p", { class: "board-text", text: n.text, dir: "auto" }), byLine(n)];
      const actions = [];
      if (mayCluster) {
        const select = field("select", "cluster-of:" + n.id, { class: "small", "aria-label": s("cluster_of") + ": " + n.text });
        select.append(el("option", { value: "" }, s("none")), ...clustersOf(n.col).map((k) => el("option", { value: k.id, dir: "auto" }, k.name)));
        select.value = n.cl || "";
        select.addEventListener("change", () => {
          const name = select.value ? select.selectedOptions[0].textContent : s("loose");
          send("group", { note: n.id, cluster: select.value || null }, s("moved") + " " + name);
        });
        actions.push(select);
      }
      if (open && view.phase === "voting" && !isFac) {
        const here = (me.dots || {})[n.id] || 0;
        // A stepper, as on a phone's quantity: − count +, kept together on one line.
        actions.push(el("span", { class: "board-mydots" }, s("your_dots") + ":"), el("span", { class: "board-stepper" },
          button("dot-:" + n.id, "−", () => send("vote", { note: n.id, add: false }, (ack) => placed("dot_removed", n, ack)),
            { class: "small secondary board-dot", "aria-label": s("remove_dot") + ": " + n.text, disabled: here === 0 }),
          el("strong", { class: "board-mydots-count", text: String(here) }),
          button("dot+:" + n.id, "+", () => send("vote", { note: n.id, add: true }, (ack) => placed("dot_added", n, ack)),
            { class: "small board-dot", "aria-label": s("add_dot") + ": " + n.text, disabled: me.left <= 0 || (here > 0 && !view.stack) })));
      }
      if (typeof n.dots === "number" && (isFac || view.phase === "results")) {
        actions.push(el("span", { class: "badge board-count", text: n.dots + " " + s("dots") }));
      }
      if (open && ((isFac && view.phase !== "results") || (mine.has(n.id) && view.phase === "writing"))) {
        actions.push(button("remove:" + n.id, isFac ? s("remove") : s("withdraw"), () => send("remove", { note: n.id }, s("saved")),
          { class: "small danger", "aria-label": (isFac ? s("remove") : s("withdraw")) + ": " + n.text }));
      }
      if (actions.length) parts.push(el("div", { class: "board-actions" }, ...actions));
      return el("li", { class: "board-note" + (mine.has(n.id) ? " mine" : ""), dataset: { note: n.id } }, ...parts);
    }

    function noteList(notes, col, cluster) {
      return el("ul", { class: "board-notes" + (mayCluster ? " droppable" : ""), dataset: { col: String(col), cluster: cluster || "" } },
        ...notes.map(noteCard));
    }

    function clusterBox(k, notes) {
      const head = mayCluster
        ? el("div", { class: "board-cluster-head" },
          (() => {
            const name = field("input", "cluster-name:" + k.id, { type: "text", maxlength: "60", dir: "auto", "aria-label": s("cluster_name"), class: "board-cluster-name" }, k.name);
            name.addEventListener("change", () => { if (name.value.trim()) send("rename", { cluster: k.id, name: name.value.trim() }, s("saved")); });
            return name;
          })(),
          button("drop:" + k.id, s("drop"), () => send("drop", { cluster: k.id }, s("saved")), { class: "small secondary", "aria-label": s("drop") + ": " + k.name }))
        : el("h4", { text: k.name, dir: "auto" });
      return el("section", { class: "board-cluster", dataset: { cluster: k.id } }, head, noteList(notes, k.col, k.id));
    }

    function newCluster(col) {
      if (!mayCluster) return null;
      const name = field("input", "new-cluster:" + col, { type: "text", maxlength: "60", dir: "auto", id: opts.prefix + "-new-" + col });
      return el("form", { class: "board-new-cluster inline-row", onsubmit: (event) => {
        event.preventDefault();
        const value = name.value.trim();
        if (value) send("cluster", { column: col, name: value }, s("saved")).then((ack) => { if (ack) clear("new-cluster:" + col); });
      } }, el("label", { for: name.id, text: s("new_cluster") }), name, el("button", { type: "submit", class: "small", dataset: { keep: "new-cluster-send:" + col } }, s("create")));
    }

    function columns() {
      const shown = view.notes.filter((n) => !n.held);
      return el("div", { class: "board-columns" }, ...view.columns.map((title, col) => {
        const here = shown.filter((n) => n.col === col);
        const clusters = clustersOf(col);
        const known = new Set(clusters.map((k) => k.id));
        const loose = here.filter((n) => !known.has(n.cl));
        return el("section", { class: "board-column", dataset: { col: String(col) } },
          el("h3", { text: title, dir: "auto" }),
          ...clusters.map((k) => clusterBox(k, here.filter((n) => n.cl === k.id))),
          clusters.length ? el("h4", { class: "board-loose", text: s("loose") }) : null,
          noteList(loose, col, ""),
          here.length ? null : el("p", { class: "muted small", text: s("no_notes") }),
          newCluster(col));
      }));
    }

    keeping(root, () => {
      const parts = [phaseBar(view), facts(view), el("p", { class: "board-help", text: s(help) })];
      if (view.phase === "voting" && !isFac) parts.push(el("p", { class: "board-left", text: s("dots_left") + ": " + me.left + " / " + view.dots }));
      parts.push(writeForm(), status, myNotes(), heldNotes());
      if (view.phase === "results" || (isFac && view.ranking && view.phase === "voting")) parts.push(ranking(view));
      if (view.phase !== "results") parts.push(columns());
      root.replaceChildren(el("div", { class: "board" + (isFac ? " board-facilitator" : "") }, ...parts));
    });
    if (mayCluster && window.Sortable) sortable(root, state, send);
  }

  /* Drag a note between the lists of one column (its clusters and "not in a cluster"). */
  function sortable(root, state, send) {
    for (const list of root.querySelectorAll("ul.board-notes")) {
      window.Sortable.create(list, {
        group: "board-col-" + list.dataset.col,
        // The same pointer and touch handling everywhere (not the browser's own drag), so a mouse,
        // a finger and a pen move things alike.
        forceFallback: true,
        animation: 120,
        delay: 150,
        delayOnTouchOnly: true, // a finger that scrolls the page does not pick a note up
        filter: "button, select, input",
        preventOnFilter: false,
        emptyInsertThreshold: 24,
        onStart: () => { state.dragging = true; },
        onEnd: (event) => {
          state.dragging = false;
          const note = event.item.dataset.note;
          const to = event.to.dataset.cluster || null;
          if (event.to !== event.from) {
            const section = event.to.closest(".board-cluster");
            const input = section && section.querySelector("input.board-cluster-name");
            const name = input ? input.value : s("loose");
            send("group", { note, cluster: to }, s("moved") + " " + name);
          }
          const pending = state.pending;
          state.pending = null;
          if (pending) pending();
        },
      });
    }
  }

  /* ---- audiences ---- */

  function participant(root, item, ctx) {
    if (item.status === "pending") {
      root.replaceChildren(el("p", { class: "muted", text: t("pending") }));
      return;
    }
    drawBoard(root, item, item.view, { role: "participant", personal: item.personal, send: ctx.send, after: () => ctx.refresh(), prefix: "board" });
  }

  function teamName(ctx, team, entry) {
    const names = ((entry && entry.networks) || []).map((id) => ctx.networks[id] || "#" + id);
    return names.join(" + ") || team;
  }

  function facilitator(root, item, ctx) {
    const view = item.view;
    const send = (type, payload) => ctx.send(type, payload);
    if (view.mode === "room") {
      drawBoard(root, item, view, { role: "facilitator", send, prefix: "board-fac" });
      return;
    }
    const state = root._board || (root._board = {});
    if (state.itemId !== item.id) { state.itemId = item.id; state.open = null; }
    const teams = item.teams || {};
    if (state.open && teams[state.open]) {
      const team = state.open;
      // Inside one team: the same container across pushes, so focus and typing stay where they are.
      if (!state.inner || state.inner.dataset.team !== team || !root.contains(state.inner)) {
        state.inner = el("div", { class: "board-team-open", dataset: { team } });
        root.replaceChildren(
          el("p", { class: "inline-row" },
            button("back-to-teams", "← " + s("back_to_teams"), () => { state.open = null; facilitator(root, state.item, ctx); }, { class: "small secondary" }),
            el("strong", {}, s("team_of") + " ", bdi(teamName(ctx, team, teams[team])))),
          state.inner);
      }
      state.item = item;
      const teamSend = (type, payload) => ctx.live.send("action", { item: item.id, type, payload, team });
      drawBoard(state.inner, item, teams[team].view, { role: "facilitator", send: teamSend, prefix: "board-team" });
      return;
    }
    state.inner = null;
    const cards = Object.entries(teams).map(([team, entry]) => {
      const v = entry.view;
      const shown = v.notes.filter((n) => !n.held);
      return el("article", { class: "board-card", dataset: { team } },
        el("h3", { text: teamName(ctx, team, entry), dir: "auto" }),
        el("ul", { class: "board-counts small" }, ...v.columns.map((c, col) => el("li", {}, bdi(c), " · " + s("notes") + ": " + shown.filter((n) => n.col === col).length))),
        v.held ? el("p", { class: "badge badge-warning", text: v.held + " " + s("waiting_count") }) : null,
        v.phase === "results" || v.phase === "voting" ? ranking(v, false, 3) : null,
        button("open-team:" + team, s("open_team"), () => { state.open = team; facilitator(root, item, ctx); }, { class: "small" }));
    });
    keeping(root, () => root.replaceChildren(el("div", { class: "board" }, phaseBar(view), facts(view),
      cards.length ? el("div", { class: "board-grid" }, ...cards) : el("p", { class: "muted", text: t("nobody") }))));
  }

  function projector(root, item, ctx) {
    const view = item.view;
    const parts = [phaseBar(view, true)];
    if (view.mode === "room") {
      if (view.phase === "results") parts.push(ranking(view, true));
      else {
        parts.push(el("div", { class: "board-columns large" }, ...view.columns.map((title, col) => el("section", { class: "board-column" },
          el("h2", { text: title, dir: "auto" }),
          el("ul", { class: "board-notes" }, ...view.notes.filter((n) => n.col === col).map((n) =>
            el("li", { class: "board-note" }, el("p", { class: "board-text", text: n.text, dir: "auto" }), byLine(n))))))));
      }
    } else {
      const teams = item.teams || {};
      parts.push(el("div", { class: "board-grid large" }, ...Object.entries(teams).map(([team, entry]) => {
        const v = entry.view;
        return el("article", { class: "board-card" }, el("h2", { text: teamName(ctx || { networks: {} }, team, entry), dir: "auto" }),
          v.top ? ranking({ ranking: v.top }, true)
            : el("ul", { class: "board-counts" }, ...v.columns.map((c, col) => el("li", {}, bdi(c), ": " + v.notes.filter((n) => n.col === col).length))));
      })));
    }
    root.replaceChildren(el("div", { class: "board board-projector" }, ...parts));
  }

  window.Facilitation.exercises.board = { participant, facilitator, projector };
})();
