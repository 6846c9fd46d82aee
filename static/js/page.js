/* Small enhancements of every page; each works without JavaScript too.
 *
 * - <html class="js">: controls meant only for browsers without JavaScript hide themselves;
 * - select[data-autosubmit]: the form is sent as soon as something is chosen (the language);
 * - button[data-copy="#id"]: copies that field's value and says so;
 * - form[data-confirm="question"]: a destructive action asks first, in a dialog ({name} in the
 *   question is data-confirm-name, someone's text, isolated); once confirmed the form also sends
 *   confirmed=yes; FacilitationPage.confirm(options) asks the same from a script;
 * - input[type=file][data-choose="Choose a file"][data-none="No file chosen"]: the picker says so
 *   in the page's language (the browser's own control speaks the browser's), with the chosen
 *   file's name beside it; the input itself stays, focusable, under its label;
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

  /* A question in a dialog before a destructive action, GOV.UK style; resolves true or false.
     {title, name, help, yes, no, focus}: `name` (someone's text) replaces "{name}" in the title,
     isolated in a <bdi>; the focus starts on "no" unless `focus` is "yes". */
  function confirm(options) {
    return new Promise((resolve) => {
      if (typeof HTMLDialogElement !== "function") {
        resolve(window.confirm(String(options.title).replace("{name}", options.name || "")));
        return;
      }
      const dialog = document.createElement("dialog");
      dialog.className = "dialog";
      dialog.setAttribute("aria-labelledby", "confirm-title");
      const title = document.createElement("h2");
      title.id = "confirm-title";
      const parts = String(options.title).split("{name}");
      parts.forEach((part, i) => {
        if (i) {
          const name = document.createElement("bdi");
          name.textContent = options.name || "";
          title.append(name);
        }
        title.append(document.createTextNode(part));
      });
      const row = document.createElement("div");
      row.className = "button-group";
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "danger";
      yes.dataset.role = "confirm";
      yes.textContent = options.yes || "OK";
      const no = document.createElement("button");
      no.type = "button";
      no.className = "secondary";
      no.dataset.role = "cancel";
      no.textContent = options.no || "Cancel";
      row.append(yes, no);
      dialog.append(title, row);
      if (options.help) {
        const help = document.createElement("p");
        help.textContent = options.help;
        title.after(help);
      }
      document.body.append(dialog);
      let answered = false;
      const answer = (value) => {
        if (answered) return;
        answered = true;
        if (dialog.open) dialog.close();
        dialog.remove();
        resolve(value);
      };
      no.addEventListener("click", () => answer(false));
      yes.addEventListener("click", () => answer(true));
      dialog.addEventListener("cancel", () => answer(false));
      dialog.addEventListener("close", () => answer(false));
      dialog.showModal();
      (options.focus === "yes" ? yes : no).focus();
    });
  }

  function wireConfirm(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.confirmed === "1" || typeof HTMLDialogElement !== "function") return;
      event.preventDefault();
      confirm({ title: form.dataset.confirm, name: form.dataset.confirmName, help: form.dataset.confirmHelp,
                yes: form.dataset.confirmYes, no: form.dataset.confirmNo }).then((yes) => {
        if (!yes) return;
        form.dataset.confirmed = "1";
        // Said in the form too: a server that asks again without it (no JavaScript) knows it was asked.
        const said = document.createElement("input");
        said.type = "hidden";
        said.name = "confirmed";
        said.value = "yes";
        form.append(said);
        form.submit();
      });
    });
  }

  function wireFilePicker(input) {
    const box = document.createElement("span");
    box.className = "file-picker";
    const pick = document.createElement("label");
    pick.htmlFor = input.id;
    pick.className = "button secondary small";
    pick.textContent = input.dataset.choose;
    const chosen = document.createElement("span");
    chosen.className = "file-chosen";
    chosen.id = input.id + "-chosen";
    chosen.dir = "auto";
    input.setAttribute("aria-describedby", chosen.id);
    const show = () => {
      chosen.textContent = input.files && input.files.length ? input.files[0].name : input.dataset.none || "";
    };
    input.after(box);
    box.append(input, pick, chosen);
    input.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const input of document.querySelectorAll("input[type=file][data-choose][id]")) wireFilePicker(input);
    for (const select of document.querySelectorAll("select[data-autosubmit]")) {
      select.addEventListener("change", () => select.form.submit());
    }
    for (const button of document.querySelectorAll("button[data-copy]")) wireCopy(button);
    for (const form of document.querySelectorAll("form[data-confirm]")) wireConfirm(form);
  });

  window.FacilitationPage = { toast, confirm };
})();
