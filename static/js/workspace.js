/* A network's live workspace between meetings: the exercise's editor, on the network's own room. */
(function () {
  "use strict";
  const { Live, el, t } = window.Facilitation;
  const root = document.getElementById("workspace");
  const stage = document.getElementById("exercise");
  const type = root.dataset.type;
  const link = root.dataset.link;
  const nameInput = document.getElementById("my-name");
  const NAME_KEY = "facilitation.network-name";
  let item = null;

  // The name kept from last time, unless the person typed one while the page was loading.
  if (nameInput && !nameInput.value) nameInput.value = window.localStorage.getItem(NAME_KEY) || "";

  const live = new Live({
    meeting: null,
    role: "network",
    // A refused network link was revoked or replaced since this page opened.
    refusedKey: link ? "link_revoked" : "refused",
    auth: () => (link ? { link, name: nameInput ? nameInput.value.trim() : "" } : { network: Number(root.dataset.network) }),
    on: {
      snapshot(snap) {
        ctx.me = snap.me;
        item = (snap.workspaces || {})[type];
        if (!item) {
          stage.replaceChildren(el("p", { class: "muted", text: t("unknown_exercise") }));
          return;
        }
        window.Facilitation.renderExercise(stage, "participant", item, ctx);
      },
      event(message) {
        const renderer = window.Facilitation.exercises[type];
        if (item && renderer && renderer.event && message.workspace === type) renderer.event(stage, item, message, ctx);
      },
      team_presence(message) {
        const renderer = window.Facilitation.exercises[type];
        if (renderer && renderer.presence) renderer.presence(stage, message);
      },
    },
  });
  const ctx = { live, t, send: (actionType, payload) => live.send("action", { workspace: type, type: actionType, payload }) };

  if (nameInput) {
    nameInput.addEventListener("change", () => {
      window.localStorage.setItem(NAME_KEY, nameInput.value.trim());
      // The name travels with the connection: reconnect so the team sees it.
      live.socket.disconnect().connect();
    });
  }
})();
