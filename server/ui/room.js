// The live room: the delegation view, the facilitator console and the
// secretariat's room tools are one page whose controls follow the role;
// the projector view is the same text in large type with no controls.
//
// Drawing is keyed: each paragraph and each side panel is rebuilt only
// when what it shows changed, so a selection being made, a button with
// focus or a half-filled form survive the live updates of others.

import { el, button, toast, dialog, field } from "./dom.js";
import { api } from "./api.js";
import { RoomConnection } from "./conn.js";
import { renderText, selectionIn, splice, isRTL, cps } from "./text.js";
import {
  statusWords, outcomeWords, positionWords, positionLabels, typeWords, decisionWords, roleWords,
  isOfficer, isPen, isDelegate, parseStates, when, left,
} from "./words.js";

const POSITION_KINDS = ["support", "oppose", "reservation", "flexible"];

export class RoomPage {
  constructor(root, id, me, { projector, onConn, onEnded }) {
    this.root = root;
    this.id = id;
    this.me = me;
    this.projector = projector;
    this.onConn = onConn;
    this.follow = true;
    this.lastNow = null;
    this.cache = new Map(); // key -> {sig, node}
    this.openDetails = new Set();
    this.meetings = null;
    this.root.replaceChildren(el("p", { class: "loading" }, "Connecting to the room…"));
    this.conn = new RoomConnection(id, {
      onChange: () => this.render(),
      onState: (s, d) => onConn(s, d),
      onEnded,
      onNotice: (m) => toast(m),
    });
    this.tick = setInterval(() => this.updateClocks(), 1000);
  }

  setProjector(on) {
    this.projector = on;
    this.cache.clear();
    this.render();
  }

  close() {
    clearInterval(this.tick);
    this.conn.close();
  }

  // act sends a command and shows a refusal to the user.
  async act(name, command) {
    try {
      await this.conn.send(name, command);
      return true;
    } catch (e) {
      toast(e.message);
      return false;
    }
  }

  // keyed returns the cached node for key while sig is unchanged, else
  // builds it; focus inside the old node moves to the same control
  // (data-k) in the new one.
  keyed(key, sig, build) {
    const c = this.cache.get(key);
    if (c && c.sig === sig) return c.node;
    const node = build();
    if (c && c.node.contains(document.activeElement)) {
      const k = document.activeElement.getAttribute("data-k");
      if (k) this.refocus = k;
    }
    this.cache.set(key, { sig, node });
    return node;
  }

  // ---- derived state ----

  para(id) { return this.view.paragraphs.find((p) => p.id === id); }

  stale(pos) {
    const v = this.view;
    if (pos.amendment) {
      const a = v.amendments.find((x) => x.id === pos.amendment);
      return !a || a.textVersion !== pos.version;
    }
    const p = this.para(pos.para);
    return !p || p.version !== pos.version;
  }

  positionsOn(para, amendment) {
    return this.view.positions.filter((x) => amendment ? x.amendment === amendment : (!x.amendment && x.para === para));
  }

  // subtree lists a paragraph and its subparagraphs.
  subtree(id) {
    const p = this.para(id);
    if (!p) return [];
    return [p, ...(p.children || []).flatMap((c) => this.subtree(c))];
  }

  // objections are the Oppose positions standing on a paragraph and its
  // subparagraphs: what keeps the chair from gavelling it.
  objections(id) {
    const ids = new Set(this.subtree(id).map((p) => p.id));
    return this.view.positions.filter((x) => !x.amendment && ids.has(x.para) && x.kind === "oppose");
  }

  number(id) {
    const p = this.para(id);
    return p ? (p.number || p.eId || p.id) : id;
  }

  now() { const r = this.view.room && this.view.room.reading; return r ? r.now || null : null; }

  // ---- drawing ----

  render() {
    const v = this.conn.view;
    if (!v) return;
    this.view = v;
    const now = this.now();
    document.body.classList.toggle("projector-mode", this.projector);
    const dirDoc = v.language === "ar" ? "rtl" : null;

    const body = [];
    for (const s of v.sections) {
      if (s.heading) body.push(this.keyed(`h/${s.id}`, `${s.heading}/${s.level}`, () => el(s.level > 1 ? "h3" : "h2", { dir: "auto", class: "section-head" }, s.heading)));
      const add = (id) => {
        const p = this.para(id);
        if (!p) return;
        body.push(this.paragraph(p, now));
        for (const c of p.children || []) add(c);
      };
      for (const id of s.paras) add(id);
    }
    const text = this.keyedList("text", "section", { class: "text-col", "aria-label": "Text of the document", lang: v.language || null, dir: dirDoc }, body);

    if (!this.wrap) {
      this.wrap = el("div", { class: "room" });
      this.grid = el("div", { class: "room-grid" });
      this.root.replaceChildren(this.wrap);
    }
    this.wrap.className = this.projector ? "room projector" : "room";
    if (this.projector) {
      setChildren(this.wrap, [this.projectorHead(now), text]);
    } else {
      const side = this.keyedList("side", "aside", { class: "side-col", "aria-label": "Proceedings" }, this.sidePanels(now));
      setChildren(this.grid, [text, side]);
      setChildren(this.wrap, [this.head(now), this.grid]);
    }
    if (this.refocus) {
      const f = this.root.querySelector(`[data-k="${CSS.escape(this.refocus)}"]`);
      if (f) f.focus({ preventScroll: true });
      this.refocus = null;
    }
    if (now && now !== this.lastNow && (this.follow || this.projector)) {
      const n = document.getElementById(`para-${now}`);
      if (n) n.scrollIntoView({ block: "center", behavior: this.lastNow ? "smooth" : "auto" });
    }
    this.lastNow = now;
    this.updateClocks();
  }

