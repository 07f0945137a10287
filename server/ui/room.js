// The live room: the delegation view, the facilitator console and the
// secretariat's room tools are one page whose controls follow the role;
// the projector view is the same text in large type with no controls.
//
// Drawing is keyed: each paragraph and each side panel is rebuilt only
// when what it shows changed, so a selection being made, a button with
// focus or a half-filled form survive the live updates of others.

import { el, button, toast, dialog, field, focusNear } from "./dom.js";
import { t, list as andList, lang as uiLang, dir as uiDir } from "./i18n.js";

const tr = t;
import { api } from "./api.js";
import { RoomConnection } from "./conn.js";
import { AmendmentList } from "./list.js";
import { renderText, selectionIn, splice, isRTL, cps } from "./text.js";
import {
  statusWords, outcomeWords, positionWords, positionLabels, typeWords, decisionWords, roleWords,
  isOfficer, isPen, isDelegate, isViewer, parseStates, when, left, day, revisionWords, plural, changeWords, sentence,
} from "./words.js";

const POSITION_KINDS = ["support", "oppose", "reservation", "flexible"];

// languageName names a language in the interface's language: "français",
// "French", "法语".
const languageNames = new Intl.DisplayNames([uiLang === "en" ? "en-GB" : uiLang], { type: "language" });
function languageName(l) {
  try { return languageNames.of(l); } catch { return l; }
}

export class RoomPage {
  constructor(root, id, me, { mode, onConn, onEnded }) {
    this.root = root;
    this.id = id;
    this.me = me;
    this.mode = mode || "text"; // "text", "projector" or "amendments" (the list)
    this.projector = this.mode === "projector";
    this.onConn = onConn;
    this.follow = true;
    this.lines = localStorage.getItem("draftroom.lines") === "1"; // line numbers shown
    this.lastNow = null;
    this.cache = new Map(); // key -> {sig, node}
    this.openDetails = new Set();
    this.openMore = new Set(); // paragraphs whose "Text tools…" were opened
    this.openApplied = new Set(); // amendments shown applied
    this.closedMore = new Set(); // …or closed by hand
    this.meetings = null;
    // The language version followed beside the text, if any: chosen in
    // the head and remembered per document in this browser; by default a
    // translator's own language, else the interface's when the document
    // has that version.
    this.versionChoice = localStorage.getItem(`draftroom.version.${id}`);
    this.root.replaceChildren(el("p", { class: "loading" }, t("room.connecting")));
    this.conn = new RoomConnection(id, {
      onChange: () => this.render(),
      onState: (s, d) => onConn(s, d),
      onEnded,
      onNotice: (m) => toast(m),
    });
    this.tick = setInterval(() => this.updateClocks(), 1000);
    if (isDelegate(me) && !this.projector) {
      this.refreshDrafts();
      this.draftsTick = setInterval(() => { if (!document.hidden) this.refreshDrafts(); }, 3000);
    }
  }

  setMode(mode) {
    this.mode = mode;
    this.projector = mode === "projector";
    this.cache.clear();
    this.render();
  }

