(function () {
  "use strict";
  const { el } = window.Facilitation;

  function wall(item, ctx) {
    const words = item.view.words || [];
    if (!words.length) return el("p", { class: "muted", text: ctx.t("checkin.nobody") });
    return el("ul", { class: "words" },
      ...words.map((w) => el("li", { dir: "auto" }, w.word + (w.count > 1 ? " ×" + w.count : ""))));
  }

  function participant(root, item, ctx) {
    const input = el("input", { id: "checkin-word", maxlength: "30", autocomplete: "off",
                                value: (item.personal && item.personal.word) || "" });
    const form = el("form", { class: "inline-row" },
      el("label", { for: "checkin-word", text: ctx.t("checkin.yours") }), input,
      el("button", { type: "submit", disabled: item.status !== "open" }, ctx.t("checkin.send")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      ctx.send("say", { word: input.value }).then(() => ctx.refresh(), (err) => {
        form.append(el("p", { class: "flash flash-error", role: "alert", text: err.message }));
      });
    });
    root.replaceChildren(el("p", { class: "question", text: item.view.question }), form, wall(item, ctx));
  }

  function screen(root, item, ctx) {
    root.replaceChildren(el("p", { class: "question", text: item.view.question }), wall(item, ctx));
  }

  window.Facilitation.exercises.checkin = { participant, facilitator: screen, projector: screen };
})();
