/* The evaluation questionnaire: the participant's form (satisfaction, efficacy, process), the
   facilitator's figures overall and by network with people's words, the shared screen's count
   (and everyone's figures once revealed). People's text only ever goes through textContent. */
(function () {
  "use strict";
  const { el, bdi, t } = window.Facilitation;
  const s = (key) => t("evaluation." + key);
  const lang = document.documentElement.lang || undefined;
  const num = (value, digits) => value === null || value === undefined ? "–"
    : Number(value).toLocaleString(lang, { minimumFractionDigits: digits === undefined ? 1 : digits, maximumFractionDigits: digits === undefined ? 1 : digits });
  const pct = (value) => value === null || value === undefined ? "–" : Number(value).toLocaleString(lang, { style: "percent" });

  /* ---- the participant's questionnaire ---- */

  function scale(name, values, chosen, disabled, legend, help) {
    const id = name + "-help";
    return el("fieldset", { class: "ev-question", "aria-describedby": help ? id : null },
      el("legend", { text: legend, dir: "auto" }),
      help ? el("p", { class: "help", id, text: help }) : null,
      el("div", { class: "ev-scale" + (values.length > 5 ? " ev-scale-wide" : "") },
        ...values.map((v) => el("label", { class: "ev-option" },
          el("input", { type: "radio", name, value: String(v), checked: chosen === v, disabled }),
          el("span", { text: String(v) })))));
  }

  function checks(name, labels, chosen, disabled, legend) {
    const picked = new Set(chosen || []);
    return el("fieldset", { class: "ev-question", "aria-describedby": name + "-help" },
      el("legend", { text: legend }),
      el("p", { class: "help", id: name + "-help", text: s("choose_many") }),
      ...labels.map((label, i) => el("label", { class: "check ev-check" },
        el("input", { type: "checkbox", name, value: String(i), checked: picked.has(i), disabled }), " ", bdi(label))));
  }

  function words(id, label, value, max, disabled) {
    return el("div", { class: "field" },
      el("label", { for: id, text: label, dir: "auto" }),
      el("textarea", { id, rows: "3", maxlength: String(max), dir: "auto", disabled }, value || ""));
  }

  function participant(root, item, ctx) {
    const view = item.view;
    const mine = (item.personal && item.personal.answer) || null;
    const open = item.status === "open";
    const kept = root._evaluation;
    if (kept && kept.id === item.id && kept.form.isConnected) {
      // The same questionnaire again (opened, locked, figures pushed, a reconnect): keep what the person is typing.
      for (const input of kept.form.querySelectorAll("input, textarea, button")) input.disabled = !open;
      if (mine) kept.submit.textContent = s("change");
      kept.phase.textContent = phase(item);
      kept.results.replaceChildren(...results(view, item));
      return;
    }
    const base = "ev" + item.id;
    const answer = mine || {};
    const status = el("p", { class: "poll-status", role: "status", "aria-live": "polite", text: mine ? s("saved") : "" });
    const submit = el("button", { type: "submit", disabled: !open }, mine ? s("change") : s("send"));
    const parts = [
      el("h3", { text: s("satisfaction") }),
      scale(base + "-recommend", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], answer.r, !open, s("recommend"),
        s("recommend_low") + " · " + s("recommend_high")),
    ];
    if (view.criteria.length) parts.push(checks(base + "-criteria", view.criteria, answer.c, !open, s("criteria")));
    parts.push(words(base + "-use", s("use"), answer.u, 500, !open));
    if (view.critical.length) parts.push(checks(base + "-critical", view.critical, answer.k, !open, s("critical")));
    parts.push(words(base + "-comments", s("comments"), answer.m, 1000, !open));
    if (view.indicators.length) {
      parts.push(el("h3", { text: s("efficacy") }), el("p", { class: "help", text: s("efficacy_help") }));
      view.indicators.forEach((label, i) => parts.push(
        scale(base + "-rating-" + i, [1, 2, 3, 4, 5], (answer.e || [])[i], !open, label)));
    }
    if (view.questions.length) {
      parts.push(el("h3", { text: s("process") }));
      view.questions.forEach((question, i) => parts.push(words(base + "-process-" + i, question, (answer.p || [])[i], 500, !open)));
    }
    const form = el("form", { class: "evaluation-form", novalidate: true }, ...parts, el("div", { class: "button-group" }, submit), status);

    const checked = (name) => [...form.querySelectorAll('input[name="' + name + '"]:checked')].map((i) => Number(i.value));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = {
        recommend: checked(base + "-recommend")[0] ?? null,
        criteria: checked(base + "-criteria"),
        use: form.querySelector("#" + base + "-use").value,
        critical: checked(base + "-critical"),
        comments: form.querySelector("#" + base + "-comments").value,
        ratings: view.indicators.map((_, i) => checked(base + "-rating-" + i)[0] ?? null),
        process: view.questions.map((_, i) => form.querySelector("#" + base + "-process-" + i).value),
      };
      status.className = "poll-status";
      status.textContent = t("sending");
      submit.disabled = true;
      ctx.send("answer", payload).then(() => {
        status.textContent = s("saved");
        submit.textContent = s("change");
        submit.disabled = false;
      }, (err) => {
        status.className = "poll-status error";
        status.setAttribute("role", "alert");
        status.textContent = (err && err.message) || t("not_sent");
        submit.disabled = false;
      });
    });
    const resultsBox = el("section", { class: "results", "aria-label": s("everyone") }, ...results(view, item));
    const phaseLine = el("p", { class: "muted", role: "status", text: phase(item) });
    root._evaluation = { id: item.id, form, submit, results: resultsBox, phase: phaseLine };
    root.replaceChildren(el("p", { class: "muted small", text: view.anonymous ? s("anonymous") : s("named") }),
      phaseLine, form, resultsBox);
  }

  function phase(item) {
    return item.status === "locked" ? t("locked") : item.status === "pending" ? t("pending") : "";
  }

  /* Everyone's figures, once the facilitator shows them (never a network's, never anyone's words). */
  function results(view, item) {
    if (!view.overall) return item.status === "pending" ? [] : [el("p", { class: "muted", text: s("figures_hidden") })];
    return [el("h3", { text: s("everyone") }), figuresBlock(view, view.overall, false)];
  }

  /* ---- figures, for the console, the shared screen and revealed results ---- */

  function figuresBlock(view, fig, large) {
    if (!fig || fig.hidden) {
      return el("div", {}, el("p", { text: s("answered") + ": " + ((fig && fig.n) || 0) }),
        fig && fig.n ? el("p", { class: "muted", text: s("hidden") }) : el("p", { class: "muted", text: s("no_answers") }));
    }
    const rows = [
      [s("answered"), String(fig.n)],
      [s("mean_score"), num(fig.recommend.mean)],
      [s("would_recommend"), pct(fig.recommend.share)],
    ];
    view.indicators.forEach((label, i) => {
      const e = fig.efficacy[i] || {};
      rows.push([label, e.hidden ? s("hidden") : (e.count ? num(e.mean) + " (" + e.count + ")" : s("not_rated"))]);
    });
    return el("div", { class: "ev-figures" + (large ? " ev-large" : "") },
      el("dl", { class: "ev-list" }, ...rows.flatMap(([k, v]) => [el("dt", { text: k, dir: "auto" }), el("dd", { text: v })])),
      counts(s("criteria"), view.criteria, fig.criteria, fig.n),
      counts(s("critical"), view.critical, fig.critical, fig.n));
  }

  function counts(title, labels, values, total) {
    if (!labels.length) return null;
    const max = Math.max(1, ...(values || []));
    return el("div", {}, el("h4", { text: title }),
      el("ol", { class: "bars" }, ...labels.map((label, i) => {
        const count = (values || [])[i] || 0;
        const fill = el("span", { class: "bar-fill" });
        fill.style.width = (100 * count) / max + "%";
        return el("li", { class: "bar" }, el("span", { class: "bar-label", text: label, dir: "auto" }),
          el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
          el("span", { class: "bar-value", text: count + " / " + total }));
      })));
  }

  /* One column per network (their names are short, the indicators' are not), one row per figure. */
  function networkTable(view, ctx) {
    const entries = Object.entries(view.by_network || {});
    if (!entries.length) return null;
    const rows = [
      [s("answered"), (fig) => String(fig.n), true],
      [s("mean_score"), (fig) => num(fig.recommend.mean)],
      [s("would_recommend"), (fig) => pct(fig.recommend.share)],
      ...view.indicators.map((label, i) => [label, (fig) => {
        const e = fig.efficacy[i] || {};
        return e.hidden ? s("fewer") : (e.count ? num(e.mean) : "–");
      }]),
    ];
    return el("div", { class: "table-wrap" }, el("table", { class: "table ev-networks" },
      el("caption", { class: "visually-hidden", text: s("by_network") }),
      el("thead", {}, el("tr", {}, el("td", {}),
        ...entries.map(([id, fig]) => el("th", { scope: "col" }, bdi(ctx.networks[id] || "#" + id),
          fig.hidden ? el("span", { class: "muted small ev-fewer", text: s("hidden") }) : null)))),
      el("tbody", {}, ...rows.map(([label, value, always]) => el("tr", {},
        el("th", { scope: "row", text: label, dir: "auto" }),
        ...entries.map(([, fig]) => el("td", { class: "num", text: fig.hidden && !always ? "–" : value(fig) })))))));
  }

  function textList(title, entries, ctx) {
    if (!entries || !entries.length) return null;
    return el("div", {}, el("h4", { text: title, dir: "auto" }), el("ul", { class: "answers" }, ...entries.map((e) => {
      const who = [e.who, e.network !== undefined ? ctx.networks[e.network] : null].filter(Boolean);
      return el("li", {}, el("span", { text: e.text, dir: "auto" }), who.length ? " " : null,
        who.length ? el("span", { class: "muted" }, "(", ...who.flatMap((w, i) => (i ? [", ", bdi(w)] : [bdi(w)])), ")") : null);
    })));
  }

  function facilitator(root, item, ctx) {
    const view = item.view;
    const texts = view.texts || {};
    const parts = [
      el("p", { class: "muted small", text: view.anonymous ? s("anonymous") : s("named") }),
      el("h3", { text: s("everyone") }), figuresBlock(view, view.overall, false),
    ];
    const table = networkTable(view, ctx);
    if (table) parts.push(el("h3", { text: s("by_network") }), table);
    if (!texts.hidden) {
      const lists = [textList(s("use"), texts.use, ctx), textList(s("comments"), texts.comments, ctx),
        ...view.questions.map((q, i) => textList(q, (texts.process || [])[i], ctx))].filter(Boolean);
      if (lists.length) parts.push(el("h3", { text: s("texts") }), ...lists);
    }
    root.replaceChildren(...parts);
  }

  function projector(root, item) {
    const view = item.view;
    root.replaceChildren(view.overall ? figuresBlock(view, view.overall, true)
      : el("p", { class: "big-count", text: s("answered") + ": " + (view.answered || 0) }));
  }

  window.Facilitation.exercises.evaluation = { participant, facilitator, projector };
})();