  close() {
    clearInterval(this.tick);
    clearInterval(this.draftsTick);
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
      // The same control in the new node or, when it is gone (the
      // "Agree ad ref" just used), the first control there.
      this.refocus = [...(document.activeElement.getAttribute("data-k") ? [`[data-k="${CSS.escape(document.activeElement.getAttribute("data-k"))}"]`] : []), node];
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

  // versions lists the languages of the document's language versions.
  versions() { return (this.view.versions || []).map((x) => x.language); }

  // followed is the language version shown beside the text, or "" for
  // none.
  followed() {
    const vs = this.versions();
    const c = this.versionChoice;
    if (c === "" || c === "none") return "";
    if (c && vs.includes(c)) return c;
    if (this.me.role === "translator" && vs.includes(this.me.language)) return this.me.language;
    return vs.includes(uiLang) ? uiLang : "";
  }

  // translationState is where a paragraph's translation into l stands:
  // "missing", "outdated" when the source paragraph changed since the
  // version it translates, or "current". The comparison is made here, as
  // the source moves on without the translations being sent again.
  translationState(p, l) {
    const x = (p.translations || {})[l];
    if (!x) return "missing";
    return x.source !== p.version ? "outdated" : "current";
  }

  // ---- drawing ----

  render() {
    const v = this.conn.view;
    if (!v) return;
    this.view = v;
    const now = this.now();
    document.body.classList.toggle("projector-mode", this.projector);
    // The document keeps its own direction whatever the interface's: an
    // English text stays left to right in the Arabic interface.
    const dirDoc = v.language === "ar" ? "rtl" : "ltr";

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
    const text = this.keyedList("text", "section", { class: "text-col", "aria-label": t("room.textLabel"), lang: v.language || "en", dir: dirDoc }, body);

    if (!this.wrap) {
      this.wrap = el("div", { class: "room" });
      this.grid = el("div", { class: "room-grid" });
      this.root.replaceChildren(this.wrap);
    }
    this.wrap.className = this.projector ? "room projector" : "room";
    if (this.projector) {
      setChildren(this.wrap, [this.projectorHead(now), text]);
    } else if (this.mode === "amendments") {
      if (!this.list) this.list = new AmendmentList(this);
      this.list.draw();
      setChildren(this.wrap, [this.head(now), this.list.node]);
    } else {
      const side = this.keyedList("side", "aside", { class: "side-col", "aria-label": t("room.proceedings") }, this.sidePanels(now));
      setChildren(this.grid, [text, side]);
      setChildren(this.wrap, [this.head(now), this.grid]);
    }
    if (this.refocus) {
      focusNear(this.refocus, { preventScroll: true });
      this.refocus = null;
    }
    if (now && now !== this.lastNow && (this.follow || this.projector)) {
      const n = document.getElementById(`para-${now}`);
      if (n) n.scrollIntoView({ block: "center", behavior: this.lastNow ? "smooth" : "auto" });
    }
    this.lastNow = now;
    if (this.jumpTo && this.mode === "text") {
      // From the list of amendments: to the amendment in the text.
      const n = document.getElementById(`amend-${this.jumpTo}`);
      if (n) { n.scrollIntoView({ block: "center" }); n.setAttribute("tabindex", "-1"); n.focus({ preventScroll: true }); }
      this.jumpTo = null;
    }
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
    const vs = this.versions();
    const followed = this.followed();
    // How the version followed stands: outdated and missing paragraphs.
    const late = { outdated: 0, missing: 0 };
    if (followed) for (const p of v.paragraphs) { const st = this.translationState(p, followed); if (st !== "current") late[st]++; }
    const sig = JSON.stringify([v.title, v.symbol, v.type, revs, counts, now, this.follow, this.mode, v.amendments.length, this.lines, vs, followed, late]);
    return this.keyed("head", sig, () => {
      const base = `#/documents/${encodeURIComponent(v.id)}`;
      const summary = Object.entries(counts).map(([k, n]) => t("room.statusCount", { n, status: statusWords[k] || k })).join(" · ");
      const followBox = el("input", { type: "checkbox", id: "follow", checked: this.follow, "data-k": "follow",
        onchange: (e) => { this.follow = e.target.checked; if (this.follow) this.lastNow = null; this.render(); } });
      return el("header", { class: "doc-head" },
        el("h1", { dir: "auto" }, v.title || v.id),
        el("div", { class: "meta" }, el("span", { class: "symbol" }, v.symbol || v.id), " · ", typeWords[v.type] || v.type,
          " · ", revs.length ? t("room.lastIssued", { symbol: revs[revs.length - 1].symbol, date: day(revs[revs.length - 1].date) }) : t("room.noRevision")),
        el("div", { class: "meta" }, summary),
        el("div", { class: "head-tools" },
          now ? el("a", { href: `#para-${now}`, class: "now-link", onclick: (e) => { e.preventDefault(); const n = document.getElementById(`para-${now}`); if (n) { n.scrollIntoView({ block: "center" }); n.focus(); } } }, t("room.nowReading", { number: this.number(now) })) : el("span", { class: "now-link idle" }, t("room.noneRead")),
          el("label", { class: "follow", for: "follow" }, followBox, " ", t("room.follow")),
          el("label", { class: "follow", for: "lines" }, el("input", { type: "checkbox", id: "lines", checked: this.lines, "data-k": "lines",
            onchange: (e) => { this.lines = e.target.checked; localStorage.setItem("draftroom.lines", this.lines ? "1" : "0"); this.render(); } }), " ", t("room.lineNumbers")),
          vs.length && this.mode !== "amendments" ? el("label", { class: "follow", for: "version" }, t("room.versionLabel"), " ",
            el("select", { id: "version", "data-k": "version", onchange: (e) => {
              this.versionChoice = e.target.value || "none";
              localStorage.setItem(`draftroom.version.${v.id}`, this.versionChoice);
              this.render();
            } }, el("option", { value: "", selected: !followed }, t("room.versionNone")),
            vs.map((l) => el("option", { value: l, selected: l === followed }, languageName(l))))) : null,
          followed && this.mode !== "amendments" ? el("span", { class: "version-status", id: "version-status" },
            late.outdated || late.missing ? [late.outdated ? t("room.versionOutdated", { n: late.outdated }) : "", late.outdated && late.missing ? " · " : "", late.missing ? t("room.versionMissing", { n: late.missing }) : ""]
              : t("room.versionAllCurrent")) : null,
          el("a", { href: "#proceedings", class: "jump-side", onclick: (e) => { e.preventDefault(); const n = this.root.querySelector(".side-col"); if (n) n.scrollIntoView({ block: "start" }); } }, t("room.jumpSide")),
          this.mode === "amendments" ? el("a", { href: base, class: "button-link", id: "to-text" }, t("room.backToText"))
            : el("a", { href: `${base}/amendments`, class: "button-link", id: "to-list" }, t("room.allAmendments", { n: v.amendments.length })),
          el("a", { href: `${base}/projector`, class: "button-link" }, t("room.projectorView"))));
    });
  }

  projectorHead(now) {
    const v = this.view;
    const r = v.room.reading;
    const cur = r && r.speakers && r.speakers.length ? r.speakers[r.speakers.length - 1] : null;
    const speaking = cur ? speakerWords(cur) : "";
    const next = r && r.queue && r.queue.length ? r.queue.map((q) => speakerWords(q)).join(", ") : "";
    const sig = JSON.stringify([v.title, v.symbol, now, cur, next, this.number(now), r && [r.speakingTime, r.replyTime]]);
    return this.keyed("phead", sig, () => el("header", { class: "doc-head" },
      el("div", { class: "meta" }, el("span", { class: "symbol" }, v.symbol || v.id), " — ", el("span", { dir: "auto" }, v.title)),
      el("div", { class: "projector-bar" },
        el("span", { class: "now-link" }, now ? t("room.nowReadingPara", { number: this.number(now) }) : t("room.noneRead")),
        speaking ? el("span", { class: "floor-now" }, t("room.floorNow", { who: speaking }), " ", this.speakingClock(cur, r)) : null,
        next ? el("span", {}, t("room.next", { who: next })) : null,
        isViewer(this.me) ? null : el("a", { href: `#/documents/${encodeURIComponent(v.id)}`, class: "button-link leave" }, t("room.leaveProjector")))));
  }

  paragraph(p, now) {
    const v = this.view;
    const amends = v.amendments.filter((a) => a.para === p.id && !a.parent);
    const subs = v.amendments.filter((a) => a.parent && amends.some((x) => x.id === a.parent));
    const all = [...amends, ...subs];
    const pos = v.positions.filter((x) => x.para === p.id || all.some((a) => a.id === x.amendment)).map((x) => [x, this.stale(x)]);
    const objections = this.objections(p.id).map((x) => [x.state, x.para, this.stale(x), x.comment]);
    const sil = v.room.silence && v.room.silence.status === "open" && (!v.room.silence.para || v.room.silence.para === p.id) ? v.room.silence.number : 0;
    const sig = JSON.stringify([p, all, pos, objections, p.id === now, sil, this.projector, this.lines, this.openDetails.has(p.id), v.language, !!(v.room && v.room.reading), all.map((a) => this.openApplied.has(a.id)), this.followed()]);
    return this.keyed(`p/${p.id}`, sig, () => this.buildParagraph(p, now, amends, subs));
  }

  buildParagraph(p, now, amends, subs) {
    const v = this.view;
    const me = this.me;
    const rtl = v.language === "ar" || isRTL(p.text);
    const text = renderText(p, this.lines || this.projector);
    const cls = ["para", `status-${p.status}`, `level-${p.level || 0}`];
    if (p.id === now) cls.push("now");
    if (p.deleted) cls.push("deleted");
    const box = el("article", { class: cls.join(" "), id: `para-${p.id}`, "data-para": p.id, tabindex: "-1", dir: rtl ? "rtl" : "ltr",
      "aria-current": p.id === now ? "true" : null, "aria-label": p.number ? t("room.paragraphN", { number: p.number }) : t("room.unnumbered") });
    if (p.option) box.append(el("div", { class: "option" }, p.option));
    box.append(el("div", { class: "para-line" },
      p.number ? el("span", { class: "num" }, p.level ? p.number : `${p.number}.`) : null,
      text,
      el("span", { class: `badge status-${p.status}` }, statusWords[p.status] || p.status),
      p.id === now ? el("span", { class: "badge now-badge" }, t("room.nowBadge")) : null));
    const followed = this.projector ? "" : this.followed();
    if (followed) box.append(this.translationView(p, followed));
    if (p.problems && p.problems.length) {
      box.append(el("div", { class: "problems" }, p.problems.map((x) => t("room.unbalanced", { char: x.char, offset: x.offset, message: x.message }) + " ")));
    }
    const objections = this.objections(p.id);
    if (objections.length) {
      box.append(el("div", { class: "objections", role: "note" }, t("room.standingObjection"), " ",
        objections.map((o, i) => [i ? "; " : "", el("strong", {}, o.state),
          o.para !== p.id ? " " + t("room.onPara", { number: this.number(o.para) }) : "",
          this.stale(o) ? " " + t("room.staleObjection") : "", o.comment ? el("span", { dir: "auto" }, ` — “${o.comment}”`) : ""])));
    }
    const pl = this.positionLine(this.positionsOn(p.id, null).filter((x) => x.kind !== "oppose"));
    if (pl) box.append(pl);

    const pending = amends.filter((a) => a.status === "proposed");
    const decided = amends.filter((a) => a.status !== "proposed");
    if (pending.length) {
      box.append(el("ul", { class: "amendments", "aria-label": t("room.pendingAmendments") }, pending.map((a) => this.amendment(a, p, subs))));
    }
    if (decided.length && !this.projector) {
      const d = el("details", { class: "decided", open: this.openDetails.has(p.id) },
        el("summary", {}, t("room.decidedAmendments", { n: decided.length })),
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

  // translationView shows a paragraph's text in the language version
  // followed, in that language's own direction, with its state said in
  // words (and an icon), not by colour alone: outdated when the source
  // paragraph changed since it was translated, missing when there is no
  // translation yet. A current translation carries no marker.
  translationView(p, l) {
    const x = (p.translations || {})[l];
    const state = this.translationState(p, l);
    const name = languageName(l);
    const box = el("div", { class: `translation translation-${state}`, "data-language": l, "data-state": state });
    if (state !== "current") {
      box.append(el("p", { class: `translation-state ${state}`, role: "note", lang: uiLang, dir: uiDir },
        el("span", { "aria-hidden": "true" }, state === "outdated" ? "⚠ " : "∅ "),
        t(state === "outdated" ? "room.translationOutdated" : "room.translationMissing", { language: name })));
    }
    if (x) box.append(el("p", { class: "translation-text", lang: l, dir: l === "ar" ? "rtl" : "ltr", "aria-label": t("room.translationLabel", { language: name }) }, x.text));
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
      parts.push(el("span", { class: `pos-group pos-${k}` }, el("span", { class: "pos-kind" }, t("common.label", { label: positionLabels[k] || k }) + " "),
        by[k].map((x, i) => el("span", { class: this.stale(x) ? "pos stale" : "pos", title: x.comment || null },
          i ? ", " : "", x.state, this.stale(x) ? " " + t("room.onEarlier") : "", x.comment ? el("span", { class: "pos-comment", dir: "auto" }, ` “${x.comment}”`) : ""))));
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
        case "delete": return [t("change.delete"), " ", view];
        case "add-paragraph": return [t("change.addAfter", { number: p.number || t("change.thisOne") }), " ", view];
        case "replace-paragraph": return [t("change.replacePara", { number: p.number || "" }), " ", view];
      }
    }
    switch (a.op) {
      case "insert": return [ctx(a.anchor && a.anchor.before ? "…" + a.anchor.before : ""), el("ins", { dir: "auto" }, a.newText), ctx(a.anchor && a.anchor.after ? a.anchor.after + "…" : "")];
      case "delete": return [t("change.delete"), " ", el("del", { dir: "auto" }, a.anchor ? a.anchor.text : "")];
      case "replace": return [t("change.replace"), " ", el("del", { dir: "auto" }, a.anchor ? a.anchor.text : ""), " ", t("change.by"), " ", el("ins", { dir: "auto" }, a.newText)];
      case "add-paragraph": return [t("change.addAfter", { number: p.number || t("change.thisOne") }), " ", el("ins", { dir: "auto" }, a.newText)];
      case "delete-paragraph": return [t("change.deletePara", { number: p.number || "" })];
      case "move-paragraph": return [t("change.movePara", { number: p.number || "", after: a.after ? this.number(a.after) : t("change.theStart") })];
      case "replace-paragraph": return [t("change.replaceParaBy", { number: p.number || "" }), " ", el("ins", { dir: "auto" }, a.newText)];
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
      a.parent ? t("amend.to", { parent: a.parent }) + " " : "",
      a.line ? el("span", { class: "cite" }, t("amend.line", { n: a.line }) + " ") : "",
      t("amend.proposedBy"), " ", el("strong", { class: "proposer" }, a.proposer),
      co.length ? [" ", t("amend.with"), " ", el("span", { class: "cosponsors" }, co.join(", "))] : "",
      open ? "" : el("span", { class: `badge outcome-${a.status}` }, outcomeWords[a.status] || a.status),
      a.rebased ? el("span", { class: "badge" }, t("amend.rebased")) : null));
    li.append(el("div", { class: "change", dir: "auto" }, this.describeChange(a, p)));
    if (open && a.applied && a.applied.length) {
      // The paragraph as it would read with the amendment, compared word
      // by word with the paragraph as it reads now.
      const d = el("details", { class: "applied", open: this.openApplied.has(a.id) || this.projector },
        el("summary", { "data-k": `${a.id}/applied` }, t("amend.applied")),
        el("p", { class: "applied-text", dir: "auto" }, this.runsView(a.applied)));
      d.addEventListener("toggle", () => { if (d.open) this.openApplied.add(a.id); else this.openApplied.delete(a.id); });
      li.append(d);
    }
    if (open && a.warnings && a.warnings.length) li.append(el("div", { class: "problems", role: "note" }, a.warnings.map((w) => sentence(w) + ". ")));
    if (a.comment) li.append(el("div", { class: "comment", dir: "auto" }, `“${a.comment}”`));
    if (a.reason) li.append(el("div", { class: "comment" }, a.reason));
    const pl = this.positionLine(this.positionsOn(a.para, a.id));
    if (pl) li.append(pl);
    for (const s of subs.filter((x) => x.parent === a.id && x.status === "proposed")) {
      li.append(el("ul", { class: "amendments sub" }, this.amendment(s, p, [])));
    }
    if (!open || this.projector) return li;
    const acts = el("div", { class: "actions", role: "group", "aria-label": t("amend.actions", { id: a.id }) });
    const k = (x) => `${a.id}/${x}`;
    const ours = a.proposer === me.state || co.includes(me.state);
    if (isDelegate(me) && !ours) {
      const mine = this.view.positions.find((x) => x.amendment === a.id && x.state === me.state);
      for (const kind of POSITION_KINDS) {
        acts.append(button(positionLabels[kind], () => this.act("position.state", { state: me.state, para: a.para, amendment: a.id, kind }),
          { "data-k": k(kind), "aria-pressed": mine && mine.kind === kind ? "true" : "false", class: `pos-btn pos-${kind}` }));
      }
      acts.append(button(t("pos.withComment"), () => this.positionDialog(p, a), { "data-k": k("comment"), class: "secondary" }));
      if (mine) acts.append(button(t("pos.withdraw"), () => this.act("position.state", { state: me.state, para: a.para, amendment: a.id, withdraw: true }), { "data-k": k("unpos"), class: "secondary" }));
      acts.append(button(t("amend.cosponsor"), () => this.act("amendment.cosponsor", { amendment: a.id, state: me.state }), { "data-k": k("cosponsor") }));
    }
    if (isDelegate(me) && ours) {
      // Our own amendment: we stand by it; we withdraw it, or stop
      // co-sponsoring it.
      if (a.proposer === me.state) {
        acts.append(button(t("amend.withdraw"), () => this.act("amendment.decide", { amendment: a.id, outcome: "withdrawn" }), { "data-k": k("withdraw"), class: "danger" }));
      } else {
        acts.append(button(t("amend.stopCosponsor"), () => this.act("amendment.cosponsor", { amendment: a.id, state: me.state, withdraw: true }), { "data-k": k("unco"), class: "secondary" }));
      }
    }
    if (isOfficer(me)) {
      const against = this.positionsOn(a.para, a.id).filter((x) => x.kind === "oppose");
      if (against.length) acts.append(el("span", { class: "warn" }, t("amend.objection", { states: against.map((x) => x.state).join(", ") })));
      acts.append(button(t("amend.accept"), () => this.act("amendment.decide", { amendment: a.id, outcome: "accepted" }), { "data-k": k("accept"), class: "primary" }));
      acts.append(button(t("amend.acceptModified"), () => this.modifyDialog(a), { "data-k": k("modify") }));
      if (a.op !== "move-paragraph") acts.append(button(t("amend.putInBrackets"), () => this.act("amendment.decide", { amendment: a.id, outcome: "incorporated-in-brackets" }), { "data-k": k("brackets") }));
      acts.append(button(t("amend.reject"), () => this.act("amendment.decide", { amendment: a.id, outcome: "rejected" }), { "data-k": k("reject"), class: "danger" }));
    }
    if (acts.childNodes.length) li.append(acts);
    return li;
  }

  paragraphActions(p, text) {
    const me = this.me;
    const acts = el("div", { class: "actions", role: "group", "aria-label": t("para.actions", { number: p.number || "" }) });
    const k = (x) => `${p.id}/${x}`;
    if (isDelegate(me)) {
      const mine = this.view.positions.find((x) => !x.amendment && x.para === p.id && x.state === me.state);
      // The selection is read on pointer-down, before the click moves it.
      const propose = button(t("para.propose"), () => this.proposeDialog(p, propose.sel), { "data-k": k("propose"), class: "primary" });
      propose.addEventListener("pointerdown", () => { propose.sel = selectionIn(text, p); });
      propose.addEventListener("keydown", () => { propose.sel = selectionIn(text, p); });
      acts.append(propose);
      for (const kind of POSITION_KINDS) {
        acts.append(button(positionLabels[kind], () => this.act("position.state", { state: me.state, para: p.id, kind }),
          { "data-k": k(kind), "aria-pressed": mine && mine.kind === kind ? "true" : "false", class: `pos-btn pos-${kind}` }));
      }
      acts.append(button(t("pos.withComment"), () => this.positionDialog(p, null), { "data-k": k("comment"), class: "secondary" }));
      if (mine) acts.append(button(t("pos.withdraw"), () => this.act("position.state", { state: me.state, para: p.id, withdraw: true }), { "data-k": k("unpos"), class: "secondary" }));
    }
    const rd = this.view.room && this.view.room.reading;
    const more = [];
    if (p.version > 1) acts.append(button(t("para.history"), () => this.historyDialog(p), { "data-k": k("history"), class: "secondary" }));
    if (isOfficer(me)) {
      // Only what applies here: the pointer moves to a paragraph not being
      // read, in an open reading; a paragraph is agreed once it was read.
      if (rd && p.id !== this.now()) acts.append(button(t("para.readNow"), () => this.act("reading.read", { para: p.id }), { "data-k": k("read"), class: "primary" }));
      if (p.status === "agreed-ad-ref") acts.append(button(t("para.reopen"), () => this.act("reading.reopen", { para: p.id }), { "data-k": k("reopen") }));
      else if (rd && p.status !== "not-read" && p.status !== "adopted") {
        acts.append(button(t("para.agree"), () => this.act("decision.take", { kind: "agree-ad-ref", para: p.id }), { "data-k": k("agree") }));
        // An objection stated on an earlier text still stands: the chair
        // asks the delegation, and sets it aside only by confirming so,
        // on the record (consulted).
        const stale = [...new Set(this.objections(p.id).filter((o) => this.stale(o)).map((o) => o.state))];
        if (stale.length) acts.append(button(t("para.agreeConsulted", { states: stale.join(", ") }), () => this.confirmAct(
          t("para.agreeConsultedQ", { states: andList(stale), number: p.number || "" }),
          "decision.take", { kind: "agree-ad-ref", para: p.id, consulted: stale }), { "data-k": k("agree-consulted"), class: "secondary" }));
      }
      if (p.status !== "adopted") more.push(button(t("para.silence"), () => this.silenceDialog(p), { "data-k": k("silence"), class: "secondary" }));
    }
    if (isPen(me)) {
      const bracket = button(t("para.bracket"), () => this.bracketDialog(p, bracket.sel), { "data-k": k("bracket") });
      bracket.addEventListener("pointerdown", () => { bracket.sel = selectionIn(text, p); });
      bracket.addEventListener("keydown", () => { bracket.sel = selectionIn(text, p); });
      if (p.brackets && p.brackets.some((n) => n.kind !== 0)) acts.append(button(t("para.clear"), () => this.clearDialog(p), { "data-k": k("clear") }));
      more.unshift(button(t("para.edit"), () => this.editDialog(p), { "data-k": k("edit") }), bracket);
      more.push(button(t("para.addAfter"), () => this.addDialog(p), { "data-k": k("add"), class: "secondary" }));
      if (!p.deleted) more.push(button(t("para.strike"), () => this.confirmAct(t("para.strikeQ", { number: p.number || "" }), "paragraph.delete", { para: p.id }), { "data-k": k("delete"), class: "danger" }));
    }
    if (more.length) {
      // The pen's tools stay folded, open on the paragraph being read.
      const open = this.openMore.has(p.id) || (p.id === this.now() && !this.closedMore.has(p.id));
      const d = el("details", { class: "more", open, "data-k": k("more") }, el("summary", { "data-k": k("more-summary") }, t("para.tools")), el("div", { class: "actions" }, more));
      d.addEventListener("toggle", () => {
        if (d.open) { this.openMore.add(p.id); this.closedMore.delete(p.id); } else { this.openMore.delete(p.id); this.closedMore.add(p.id); }
      });
      acts.append(d);
    }
    return acts;
  }

  // ---- dialogs ----

  confirmAct(question, name, cmd) {
    return dialog(t("common.pleaseConfirm"), (f) => { f.append(el("p", {}, question)); return () => null; },
      async () => { await this.conn.send(name, cmd); }, t("common.confirm"));
  }

  proposeDialog(p, sel) {
    const me = this.me;
    const has = sel && sel.end > sel.start;
    const caret = sel && sel.end === sel.start;
    const ops = [];
    if (has) ops.push(["replace", tr("propose.replace")], ["delete", tr("propose.delete")], ["insert-before", tr("propose.insertBefore")], ["insert-after", tr("propose.insertAfter")]);
    else if (caret) ops.push(["insert", tr("propose.insert")]);
    ops.push(["insert-end", tr("propose.insertEnd")], ["add-paragraph", tr("propose.addParagraph")],
      ["replace-paragraph", tr("propose.replaceParagraph")], ["delete-paragraph", tr("propose.deleteParagraph")]);
    return dialog(tr("propose.title", { number: p.number || "" }), (f) => {
      const op = el("select", { name: "op" }, ops.map(([v, l]) => el("option", { value: v }, l)));
      const nt = el("textarea", { name: "newText", rows: 4, dir: "auto" });
      const comment = el("input", { name: "comment", dir: "auto" });
      const line = sel ? 1 + (p.lines || []).filter((s) => s <= sel.start).length : 0;
      const cite = sel ? el("p", { class: "cite", id: "cite" }, tr("propose.cite", { number: p.number || "", line: String(line) })) : null;
      const quote = has ? el("blockquote", { class: "quote", dir: "auto" }, sel.text) : el("p", { class: "hint" }, caret ? tr("propose.cursor", { offset: sel.start }) : tr("propose.tip"));
      const sync = () => {
        const o = op.value;
        nt.disabled = o === "delete" || o === "delete-paragraph";
        if (o === "replace-paragraph" && !nt.value) nt.value = p.text;
        if (o === "replace" && !nt.value && has) nt.value = sel.text;
      };
      op.addEventListener("change", sync);
      sync();
      // Table it now, or draft it first among the delegation or a group
      // it belongs to: only their members see a draft until it is tabled.
      const groups = [me.state, ...(me.groups || []).map((g) => g.code)];
      const target = el("select", { name: "target", id: "propose-target" }, el("option", { value: "" }, tr("propose.tableNow", { state: me.state })),
        groups.map((g) => el("option", { value: g }, tr("propose.saveDraft", { group: g === me.state ? tr("propose.myDelegation") : g, code: g }))));
      const note = el("input", { name: "note", dir: "auto", id: "draft-note" });
      f.append(cite || "", quote, field(tr("propose.amendment"), op), field(tr("propose.newText"), nt), field(tr("propose.comment"), comment),
        field(tr("propose.tableOrDraft"), target), field(tr("propose.note"), note),
        el("p", { class: "hint" }, tr("propose.cosponsorHint")));
      return () => ({ op: op.value, newText: nt.value, comment: comment.value.trim(), target: target.value, note: note.value.trim() });
    }, async (x) => {
      const n = cps(p.text).length;
      const cmd = { proposer: me.state, para: p.id, version: p.version, comment: x.comment || undefined };
      const needText = () => { if (!x.newText.trim()) throw new Error(tr("propose.needText")); };
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
      if (x.target) {
        const { proposer, ...rest } = cmd;
        await api("POST", `/api/documents/${encodeURIComponent(this.view.id)}/drafts`, { name: "draft.save", command: { ...rest, version: rest.version || 0, group: x.target, note: x.note || undefined } });
        this.refreshDrafts();
        return;
      }
      await this.conn.send("amendment.propose", cmd);
    }, tr("propose.submit"));
  }

  // ---- group drafts ----

  // refreshDrafts reads the drafts of the delegation's groups; they are
  // not sent through the room (only members see them), so the panel asks
  // every few seconds while the room is open.
  async refreshDrafts() {
    if (!isDelegate(this.me)) return;
    try {
      const r = await api("GET", `/api/documents/${encodeURIComponent(this.id)}/drafts`);
      const sig = JSON.stringify(r);
      if (sig !== this.draftsSig) { this.draftsSig = sig; this.drafts = r; if (this.view) this.render(); }
    } catch { /* the next turn tries again */ }
  }

  draftsPanel() {
    const me = this.me;
    const r = this.drafts || { drafts: [] };
    const open = r.drafts.filter((d) => d.status === "draft");
    const done = r.drafts.filter((d) => d.status !== "draft");
    return this.keyed("pan/drafts", JSON.stringify([r, this.view.paragraphs.map((p) => p.number)]), () => {
      const sec = el("section", { class: "panel", "aria-label": tr("drafts.label") }, el("h2", {}, tr("drafts.title")));
      if (!r.drafts.length) sec.append(el("p", { class: "hint" }, tr("drafts.none")));
      const item = (d) => el("li", { "data-draft": d.id, class: `draft status-${d.status}` },
        el("strong", {}, tr("drafts.draft", { group: d.group, id: d.id })), " ", tr("drafts.on", { number: this.number(d.para), author: d.author }), " ",
        el("span", { dir: "auto", class: "draft-text" }, d.op === "delete" ? `${tr("change.delete")} “${cps(this.para(d.para) ? this.para(d.para).text : "").slice(d.start, d.end).join("")}”` : `${d.op} “${d.newText || ""}”`),
        d.note ? el("div", { class: "hint", dir: "auto" }, tr("drafts.note", { note: d.note })) : null,
        d.status === "draft" ? el("div", { class: "actions" },
          button(tr("drafts.table", { state: me.state }), async () => { try { await api("POST", `/api/documents/${encodeURIComponent(this.id)}/drafts`, { name: "draft.table", command: { id: d.id } }); this.refreshDrafts(); } catch (e) { toast(e.message); } }, { "data-k": `draft/${d.id}/table`, class: "primary" }),
          button(tr("drafts.drop"), async () => { try { await api("POST", `/api/documents/${encodeURIComponent(this.id)}/drafts`, { name: "draft.drop", command: { id: d.id } }); this.refreshDrafts(); } catch (e) { toast(e.message); } }, { "data-k": `draft/${d.id}/drop`, class: "danger" }))
          : el("div", { class: "hint" }, d.status === "tabled" ? tr("drafts.tabled", { id: d.amendment }) : tr("drafts.dropped")));
      if (open.length) sec.append(el("ul", { class: "drafts" }, open.map(item)));
      if (done.length) sec.append(el("details", {}, el("summary", {}, tr("drafts.done", { n: done.length })), el("ul", { class: "drafts" }, done.map(item))));
      return sec;
    });
  }

  positionDialog(p, a) {
    const me = this.me;
    const adopted = p.status === "adopted" || !!this.view.room.adopted;
    const kinds = adopted ? [...POSITION_KINDS, "dissociation"] : POSITION_KINDS;
    return dialog(a ? tr("pos.onAmendment", { id: a.id }) : tr("pos.onPara", { number: p.number || "" }), (f) => {
      const kind = el("select", { name: "kind" }, kinds.map((k) => el("option", { value: k }, positionLabels[k])));
      const comment = el("textarea", { name: "comment", rows: 3, dir: "auto" });
      f.append(field(tr("pos.position"), kind), field(tr("pos.comment"), comment));
      return () => ({ kind: kind.value, comment: comment.value.trim() });
    }, async (x) => {
      await this.conn.send("position.state", { state: me.state, para: p.id, amendment: a ? a.id : undefined, kind: x.kind, comment: x.comment || undefined });
    }, tr("pos.submit"));
  }

  modifyDialog(a) {
    return dialog(tr("modify.title", { id: a.id }), (f) => {
      const nt = el("textarea", { rows: 4, dir: "auto", value: a.newText || (a.anchor ? a.anchor.text : "") });
      f.append(el("p", { class: "hint" }, tr("modify.hint", { proposer: a.proposer })), field(tr("modify.text"), nt));
      return () => nt.value;
    }, async (t) => { await this.conn.send("amendment.decide", { amendment: a.id, outcome: "accepted-as-modified", newText: t }); }, tr("modify.submit"));
  }

  editDialog(p) {
    const version = p.version;
    const original = p.text;
    const pending = this.view.amendments.filter((a) => a.para === p.id && !a.parent && a.status === "proposed");
    return dialog(tr("edit.title", { number: p.number || "" }), (f) => {
      const t = el("textarea", { rows: 6, dir: "auto", value: original, class: "pen" });
      f.append(field(tr("edit.text"), t, tr("edit.hint")));
      const boxes = pending.map((a) => el("input", { type: "checkbox", value: a.id, "data-amendment": a.id }));
      if (pending.length) {
        f.append(el("fieldset", { class: "merges" }, el("legend", {}, tr("edit.merges")),
          pending.map((a, i) => el("label", { class: "check" }, boxes[i], " ", tr("edit.mergeItem", { id: a.id, proposer: a.proposer }), el("span", { class: "hint", dir: "auto" }, ` — ${a.newText || (a.anchor && a.anchor.text) || a.op}`)))));
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
    }, tr("edit.submit"));
  }

  bracketDialog(p, sel) {
    if (!sel || sel.end <= sel.start) {
      toast(tr("bracket.select"));
      return null;
    }
    const asking = [...new Set(this.positionsOn(p.id, null).filter((x) => x.kind === "oppose" || x.kind === "reservation").map((x) => x.state))];
    return dialog(tr("bracket.title", { number: p.number || "" }), (f) => {
      const by = el("input", { value: asking.join(", "), placeholder: tr("bracket.byHint"), autocomplete: "off" });
      f.append(el("blockquote", { class: "quote", dir: "auto" }, sel.text), field(tr("bracket.by"), by));
      return () => parseStates(by.value);
    }, async (by) => {
      if (!by.length) throw new Error(tr("bracket.needBy"));
      await this.conn.send("brackets.add", { para: p.id, version: p.version, start: sel.start, end: sel.end, by });
    }, tr("bracket.submit"));
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
    // Choose, then confirm: the choices are sent together when the chair
    // confirms, and stored all or none (settle), so alternatives are
    // never left half-settled by two quick clicks.
    const version = p.version;
    return dialog(tr("clear.title", { number: p.number || "" }), (f) => {
      f.append(el("p", { class: "hint" }, tr("clear.hint")));
      const ul = el("ul", { class: "bracket-list" });
      const choices = [];
      for (const b of list) {
        const name = `bracket-${b.index}`;
        const opt = (value, label, checked) => {
          const r = el("input", { type: "radio", name, value, checked, "data-choice": `${b.index}/${value}` });
          return el("label", { class: "choice" }, r, ` ${label}`);
        };
        const group = el("fieldset", { class: "choices" }, el("legend", {}, el("span", { class: "quote", dir: "auto" }, b.text),
          b.by.length ? el("span", { class: "hint" }, " " + tr("clear.askedBy", { states: b.by.join(", ") })) : "",
          b.alt ? el("span", { class: "hint" }, " " + tr("clear.alternative")) : ""),
        opt("leave", tr("clear.leave"), true), opt("keep", tr("clear.keep")), opt("drop", tr("clear.drop")));
        choices.push({ index: b.index, group });
        ul.append(el("li", { "data-index": b.index }, group));
      }
      f.append(ul);
      return () => choices.map((c) => ({ index: c.index, v: (c.group.querySelector("input:checked") || {}).value })).filter((c) => c.v && c.v !== "leave")
        .map((c) => ({ index: c.index, drop: c.v === "drop" || undefined }));
    }, async (settle) => {
      if (!settle.length) throw new Error(tr("clear.needChoice"));
      await this.conn.send("brackets.clear", { para: p.id, version, settle });
    }, tr("clear.submit"));
  }

  // historyDialog shows every version of a paragraph, newest first: who
  // changed it, when, by which decision, and the words it changed.
  async historyDialog(p) {
    let h;
    try { h = await api("GET", `/api/documents/${encodeURIComponent(this.view.id)}/paragraphs/${encodeURIComponent(p.id)}/history`); } catch (e) { toast(e.message); return null; }
    const who = (b) => b ? [b.name || b.person, b.state ? ` (${b.state})` : ` (${roleWords[b.role] || b.role})`].join("") : "";
    const items = [...h.versions].reverse().map((x) => el("li", { class: "version", "data-version": x.version },
      el("div", { class: "version-head" }, el("strong", {}, tr("history.version", { n: x.version })),
        x.at ? ` — ${when(x.at)} — ${who(x.by)} — ` : " — " + tr("history.first"),
        x.event ? (x.amendment ? tr("history.amendment", { id: x.amendment.id, proposer: x.amendment.proposer, outcome: outcomeWords[x.amendment.status] || x.amendment.status })
          : x.merges && x.merges.length ? tr("history.compromise", { ids: x.merges.join(", ") }) : (changeWords[x.event] || x.event)) : ""),
      el("p", { class: "version-text", dir: "auto" }, x.runs && x.runs.length ? this.runsView(x.runs) : x.text)));
    return dialog(tr("history.title", { number: h.number || "" }), (f) => {
      f.append(el("ol", { class: "history", reversed: true }, items));
      if (h.earlier) f.append(el("p", { class: "hint" }, t("history.earlier", { n: h.earlier })));
      return () => null;
    }, async () => {}, tr("common.close"));
  }

  addDialog(p) {
    return dialog(tr("add.title", { number: p.number || tr("change.thisOne") }), (f) => {
      const t = el("textarea", { rows: 4, dir: "auto" });
      const numbered = el("input", { type: "checkbox", checked: !!p.number });
      f.append(field(tr("edit.text"), t), el("label", {}, numbered, " ", tr("add.numbered")));
      return () => ({ text: t.value, numbered: numbered.checked });
    }, async (x) => {
      if (!x.text.trim()) throw new Error(tr("add.needText"));
      await this.conn.send("paragraph.add", { after: p.id, numbered: x.numbered, text: x.text });
    }, tr("add.submit"));
  }

  silenceDialog(p) {
    const def = new Date(Date.now() + 72 * 3600 * 1000 + 10 * 60 * 1000); // the minimum, with a margin for the time it takes to send
    return dialog(p ? tr("silenceDlg.titlePara", { number: p.number || "" }) : tr("silenceDlg.titleDoc"), (f) => {
      const d = el("input", { type: "datetime-local", value: localInput(def) });
      const why = el("input", { placeholder: tr("silenceDlg.whyHint") });
      f.append(el("p", { class: "hint" }, p ? tr("silenceDlg.hintPara") : tr("silenceDlg.hintDoc")),
        field(tr("silenceDlg.deadline"), d), field(tr("silenceDlg.why"), why));
      return () => ({ deadline: d.value ? new Date(d.value).toISOString() : undefined, shorten: why.value.trim() || undefined });
    }, async (x) => { await this.conn.send("silence.open", { para: p ? p.id : undefined, deadline: x.deadline, shorten: x.shorten }); }, tr("silenceDlg.submit"));
  }

  async openReadingDialog() {
    const v = this.view;
    if (!v.room.process) {
      toast(tr("reading.noProcess"));
      return;
    }
    let meetings = [];
    try {
      const r = await api("GET", `/api/processes/${encodeURIComponent(v.room.process)}`);
      meetings = (r.process.meetings || []).filter((m) => !m.cancelled && (!v.room.body || m.body === v.room.body));
    } catch (e) { toast(e.message); return; }
    const nowMs = Date.now();
    const current = meetings.find((m) => Date.parse(m.start) <= nowMs && nowMs < Date.parse(m.end)) || meetings.find((m) => Date.parse(m.start) > nowMs) || meetings[meetings.length - 1];
    return dialog(tr("reading.dialog"), (f) => {
      const kind = el("select", {}, el("option", { value: "first" }, tr("reading.firstLong")), el("option", { value: "second" }, tr("reading.secondLong")));
      const m = el("select", {}, meetings.map((x) => el("option", { value: x.id, selected: current && x.id === current.id, class: "data", dir: "auto" }, `${x.title || x.id} (${when(x.start)})`)));
      f.append(field(tr("reading.title"), kind), field(tr("reading.meeting"), m));
      return () => ({ kind: kind.value, meeting: m.value });
    }, async (x) => { await this.conn.send("reading.open", { kind: x.kind, process: v.room.process, meeting: x.meeting }); }, tr("reading.openSubmit"));
  }

  issueDialog() {
    const v = this.view;
    const revs = v.revisions || [];
    return dialog(tr("issue.title"), (f) => {
      const kind = el("select", {}, [["zero-draft", tr("issue.zero")], ["rev", tr("issue.rev")], ["l-document", tr("issue.l")], ["final", tr("issue.final")]]
        .map(([k, l]) => el("option", { value: k, selected: k === (revs.length ? "rev" : "zero-draft") }, l)));
      // The symbol is shown, never typed, when the document's process
      // allocates it; a document outside any process keeps a field.
      const sym = el("input", { placeholder: tr("issue.symbolHint"), autocomplete: "off" });
      const symField = field(tr("issue.symbol"), sym);
      symField.hidden = true;
      const shown = el("p", { class: "symbol-preview", "aria-live": "polite" });
      const date = el("input", { type: "date" });
      let allocated = true;
      const preview = async () => {
        try {
          const q = new URLSearchParams({ kind: kind.value });
          if (date.value) q.set("date", date.value);
          const r = await api("GET", `/api/documents/${encodeURIComponent(v.id)}/next-symbol?${q}`);
          allocated = r.allocated;
          symField.hidden = allocated;
          shown.replaceChildren(!r.symbol ? "" : allocated ? tr("import.symbolAllocated", { symbol: r.symbol }) : tr("issue.symbolIs", { symbol: r.symbol }));
        } catch (e) { shown.replaceChildren(e.message); }
      };
      kind.addEventListener("change", preview);
      date.addEventListener("change", preview);
      preview();
      f.append(el("p", { class: "hint" }, tr("issue.hint")),
        field(tr("issue.kind"), kind), shown, symField, field(tr("issue.date"), date));
      return () => ({ kind: kind.value, symbol: !allocated && sym.value.trim() || undefined, date: date.value ? `${date.value}T00:00:00Z` : undefined });
    }, async (x) => { await this.conn.send("revision.issue", x); }, tr("issue.submit"));
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
      const sec = el("section", { class: "panel", id: "panel-reading", "aria-label": t("reading.title") }, el("h2", {}, t("reading.title")));
      if (!rd) sec.append(el("p", {}, t("reading.none")));
      else {
        sec.append(el("p", {}, t(rd.kind === "first" ? "reading.first" : "reading.second"), " — ", el("span", { class: "data", dir: "auto" }, rd.meeting.title || rd.meeting.id)));
        sec.append(el("p", { class: "now-line" }, now ? t("room.nowReadingPara", { number: this.number(now) }) : t("reading.noneYet")));
      }
      if (isOfficer(me)) {
        const acts = el("div", { class: "actions" });
        if (rd) {
          const order = v.paragraphs.filter((p) => !p.deleted);
          const i = order.findIndex((p) => p.id === now);
          const prev = i > 0 ? order[i - 1] : null;
          const next = i >= 0 ? order[i + 1] : order[0];
          acts.append(button(t("reading.previous"), () => prev && this.act("reading.read", { para: prev.id }), { disabled: !prev, "data-k": "prev" }),
            button(t("reading.nextPara"), () => next && this.act("reading.read", { para: next.id }), { disabled: !next, "data-k": "next", class: "primary" }),
            button(t("reading.close"), () => this.act("reading.close", {}), { "data-k": "close-reading", class: "secondary" }));
        } else {
          acts.append(button(t("reading.open"), () => this.openReadingDialog(), { "data-k": "open-reading", class: "primary" }));
        }
        sec.append(acts);
      }
      return sec;
    }));

