/* Small enhancements of every page; each works without JavaScript too.
 *
 * - <html class="js">: controls meant only for browsers without JavaScript hide themselves;
 * - select[data-autosubmit]: the form is sent as soon as something is chosen (the language);
 * - button[data-copy="#id"]: copies that field's value and says so;
 * - form[data-confirm="question"]: a destructive action asks first, in a dialog;
 * - FacilitationPage.toast(text): a short message, read out politely, that fades by itself.
 * Text only ever goes through textContent.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  const TOAST_MS = 8000;

  function toast(text) {
    const region = document.getElementById("toasts");
    if (!region) return null;
    const node = document.createElement("div");
    node.className = "toast";
    const message = document.createElement("span");
    message.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "small";
    close.textContent = "×";
    close.setAttribute("aria-label", region.dataset.close || "×");
    close.addEventListener("click", () => node.remove());
    node.append(message, close);
    region.append(node);
    setTimeout(() => node.remove(), TOAST_MS);
    return node;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  function wireCopy(button) {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", () => {
      const done = () => {
        button.textContent = button.dataset.copied || label;
        toast(button.dataset.copied || label);
        setTimeout(() => { button.textContent = label; }, 3000);
      };
      copyText(field.value).then(done, () => {
        // Without the clipboard API (plain http on a LAN): select it, so one keystroke copies it.
        field.focus();
        field.select();
        if (document.execCommand && document.execCommand("copy")) done();
      });
    });
  }

  function wireConfirm(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.confirmed === "1" || typeof HTMLDialogElement !== "function") return;
      event.preventDefault();
      const dialog = document.createElement("dialog");
      dialog.className = "dialog";
      dialog.setAttribute("aria-labelledby", "confirm-title");
      const title = document.createElement("h2");
      title.id = "confirm-title";
      title.textContent = form.dataset.confirm;
      const row = document.createElement("div");
      row.className = "button-group";
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "danger";
      yes.dataset.role = "confirm";
      yes.textContent = form.dataset.confirmYes || "OK";
      const no = document.createElement("button");
      no.type = "button";
      no.className = "secondary";
      no.dataset.role = "cancel";
      no.textContent = form.dataset.confirmNo || "Cancel";
      row.append(yes, no);
      dialog.append(title, row);
      if (form.dataset.confirmHelp) {
        const help = document.createElement("p");
        help.textContent = form.dataset.confirmHelp;
        title.after(help);
      }
      document.body.append(dialog);
      const close = () => { dialog.close(); dialog.remove(); };
      no.addEventListener("click", close);
      dialog.addEventListener("cancel", () => dialog.remove());
      yes.addEventListener("click", () => {
        form.dataset.confirmed = "1";
        close();
        form.submit();
      });
      dialog.showModal();
      no.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const select of document.querySelectorAll("select[data-autosubmit]")) {
      select.addEventListener("change", () => select.form.submit());
    }
    for (const button of document.querySelectorAll("button[data-copy]")) wireCopy(button);
    for (const form of document.querySelectorAll("form[data-confirm]")) wireConfirm(form);
  });

  window.FacilitationPage = { toast };
})();