  // keyedList keeps one container element and replaces its children only
  // when they differ.
  keyedList(key, tag, attrs, children) {
    let c = this.cache.get(key);
    if (!c) { c = { node: el(tag, attrs) }; this.cache.set(key, c); }
    const node = c.node;
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") continue;
      if (v === null || v === undefined) node.removeAttribute(k); else node.setAttribute(k, v);
    }
    setChildren(node, children);
    return node;
  }

  head(now) {
    const v = this.view;
    const revs = v.revisions || [];
    const counts = {};
    for (const p of v.paragraphs) counts[p.status] = (counts[p.status] || 0) + 1;
    const sig = JSON.stringify([v.title, v.symbol, v.type, revs, counts, now, this.follow]);
    return this.keyed("head", sig, () => {
      const base = `#/documents/${encodeURIComponent(v.id)}`;
      const summary = Object.entries(counts).map(([k, n]) => `${n} ${statusWords[k] || k}`).join(" · ");
      const followBox = el("input", { type: "checkbox", id: "follow", checked: this.follow, "data-k": "follow",
        onchange: (e) => { this.follow = e.target.checked; if (this.follow) this.lastNow = null; this.render(); } });
      return el("header", { class: "doc-head" },
        el("h1", { dir: "auto" }, v.title || v.id),
        el("div", { class: "meta" }, el("span", { class: "symbol" }, v.symbol || v.id), " · ", typeWords[v.type] || v.type,
          revs.length ? ` · last issued: ${revs[revs.length - 1].symbol} (${revs[revs.length - 1].date})` : " · no revision issued yet"),
        el("div", { class: "meta" }, summary),
        el("div", { class: "head-tools" },
          now ? el("a", { href: `#para-${now}`, class: "now-link", onclick: (e) => { e.preventDefault(); const n = document.getElementById(`para-${now}`); if (n) { n.scrollIntoView({ block: "center" }); n.focus(); } } }, `Now reading: ${this.number(now)}`) : el("span", { class: "now-link idle" }, "No paragraph being read"),
          el("label", { class: "follow", for: "follow" }, followBox, " follow the reading"),
          el("a", { href: "#proceedings", class: "jump-side", onclick: (e) => { e.preventDefault(); const n = this.root.querySelector(".side-col"); if (n) n.scrollIntoView({ block: "start" }); } }, "Floor and proceedings ↓"),
          el("a", { href: `${base}/projector`, class: "button-link" }, "Projector view")));
    });
  }

  projectorHead(now) {
    const v = this.view;
    const r = v.room.reading;
    const speaking = r && r.speakers && r.speakers.length ? r.speakers[r.speakers.length - 1].delegation : "";
    const next = r && r.queue && r.queue.length ? r.queue.map((q) => q.delegation).join(", ") : "";
    const sig = JSON.stringify([v.title, v.symbol, now, speaking, next, this.number(now)]);
    return this.keyed("phead", sig, () => el("header", { class: "doc-head" },
      el("div", { class: "meta" }, el("span", { class: "symbol" }, v.symbol || v.id), " — ", el("span", { dir: "auto" }, v.title)),
      el("div", { class: "projector-bar" },
        el("span", { class: "now-link" }, now ? `Now reading: paragraph ${this.number(now)}` : "No paragraph being read"),
        speaking ? el("span", {}, `Floor: ${speaking}`) : null,
        next ? el("span", {}, `Next: ${next}`) : null,
        el("a", { href: `#/documents/${encodeURIComponent(v.id)}`, class: "button-link leave" }, "Leave projector view"))));
  }

  paragraph(p, now) {
    const v = this.view;
    const amends = v.amendments.filter((a) => a.para === p.id && !a.parent);
    const subs = v.amendments.filter((a) => a.parent && amends.some((x) => x.id === a.parent));
    const all = [...amends, ...subs];
    const pos = v.positions.filter((x) => x.para === p.id || all.some((a) => a.id === x.amendment)).map((x) => [x, this.stale(x)]);
    const objections = this.objections(p.id).map((x) => [x.state, x.para, this.stale(x), x.comment]);
    const sil = v.room.silence && v.room.silence.status === "open" && (!v.room.silence.para || v.room.silence.para === p.id) ? v.room.silence.number : 0;
    const sig = JSON.stringify([p, all, pos, objections, p.id === now, sil, this.projector, this.openDetails.has(p.id), v.language]);
    return this.keyed(`p/${p.id}`, sig, () => this.buildParagraph(p, now, amends, subs));
  }

  buildParagraph(p, now, amends, subs) {
    const v = this.view;
    const me = this.me;
    const rtl = v.language === "ar" || isRTL(p.text);
    const text = renderText(p);
    const cls = ["para", `status-${p.status}`, `level-${p.level || 0}`];
    if (p.id === now) cls.push("now");
    if (p.deleted) cls.push("deleted");
    const box = el("article", { class: cls.join(" "), id: `para-${p.id}`, "data-para": p.id, tabindex: "-1", dir: rtl ? "rtl" : "auto",
      "aria-current": p.id === now ? "true" : null, "aria-label": p.number ? `paragraph ${p.number}` : "unnumbered paragraph" });
    if (p.option) box.append(el("div", { class: "option" }, p.option));
    box.append(el("div", { class: "para-line" },
      p.number ? el("span", { class: "num" }, p.level ? p.number : `${p.number}.`) : null,
      text,
      el("span", { class: `badge status-${p.status}` }, statusWords[p.status] || p.status),
      p.id === now ? el("span", { class: "badge now-badge" }, "now reading") : null));
    if (p.problems && p.problems.length) {
      box.append(el("div", { class: "problems" }, p.problems.map((x) => `Unbalanced “${x.char}” at character ${x.offset}: ${x.message}. `)));
    }
    const objections = this.objections(p.id);
    if (objections.length) {
      box.append(el("div", { class: "objections", role: "note" }, "Standing objection: ",
        objections.map((o, i) => [i ? "; " : "", el("strong", {}, o.state),
          o.para !== p.id ? ` (on ${this.number(o.para)})` : "",
          this.stale(o) ? " (stated on an earlier text: it stands until the delegation says otherwise)" : "", o.comment ? el("span", { dir: "auto" }, ` — “${o.comment}”`) : ""])));
    }
    const pl = this.positionLine(this.positionsOn(p.id, null).filter((x) => x.kind !== "oppose"));
    if (pl) box.append(pl);

    const pending = amends.filter((a) => a.status === "proposed");
    const decided = amends.filter((a) => a.status !== "proposed");
    if (pending.length) {
      box.append(el("ul", { class: "amendments", "aria-label": "Pending amendments" }, pending.map((a) => this.amendment(a, p, subs))));
    }
    if (decided.length && !this.projector) {
      const d = el("details", { class: "decided", open: this.openDetails.has(p.id) },
        el("summary", {}, `Decided amendments (${decided.length})`),
        el("ul", { class: "amendments" }, decided.map((a) => this.amendment(a, p, subs))));
      d.addEventListener("toggle", () => { if (d.open) this.openDetails.add(p.id); else this.openDetails.delete(p.id); });
      box.append(d);
    }
    if (!this.projector) {
      const acts = this.paragraphActions(p, text);
      if (acts.childNodes.length) box.append(acts);
    }
    return box;
  }

  // positionLine groups positions by kind: "supports: KEN, BRA · objects: CHN".
  positionLine(list) {
    if (!list.length) return null;
    const by = {};
    for (const x of list) (by[x.kind] = by[x.kind] || []).push(x);
    const parts = [];
    for (const k of ["support", "flexible", "reservation", "oppose", "dissociation"]) {
      if (!by[k]) continue;
      parts.push(el("span", { class: `pos-group pos-${k}` }, el("span", { class: "pos-kind" }, `${positionLabels[k] || k}: `),
        by[k].map((x, i) => el("span", { class: this.stale(x) ? "pos stale" : "pos", title: x.comment || null },
          i ? ", " : "", x.state, this.stale(x) ? " (on an earlier text)" : "", x.comment ? el("span", { class: "pos-comment", dir: "auto" }, ` “${x.comment}”`) : ""))));
    }
    return el("div", { class: "positions" }, parts);
  }

  // runsView shows redline runs as the exports do: kept text, <del> and
  // <ins>, each run in its own formatting.
  runsView(runs) {
    return el("span", { class: "preview", dir: "auto" }, runs.map((r) => {
      let node = r.text;
      for (const f of r.emphasis || []) {
        node = el(f === "bold" ? "strong" : f === "italic" ? "em" : "code", {}, node);
      }
      if (r.op === "insert") return el("ins", {}, node);
      if (r.op === "delete") return el("del", {}, node);
      return el("span", { class: r.restyled ? "restyled" : "ctx" }, node);
    }));
  }

  describeChange(a, p) {
    const ctx = (s) => s ? el("span", { class: "ctx", dir: "auto" }, s) : null;
    if (a.preview && a.preview.length) {
      const view = this.runsView(a.preview);
      switch (a.op) {
        case "insert": case "replace": return [view];
        case "delete": return ["delete ", view];
        case "add-paragraph": return [`new paragraph after ${p.number || "this one"}: `, view];
        case "replace-paragraph": return [`replace paragraph ${p.number || ""}: `, view];
      }
    }
    switch (a.op) {
      case "insert": return [ctx(a.anchor && a.anchor.before ? "…" + a.anchor.before : ""), el("ins", { dir: "auto" }, a.newText), ctx(a.anchor && a.anchor.after ? a.anchor.after + "…" : "")];
      case "delete": return ["delete ", el("del", { dir: "auto" }, a.anchor ? a.anchor.text : "")];
      case "replace": return ["replace ", el("del", { dir: "auto" }, a.anchor ? a.anchor.text : ""), " by ", el("ins", { dir: "auto" }, a.newText)];
      case "add-paragraph": return [`new paragraph after ${p.number || "this one"}: `, el("ins", { dir: "auto" }, a.newText)];
      case "delete-paragraph": return [`delete paragraph ${p.number || ""}`];
      case "move-paragraph": return [`move paragraph ${p.number || ""} after ${a.after ? this.number(a.after) : "the start"}`];
      case "replace-paragraph": return [`replace paragraph ${p.number || ""} by: `, el("ins", { dir: "auto" }, a.newText)];
      default: return [a.op, a.newText ? [": ", el("ins", { dir: "auto" }, a.newText)] : ""];
    }
  }

  amendment(a, p, subs) {
    const me = this.me;
    const open = a.status === "proposed";
    const li = el("li", { class: `amend status-${a.status}`, id: `amend-${a.id}`, "data-amendment": a.id });
    const co = a.coSponsors && a.coSponsors.length ? a.coSponsors : [];
    li.append(el("div", { class: "amend-head" },
      el("strong", { class: "amend-id" }, a.id), " ",
      a.parent ? `amendment to ${a.parent} ` : "",
      "proposed by ", el("strong", { class: "proposer" }, a.proposer),
      co.length ? [" with ", el("span", { class: "cosponsors" }, co.join(", "))] : "",
      open ? "" : el("span", { class: `badge outcome-${a.status}` }, outcomeWords[a.status] || a.status),
      a.rebased ? el("span", { class: "badge" }, "carried onto the new text") : null));
    li.append(el("div", { class: "change", dir: "auto" }, this.describeChange(a, p)));
    if (a.comment) li.append(el("div", { class: "comment", dir: "auto" }, `“${a.comment}”`));
    if (a.reason) li.append(el("div", { class: "comment" }, a.reason));
    const pl = this.positionLine(this.positionsOn(a.para, a.id));
    if (pl) li.append(pl);
    for (const s of subs.filter((x) => x.parent === a.id && x.status === "proposed")) {
      li.append(el("ul", { class: "amendments sub" }, this.amendment(s, p, [])));
    }
    if (!open || this.projector) return li;
    const acts = el("div", { class: "actions", role: "group", "aria-label": `Actions on ${a.id}` });
    const k = (x) => `${a.id}/${x}`;
    if (isDelegate(me)) {
      const mine = this.view.positions.find((x) => x.amendment === a.id && x.state === me.state);
      for (const kind of POSITION_KINDS) {
        acts.append(button(positionLabels[kind], () => this.act("position.state", { state: me.state, para: a.para, amendment: a.id, kind }),
          { "data-k": k(kind), "aria-pressed": mine && mine.kind === kind ? "true" : "false", class: `pos-btn pos-${kind}` }));
      }
      acts.append(button("With a comment…", () => this.positionDialog(p, a), { "data-k": k("comment"), class: "secondary" }));
      if (mine) acts.append(button("Withdraw my position", () => this.act("position.state", { state: me.state, para: a.para, amendment: a.id, withdraw: true }), { "data-k": k("unpos"), class: "secondary" }));
      if (a.proposer === me.state) {
        acts.append(button("Withdraw amendment", () => this.act("amendment.decide", { amendment: a.id, outcome: "withdrawn" }), { "data-k": k("withdraw"), class: "danger" }));
      } else if (co.includes(me.state)) {
        acts.append(button("Stop co-sponsoring", () => this.act("amendment.cosponsor", { amendment: a.id, state: me.state, withdraw: true }), { "data-k": k("unco"), class: "secondary" }));
      } else {
        acts.append(button("Co-sponsor", () => this.act("amendment.cosponsor", { amendment: a.id, state: me.state }), { "data-k": k("cosponsor") }));
      }
    }
    if (isOfficer(me)) {
      const against = this.positionsOn(a.para, a.id).filter((x) => x.kind === "oppose");
      if (against.length) acts.append(el("span", { class: "warn" }, `Objection: ${against.map((x) => x.state).join(", ")}`));
      acts.append(button("Accept", () => this.act("amendment.decide", { amendment: a.id, outcome: "accepted" }), { "data-k": k("accept"), class: "primary" }));
      acts.append(button("Accept as modified…", () => this.modifyDialog(a), { "data-k": k("modify") }));
      if (a.op !== "move-paragraph") acts.append(button("Put in brackets", () => this.act("amendment.decide", { amendment: a.id, outcome: "incorporated-in-brackets" }), { "data-k": k("brackets") }));
      acts.append(button("Reject", () => this.act("amendment.decide", { amendment: a.id, outcome: "rejected" }), { "data-k": k("reject"), class: "danger" }));
    }
    if (acts.childNodes.length) li.append(acts);
    return li;
  }

  paragraphActions(p, text) {
    const me = this.me;
    const acts = el("div", { class: "actions", role: "group", "aria-label": `Actions on paragraph ${p.number || ""}` });
    const k = (x) => `${p.id}/${x}`;
    if (isDelegate(me)) {
      const mine = this.view.positions.find((x) => !x.amendment && x.para === p.id && x.state === me.state);
      // The selection is read on pointer-down, before the click moves it.
      const propose = button("Propose amendment…", () => this.proposeDialog(p, propose.sel), { "data-k": k("propose"), class: "primary" });
      propose.addEventListener("pointerdown", () => { propose.sel = selectionIn(text, p); });
      propose.addEventListener("keydown", () => { propose.sel = selectionIn(text, p); });
      acts.append(propose);
      for (const kind of POSITION_KINDS) {
        acts.append(button(positionLabels[kind], () => this.act("position.state", { state: me.state, para: p.id, kind }),
          { "data-k": k(kind), "aria-pressed": mine && mine.kind === kind ? "true" : "false", class: `pos-btn pos-${kind}` }));
      }
      acts.append(button("With a comment…", () => this.positionDialog(p, null), { "data-k": k("comment"), class: "secondary" }));
      if (mine) acts.append(button("Withdraw my position", () => this.act("position.state", { state: me.state, para: p.id, withdraw: true }), { "data-k": k("unpos"), class: "secondary" }));
    }
    if (isOfficer(me)) {
      acts.append(button("Read now", () => this.act("reading.read", { para: p.id }), { "data-k": k("read"), class: "primary" }));
      if (p.status === "agreed-ad-ref") acts.append(button("Reopen", () => this.act("reading.reopen", { para: p.id }), { "data-k": k("reopen") }));
      else {
        acts.append(button("Agree ad ref", () => this.act("decision.take", { kind: "agree-ad-ref", para: p.id }), { "data-k": k("agree") }));
        // An objection stated on an earlier text still stands: the chair
        // asks the delegation, and sets it aside only by confirming so,
        // on the record (consulted).
        const stale = [...new Set(this.objections(p.id).filter((o) => this.stale(o)).map((o) => o.state))];
        if (stale.length) acts.append(button(`Agree, ${stale.join(", ")} consulted…`, () => this.confirmAct(
          `${stale.join(" and ")} objected to paragraph ${p.number || ""} on an earlier text. Confirm only after asking them that the objection does not stand on the current text; the decision records that you consulted them.`,
          "decision.take", { kind: "agree-ad-ref", para: p.id, consulted: stale }), { "data-k": k("agree-consulted"), class: "secondary" }));
      }
      acts.append(button("Silence procedure…", () => this.silenceDialog(p), { "data-k": k("silence"), class: "secondary" }));
    }
    if (isPen(me)) {
      const bracket = button("Bracket selection…", () => this.bracketDialog(p, bracket.sel), { "data-k": k("bracket") });
      bracket.addEventListener("pointerdown", () => { bracket.sel = selectionIn(text, p); });
      bracket.addEventListener("keydown", () => { bracket.sel = selectionIn(text, p); });
      acts.append(button("Edit text…", () => this.editDialog(p), { "data-k": k("edit") }), bracket);
      if (p.brackets && p.brackets.some((n) => n.kind !== 0)) acts.append(button("Clear brackets…", () => this.clearDialog(p), { "data-k": k("clear") }));
      acts.append(button("Add paragraph after…", () => this.addDialog(p), { "data-k": k("add"), class: "secondary" }));
      if (!p.deleted) acts.append(button("Strike out", () => this.confirmAct(`Strike out paragraph ${p.number || ""}? It stays visible, struck through, until the deletion is agreed.`, "paragraph.delete", { para: p.id }), { "data-k": k("delete"), class: "danger" }));
    }
    return acts;
  }

  // ---- dialogs ----

  confirmAct(question, name, cmd) {
    return dialog("Please confirm", (f) => { f.append(el("p", {}, question)); return () => null; },
      async () => { await this.conn.send(name, cmd); }, "Confirm");
  }

  proposeDialog(p, sel) {
    const me = this.me;
    const has = sel && sel.end > sel.start;
    const caret = sel && sel.end === sel.start;
    const ops = [];
    if (has) ops.push(["replace", "Replace the selected text"], ["delete", "Delete the selected text"], ["insert-before", "Insert before the selected text"], ["insert-after", "Insert after the selected text"]);
    else if (caret) ops.push(["insert", "Insert at the cursor"]);
    ops.push(["insert-end", "Add words at the end of the paragraph"], ["add-paragraph", "Add a new paragraph after this one"],
      ["replace-paragraph", "Replace the whole paragraph"], ["delete-paragraph", "Delete the whole paragraph"]);
    return dialog(`Propose an amendment to paragraph ${p.number || ""}`, (f) => {
      const op = el("select", { name: "op" }, ops.map(([v, l]) => el("option", { value: v }, l)));
      const nt = el("textarea", { name: "newText", rows: 4, dir: "auto" });
      const comment = el("input", { name: "comment", dir: "auto" });
      const quote = has ? el("blockquote", { class: "quote", dir: "auto" }, sel.text) : el("p", { class: "hint" }, caret ? `Cursor at character ${sel.start}.` : "Tip: select words in the paragraph first to replace or delete them.");
      const sync = () => {
        const o = op.value;
        nt.disabled = o === "delete" || o === "delete-paragraph";
        if (o === "replace-paragraph" && !nt.value) nt.value = p.text;
        if (o === "replace" && !nt.value && has) nt.value = sel.text;
      };
      op.addEventListener("change", sync);
      sync();
      f.append(quote, field("Amendment", op), field("New text", nt), field("Comment (optional)", comment),
        el("p", { class: "hint" }, "Other delegations co-sponsor it themselves, with the Co-sponsor button, once it is proposed."));
      return () => ({ op: op.value, newText: nt.value, comment: comment.value.trim() });
    }, async (x) => {
      const n = cps(p.text).length;
      const cmd = { proposer: me.state, para: p.id, version: p.version, comment: x.comment || undefined };
      const needText = () => { if (!x.newText.trim()) throw new Error("Write the new text."); };
      switch (x.op) {
        case "replace": needText(); Object.assign(cmd, { op: "replace", start: sel.start, end: sel.end, newText: x.newText }); break;
        case "delete": Object.assign(cmd, { op: "delete", start: sel.start, end: sel.end }); break;
        case "insert-before": needText(); Object.assign(cmd, { op: "insert", start: sel.start, end: sel.start, newText: x.newText }); break;
        case "insert-after": needText(); Object.assign(cmd, { op: "insert", start: sel.end, end: sel.end, newText: x.newText }); break;
        case "insert": needText(); Object.assign(cmd, { op: "insert", start: sel.start, end: sel.start, newText: x.newText }); break;
        case "insert-end": needText(); Object.assign(cmd, { op: "insert", start: n, end: n, newText: x.newText }); break;
        case "add-paragraph": needText(); Object.assign(cmd, { op: "add-paragraph", newText: x.newText, version: undefined }); break;
        case "replace-paragraph": needText(); Object.assign(cmd, { op: "replace-paragraph", newText: x.newText }); break;
        case "delete-paragraph": Object.assign(cmd, { op: "delete-paragraph" }); break;
      }
      await this.conn.send("amendment.propose", cmd);
    }, "Propose");
  }

  positionDialog(p, a) {
    const me = this.me;
    const adopted = p.status === "adopted" || !!this.view.room.adopted;
    const kinds = adopted ? [...POSITION_KINDS, "dissociation"] : POSITION_KINDS;
    return dialog(a ? `Your position on amendment ${a.id}` : `Your position on paragraph ${p.number || ""}`, (f) => {
      const kind = el("select", { name: "kind" }, kinds.map((k) => el("option", { value: k }, positionLabels[k])));
      const comment = el("textarea", { name: "comment", rows: 3, dir: "auto" });
      f.append(field("Position", kind), field("Comment or explanation", comment));
      return () => ({ kind: kind.value, comment: comment.value.trim() });
    }, async (x) => {
      await this.conn.send("position.state", { state: me.state, para: p.id, amendment: a ? a.id : undefined, kind: x.kind, comment: x.comment || undefined });
    }, "State position");
  }

  modifyDialog(a) {
    return dialog(`Accept ${a.id} as modified`, (f) => {
      const nt = el("textarea", { rows: 4, dir: "auto", value: a.newText || (a.anchor ? a.anchor.text : "") });
      f.append(el("p", { class: "hint" }, `Proposed by ${a.proposer}. The text as modified replaces what the amendment proposed.`), field("Text as modified", nt));
      return () => nt.value;
    }, async (t) => { await this.conn.send("amendment.decide", { amendment: a.id, outcome: "accepted-as-modified", newText: t }); }, "Accept as modified");
  }

  editDialog(p) {
    const version = p.version;
    const original = p.text;
    const pending = this.view.amendments.filter((a) => a.para === p.id && !a.parent && a.status === "proposed");
    return dialog(`Edit paragraph ${p.number || ""} (the pen)`, (f) => {
      const t = el("textarea", { rows: 6, dir: "auto", value: original, class: "pen" });
      f.append(field("Text", t, "Pending amendments are carried onto the new text, or marked obsolete when what they change is gone."));
      const boxes = pending.map((a) => el("input", { type: "checkbox", value: a.id, "data-amendment": a.id }));
      if (pending.length) {
        f.append(el("fieldset", { class: "merges" }, el("legend", {}, "This text is a compromise that merges:"),
          pending.map((a, i) => el("label", { class: "check" }, boxes[i], ` ${a.id} by ${a.proposer}`, el("span", { class: "hint", dir: "auto" }, ` — ${a.newText || (a.anchor && a.anchor.text) || a.op}`)))));
      }
      return () => ({ text: t.value, merges: boxes.filter((b) => b.checked).map((b) => b.value) });
    }, async (x) => {
      if (x.merges.length) {
        await this.conn.send("paragraph.replace", { para: p.id, version, text: x.text, merges: x.merges });
        return;
      }
      const s = splice(original, x.text);
      if (s.start === s.end && !s.insert) return;
      await this.conn.send("paragraph.edit", { para: p.id, version, start: s.start, end: s.end, insert: s.insert });
    }, "Save text");
  }

  bracketDialog(p, sel) {
    if (!sel || sel.end <= sel.start) {
      toast("Select the words to put in brackets in the paragraph first, then choose “Bracket selection…”.");
      return null;
    }
    const asking = [...new Set(this.positionsOn(p.id, null).filter((x) => x.kind === "oppose" || x.kind === "reservation").map((x) => x.state))];
    return dialog(`Put words of paragraph ${p.number || ""} in brackets`, (f) => {
      const by = el("input", { value: asking.join(", "), placeholder: "e.g. CHN, RUS", autocomplete: "off" });
      f.append(el("blockquote", { class: "quote", dir: "auto" }, sel.text), field("Asked for by (State or group codes)", by));
      return () => parseStates(by.value);
    }, async (by) => {
      if (!by.length) throw new Error("Name the delegations that ask for the brackets.");
      await this.conn.send("brackets.add", { para: p.id, version: p.version, start: sel.start, end: sel.end, by });
    }, "Add brackets");
  }

  clearDialog(p) {
    const list = [];
    const chars = cps(p.text);
    const walk = (nodes, alt) => {
      for (const n of nodes || []) {
        if (n.kind === 1) list.push({ index: n.index, text: chars.slice(n.start, n.end).join(""), by: n.by || [], alt, depth: n.depth || 1 });
        if (n.children) walk(n.children, n.kind === 2 || (alt && n.kind !== 1));
      }
    };
    walk(p.brackets, false);
    list.sort((a, b) => a.index - b.index);
    return dialog(`Brackets in paragraph ${p.number || ""}`, (f) => {
      f.append(el("p", { class: "hint" }, "Agree keeps the words and removes the brackets; drop deletes the words with their brackets. For alternatives, agree the one chosen and drop the others."));
      const ul = el("ul", { class: "bracket-list" });
      for (const b of list) {
        ul.append(el("li", {}, el("span", { class: "quote", dir: "auto" }, b.text),
          b.by.length ? el("span", { class: "hint" }, ` asked for by ${b.by.join(", ")}`) : "",
          b.alt ? el("span", { class: "hint" }, " (alternative)") : "", " ",
          button("Agree (keep words)", async () => { if (await this.act("brackets.clear", { para: p.id, version: p.version, index: b.index })) f.closest("dialog").close(); }),
          button("Drop", async () => { if (await this.act("brackets.clear", { para: p.id, version: p.version, index: b.index, drop: true })) f.closest("dialog").close(); }, { class: "danger" })));
      }
      f.append(ul);
      return () => null;
    }, async () => {}, "Done");
  }

  addDialog(p) {
    return dialog(`Add a paragraph after ${p.number || "this one"}`, (f) => {
      const t = el("textarea", { rows: 4, dir: "auto" });
      const numbered = el("input", { type: "checkbox", checked: !!p.number });
      f.append(field("Text", t), el("label", {}, numbered, " numbered (shown as “bis”, “ter”… until the next revision)"));
      return () => ({ text: t.value, numbered: numbered.checked });
    }, async (x) => {
      if (!x.text.trim()) throw new Error("Write the text of the new paragraph.");
      await this.conn.send("paragraph.add", { after: p.id, numbered: x.numbered, text: x.text });
    }, "Add paragraph");
  }

  silenceDialog(p) {
    const def = new Date(Date.now() + 72 * 3600 * 1000 + 10 * 60 * 1000); // the minimum, with a margin for the time it takes to send
    return dialog(p ? `Silence procedure on paragraph ${p.number || ""}` : "Silence procedure to adopt the document", (f) => {
      const d = el("input", { type: "datetime-local", value: localInput(def) });
      const why = el("input", { placeholder: "only for a deadline under 72 hours" });
      f.append(el("p", { class: "hint" }, p ? "The paragraph is agreed ad ref at the deadline unless a delegation objects." : "The document is adopted at the deadline unless a delegation objects."),
        field("Deadline (your time)", d), field("Reason for a shorter deadline", why));
      return () => ({ deadline: d.value ? new Date(d.value).toISOString() : undefined, shorten: why.value.trim() || undefined });
    }, async (x) => { await this.conn.send("silence.open", { para: p ? p.id : undefined, deadline: x.deadline, shorten: x.shorten }); }, "Open silence procedure");
  }

  async openReadingDialog() {
    const v = this.view;
    if (!v.room.process) {
      toast("This document belongs to no process, so there is no meeting to hold a reading in. The secretariat imports drafts into a process and body.");
      return;
    }
    let meetings = [];
    try {
      const r = await api("GET", `/api/processes/${encodeURIComponent(v.room.process)}`);
      meetings = (r.process.meetings || []).filter((m) => !m.cancelled && (!v.room.body || m.body === v.room.body));
    } catch (e) { toast(e.message); return; }
    const nowMs = Date.now();
    const current = meetings.find((m) => Date.parse(m.start) <= nowMs && nowMs < Date.parse(m.end)) || meetings.find((m) => Date.parse(m.start) > nowMs) || meetings[meetings.length - 1];
    return dialog("Open a reading", (f) => {
      const kind = el("select", {}, el("option", { value: "first" }, "First reading (general comments)"), el("option", { value: "second" }, "Second reading (textual proposals)"));
      const m = el("select", {}, meetings.map((x) => el("option", { value: x.id, selected: current && x.id === current.id }, `${x.title || x.id} (${when(x.start)})`)));
      f.append(field("Reading", kind), field("Meeting", m));
      return () => ({ kind: kind.value, meeting: m.value });
    }, async (x) => { await this.conn.send("reading.open", { kind: x.kind, process: v.room.process, meeting: x.meeting }); }, "Open reading");
  }

  issueDialog() {
    const v = this.view;
    const revs = v.revisions || [];
    return dialog("Issue a revision", (f) => {
      const kind = el("select", {}, [["zero-draft", "Zero draft"], ["rev", "Revision (Rev.n)"], ["l-document", "L-document"], ["final", "Final text"]]
        .map(([k, l]) => el("option", { value: k, selected: k === (revs.length ? "rev" : "zero-draft") }, l)));
      const sym = el("input", { placeholder: "default: the next symbol, e.g. …/Rev.1", autocomplete: "off" });
      const date = el("input", { type: "date" });
      f.append(el("p", { class: "hint" }, "Issuing freezes the text under its symbol and renumbers it; pending amendments and brackets carry forward."),
        field("Kind", kind), field("Symbol", sym), field("Date (default today)", date));
      return () => ({ kind: kind.value, symbol: sym.value.trim() || undefined, date: date.value ? `${date.value}T00:00:00Z` : undefined });
    }, async (x) => { await this.conn.send("revision.issue", x); }, "Issue");
  }

  // ---- side panels ----

  sidePanels(now) {
    const v = this.view;
    const me = this.me;
    const r = v.room || {};
    const panels = [];
    const rd = r.reading;
    const readingSig = JSON.stringify([rd && [rd.kind, rd.meeting, rd.now], now && this.number(now), me.role]);
    panels.push(this.keyed("pan/reading", readingSig, () => {
      const sec = el("section", { class: "panel", "aria-label": "Reading" }, el("h2", {}, "Reading"));
      if (!rd) sec.append(el("p", {}, "No reading in progress."));
      else {
        sec.append(el("p", {}, `${rd.kind === "first" ? "First" : "Second"} reading — `, el("span", { dir: "auto" }, rd.meeting.title || rd.meeting.id)));
        sec.append(el("p", { class: "now-line" }, now ? `Now reading: paragraph ${this.number(now)}` : "No paragraph being read yet."));
      }
      if (isOfficer(me)) {
        const acts = el("div", { class: "actions" });
        if (rd) {
          const order = v.paragraphs.filter((p) => !p.deleted);
          const i = order.findIndex((p) => p.id === now);
          const prev = i > 0 ? order[i - 1] : null;
          const next = i >= 0 ? order[i + 1] : order[0];
          acts.append(button("◀ Previous", () => prev && this.act("reading.read", { para: prev.id }), { disabled: !prev, "data-k": "prev" }),
            button("Next paragraph ▶", () => next && this.act("reading.read", { para: next.id }), { disabled: !next, "data-k": "next", class: "primary" }),
            button("Close reading", () => this.act("reading.close", {}), { "data-k": "close-reading", class: "secondary" }));
        } else {
          acts.append(button("Open a reading…", () => this.openReadingDialog(), { "data-k": "open-reading", class: "primary" }));
        }
        sec.append(acts);
      }
      return sec;
    }));

    if (rd) {
      const floorSig = JSON.stringify([rd.queue, rd.speakers && rd.speakers.slice(-1), me.role, me.state]);
      panels.push(this.keyed("pan/floor", floorSig, () => {
        const sec = el("section", { class: "panel", "aria-label": "Floor" }, el("h2", {}, "Floor"));
        const sp = rd.speakers || [];
        sec.append(el("p", {}, sp.length ? ["Speaking: ", el("strong", {}, sp[sp.length - 1].delegation)] : "Nobody has the floor."));
        const q = rd.queue || [];
        const ol = el("ol", { class: "queue", "aria-label": "Speakers' list" });
        for (const x of q) {
          ol.append(el("li", {}, x.delegation, isOfficer(me) ? [" ", button("Give floor", () => this.act("floor.give", { delegation: x.delegation }), { "data-k": `give/${x.delegation}` })] : ""));
        }
        sec.append(q.length ? ol : el("p", { class: "hint" }, "Nobody is waiting for the floor."));
        const acts = el("div", { class: "actions" });
        if (isDelegate(me)) {
          if (q.some((x) => x.delegation === me.state)) acts.append(button("Withdraw my request", () => this.act("floor.withdraw", { delegation: me.state }), { "data-k": "floor-withdraw", class: "secondary" }));
          else acts.append(button("Ask for the floor", () => this.act("floor.ask", { delegation: me.state }), { "data-k": "floor-ask", class: "primary" }));
        }
        if (isOfficer(me) && q.length) acts.append(button("Next speaker", () => this.act("floor.next", {}), { "data-k": "floor-next", class: "primary" }));
        if (acts.childNodes.length) sec.append(acts);
        return sec;
      }));
    }

    const sil = r.silence;
    const ended = this.conn.silenceEnded;
    const silSig = JSON.stringify([sil, ended, me.role, r.adopted, r.explanations, r.noConsensus, r.summary, v.type, (r.explanations || []).map((x) => this.number(x.para))]);
    panels.push(this.keyed("pan/silence", silSig, () => {
      const sec = el("section", { class: "panel", "aria-label": "Decisions" }, el("h2", {}, "Silence and adoption"));
      if (r.adopted) sec.append(el("p", { class: "adopted" }, `The document was adopted (${when(r.adopted)}).`));
      if (sil && sil.status === "open") {
        sec.append(el("p", { class: "silence" }, `Silence procedure on ${sil.para ? "paragraph " + this.number(sil.para) : "the whole document"} until ${when(sil.deadline)}: `,
          el("strong", { class: "countdown", "data-deadline": sil.deadline }, left(sil.deadline))));
        if (sil.shortened) sec.append(el("p", { class: "hint" }, `Shortened: ${sil.shortened}`));
        if (isDelegate(me)) sec.append(button("Break the silence…", () => this.breakDialog(), { "data-k": "break", class: "danger" }));
        if (isOfficer(me)) sec.append(button("Close the procedure", () => this.act("silence.close", {}), { "data-k": "silence-close", class: "secondary" }));
      } else if (ended && ended.type === "silence.broken") {
        sec.append(el("p", { class: "warn" }, `The silence was broken by ${ended.state}`, ended.explanation ? el("span", { dir: "auto" }, `: “${ended.explanation}”`) : "."));
      } else if (!r.adopted) {
        sec.append(el("p", { class: "hint" }, "No silence procedure in progress."));
      }
      const ex = r.explanations || [];
      if (ex.length) {
        sec.append(el("h3", {}, "Explanations of position"), el("ul", { class: "explanations" }, ex.map((x) => el("li", {}, el("strong", {}, x.state),
          x.para ? ` on paragraph ${this.number(x.para)}` : "", ": ", el("span", { dir: "auto" }, x.text)))));
      }
      if (r.noConsensus) sec.append(el("p", { class: "warn" }, "Consensus was not reached on this text.", r.noConsensus.note ? el("span", { dir: "auto" }, ` ${r.noConsensus.note}`) : "",
        r.noConsensus.summary ? ` A Chair's summary (${r.noConsensus.summary}) replaces it.` : ""));
      if (r.summary) {
        sec.append(el("p", { class: "statement", "data-k": "summary-statement" }, el("strong", {}, r.summary.statement)),
          el("p", { class: "hint" }, `Chair's summary issued on ${when(r.summary.date)}${r.summary.report ? ` in place of ${r.summary.report}` : ""}.`));
      } else if (v.type === "chairs-summary" && isOfficer(me)) {
        sec.append(el("div", { class: "actions" }, button("Issue the Chair's summary…", () => this.summaryDialog(), { "data-k": "issue-summary", class: "primary" })));
      }
      if (isDelegate(me)) sec.append(el("div", { class: "actions" }, button("Explain our position…", () => this.explainDialog(), { "data-k": "explain", class: "secondary" })));
      if (isOfficer(me) && !r.adopted && !r.noConsensus) {
        sec.append(el("div", { class: "actions" }, button("Record that consensus was not reached…", () => this.noConsensusDialog(), { "data-k": "no-consensus", class: "secondary" })));
      }
      if (isOfficer(me) && !r.adopted) {
        sec.append(el("div", { class: "actions" },
          button("Adopt the document", () => this.confirmAct("Adopt the whole document by consensus? It is refused while any delegation objects.", "decision.take", { kind: "adopt-document" }), { "data-k": "adopt" }),
          !sil || sil.status !== "open" ? button("Silence procedure for adoption…", () => this.silenceDialog(null), { "data-k": "silence-doc", class: "secondary" }) : null));
      }
      return sec;
    }));

    if (isOfficer(me) || me.role === "secretariat") {
      const objs = v.positions.filter((x) => x.kind === "oppose");
      const sig = JSON.stringify(objs.map((x) => [x.state, x.para, x.amendment, this.stale(x), x.comment, this.number(x.para)]));
      panels.push(this.keyed("pan/objections", sig, () => el("section", { class: "panel", "aria-label": "Standing objections" },
        el("h2", {}, "Standing objections"),
        objs.length ? el("ul", { class: "objection-list" }, objs.map((x) => el("li", {}, el("strong", {}, x.state), " on ",
          el("a", { href: `#para-${x.para}`, onclick: (e) => { e.preventDefault(); const n = document.getElementById(x.amendment ? `amend-${x.amendment}` : `para-${x.para}`); if (n) n.scrollIntoView({ block: "center" }); } },
            x.amendment ? `amendment ${x.amendment} (paragraph ${this.number(x.para)})` : `paragraph ${this.number(x.para)}`),
          this.stale(x) ? " (on an earlier text)" : "", x.comment ? el("span", { dir: "auto" }, ` — “${x.comment}”`) : "")))
          : el("p", { class: "hint" }, "None: nothing keeps the chair from gavelling."))));
    }

    const decs = r.decisions || [];
    if (decs.length) {
      panels.push(this.keyed("pan/decisions", JSON.stringify(decs.map((d) => [d, this.number(d.para)])), () => el("section", { class: "panel", "aria-label": "Decisions taken" },
        el("h2", {}, "Decisions taken"),
        el("ol", { class: "decisions" }, decs.map((d) => el("li", {}, decisionWords[d.kind] || d.kind,
          d.para ? ` — paragraph ${this.number(d.para)}` : "", d.amendment ? ` — ${d.amendment}` : "",
          el("span", { class: "hint" }, ` (${d.via === "silence-procedure" ? "silence procedure" : "consensus"}, ${when(d.at)}${d.consulted && d.consulted.length ? `; objections on an earlier text set aside after consulting ${d.consulted.join(", ")}` : ""})`)))))));
    }

    const revs = v.revisions || [];
    panels.push(this.keyed("pan/revisions", JSON.stringify([revs, me.role]), () => {
      const sec = el("section", { class: "panel", "aria-label": "Revisions" }, el("h2", {}, "Revisions"));
      sec.append(revs.length ? el("ol", { class: "revisions", start: 0 }, revs.map((x) => el("li", {}, el("span", { class: "symbol" }, x.symbol), ` ${x.date}`)))
        : el("p", { class: "hint" }, "No text issued yet."));
      if (me.role === "secretariat") sec.append(el("div", { class: "actions" }, button(revs.length ? "Issue next revision…" : "Issue zero draft…", () => this.issueDialog(), { "data-k": "issue", class: "primary" })));
      return sec;
    }));

    panels.push(this.keyed("pan/downloads", JSON.stringify(revs), () => this.downloads(revs)));
    const presence = [...this.conn.presence.values()];
    panels.push(this.keyed("pan/presence", JSON.stringify(presence), () => el("section", { class: "panel", "aria-label": "Who is connected" },
      el("h2", {}, "In the room"),
      presence.length ? el("ul", { class: "presence" }, presence.map((p) => el("li", {}, p.state || p.name || p.person,
        el("span", { class: "hint" }, ` ${roleWords[p.role] || p.role}${p.people > 1 ? ` · ${p.people} people` : ""}`)))) : el("p", { class: "hint" }, "Nobody else yet."))));

    return panels;
  }

  explainDialog() {
    const me = this.me;
    const v = this.view;
    return dialog("Explain your delegation's position", (f) => {
      const para = el("select", {}, el("option", { value: "" }, "the whole text"), v.paragraphs.filter((p) => p.number).map((p) => el("option", { value: p.id, selected: p.id === this.now() }, `paragraph ${p.number}`)));
      const t = el("textarea", { rows: 4, dir: "auto" });
      f.append(field("On", para), field(`Explanation by ${me.state}`, t));
      return () => ({ para: para.value || undefined, text: t.value.trim() });
    }, async (x) => {
      if (!x.text) throw new Error("Write the explanation.");
      await this.conn.send("position.explain", { state: me.state, para: x.para, text: x.text });
    }, "Put on the record");
  }

  summaryDialog() {
    return dialog("Issue the Chair's summary", (f) => {
      const report = el("input", { autocomplete: "off", placeholder: "document id of the report" });
      f.append(el("p", { class: "hint" }, "The summary is issued under the chair's own responsibility: it is not negotiated, does not reflect consensus, and its text no longer changes."),
        field("In place of the report (optional)", report));
      return () => report.value.trim();
    }, async (rep) => { await this.conn.send("summary.issue", { report: rep || undefined }); }, "Issue");
  }

  noConsensusDialog() {
    return dialog("Record that consensus was not reached", (f) => {
      const t = el("textarea", { rows: 3, dir: "auto" });
      f.append(el("p", { class: "hint" }, "The text is not adopted; a Chair's summary can be issued under the chair's own responsibility."), field("Note for the record", t));
      return () => t.value.trim();
    }, async (note) => { await this.conn.send("consensus.none", { note: note || undefined }); }, "Record");
  }

  breakDialog() {
    const me = this.me;
    return dialog("Break the silence", (f) => {
      const t = el("textarea", { rows: 3, dir: "auto" });
      f.append(el("p", { class: "hint" }, `Objecting on behalf of ${me.state} ends the silence procedure: the text is not agreed.`), field("Your objection", t));
      return () => t.value.trim();
    }, async (x) => { await this.conn.send("silence.break", { state: me.state, explanation: x || undefined }); }, "Object");
  }

  downloads(revs) {
    const v = this.view;
    const base = `/api/documents/${encodeURIComponent(v.id)}`;
    const report = el("select", { "aria-label": "Report", "data-k": "dl-report" }, [["clean", "Clean text"], ["compare", "Compare (redline)"], ["compilation", "Compilation of proposals"], ["status", "Status report"]].map(([k, l]) => el("option", { value: k }, l)));
    const format = el("select", { "aria-label": "Format", "data-k": "dl-format" }, [["docx", "Word (.docx)"], ["html", "HTML"], ["md", "Markdown"], ["akn", "Akoma Ntoso XML"], ["json", "JSON"]].map(([k, l]) => el("option", { value: k }, l)));
    const revOpts = () => [el("option", { value: "live" }, "live text"), ...revs.map((x) => el("option", { value: String(x.number) }, x.symbol))];
    const rev = el("select", { "aria-label": "Of", "data-k": "dl-rev" }, revOpts());
    const against = el("select", { "aria-label": "Against", "data-k": "dl-against" }, revOpts());
    if (revs.length) against.value = String(revs[revs.length - 1].number);
    if (revs.length > 1) { against.value = String(revs[revs.length - 2].number); rev.value = String(revs[revs.length - 1].number); }
    const style = el("select", { "aria-label": "Style", "data-k": "dl-style" }, [["strike-underline", "struck / underlined"], ["strike-bold", "struck / bold"], ["two-columns", "two columns"]].map(([k, l]) => el("option", { value: k }, l)));
    const link = el("a", { class: "button-link download", id: "download-link", download: "" }, "Download");
    const pdfLink = el("a", { class: "button-link download", id: "download-pdf", download: "" }, "Download PDF");
    const cmpOnly = el("div", { class: "compare-only" }, field("Against", against), field("Style", style));
    const sync = () => {
      const q = new URLSearchParams({ report: report.value, format: format.value, rev: rev.value });
      if (report.value === "compare") { q.set("against", against.value); q.set("style", style.value); }
      link.href = `${base}/export?${q}`;
      q.set("format", "pdf");
      pdfLink.href = `${base}/export?${q}`;
      cmpOnly.hidden = report.value !== "compare";
    };
    for (const s of [report, format, rev, against, style]) s.addEventListener("change", sync);
    sync();
    return el("section", { class: "panel", "aria-label": "Downloads" }, el("h2", {}, "Downloads"),
      el("div", { class: "dl-grid" }, field("Report", report), field("Format", format), field("Of", rev), cmpOnly),
      el("div", { class: "actions" }, link, pdfLink, el("a", { href: `${base}/record?format=html`, download: "", class: "button-link secondary" }, "Record of the room")));
  }

  updateClocks() {
    for (const c of this.root.querySelectorAll(".countdown[data-deadline]")) c.textContent = left(c.getAttribute("data-deadline"));
  }
}

// setChildren makes node's children exactly list, moving only what is
// out of place, so that unchanged children (and a selection in them)
// stay where they are.
function setChildren(node, list) {
  list.forEach((ch, i) => { if (node.children[i] !== ch) node.insertBefore(ch, node.children[i] || null); });
  while (node.children.length > list.length) node.lastElementChild.remove();
}

// localInput formats a date for a datetime-local input.
function localInput(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
