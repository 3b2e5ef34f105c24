// File upload and download throughput, natively, against the bare file-system cost of the same
// bytes (bench/lib/fs-baseline.mjs: new file + fsync + rename + directory fsync; read back) on
// the same file system in the same run.
//
// A fresh pb_data with collection `docs` (one file field, maxSize 20 MiB; public rules) made
// through the API as superuser. Per file size (BENCH_FILE_SIZES_MB, default 1 and 10; random
// bytes): BENCH_FILE_CLIENTS (default 4) keep-alive raw-socket clients, each for BENCH_SECONDS:
//   upload    POST /api/collections/docs/records   multipart, one file part   (durable: fsync)
//   download  GET  /api/files/docs/<id>/<filename>  round robin over the uploaded records
// and the baseline with as many concurrent lanes. MB/s counts file bytes (MB = 10^6 bytes).
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { FsBaseline } from "./lib/fs-baseline.mjs";
import { timedLanes } from "./lib/lanes.mjs";
import { RawHttp } from "./lib/raw-http.mjs";
import { load, rssBytes, startLarder } from "./lib/server.mjs";
import { fmt } from "./lib/wrk.mjs";

const sizesMB = (process.env.BENCH_FILE_SIZES_MB ?? "1,10").split(",").map(Number);
const clients = Number(process.env.BENCH_FILE_CLIENTS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const larder = await startLarder({
  name: "docs",
  type: "base",
  listRule: "",
  viewRule: "",
  createRule: "",
  fields: [{ name: "file", type: "file", maxSelect: 1, maxSize: 20 * 2 ** 20 }],
});
const { hostname, port } = new URL(larder.url);
const conns = Array.from({ length: clients }, () => new RawHttp(hostname, Number(port)));
const rows = [];
console.log(`start: ${load()}; ${clients} concurrent clients / lanes, ${seconds} s per measurement`);
try {
  for (const mb of sizesMB) {
    const size = mb * 1e6;
    const bytes = randomBytes(size);
    const boundary = "----larderbench" + randomBytes(8).toString("hex");
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n` +
        "Content-Type: application/octet-stream\r\n\r\n"),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const headers = { "Content-Type": `multipart/form-data; boundary=${boundary}` };
    const uploaded = [];
    const baseline = new FsBaseline(join(larder.dir, `baseline-${mb}`)); // the file system of pb_data/storage
    const up = await timedLanes(clients, seconds, async (lane) => {
      const res = await conns[lane].request("POST", "/api/collections/docs/records", { headers, body });
      if (res.status !== 200) throw new Error(`upload: ${res.status} ${res.body}`);
      const rec = JSON.parse(res.body);
      uploaded.push(`/api/files/docs/${rec.id}/${rec.file}`);
    });
    const upLoad = load();
    const check = await conns[0].request("GET", uploaded[0]);
    if (check.status !== 200 || !check.body.equals(bytes)) throw new Error(`download of ${uploaded[0]} differs from the upload`);
    const down = await timedLanes(clients, seconds, async (lane, i) => {
      const res = await conns[lane].request("GET", uploaded[i % uploaded.length], { keepBody: false });
      if (res.status !== 200 || res.bytes !== size) throw new Error(`download: ${res.status}, ${res.bytes} bytes`);
    });
    const downLoad = load();
    let n = 0;
    const bw = await timedLanes(clients, seconds, () => baseline.write(bytes, `f${mb}-${n++}`));
    const bwLoad = load();
    const bufs = Array.from({ length: clients }, () => Buffer.alloc(size));
    const br = await timedLanes(clients, seconds, async (lane, i) => {
      if ((await baseline.read(i, bufs[lane])) !== size) throw new Error("baseline read short");
    });
    const brLoad = load();
    rows.push({ mb, op: "upload", l: up, b: bw, loads: [upLoad, bwLoad] });
    rows.push({ mb, op: "download", l: down, b: br, loads: [downLoad, brLoad] });
    console.log(`  done ${mb} MB: ${up.ops} uploads, ${down.ops} downloads, ${bw.ops} baseline writes, ${br.ops} baseline reads`);
    console.log(`    loads after: upload ${upLoad}; download ${downLoad}; fs write ${bwLoad}; fs read ${brLoad}`);
  }
  const mib = (f) => fmt(rssBytes(larder.pid, f) / 2 ** 20, 1);
  console.log(`  larder RSS ${mib("VmRSS")} MiB, peak ${mib("VmHWM")} MiB (request bodies are held in memory whole)`);
} finally {
  for (const c of conns) c.close();
  await larder.stop();
}

console.log(`\nFiles (${clients} concurrent; larder over HTTP keep-alive vs node fs on the same file system; ratio = larder/fs throughput)`);
const table = [["size", "op", "larder req/s", "larder MB/s", "p50 ms", "p99 ms", "fs ops/s", "fs MB/s", "fs p50 ms", "fs p99 ms", "ratio"]];
const rate = (r) => r.ops / r.seconds;
for (const { mb, op, l, b } of rows) {
  table.push([
    `${mb} MB`, op,
    fmt(rate(l), 1), fmt((rate(l) * mb), 1), fmt(l.latencyMs.p50, 1), fmt(l.latencyMs.p99, 1),
    fmt(rate(b), 1), fmt((rate(b) * mb), 1), fmt(b.latencyMs.p50, 1), fmt(b.latencyMs.p99, 1),
    fmt(rate(l) / rate(b), 2),
  ]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log("  " + r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
console.log(`end: ${load()}`);
