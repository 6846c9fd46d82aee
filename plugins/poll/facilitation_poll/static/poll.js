/* Live poll views: participant (answer), facilitator (results, by network), projector (presenter mode). */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("poll." + key);

  function labels(view) {
    if (view.kind === "scale") return ["1", "2", "3", "4", "5"];
    return view.options;
  }

  /* Results as bars with their figures. `reveal`: drawn from zero and grown to their value (a CSS
     transition, which app.css gives only to people who have not asked for reduced motion). */
  function bars(view, results, large, reveal) {
    if (view.kind === "open") return cloud(results.words || []);
    const total = results.total || 0;
    const names = labels(view);
    const max = Math.max(1, ...results.counts);
    return el("ol", { class: "bars" + (large ? " bars-large" : "") + (reveal ? " revealing" : ""), "aria-label": view.question },
      ...names.map((name, i) => {
        const count = results.counts[i] || 0;
        const pct = total ? Math.round((100 * count) / total) : 0;
        const fill = el("span", { class: "bar-fill" });
        const size = (100 * count) / max + "%";
        if (reveal) fill.dataset.size = size;
        else fill.style.inlineSize = size;
        return el("li", { class: "bar" },
          el("span", { class: "bar-label", text: name, dir: "auto" }),
          el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
          el("span", { class: "bar-value", text: count + " (" + pct + "%)" })
        );
      })
    );
  }

  function grow(root) {
    const fills = root.querySelectorAll(".bar-fill[data-size]");
    if (!fills.length) return;
    void root.offsetWidth; // the zero width is laid out first, so that the change is animated
    for (const fill of fills) fill.style.inlineSize = fill.dataset.size;
  }

  function cloud(words) {
    if (!words.length) return el("p", { class: "muted", text: s("no_answers") });
    const max = Math.max(...words.map((w) => w.count));
    return el("ul", { class: "cloud" },
      ...words.map((w) => {
        const node = el("li", { text: w.text, title: String(w.count), dir: "auto" });
        node.style.fontSize = (1 + 1.8 * (w.count / max)).toFixed(2) + "em";
        return node;
      })
    );
  }

  function totalLine(results) {
    return el("p", { class: "muted total", text: s("answers") + ": " + results.total });
  }

  function participant(root, item, ctx) {
    const view = item.view;
    const answer = item.personal ? item.personal.answer : null;
    const open = item.status === "open";
    const status = el("p", { class: "poll-status", role: "status", "aria-live": "polite" });
    const parts = [];

    function send(value) {
      status.textContent = t("sending");
      ctx.send("answer", { value }).then(
        () => ctx.refresh(), // shows the answer chosen, and "saved"
        (err) => { status.textContent = err.message || t("not_sent"); }
      );
    }

    if (item.status === "pending") {
      parts.push(el("p", { class: "muted", text: t("pending") }));
    } else if (view.kind === "single" || view.kind === "scale") {
      const names = labels(view);
      const group = el("div", { class: "choices" + (view.kind === "scale" ? " scale" : ""), role: "group", "aria-label": view.question },
        ...names.map((name, i) => {
          const value = view.kind === "scale" ? i + 1 : i;
          return el("button", {
            type: "button", class: "choice", "aria-pressed": answer === value ? "true" : "false",
            disabled: !open, onclick: () => send(value),
          }, bdi(name));
        })
      );
      parts.push(group);
      if (view.kind === "scale" && (view.scale_low || view.scale_high)) {
        parts.push(el("p", { class: "scale-labels" }, el("span", {}, "1 = ", bdi(view.scale_low)), el("span", {}, "5 = ", bdi(view.scale_high))));
      }
    } else if (view.kind === "multiple") {
      const chosen = new Set(Array.isArray(answer) ? answer : []);
      const boxes = view.options.map((name, i) =>
        el("label", { class: "check choice" },
          el("input", { type: "checkbox", value: String(i), checked: chosen.has(i), disabled: !open }), " ", bdi(name))
      );
      const fieldset = el("fieldset", { class: "choices" }, el("legend", { text: s("choose_many") }), ...boxes);
      parts.push(fieldset);
      if (open) {
        parts.push(el("button", {
          type: "button", onclick: () => {
            const values = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => Number(i.value));
            if (values.length) send(values);
          },
        }, answer ? s("change") : s("send")));
      }
    } else {
      const input = el("input", {
        type: "text", id: "poll-open-" + item.id, class: "poll-open", maxlength: "60", "aria-label": s("write"),
        placeholder: s("write"), dir: "auto", disabled: !open, value: answer || "",
      });
      const form = el("form", {
        class: "inline-row", onsubmit: (e) => {
          e.preventDefault();
          if (input.value.trim()) send(input.value.trim());
        },
      }, input, el("button", { type: "submit", disabled: !open }, answer ? s("change") : s("send")));
      parts.push(form);
      if (answer) parts.push(el("p", { class: "muted" }, s("your_answer") + ": ", el("strong", { text: answer, dir: "auto" })));
    }
    if (item.status === "locked") parts.push(el("p", { class: "muted", text: t("locked") }));
    else if (answer !== null && answer !== undefined) status.textContent = s("saved");
    parts.push(status);
    if (view.results) parts.push(el("section", { class: "results" }, bars(view, view.results), totalLine(view.results)));
    else if (item.status !== "pending") parts.push(el("p", { class: "muted", text: s("results_hidden") }));
    root.replaceChildren(...parts);
  }

  function facilitator(root, item, ctx) {
    const view = item.view;
    const parts = [bars(view, view.results), totalLine(view.results)];
    const networks = Object.entries(view.by_network || {});
    if (networks.length && view.kind !== "open") {
      const names = labels(view);
      parts.push(el("h3", { text: s("by_network") }));
      // In its own scroll box: a poll of many options never pushes a phone's page sideways.
      parts.push(el("div", { class: "table-wrap" }, el("table", { class: "table by-network" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), ...names.map((n) => el("th", { scope: "col", text: n, dir: "auto" })), el("th", { scope: "col", text: s("answers") }))),
        el("tbody", {}, ...networks.map(([id, r]) =>
          el("tr", {}, el("th", { scope: "row", text: ctx.networks[id] || "#" + id, dir: "auto" }),
            ...names.map((_, i) => el("td", { class: "num", text: String(r.counts[i] || 0) })),
            el("td", { class: "num", text: String(r.total) })))
        )
      )));
    }
    root.replaceChildren(...parts);
  }

  /* "x of y have answered": y is who is online (never fewer than those who answered). */
  function answeredLine(answered, online) {
    const key = answered === 1 ? "answered_one" : "answered_many";
    return el("p", { class: "answered", text: s(key).replace("{x}", String(answered)).replace("{y}", String(Math.max(answered, online || 0))) });
  }

  /* What the room reads while people answer: the options (or the scale), never the results. */
  function choices(view) {
    if (view.kind === "open") return null;
    if (view.kind === "scale") {
      return el("ol", { class: "presenter-options scale" }, ...[1, 2, 3, 4, 5].map((n) => el("li", {},
        String(n), n === 1 && view.scale_low ? [" = ", bdi(view.scale_low)] : null, n === 5 && view.scale_high ? [" = ", bdi(view.scale_high)] : null)));
    }
    return el("ol", { class: "presenter-options" }, ...view.options.map((name) => el("li", { text: name, dir: "auto" })));
  }

  /* The shared screen: large type; the options while people answer, the results once revealed (with
     an animation the first time they appear); how many answered, never who. */
  function projector(root, item, ctx) {
    const view = item.view;
    const shown = root.dataset.shown === String(item.id) + ":hidden";
    const answered = view.results ? view.results.total : view.answered || 0;
    const parts = [];
    if (view.results) {
      const reveal = shown; // hidden a moment ago on this screen: now revealed
      parts.push(el("section", { class: "results" + (reveal ? " revealing" : "") }, bars(view, view.results, true, reveal)));
    } else {
      parts.push(choices(view));
    }
    parts.push(answeredLine(answered, ctx && ctx.online));
    root.dataset.shown = String(item.id) + ":" + (view.results ? "results" : "hidden");
    root.replaceChildren(...parts.filter(Boolean));
    grow(root);
  }

  window.Facilitation.exercises.poll = { participant, facilitator, projector };
})();
