// The live room connection: one websocket per open room. It keeps the
// View the server sends and replaces what it holds with what each message
// carries; it never re-implements the engine. On a drop it reconnects
// with ?since=<last streamSeq seen> (exponential backoff) and catches up
// without a reload. On a cluster of several nodes the hello names the
// nodes alive (nodes); after a drop the connection tries the next of them
// in turn (the page's own server first), so the room goes on when the
// node it was on dies.

import { t, refusal } from "./i18n.js";

const BACKOFF_MIN = 500; // ms
const BACKOFF_MAX = 15000;

// posKey identifies a position: a State's on a paragraph or an amendment.
export function posKey(p) {
  return `${p.amendment ? "a:" + p.amendment : "p:" + p.para}/${p.state}`;
}

function upsert(list, item) {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) list[i] = item; else list.push(item);
}

export class RoomConnection {
  // onChange() is called after each frame is folded in; onState(state,
  // detail) when the connection state changes: "connecting",
  // "connected", "reconnecting", "closed"; onEnded(message) when the
  // session ended and the user must log in again.
  constructor(id, { onChange, onState, onEnded, onNotice }) {
    this.id = id;
    this.view = null;
    this.seq = 0;
    this.you = null;
    this.presence = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.reconnects = 0;
    this.nodes = []; // the other nodes' addresses, from the hello
    this.node = 0; // which of bases() the connection uses

    this.closed = false;
    this.onChange = onChange;
    this.onState = onState;
    this.onEnded = onEnded;
    this.onNotice = onNotice || (() => {});
    this.state = "connecting";
    this.online = () => { if (this.retryTimer) { clearTimeout(this.retryTimer); this.connect(); } };
    window.addEventListener("online", this.online);
    this.connect();
  }

  setState(state, detail) {
    this.state = state;
    this.onState(state, detail);
  }

  // bases are the addresses the room can be reached at: the page's own
  // server, then the other nodes the server named.
  bases() {
    return [location.origin, ...this.nodes.filter((n) => n !== location.origin)];
  }

  // base is the address the connection uses now.
  base() {
    const b = this.bases();
    return b[this.node % b.length];
  }

  connect() {
    this.retryTimer = null;
    if (this.closed) return;
    const url = `${this.base().replace(/^http/, "ws")}/ws/documents/${encodeURIComponent(this.id)}?since=${this.seq}`;
    this.setState(this.seq ? "reconnecting" : "connecting", this.attempt ? t("conn.attempt", { n: this.attempt + 1 }) : "");
    let ws;
    try { ws = new WebSocket(url); } catch { this.retry(); return; }
    this.ws = ws;
    ws.onmessage = (m) => {
      let msgs;
      try { msgs = JSON.parse(m.data); } catch { return; }
      for (const msg of Array.isArray(msgs) ? msgs : [msgs]) this.handle(msg);
      if (this.view) this.onChange();
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [, p] of this.pending) p.reject(new Error(t("conn.dropped", { name: p.name })));
      this.pending.clear();
      if (this.closed) return;
      if (ev.code === 4001) { this.close(); this.onEnded(t("conn.ended")); return; }
      this.retry(ev.reason);
    };
  }

  retry(reason) {
    const delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.node++; // another node, when there are several
    this.setState("reconnecting", reason || "");
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  close() {
    this.closed = true;
    window.removeEventListener("online", this.online);
    clearTimeout(this.retryTimer);
    if (this.ws) { const ws = this.ws; this.ws = null; ws.close(1000, "left the room"); }
    this.setState("closed", "");
  }

  handle(msg) {
    switch (msg.type) {
      case "hello":
        this.you = msg.you || null;
        if (Array.isArray(msg.nodes)) {
          const on = this.base();
          this.nodes = msg.nodes.map((n) => n.replace(/\/+$/, ""));
          this.node = Math.max(0, this.bases().indexOf(on));
        }
        this.presence = new Map();
        for (const p of msg.presence || []) this.presence.set(p.state || p.person, p);
        if (this.attempt || this.seq) this.reconnects++;
        this.attempt = 0;
        this.setState("connected", msg.resumed ? t("conn.caughtUp") : "");
        break;
      case "snapshot":
        this.view = msg.view;
        this.normalize();
        this.seq = msg.seq;
        return;
      case "presence":
        for (const p of msg.presence || []) {
          const k = p.state || p.person;
          if (p.people === 0) this.presence.delete(k); else this.presence.set(k, p);
        }
        return;
      case "ack": {
        const p = this.pending.get(msg.id);
        if (p) { this.pending.delete(msg.id); p.resolve(msg); }
        return;
      }
      case "error": {
        const p = this.pending.get(msg.id);
        const text = refusal(msg.key, msg.params, msg.message);
        if (p) { this.pending.delete(msg.id); p.reject(new Error(text)); }
        else this.onNotice(text);
        return;
      }
    }
    if (msg.view) { this.view = msg.view; this.normalize(); }
    const v = this.view;
    if (!v) return;
    for (const p of msg.paragraphs || []) upsert(v.paragraphs, p);
    for (const a of msg.amendments || []) upsert(v.amendments, a);
    for (const p of msg.positions || []) {
      const k = posKey(p);
      v.positions = v.positions.filter((x) => posKey(x) !== k);
      if (!p.withdrawn) v.positions.push(p);
    }
    if (msg.roomState) v.room = msg.roomState;
    for (const e of msg.events || []) {
      if (e.streamSeq > this.seq) this.seq = e.streamSeq;
      // The view holds only the silence procedure in progress; how the
      // last one ended is read from its event.
      if (e.type === "silence.broken" || e.type === "silence.closed") this.silenceEnded = { type: e.type, at: e.at, ...(e.data || {}) };
      if (e.type === "silence.opened") this.silenceEnded = null;
    }
  }

  normalize() {
    const v = this.view;
    for (const k of ["sections", "paragraphs", "amendments", "positions", "revisions"]) v[k] = v[k] || [];
    v.room = v.room || {};
  }

  // send sends a command; it resolves once the server has stored it
  // (ack) and rejects with the server's message when it is refused.
  send(name, command) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || this.state !== "connected") {
      return Promise.reject(new Error(t("conn.notConnected")));
    }
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { name, resolve, reject });
      this.ws.send(JSON.stringify({ type: "command", id, name, command }));
    });
  }
}
