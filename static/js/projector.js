/* The projector: join code and QR, the current exercise in large type. */
(function () {
  "use strict";
  const { Live, t, startTimer, renderExercise, applyEvent } = window.Facilitation;
  const root = document.getElementById("projector");
  const networkNames = JSON.parse(document.getElementById("network-names").textContent);
  const stage = document.getElementById("exercise");
  const title = document.getElementById("current-title");
  const count = document.getElementById("online-count");
  const online = new Set();
  let meeting = null;
  let item = null;

  const live = new Live({
    meeting: Number(root.dataset.meeting),
    role: "projector",
    on: {
      snapshot(snap) {
        online.clear();
        for (const p of snap.participants || []) if (p.online) online.add(p.id);
        renderCount();
        update(snap);
      },
      meeting: update,
      event(message) {
        if (item && message.item === item.id) applyEvent(stage, "projector", item, message, ctx);
      },
      results(message) {
        if (item && message.item && message.item.id === item.id) {
          item = message.item;
          render();
        }
      },
      presence(batch) {
        // Coalesced batches of {participant, online}: the shared screen gets no names.
        for (const p of batch.people || []) {
          if (p.online) online.add(p.participant);
          else online.delete(p.participant);
        }
        renderCount();
      },
    },
  });
  const timer = startTimer(document.getElementById("timer"), () => meeting);
  const ctx = { live, t, networks: networkNames };

  function renderCount() {
    count.textContent = t("participants_count") + ": " + online.size;
  }

  function update(message) {
    meeting = message.meeting;
    item = message.item || null;
    timer.sync(meeting);
    render();
  }

  function render() {
    if (!item) {
      title.textContent = meeting && meeting.state === "ended" ? t("ended") : (meeting ? meeting.title : "");
      stage.replaceChildren();
      return;
    }
    title.textContent = item.title;
    renderExercise(stage, "projector", item, ctx);
  }
})();
