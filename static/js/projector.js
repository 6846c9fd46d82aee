/* The projector in presenter mode: the shared screen of the room.
 *
 * Until an exercise is opened it shows the meeting's title and how to join, large; once one is
 * open, the exercise takes the screen (type scaled to the viewport, see app.css) and the join
 * panel steps aside, small, once people are in. It gets counts, never names. The facilitator, logged
 * in on this screen, runs the meeting from the keyboard: the shortcuts send the same controls as
 * the console's buttons, and "?" lists them.
 */
(function () {
  "use strict";
  const { Live, t, startTimer, renderExercise, applyEvent, toast } = window.Facilitation;
  const root = document.getElementById("projector");
  const networkNames = JSON.parse(document.getElementById("network-names").textContent);
  const stage = document.getElementById("exercise");
  const title = document.getElementById("current-title");
  const itemState = document.getElementById("item-state");
  const lobbyLine = document.getElementById("lobby-line");
  const count = document.getElementById("online-count");
  const online = new Set();
  let meeting = null;
  let item = null;

  const live = new Live({
    meeting: Number(root.dataset.meeting),
    role: "projector",
    on: {
      snapshot: fresh,
      meeting: update,
      event(message) {
        if (!item || message.item !== item.id || !showing()) return;
        // A team exercise's edits come as each team's operations: the screen shows every team's
        // work from a fresh view instead, at most once a second however fast people type.
        if (item.teams) refreshSoon();
        else applyEvent(stage, "projector", item, message, ctx);
      },
      results(message) {
        if (item && message.item && message.item.id === item.id) {
          // A results push carries no controls: keep those the last meeting message gave.
          item = Object.assign({ controls: item.controls }, message.item);
          render();
        }
      },
      presence(batch) {
        // Coalesced batches of {participant, online}: the shared screen gets no names.
        const before = online.size;
        for (const p of batch.people || []) {
          if (p.online) online.add(p.participant);
          else online.delete(p.participant);
        }
        if (online.size !== before) render();
      },
    },
  });
  const timer = startTimer(document.getElementById("timer"), () => meeting);
  // ctx.online: how many participants are online, for "x of y have answered".
  const ctx = { live, t, networks: networkNames, get online() { return online.size; } };

  function fresh(snap) {
    online.clear();
    for (const p of snap.participants || []) if (p.online) online.add(p.id);
    update(snap);
  }

  let refreshing = null;
  function refreshSoon() {
    if (refreshing) return;
    refreshing = setTimeout(() => {
      live.send("sync", {}).then((reply) => {
        refreshing = null;
        if (reply && reply.snapshot) fresh(reply.snapshot);
      }, () => { refreshing = null; });
    }, 1000);
  }

  function update(message) {
    meeting = message.meeting;
    item = message.item || null;
    timer.sync(meeting);
    render();
  }

  /* An exercise is on screen only once it has been opened (and while the meeting runs). */
  function showing() {
    return Boolean(meeting && meeting.state === "live" && item && item.status !== "pending");
  }

  function render() {
    count.textContent = t("participants_count") + ": " + online.size;
    const on = showing();
    root.dataset.mode = on ? "exercise" : "lobby";
    // The join panel is large until people are in and something is on screen.
    root.dataset.join = on && online.size ? "small" : "large";
    if (!on) {
      title.textContent = meeting && meeting.state === "ended" ? t("ended") : (meeting ? meeting.title : "");
      lobbyLine.hidden = !meeting || meeting.state === "ended";
      lobbyLine.textContent = meeting && meeting.state === "live" ? t("how_to_join") : t("starts_soon");
      itemState.hidden = true;
      delete stage.dataset.shown;
      stage.replaceChildren();
      return;
    }
    lobbyLine.hidden = true;
    title.textContent = item.title;
    itemState.hidden = item.status !== "locked";
    itemState.textContent = item.status === "locked" ? t("locked") : "";
    renderExercise(stage, "projector", item, ctx);
  }

  /* ---- the facilitator's shortcuts ---- */

  function run(cmd, extra) {
    return live.control(cmd, extra).catch((err) => toast((err && err.message) || t("not_sent")));
  }

  function current() {
    return item ? { item: item.id } : {};
  }

  function declared(name) {
    return Boolean(item && (item.controls || []).some((c) => c.name === name));
  }

  function revealOrHide() {
    if (declared("reveal")) run("reveal", current());
    else if (declared("hide")) run("hide", current());
    else toast(t("no_results_switch"));
  }

  function lock() {
    if (!item || item.status !== "open") {
      toast(t("not_open_yet"));
      return;
    }
    const id = item.id;
    window.FacilitationPage.confirm({
      title: root.dataset.confirmLock, help: root.dataset.confirmLockHelp, yes: root.dataset.confirmLockYes,
      no: root.dataset.confirmNo, focus: "yes",
    }).then((yes) => yes && run("lock", { item: id }));
  }

  const timerDialog = document.getElementById("timer-dialog");
  const minutes = document.getElementById("timer-minutes");
  function askTimer() {
    timerDialog.returnValue = "";
    timerDialog.showModal();
    // A countdown running: Enter stops it; otherwise type the minutes and Enter starts one.
    if (meeting && meeting.timer_end && meeting.timer_end > Date.now() / 1000) {
      document.getElementById("timer-stop").focus();
    } else {
      minutes.focus();
      minutes.select();
    }
  }
  timerDialog.addEventListener("close", () => {
    if (timerDialog.returnValue === "start") {
      const value = Math.min(240, Math.max(1, Math.round(Number(minutes.value) || 5)));
      run("timer", { seconds: value * 60 });
    } else if (timerDialog.returnValue === "stop") {
      run("timer", { seconds: 0 });
    }
  });

  function fullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => toast(t("no_fullscreen")));
    } else {
      toast(t("no_fullscreen"));
    }
  }
  document.addEventListener("fullscreenchange", () => {
    root.dataset.fullscreen = document.fullscreenElement ? "true" : "false";
  });

  const shortcuts = document.getElementById("shortcuts");
  function help() {
    shortcuts.showModal();
  }

  const KEYS = {
    n: () => run("next"), ArrowRight: () => run("next"), PageDown: () => run("next"),
    p: () => run("prev"), ArrowLeft: () => run("prev"), PageUp: () => run("prev"),
    o: () => run("open", current()),
    r: revealOrHide,
    l: lock,
    t: askTimer,
    f: fullscreen,
    "?": help,
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    // Keys typed into a dialog or a field are theirs.
    if (document.querySelector("dialog[open]")) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    const action = KEYS[event.key] || KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
  document.getElementById("fullscreen").addEventListener("click", fullscreen);
  document.getElementById("show-shortcuts").addEventListener("click", help);
})();
