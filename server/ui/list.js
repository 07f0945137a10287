// The list of amendments: every amendment of a document in one table,
// filtered by State, paragraph, status and support or objection, and by
// words, kept current by the room's live view like everything else.

import { el, button } from "./dom.js";
import { outcomeWords, positionLabels } from "./words.js";
import { t } from "./i18n.js";

// AmendmentList draws into a container it keeps; the filters survive the
// live updates (only the rows are redrawn), so a search being typed is
// never lost.
export class AmendmentList {
  constructor(page) {
    this.page = page;
    this.filter = { state: "", para: "", status: "", stance: "", q: "" };
    const f = this.filter;
    const on = (k) => (e) => { f[k] = e.target.value; this.draw(); };
    this.state = el("select", { id: "al-state", onchange: on("state") });
    this.para = el("select", { id: "al-para", onchange: on("para") });
    this.status = el("select", { id: "al-status", onchange: on("status") },
      el("option", { value: "" }, t("list.anyStatus")), el("option", { value: "open" }, t("list.pending")),
      ["accepted", "accepted-as-modified", "incorporated-in-brackets", "merged-into-compromise", "rejected", "withdrawn", "obsolete"].map((s) => el("option", { value: s }, outcomeWords[s])));
    this.stance = el("select", { id: "al-stance", onchange: on("stance") },
      el("option", { value: "" }, t("list.any")), el("option", { value: "objected" }, t("list.objected")), el("option", { value: "supported" }, t("list.supported")),
      el("option", { value: "none" }, t("list.noPosition")));
    this.q = el("input", { id: "al-q", type: "search", placeholder: t("list.searchHint"), oninput: on("q"), autocomplete: "off", dir: "auto" });
    this.count = el("p", { class: "hint", id: "al-count", role: "status", "aria-live": "polite" });
    this.body = el("tbody", {});
    const lab = (text, input) => el("div", { class: "field" }, el("label", { for: input.id }, text), input);
    this.node = el("section", { class: "amendment-list", "aria-label": t("list.title") },
      el("h2", {}, t("list.title")),
      el("div", { class: "filters", role: "search" }, lab(t("list.state"), this.state), lab(t("list.paragraph"), this.para), lab(t("list.status"), this.status),
        lab(t("list.positions"), this.stance), lab(t("list.search"), this.q)),
      this.count,
      el("div", { class: "table-wrap" }, el("table", { class: "amendments-table" },
        el("thead", {}, el("tr", {}, [t("list.amendment"), t("list.paragraph"), t("list.proposedBy"), t("list.what"), t("list.status"), t("list.positions")].map((h) => el("th", { scope: "col" }, h)))),
        this.body)));
  }

  // options fills a select with values, keeping the one chosen.
  options(select, first, values) {
    const want = JSON.stringify(values);
    if (select.dataset.values === want) return;
    select.dataset.values = want;
    const cur = select.value;
    select.replaceChildren(el("option", { value: "" }, first), ...values.map(([v, l]) => el("option", { value: v }, l)));
    select.value = values.some(([v]) => v === cur) ? cur : "";
  }

  draw() {
    const page = this.page;
    const v = page.view;
    const f = this.filter;
    const states = new Set();
    for (const a of v.amendments) { states.add(a.proposer); for (const s of a.coSponsors || []) states.add(s); }
    for (const p of v.positions) if (p.amendment) states.add(p.state);
    this.options(this.state, t("list.anyState"), [...states].sort().map((s) => [s, s]));
    const paras = v.paragraphs.filter((p) => v.amendments.some((a) => a.para === p.id));
    this.options(this.para, t("list.anyParagraph"), paras.map((p) => [p.id, p.number ? t("room.paragraphN", { number: p.number }) : t("room.unnumbered")]));
    f.state = this.state.value; f.para = this.para.value;
    const q = f.q.trim().toLowerCase();
    const rows = v.amendments.filter((a) => {
      const pos = v.positions.filter((x) => x.amendment === a.id);
      if (f.state && a.proposer !== f.state && !(a.coSponsors || []).includes(f.state) && !pos.some((x) => x.state === f.state)) return false;
      if (f.para && a.para !== f.para) return false;
      if (f.status === "open" && a.status !== "proposed") return false;
      if (f.status && f.status !== "open" && a.status !== f.status) return false;
      if (f.stance === "objected" && !pos.some((x) => x.kind === "oppose")) return false;
      if (f.stance === "supported" && !pos.some((x) => x.kind === "support")) return false;
      if (f.stance === "none" && pos.length) return false;
      if (q) {
        const hay = [a.id, a.proposer, ...(a.coSponsors || []), a.newText, a.anchor && a.anchor.text, a.comment, ...pos.map((x) => `${x.state} ${x.comment || ""}`)].join(" ").toLowerCase();
        if (!q.split(/\s+/).every((w) => hay.includes(w))) return false;
      }
      return true;
    });
    this.count.textContent = t("list.shown", { n: rows.length, total: v.amendments.length });
    this.body.replaceChildren(...rows.map((a) => {
      const pos = v.positions.filter((x) => x.amendment === a.id);
      const by = (k) => pos.filter((x) => x.kind === k).map((x) => x.state);
      const p = page.para(a.para);
      return el("tr", { "data-amendment": a.id, class: `status-${a.status}` },
        el("td", {}, el("strong", {}, a.id), a.parent ? el("div", { class: "hint" }, t("amend.to", { parent: a.parent })) : null),
        el("td", {}, el("a", { href: `#/documents/${encodeURIComponent(v.id)}`, "data-para": a.para, onclick: () => { page.jumpTo = a.id; } }, p && p.number ? p.number : "—"), a.line ? el("div", { class: "hint" }, t("amend.line", { n: a.line })) : null),
        el("td", {}, a.proposer, (a.coSponsors || []).length ? el("div", { class: "hint" }, t("amend.with") + " " + a.coSponsors.join(", ")) : null),
        el("td", { dir: "auto" }, page.describeChange(a, p || {})),
        el("td", {}, el("span", { class: `badge outcome-${a.status}` }, outcomeWords[a.status] || a.status)),
        el("td", { class: "positions" }, ["support", "oppose", "reservation", "flexible"].map((k) => by(k).length ?
          el("div", { class: `pos-${k}` }, el("span", { class: "pos-kind" }, t("common.label", { label: positionLabels[k] }) + " "), by(k).join(", ")) : null)));
    }));
  }
}
