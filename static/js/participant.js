/* The participant page: follows the facilitator's current exercise live. */
(function () {
  "use strict";
  const { Live, el, bdi, t, startTimer, renderExercise, applyEvent } = window.Facilitation;
  const root = document.getElementById("participant");
  const stage = document.getElementById("exercise");
  const title = document.getElementById("current-title");
  const notice = document.getElementById("notice");
  const myTeam = document.getElementById("my-team");
  const networkNames = JSON.parse(document.getElementById("network-names").textContent);
  let team = null;
  let meeting = null;
  let item = null;
  const personal = {};

  const live = new Live({
    meeting: Number(root.dataset.meeting),
    role: "participant",
    on: {
      snapshot(snap) {
        ctx.me = snap.me;
        showTeam(snap.me && snap.me.team);
        Object.assign(personal, snap.personal || {});
        show(snap.meeting, snap.item);
      },
      meeting(message) {
        show(message.meeting, message.item);
      },
      results(message) {
        if (item && message.item && message.item.id === item.id) show(meeting, message.item);
      },
      event(message) {
        if (item && message.item === item.id) applyEvent(stage, "participant", item, message, ctx);
      },
      team_presence(message) {
        // Presence may arrive before a team exercise is shown: every exercise that tracks it keeps it.
        for (const renderer of Object.values(window.Facilitation.exercises)) if (renderer.presence) renderer.presence(stage, message);
      },
    },
  });
  const timer = startTimer(document.getElementById("timer"), () => meeting);

  const ctx = {
    live,
    t,
    send(type, payload) {
      const id = item.id;
      return live.action(id, type, payload).then((ack) => {
        if (ack.reply) personal[id] = Object.assign({}, personal[id], ack.reply);
        return ack;
      });
    },
    /* Render the current exercise again with the person's latest own part: an
       exercise calls it after an ack to show the saved answer at once. */
    refresh() {
      if (!item) return;
      item = Object.assign({}, item, { personal: personal[item.id] || {} });
      renderExercise(stage, "participant", item, ctx);
    },
  };

  /* The header names the person's current team (a team is named after its network); when the
     facilitator moves the person, a snapshot brings the new team and a toast says so. */
  function showTeam(newTeam) {
    const match = /^n(\d+)$/.exec(newTeam || "");
    const name = match ? networkNames[match[1]] : null;
    if (name) {
      const [before, after] = t("team_label").split("%(name)s");
      myTeam.replaceChildren(before, bdi(name), after || "");
    }
    if (team !== null && newTeam && newTeam !== team && name) {
      window.Facilitation.toast(t("moved_team", { name }));
    }
    if (newTeam) team = newTeam;
  }

  function show(newMeeting, newItem) {
    meeting = newMeeting;
    timer.sync(meeting);
    notice.textContent = meeting.notice || "";
    notice.hidden = !meeting.notice;
    if (meeting.state === "ended") {
      item = null;
      title.textContent = "";
      stage.replaceChildren(el("p", { class: "waiting", text: t("ended") }));
      return;
    }
    if (!newItem || meeting.state !== "live") {
      item = null;
      title.textContent = "";
      stage.replaceChildren(el("p", { class: "waiting", text: meeting.state === "live" ? t("waiting_next") : t("waiting") }));
      return;
    }
    item = Object.assign({}, newItem, { personal: newItem.personal || personal[newItem.id] || {} });
    if (newItem.personal) personal[newItem.id] = newItem.personal;
    title.textContent = item.title;
    renderExercise(stage, "participant", item, ctx);
  }
})();
