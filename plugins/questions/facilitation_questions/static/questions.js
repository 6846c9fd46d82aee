/* Questions with upvotes: participants ask and upvote, the facilitator moderates, the projector
 * shows the pinned and the top questions.
 *
 * Live order without jumps: results arrive several times a second while people vote. Each
 * view is built once per exercise and then updated in place (votes, badges, buttons keep their
 * node, so focus and the reader's place stay). On phones and on the console the list keeps the
 * order it was drawn in: a new question joins the end of the list (where, with no votes yet, it
 * belongs), and a new ranking waits behind a "Show the new order" button at the foot of the
 * screen (in the newest-first order, new questions wait there too, and it says how many); a
 * question the facilitator removes leaves a line of the same height saying so. Only the projector, which nobody touches,
 * takes each new ranking at once, its rows sliding to their places (unless the reader asked for
 * reduced motion).
 */
(function () {
  "use strict";
  const { el, bdi, t, kept } = window.Facilitation;

  const s = (key, values) => t("questions." + key, values);

  /* The question a merged one now counts in (a phone's list may be older than the merge). */
  function resolve(view, id) {
    let current = id;
    for (let i = 0; i < 50 && view.into && view.into[current]; i += 1) current = view.into[current];
    return current;
  }

  function notify(err) {
    window.Facilitation.toast((err && err.message) || t("not_sent"));
  }

  /* Children of `list` in the order of `ids`, moving only the nodes that are out of place. */
  function place(list, ids, nodes) {
    let previous = null;
    for (const id of ids) {
      const node = nodes.get(id);
      if (!node) continue;
      const wanted = previous ? previous.nextSibling : list.firstChild;
      if (wanted !== node) list.insertBefore(node, wanted);
      previous = node;
    }
    for (const child of [...list.children]) if (!ids.includes(Number(child.dataset.id))) child.remove();
  }

  /* A list drawn in a kept order (see the top of this file). `make(q)` builds a row, `update(row, q)`
     refreshes it; `draw(entries, gone, adopt, append)` returns how many entries wait to be shown and
     whether the wanted order differs from the one shown. With `append`, new entries join the end of
     the list at once (nothing above the reader moves); else they wait too. */
  class StableList {
    constructor(list, make, update) {
      this.list = list;
      this.make = make;
      this.update = update;
      this.order = [];
      this.nodes = new Map();
    }

    draw(entries, gone, adopt, append) {
      const byId = new Map(entries.map((q) => [q.id, q]));
      if (adopt || !this.order.length) this.order = entries.map((q) => q.id);
      else if (append) for (const q of entries) if (!this.order.includes(q.id)) this.order.push(q.id);
      // Without `gone` (the console, where the facilitator removed it) a question that left goes at once.
      if (!gone) this.order = this.order.filter((id) => byId.has(id));
      for (const id of this.order) {
        const q = byId.get(id);
        let node = this.nodes.get(id);
        if (q) {
          if (!node || node.dataset.gone) {
            const fresh = this.make(q);
            if (node) node.replaceWith(fresh);
            node = fresh;
            this.nodes.set(id, node);
          }
          this.update(node, q);
        } else if (node && gone(id) && !node.dataset.gone) {
          // Removed or merged: a line of the same height says so, until the new order is shown.
          const height = node.getBoundingClientRect().height;
          const line = el("li", { class: "q-item q-gone", dataset: { id: String(id), gone: "1" } },
            el("p", { class: "muted", text: gone(id) }));
          if (height) line.style.minBlockSize = height + "px";
          node.replaceWith(line);
          this.nodes.set(id, line);
        }
      }
      for (const id of [...this.nodes.keys()]) if (!this.order.includes(id)) this.nodes.delete(id);
      place(this.list, this.order, this.nodes);
      const fresh = entries.filter((q) => !this.order.includes(q.id)).length;
      const shown = this.order.filter((id) => byId.has(id));
      const wanted = entries.map((q) => q.id).filter((id) => shown.includes(id));
      const moved = shown.join(",") !== wanted.join(",") || shown.length !== this.order.length;
      return { fresh, moved };
    }
  }

  /* The bar at the foot of the list: how many questions are new, and the button that shows them. */
  function newsBar(onShow) {
    const text = el("span", { class: "q-news-text" });
    const button = el("button", { type: "button", class: "small", onclick: onShow }, s("reorder"));
    const bar = el("div", { class: "q-news", hidden: true }, el("span", { role: "status" }, text), button);
    return {
      bar,
      button,
      show(result) {
        const waiting = result.fresh > 0 || result.moved;
        text.textContent = result.fresh > 0 ? s("news", { n: result.fresh }) : result.moved ? s("moved") : "";
        bar.hidden = !waiting;
      },
    };
  }

  function who(q) {
    return q.name ? el("span", { class: "q-who" }, bdi(q.name)) : el("span", { class: "q-who muted", text: s("anonymous") });
  }

  function badges(q, extra) {
    return el("span", { class: "q-badges" },
      q.pinned ? el("span", { class: "badge badge-info", text: s("pinned") }) : null,
      q.answered ? el("span", { class: "badge badge-success", text: s("answered") }) : null,
      ...(extra || []));
  }

  function gone(view) {
    const removed = new Set(view.gone || []);
    return (id) => (!removed.has(id) ? null : view.into && view.into[id] ? s("moved_into") : s("removed"));
  }

  function popular(view) {
    return view.questions || [];
  }

  function newest(view) {
    return [...(view.questions || [])].sort((a, b) => b.at - a.at || b.id - a.id);
  }

  // participant -----------------------------------------------------------------------------

  function buildParticipant(ctx) {
    const state = { sort: "popular", view: null, personal: {}, open: false, adopt: false, mine: new Set(), voted: new Set() };
    const text = el("textarea", { id: "q-text", name: "text", rows: "3", dir: "auto", "aria-describedby": "q-notes q-chars" });
    const chars = el("p", { class: "help", id: "q-chars" });
    const notes = el("p", { class: "help", id: "q-notes" });
    const anonymous = el("input", { type: "checkbox", id: "q-anon" });
    const anonymousRow = el("label", { class: "check", for: "q-anon" }, anonymous, s("ask_anonymously"));
    const send = el("button", { type: "submit" }, s("ask"));
    const status = el("p", { class: "q-status", role: "status" });
    const left = el("p", { class: "muted small" });
    const form = el("form", { class: "q-ask", novalidate: true },
      el("div", { class: "field" },
        el("label", { for: "q-text", text: s("your_question") }), notes, text, chars), anonymousRow, send, status, left);

    const mineList = el("ul", { class: "q-mine-list" });
    const mine = el("section", { class: "q-mine", hidden: true }, el("h3", { text: s("mine") }), mineList);

    const sortButtons = ["popular", "recent"].map((key) => el("button", {
      type: "button", class: "small secondary", "aria-pressed": key === state.sort ? "true" : "false",
      dataset: { sort: key }, onclick: () => {
        state.sort = key;
        for (const b of sortButtons) b.setAttribute("aria-pressed", b.dataset.sort === key ? "true" : "false");
        draw(true);
      },
    }, s(key)));
    const list = el("ol", { class: "q-list", "aria-live": "off" });
    const empty = el("p", { class: "muted", text: s("none") });
    const more = el("p", { class: "muted small" });
    const news = newsBar(() => {
      draw(true);
      heading.focus();
    });
    const heading = el("h3", { tabindex: "-1", text: s("questions") });
    const room = el("section", { class: "q-room" },
      el("div", { class: "q-toolbar" }, heading,
        el("div", { class: "q-sort", role: "group", "aria-label": s("sort") }, ...sortButtons)),
      empty, list, more, news.bar);

    const rows = new StableList(list, (q) => {
      const count = el("span", { class: "q-count" });
      const vote = el("button", { type: "button", class: "q-vote secondary", onclick: () => toggle(q.id, vote) },
        el("span", { "aria-hidden": "true", text: "▲" }),
        el("span", { class: "visually-hidden", text: s("upvote") + ", " + s("votes") + ":" }), count);
      const own = el("span", { class: "q-own" }, el("span", { class: "badge badge-warning", text: s("yours") }),
        el("span", { class: "q-own-count" }));
      return el("li", { class: "q-item", dataset: { id: String(q.id) } },
        el("div", { class: "q-body" }, el("p", { class: "q-text", dir: "auto" }), el("p", { class: "q-meta" })),
        el("div", { class: "q-side" }, vote, own));
    }, (node, q) => {
      node.querySelector(".q-text").textContent = q.text;
      node.querySelector(".q-meta").replaceChildren(who(q), " ", badges(q));
      const vote = node.querySelector(".q-vote");
      const own = node.querySelector(".q-own");
      const isMine = state.mine.has(q.id);
      vote.hidden = isMine;
      own.hidden = !isMine;
      own.querySelector(".q-own-count").textContent = " " + s("votes") + ": " + q.votes;
      vote.querySelector(".q-count").textContent = String(q.votes);
      vote.setAttribute("aria-pressed", state.voted.has(q.id) ? "true" : "false");
      vote.title = state.voted.has(q.id) ? s("upvoted") : s("upvote");
      vote.disabled = !state.open;
    });

    function toggle(id, button) {
      const up = button.getAttribute("aria-pressed") !== "true";
      ctx.send("vote", { question: id, up }).then(() => ctx.refresh(), notify);
    }

    text.addEventListener("input", () => {
      chars.textContent = s("chars_left", { n: Math.max(0, (state.view ? state.view.max_text : 280) - text.value.length) });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = text.value.trim();
      if (!value) {
        text.focus();
        return;
      }
      status.textContent = t("sending");
      send.disabled = true;
      ctx.send("ask", { text: value, anonymous: anonymous.checked }).then(() => {
        text.value = "";
        text.dispatchEvent(new Event("input"));
        status.textContent = state.view && state.view.moderation === "held" ? s("sent_held") : s("sent");
        ctx.refresh();
      }, (err) => {
        status.textContent = (err && err.message) || t("not_sent");
      }).finally(() => {
        send.disabled = !state.open;
      });
    });

    function statusOf(q, view) {
      const removed = new Set(view.gone || []);
      const published = new Map((view.questions || []).map((p) => [p.id, p]));
      if (removed.has(q.id)) return view.into && view.into[q.id] ? "merged" : "hidden";
      if (published.has(q.id)) return published.get(q.id).answered ? "answered" : "published";
      return q.status === "published" && q.answered ? "answered" : q.status;
    }

    function drawMine() {
      const asked = state.personal.asked || [];
      mine.hidden = !asked.length;
      mineList.replaceChildren(...asked.map((q) => {
        const status = statusOf(q, state.view);
        const style = { held: "badge-warning", hidden: "badge-danger", answered: "badge-success" }[status] || "badge-info";
        return el("li", { dataset: { id: String(q.id) } }, el("span", { dir: "auto", text: q.text }), " ",
          el("span", { class: "badge " + style, text: s(status) }), q.anon ? el("span", { class: "muted small", text: " · " + s("anonymous") }) : null);
      }));
    }

    function draw(adopt) {
      const view = state.view;
      // Most voted: a new question has no votes yet, its place is at the end; newest: at the top, so it waits.
      const recent = state.sort === "recent";
      const result = rows.draw(recent ? newest(view) : popular(view), gone(view), adopt, !recent);
      news.show(result);
      empty.hidden = (view.questions || []).length > 0 || rows.order.length > 0;
      more.textContent = view.total > (view.questions || []).length
        ? s("more", { shown: (view.questions || []).length, total: view.total }) : "";
    }

    return {
      container: el("div", { class: "q-participant" }, form, mine, room),
      update(item) {
        const view = item.view;
        state.view = view;
        state.personal = item.personal || {};
        state.open = item.status === "open";
        state.mine = new Set((state.personal.asked || []).map((q) => q.id));
        state.voted = new Set((state.personal.voted || []).map((id) => resolve(view, id)));
        const names = view.names;
        anonymousRow.hidden = names !== "choice";
        notes.replaceChildren(
          names === "anonymous" ? s("anonymous_note") : names === "named" ? s("named_note") : "",
          names !== "choice" && view.moderation === "held" ? " " : "",
          view.moderation === "held" ? s("held_note") : "");
        text.setAttribute("maxlength", String(view.max_text));
        if (!chars.textContent) chars.textContent = s("chars_left", { n: view.max_text });
        const canAsk = state.open && state.personal.left !== 0;
        text.disabled = !canAsk;
        send.disabled = !canAsk;
        anonymous.disabled = !canAsk;
        left.textContent = item.status === "pending" ? t("pending") : item.status === "locked" ? t("locked")
          : typeof state.personal.left === "number" ? s("left", { n: state.personal.left }) : "";
        drawMine();
        // "Shown once the facilitator approves it" is said only while a question of theirs waits.
        if (status.textContent === s("sent_held") && !(state.personal.asked || []).some((q) => statusOf(q, view) === "held")) {
          status.textContent = "";
        }
        draw(false);
      },
    };
  }

  function participant(root, item, ctx) {
    kept(root, item, () => buildParticipant(ctx)).update(item);
  }

  // facilitator -----------------------------------------------------------------------------

  function buildFacilitator(ctx) {
    const state = { view: null, open: false };
    const act = (type, payload) => ctx.send(type, payload).catch(notify);
    const moderate = (id, what) => act("moderate", { question: id, do: what });
    const totals = el("p", { class: "q-totals" });

    const heldCount = el("span");
    const heldList = el("ol", { class: "q-held", "aria-live": "off" });
    const heldNodes = new Map();
    const heldEmpty = el("p", { class: "muted", text: s("none_console") });
    const held = el("section", { class: "q-section" }, el("h3", {}, s("waiting"), " ", heldCount), heldEmpty, heldList);

    const list = el("ol", { class: "q-list", "aria-live": "off" });
    const heading = el("h3", { tabindex: "-1", text: s("questions") });
    const empty = el("p", { class: "muted", text: s("none_console") });
    const news = newsBar(() => {
      draw(true);
      heading.focus();
    });
    const published = el("section", { class: "q-section" }, heading, empty, list, news.bar);

    const hiddenCount = el("span");
    const hiddenList = el("ul", { class: "q-hidden", "aria-live": "off" });
    const hiddenNodes = new Map();
    const hidden = el("details", { class: "q-section" }, el("summary", {}, s("hidden_list"), " ", hiddenCount), hiddenList);
    const networks = el("div", { class: "table-wrap" });

    function row(q, buttons) {
      return el("li", { class: "q-item", dataset: { id: String(q.id) } },
        el("div", { class: "q-body" }, el("p", { class: "q-text", dir: "auto" }), el("p", { class: "q-meta" })),
        el("div", { class: "q-actions" }, ...buttons));
    }

    function fill(node, q, extra) {
      node.querySelector(".q-text").textContent = q.text;
      node.querySelector(".q-meta").replaceChildren(who(q), " ", badges(q, extra));
      for (const b of node.querySelectorAll(".q-actions button")) b.disabled = !state.open;
    }

    const rows = new StableList(list, (q) => {
      const id = q.id;
      const target = el("select", { id: "q-merge-" + id, class: "q-merge-target" });
      const merge = el("details", { class: "q-merge" }, el("summary", { text: s("merge_with") }),
        el("div", { class: "inline-row" },
          el("label", { for: "q-merge-" + id }, s("merge_into"), target),
          el("button", { type: "button", class: "small", onclick: () => target.value && act("merge", { question: id, into: Number(target.value) }) }, s("merge"))));
      const votes = el("span", { class: "q-votes" });
      return row(q, [votes,
        el("button", { type: "button", class: "small secondary", dataset: { do: "pin" }, onclick: (e) => moderate(id, e.currentTarget.dataset.next) }),
        el("button", { type: "button", class: "small secondary", dataset: { do: "answered" }, onclick: (e) => moderate(id, e.currentTarget.dataset.next) }),
        el("button", { type: "button", class: "small danger", dataset: { do: "hide" }, onclick: () => moderate(id, "hide") }, s("hide")),
        merge]);
    }, (node, q) => {
      fill(node, q);
      node.querySelector(".q-votes").textContent = s("votes") + ": " + q.votes;
      const pin = node.querySelector('[data-do="pin"]');
      pin.dataset.next = q.pinned ? "unpin" : "pin";
      pin.textContent = q.pinned ? s("unpin") : s("pin");
      const answered = node.querySelector('[data-do="answered"]');
      answered.dataset.next = q.answered ? "unanswered" : "answered";
      answered.textContent = q.answered ? s("mark_unanswered") : s("mark_answered");
      const select = node.querySelector(".q-merge-target");
      const others = (state.view.questions || []).filter((o) => o.id !== q.id);
      const wanted = others.map((o) => o.id + ":" + o.text).join("\n");
      if (select.dataset.options !== wanted) {
        const chosen = select.value;
        select.replaceChildren(...others.map((o) => el("option", { value: String(o.id), dir: "auto", selected: String(o.id) === chosen },
          o.text.length > 80 ? o.text.slice(0, 79) + "…" : o.text)));
        select.dataset.options = wanted;
      }
      select.disabled = !state.open;
    });

    /* Held and hidden questions: rows kept by id, in the order they came (new ones at the end). */
    function keyed(list, nodes, questions, buttons) {
      const ids = questions.map((q) => q.id);
      for (const q of questions) {
        let node = nodes.get(q.id);
        if (!node) {
          node = row(q, buttons(q));
          nodes.set(q.id, node);
        }
        fill(node, q);
      }
      for (const id of [...nodes.keys()]) if (!ids.includes(id)) nodes.delete(id);
      place(list, ids, nodes);
      return ids.length;
    }

    function drawHeld(view) {
      const n = keyed(heldList, heldNodes, view.held || [], (q) => [
        el("button", { type: "button", class: "small", onclick: () => moderate(q.id, "approve") }, s("approve")),
        el("button", { type: "button", class: "small danger", onclick: () => moderate(q.id, "hide") }, s("hide"))]);
      heldCount.textContent = "(" + n + ")";
      heldEmpty.hidden = n > 0;
    }

    function drawHidden(view) {
      const n = keyed(hiddenList, hiddenNodes, view.hidden || [], (q) => [
        el("button", { type: "button", class: "small secondary", onclick: () => moderate(q.id, "restore") }, s("restore"))]);
      hiddenCount.textContent = "(" + n + ")";
    }

    function drawNetworks(view) {
      const entries = Object.entries(view.by_network || {});
      if (!entries.length) {
        networks.replaceChildren();
        return;
      }
      const cell = (value) => el("td", { class: "num", text: value === null || value === undefined ? s("few") : String(value) });
      networks.replaceChildren(el("table", { class: "table q-networks" },
        el("caption", { text: s("by_network") }),
        el("thead", {}, el("tr", {}, ...["network", "askers", "asked", "voters", "votes"].map((k) => el("th", { scope: "col", text: s(k) })))),
        el("tbody", {}, ...entries.map(([id, c]) => el("tr", {},
          el("th", { scope: "row", dir: "auto", text: ctx.networks[id] || "#" + id }),
          cell(c.askers), cell(c.asked), cell(c.voters), cell(c.votes))))));
    }

    function draw(adopt) {
      const view = state.view;
      news.show(rows.draw(popular(view), null, adopt, true));
      empty.hidden = (view.questions || []).length > 0 || rows.order.length > 0;
    }

    return {
      container: el("div", { class: "q-console" }, totals, held, published, hidden, networks),
      update(item) {
        const view = item.view;
        state.view = view;
        state.open = item.status === "open";
        totals.textContent = s("totals", { p: view.total, h: (view.held || []).length, v: view.votes || 0 });
        held.hidden = view.moderation !== "held" && !(view.held || []).length;
        drawHeld(view);
        draw(false);
        drawHidden(view);
        drawNetworks(view);
      },
    };
  }

  function facilitator(root, item, ctx) {
    kept(root, item, () => buildFacilitator(ctx)).update(item);
  }

  // projector -------------------------------------------------------------------------------

  /* Rows slide from where they were to their new places (FLIP), unless motion is reduced. */
  function slide(list, change) {
    const still = !list.animate || (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    const before = new Map();
    if (!still) for (const node of list.children) before.set(node, node.getBoundingClientRect().top);
    change();
    if (still) return;
    for (const node of list.children) {
      const top = before.get(node);
      const delta = top === undefined ? 0 : top - node.getBoundingClientRect().top;
      if (delta) node.animate([{ transform: "translateY(" + delta + "px)" }, { transform: "none" }], { duration: 450, easing: "ease-out" });
    }
  }

  function buildProjector() {
    const pinnedList = el("ul", { class: "q-proj-pinned" });
    const pinned = el("section", { class: "q-proj-section" }, el("h2", { text: s("pinned_list") }), pinnedList);
    const topList = el("ol", { class: "q-proj-top" });
    const empty = el("p", { class: "q-proj-empty muted", text: s("none_console") });
    const top = el("section", { class: "q-proj-section" }, el("h2", { text: s("top") }), empty, topList);
    const count = el("p", { class: "q-proj-count" });
    const nodes = new Map();

    function rowOf(q) {
      let node = nodes.get(q.id);
      if (!node) {
        node = el("li", { class: "q-proj-item", dataset: { id: String(q.id) } },
          el("span", { class: "q-proj-votes" }, el("span", { class: "q-proj-n" }), el("span", { class: "q-proj-label", text: " " + s("votes") })),
          el("span", { class: "q-proj-body" }, el("span", { class: "q-proj-text", dir: "auto" }), el("span", { class: "q-proj-who" })));
        nodes.set(q.id, node);
      }
      node.querySelector(".q-proj-n").textContent = String(q.votes);
      node.querySelector(".q-proj-text").textContent = q.text;
      node.querySelector(".q-proj-who").replaceChildren(...(q.name ? [bdi(q.name)] : []));
      return node;
    }

    return {
      container: el("div", { class: "q-projector" }, pinned, top, count),
      update(item) {
        const view = item.view;
        const pins = view.pinned || [];
        const best = view.top || [];
        for (const q of [...pins, ...best]) rowOf(q);
        const keep = new Set([...pins, ...best].map((q) => q.id));
        for (const id of [...nodes.keys()]) if (!keep.has(id)) nodes.delete(id);
        slide(pinnedList, () => place(pinnedList, pins.map((q) => q.id), nodes));
        slide(topList, () => place(topList, best.map((q) => q.id), nodes));
        pinned.hidden = !pins.length;
        top.hidden = !best.length && pins.length > 0;
        empty.hidden = best.length > 0;
        count.textContent = s("count", { n: view.total, a: view.answered || 0 });
      },
    };
  }

  function projector(root, item) {
    kept(root, item, buildProjector).update(item);
  }

  window.Facilitation.exercises.questions = { participant, facilitator, projector };
})();