    if (rd) {
      const floorSig = JSON.stringify([rd.queue, rd.speakers && rd.speakers.slice(-1), rd.speakingTime, rd.replyTime, me.role, me.state]);
      panels.push(this.keyed("pan/floor", floorSig, () => {
        const sec = el("section", { class: "panel", id: "panel-floor", "aria-label": t("floor.title") }, el("h2", {}, t("floor.title")));
        const sp = rd.speakers || [];
        const cur = sp.length ? sp[sp.length - 1] : null;
        sec.append(el("p", { class: "speaking" }, cur ? [t("floor.speaking"), " ", el("strong", {}, speakerWords(cur)), " ", this.speakingClock(cur, rd)] : t("floor.nobody")));
        if (rd.speakingTime || rd.replyTime) {
          sec.append(el("p", { class: "hint" }, t("floor.times", { speaking: rd.speakingTime ? minutes(rd.speakingTime) : t("floor.noLimit"), reply: rd.replyTime ? minutes(rd.replyTime) : t("floor.noLimit") })));
        }
        const q = rd.queue || [];
        const ol = el("ol", { class: "queue", "aria-label": t("floor.list") });
        for (const x of q) {
          ol.append(el("li", { "data-delegation": x.delegation }, speakerWords(x), isOfficer(me) ? [" ", button(t("floor.give"), () => this.act("floor.give", { delegation: x.delegation }), { "data-k": `give/${x.delegation}` })] : ""));
        }
        sec.append(q.length ? ol : el("p", { class: "hint" }, t("floor.noneWaiting")));
        const acts = el("div", { class: "actions" });
        if (isDelegate(me)) {
          if (q.some((x) => x.delegation === me.state)) acts.append(button(t("floor.withdraw"), () => this.act("floor.withdraw", { delegation: me.state }), { "data-k": "floor-withdraw", class: "secondary" }));
          else {
            acts.append(button(t("floor.ask"), () => this.act("floor.ask", { delegation: me.state }), { "data-k": "floor-ask", class: "primary" }));
            for (const g of me.groups || []) {
              acts.append(button(t("floor.askOnBehalf", { group: g.code }), () => this.act("floor.ask", { delegation: me.state, onBehalf: g.code }), { "data-k": `floor-ask/${g.code}`, title: t("floor.onBehalfOf", { group: g.name }) }));
            }
            acts.append(button(t("floor.reply"), () => this.act("floor.ask", { delegation: me.state, reply: true }), { "data-k": "floor-reply", class: "secondary" }));
          }
        }
        if (isOfficer(me) && q.length) acts.append(button(t("floor.nextSpeaker"), () => this.act("floor.next", {}), { "data-k": "floor-next", class: "primary" }));
        if (isOfficer(me)) acts.append(button(t("floor.timeButton"), () => this.speakingTimeDialog(rd), { "data-k": "floor-time", class: "secondary" }));
        if (acts.childNodes.length) sec.append(acts);
        return sec;
      }));
    }

