// Records API throughput on 100k records, natively, against raw SQLite running the same
// statements on the same data in the same run (bench/native/sqlite_baseline.cpp).
//
// The data: a copy of PocketBase's test pb_data plus a `posts` collection (title, body, n) made
// through the collections API, seeded with BENCH_RECORDS rows (default 100,000). Requests:
//   list       GET  /records?perPage=20                         (page + total count)
//   filtered   GET  /records?perPage=20&filter=n>500&sort=-n    (a filter compiled to SQL)
//   ...SkipTotal   the same with skipTotal=1 (no COUNT)
//   view       GET  /records/<id>
//   create     POST /records  {"title","body","n"}               (durable: WAL, synchronous=FULL)
// The ratio larder/sqlite is per operation: what HTTP + JSON + rules + the core cost on top of
// SQLite. wrk uses 2 threads and BENCH_CONNECTIONS connections; the baseline is one thread.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNative } from "../tests/lib/native.mjs";
import { fmt, wrk } from "./lib/wrk.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const records = Number(process.env.BENCH_RECORDS ?? 100000);
const vars = JSON.parse((await import("node:fs")).readFileSync("tests/api/vars.json", "utf8"));
const baselineBin = "build/native/larder_bench_sqlite";

const dir = mkdtempSync(join(tmpdir(), "larder-bench-records-"));
cpSync("tests/fixtures/pocketbase-testdata/data.db", join(dir, "data.db"));
try {
  // 1. The collection, through the API (the schema is Larder's to write).
  let larder = await startNative({ dir });
  const res = await fetch(larder.url + "/api/collections", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: vars.suToken },
    body: JSON.stringify({
      name: "posts",
      type: "base",
      listRule: "",
      viewRule: "",
      createRule: "",
      fields: [
        { name: "title", type: "text" },
        { name: "body", type: "text" },
        { name: "n", type: "number" },
        { name: "created", type: "autodate", onCreate: true },
        { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
      ],
      indexes: ["CREATE INDEX idx_posts_created ON posts (created)", "CREATE INDEX idx_posts_n ON posts (n)"],
    }),
  });
  if (res.status !== 200) throw new Error(`create collection: ${res.status} ${await res.text()}`);
  await larder.stop();

  // 2. The rows, straight into SQLite.
  execFileSync(baselineBin, ["seed", join(dir, "data.db"), "posts", String(records)]);

  // 3. The baseline on the same file.
  const base = JSON.parse(execFileSync(baselineBin, ["run", join(dir, "data.db"), "posts", String(seconds)], { encoding: "utf8" }));

  // 4. Larder.
  larder = await startNative({ dir });
  const api = larder.url + "/api/collections/posts/records";
  const post = join(dir, "post.lua");
  writeFileSync(
    post,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n` +
      `wrk.body = '{"title":"bench","body":"lorem ipsum dolor sit amet","n":7}'\n`,
  );
  const filtered = api + "?perPage=20&filter=" + encodeURIComponent("n>500") + "&sort=-n";
  wrk(api + "?perPage=20", { seconds: 2, connections }); // warm up
  const runs = {
    list: wrk(api + "?perPage=20", { seconds, connections }),
    listSkipTotal: wrk(api + "?perPage=20&skipTotal=1", { seconds, connections }),
    listFiltered: wrk(filtered, { seconds, connections }),
    listFilteredSkipTotal: wrk(filtered + "&skipTotal=1", { seconds, connections }),
    view: wrk(`${api}/${base.id}`, { seconds, connections }),
    create: wrk(api, { seconds, connections, script: post }),
  };
  await larder.stop();

  console.log(`${fmt(records)} records; wrk -t2 -c${connections} -d${seconds}s keep-alive vs raw SQLite on 1 thread (ratio = larder/sqlite throughput)`);
  for (const [name, r] of Object.entries(runs)) {
    console.log(
      `  ${name.padEnd(21)} larder ${fmt(r.rps).padStart(8)} req/s (p50 ${fmt(r.latencyMs.p50, 2)} ms, p99 ${fmt(r.latencyMs.p99, 2)} ms)` +
        `   sqlite ${fmt(base[name]).padStart(8)} ops/s   ratio ${fmt(r.rps / base[name], 2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
