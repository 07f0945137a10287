// The interface in the six official languages. Every string the UI shows
// comes from a catalog, one file per language in i18n/<lang>.json, keyed
// by meaning ("room.nowReading"). A value is a string with {name}
// placeholders, or, for a count, an object of plural forms chosen by
// Intl.PluralRules on the parameter n ({"one": "…", "other": "…"}; Arabic
// and Russian use "zero", "two", "few", "many" as well). A key missing
// from a catalog falls back to English.
//
// The language is the person's choice in the header, kept with the person
// on the server (so it follows them to any browser they log in from) and
// remembered in this browser (localStorage "draftroom.lang") for the
// log-in page and for viewers; <html lang dir> follows it, so
// the Arabic interface runs right to left. Dates and numbers are written
// per language with Intl: "3 December 2026", "3 décembre 2026",
// "2026年12月3日".

// LANGUAGES are the six official languages, in the UN's order.
export const LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"];

// NATIVE names each language in itself, for the chooser.
export const NATIVE = { ar: "العربية", zh: "中文", en: "English", fr: "Français", ru: "Русский", es: "Español" };

const KEY = "draftroom.lang";

// chosen is the language this browser's person chose, English by default.
export function chosen() {
  let l = null;
  try { l = localStorage.getItem(KEY); } catch { l = null; }
  return LANGUAGES.includes(l) ? l : "en";
}

async function load(l) {
  const r = await fetch(`/i18n/${l}.json`, { credentials: "same-origin" });
  if (!r.ok) throw new Error(`catalog ${l}: ${r.status}`);
  return r.json();
}

// lang is the interface language in use.
export let lang = chosen();
let catalog = {};
let english = {};
// refusals are the server's refusals in the interface language, keyed by
// their English sentence with numbered values (i18n/refusals/<lang>.json).
let refusals = {};
try {
  english = await load("en");
  catalog = lang === "en" ? english : await load(lang).catch(() => { lang = "en"; return english; });
  if (lang !== "en") refusals = await load(`refusals/${lang}`).catch(() => ({}));
} catch {
  lang = "en";
}
document.documentElement.lang = lang;
document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";

// dir is the direction of the interface: "rtl" for Arabic.
export const dir = lang === "ar" ? "rtl" : "ltr";

// explicit is the language chosen in this browser, or null when none was.
export function explicit() {
  let l = null;
  try { l = localStorage.getItem(KEY); } catch { l = null; }
  return LANGUAGES.includes(l) ? l : null;
}

// setLanguage remembers the language in this browser and redraws the page
// in it. The person's own choice is kept by the server too (app.js sends
// it before calling this), so that it follows them to other browsers.
export function setLanguage(l) {
  if (!LANGUAGES.includes(l)) return;
  try { localStorage.setItem(KEY, l); } catch { /* private mode: for this page only */ }
  location.reload();
}

// A choice made on the log-in page, before anyone is logged in, is
// marked for this tab (sessionStorage) so that it becomes the person's
// when they log in; a language merely left in a shared browser by someone
// else is not.
const PENDING = "draftroom.lang.pending";

// choseLoggedOut marks a choice made on the log-in page.
export function choseLoggedOut() {
  try { sessionStorage.setItem(PENDING, "1"); } catch { /* not kept */ }
}

// pendingChoice returns the choice made on the log-in page in this tab,
// once, or null.
export function pendingChoice() {
  let p = null;
  try { p = sessionStorage.getItem(PENDING); sessionStorage.removeItem(PENDING); } catch { p = null; }
  return p ? explicit() : null;
}

// follow takes the language a person chose, as the server keeps it, when
// this browser holds another: it returns true when the page is being
// reloaded in it. A browser that already holds it is not reloaded again,
// even if its catalog failed to load, nor one that cannot store it.
export function follow(l) {
  if (!LANGUAGES.includes(l) || explicit() === l) return false;
  try { localStorage.setItem(KEY, l); } catch { return false; }
  if (explicit() !== l) return false; // storage refused: no reload loop
  location.reload();
  return true;
}

