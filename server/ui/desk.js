// The secretariat desk: processes, people and their one-time logins, and
// importing drafts with the import report.

import { el, button, toast, field, dialog } from "./dom.js";
import { api } from "./api.js";
import { roleWords, typeWords, parseStates, day, when, plural } from "./words.js";
import { t, has, list as andList, lang as uiLang } from "./i18n.js";

export async function deskPage(root) {
  const people = el("section", { class: "panel", "aria-labelledby": "h-people" });
  const processes = el("section", { class: "panel", "aria-labelledby": "h-processes" });
  const imp = el("section", { class: "panel", "aria-labelledby": "h-import" });
  const versions = el("section", { class: "panel", "aria-labelledby": "h-versions" });
  root.replaceChildren(el("div", { class: "desk" },
    el("h1", {}, t("nav.desk")),
    el("p", { class: "hint" }, t("desk.intro")),
    el("div", { class: "desk-grid" }, imp, versions, people, processes)));
  drawVersions(versions);
  let procs = { processes: [], templates: [] };
  try { procs = await api("GET", "/api/processes"); } catch (e) { toast(e.message); }
  drawProcesses(processes, procs, () => deskPage(root));
  await drawPeople(people);
  drawImport(imp, procs.processes || []);
}

function drawProcesses(sec, procs, reload) {
  const tpl = el("select", { id: "template" }, (procs.templates || []).map((x) => el("option", { value: x }, x)));
  const detail = el("div", { class: "process-detail" });
  const form = el("form", { class: "inline-form", id: "process-form", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api("POST", "/api/processes", { template: tpl.value });
      toast(t("desk.processSetUp", { id: r.id, name: r.name }), "note");
      reload();
    } catch (e) { toast(e.message); }
  } }, field(t("desk.template"), tpl), el("button", { type: "submit" }, t("desk.setUp")));
  const list = (procs.processes || []).map((p) => el("li", {}, el("strong", {}, p.id), " — ", el("span", { class: "data", dir: "auto" }, p.name), " ",
    button(t("desk.meetingsObservers"), () => drawProcess(detail, p.id), { class: "secondary", "data-process": p.id })));
  sec.replaceChildren(el("h2", { id: "h-processes" }, t("desk.processes")),
    list.length ? el("ul", { class: "processes" }, list) : el("p", { class: "hint" }, t("desk.noProcess")),
    (procs.templates || []).length ? form : null, detail);
}

const meetingKinds = ["organizational-session", "substantive-plenary", "thematic-group-meeting", "intersessional", "stakeholder-consultation", "review-conference"];
const bodyKinds = ["additional-group", "thematic-group"];
const categories = ["ngo", "business", "academia", "intergovernmental", "observer-state"];

// Words for the codes of a process, from the catalogs; a code the
// catalogs do not know is shown as it is.
const kindWord = (k) => (has(`meetingKind.${k}`) ? t(`meetingKind.${k}`) : has(`bodyKind.${k}`) ? t(`bodyKind.${k}`) : String(k || "").replace(/-/g, " "));
const categoryWord = (c) => (has(`category.${c}`) ? t(`category.${c}`) : c);
const regionWord = (r) => (has(`region.${r}`) ? t(`region.${r}`) : r);
const observerStatusWord = (s) => (has(`observerStatus.${s}`) ? t(`observerStatus.${s}`) : s);

// rulesView lists the rules in force in words: one line per rule that
// applies; a rule the catalogs do not know is shown by its name.
function rulesView(rules) {
  const r = rules || {};
  const lines = [];
  if (!r.chairTermYears) lines.push(t("rule.chairForLife"));
  for (const [k, v] of Object.entries(r)) {
    if (k === "comment" || v === false || v === 0 || v === "" || v === null) continue;
    if (!has(`rule.${k}`)) { lines.push(`${k}: ${JSON.stringify(v)}`); continue; }
    lines.push(t(`rule.${k}`, { n: typeof v === "number" ? v : undefined, venue: typeof v === "string" ? v : undefined }));
  }
  return el("ul", { class: "rules-list" }, lines.map((x) => el("li", {}, x)));
}

// processCommand sends a command of a process; a refusal comes back
// with the engine's words (an overlapping meeting names the meeting).
async function processCommand(id, name, command) {
  return api("POST", `/api/processes/${encodeURIComponent(id)}/commands`, { name, command });
}

