// The load client of the comparison, speaking Hocuspocus's own protocol
// through @hocuspocus/provider: CLIENTS providers, each on its own
// websocket, open one document; one more, the pen-holder, types into a
// shared Y.Text at RATE edits per second for SECONDS. Latency is measured
// as draftroom's load generator measures it: from the moment an edit is
// made to the moment each client sees it (the pen-holder stamps every edit
// with a sequence number in a Y.Map, in the same transaction).
//
//   node client.mjs URL CLIENTS RATE SECONDS
//
// It prints the same lines as "draftroom load".
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as Y from "yjs";
import WebSocket from "ws";

const [url = "ws://127.0.0.1:18200", clientsArg = "1500", rateArg = "10", secondsArg = "20"] = process.argv.slice(2);
const clients = Number(clientsArg), rate = Number(rateArg), seconds = Number(secondsArg);
const name = `plenary-${Date.now()}`;

const sent = new Map(); // seq → time sent (ms, high resolution)
const lat = [];          // every (client, seq) latency in ms
let drops = 0;

function open(onSeq) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
  socket.on("close", ({ event }) => { if (event && event.code !== 1000 && !stopping) drops++; });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc });
  provider.attach();
  const synced = new Promise((resolve) => provider.on("synced", resolve));
  if (onSeq) {
    const meta = doc.getMap("meta");
    let last = 0;
    meta.observe(() => {
      const now = performance.now();
      const seq = meta.get("seq");
      if (seq > last) {
        last = seq;
        const t = sent.get(seq);
        if (t !== undefined) onSeq(now - t);
      }
    });
  }
  return { doc, provider, socket, synced };
}

let stopping = false;
const t0 = Date.now();
console.log(`setting up ${clients} clients on ${url} (Hocuspocus, document ${name})…`);
const observers = [];
for (let i = 0; i < clients; i++) {
  observers.push(open((ms) => lat.push(ms)));
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20)); // do not flood the accept queue
}
await Promise.all(observers.map((o) => o.synced));
const pen = open(null);
await pen.synced;
await new Promise((r) => setTimeout(r, 500));
console.log(`set up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

const text = pen.doc.getText("text");
const meta = pen.doc.getMap("meta");
text.insert(0, "The Global Mechanism was established as an open-ended, action-oriented permanent mechanism.");
await new Promise((r) => setTimeout(r, 1000));
lat.length = 0;

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
let seq = 0;
await new Promise((resolve) => {
  const tick = setInterval(() => {
    seq++;
    sent.set(seq, performance.now());
    pen.doc.transact(() => {
      text.insert(0, "x");
      meta.set("seq", seq);
    });
  }, 1000 / rate);
  setTimeout(() => { clearInterval(tick); resolve(); }, seconds * 1000);
});
await new Promise((r) => setTimeout(r, 1000)); // let the last edits arrive
const wall = (performance.now() - wall0) / 1000;
const cpu = process.cpuUsage(cpu0);
const genCPU = (cpu.user + cpu.system) / 1e6;

lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : 0).toFixed(1) + " ms";
console.log(`\nscenario typing: ${clients} clients, ${wall.toFixed(1)} s`);
console.log(`  edits made: ${seq}`);
console.log(`  fan-out latency (sent → seen by each client): n=${lat.length} of ${seq * clients} expected, p50 ${pct(0.5)} p95 ${pct(0.95)} p99 ${pct(0.99)} max ${pct(1)}`);
console.log(`  dropped connections: ${drops}`);
console.log(`  generator CPU: ${genCPU.toFixed(2)} s = ${(100 * genCPU / wall).toFixed(1)}% of one core`);
stopping = true;
for (const o of [...observers, pen]) { o.provider.destroy(); o.socket.destroy(); }
process.exit(0);
