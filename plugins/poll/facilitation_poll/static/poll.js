/* Live poll views: participant (answer), facilitator (results, by network), projector (large). */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("poll." + key);

  function labels(view) {
    if (view.kind === "scale") return ["1", "2", "3", "4", "5"];
    return view.options;
  }

  function bars(view, results, large) {
    if (view.kind === "open") return cloud(results.words || []);
    const total = results.total || 0;
    const names = labels(view);
    const max = Math.max(1, ...results.counts);
    return el("ol", { class: "bars" + (large ? " bars-large" : ""), "aria-label": view.question },
      ...names.map((name, i) => {
        const count = results.counts[i] || 0;
        const pct = total ? Math.round((100 * count) / total) : 0;
        const fill = el("span", { class: "bar-fill" });
        fill.style.width = (100 * count) / max + "%";
        return el("li", { class: "bar" },
          el("span", { class: "bar-label", text: name, dir: "auto" }),
          el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
          el("span", { class: "bar-value", text: count + " (" + pct + "%)" })
        );
      })
    );
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
      parts.push(el("table", { class: "table by-network" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), ...names.map((n) => el("th", { scope: "col", text: n, dir: "auto" })), el("th", { scope: "col", text: s("answers") }))),
        el("tbody", {}, ...networks.map(([id, r]) =>
          el("tr", {}, el("th", { scope: "row", text: ctx.networks[id] || "#" + id, dir: "auto" }),
            ...names.map((_, i) => el("td", { class: "num", text: String(r.counts[i] || 0) })),
            el("td", { class: "num", text: String(r.total) })))
        )
      ));
    }
    root.replaceChildren(...parts);
  }

  function projector(root, item) {
    const view = item.view;
    const parts = [];
    if (view.results) parts.push(bars(view, view.results, true), totalLine(view.results));
    else parts.push(el("p", { class: "big-count", text: s("answers") + ": " + (view.answered || 0) }));
    root.replaceChildren(...parts);
  }

  window.Facilitation.exercises.poll = { participant, facilitator, projector };
})();
