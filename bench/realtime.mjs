// Realtime SSE fan-out, natively, with 1,000 and 10,000 subscribers, against a minimal Node
// `http` broadcaster (bench/lib/sse-baseline.mjs) driven by the same clients in the same run.
//
// Per server and N: a fresh server (Larder: fresh pb_data, collection `rt` with public
// list/view/create rules made through the API as superuser); N subscribers on raw sockets over
// worker threads, each GET /api/realtime + POST {clientId, subscriptions:["rt/*"]}; then
// BENCH_WRITES creates, one at a time, each waiting until every subscriber has its event (or
// BENCH_EVENT_TIMEOUT_MS) plus BENCH_WRITE_GAP_MS. Per write: time from the create's answer to
// its event at the first / median / last subscriber (negative: the event came before the answer;
// both servers fan out before answering). Reported over writes: p50 of each, p99 of the last.
// "send→last" is from sending the create: with fan-out before the answer, the fairer number.
// Server CPU per write is from /proc (includes everything the server did meanwhile); client CPU
// is this process's (all client threads), to show whether the clients kept up.
// Memory per connection = server VmRSS after all N subscribed minus before, / N.
// Lost events (a subscribed client without some write's event) are counted and printed.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { RawHttp } from "./lib/raw-http.mjs";
import { cpuMs, load, pct, rssBytes, startLarder, startSseBaseline } from "./lib/server.mjs";
import { startSubscribers } from "./lib/sse-clients.mjs";
import { fmt } from "./lib/wrk.mjs";

const sizes = (process.env.BENCH_SUBSCRIBERS ?? "1000,10000").split(",").map(Number);
const writes = Number(process.env.BENCH_WRITES ?? 100);
const gapMs = Number(process.env.BENCH_WRITE_GAP_MS ?? 20);
const waitMs = Number(process.env.BENCH_EVENT_TIMEOUT_MS ?? 30000);
const workers = Number(process.env.BENCH_CLIENT_WORKERS ?? 4);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const fdLimit = Number(/Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1] ?? Infinity);
if (fdLimit < Math.max(...sizes) + 500) {
  console.error(`open-file limit ${fdLimit} is too low for ${Math.max(...sizes)} subscribers: run through bench/run (raises it to the hard limit, \`ulimit -Hn\`)`);
  process.exit(1);
}
const title = "realtime fan-out bench: a record title of a realistic length, ~80 bytes";

