/* The facilitator's live console: the agenda as a rail, the current exercise on the stage, people
 * and tools (teams, timer and message) in tabs beside it. */
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
  const moversBox = document.getElementById("movers");
  const teamsBox = document.getElementById("teams-now");
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
    document.getElementById("end-meeting").hidden = meeting.state === "ended";
    if (message.waiting) renderWaiting(message.waiting);
    renderAgenda();
    renderItem();
  }

  /* A translated sentence with {placeholders}: each value (someone's text) isolated in a <bdi>. */
  function phrase(key, values) {
    return t(key).split(/\{(\w+)\}/).map((part, i) => (i % 2 ? bdi(values[part] || "") : part)).filter((p) => p !== "");
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
          // Only what happened is said: an exercise not opened yet is the rail's normal state.
          a.status === "pending" ? null : el("span", { class: "badge", text: t(a.status === "locked" ? "closed" : a.status) })
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
                    onclick: () => ask(c.confirm ? { title: c.confirm } : null).then((yes) => {
                      if (!yes) return;
                      if (c.action) live.action(item.id, c.name, c.payload || {}).catch(report);
                      else run(c.name, { item: selected || item.id });
                    }) };
    attrs[c.action ? "data-action" : "data-cmd"] = c.name;
    return el("button", attrs, c.label);
  }

  /* Asks first when there is a question (resolves true at once when there is none). */
  function ask(question) {
    if (!question) return Promise.resolve(true);
    return window.FacilitationPage.confirm(Object.assign({ yes: t("confirm"), no: root.dataset.confirmNo }, question));
  }

  function report(err) {
    document.getElementById("status").textContent = (err && err.message) || t("not_sent");
  }

  function teamName(team) {
    const names = [...people.values()].filter((p) => p.team === team).map((p) => networkNames[p.network_id] || "#" + p.network_id);
    const own = networkNames[String(team).slice(1)];
    return [...new Set([own, ...names].filter(Boolean))].join(" + ") || t("no_network");
  }

  function byName(a, b) {
    return a.name.localeCompare(b.name);
  }

  function personLine(p) {
    return [
      el("span", { class: "dot", "aria-hidden": "true" }),
      el("span", { class: "person-name", text: p.name, dir: "auto" }),
      el("span", { class: "visually-hidden", text: " " + t(p.online ? "online" : "offline") }),
    ];
  }

  function groups() {
    const out = new Map();
    for (const p of people.values()) {
      const key = p.team ? teamName(p.team) : t("no_network");
      if (!out.has(key)) out.set(key, []);
      out.get(key).push(p);
    }
    return [...out.entries()].sort();
  }

  function renderPeople() {
    const online = [...people.values()].filter((p) => p.online).length;
    onlineCount.textContent = String(online);
    renderTeamTools();
    if (!people.size) {
      peopleBox.replaceChildren(el("p", { class: "muted", text: t("nobody") }));
      return;
    }
    peopleBox.replaceChildren(
      ...groups().map(([name, list]) =>
        el("section", { class: "people-group" },
          el("h3", {}, bdi(name), " (" + list.filter((p) => p.online).length + "/" + list.length + ")"),
          el("ul", { class: "people" },
            ...list.sort(byName).map((p) => el("li", { class: p.online ? "online" : "offline" }, ...personLine(p))))
        )
      )
    );
  }

  /* The Teams tab: which teams there are now, and one picker per person to move them. */
  function renderTeamTools() {
    const list = groups();
    teamsBox.replaceChildren(...(list.length ? list.map(([name, members]) =>
      el("li", {}, bdi(name), " (" + members.length + ")")) : [el("li", { class: "muted", text: t("nobody") })]));
    moversBox.replaceChildren(...(people.size ? [el("ul", { class: "people movers" },
      ...[...people.values()].sort(byName).map((p) => el("li", { class: p.online ? "online" : "offline" },
        ...personLine(p), moveSelect(p))))] : [el("p", { class: "muted", text: t("nobody") })]));
  }

  function moveSelect(p) {
    const select = el("select", { "aria-label": t("move_named").replace("{name}", p.name), class: "move-team",
                                  dataset: { participant: String(p.id) } },
      ...Object.keys(networkNames).map((id) => el("option", { value: "n" + id, selected: p.team === "n" + id, dir: "auto" }, networkNames[id])));
    select.addEventListener("change", () => teamsChanged(run("move", { participant: p.id, team: select.value })));
    return select;
  }

  function renderWaiting(waiting) {
    // Said on the People tab too, whichever tab is open.
    const count = document.getElementById("waiting-count");
    count.hidden = !waiting.length;
    count.textContent = t("waiting_count").replace("{n}", String(waiting.length));
    if (!waiting.length) {
      waitingBox.replaceChildren();
      return;
    }
    waitingBox.replaceChildren(
      el("h3", { text: t("waiting_room") + " (" + waiting.length + ")" }),
      el("ul", { class: "people waiting-list" },
        ...waiting.map((p) =>
          el("li", { dataset: { participant: String(p.id) } },
            el("span", {}, bdi(p.name), ...[p.organisation, p.network].filter(Boolean).flatMap((x) => [" · ", bdi(x)])),
            el("span", { class: "button-group" },
              el("button", { type: "button", class: "small", "data-admit": "yes",
                             onclick: () => run("admit", { participant: p.id, admit: true }) }, t("admit")),
              el("button", { type: "button", class: "small secondary", "data-admit": "no",
                             onclick: () => run("admit", { participant: p.id, admit: false }) }, t("refuse")))
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
      const target = selected || (item && item.id);
      run(cmd, ["open", "lock"].includes(cmd) && target ? { item: target } : {});
    });
  }
  document.getElementById("end-meeting").addEventListener("click", () => {
    ask({ title: root.dataset.confirmEnd, help: root.dataset.confirmEndHelp, yes: root.dataset.confirmEndYes })
      .then((yes) => yes && run("end"));
  });

  function teamsChanged(promise) {
    // Teams are part of the snapshot: fetch a fresh one once the change is committed.
    return promise.then(() => live.send("sync", {})).then((reply) => reply && reply.snapshot && refresh(reply.snapshot));
  }

  /* The team tools say what they will do, with the networks chosen. */
  const mergeA = document.getElementById("merge-a");
  const mergeB = document.getElementById("merge-b");
  const splitNetwork = document.getElementById("split-network");
  const mergeButton = document.getElementById("merge");
  const splitButton = document.getElementById("split");
  function labelTeamTools() {
    // One span: the button lays out its children side by side, a sentence must flow as one.
    mergeButton.replaceChildren(el("span", {}, ...phrase("merge_named", { a: networkNames[mergeA.value], b: networkNames[mergeB.value] })));
    mergeButton.disabled = mergeA.value === mergeB.value;
    splitButton.replaceChildren(el("span", {}, ...phrase("split_named", { a: networkNames[splitNetwork.value] })));
  }
  for (const select of [mergeA, mergeB, splitNetwork]) select.addEventListener("change", labelTeamTools);
  labelTeamTools();
  mergeButton.addEventListener("click", () => {
    const a = Number(mergeA.value);
    const b = Number(mergeB.value);
    if (a && b && a !== b) teamsChanged(run("merge", { networks: [a, b] }));
  });
  splitButton.addEventListener("click", () => {
    const a = Number(splitNetwork.value);
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

  /* Tabs (WAI-ARIA pattern): arrows move between tabs, Home and End to the first and last. */
  const tabs = [...root.querySelectorAll('[role="tab"]')];
  function choose(tab, focus) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  }
  for (const tab of tabs) {
    tab.addEventListener("click", () => choose(tab, false));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const rtl = getComputedStyle(tab).direction === "rtl";
      const forward = rtl ? "ArrowLeft" : "ArrowRight";
      const back = rtl ? "ArrowRight" : "ArrowLeft";
      const to = { [forward]: tabs[(i + 1) % tabs.length], [back]: tabs[(i - 1 + tabs.length) % tabs.length],
                   Home: tabs[0], End: tabs[tabs.length - 1] }[event.key];
      if (!to) return;
      event.preventDefault();
      choose(to, true);
    });
  }
})();
