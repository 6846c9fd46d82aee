/* Ranking: the participant orders the options (drag with SortableJS, on touch as with a mouse,
 * or the Move up / Move down buttons, each move announced), then saves; results are the
 * average rank with the distribution of ranks, overall and, for facilitators, per network
 * (from 3 answers up). People's text is set with textContent only, isolated with dir="auto".
 */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("ranking." + key);

  function results(view, large) {
    const r = view.results;
    if (!r || !r.n) return el("p", { class: "muted", text: s("no_answers") });
    const size = view.options.length;
    return el("ol", { class: "ranking-results" + (large ? " large" : ""), "aria-label": view.question },
      ...r.options.map((o) => {
        const fill = el("span", { class: "bar-fill" });
        // The average rank itself, as in reports: a shorter bar is an option put first more often.
        fill.style.inlineSize = (100 * o.average) / size + "%";
        return el("li", { class: "ranking-result" },
          el("span", { class: "ranking-option", text: o.option, dir: "auto" }),
          el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
          el("span", { class: "ranking-average", text: s("average") + " " + o.average.toFixed(2) }));
      }));
  }

  function distribution(view, r) {
    const size = view.options.length;
    return el("div", { class: "table-wrap" }, el("table", { class: "table ranking-table" },
      el("caption", { class: "visually-hidden", text: s("distribution") }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: s("option") }), el("th", { scope: "col", text: s("average") }),
        ...Array.from({ length: size }, (_, k) => el("th", { scope: "col", class: "num", text: s("position") + " " + (k + 1) })))),
      el("tbody", {}, ...r.options.map((o) => el("tr", {},
        el("th", { scope: "row", text: o.option, dir: "auto" }),
        el("td", { class: "num", text: o.average === null ? "—" : o.average.toFixed(2) }),
        ...o.ranks.map((c) => el("td", { class: "num", text: String(c) })))))));
  }

  function participant(root, item, ctx) {
    const view = item.view;
    if (item.status === "pending") {
      root.replaceChildren(el("p", { class: "muted", text: t("pending") }));
      return;
    }
    const saved = item.personal && item.personal.order;
    const state = root._ranking && root._ranking.item === item.id ? root._ranking : { item: item.id };
    root._ranking = state;
    if (state.dragging) { state.pending = () => participant(root, item, ctx); return; }
    // The order being arranged: kept across redraws (results pushes) until it is saved.
    if (!state.order || (!state.dirty && saved)) state.order = saved ? saved.slice() : view.options.map((_, i) => i);
    if (!state.status) state.status = el("p", { class: "ranking-status", role: "status", "aria-live": "polite" });
    const open = item.status === "open";
    const status = state.status;

    function move(from, to, focusKey) {
      if (to < 0 || to >= state.order.length) return;
      const [picked] = state.order.splice(from, 1);
      state.order.splice(to, 0, picked);
      state.dirty = true;
      status.textContent = view.options[picked] + ": " + s("moved") + " " + (to + 1) + " " + s("of") + " " + state.order.length;
      draw(focusKey ? focusKey + ":" + picked : null);
    }

    function draw(focus) {
      const list = el("ol", { class: "ranking-list", "aria-label": view.question },
        ...state.order.map((option, pos) => el("li", { class: "ranking-item", dataset: { option: String(option) } },
          el("span", { class: "ranking-handle", "aria-hidden": "true", title: s("drag"), text: "⠿" }),
          el("span", { class: "ranking-pos", text: (pos + 1) + "." }),
          el("span", { class: "ranking-text", text: view.options[option], dir: "auto" }),
          el("span", { class: "ranking-moves" },
            el("button", { type: "button", class: "small secondary", dataset: { keep: "up:" + option }, disabled: !open || pos === 0,
              "aria-label": s("up") + ": " + view.options[option], onclick: () => move(pos, pos - 1, pos - 1 === 0 ? "down" : "up") }, "↑"),
            el("button", { type: "button", class: "small secondary", dataset: { keep: "down:" + option }, disabled: !open || pos === state.order.length - 1,
              "aria-label": s("down") + ": " + view.options[option], onclick: () => move(pos, pos + 1, pos + 1 === state.order.length - 1 ? "up" : "down") }, "↓")))));
      const save = el("button", { type: "button", id: "ranking-save", disabled: !open, onclick: () => {
        status.textContent = t("sending");
        ctx.send("rank", { order: state.order.slice() }).then(() => {
          state.dirty = false;
          status.textContent = s("saved");
          ctx.refresh();
        }, (err) => { status.textContent = (err && err.message) || t("not_sent"); });
      } }, saved ? s("change") : s("save"));
      const parts = [el("p", { class: "muted", text: s("help") }), list, el("p", { class: "inline-row" }, save), status];
      if (!open && item.status === "locked") parts.push(el("p", { class: "muted", text: t("locked") }));
      if (view.results) parts.push(el("section", { class: "results" }, el("h3", { text: s("average") }),
        el("p", { class: "muted small", text: s("first_best") }), results(view), distribution(view, view.results)));
      else parts.push(el("p", { class: "muted", text: s("results_hidden") }));
      root.replaceChildren(el("div", { class: "ranking" }, ...parts));
      if (focus) {
        const again = root.querySelector(`[data-keep="${CSS.escape(focus)}"]`);
        if (again) again.focus();
      }
      if (open && window.Sortable) {
        window.Sortable.create(list, {
          animation: 120,
          // The same pointer and touch handling everywhere (not the browser's own drag), so a mouse,
          // a finger and a pen move things alike.
          forceFallback: true,
          handle: ".ranking-item",
          filter: "button",
          preventOnFilter: false,
          delay: 150,
          delayOnTouchOnly: true,
          onStart: () => { state.dragging = true; },
          onEnd: (event) => {
            state.dragging = false;
            if (event.oldIndex !== event.newIndex) move(event.oldIndex, event.newIndex, null);
            const pending = state.pending;
            state.pending = null;
            if (pending) pending();
          },
        });
      }
    }
    draw(document.activeElement && root.contains(document.activeElement) && document.activeElement.dataset
      ? document.activeElement.dataset.keep : null);
  }

  function networksTable(view, ctx) {
    const entries = Object.entries(view.by_network || {});
    if (!entries.length) return null;
    return el("section", {}, el("h3", { text: s("by_network") }), ...entries.map(([id, r]) =>
      el("section", { class: "ranking-network" }, el("h4", {}, bdi(ctx.networks[id] || "#" + id), " (" + s("answers") + ": " + r.n + ")"),
        r.hidden ? el("p", { class: "muted", text: s("few") }) : distribution(view, r))));
  }

  function facilitator(root, item, ctx) {
    const view = item.view;
    const r = view.results || { n: 0 };
    root.replaceChildren(el("div", { class: "ranking" },
      el("p", { class: "muted total", text: s("answers") + ": " + r.n }),
      el("p", { class: "muted small", text: s("first_best") }),
      results(view), r.n ? distribution(view, r) : null, networksTable(view, ctx)));
  }

  function projector(root, item) {
    const view = item.view;
    if (view.results) root.replaceChildren(el("div", { class: "ranking" }, results(view, true),
      el("p", { class: "muted total", text: s("answers") + ": " + view.results.n })));
    else root.replaceChildren(el("p", { class: "big-count", text: s("answers") + ": " + (view.answered || 0) }));
  }

  window.Facilitation.exercises.ranking = { participant, facilitator, projector };
})();
