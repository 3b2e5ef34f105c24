// The realtime bench's baseline: the least an SSE broadcaster can do, in plain Node `http`, run
// as its own process (`node bench/lib/sse-baseline.mjs`, prints {"port":N} when listening).
//   GET  /api/realtime                       stream; PB_CONNECT frame with a 40-char clientId
//   POST /api/realtime {clientId, subscriptions}   204
//   POST /api/collections/<c>/records {…}    builds a record shaped like Larder's (same keys,
//        same lengths), writes one frame per matching subscription to every stream, answers 200
// No rules, no database, no persistence: the ratio against it is the price of Larder's fan-out.
import { randomBytes } from "node:crypto";
import http from "node:http";

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomId = (n, chars = alnum) => Array.from(randomBytes(n), (b) => chars[b % chars.length]).join("");
const frame = (id, event, data) => `id:${id}\nevent:${event}\ndata:${data}\n\n`;
const clients = new Map(); // clientId -> {res, subs}

function readJson(req) {
  return new Promise((resolve) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (s += d));
    req.on("end", () => {
      try {
        resolve(JSON.parse(s));
      } catch {
        resolve(null);
      }
    });
  });
}

function answer(res, status, value) {
  const body = value === undefined ? "" : JSON.stringify(value);
  res.writeHead(status, value === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer({ noDelay: true }, async (req, res) => {
  const path = req.url.split("?")[0];
  if (req.method === "GET" && path === "/api/realtime") {
    const id = randomId(40);
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    res.write(frame(id, "PB_CONNECT", JSON.stringify({ clientId: id })));
    clients.set(id, { res, subs: [] });
    res.on("close", () => clients.delete(id));
    return;
  }
  if (req.method === "POST" && path === "/api/realtime") {
    const body = await readJson(req);
    const c = body && clients.get(body.clientId);
    if (!c) return answer(res, 404, { status: 404, message: "Missing or invalid client id.", data: {} });
    c.subs = (body.subscriptions ?? []).filter((s) => s);
    return answer(res, 204);
  }
  const m = /^\/api\/collections\/([^/]+)\/records$/.exec(path);
  if (req.method === "POST" && m) {
    const body = (await readJson(req)) ?? {};
    const now = new Date().toISOString().replace("T", " ");
    const record = { collectionId: "pbc_" + randomId(9, "0123456789"), collectionName: m[1], created: now, id: randomId(15, "abcdefghijklmnopqrstuvwxyz0123456789") };
    for (const [k, v] of Object.entries(body)) record[k] = v;
    record.updated = now;
    const data = JSON.stringify({ record, action: "create" });
    for (const [id, c] of clients)
      for (const s of c.subs) if (s === m[1] + "/*" || s === m[1]) c.res.write(frame(id, s, data));
    return answer(res, 200, record);
  }
  answer(res, 404, { status: 404, message: "The requested resource wasn't found.", data: {} });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
process.on("SIGTERM", () => process.exit(0));
