/* The live client shared by the participant page, the console and the projector.
 *
 * - connects with {meeting, role, since}: the server decides who we are from cookies;
 * - keeps the highest server sequence seen, so a reconnect catches up from it;
 * - sends actions with a client id and retries them until acknowledged: the
 *   server applies a client id once, so a retry never counts twice;
 * - user text is only ever set with textContent (see el()), and isolated so that right-to-left
 *   text shows as typed: a whole element of it gets dir: "auto", a piece of a sentence bdi().
 */
(function () {
  "use strict";

  const strings = JSON.parse(document.getElementById("strings").textContent);
  /* t("key") or t("key", {n: 3}): the translated string, with each %(n)s replaced by its value. */
  function t(key, values) {
    let text = key in strings ? strings[key] : key;
    for (const [name, value] of Object.entries(values || {})) text = text.split("%(" + name + ")s").join(String(value));
    return text;
  }

  /* kept(root, item, build): what `root` shows of `item`, built once by build() ({container, ...})
     and kept between pushes, so a renderer updates it in place (focus, scroll and what the person
     is typing stay) instead of drawing it anew; built again for another item or a replaced root. */
  const drawn = new WeakMap();
  function kept(root, item, build) {
    let found = drawn.get(root);
    if (!found || found.item !== item.id || !root.contains(found.container)) {
      found = build();
      found.item = item.id;
      drawn.set(root, found);
      root.replaceChildren(found.container);
    }
    return found;
  }

  /* el("p", {class: "x", text: userText}, child...) - never innerHTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /* Someone's text inside a sentence: its direction follows its own letters and leaves the rest alone. */
  function bdi(text) {
    return el("bdi", { text });
  }

  function clientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const RETRY_MS = 4000;
  const GIVE_UP_MS = 45000;

  class Live {
    constructor(options) {
      this.meeting = options.meeting;
      this.role = options.role;
      this.on = options.on || {};
      this.seq = 0;
      this.pending = new Map();
      this.statusNode = document.getElementById("status");
      this.connectedOnce = false;
      // What a refusal means on this page, e.g. "link_revoked" on a network link's workspace.
      this.refusedKey = options.refusedKey || "refused";
      this.refused = null;
      this.retriedAfterServerClose = false;
      this.socket = io({
        auth: (cb) => cb(Object.assign({ meeting: this.meeting, role: this.role, since: this.seq },
          options.auth ? options.auth() : {})),
        // After a server restart everyone reconnects: spread the first tries over about a second
        // and the later ones more, so the crowd does not knock all at once.
        reconnectionDelay: 600,
        reconnectionDelayMax: 5000,
        randomizationFactor: 0.9,
        // A websocket at once: one request to open the connection, where starting with long polling
        // takes five (its handshake, the connect, two polls, then the upgrade), each a turn of the
        // server's work when a whole conference comes back. See "connect_error" for proxies that
        // refuse websockets.
        transports: ["websocket"],
      });
      this.websocketWorked = false;
      this.websocketFailures = 0;
      this.socket.on("connect", () => {
        this.retriedAfterServerClose = false;
        this.websocketFailures = 0;
        if (this.socket.io.engine.transport.name === "websocket") this.websocketWorked = true;
        this.setStatus("connected");
      });
      this.socket.on("disconnect", (reason) => {
        // This page closed the connection to open it again at once (a network workspace's new
        // name travels with the connection): nothing was lost, and a status line appearing
        // would move the page under the person's finger.
        if (reason === "io client disconnect") return;
        this.setStatus("reconnecting");
        // The server closed this connection (a revoked link, for one): the client does not
        // reconnect by itself. Try once, so that the server's refusal, in this page's
        // language, is shown instead of "reconnecting" forever.
        if (reason === "io server disconnect" && !this.retriedAfterServerClose) {
          this.retriedAfterServerClose = true;
          this.socket.connect();
        }
      });
      this.socket.on("connect_error", (err) => {
        // A websocket that never opened on this page, twice: a proxy may refuse websockets. From
        // then on the connection starts with long polling and moves to a websocket where it can.
        // Not at the first failure (a server too busy to take the handshake fails it too, and a
        // page that fell back would stay on long polling, dearer for the server), nor once a
        // websocket has worked here (the server is restarting, or the network is down).
        if (err && err.type === "TransportError" && !this.websocketWorked && ++this.websocketFailures === 2) {
          this.socket.io.opts.transports = ["polling", "websocket"];
        }
        // The server is busy (everyone reconnecting after a restart): try again when it says,
        // give or take half, so the crowd spreads out.
        const busy = err && err.data && err.data.code === "busy";
        if (busy) {
          this.setStatus("reconnecting");
          const wait = Number(err.data.retry_ms) || 1000;
          setTimeout(() => this.socket.connect(), wait * (0.5 + Math.random()));
          return;
        }
        // A refusal by the server is final (the socket stops retrying); a network error is not.
        if (this.socket.active) this.setStatus("reconnecting");
        else this.refuse(err && err.message);
      });
      // Two changes committed close together are each broadcast after their own commit: on a busy
      // server, or across processes, the older one can arrive last. An older meeting message than
      // the state shown (from a meeting message or a snapshot) is not applied; nor older results.
      let meetingSeq = 0;
      const resultsSeq = new Map();
      this.socket.on("snapshot", (snap) => {
        if (typeof snap.seq === "number") meetingSeq = snap.seq;
        this.seen(snap.seq);
        this.connectedOnce = true;
        this.call("snapshot", snap);
        this.resend();
      });
      for (const name of ["meeting", "results", "event", "presence", "archived", "team_presence", "admission"]) {
        this.socket.on(name, (message) => {
          if (name === "meeting" && message && typeof message.seq === "number") {
            if (message.seq < meetingSeq) return;
            meetingSeq = message.seq;
          }
          if (name === "results" && message && message.item && typeof message.seq === "number") {
            if ((resultsSeq.get(message.item.id) || 0) > message.seq) return;
            resultsSeq.set(message.item.id, message.seq);
          }
          if (message && typeof message.seq === "number") this.seen(message.seq);
          this.call(name, message);
        });
      }
      this.setStatus("connecting");
    }

    call(name, message) {
      const handler = this.on[name];
      if (handler) handler(message);
    }

    seen(seq) {
      if (seq > this.seq) this.seq = seq;
    }

    setStatus(state, detail) {
      document.body.dataset.connection = state;
      if (!this.statusNode) return;
      const text = state === "refused" ? t(this.refusedKey) : t(state);
      this.statusNode.textContent = state === "connected" ? "" : text + (state === "refused" && detail ? " (" + detail + ")" : "");
      this.statusNode.className = "status status-" + state;
    }

    /* The server refused this page's connection: say why, and fail every pending action at
       once with that explanation (nothing will deliver them). */
    refuse(detail) {
      this.refused = { code: "refused", message: t(this.refusedKey) };
      this.setStatus("refused", detail);
      for (const entry of this.pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(this.refused);
      }
      this.pending.clear();
      this.call("refused", this.refused);
    }

    /* Emit an event whose ack is {ok, seq, ...}; resolves with the ack, or
       rejects with {code: "not_sent"} when it could not be delivered in time. */
    send(event, message) {
      const cid = clientId();
      const body = Object.assign({}, message, { cid });
      return new Promise((resolve, reject) => {
        const entry = { event, body, resolve, reject, started: Date.now(), timer: null };
        this.pending.set(cid, entry);
        this.attempt(cid);
      });
    }

    attempt(cid) {
      const entry = this.pending.get(cid);
      if (!entry) return;
      clearTimeout(entry.timer);
      if (this.refused) {
        this.pending.delete(cid);
        entry.reject(this.refused);
        return;
      }
      if (Date.now() - entry.started > GIVE_UP_MS) {
        this.pending.delete(cid);
        entry.reject({ code: "not_sent", message: t("not_sent") });
        return;
      }
      if (this.socket.connected) {
        this.socket.emit(entry.event, entry.body, (ack) => {
          if (!this.pending.has(cid)) return;
          // The server could not write yet (busy): nothing was applied; the retry timer
          // below sends the same action again, with the same cid.
          if (ack && !ack.ok && ack.error && ack.error.code === "busy") return;
          this.pending.delete(cid);
          clearTimeout(entry.timer);
          if (ack && typeof ack.seq === "number") this.seen(ack.seq);
          if (ack && ack.ok) entry.resolve(ack);
          else entry.reject((ack && ack.error) || { code: "error", message: t("not_sent") });
        });
      }
      entry.timer = setTimeout(() => this.attempt(cid), RETRY_MS);
    }

    resend() {
      for (const cid of this.pending.keys()) this.attempt(cid);
    }

    action(item, type, payload) {
      return this.send("action", { item, type, payload });
    }

    control(cmd, extra) {
      return this.send("control", Object.assign({ cmd }, extra || {}));
    }
  }

  /* A countdown from the server's clock, whatever the local clock says. */
  function startTimer(node, getMeeting) {
    let offset = 0;
    function tick() {
      const meeting = getMeeting();
      if (!meeting || !meeting.timer_end) {
        node.textContent = "";
        node.hidden = true;
        return;
      }
      const left = Math.max(0, Math.round(meeting.timer_end - (Date.now() / 1000 + offset)));
      node.hidden = false;
      node.textContent = t("time_left") + " " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      node.classList.toggle("timer-done", left === 0);
    }
    setInterval(tick, 500);
    return {
      sync(meeting) {
        if (meeting && meeting.now) offset = meeting.now - Date.now() / 1000;
        tick();
      },
    };
  }

  function renderExercise(root, audience, item, ctx) {
    const renderer = window.Facilitation.exercises[item.type];
    if (item.failed) {
      root.replaceChildren(el("p", { class: "notice", role: "status", text: t("exercise_failed") }));
      return;
    }
    if (!renderer || !renderer[audience]) {
      root.replaceChildren(el("p", { class: "muted", text: t("unknown_exercise") }));
      return;
    }
    try {
      keepingWhatIsTyped(root, () => renderer[audience](root, item, ctx));
    } catch (err) {
      // One exercise's script failing must not take the page down.
      root.replaceChildren(el("p", { class: "notice", role: "status", text: t("unknown_exercise") }));
      console.error(err);
    }
  }

  /* Live pushes redraw an exercise while people type in it: what they typed in a field (found
     again by its id), the focus and the caret stay where they were, so a results push never
     wipes half an answer or sends the next keystrokes nowhere. */
  const TYPED = ["checkbox", "radio", "hidden", "submit", "button", "file"];
  function keepingWhatIsTyped(root, render) {
    const active = document.activeElement;
    const focus = active && active !== root && root.contains(active) && active.id ? active : null;
    const caret = focus && typeof focus.selectionStart === "number" ? [focus.selectionStart, focus.selectionEnd] : null;
    const drafts = [...root.querySelectorAll("input[id], textarea[id]")]
      .filter((f) => !TYPED.includes(f.type) && f.value !== f.defaultValue)
      .map((f) => [f.id, f.value]);
    render();
    const find = (id) => root.querySelector("#" + CSS.escape(id));
    for (const [id, value] of drafts) {
      const field = find(id);
      if (field && !field.disabled && field.value === field.defaultValue) field.value = value;
    }
    if (focus) {
      const field = find(focus.id);
      if (field && !field.disabled && document.activeElement !== field) {
        field.focus({ preventScroll: true });
        if (caret) try { field.setSelectionRange(caret[0], caret[1]); } catch (e) { /* not a text field */ }
      }
    }
  }

  /* An `event` broadcast for the shown item: the exercise applies it in place (its `event`
     method), or else its data is merged into the item's view and the view drawn again. */
  function applyEvent(root, audience, item, message, ctx) {
    const renderer = window.Facilitation.exercises[item.type];
    if (renderer && renderer.event) {
      renderer.event(root, item, message, ctx);
      return;
    }
    if (message.data && typeof message.data === "object") {
      item.view = Object.assign({}, item.view, message.data);
      renderExercise(root, audience, item, ctx);
    }
  }

  /* A short message that needs no answer (see page.js). */
  function toast(text) {
    if (window.FacilitationPage) window.FacilitationPage.toast(text);
  }

  window.Facilitation = { Live, el, bdi, t, kept, startTimer, renderExercise, applyEvent, toast, exercises: {} };
})();
