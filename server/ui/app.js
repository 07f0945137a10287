// draftroom browser client. It holds what the server sends (hello,
// snapshot, events with the views they changed) and never re-implements
// the engine. User text is only ever placed with textContent.

const $app = document.getElementById("app");
const $conn = document.getElementById("conn");
const $who = document.getElementById("who");
const $toast = document.getElementById("toast");

let me = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function toast(msg) {
  $toast.textContent = msg;
  $toast.hidden = false;
  clearTimeout(toast.t);
  toast.t = setTimeout(() => ($toast.hidden = true), 6000);
}

async function api(method, path, body) {
  const r = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!r.ok) {
    const msg = data && data.error ? data.error.message : `${r.status} ${r.statusText}`;
    throw new Error(msg);
  }
  return data;
}

// ---- Login and document list ----

function loginPage() {
  const code = el("input", { id: "code", autocomplete: "one-time-code", "aria-label": "Login code", placeholder: "XXXX-XXXX-XXXX" });
  const form = el("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    try { await api("POST", "/api/login", { code: code.value }); route(); } catch (e) { toast(e.message); }
  } }, el("h1", {}, "Log in"), el("p", {}, "Enter the one-time code the secretariat gave you."), code, " ", el("button", { type: "submit" }, "Log in"));
  $app.replaceChildren(form);
  code.focus();
}

async function listPage() {
  const docs = await api("GET", "/api/documents");
  const list = el("ul", {}, docs.map((d) => el("li", {}, el("a", { href: `#/documents/${encodeURIComponent(d.id)}` }, `${d.symbol || d.id} — ${d.title}`))));
  const parts = [el("h1", {}, "Documents"), docs.length ? list : el("p", {}, "No documents yet.")];
  if (me.role === "secretariat") parts.push(importForm());
  $app.replaceChildren(...parts);
}

function importForm() {
  const id = el("input", { "aria-label": "Document id", placeholder: "id, e.g. progress-report-2027", required: true });
  const lang = el("select", { "aria-label": "Language" }, ["en", "fr", "es", "ru", "zh", "ar"].map((l) => el("option", { value: l }, l)));
  const text = el("textarea", { rows: 8, cols: 60, "aria-label": "Draft text", placeholder: "# Title\n<!-- symbol: A/AC.292/2027/CRP.1 -->\n\n## A. Introduction\n\n1. …", dir: "auto" });
  const out = el("pre", { class: "pos" });
  return el("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api("POST", "/api/documents", { id: id.value, language: lang.value, text: text.value });
      const u = r.report.unbalanced || [];
      out.textContent = `Imported: ${r.report.paragraphs} paragraphs, ${r.report.brackets} brackets, ${u.length} unbalanced.\n` +
        u.map((x) => `line ${x.line}, ${x.where}, character ${x.offset}: ${x.message}`).join("\n");
      listPage();
    } catch (e) { toast(e.message); }
  } }, el("h2", {}, "Import a draft"), id, " ", lang, el("br"), text, el("br"), el("button", { type: "submit" }, "Import"), out);
}

// ---- The room ----

const room = { id: null, view: null, seq: 0, ws: null, retry: 0, presence: new Map(), projector: false, pending: new Map(), nextId: 1 };