    const sil = r.silence;
    const ended = this.conn.silenceEnded;
    const silSig = JSON.stringify([sil, ended, me.role, r.adopted, r.explanations, r.noConsensus, r.summary, v.type, (r.explanations || []).map((x) => this.number(x.para))]);
    panels.push(this.keyed("pan/silence", silSig, () => {
      const sec = el("section", { class: "panel", id: "panel-silence", "aria-label": t("silence.label") }, el("h2", {}, t("silence.title")));
      if (r.adopted) sec.append(el("p", { class: "adopted" }, t("silence.adopted", { when: when(r.adopted) })));
      if (sil && sil.status === "open") {
        sec.append(el("p", { class: "silence" }, t("silence.open", { on: sil.para ? t("room.paragraphN", { number: this.number(sil.para) }) : t("silence.wholeDoc"), until: when(sil.deadline) }), " ",
          el("strong", { class: "countdown", "data-deadline": sil.deadline }, left(sil.deadline))));
        if (sil.shortened) sec.append(el("p", { class: "hint" }, t("silence.shortened", { why: sil.shortened })));
        if (isDelegate(me)) sec.append(button(t("silence.break"), () => this.breakDialog(), { "data-k": "break", class: "danger" }));
        if (isOfficer(me)) sec.append(button(t("silence.close"), () => this.act("silence.close", {}), { "data-k": "silence-close", class: "secondary" }));
      } else if (ended && ended.type === "silence.broken") {
        sec.append(el("p", { class: "warn" }, t("silence.broken", { state: ended.state }), ended.explanation ? el("span", { dir: "auto" }, `: “${ended.explanation}”`) : "."));
      } else if (!r.adopted) {
        sec.append(el("p", { class: "hint" }, t("silence.none")));
      }
      const ex = r.explanations || [];
      if (ex.length) {
        sec.append(el("h3", {}, t("explain.title")), el("ul", { class: "explanations" }, ex.map((x) => el("li", {}, el("strong", {}, x.state),
          x.para ? " " + t("explain.onPara", { number: this.number(x.para) }) : "", t("common.colon"), el("span", { dir: "auto" }, x.text)))));
      }
      if (r.noConsensus) sec.append(el("p", { class: "warn" }, t("consensus.notReached"), r.noConsensus.note ? el("span", { dir: "auto" }, ` ${r.noConsensus.note}`) : "",
        r.noConsensus.summary ? " " + t("consensus.replaced", { summary: r.noConsensus.summary }) : ""));
      if (r.summary) {
        sec.append(el("p", { class: "statement", "data-k": "summary-statement" }, el("strong", {}, r.summary.statement)),
          el("p", { class: "hint" }, r.summary.report ? t("summary.issuedFor", { when: when(r.summary.date), report: r.summary.report }) : t("summary.issued", { when: when(r.summary.date) })));
      } else if (v.type === "chairs-summary" && isOfficer(me)) {
        sec.append(el("div", { class: "actions" }, button(t("summary.issueButton"), () => this.summaryDialog(), { "data-k": "issue-summary", class: "primary" })));
      }
      if (isDelegate(me)) sec.append(el("div", { class: "actions" }, button(t("explain.button"), () => this.explainDialog(), { "data-k": "explain", class: "secondary" })));
      if (isOfficer(me) && !r.adopted && !r.noConsensus) {
        sec.append(el("div", { class: "actions" }, button(t("consensus.button"), () => this.noConsensusDialog(), { "data-k": "no-consensus", class: "secondary" })));
      }
      if (isOfficer(me) && !r.adopted) {
        sec.append(el("div", { class: "actions" },
          button(t("adopt.button"), () => this.confirmAct(t("adopt.question"), "decision.take", { kind: "adopt-document" }), { "data-k": "adopt" }),
          !sil || sil.status !== "open" ? button(t("adopt.silence"), () => this.silenceDialog(null), { "data-k": "silence-doc", class: "secondary" }) : null));
      }
      return sec;
    }));

