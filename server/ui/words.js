// Words and formats of the interface; the strings are in the catalogs
// (i18n.js).

import { t, has, formatDay, formatWhen } from "./i18n.js";

// Words shown for the codes the server uses, from the catalogs: each is
// read like an object (statusWords["adopted"]) and is undefined for a
// code the catalogs do not know, so that callers show the code itself.
function words(prefix) {
  return new Proxy({}, { get: (o, k) => (typeof k === "string" && has(`${prefix}.${k}`) ? t(`${prefix}.${k}`) : undefined) });
}

export const statusWords = words("status");
export const outcomeWords = words("outcome");
export const positionWords = words("position");
export const positionLabels = words("positionLabel");
export const typeWords = words("type");
export const roleWords = words("role");
export const decisionWords = words("decision");
export const changeWords = words("change");
export const revisionWords = words("revision");

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

// day writes a date in the person's language: "3 December 2026",
// "3 décembre 2026", "2026年12月3日". A bare date ("2026-12-03", as
// revisions carry) is that calendar day wherever the reader is; a time
// stamp is read in the reader's own time zone.
export const day = formatDay;

// when writes a time stamp for people, in their own time zone:
// "3 December 2026, 15:00".
export const when = formatWhen;

// plural counts in words from the catalog's plural forms of key:
// "1 bracket", "3 brackets".
export function plural(n, key) {
  return t(key, { n });
}

// sentence gives a message from the server (written to be read inside a
// sentence, "paragraph 4 is …") a capital letter, as a message on its own.
export function sentence(m) {
  const s = String(m || "");
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s;
}



// left formats the time until a deadline: "2 d 03:12:09".
export function left(deadline) {
  let ms = Date.parse(deadline) - Date.now();
  if (!(ms > 0)) return t("clock.deadlinePassed");
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return t("clock.left", { time: `${d ? t("clock.days", { n: d }) + " " : ""}${pad(h)}:${pad(m)}:${pad(sec)}` });
}
