/* The facilitator's live console. */
(function () {
  "use strict";
  const { Live, el, bdi, t, startTimer, renderExercise, applyEvent } = window.Facilitation;
  const root = document.getElementById("console");
  const networkNames = JSON.parse(document.getElementById("network-names").textContent);
  const stage = document.getElementById("exercise");
  const title = document.getElementById("current-title");
  const stateLine = document.getElementById("current-state");
  const agendaList = document.getElementById("agenda");
  const peopleBox = document.getElementById("people");
  const onlineCount = document.getElementById("online-count");
  const admission = document.getElementById("admission-mode");
  const waitingBox = document.getElementById("waiting");
  let meeting = null;
  let item = null;
  let agenda = [];
  const people = new Map();

  const live = new Live({
    meeting: Number(root.dataset.meeting),
    role: "console",
    on: {
      snapshot: refresh,
      admission(message) {
        renderWaiting(message.waiting || []);
      },
      meeting: update,
      results(message) {
        if (item && message.item && message.item.id === item.id) {
          item = message.item;
          renderItem();
        }
      },
      presence(batch) {
        for (const p of batch.people || []) {
          const known = people.get(p.participant) || { id: p.participant, name: p.name, network_id: p.network };
          known.online = p.online;
          known.team = p.team;
          people.set(p.participant, known);
        }
        renderPeople();
      },
      event(message) {
        if (item && message.item === item.id) applyEvent(stage, "facilitator", item, message, ctx);
      },
      team_presence(message) {
        // Presence may arrive before a team exercise is shown: every exercise that tracks it keeps it.
        for (const renderer of Object.values(window.Facilitation.exercises)) if (renderer.presence) renderer.presence(stage, message);
      },
    },
  });

  function refresh(snap) {
    ctx.me = snap.me;
    people.clear();
    for (const p of snap.participants || []) people.set(p.id, p);
    renderPeople();
    update(snap);
  }
  const timer = startTimer(document.getElementById("timer"), () => meeting);
  const ctx = { live, t, networks: networkNames, send: (type, payload) => live.action(item.id, type, payload) };

  // The exercise the controls act on: the one chosen last, even before the server confirms the move,
  // so that "Open" right after choosing opens what was chosen.
  let selected = null;

  function update(message) {
    meeting = message.meeting;
    selected = meeting.current;
    if (message.agenda) agenda = message.agenda;
    item = message.item || null;
    timer.sync(meeting);
    admission.value = meeting.admission;
    if (message.waiting) renderWaiting(message.waiting);
    renderAgenda();
    renderItem();
  }

  function renderAgenda() {
    agendaList.replaceChildren(
      ...agenda.map((a) =>
        el("li", { class: "agenda-item status-" + a.status + (meeting && a.id === meeting.current ? " current" : "") },
          el("button", {
            type: "button", class: "link", "aria-current": meeting && a.id === meeting.current ? "step" : null,
            onclick: () => {
              selected = a.id;
              run("goto", { item: a.id });
            },
          }, bdi(a.title)),
          el("span", { class: "badge", text: t(a.status === "locked" ? "closed" : a.status) })
        )
      )
    );
  }

  function renderItem() {
    const controls = document.getElementById("item-controls");
    if (!item) {
      title.textContent = meeting && meeting.state === "ended" ? t("ended") : t("waiting_next");
      stateLine.textContent = "";
      stage.replaceChildren();
      controls.hidden = true;
      return;
    }
    controls.hidden = false;
    title.textContent = item.title;
    const declared = item.controls || [];
    // Whether participants see results is said only for an exercise that can show or hide them.
    const switchable = declared.some((c) => c.name === "reveal" || c.name === "hide");
    stateLine.textContent = t(item.status === "locked" ? "closed" : item.status) +
      (switchable ? " · " + t(item.revealed ? "revealed" : "hidden") : "");
    controls.querySelector('[data-cmd="open"]').disabled = item.status === "open";
    controls.querySelector('[data-cmd="lock"]').disabled = item.status !== "open";
    if (item.failed) stateLine.textContent += " · " + t("exercise_failed");
    document.getElementById("exercise-controls").replaceChildren(...declared.map(controlButton));
    renderExercise(stage, "facilitator", item, ctx);
  }

  /* A control the exercise declares: a core command (reveal, hide) or one of its own actions. */
  function controlButton(c) {
    const attrs = { type: "button", class: c.style === "primary" ? "" : c.style,
                    onclick: () => {
                      if (c.confirm && !window.confirm(c.confirm)) return;
                      if (c.action) live.action(item.id, c.name, c.payload || {}).catch(report);
                      else run(c.name, { item: selected || item.id });
                    } };
    attrs[c.action ? "data-action" : "data-cmd"] = c.name;
    return el("button", attrs, c.label);
  }

  function report(err) {
    document.getElementById("status").textContent = (err && err.message) || t("not_sent");
  }

  function teamName(team) {
    const names = [...people.values()].filter((p) => p.team === team).map((p) => networkNames[p.network_id] || "#" + p.network_id);
    const own = networkNames[String(team).slice(1)];
    return [...new Set([own, ...names].filter(Boolean))].join(" + ") || t("no_network");
  }

  function moveSelect(p) {
    const select = el("select", { "aria-label": t("move_to_team") + " " + p.name, class: "small move-team", dataset: { participant: String(p.id) } },
      ...Object.keys(networkNames).map((id) => el("option", { value: "n" + id, selected: p.team === "n" + id, dir: "auto" }, networkNames[id])));
    select.addEventListener("change", () => teamsChanged(run("move", { participant: p.id, team: select.value })));
    return select;
  }

  function renderPeople() {
    const groups = new Map();
    let online = 0;
    for (const p of people.values()) {
      const key = p.team ? teamName(p.team) : t("no_network");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(p);
      if (p.online) online += 1;
    }
    onlineCount.textContent = String(online);
    if (!people.size) {
      peopleBox.replaceChildren(el("p", { class: "muted", text: t("nobody") }));
      return;
    }
    peopleBox.replaceChildren(
      ...[...groups.entries()].sort().map(([name, list]) =>
        el("section", { class: "people-group" },
          el("h3", {}, bdi(name), " (" + list.filter((p) => p.online).length + "/" + list.length + ")"),
          el("ul", { class: "people" },
            ...list.sort((a, b) => a.name.localeCompare(b.name)).map((p) =>
              el("li", { class: p.online ? "online" : "offline" },
                el("span", { class: "dot", "aria-hidden": "true" }),
                el("span", { text: p.name, dir: "auto" }),
                el("span", { class: "visually-hidden", text: " " + t(p.online ? "online" : "offline") }),
                moveSelect(p)
              )
            )
          )
        )
      )
    );
  }

  function renderWaiting(waiting) {
    if (!waiting.length) {
      waitingBox.replaceChildren();
      return;
    }
    waitingBox.replaceChildren(
      el("h4", { text: t("waiting_room") + " (" + waiting.length + ")" }),
      el("ul", { class: "people waiting-list" },
        ...waiting.map((p) =>
          el("li", { dataset: { participant: String(p.id) } },
            el("span", {}, bdi(p.name), ...[p.organisation, p.network].filter(Boolean).flatMap((x) => [" · ", bdi(x)])),
            " ",
            el("button", { type: "button", class: "small", "data-admit": "yes",
                           onclick: () => run("admit", { participant: p.id, admit: true }) }, t("admit")),
            " ",
            el("button", { type: "button", class: "small secondary", "data-admit": "no",
                           onclick: () => run("admit", { participant: p.id, admit: false }) }, t("refuse"))
          )
        )
      )
    );
  }

  function run(cmd, extra) {
    return live.control(cmd, extra).catch(report);
  }

  for (const button of document.querySelectorAll("[data-cmd]")) {
    button.addEventListener("click", () => {
      const cmd = button.dataset.cmd;
      if (cmd === "end" && !window.confirm(t("confirm_end"))) return;
      const target = selected || (item && item.id);
      run(cmd, ["open", "lock"].includes(cmd) && target ? { item: target } : {});
    });
  }
  function teamsChanged(promise) {
    // Teams are part of the snapshot: fetch a fresh one once the change is committed.
    return promise.then(() => live.send("sync", {})).then((reply) => reply && reply.snapshot && refresh(reply.snapshot));
  }

  document.getElementById("merge").addEventListener("click", () => {
    const a = Number(document.getElementById("merge-a").value);
    const b = Number(document.getElementById("merge-b").value);
    if (a && b && a !== b) teamsChanged(run("merge", { networks: [a, b] }));
  });
  document.getElementById("split").addEventListener("click", () => {
    const a = Number(document.getElementById("merge-b").value);
    if (a) teamsChanged(run("merge", { networks: [a] }));
  });
  document.getElementById("notice-send").addEventListener("click", () => {
    run("message", { text: document.getElementById("notice-text").value.trim() });
  });
  document.getElementById("notice-clear").addEventListener("click", () => {
    document.getElementById("notice-text").value = "";
    run("message", { text: "" });
  });
  document.getElementById("timer-start").addEventListener("click", () => {
    const minutes = Number(document.getElementById("timer-min").value) || 5;
    run("timer", { seconds: Math.round(minutes * 60) });
  });
  document.getElementById("timer-stop").addEventListener("click", () => run("timer", { seconds: 0 }));
  admission.addEventListener("change", () => run("admission", { mode: admission.value }));
})();
