// Auth throughput, natively, against baselines measured in the same run:
//   authWithPassword  POST /api/collections/users/auth-with-password   vs a bare bcrypt compare of
//                     the same stored hash on as many threads as cores (bench/native/bcrypt_baseline.cpp,
//                     run right before it):
//                     a password sign-in can be no faster than its bcrypt, so the ratio says what
//                     the rest (HTTP, lookup, token, auth origin write) costs on top;
//   authRefresh       POST /api/collections/users/auth-refresh (token check + a new token)
//   viewAsUser        GET  /records/<id> with a user's token  vs  viewAsGuest, the same request
//                     without one: the ratio is what verifying a token costs per request.
//
// The data: a copy of PocketBase's test pb_data; MFA is turned off for `users` (it asks for a
// second factor in the fixture) and a bench user is signed up through the API, so its hash has
// the collection's bcrypt cost (the fixture's own users were hashed at cost 13).
// Every operation runs right after its baseline, BENCH_ROUNDS times (default 3), and the table
// shows medians; the machine's load averages are printed too: numbers are only comparable
// between runs with similar load.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startNative } from "../tests/lib/native.mjs";
import { fmt, wrk } from "./lib/wrk.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const vars = JSON.parse(readFileSync("tests/api/vars.json", "utf8"));
const bcryptBin = "build/native/larder_bench_bcrypt";
const email = "bench@example.com";
const password = "bench-password-1";
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

const dir = mkdtempSync(join(tmpdir(), "larder-bench-auth-"));
cpSync("tests/fixtures/pocketbase-testdata/data.db", join(dir, "data.db"));
const loadBefore = load();
const larder = await startNative({ dir });
try {
  const api = (path, init = {}) =>
    fetch(larder.url + path, { ...init, headers: { "content-type": "application/json", ...init.headers } }).then(async (r) => {
      if (r.status !== 200) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    });
  const su = { authorization: vars.suToken };
  await api("/api/collections/users", { method: "PATCH", headers: su, body: JSON.stringify({ mfa: { enabled: false } }) });
  await api("/api/collections/users/records", {
    method: "POST",
    body: JSON.stringify({ email, password, passwordConfirm: password }),
  });
  const { token } = await api("/api/collections/users/auth-with-password", {
    method: "POST",
    body: JSON.stringify({ identity: email, password }),
  });
  const demo = "/api/collections/demo2/records/llvuca81nly1qls"; // viewRule "": guests and users alike
  await api(demo, { headers: { authorization: token } });

  const threads = cpus().length;
  let cost = 0;
  const script = (name, lines) => {
    const p = join(dir, name);
    writeFileSync(p, lines.join("\n") + "\n");
    return p;
  };
  const passwordLua = script("password.lua", [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    `wrk.body = '${JSON.stringify({ identity: email, password })}'`,
  ]);
  const refreshLua = script("refresh.lua", ['wrk.method = "POST"', `wrk.headers["Authorization"] = "${token}"`]);
  const userLua = script("user.lua", [`wrk.headers["Authorization"] = "${token}"`]);
  wrk(larder.url + demo, { seconds: 2, connections }); // warm up
  const bcrypt = (n) =>
    JSON.parse(execFileSync(bcryptBin, [join(dir, "data.db"), "users", email, password, String(seconds), String(n)], { encoding: "utf8" }));
  const passwordConnections = Math.min(connections, 4 * threads); // bcrypt-bound: a few keep every worker busy

  // Each operation runs right after its baseline, for `rounds` rounds; the machine is shared, so
  // the table shows medians (req/s, latencies, and the per-round ratio).
  const ops = {
    viewAsGuest: { base: "itself", measure: () => wrk(larder.url + demo, { seconds, connections }) },
    viewAsUser: { base: "viewAsGuest", measure: () => wrk(larder.url + demo, { seconds, connections, script: userLua }) },
    authRefresh: {
      base: "viewAsGuest",
      measure: () => wrk(larder.url + "/api/collections/users/auth-refresh", { seconds, connections, script: refreshLua }),
    },
    authWithPassword: {
      base: `bcrypt ×${threads}`,
      measure: () =>
        wrk(larder.url + "/api/collections/users/auth-with-password", { seconds, connections: passwordConnections, script: passwordLua }),
    },
  };
  const samples = Object.fromEntries(Object.keys(ops).map((k) => [k, []]));
  const bcrypt1 = [];
  const bcryptN = [];
  for (let r = 0; r < rounds; r++) {
    const guest = ops.viewAsGuest.measure();
    samples.viewAsGuest.push({ ...guest, base: guest.rps });
    for (const name of ["viewAsUser", "authRefresh"]) samples[name].push({ ...ops[name].measure(), base: guest.rps });
    bcrypt1.push(bcrypt(1).hashesPerSec);
    const n = bcrypt(threads);
    bcryptN.push(n.hashesPerSec);
    cost = n.cost;
    samples.authWithPassword.push({ ...ops.authWithPassword.measure(), base: n.hashesPerSec });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  console.log(
    `wrk -t2 -c${connections} -d${seconds}s keep-alive (authWithPassword -c${passwordConnections}); ${threads} cores; ` +
      `medians of ${rounds} rounds`,
  );
  console.log(
    `bcrypt cost ${cost} (the bench user's stored hash): bare compare ${fmt(median(bcrypt1), 1)} hashes/s on 1 thread, ` +
      `${fmt(median(bcryptN), 1)} hashes/s on ${threads}`,
  );
  console.log(`load average (1/5/15 min): before ${loadBefore}, after ${load()}`);
  console.log(`  ${"operation".padEnd(17)} ${"larder req/s".padStart(12)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}   ${"baseline".padEnd(24)} ratio`);
  for (const [name, op] of Object.entries(ops)) {
    const xs = samples[name];
    const base = median(xs.map((x) => x.base));
    console.log(
      `  ${name.padEnd(17)} ${fmt(median(xs.map((x) => x.rps)), 1).padStart(12)} ` +
        `${fmt(median(xs.map((x) => x.latencyMs.p50)), 2).padStart(8)} ${fmt(median(xs.map((x) => x.latencyMs.p99)), 2).padStart(8)}   ` +
        `${(fmt(base, 1) + " " + op.base).padEnd(24)} ${fmt(median(xs.map((x) => x.rps / x.base)), 2)}`,
    );
  }
} finally {
  await larder.stop();
  rmSync(dir, { recursive: true, force: true });
}