async function drawProcess(box, id) {
  let p;
  try { p = (await api("GET", `/api/processes/${encodeURIComponent(id)}`)).process; } catch (e) { toast(e.message); return; }
  const bodies = p.bodies || [];
  const bodyName = (b) => (bodies.find((x) => x.id === b) || {}).name || b;
  const meetings = (p.meetings || []).slice().sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const err = el("p", { class: "error-text", role: "alert", id: "process-error" });
  const redraw = () => drawProcess(box, id);
  const heads = (...keys) => el("thead", {}, el("tr", {}, keys.map((k) => el("th", { scope: "col" }, k ? t(k) : ""))));

  const mBody = el("select", { id: "meeting-body" }, bodies.map((b) => el("option", { value: b.id, class: "data", dir: "auto" }, b.name || b.id)));
  const mId = el("input", { id: "meeting-id", required: true, autocomplete: "off", placeholder: t("process.meetingIdHint") });
  const mKind = el("select", { id: "meeting-kind" }, meetingKinds.map((k) => el("option", { value: k }, kindWord(k))));
  const mTitle = el("input", { id: "meeting-title", required: true, dir: "auto" });
  const mStart = el("input", { id: "meeting-start", type: "datetime-local", required: true });
  const mEnd = el("input", { id: "meeting-end", type: "datetime-local", required: true });
  const schedule = el("form", { class: "stack-form", id: "meeting-form", onsubmit: async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    try {
      await processCommand(id, "meeting.schedule", { id: mId.value.trim(), body: mBody.value, kind: mKind.value, title: mTitle.value.trim(),
        start: new Date(mStart.value).toISOString(), end: new Date(mEnd.value).toISOString() });
      toast(t("process.meetingScheduled", { id: mId.value.trim() }), "note");
      redraw();
    } catch (e) { err.textContent = e.message; }
  } }, el("h3", {}, t("process.schedule")), el("div", { class: "row" }, field(t("process.body"), mBody), field(t("process.kind"), mKind)),
  el("div", { class: "row" }, field(t("people.id"), mId), field(t("import.title"), mTitle)), el("div", { class: "row" }, field(t("process.starts"), mStart), field(t("process.ends"), mEnd)),
  el("button", { type: "submit" }, t("process.scheduleSubmit")));

  const oId = el("input", { id: "observer-id", required: true, autocomplete: "off" });
  const oName = el("input", { id: "observer-name", required: true, dir: "auto" });
  const oCat = el("select", { id: "observer-category" }, categories.map((c) => el("option", { value: c }, categoryWord(c))));
  const oDeadline = el("input", { id: "observer-deadline", type: "date" });
  const propose = el("form", { class: "stack-form", id: "observer-form", onsubmit: async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    try {
      await processCommand(id, "observer.propose", { id: oId.value.trim(), name: oName.value.trim(), category: oCat.value,
        deadline: oDeadline.value ? `${oDeadline.value}T23:59:59Z` : undefined });
      redraw();
    } catch (e) { err.textContent = e.message; }
  } }, el("h3", {}, t("process.proposeObserver")), el("div", { class: "row" }, field(t("people.id"), oId), field(t("people.name"), oName)),
  el("div", { class: "row" }, field(t("process.category"), oCat), field(t("process.objectionsUntil"), oDeadline)), el("button", { type: "submit" }, t("process.proposeSubmit")));

  // Bodies: the plenary, thematic groups and additional groups of fixed
  // duration, with who may attend; a new group is established here.
  const bId = el("input", { id: "body-id", required: true, autocomplete: "off", placeholder: t("process.bodyIdHint") });
  const bName = el("input", { id: "body-name", required: true, dir: "auto" });
  const bKind = el("select", { id: "body-kind" }, bodyKinds.map((k) => el("option", { value: k }, kindWord(k))));
  const bObjectives = el("textarea", { id: "body-objectives", rows: 2, dir: "auto", placeholder: t("process.objectivesHint") });
  const bStart = el("input", { id: "body-start", type: "date" });
  const bEnd = el("input", { id: "body-end", type: "date" });
  const bPart = categories.map((c) => el("input", { type: "checkbox", value: c, "data-participation": c }));
  const establish = el("form", { class: "stack-form", id: "body-form", onsubmit: async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    try {
      await processCommand(id, "body.establish", { id: bId.value.trim(), kind: bKind.value, name: bName.value.trim(),
        objectives: bObjectives.value.split("\n").map((x) => x.trim()).filter(Boolean),
        participation: bPart.filter((x) => x.checked).map((x) => x.value),
        start: bStart.value ? `${bStart.value}T00:00:00Z` : undefined, end: bEnd.value ? `${bEnd.value}T00:00:00Z` : undefined });
      toast(t("process.established", { name: bName.value.trim() }), "note");
      redraw();
    } catch (e) { err.textContent = e.message; }
  } }, el("h3", {}, t("process.establish")), el("div", { class: "row" }, field(t("people.id"), bId), field(t("people.name"), bName)),
  el("div", { class: "row" }, field(t("process.kind"), bKind), field(t("process.from"), bStart), field(t("process.until"), bEnd)),
  field(t("process.objectives"), bObjectives),
  el("fieldset", { class: "checks" }, el("legend", {}, t("process.stakeholdersAdmitted")), bPart.map((x) => el("label", {}, x, " ", categoryWord(x.value)))),
  el("button", { type: "submit" }, t("process.establishSubmit")));
  const bodyRows = bodies.map((b) => el("tr", { "data-body": b.id },
    el("td", { dir: "auto" }, b.name, el("div", { class: "hint" }, b.id)), el("td", {}, kindWord(b.kind) + (b.optional ? " " + t("process.optional") : "")),
    el("td", {}, b.start ? t("process.dates", { from: day(b.start), until: b.end ? day(b.end) : "…" }) : ""),
    el("td", {}, (b.participation || []).length ? andList(b.participation.map(categoryWord)) : t("process.statesOnly")),
    el("td", { dir: "auto" }, (b.objectives || []).length ? el("ul", {}, b.objectives.map((o) => el("li", {}, o))) : "")));
  const officers = (p.officers || []).filter((o) => !o.left);
  const officerRows = officers.map((o) => el("tr", {},
    el("td", {}, roleWords[o.role] || o.role, o.body ? el("div", { class: "hint data", dir: "auto" }, bodyName(o.body)) : null), el("td", { dir: "auto" }, o.name),
    el("td", {}, t("process.stateRegion", { state: o.state, region: regionWord(o.region) })),
    el("td", {}, t("process.dates", { from: day(o.termStart), until: day(o.termEnd) }))));
  const participants = (p.participants || []).filter((x) => !x.withdrawn);
  const participantRows = participants.map((x) => el("tr", { "data-participant": x.person },
    el("td", { dir: "auto" }, x.name, el("div", { class: "hint" }, x.person)), el("td", {}, roleWords[x.role] || x.role),
    el("td", {}, x.language ? (languageNames[x.language] || x.language) : (x.state || x.observer || "")),
    el("td", {}, day(x.registered))));

  const observers = p.observers || [];
  box.replaceChildren(el("h3", { class: "data", dir: "auto" }, p.name),
    err,
    el("details", { class: "bodies", open: true }, el("summary", {}, t("process.bodies", { n: bodies.length })),
      el("div", { class: "table-wrap" }, el("table", {}, heads("process.body", "process.kind", "process.duration", "process.observersAdmitted", "process.objectives"),
        el("tbody", {}, bodyRows)))),
    establish,
    el("details", { class: "participants" }, el("summary", {}, t("process.participants", { n: participants.length })),
      participants.length ? el("div", { class: "table-wrap" }, el("table", {}, heads("people.name", "people.role", "process.delegation", "process.registered"),
        el("tbody", {}, participantRows))) : el("p", { class: "hint" }, t("process.noParticipant"))),
    el("details", { class: "officers" }, el("summary", {}, t("process.officers", { n: officers.length })),
      officers.length ? el("div", { class: "table-wrap" }, el("table", {}, heads("process.seat", "people.name", "process.state", "process.term"),
        el("tbody", {}, officerRows))) : el("p", { class: "hint" }, t("process.noOfficer"))),
    el("details", { class: "meetings" }, el("summary", {}, t("process.meetings", { n: meetings.length })),
      el("div", { class: "table-wrap" }, el("table", {}, heads("process.meeting", "process.body", "process.kind", "process.datesHead", ""),
        el("tbody", {}, meetings.map((m) => el("tr", { class: m.cancelled ? "cancelled" : "", "data-meeting": m.id },
          el("td", { dir: "auto" }, m.title || m.id, el("div", { class: "hint" }, m.id)), el("td", { class: "data", dir: "auto" }, bodyName(m.body)), el("td", {}, kindWord(m.kind)),
          el("td", {}, t("process.dates", { from: day(m.start), until: day(m.end) })),
          el("td", {}, m.cancelled ? (m.reason ? [t("process.cancelledBecause"), " ", el("span", { class: "data", dir: "auto" }, m.reason)] : t("process.cancelled")) : button(t("process.cancel"), async () => {
            const done = await dialog(t("process.cancelTitle", { title: m.title || m.id }), (f) => {
              const why = el("input", { required: true, dir: "auto" });
              f.append(field(t("process.reason"), why));
              return () => why.value.trim();
            }, async (reason) => { await processCommand(id, "meeting.cancel", { meeting: m.id, reason }); return true; }, t("process.cancelSubmit"));
            if (done) redraw();
          }, { class: "secondary", "data-cancel": m.id })))))))),
    schedule,
    el("details", { class: "contributions" }, el("summary", {}, t("process.contributions", { n: (p.contributions || []).length })),
      (p.contributions || []).length ? el("ul", {}, p.contributions.map((c) => el("li", { "data-contribution": c.id },
        el("strong", { dir: "auto", class: "data" }, c.title), " — ", t("process.contributionTo", { who: c.observer || c.state, meeting: c.meeting, date: day(c.submitted) }),
        c.text ? el("div", { dir: "auto", class: "hint data" }, c.text) : "",
        c.file ? el("div", { class: "hint" }, t("process.file"), " ", el("span", { class: "data", dir: "auto" }, `${c.file.name} (${c.file.mediaType})`)) : "")))
        : el("p", { class: "hint" }, t("process.noContribution"))),
    el("details", { class: "rules" }, el("summary", {}, t("process.rules")),
      rulesView(p.rules),
      (p.ruleHistory || []).length ? el("ol", {}, p.ruleHistory.map((h) => el("li", {}, t("process.rulesFrom", { date: day(h.from) }), " — ",
        h.meeting ? t("process.rulesDecided", { meeting: h.meeting }) : t("process.rulesCreated"), h.text ? [" ", el("span", { class: "data", dir: "auto" }, h.text)] : ""))) : ""),
    el("h3", {}, t("process.observers")),
    observers.length ? el("ul", { class: "observers" }, observers.map((o) => el("li", { "data-observer": o.id }, el("strong", { dir: "auto", class: "data" }, o.name), " ",
      t("process.observerLine", { category: categoryWord(o.category), status: observerStatusWord(o.status) }),
      o.deadline ? " · " + t("process.objectionsUntilWhen", { when: when(o.deadline) }) : "",
      (o.objections || []).length ? " · " + t("process.objectedBy", { states: andList(o.objections.map((x) => x.state)) }) : "",
      o.status === "proposed" ? [" ", button(t("process.closeAccreditation"), async () => {
        try { await processCommand(id, "accreditation.close", { observer: o.id }); redraw(); } catch (e) { err.textContent = e.message; }
      }, { class: "secondary" })] : ""))) : el("p", { class: "hint" }, t("process.noObserver")),
    propose);
}