    if (isOfficer(me) || me.role === "secretariat") {
      // An objection to an amendment stands while the amendment is
      // pending; once it is decided, withdrawn or obsolete there is
      // nothing left for it to block.
      const pending = new Set(v.amendments.filter((a) => a.status === "proposed").map((a) => a.id));
      const objs = v.positions.filter((x) => x.kind === "oppose" && (!x.amendment || pending.has(x.amendment)));
      const sig = JSON.stringify(objs.map((x) => [x.state, x.para, x.amendment, this.stale(x), x.comment, this.number(x.para)]));
      panels.push(this.keyed("pan/objections", sig, () => el("section", { class: "panel", "aria-label": t("objections.title") },
        el("h2", {}, t("objections.title")),
        objs.length ? el("ul", { class: "objection-list" }, objs.map((x) => el("li", {}, el("strong", {}, x.state), " ", t("objections.on"), " ",
          el("a", { href: `#para-${x.para}`, onclick: (e) => { e.preventDefault(); const n = document.getElementById(x.amendment ? `amend-${x.amendment}` : `para-${x.para}`); if (n) n.scrollIntoView({ block: "center" }); } },
            x.amendment ? t("objections.amendment", { id: x.amendment, number: this.number(x.para) }) : t("room.paragraphN", { number: this.number(x.para) })),
          this.stale(x) ? " " + t("room.onEarlier") : "", x.comment ? el("span", { dir: "auto" }, ` — “${x.comment}”`) : "")))
          : el("p", { class: "hint" }, t("objections.none")))));
    }

