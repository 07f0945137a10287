import { t as tr } from "./i18n.js";

// DOM helpers. User text is only ever placed with text nodes
// (createTextNode / textContent): never innerHTML, so a paragraph that
// holds markup shows the markup as text.

// el builds an element: el("button", {class: "x", onclick: f}, "Label").
// Attributes named on… become event listeners; false/null/undefined
// attributes and children are skipped; strings become text nodes.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
    else if (k === "value") e.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled") e[k] = !!v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === "") continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// button is a keyboard-usable button with a stable key, so that focus can
// be given back after the page is redrawn.
// Its direction follows its own label (dir=auto), so an English label
// inside an Arabic paragraph keeps its ellipsis at the end.
export function button(label, onclick, attrs = {}) {
  return el("button", { type: "button", dir: "auto", ...attrs, onclick }, label);
}

const $toast = () => document.getElementById("toast");

// toast shows a message to the user: errors stay until dismissed or
// replaced, notes fade after a few seconds.
export function toast(msg, kind = "error") {
  const t = $toast();
  if (!t) return;
  const close = button("×", () => { t.hidden = true; }, { class: "toast-close", "aria-label": tr("common.dismiss") });
  t.replaceChildren(el("span", { class: "toast-msg" }, msg), close);
  t.className = kind;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, kind === "error" ? 15000 : 4000);
}

// field wraps an input with its visible label.
export function field(label, input, hint) {
  const id = input.id || `f${++field.n}`;
  input.id = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), input, hint ? el("div", { class: "hint" }, hint) : null);
}
field.n = 0;

// dialog opens a modal form. build(form) fills the form and returns a
// function that reads the values (or throws an Error with a message for
// the user). It resolves to onSubmit's result, or null when cancelled.
// While onSubmit runs the dialog stays open; a failure is shown in it.
export function dialog(title, build, onSubmit, submitLabel = tr("common.submit")) {
  return new Promise((resolve) => {
    const err = el("div", { class: "dialog-error", role: "alert" });
    const form = el("form", { method: "dialog", class: "dialog-form" });
    const d = el("dialog", { "aria-label": title }, el("h2", {}, title), form);
    const read = build(form);
    const cancel = button(tr("common.cancel"), () => { d.close(); }, { class: "secondary" });
    const ok = el("button", { type: "submit", class: "primary" }, submitLabel);
    form.append(err, el("div", { class: "dialog-actions" }, cancel, ok));
    let result = null;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      err.textContent = "";
      ok.disabled = true;
      try {
        result = await onSubmit(read());
        d.close();
      } catch (e) {
        err.textContent = e.message || String(e);
      } finally {
        ok.disabled = false;
      }
    });
    d.addEventListener("close", () => { d.remove(); resolve(result); });
    document.body.append(d);
    d.showModal();
    const first = form.querySelector("textarea, input, select");
    if (first) first.focus();
  });
}