function openRoom(id, projector) {
  if (room.ws && room.id === id) { room.projector = projector; render(); return; }
  if (room.ws) room.ws.close();
  Object.assign(room, { id, view: null, seq: 0, retry: 0, projector, presence: new Map() });
  connect();
}

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/ws/documents/${encodeURIComponent(room.id)}?since=${room.seq}`);
  room.ws = ws;
  $conn.textContent = room.seq ? "reconnecting…" : "connecting…";
  ws.onopen = () => { room.retry = 0; $conn.textContent = "connected"; $conn.classList.remove("down"); };
  ws.onmessage = (m) => { for (const msg of JSON.parse(m.data)) handle(msg); render(); };
  ws.onclose = (ev) => {
    if (room.ws !== ws) return;
    $conn.textContent = `disconnected${ev.reason ? ": " + ev.reason : ""} — reconnecting…`;
    $conn.classList.add("down");
    if (ev.code === 4001) { toast("Your session ended; log in again."); location.hash = "#/login"; return; }
    setTimeout(connect, Math.min(10000, 500 * 2 ** room.retry++));
  };
}

function byId(list, item) {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) list[i] = item; else list.push(item);
}

function posKey(p) { return `${p.amendment ? "a/" + p.amendment : "p/" + p.para}/${p.state}`; }

function handle(msg) {
  switch (msg.type) {
    case "hello":
      for (const p of msg.presence || []) room.presence.set(p.state || p.person, p);
      break;
    case "snapshot":
      room.view = msg.view;
      for (const k of ["sections", "paragraphs", "amendments", "positions", "revisions"]) room.view[k] = room.view[k] || [];
      room.seq = msg.seq;
      break;
    case "presence":
      for (const p of msg.presence || []) {
        const k = p.state || p.person;
        if (p.people === 0) room.presence.delete(k); else room.presence.set(k, p);
      }
      return;
    case "ack": room.pending.delete(msg.id); return;
    case "error": room.pending.delete(msg.id); toast(msg.message); return;
  }
  if (msg.view) room.view = msg.view;
  const v = room.view;
  if (!v) return;
  for (const p of msg.paragraphs || []) byId(v.paragraphs, p);
  for (const a of msg.amendments || []) byId(v.amendments, a);
  for (const p of msg.positions || []) {
    const k = posKey(p);
    v.positions = v.positions.filter((x) => posKey(x) !== k);
    if (!p.withdrawn) v.positions.push(p);
  }
  if (msg.roomState) v.room = msg.roomState;
  for (const e of msg.events || []) room.seq = Math.max(room.seq, e.streamSeq);
}

function send(name, command) {
  const id = `c${room.nextId++}`;
  room.pending.set(id, name);
  room.ws.send(JSON.stringify({ type: "command", id, name, command }));
}

// stale: a position's text version differs from its paragraph's (or its
// amendment's textVersion).
function isStale(v, pos) {
  if (pos.amendment) {
    const a = v.amendments.find((x) => x.id === pos.amendment);
    return !a || a.textVersion !== pos.version;
  }
  const p = v.paragraphs.find((x) => x.id === pos.para);
  return !p || p.version !== pos.version;
}

// renderText places a paragraph's text with its brackets, from the parsed
// tree the server sends (offsets in code points).
function renderText(p) {
  const cps = Array.from(p.text);
  const out = el("span", { class: "text", dir: "auto" });
  let at = 0;
  const walk = (nodes, into) => {
    for (const n of nodes || []) {
      if (n.kind === 0) into.append(document.createTextNode(cps.slice(n.start, n.end).join("")));
      else if (n.kind === 2) walk(n.children, into);
      else {
        const b = el("span", { class: "bracket", title: n.by ? `asked by ${n.by.join(", ")}` : "bracketed" }, "[");
        walk(n.children, b);
        b.append("]");
        if (n.by) b.append(el("span", { class: "by" }, n.by.join(", ")));
        into.append(b);
      }
      at = n.end;
    }
  };
  if (p.brackets) walk(p.brackets, out); else out.textContent = p.text;
  return out;
}

function positionsLine(v, pred) {
  const ps = v.positions.filter(pred);
  if (!ps.length) return null;
  return el("div", { class: "pos" }, ps.map((x) => el("span", { class: isStale(v, x) ? "stale" : "" },
    `${x.state}: ${x.kind}${isStale(v, x) ? " (on an earlier text)" : ""}${x.comment ? " — " + x.comment : ""}; `)));
}

// selectionIn returns the code-point offsets of the selection inside a
// paragraph's text element, or null.
function selectionIn(textEl, p) {
  const sel = window.getSelection();
  if (!sel.rangeCount) return null;
  const r = sel.getRangeAt(0);
  if (!textEl.contains(r.startContainer) || !textEl.contains(r.endContainer)) return null;
  const pre = document.createRange();
  pre.selectNodeContents(textEl);
  pre.setEnd(r.startContainer, r.startOffset);
  const start = Array.from(pre.toString()).length;
  const len = Array.from(r.toString()).length;
  // The rendered text holds the brackets as they are in the text itself,
  // plus the "by" labels, which we do not count: map by the source text.
  const shown = Array.from(textEl.textContent);
  const source = Array.from(p.text);
  if (shown.length !== source.length) return null;
  return { start, end: start + len };
}

function paragraphEl(v, p, now) {
  const mine = me.role === "delegate" ? me.state : null;
  const chair = ["chair", "vice-chair", "facilitator"].includes(me.role);
  const text = renderText(p);
  const box = el("div", { class: `para${p.id === now ? " now" : ""}${p.deleted ? " deleted" : ""}${p.level ? " sub" : ""}`, id: `para-${p.id}`, dir: v.language === "ar" ? "rtl" : "auto" },
    p.option ? el("div", { class: "pos" }, p.option) : null,
    p.number ? el("span", { class: "num" }, p.number + (p.level ? "" : ".")) : null,
    text,
    el("span", { class: "status" }, p.status));
  const pos = positionsLine(v, (x) => !x.amendment && x.para === p.id);
  if (pos) box.append(pos);
  for (const a of v.amendments.filter((x) => x.para === p.id && x.status === "proposed")) {
    const what = a.op === "insert" ? [el("ins", { dir: "auto" }, a.newText)]
      : a.op === "delete" ? [el("del", { dir: "auto" }, a.anchor.text)]
      : a.op === "replace" ? [el("del", { dir: "auto" }, a.anchor.text), " → ", el("ins", { dir: "auto" }, a.newText)]
      : [a.op.replace("-", " "), a.newText ? [": ", el("ins", { dir: "auto" }, a.newText)] : ""];
    const ab = el("div", { class: "amend" }, el("strong", {}, `${a.id} by ${a.proposer}`),
      a.coSponsors && a.coSponsors.length ? ` (with ${a.coSponsors.join(", ")})` : "", ": ", what);
    const ap = positionsLine(v, (x) => x.amendment === a.id);
    if (ap) ab.append(ap);
    const acts = el("div", { class: "actions" });
    if (mine) {
      for (const k of ["support", "oppose", "flexible"]) acts.append(el("button", { onclick: () => send("position.state", { state: mine, amendment: a.id, kind: k }) }, k));
      if (a.proposer !== mine) acts.append(el("button", { onclick: () => send("amendment.cosponsor", { amendment: a.id, state: mine }) }, "co-sponsor"));
      else acts.append(el("button", { onclick: () => send("amendment.decide", { amendment: a.id, outcome: "withdrawn" }) }, "withdraw"));
    }
    if (chair) {
      for (const o of ["accepted", "incorporated-in-brackets", "rejected"]) acts.append(el("button", { onclick: () => send("amendment.decide", { amendment: a.id, outcome: o }) }, o.replace(/-/g, " ")));
    }
    if (acts.childNodes.length) ab.append(acts);
    box.append(ab);
  }
  const acts = el("div", { class: "actions" });
  if (mine && !room.projector) {
    for (const k of ["support", "oppose", "reservation", "flexible"]) acts.append(el("button", { onclick: () => send("position.state", { state: mine, para: p.id, kind: k }) }, k));
    acts.append(el("button", { onclick: () => {
      const s = selectionIn(text, p);
      if (!s || s.start === s.end) { toast("Select the words to replace or delete in this paragraph first."); return; }
      const nt = prompt("Replace the selected text with (leave empty to delete it):", "");
      if (nt === null) return;
      send("amendment.propose", { proposer: mine, op: nt ? "replace" : "delete", para: p.id, version: p.version, start: s.start, end: s.end, newText: nt });
    } }, "amend selection"));
    acts.append(el("button", { onclick: () => {
      const nt = prompt("Text of the new paragraph to add after this one:", "");
      if (nt) send("amendment.propose", { proposer: mine, op: "add-paragraph", para: p.id, newText: nt });
    } }, "add paragraph after"));
  }
  if (chair && !room.projector) {
    acts.append(el("button", { onclick: () => send("reading.read", { para: p.id }) }, "read now"));
    acts.append(el("button", { onclick: () => send("decision.take", { kind: "agree-ad-ref", para: p.id }) }, "agree ad ref"));
    acts.append(el("button", { onclick: () => {
      const s = selectionIn(text, p);
      if (!s || s.start === s.end) { toast("Select the text to put in brackets first."); return; }
      const by = prompt("Brackets asked for by (State codes, comma separated):", "");
      if (by) send("brackets.add", { para: p.id, version: p.version, start: s.start, end: s.end, by: by.split(",").map((x) => x.trim().toUpperCase()).filter(Boolean) });
    } }, "bracket selection"));
  }
  if (acts.childNodes.length) box.append(acts);
  return box;
}

function sidePanel(v) {
  const r = v.room || {};
  const parts = [];
  const reading = r.reading;
  parts.push(el("div", {}, reading ? `${reading.kind} reading in ${reading.meeting.title || reading.meeting.id}` : "No reading in progress."));
  const presiding = ["chair", "vice-chair", "facilitator"].includes(me.role);
  if (presiding && reading) parts.push(el("button", { onclick: () => send("reading.close", {}) }, "close the reading"));
  if (presiding && !reading && r.process) {
    const kind = el("select", { "aria-label": "Reading" }, el("option", { value: "first" }, "first reading"), el("option", { value: "second" }, "second reading"));
    const meeting = el("input", { "aria-label": "Meeting id", placeholder: "meeting id, e.g. plenary-2026" });
    parts.push(el("form", { onsubmit: (ev) => { ev.preventDefault(); send("reading.open", { kind: kind.value, process: r.process, meeting: meeting.value }); } },
      kind, " ", meeting, " ", el("button", { type: "submit" }, "open the reading")));
  }
  if (reading) {
    const q = (reading.queue || []).map((x) => x.delegation).join(", ") || "nobody";
    parts.push(el("div", {}, `Floor queue: ${q}`));
    const sp = reading.speakers || [];
    if (sp.length) parts.push(el("div", {}, `Speaking: ${sp[sp.length - 1].delegation}`));
    if (me.role === "delegate") parts.push(el("button", { onclick: () => send("floor.ask", { delegation: me.state }) }, "ask for the floor"));
    if (["chair", "vice-chair", "facilitator"].includes(me.role)) parts.push(el("button", { onclick: () => send("floor.next", {}) }, "next speaker"));
  }
  if (r.silence) {
    const left = Math.max(0, Date.parse(r.silence.deadline) - Date.now());
    parts.push(el("div", { class: "pos" }, `Silence procedure until ${r.silence.deadline} (${Math.floor(left / 3600000)} h left)`));
    if (me.role === "delegate") parts.push(el("button", { onclick: () => {
      const why = prompt("Explain the objection that breaks the silence:", "");
      if (why !== null) send("silence.break", { state: me.state, explanation: why });
    } }, "break the silence"));
  }
  const pres = [...room.presence.values()].map((p) => p.state || p.name || p.person).join(", ");
  parts.push(el("div", { class: "pos" }, `Connected: ${pres || "—"}`));
  if (me.role === "secretariat") {
    const base = `/api/documents/${encodeURIComponent(v.id)}/export`;
    const revs = v.revisions || [];
    const links = [el("a", { href: `${base}?report=clean&format=docx` }, "clean (Word)"), " · ",
      el("a", { href: `${base}?report=clean&format=html` }, "clean (HTML)"), " · ",
      el("a", { href: `${base}?report=compilation&format=html` }, "compilation"), " · ",
      el("a", { href: `${base}?report=status&format=html` }, "status")];
    if (revs.length) links.push(" · ", el("a", { href: `${base}?report=compare&format=docx&against=${revs[revs.length - 1].number}` }, `compare with ${revs[revs.length - 1].symbol} (Word)`));
    parts.push(el("div", {}, "Download: ", links));
    parts.push(el("button", { onclick: () => send("revision.issue", { kind: revs.length ? "rev" : "zero-draft" }) }, revs.length ? "issue next Rev." : "issue zero draft"));
  }
  return el("aside", { class: "side" }, parts);
}

function render() {
  const v = room.view;
  if (!v || !location.hash.startsWith("#/documents/")) return;
  const now = v.room && v.room.reading ? v.room.reading.now : null;
  const byParent = new Map();
  for (const p of v.paragraphs) {
    if (!byParent.has(p.parent || "")) byParent.set(p.parent || "", []);
  }
  const pById = new Map(v.paragraphs.map((p) => [p.id, p]));
  const body = [];
  const add = (id) => {
    const p = pById.get(id);
    if (!p) return;
    body.push(paragraphEl(v, p, now));
    for (const c of p.children || []) add(c);
  };
  for (const s of v.sections) {
    if (s.heading) body.push(el(s.level > 1 ? "h3" : "h2", { dir: "auto" }, s.heading));
    for (const id of s.paras) add(id);
  }
  const head = el("div", {}, el("h1", { dir: "auto" }, v.title), el("div", { class: "pos" }, `${v.symbol} · ${v.type}`),
    el("a", { href: room.projector ? `#/documents/${encodeURIComponent(v.id)}` : `#/documents/${encodeURIComponent(v.id)}/projector` }, room.projector ? "leave projector view" : "projector view"));
  $app.className = room.projector ? "projector" : "";
  $app.replaceChildren(head, room.projector ? "" : sidePanel(v), ...body);
  if (now) {
    const n = document.getElementById(`para-${now}`);
    if (n && render.lastNow !== now) n.scrollIntoView({ block: "center", behavior: "smooth" });
    render.lastNow = now;
  }
}

// ---- Routing ----

async function route() {
  try { me = await api("GET", "/api/me"); } catch { me = null; }
  $who.textContent = me ? `${me.name} (${me.role}${me.state ? ", " + me.state : ""})` : "";
  if (!me) return loginPage();
  const h = location.hash;
  const m = h.match(/^#\/documents\/([^/]+)(\/projector)?$/);
  if (m) return openRoom(decodeURIComponent(m[1]), !!m[2]);
  if (room.ws) { room.ws.close(); room.ws = null; room.id = null; $conn.textContent = ""; }
  try { await listPage(); } catch (e) { toast(e.message); }
}

window.addEventListener("hashchange", route);
route();
