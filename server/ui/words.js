// Words shown for the codes the server uses.

export const statusWords = {
  "not-read": "not yet read",
  "under-reading": "under reading",
  pending: "pending",
  "agreed-ad-ref": "agreed ad ref",
  adopted: "adopted",
  "deleted-pending": "deletion pending",
};

export const outcomeWords = {
  proposed: "proposed",
  accepted: "accepted",
  "accepted-as-modified": "accepted as modified",
  "incorporated-in-brackets": "incorporated in brackets",
  "merged-into-compromise": "merged into a compromise",
  withdrawn: "withdrawn",
  rejected: "rejected",
  obsolete: "obsolete",
};

export const positionWords = {
  support: "supports",
  oppose: "objects",
  reservation: "has a reservation",
  flexible: "can live with it",
  dissociation: "dissociates",
};

export const positionLabels = {
  support: "Support",
  oppose: "Object",
  reservation: "Reservation",
  flexible: "Flexible",
  dissociation: "Dissociate",
};

export const typeWords = {
  "draft-progress-report": "draft progress report",
  "final-report": "final report",
  "elements-paper": "elements paper",
  recommendations: "recommendations",
  "chairs-summary": "Chair's summary",
  compilation: "compilation",
};

export const roleWords = {
  secretariat: "secretariat",
  chair: "Chair",
  "vice-chair": "Vice-Chair",
  "co-chair": "Co-Chair",
  facilitator: "facilitator",
  officer: "officer",
  delegate: "delegation",
  observer: "observer",
  viewer: "viewer",
  translator: "translator",
};

export const decisionWords = {
  "agree-ad-ref": "agreed ad ref",
  "adopt-document": "document adopted",
  "accept-amendment": "amendment accepted",
};

// A person's role is "officer"; which seat they hold is the process's
// record, and the engine refuses a presiding act by anyone who does not
// hold the seat of the document's body (naming who does).
export const officers = ["officer", "chair", "vice-chair", "co-chair", "facilitator"];
export const isOfficer = (me) => !!me && officers.includes(me.role);
export const isPen = (me) => !!me && (isOfficer(me) || me.role === "secretariat");
export const isDelegate = (me) => !!me && me.role === "delegate" && !!me.state;
// A viewer is a projector or public screen: it shows rooms in the
// projector view, read-only.
export const isViewer = (me) => !!me && me.role === "viewer";

// parseStates reads "FRA, eu ,g77" as ["FRA","EU","G77"].
export function parseStates(s) {
  return (s || "").split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// day writes a date in the UN style, "3 December 2026". A bare date
// ("2026-12-03", as revisions carry) is that calendar day wherever the
// reader is; a time stamp is read in the reader's own time zone.
export function day(t) {
  if (!t) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  const d = t instanceof Date ? t : new Date(t);
  if (isNaN(d)) return String(t);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

// when writes a time stamp for people, in their own time zone and the
// one date style of the UI and the exports: "3 December 2026, 15:00".
export function when(t) {
  if (!t) return "";
  const d = new Date(t);
  if (isNaN(d)) return String(t);
  const pad = (n) => String(n).padStart(2, "0");
  return `${day(d)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// plural counts in words: "1 bracket", "3 brackets".
export function plural(n, word, many) {
  return `${n} ${n === 1 ? word : many || word + "s"}`;
}

// sentence gives a message from the server (written to be read inside a
// sentence, "paragraph 4 is …") a capital letter, as a message on its own.
export function sentence(m) {
  const s = String(m || "");
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s;
}

// changeWords say what a change of a paragraph's text was, by its event.
export const changeWords = {
  "paragraph.edited": "text edited",
  "paragraph.replaced": "text replaced",
  "brackets.added": "brackets added",
  "brackets.cleared": "brackets settled",
};

export const revisionWords = {
  "zero-draft": "zero draft",
  rev: "revision",
  "l-document": "L-document",
  final: "final text",
};

// left formats the time until a deadline: "2 d 03:12:09".
export function left(deadline) {
  let ms = Date.parse(deadline) - Date.now();
  if (!(ms > 0)) return "deadline passed";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return `${d ? d + " d " : ""}${pad(h)}:${pad(m)}:${pad(sec)} left`;
}