async function drawPeople(sec) {
  let list = [];
  try { list = await api("GET", "/api/people"); } catch (e) { toast(e.message); }
  const shown = el("div", { class: "login-shown", "aria-live": "polite" });
  const rows = list.map((p) => el("tr", {},
    el("td", {}, p.id), el("td", { dir: "auto" }, p.name), el("td", {}, roleWords[p.role] || p.role), el("td", { dir: "auto" }, p.state || p.org || ""),
    el("td", {}, button(t("people.issue"), async () => {
      try {
        const r = await api("POST", `/api/people/${encodeURIComponent(p.id)}/logins`);
        const link = new URL(r.link, location.origin).href;
        shown.replaceChildren(el("div", { class: "login-box", role: "status" },
          el("p", {}, t("people.loginFor"), " ", el("strong", { dir: "auto" }, p.name), " ", t("people.loginOnce")),
          el("p", {}, t("people.code"), " ", el("code", { class: "login-code" }, r.code)),
          el("p", {}, t("people.link"), " ", el("code", { class: "login-link" }, link))));
      } catch (e) { toast(e.message); }
    }, { "data-person": p.id }))));
  const id = el("input", { id: "person-id", required: true, autocomplete: "off", placeholder: t("people.idHint") });
  const name = el("input", { id: "person-name", required: true, dir: "auto", placeholder: t("people.nameHint") });
  const role = el("select", { id: "person-role" }, ["delegate", "officer", "secretariat", "translator", "observer", "viewer"].map((r) => el("option", { value: r }, r === "viewer" ? t("people.viewer") : roleWords[r] || r)));
  const language = el("select", { id: "person-language" }, versionLanguages.map((l) => el("option", { value: l }, languageNames[l])));
  const state = el("input", { id: "person-state", autocomplete: "off", placeholder: t("people.stateHint") });
  const org = el("input", { id: "person-org", dir: "auto", placeholder: t("people.orgHint") });
  const form = el("form", { class: "stack-form", id: "person-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { id: id.value.trim(), name: name.value.trim(), role: role.value };
    if (role.value === "delegate" || role.value === "observer") body.state = parseStates(state.value)[0];
    if (role.value === "observer" && org.value.trim()) body.org = org.value.trim();
    if (role.value === "translator") body.language = language.value;
    try {
      await api("POST", "/api/people", body);
      toast(t("people.registered", { name: body.name }), "note");
      await drawPeople(sec);
    } catch (e) { toast(e.message); }
  } }, el("h3", {}, t("people.register")), field(t("people.id"), id), field(t("people.name"), name), field(t("people.role"), role), field(t("people.state"), state), field(t("people.org"), org), field(t("people.language"), language),
  el("button", { type: "submit" }, t("people.submit")));
  sec.replaceChildren(el("h2", { id: "h-people" }, t("people.title")), shown,
    el("div", { class: "table-wrap" }, el("table", { class: "people" }, el("thead", {}, el("tr", {}, [t("people.id"), t("people.name"), t("people.role"), t("people.stateOrg"), ""].map((h) => el("th", { scope: "col" }, h)))), el("tbody", {}, rows))),
    form);
}

