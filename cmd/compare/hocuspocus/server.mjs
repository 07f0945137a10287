// The peer of draftroom's performance comparison: Hocuspocus with its
// SQLite extension, as its documentation sets it up, on 127.0.0.1.
//
//   node server.mjs PORT DATABASE
//
// Prints "hocuspocus listening on ws://127.0.0.1:PORT" when ready.
import { Server } from "@hocuspocus/server";
import { SQLite } from "@hocuspocus/extension-sqlite";

const port = Number(process.argv[2] || 18200);
const database = process.argv[3] || "hocuspocus.sqlite";

const server = new Server({
  port,
  address: "127.0.0.1",
  quiet: true,
  extensions: [new SQLite({ database })],
});
await server.listen();
console.log(`hocuspocus listening on ws://127.0.0.1:${port}`);
