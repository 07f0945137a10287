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

// focusables lists the controls inside root that Tab can reach, in
// order.
export function focusables(root) {
  return [...root.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")]
    .filter((e) => !e.disabled && e.tabIndex >= 0 && !e.closest("[hidden]") && e.getClientRects().length > 0)
    .filter((e) => e.type !== "radio" || e.checked || !root.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]:checked`));
}

// focusNear gives the focus back after a dialog or a redraw, to the first
// of places that is still on the page: an element itself, or an element
// found by a selector, the first control inside it when it is not one
// itself. It returns whether it found one. opts are focus()'s.
export function focusNear(places, opts = {}) {
  for (const p of places) {
    const e = typeof p === "string" ? document.querySelector(p) : p;
    if (!e || !e.isConnected) continue;
    const target = e.matches("a[href], button, input, select, textarea, summary, [tabindex]") && !e.disabled && e.tabIndex >= 0 ? e : focusables(e)[0];
    if (target) { target.focus(opts); return true; }
  }
  return false;
}

// where lists, for focusNear, where an element is: itself, its key
// (data-k), and the keys and identities of the elements around it.
export function where(e) {
  const out = [e];
  for (let x = e; x && x !== document.body; x = x.parentElement) {
    const k = x.getAttribute && x.getAttribute("data-k");
    if (k) out.push(`[data-k="${CSS.escape(k)}"]`);
    if (x.id) out.push(`#${CSS.escape(x.id)}`);
  }
  return out;
}

// dialog opens a modal form. build(form) fills the form and returns a
// function that reads the values (or throws an Error with a message for
// the user). It resolves to onSubmit's result, or null when cancelled.
// While onSubmit runs the dialog stays open; a failure is shown in it.
// Tab and Shift+Tab go round the dialog's controls (the page behind is
// out of reach), Escape closes it, and on closing the focus goes back to
// the control that opened it — or, when what the dialog did took that
// control away, to the nearest control where it was.
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
    const back = document.activeElement && document.activeElement !== document.body ? where(document.activeElement) : [];
    d.addEventListener("keydown", (ev) => {
      if (ev.key !== "Tab") return;
      const all = focusables(d);
      if (!all.length) return;
      const first = all[0], last = all[all.length - 1];
      if (ev.shiftKey && (document.activeElement === first || !d.contains(document.activeElement))) { ev.preventDefault(); last.focus(); }
      else if (!ev.shiftKey && (document.activeElement === last || !d.contains(document.activeElement))) { ev.preventDefault(); first.focus(); }
    });
    d.addEventListener("close", () => {
      d.remove();
      focusNear([...back, "main"]);
      resolve(result);
    });
    document.body.append(d);
    d.showModal();
    const first = form.querySelector("textarea, input, select");
    if (first) first.focus();
  });
}