    const decs = r.decisions || [];
    if (decs.length) {
      panels.push(this.keyed("pan/decisions", JSON.stringify(decs.map((d) => [d, this.number(d.para)])), () => el("section", { class: "panel", "aria-label": t("decisions.title") },
        el("h2", {}, t("decisions.title")),
        el("ol", { class: "decisions" }, decs.map((d) => el("li", {}, decisionWords[d.kind] || d.kind,
          d.para ? " — " + t("room.paragraphN", { number: this.number(d.para) }) : "", d.amendment ? ` — ${d.amendment}` : "",
          el("span", { class: "hint" }, ` (${t(d.via === "silence-procedure" ? "decisions.viaSilence" : "decisions.viaConsensus")}, ${when(d.at)}${d.consulted && d.consulted.length ? "; " + t("decisions.consulted", { states: d.consulted.join(", ") }) : ""})`)))))));
    }

    if (isDelegate(me)) panels.push(this.draftsPanel());

    const revs = v.revisions || [];
    panels.push(this.keyed("pan/revisions", JSON.stringify([revs, me.role]), () => {
      const sec = el("section", { class: "panel", "aria-label": t("revisions.title") }, el("h2", {}, t("revisions.title")));
      sec.append(revs.length ? el("ul", { class: "revisions" }, revs.map((x) => el("li", {}, el("span", { class: "symbol" }, x.symbol), ` ${revisionWords[x.kind] || x.kind}, ${day(x.date)}`)))
        : el("p", { class: "hint" }, t("revisions.none")));
      if (me.role === "secretariat") sec.append(el("div", { class: "actions" }, button(revs.length ? t("revisions.issueNext") : t("revisions.issueZero"), () => this.issueDialog(), { "data-k": "issue", class: "primary" })));
      return sec;
    }));