function drawImport(sec, processes) {
  const id = el("input", { id: "imp-id", required: true, autocomplete: "off", placeholder: t("import.idHint") });
  const type = el("select", { id: "imp-type" }, Object.entries(typeWords).map(([k, l]) => el("option", { value: k }, l)));
  const lang = el("select", { id: "imp-lang" }, ["en", "fr", "es", "ru", "zh", "ar"].map((k) => el("option", { value: k }, languageNames[k])));
  const title = el("input", { id: "imp-title", dir: "auto", placeholder: t("import.titleHint") });
  // The symbol is never typed: a process with a symbol prefix allocates
  // it (the next conference room paper of the year of the meeting the
  // document is prepared for), and the form shows which it will be; a
  // document outside any process has the one its draft gives.
  const symbol = el("p", { id: "imp-symbol", class: "hint", "aria-live": "polite" }, t("import.symbolFromDraft"));
  const proc = el("select", { id: "imp-process" }, el("option", { value: "" }, t("import.none")), processes.map((p) => el("option", { value: p.id, class: "data", dir: "auto" }, p.name || p.id)));
  const body = el("select", { id: "imp-body" }, el("option", { value: "" }, t("import.none")));
  const meeting = el("select", { id: "imp-meeting" }, el("option", { value: "" }, t("import.none")));
  let meetings = [];
  const showSymbol = async () => {
    if (!proc.value) { symbol.replaceChildren(t("import.symbolFromDraft")); return; }
    try {
      const q = meeting.value ? `?meeting=${encodeURIComponent(meeting.value)}` : "";
      const r = await api("GET", `/api/processes/${encodeURIComponent(proc.value)}/next-symbol${q}`);
      symbol.replaceChildren(r.allocated ? t("import.symbolAllocated", { symbol: r.symbol }) : t("import.symbolFromDraft"));
    } catch (e) { toast(e.message); }
  };
  const fillMeetings = () => {
    meeting.replaceChildren(el("option", { value: "" }, t("import.none")),
      ...meetings.filter((m) => !m.cancelled && m.body === body.value).map((m) => el("option", { value: m.id, class: "data", dir: "auto" }, `${m.title || m.id} (${day(m.start)})`)));
    showSymbol();
  };
  proc.addEventListener("change", async () => {
    body.replaceChildren(el("option", { value: "" }, t("import.none")));
    meetings = [];
    if (!proc.value) { fillMeetings(); return; }
    try {
      const r = await api("GET", `/api/processes/${encodeURIComponent(proc.value)}`);
      for (const b of r.process.bodies || []) body.append(el("option", { value: b.id }, b.name || b.id));
      const plen = (r.process.bodies || []).find((b) => b.kind === "plenary");
      if (plen) body.value = plen.id;
      meetings = r.process.meetings || [];
    } catch (e) { toast(e.message); }
    fillMeetings();
  });
  body.addEventListener("change", fillMeetings);
  meeting.addEventListener("change", showSymbol);
  const text = el("textarea", { id: "imp-text", rows: 12, dir: "auto", required: true, placeholder: t("import.textHint") });
  const file = el("input", { id: "imp-file", type: "file", accept: ".md,.txt,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  // A Word file is sent as it is (base64 in the JSON body); the server reads it.
  let docx = null;
  file.addEventListener("change", async () => {
    const f = file.files[0];
    docx = null;
    text.required = true;
    if (!f) return;
    if (/\.docx$/i.test(f.name)) {
      const bytes = new Uint8Array(await f.arrayBuffer());
      let bin = "";
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      docx = btoa(bin);
      text.value = "";
      text.required = false;
      text.placeholder = t("import.wordFile", { name: f.name });
    } else text.value = await f.text();
  });
  const report = el("div", { class: "import-report", "aria-live": "polite" });
  const form = el("form", { class: "stack-form", id: "import-form", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api("POST", "/api/documents", { id: id.value.trim(), type: type.value, language: lang.value, title: title.value.trim() || undefined,
        process: proc.value || undefined, body: body.value || undefined, meeting: meeting.value || undefined, ...(docx && !text.value ? { docx } : { text: text.value }) });
      report.replaceChildren(importReport(r));
      showSymbol();
    } catch (e) {
      report.replaceChildren(el("p", { class: "error-text", role: "alert" }, e.message));
    }
  } }, field(t("import.docId"), id), el("div", { class: "row" }, field(t("import.type"), type), field(t("import.language"), lang)),
  el("div", { class: "row" }, field(t("import.process"), proc), field(t("import.body"), body)),
  el("div", { class: "row" }, field(t("import.meeting"), meeting), field(t("import.title"), title)), symbol,
  field(t("import.text"), text), field(t("import.file"), file),
  el("button", { type: "submit", class: "primary" }, t("import.submit")));
  sec.replaceChildren(el("h2", { id: "h-import" }, t("import.heading")), form, report);
}

