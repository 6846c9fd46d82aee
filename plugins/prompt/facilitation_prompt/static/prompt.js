/* The prompt card: participants reply, the facilitator highlights and hides, the projector shows
 * the prompt, the highlighted replies and the newest ones.
 *
 * The wall only grows at its end: a reply keeps its place once shown (a hidden or taken back one
 * leaves a line of the same height), and each view is updated in place, so nothing jumps under
 * the reader's finger and buttons keep the keyboard focus while replies arrive.
 */
(function () {
  "use strict";
  const { el, bdi, t, kept } = window.Facilitation;

  const s = (key, values) => t("prompt." + key, values);

  function notify(err) {
    window.Facilitation.toast((err && err.message) || t("not_sent"));
  }

  /* Rows of `list` by reply id, new ones appended. A row no longer listed is removed, or, when
     `gone(id)` gives a text, becomes a line of the same height saying it. */
  function grow(list, nodes, replies, make, update, gone) {
    const present = new Set(replies.map((r) => r.id));
    for (const r of replies) {
      let node = nodes.get(r.id);
      if (!node) {
        node = make(r);
        nodes.set(r.id, node);
        list.append(node);
      }
      update(node, r);
    }
    for (const [id, node] of [...nodes]) {
      if (present.has(id) || node.dataset.gone) continue;
      const text = gone ? gone(id) : null;
      if (!gone) {
        node.remove();
        nodes.delete(id);
      } else if (text) {
        const height = node.getBoundingClientRect().height;
        const line = el("li", { class: "p-card p-gone", dataset: { id: String(id), gone: "1" } }, el("p", { class: "muted", text }));
        if (height) line.style.minBlockSize = height + "px";
        node.replaceWith(line);
        nodes.set(id, line);
      }
    }
  }

  function prompt(view, large) {
    return el("figure", { class: "p-prompt" + (large ? " p-prompt-large" : "") },
      el("blockquote", { dir: "auto", text: view.prompt }),
      view.ask ? el("figcaption", { dir: "auto", text: view.ask }) : null);
  }

  function card(r) {
    return el("li", { class: "p-card", dataset: { id: String(r.id) } },
      el("p", { class: "p-text", dir: "auto" }), el("p", { class: "p-meta" }));
  }

  function fillCard(node, r, extra) {
    node.querySelector(".p-text").textContent = r.text;
    node.classList.toggle("p-hl", !!r.hl);
    node.querySelector(".p-meta").replaceChildren(...[
      r.name ? bdi(r.name) : el("span", { class: "muted", text: s("anonymous") }),
      r.hl ? el("span", { class: "badge badge-info", text: "★ " + s("highlighted") }) : null,
      ...(extra || [])].filter(Boolean));
  }

  // participant -----------------------------------------------------------------------------

  function buildParticipant(ctx) {
    const state = { view: null, personal: {}, open: false };
    const head = el("div", { class: "p-head" });
    const input = el("input", { type: "text", id: "p-text", name: "text", dir: "auto", autocomplete: "off", "aria-describedby": "p-note p-chars" });
    const note = el("p", { class: "help", id: "p-note" });
    const chars = el("p", { class: "help", id: "p-chars" });
    const send = el("button", { type: "submit" }, s("send"));
    const status = el("p", { class: "p-status", role: "status" });
    const left = el("p", { class: "muted small" });
    const form = el("form", { class: "p-form", novalidate: true },
      el("div", { class: "field" }, el("label", { for: "p-text", text: s("your_reply") }), note, input, chars), send, status, left);
    const mineList = el("ul", { class: "p-mine-list" });
    const mine = el("section", { class: "p-mine", hidden: true }, el("h3", { text: s("mine") }), mineList);
    const wallList = el("ul", { class: "p-wall", "aria-live": "off" });
    const wallNodes = new Map();
    const empty = el("p", { class: "muted", text: s("none") });
    const noWall = el("p", { class: "muted", text: s("no_wall") });
    const wall = el("section", { class: "p-room" }, el("h3", { text: s("wall") }), empty, noWall, wallList);

    input.addEventListener("input", () => {
      chars.textContent = s("chars_left", { n: Math.max(0, (state.view ? state.view.max_text : 200) - input.value.length) });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) {
        input.focus();
        return;
      }
      status.textContent = t("sending");
      send.disabled = true;
      ctx.send("reply", { text }).then(() => {
        input.value = "";
        input.dispatchEvent(new Event("input"));
        status.textContent = s("sent");
        ctx.refresh();
      }, (err) => {
        status.textContent = (err && err.message) || t("not_sent");
      }).finally(() => {
        send.disabled = !state.open;
      });
    });

    /* The person's own replies: whether one is hidden comes with the room's wall (their own part
       is sent to them only with their actions and snapshots). */
    function drawMine() {
      const list = state.personal.mine || [];
      const view = state.view;
      const removed = new Set(view.gone || []);
      const shown = new Set((view.replies || []).map((r) => r.id));
      const hidden = (r) => removed.has(r.id) || (r.hidden && !shown.has(r.id));
      mine.hidden = !list.length;
      mineList.replaceChildren(...list.map((r) => el("li", { dataset: { id: String(r.id) } },
        el("span", { dir: "auto", text: r.text }), " ",
        hidden(r) ? el("span", { class: "badge badge-danger", text: s("hidden") })
          : el("button", { type: "button", class: "small secondary", disabled: !state.open,
                           onclick: () => ctx.send("withdraw", { reply: r.id }).then(() => ctx.refresh(), notify) }, s("withdraw")))));
    }

    return {
      container: el("div", { class: "p-participant" }, head, form, mine, wall),
      update(item) {
        const view = item.view;
        state.view = view;
        state.personal = item.personal || {};
        state.open = item.status === "open";
        head.replaceChildren(prompt(view));
        note.textContent = view.anonymous ? s("anonymous_note") : s("named_note");
        input.setAttribute("maxlength", String(view.max_text));
        if (!chars.textContent) chars.textContent = s("chars_left", { n: view.max_text });
        const canSend = state.open && state.personal.left !== 0;
        input.disabled = !canSend;
        send.disabled = !canSend;
        left.textContent = item.status === "pending" ? t("pending") : item.status === "locked" ? t("locked")
          : typeof state.personal.left === "number" ? s("left", { n: state.personal.left }) : "";
        drawMine();
        noWall.hidden = view.wall;
        wallList.hidden = !view.wall;
        if (view.wall) {
          // Hidden, or taken back: ids only grow, so a missing one newer than the oldest listed left the
          // wall; an older one only scrolled out of the newest the server sends, and stays as it was.
          const replies = view.replies || [];
          const removed = new Set(view.gone || []);
          const oldest = replies.length ? replies[0].id : Infinity;
          grow(wallList, wallNodes, replies, card, (node, r) => fillCard(node, r),
            (id) => (removed.has(id) || id > oldest ? s("removed") : null));
        }
        empty.hidden = !view.wall || wallNodes.size > 0;
      },
    };
  }

  function participant(root, item, ctx) {
    kept(root, item, () => buildParticipant(ctx)).update(item);
  }

  // facilitator -----------------------------------------------------------------------------

  function buildFacilitator(ctx) {
    const state = { open: false };
    const head = el("div", { class: "p-head" });
    const count = el("p", { class: "p-count" });
    const wallList = el("ul", { class: "p-wall p-wall-console", "aria-live": "off" });
    const nodes = new Map();
    const empty = el("p", { class: "muted", text: s("none") });
    const networks = el("div", { class: "table-wrap" });

    function make(r) {
      const node = card(r);
      node.append(el("div", { class: "p-actions" },
        el("button", { type: "button", class: "small secondary", dataset: { do: "highlight" },
                       onclick: (e) => ctx.send("highlight", { reply: r.id, on: e.currentTarget.dataset.on === "1" }).catch(notify) }),
        el("button", { type: "button", class: "small secondary", dataset: { do: "hide" },
                       onclick: (e) => ctx.send("hide", { reply: r.id, on: e.currentTarget.dataset.on === "1" }).catch(notify) })));
      return node;
    }

    function update(node, r) {
      fillCard(node, r, r.hidden ? [el("span", { class: "badge badge-danger", text: s("hidden") })] : []);
      node.classList.toggle("p-hidden", !!r.hidden);
      const hl = node.querySelector('[data-do="highlight"]');
      hl.dataset.on = r.hl ? "0" : "1";
      hl.textContent = r.hl ? s("unhighlight") : s("highlight");
      hl.hidden = !!r.hidden;
      const hide = node.querySelector('[data-do="hide"]');
      hide.dataset.on = r.hidden ? "0" : "1";
      hide.textContent = r.hidden ? s("show") : s("hide");
      for (const b of node.querySelectorAll("button")) b.disabled = !state.open;
    }

    function drawNetworks(view) {
      const entries = Object.entries(view.by_network || {});
      const cell = (value) => el("td", { class: "num", text: value === null || value === undefined ? s("few") : String(value) });
      networks.replaceChildren(...(entries.length ? [el("table", { class: "table" },
        el("caption", { text: s("by_network") }),
        el("thead", {}, el("tr", {}, ...["network", "people", "replies"].map((k) => el("th", { scope: "col", text: s(k) })))),
        el("tbody", {}, ...entries.map(([id, c]) => el("tr", {},
          el("th", { scope: "row", dir: "auto", text: ctx.networks[id] || "#" + id }), cell(c.people), cell(c.replies)))))] : []));
    }

    return {
      container: el("div", { class: "p-console" }, head, count, empty, wallList, networks),
      update(item) {
        const view = item.view;
        state.open = item.status === "open";
        head.replaceChildren(prompt(view));
        count.textContent = s("count", { n: view.count });
        grow(wallList, nodes, view.replies || [], make, update, null);
        empty.hidden = nodes.size > 0;
        drawNetworks(view);
      },
    };
  }

  function facilitator(root, item, ctx) {
    kept(root, item, () => buildFacilitator(ctx)).update(item);
  }

  // projector -------------------------------------------------------------------------------

  function buildProjector() {
    const head = el("div", { class: "p-head" });
    const highlighted = el("ul", { class: "p-proj-hl" });
    const latest = el("ul", { class: "p-proj-wall" });
    const count = el("p", { class: "p-proj-count" });
    const hlNodes = new Map();
    const wallNodes = new Map();
    return {
      container: el("div", { class: "p-projector" }, head, highlighted, latest, count),
      update(item) {
        const view = item.view;
        head.replaceChildren(prompt(view, true));
        grow(highlighted, hlNodes, view.highlighted || [], card, (node, r) => fillCard(node, r), null);
        grow(latest, wallNodes, view.replies || [], card, (node, r) => fillCard(node, r), null);
        highlighted.hidden = !hlNodes.size;
        count.textContent = s("count", { n: view.count });
      },
    };
  }

  function projector(root, item) {
    kept(root, item, buildProjector).update(item);
  }

  window.Facilitation.exercises.prompt = { participant, facilitator, projector };
})();