    panels.push(this.keyed("pan/downloads", JSON.stringify(revs), () => this.downloads(revs)));
    const presence = [...this.conn.presence.values()];
    panels.push(this.keyed("pan/presence", JSON.stringify(presence), () => el("section", { class: "panel", "aria-label": t("presence.label") },
      el("h2", {}, t("presence.title")),
      presence.length ? el("ul", { class: "presence" }, presence.map((p) => el("li", {}, p.state || p.name || p.person,
        el("span", { class: "hint" }, ` ${roleWords[p.role] || p.role}${p.people > 1 ? " · " + t("presence.people", { n: p.people }) : ""}`)))) : el("p", { class: "hint" }, t("presence.none")))));

    return panels;
  }

  explainDialog() {
    const me = this.me;
    const v = this.view;
    return dialog(tr("explain.dialog"), (f) => {
      const para = el("select", {}, el("option", { value: "" }, tr("explain.whole")), v.paragraphs.filter((p) => p.number).map((p) => el("option", { value: p.id, selected: p.id === this.now() }, tr("room.paragraphN", { number: p.number }))));
      const t = el("textarea", { rows: 4, dir: "auto" });
      f.append(field(tr("explain.on"), para), field(tr("explain.by", { state: me.state }), t));
      return () => ({ para: para.value || undefined, text: t.value.trim() });
    }, async (x) => {
      if (!x.text) throw new Error(tr("explain.needText"));
      await this.conn.send("position.explain", { state: me.state, para: x.para, text: x.text });
    }, tr("explain.submit"));
  }

  summaryDialog() {
    return dialog(tr("summary.dialog"), (f) => {
      const report = el("input", { autocomplete: "off", placeholder: tr("summary.reportHint") });
      f.append(el("p", { class: "hint" }, tr("summary.hint")),
        field(tr("summary.report"), report));
      return () => report.value.trim();
    }, async (rep) => { await this.conn.send("summary.issue", { report: rep || undefined }); }, tr("issue.submit"));
  }

  noConsensusDialog() {
    return dialog(tr("consensus.dialog"), (f) => {
      const t = el("textarea", { rows: 3, dir: "auto" });
      f.append(el("p", { class: "hint" }, tr("consensus.hint")), field(tr("consensus.note"), t));
      return () => t.value.trim();
    }, async (note) => { await this.conn.send("consensus.none", { note: note || undefined }); }, tr("consensus.submit"));
  }

  breakDialog() {
    const me = this.me;
    return dialog(tr("break.dialog"), (f) => {
      const t = el("textarea", { rows: 3, dir: "auto" });
      f.append(el("p", { class: "hint" }, tr("break.hint", { state: me.state })), field(tr("break.objection"), t));
      return () => t.value.trim();
    }, async (x) => { await this.conn.send("silence.break", { state: me.state, explanation: x || undefined }); }, tr("break.submit"));
  }

  downloads(revs) {
    const v = this.view;
    const base = `/api/documents/${encodeURIComponent(v.id)}`;
    const report = el("select", { "aria-label": t("dl.report"), "data-k": "dl-report" }, [["clean", t("dl.clean")], ["compare", t("dl.compare")], ["compilation", t("dl.compilation")], ["status", t("dl.status")]].map(([k, l]) => el("option", { value: k }, l)));
    const format = el("select", { "aria-label": t("dl.format"), "data-k": "dl-format" }, [["docx", t("dl.docx")], ["html", "HTML"], ["md", "Markdown"], ["akn", "Akoma Ntoso XML"], ["json", "JSON"]].map(([k, l]) => el("option", { value: k }, l)));
    const revOpts = () => [el("option", { value: "live" }, t("dl.live")), ...revs.map((x) => el("option", { value: String(x.number) }, x.symbol))];
    const rev = el("select", { "aria-label": t("dl.of"), "data-k": "dl-rev" }, revOpts());
    const against = el("select", { "aria-label": t("dl.against"), "data-k": "dl-against" }, revOpts());
    if (revs.length) against.value = String(revs[revs.length - 1].number);
    if (revs.length > 1) { against.value = String(revs[revs.length - 2].number); rev.value = String(revs[revs.length - 1].number); }
    const style = el("select", { "aria-label": t("dl.style"), "data-k": "dl-style" }, [["strike-underline", t("dl.strikeUnderline")], ["strike-bold", t("dl.strikeBold")], ["two-columns", t("dl.twoColumns")]].map(([k, l]) => el("option", { value: k }, l)));
    const link = el("a", { class: "button-link download", id: "download-link", download: "" }, t("dl.download"));
    const pdfLink = el("a", { class: "button-link download", id: "download-pdf", download: "" }, t("dl.downloadPdf"));
    const cmpOnly = el("div", { class: "compare-only" }, field(t("dl.against"), against), field(t("dl.style"), style));
    const lines = el("input", { type: "checkbox", id: "dl-lines", "data-k": "dl-lines" });
    const linesBox = el("label", { class: "check", for: "dl-lines" }, lines, " ", t("dl.lines"));
    const sync = () => {
      const q = new URLSearchParams({ report: report.value, format: format.value, rev: rev.value });
      if (report.value === "compare") { q.set("against", against.value); q.set("style", style.value); }
      // The room's fixed lines, in every format but Markdown and JSON, of
      // the texts that have them (not a two-column compare).
      const lineable = report.value === "clean" || report.value === "compilation" || (report.value === "compare" && style.value !== "two-columns");
      if (lineable && lines.checked) q.set("lines", "1");
      linesBox.hidden = !lineable;
      link.href = `${base}/export?${q}`;
      q.set("format", "pdf");
      pdfLink.href = `${base}/export?${q}`;
      cmpOnly.hidden = report.value !== "compare";
    };
    for (const s of [report, format, rev, against, style, lines]) s.addEventListener("change", sync);
    sync();
    return el("section", { class: "panel", "aria-label": t("dl.title") }, el("h2", {}, t("dl.title")),
      el("div", { class: "dl-grid" }, field(t("dl.report"), report), field(t("dl.format"), format), field(t("dl.of"), rev), cmpOnly), linesBox,
      el("div", { class: "actions" }, link, pdfLink, el("a", { href: `${base}/record?format=html`, download: "", class: "button-link secondary" }, t("dl.record"))));
  }

  // speakingClock counts down the speaker's time, from when the floor
  // was given, when the chair set a limit.
  speakingClock(cur, rd) {
    const limit = cur.reply ? rd.replyTime : rd.speakingTime;
    if (!limit || !cur.given) return null;
    const deadline = new Date(Date.parse(cur.given) + limit * 1000).toISOString();
    return el("span", { class: "speaking-clock", "data-speaking-until": deadline, role: "timer", "aria-label": t("floor.timeLeft") }, speakingLeft(deadline));
  }

  speakingTimeDialog(rd) {
    return dialog(tr("time.dialog"), (f) => {
      const st = el("input", { type: "number", min: 0, max: 60, step: "any", value: rd.speakingTime ? rd.speakingTime / 60 : "" , id: "speaking-minutes" });
      const rt = el("input", { type: "number", min: 0, max: 60, step: "any", value: rd.replyTime ? rd.replyTime / 60 : "", id: "reply-minutes" });
      f.append(el("p", { class: "hint" }, tr("time.hint")),
        field(tr("time.statement"), st), field(tr("time.reply"), rt));
      return () => ({ seconds: Math.round((Number(st.value) || 0) * 60), replySeconds: Math.round((Number(rt.value) || 0) * 60) });
    }, async (x) => { await this.conn.send("floor.limit", x); }, tr("time.submit"));
  }

  updateClocks() {
    for (const c of this.root.querySelectorAll(".countdown[data-deadline]")) c.textContent = left(c.getAttribute("data-deadline"));
    for (const c of this.root.querySelectorAll("[data-speaking-until]")) {
      const t = speakingLeft(c.getAttribute("data-speaking-until"));
      if (c.textContent !== t) c.textContent = t;
      c.classList.toggle("over", t === tr("floor.timeUp"));
    }
  }
}

