// One worker thread of the realtime bench's client side (driven by sse-clients.mjs): opens its
// share of SSE subscribers on raw `net` sockets (GET /api/realtime, HTTP/1.1 chunked or
// close-delimited, a minimal SSE parser), subscribes each through POST /api/realtime on a few
// keep-alive sockets, then timestamps every record event (process.hrtime, the same monotonic
// clock in every thread) by the `"seq":N` in its data.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { RawHttp } from "./raw-http.mjs";

const { host, port, count, topic, concurrency, postConns, maxWrites } = workerData;
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

const posters = Array.from({ length: postConns }, () => new RawHttp(host, port));
const arrivals = new Float64Array(count * maxWrites).fill(NaN); // [conn * maxWrites + seq]
const perSeq = new Int32Array(maxWrites);
const stats = { subscribed: 0, failed: 0, errors: [], closedAfterSubscribe: 0, duplicates: 0, foreign: 0, eventBytes: 0, events: 0 };
const conns = [];

function fail(msg) {
  stats.failed++;
  if (stats.errors.length < 5) stats.errors.push(msg);
}

// Minimal SSE over HTTP/1.1: header, optional chunked framing, frames split on a blank line.
class SseConn {
  constructor(index, onConnect) {
    this.index = index;
    this.onConnect = onConnect;
    this.head = "";
    this.inBody = false;
    this.chunked = false;
    this.raw = ""; // undecoded chunked bytes
    this.remain = -1; // bytes left in the current chunk; -1: expecting a size line; -2: expecting CRLF
    this.text = ""; // decoded SSE text not yet split into frames
    this.subscribed = false;
    this.closed = false;
    this.sock = net.connect({ host, port, noDelay: true });
    this.sock.setEncoding("latin1");
    this.sock.on("connect", () =>
      this.sock.write(`GET /api/realtime HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    this.sock.on("data", (d) => this.data(d, now()));
    this.sock.on("error", (e) => this.end(e.code ?? e.message));
    this.sock.on("close", () => this.end("closed"));
  }

  end(why) {
    if (this.closed) return;
    this.closed = true;
    if (this.subscribed) stats.closedAfterSubscribe++;
    else this.onConnect(null, `conn ${this.index}: ${why}`);
  }

  data(d, t) {
    if (!this.inBody) {
      this.head += d;
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.head.slice(0, end);
      d = this.head.slice(end + 4);
      this.head = "";
      this.inBody = true;
      if (!/^HTTP\/1\.\d 200/.test(head)) return this.sock.destroy(), this.end(head.split("\r\n")[0]);
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    }
    if (!this.chunked) this.text += d;
    else {
      this.raw += d;
      let pos = 0;
      for (;;) {
        if (this.remain === -1) {
          const eol = this.raw.indexOf("\r\n", pos);
          if (eol < 0) break;
          const size = parseInt(this.raw.slice(pos, eol), 16);
          pos = eol + 2;
          if (size === 0) return this.sock.destroy(), this.end("stream ended by server");
          this.remain = size;
        } else if (this.remain === -2) {
          if (this.raw.length - pos < 2) break;
          pos += 2;
          this.remain = -1;
        } else {
          const take = Math.min(this.remain, this.raw.length - pos);
          if (take === 0) break;
          this.text += this.raw.slice(pos, pos + take);
          pos += take;
          this.remain -= take;
          if (this.remain === 0) this.remain = -2;
        }
      }
      this.raw = this.raw.slice(pos);
    }
    let sep;
    while ((sep = this.text.indexOf("\n\n")) >= 0) {
      const frame = this.text.slice(0, sep);
      this.text = this.text.slice(sep + 2);
      this.frame(frame, t);
    }
  }

  frame(frame, t) {
    // Frames are `id:…\nevent:…\ndata:…` as both servers write them.
    const e = frame.indexOf("\nevent:");
    const d = frame.indexOf("\ndata:", e + 1);
    if (e < 0 || d < 0) return void stats.foreign++;
    const event = frame.slice(e + 7, d);
    const data = frame.slice(d + 6);
    if (event === "PB_CONNECT") return this.onConnect(this, JSON.parse(data).clientId);
    const m = /"seq":(\d+)/.exec(data);
    if (event !== topic || !m || Number(m[1]) >= maxWrites) return void stats.foreign++;
    const seq = Number(m[1]);
    const slot = this.index * maxWrites + seq;
    if (!Number.isNaN(arrivals[slot])) return void stats.duplicates++;
    arrivals[slot] = t;
    stats.events++;
    stats.eventBytes += frame.length + 2;
    if (++perSeq[seq] === stats.subscribed) parentPort.postMessage({ type: "seq", seq });
  }
}

// Opens and subscribes one connection; resolves when it is subscribed or has failed.
function open(index) {
  return new Promise((resolve) => {
    const conn = new SseConn(index, async (c, clientIdOrError) => {
      if (!c) return fail(clientIdOrError), resolve();
      try {
        const body = Buffer.from(JSON.stringify({ clientId: clientIdOrError, subscriptions: [topic] }));
        const res = await posters[index % postConns].request("POST", "/api/realtime", {
          headers: { "Content-Type": "application/json" },
          body,
        });
        if (res.status !== 204) throw new Error(`subscribe: ${res.status} ${res.body}`);
        if (c.closed) throw new Error("closed before subscribed");
        c.subscribed = true;
        stats.subscribed++;
      } catch (e) {
        fail(`conn ${index}: ${e.message}`);
        c.sock.destroy();
      }
      resolve();
    });
    conns.push(conn);
  });
}

let next = 0;
async function lane() {
  while (next < count) await open(next++);
}
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
for (const p of posters) p.close();
parentPort.postMessage({ type: "ready", subscribed: stats.subscribed, failed: stats.failed, errors: stats.errors });

parentPort.on("message", (m) => {
  if (m.type !== "finish") return;
  const subscribedIdx = conns.filter((c) => c.subscribed).map((c) => c.index);
  parentPort.postMessage({ type: "result", stats, arrivals, subscribedIdx });
  for (const c of conns) {
    c.subscribed = false;
    c.closed = true;
    c.sock.destroy();
  }
  parentPort.close();
});
