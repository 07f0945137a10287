// draftroom in the browser: the router, the log-in page and the list of
// documents. The room itself is room.js; the secretariat desk desk.js.
// Plain JavaScript modules served by the binary: no build step.

import { el, button, toast, field } from "./dom.js";
import { api } from "./api.js";
import { RoomPage } from "./room.js";
import { deskPage } from "./desk.js";
import { roleWords, typeWords, isViewer, day } from "./words.js";
import { t, lang, LANGUAGES, NATIVE, setLanguage, follow, choseLoggedOut, pendingChoice } from "./i18n.js";

const $app = document.getElementById("app");
const $conn = document.getElementById("conn");
const $who = document.getElementById("who");
const $nav = document.getElementById("nav");

let me = null;
let room = null; // the open RoomPage

const connWords = { connecting: t("conn.connecting"), connected: t("conn.connected"), reconnecting: t("conn.reconnecting"), closed: "" };

function setConn(state, detail) {
  $conn.textContent = connWords[state] + (detail && state !== "closed" ? ` (${detail})` : "");
  $conn.className = `conn conn-${state}`;
  $conn.dataset.state = state;
}

function leaveRoom() {
  if (room) { room.close(); room = null; }
  setConn("closed", "");
  document.body.classList.remove("projector-mode");
}

// whoWords names the person logged in: "Delegate of Kenya (delegation,
// KEN)"; a role their name already says is not repeated ("Chair", not
// "Chair (Chair)").
function whoWords(me) {
  const has = (w) => String(me.name).toLowerCase().includes(String(w).toLowerCase());
  const role = roleWords[me.role] || me.role;
  const parts = [];
  const offices = me.offices || [];
  if (!has(role) && !offices.length) parts.push(role);
  if (me.state && !String(me.name).includes(me.state)) parts.push(me.state);
  const first = parts.join(", ");
  // An officer's role says only that they may hold office; the offices
  // they hold come from the processes' elections.
  const held = offices.map((o) => {
    const r = roleWords[o.role] || o.role;
    return [has(r) ? "" : (o.body ? t("who.officeOf", { office: r, body: o.body }) : r), o.process, `${day(o.termStart)} – ${day(o.left || o.termEnd)}`].filter(Boolean).join(", ");
  });
  const all = [first, ...held].filter(Boolean);
  return all.length ? `${me.name} (${all.join("; ")})` : me.name;
}

function header() {
  $who.textContent = me ? whoWords(me) : "";
  const links = [];
  if (me) {
    links.push(el("a", { href: "#/" }, t("nav.documents")));
    if (me.role === "secretariat") links.push(el("a", { href: "#/desk" }, t("nav.desk")));
    links.push(button(t("nav.logout"), async () => {
      try { await api("POST", "/api/logout"); } catch (e) { toast(e.message); }
      me = null;
      leaveRoom();
      location.hash = "#/";
      route();
    }, { class: "secondary", id: "logout" }));
  }
  $nav.replaceChildren(...links, languageChooser());
}

// languageChooser is the person's choice of interface language, in the
// header on every page (the log-in page too), each language named in
// itself. A person logged in keeps it on the server, so that it follows
// them to any browser; a viewer (a projector) and the log-in page keep it
// in this browser only.
function languageChooser() {
  const s = el("select", { id: "ui-language", "aria-label": t("nav.language"), onchange: async (e) => {
    const l = e.target.value;
    if (me && !isViewer(me)) {
      try { await api("POST", "/api/me/language", { language: l }); } catch (err) { toast(err.message); e.target.value = lang; return; }
    } else if (!me) choseLoggedOut();
    setLanguage(l);
  } },
    LANGUAGES.map((l) => el("option", { value: l, lang: l, selected: l === lang }, NATIVE[l])));
  return el("label", { class: "ui-language" }, s);
}

function loginPage(message) {
  const code = el("input", { id: "code", name: "code", autocomplete: "one-time-code", autocapitalize: "characters", spellcheck: "false", placeholder: "XXXX-XXXX-XXXX", required: true });
  const err = el("p", { class: "error-text", role: "alert", id: "login-error" }, message || "");
  const form = el("form", { class: "login", onsubmit: async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    try {
      await api("POST", "/api/login", { code: code.value.trim() });
      route();
    } catch (e) {
      err.textContent = e.message;
      code.focus();
    }
  } }, el("h1", {}, t("login.title")),
  el("p", {}, t("login.intro")),
  field(t("login.code"), code), el("button", { type: "submit", class: "primary" }, t("login.submit")), err);
  $app.replaceChildren(form);
  code.focus();
}

async function listPage() {
  let docs;
  try { docs = await api("GET", "/api/documents"); } catch (e) { $app.replaceChildren(el("p", { class: "error-text" }, e.message)); return; }
  // A viewer (projector, public screen) opens every room in the
  // projector view.
  const viewer = isViewer(me);
  const rows = docs.map((d) => el("li", { class: "doc" },
    el("a", { href: `#/documents/${encodeURIComponent(d.id)}${viewer ? "/projector" : ""}`, class: "doc-link" }, el("span", { class: "symbol" }, d.symbol || d.id), " ", el("span", { dir: "auto" }, d.title)),
    el("span", { class: "hint" }, ` ${typeWords[d.type] || d.type || ""}`), " ",
    viewer ? null : el("a", { href: `#/documents/${encodeURIComponent(d.id)}/projector`, class: "hint" }, t("list.projector"))));
  $app.replaceChildren(el("div", { class: "list" },
    el("h1", {}, t("nav.documents")),
    docs.length ? el("ul", { class: "docs" }, rows) : el("p", {}, t("list.none")),
    me.role === "secretariat" ? el("p", {}, el("a", { href: "#/desk" }, t("nav.desk")), t("list.deskHint")) : null));
  $app.focus({ preventScroll: true });
}

async function route() {
  try { me = await api("GET", "/api/me"); } catch (e) { me = null; if (e.status !== 401) toast(e.message); }
  if (me && !isViewer(me)) {
    // The person's language, wherever they log in; a choice they made on
    // the log-in page before they had one becomes theirs.
    const pending = pendingChoice();
    if (me.uiLanguage) {
      if (follow(me.uiLanguage)) return;
    } else if (pending) {
      try { me = await api("POST", "/api/me/language", { language: pending }); } catch { /* kept in this browser */ }
    }
  }
  header();
  if (!me) { leaveRoom(); loginPage(); return; }
  const h = location.hash;
  if (h && !h.startsWith("#/")) return; // an in-page jump
  document.getElementById("toast").hidden = true;
  const m = h.match(/^#\/documents\/([^/]+)(\/projector|\/amendments)?$/);
  if (m) {
    const id = decodeURIComponent(m[1]);
    const projector = m[2] === "/projector" || isViewer(me);
    const mode = projector ? "projector" : m[2] === "/amendments" ? "amendments" : "text";
    if (room && room.id === id) { room.setMode(mode); return; }
    leaveRoom();
    room = new RoomPage($app, id, me, {
      mode,
      onConn: setConn,
      onEnded: (msg) => { leaveRoom(); me = null; header(); loginPage(msg); },
    });
    return;
  }
  leaveRoom();
  if (h === "#/desk" && me.role === "secretariat") { await deskPage($app); return; }
  await listPage();
}

for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
for (const n of document.querySelectorAll("[data-i18n-label]")) n.setAttribute("aria-label", t(n.dataset.i18nLabel));

window.addEventListener("hashchange", route);
document.querySelector(".skip").addEventListener("click", (e) => { e.preventDefault(); $app.focus(); });
route();