// speakerWords names a speaker: "EGY on behalf of G77", "RUS (right of
// reply)".
function speakerWords(x) {
  return `${x.delegation}${x.onBehalf ? " " + t("floor.onBehalf", { group: x.onBehalf }) : ""}${x.reply ? " " + t("floor.replyMark") : ""}`;
}

// minutes writes a speaking time: "3 minutes", "1 minute 30 seconds".
function minutes(sec) {
  const m = Math.floor(sec / 60), s = sec % 60;
  return [m ? plural(m, "common.minutes") : "", s ? plural(s, "common.seconds") : ""].filter(Boolean).join(" ");
}

// speakingLeft is the speaker's time left, "2:59", or "time is up".
function speakingLeft(deadline) {
  const ms = Date.parse(deadline) - Date.now();
  if (!(ms > 0)) return t("floor.timeUp");
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// setChildren makes node's children exactly list, moving only what is
// out of place, so that unchanged children (and a selection or the focus
// in them) stay where they are: children no longer listed go first, so a
// rebuilt one takes its old place without moving those after it.
function setChildren(node, list) {
  const keep = new Set(list);
  for (const c of [...node.children]) if (!keep.has(c)) c.remove();
  list.forEach((ch, i) => { if (node.children[i] !== ch) node.insertBefore(ch, node.children[i] || null); });
}

// localInput formats a date for a datetime-local input.
function localInput(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