function importReport(r) {
  const rep = r.report || {};
  const u = rep.unbalanced || [];
  const d = r.document;
  return el("div", { class: "report" },
    el("p", {}, t("import.imported"), " ", el("a", { href: `#/documents/${encodeURIComponent(d.id)}` }, d.symbol || d.id), ": ",
      t("import.counts", { sections: plural(rep.sections, "import.sections"), paragraphs: plural(rep.paragraphs, "import.paragraphs"), brackets: plural(rep.brackets, "import.bracketPairs"), depth: rep.maxDepth }), " ",
      el("strong", {}, plural(u.length, "import.unbalanced")), "."),
    u.length ? el("table", { class: "unbalanced" }, el("thead", {}, el("tr", {}, [t("import.line"), t("import.where"), t("import.character"), t("import.problem")].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, u.map((x) => el("tr", {}, el("td", {}, x.line), el("td", { dir: "auto" }, x.where), el("td", {}, x.offset), el("td", {}, `“${x.char}” `, t(x.char === "[" ? "import.neverClosed" : "import.noOpening")))))) : null,
    (rep.notes || []).length ? el("ul", { class: "hint import-notes" }, rep.notes.map((n) => el("li", { "data-note": n.key },
      has(`importNote.${n.key}`) ? t(`importNote.${n.key}`, n.params || {}) : n.text))) : null);
}

// Language versions: for a document, how many paragraphs of each language
// version are current, outdated (the source paragraph changed since) or
// missing, which ones, and a form to import a version from a file
// numbered as the document is; the import's report names what did not
// align.
const versionLanguages = ["ar", "zh", "en", "fr", "ru", "es"];
const names = new Intl.DisplayNames([uiLang === "en" ? "en-GB" : uiLang], { type: "language" });
const languageNames = Object.fromEntries(versionLanguages.map((l) => [l, names.of(l)]));

async function drawVersions(sec, chosen) {
  let docs = [];
  try { docs = await api("GET", "/api/documents"); } catch (e) { toast(e.message); }
  const head = el("h2", { id: "h-versions" }, t("versions.title"));
  if (!docs.length) { sec.replaceChildren(head, el("p", { class: "hint" }, t("list.none"))); return; }
  const pick = el("select", { id: "versions-doc", onchange: () => drawVersions(sec, pick.value) },
    docs.map((d) => el("option", { value: d.id, selected: d.id === chosen, class: "data", dir: "auto" }, `${d.symbol || d.id} — ${d.title}`)));
  const id = chosen || docs[0].id;
  let st;
  try { st = await api("GET", `/api/documents/${encodeURIComponent(id)}/translations`); } catch (e) { toast(e.message); return; }
  const rows = st.languages.map((l) => {
    const late = (l.paras || []).filter((p) => p.state === "outdated").map((p) => p.number);
    return el("tr", { "data-language": l.language, class: l.outdated ? "translation-outdated" : "" },
      el("th", { scope: "row" }, languageNames[l.language] || l.language), el("td", {}, String(l.current)),
      el("td", {}, String(l.outdated)), el("td", {}, String(l.missing)),
      el("td", { class: "outdated-list" }, late.length ? t("versions.outdatedList", { paras: late.join(", ") }) : ""));
  });
  const table = el("div", { class: "table-wrap" }, el("table", { class: "versions", id: "versions-table" },
    el("caption", {}, t("versions.source", { language: languageNames[st.language] || st.language, symbol: st.symbol })),
    el("thead", {}, el("tr", {}, [t("import.language"), t("versions.current"), t("versions.outdated"), t("versions.missing"), ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows)));
  const lang = el("select", { id: "version-language" }, versionLanguages.filter((l) => l !== st.language).map((l) => el("option", { value: l }, languageNames[l])));
  const file = el("input", { id: "version-file", type: "file", accept: ".md,.txt,text/markdown,text/plain", required: true });
  const report = el("div", { class: "import-report", id: "version-report", "aria-live": "polite" });
  const form = el("form", { class: "stack-form", id: "version-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    try {
      const r = await api("POST", `/api/documents/${encodeURIComponent(id)}/commands`,
        { name: "translation.import", command: { language: lang.value, text: await f.text(), file: f.name } });
      const x = r.events[0].data;
      const language = languageNames[x.language] || x.language;
      const lines = [t("versions.reportTaken", { language, taken: plural((x.paras || []).length, "versions.parasTaken"), current: plural(x.unchanged || 0, "versions.parasCurrent") })];
      for (const u of x.unmatched || []) {
        lines.push([u.number ? t("versions.unmatched", { line: u.line, number: u.number }) : t("versions.unmatchedUnnumbered", { line: u.line, eId: u.eId }),
          " ", el("q", { class: "data", dir: "auto" }, u.excerpt)]);
      }
      if ((x.absent || []).length) lines.push(t("versions.absent", { n: x.absent.length, paras: x.absent.map((a) => a.number).join(", ") }));
      if (x.sectionCounts) lines.push(t("versions.sectionsDiffer", { file: plural(x.sectionCounts.file, "import.sections"), document: plural(x.sectionCounts.document, "import.sections") }));
      await drawVersions(sec, id);
      sec.querySelector("#version-report").replaceChildren(el("ul", {}, lines.map((l) => el("li", {}, l))));
    } catch (e) { report.replaceChildren(el("p", { class: "error-text", role: "alert" }, e.message)); }
  } }, el("h3", {}, t("versions.import")),
  el("p", { class: "hint" }, t("versions.importHint")),
  field(t("import.language"), lang), field(t("versions.file"), file), el("button", { type: "submit" }, t("versions.submit")));
  sec.replaceChildren(head, field(t("versions.document"), pick), table, form, report);
}
