// Paragraph text: rendering the bracket tree the server sends, and
// mapping a selection in the page back to offsets in the paragraph text.
// Offsets are Unicode code points of the text at its version, while
// JavaScript strings count UTF-16 units: every conversion goes through
// Array.from.

import { el } from "./dom.js";

// cps splits a string into code points.
export const cps = (s) => Array.from(s || "");

// renderText returns the paragraph text as an element. Every piece of the
// source text is a span with data-s, its code point offset; labels added
// for the reader (who asked for a bracket) carry no data-s and are not
// counted when a selection is mapped back.
//
// The paragraph's styles (from the server, read as the exports read the
// Markdown) set stretches in italics, bold or code and hide the marks
// ("*", "**", "`"); hidden marks keep their data-s, so offsets still
// count them.
//
// With lines (the room's "line numbers", always on the projector) each
// line of the text (p.lines, fixed by the server at 80 characters) starts
// on its own with its number in the margin; the numbers carry no data-s
// and are not counted.
export function renderText(p, lines) {
  const chars = cps(p.text);
  const starts = lines ? new Map((p.lines || []).map((s, i) => [s, i + 2])) : new Map();
  const out = el("span", { class: "text", dir: "auto", "data-para": p.id });
  const style = new Array(chars.length).fill(null);
  for (const s of p.styles || []) {
    const v = s.mark ? "mark" : (s.emphasis || []).join(" ");
    for (let i = s.start; i < s.end && i < chars.length; i++) style[i] = v;
  }
  const lineMark = (n) => [el("br", { class: "lb" }), el("span", { class: "ln", "aria-hidden": "true" }, String(n))];
  const piece = (start, end, cls) => {
    if ((!p.styles || !p.styles.length) && ![...starts.keys()].some((s) => s > start && s < end) && !starts.has(start)) {
      return el("span", { "data-s": start, class: cls }, chars.slice(start, end).join(""));
    }
    const frag = [];
    for (let i = start; i < end;) {
      if (starts.has(i)) frag.push(...lineMark(starts.get(i)));
      let j = i + 1;
      while (j < end && style[j] === style[i] && !starts.has(j)) j++;
      const v = style[i];
      let node = el("span", { "data-s": i, class: [cls, v === "mark" ? "md-mark" : null].filter(Boolean).join(" ") || null, "aria-hidden": v === "mark" ? "true" : null }, chars.slice(i, j).join(""));
      if (v && v !== "mark") {
        for (const f of v.split(" ")) node = el(f === "bold" ? "strong" : f === "italic" ? "em" : "code", {}, node);
      }
      frag.push(node);
      i = j;
    }
    return frag.length === 1 ? frag[0] : el("span", { class: "styled" }, frag);
  };
  if (lines) out.append(el("span", { class: "ln", "aria-hidden": "true" }, "1"));
  if (lines) out.classList.add("numbered-lines");
  const walk = (nodes, into) => {
    for (const n of nodes || []) {
      if (n.kind === 0) {
        into.append(piece(n.start, n.end));
      } else if (n.kind === 2) {
        const g = el("span", { class: "alts", title: "alternatives: one of these is to be chosen" });
        walk(n.children, g);
        into.append(g);
      } else {
        const who = n.by && n.by.length ? n.by.join(", ") : "";
        const b = el("span", { class: `bracket depth-${Math.min(n.depth || 1, 4)}`, "data-index": n.index,
          title: who ? `bracket ${n.index + 1}, asked for by ${who}` : `bracket ${n.index + 1}` });
        b.append(piece(n.start, n.start + 1, "bk"));
        walk(n.children, b);
        b.append(piece(n.end - 1, n.end, "bk"));
        if (who) b.append(el("sup", { class: "by", "aria-label": `asked for by ${who}` }, who));
        into.append(b);
      }
    }
  };
  if (p.brackets && p.brackets.length) walk(p.brackets, out);
  else out.append(piece(0, chars.length));
  return out;
}

// offsetAt maps a DOM boundary point inside a rendered text to a code
// point offset.
function offsetAt(textEl, node, offset) {
  if (node.nodeType === Node.TEXT_NODE && node.parentElement && node.parentElement.hasAttribute("data-s")) {
    return Number(node.parentElement.getAttribute("data-s")) + cps(node.data.slice(0, offset)).length;
  }
  // Anywhere else (an element boundary, a label): the first piece at or
  // after the point starts there.
  const at = document.createRange();
  at.setStart(node, offset);
  at.collapse(true);
  for (const seg of textEl.querySelectorAll("[data-s]")) {
    if (at.comparePoint(seg, 0) >= 0) return Number(seg.getAttribute("data-s"));
  }
  let total = 0;
  for (const seg of textEl.querySelectorAll("[data-s]")) total = Math.max(total, Number(seg.getAttribute("data-s")) + cps(seg.textContent).length);
  return total;
}

// selectionIn returns {start, end, text} (code points) of the current
// selection when it lies inside textEl, or null. A collapsed selection
// (a caret) gives start === end.
export function selectionIn(textEl, p) {
  const sel = window.getSelection();
  if (!sel || !sel.rangeCount) return null;
  const r = sel.getRangeAt(0);
  if (!textEl.contains(r.startContainer) || !textEl.contains(r.endContainer)) return null;
  let start = offsetAt(textEl, r.startContainer, r.startOffset);
  let end = offsetAt(textEl, r.endContainer, r.endOffset);
  if (end < start) [start, end] = [end, start];
  return { start, end, text: cps(p.text).slice(start, end).join("") };
}

// splice works out the one change between two texts, in code points:
// the span of the old text replaced and what replaces it.
export function splice(oldText, newText) {
  const a = cps(oldText), b = cps(newText);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return { start: pre, end: a.length - suf, insert: b.slice(pre, b.length - suf).join("") };
}

// isRTL reports whether a text is written right to left: its first
// strong letter is Arabic or Hebrew.
export function isRTL(s) {
  const m = /\p{L}/u.exec(s || "");
  return !!m && /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u.test(m[0]);
}