const collection = {
  name: "rt",
  type: "base",
  listRule: "",
  viewRule: "",
  createRule: "",
  fields: [
    { name: "title", type: "text" },
    { name: "seq", type: "number" },
    { name: "created", type: "autodate", onCreate: true },
    { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
  ],
};

async function run(kind, n) {
  const server = kind === "larder" ? await startLarder(collection) : await startSseBaseline();
  const { hostname, port } = new URL(server.url);
  const conn = new RawHttp(hostname, Number(port));
  const create = async (seq) => {
    const body = Buffer.from(JSON.stringify({ title, seq }));
    const res = await conn.request("POST", "/api/collections/rt/records", { headers: { "Content-Type": "application/json" }, body });
    if (res.status !== 200) throw new Error(`create: ${res.status} ${res.body}`);
  };
  try {
    await create(writes); // warm-up (no subscribers yet; a seq no client counts)
    const loadAt = load();
    const rss0 = rssBytes(server.pid);
    const t0 = now();
    const clients = await startSubscribers(server.url, { n, topic: "rt/*", maxWrites: writes, workers });
    const setupS = (now() - t0) / 1000;
    await sleep(500);
    const rss1 = rssBytes(server.pid);
    const cpu0 = cpuMs(server.pid);
    const client0 = process.cpuUsage(); // this process: the timing thread and every client worker
    const sent = [];
    const answered = [];
    let incomplete = 0;
    for (let seq = 0; seq < writes; seq++) {
      sent.push(now());
      await create(seq);
      answered.push(now());
      if (!(await clients.waitSeq(seq, waitMs))) incomplete++;
      await sleep(gapMs);
    }
    const cpu1 = cpuMs(server.pid);
    const client1 = process.cpuUsage(client0);
    const rss2 = rssBytes(server.pid);
    const { stats, rows } = await clients.finish();

    const first = [], median = [], last = [], lastFromSend = [], answer = [];
    let lost = 0;
    for (let s = 0; s < writes; s++) {
      const got = [];
      for (const r of rows) Number.isNaN(r[s]) ? lost++ : got.push(r[s]);
      answer.push(answered[s] - sent[s]);
      if (!got.length) continue;
      got.sort((a, b) => a - b);
      first.push(got[0] - answered[s]);
      median.push(pct(got, 50) - answered[s]);
      last.push(got[got.length - 1] - answered[s]);
      lastFromSend.push(got[got.length - 1] - sent[s]);
    }
    for (const a of [first, median, last, lastFromSend, answer]) a.sort((x, y) => x - y);
    return {
      kind, n, loadAt, setupS,
      subscribed: clients.subscribed, failed: clients.failed, errors: clients.errors,
      rssPerConnKiB: (rss1 - rss0) / n / 1024, rss0, rss1, rss2,
      cpuPerWriteMs: (cpu1 - cpu0) / writes,
      clientCpuPerWriteMs: (client1.user + client1.system) / 1000 / writes,
      answerP50: pct(answer, 50),
      firstP50: pct(first, 50), medianP50: pct(median, 50), lastP50: pct(last, 50), lastP99: pct(last, 99),
      lastFromSendP50: pct(lastFromSend, 50), lastFromSendP99: pct(lastFromSend, 99),
      lost, incomplete, stats,
      eventBytes: stats.events ? stats.eventBytes / stats.events : NaN,
    };
  } finally {
    conn.close();
    await server.stop();
  }
}

const cols = [
  ["subscribed", (r) => fmt(r.subscribed)],
  ["setup s", (r) => fmt(r.setupS, 1), "setupS"],
  ["RSS/conn KiB", (r) => fmt(r.rssPerConnKiB, 1), "rssPerConnKiB"],
  ["answer p50", (r) => fmt(r.answerP50, 2), "answerP50"],
  ["first p50", (r) => fmt(r.firstP50, 2)],
  ["median p50", (r) => fmt(r.medianP50, 2)],
  ["last p50", (r) => fmt(r.lastP50, 2)], // no ratio: Larder's are ~0 or negative (see above)
  ["last p99", (r) => fmt(r.lastP99, 2)],
  ["send→last p50", (r) => fmt(r.lastFromSendP50, 2), "lastFromSendP50"],
  ["send→last p99", (r) => fmt(r.lastFromSendP99, 2), "lastFromSendP99"],
  ["server CPU ms/write", (r) => fmt(r.cpuPerWriteMs, 1), "cpuPerWriteMs"],
  ["client CPU ms/write", (r) => fmt(r.clientCpuPerWriteMs, 1)],
  ["lost", (r) => fmt(r.lost)],
];

console.log(`start: ${load()}; ${writes} creates per run, ${gapMs} ms apart after each is fully delivered; clients on ${workers} worker threads`);
const results = [];
for (const n of sizes) {
  for (const kind of ["larder", "baseline"]) {
    const r = await run(kind, n);
    results.push(r);
    console.log(
      `  done ${kind} N=${n} (${r.loadAt} before the writes; ${load()} after); event ${fmt(r.eventBytes)} B; ` +
        `RSS MB before/subscribed/after writes ${[r.rss0, r.rss1, r.rss2].map((b) => fmt(b / 2 ** 20, 1)).join("/")}`,
    );
    if (r.failed || r.errors.length) console.log(`    ${r.failed} subscribers failed to subscribe: ${r.errors.join("; ")}`);
    const s = r.stats;
    if (r.lost || r.incomplete || s.closedAfterSubscribe || s.duplicates || s.foreign)
      console.log(`    LOST ${r.lost} events; ${r.incomplete} writes not fully delivered within ${waitMs} ms; ` +
        `${s.closedAfterSubscribe} streams closed after subscribing; ${s.duplicates} duplicates; ${s.foreign} unexpected frames`);
  }
}

console.log(`\nSSE fan-out (latencies in ms from the create's answer unless "send→": from sending it; over ${writes} writes)`);
const header = ["N", "server", ...cols.map((c) => c[0])];
const lines = [];
for (const n of sizes) {
  const l = results.find((r) => r.n === n && r.kind === "larder");
  const b = results.find((r) => r.n === n && r.kind === "baseline");
  lines.push([fmt(n), "larder", ...cols.map((c) => c[1](l))]);
  lines.push([fmt(n), "node http", ...cols.map((c) => c[1](b))]);
  lines.push([fmt(n), "ratio", ...cols.map((c) => (c[2] ? fmt(l[c[2]] / b[c[2]], 2) : ""))]);
}
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const row = (cells) => "  " + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(row(header));
for (const l of lines) console.log(row(l));
console.log(`end: ${load()}`);