const rules = new Intl.PluralRules(lang);

// has reports whether the catalogs have a string for key.
export function has(key) {
  return key in catalog || key in english;
}

// t gives the string for key in the interface language with its
// parameters filled in; a count goes in n and picks the plural form, and
// is written with the language's digits.
export function t(key, params = {}) {
  let v = key in catalog ? catalog[key] : english[key];
  if (v === undefined) return key;
  if (typeof v === "object") {
    const n = Number(params.n);
    v = v[rules.select(n)] ?? v.other;
    if (n === 0 && catalog[key] && catalog[key].zero !== undefined) v = catalog[key].zero;
  }
  return String(v).replace(/\{(\w+)\}/g, (m, k) => {
    if (!(k in params)) return m;
    const x = params[k];
    return typeof x === "number" ? num(x) : String(x ?? "");
  });
}

// num writes a number in the interface language.
export function num(n) {
  return new Intl.NumberFormat(lang).format(n);
}

// list joins names as the language does: "KEN, BRA and CHN".
export function list(xs) {
  return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(xs.map(String));
}

// British English writes the day first, as UN documents do.
const locale = lang === "en" ? "en-GB" : lang;
const dayFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" });
const dayUTC = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

// formatDay writes a date, "3 December 2026"; a bare date
// ("2026-12-03") is that calendar day wherever the reader is.
export function formatDay(x) {
  if (!x) return "";
  if (typeof x === "string" && /^\d{4}-\d{2}-\d{2}$/.test(x)) return dayUTC.format(new Date(x + "T00:00:00Z"));
  const d = x instanceof Date ? x : new Date(x);
  if (isNaN(d)) return String(x);
  return dayFormat.format(d);
}

// formatWhen writes a time stamp in the reader's time zone,
// "3 December 2026, 15:00".
export function formatWhen(x) {
  if (!x) return "";
  const d = new Date(x);
  if (isNaN(d)) return String(x);
  return t("common.dayTime", { day: formatDay(d), time: timeFormat.format(d) });
}

// refusal gives a refusal from the server in the interface language: the
// refusal catalog's sentence for its key filled with its params (values
// numbered {1}, {2}…), or else the server's own (English) message as a
// sentence.
export function refusal(key, params, message) {
  if (key && key in refusals) return fillRefusal(key, params || {}, "");
  const s = String(message || "");
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s;
}

// writeMoment writes a date, instant or interval of a refusal (its ISO
// values under "<n>:day", "<n>:when", or "<n>:span" and "<n>:to") the
// reader's way; "" when the value is none of these.
function writeMoment(p, at) {
  if (p[`${at}day`]) return formatDay(String(p[`${at}day`]).slice(0, 10));
  if (p[`${at}when`]) return formatWhen(p[`${at}when`]);
  if (p[`${at}span`] && p[`${at}to`]) {
    const from = new Date(p[`${at}span`]), to = new Date(p[`${at}to`]);
    if (formatDay(from) === formatDay(to)) return `${formatWhen(from)}–${timeFormat.format(to)}`;
    return `${formatWhen(from)} – ${formatWhen(to)}`;
  }
  return "";
}

// fillRefusal fills the sentence for key with the values under prefix; a
// value that is itself a refusal (its key under "<n>:key", its values
// under "<n>:1"…) is written in the language too.
function fillRefusal(key, p, prefix) {
  return String(refusals[key]).replace(/\{(\d+)\}/g, (m, k) => {
    const inner = p[`${prefix}${k}:key`];
    if (inner && inner in refusals) return fillRefusal(inner, p, `${prefix}${k}:`).replace(/[.。]$/, "");
    const moment = writeMoment(p, `${prefix}${k}:`);
    if (moment) return moment;
    return `${prefix}${k}` in p ? String(p[`${prefix}${k}`]) : m;
  });
}
