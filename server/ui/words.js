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

// parseStates reads "FRA, eu ,g77" as ["FRA","EU","G77"].
export function parseStates(s) {
  return (s || "").split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
}

// when formats a time stamp for people, in their own time zone.
export function when(t) {
  if (!t) return "";
  const d = new Date(t);
  if (isNaN(d)) return String(t);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// left formats the time until a deadline: "2 d 03:12:09".
export function left(deadline) {
  let ms = Date.parse(deadline) - Date.now();
  if (!(ms > 0)) return "deadline passed";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return `${d ? d + " d " : ""}${pad(h)}:${pad(m)}:${pad(sec)} left`;
}
