// Servers for the realtime and files benches: a native Larder on a fresh pb_data with a
// superuser and one collection made through the API, the Node baseline broadcaster, and the
// per-process numbers read from /proc (VmRSS, CPU time) and the machine's load averages.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startNative } from "../../tests/lib/native.mjs";
import { NATIVE_BIN } from "../../tests/lib/paths.mjs";

const EMAIL = "bench@example.com";
const PASSWORD = "bench-password-123";

/** Larder on a fresh pb_data in a new temp dir, with `collection` (a collections API body) created as superuser. */
export async function startLarder(collection) {
  const dir = mkdtempSync(join(tmpdir(), "larder-bench-"));
  execFileSync(NATIVE_BIN, ["superuser", "create", EMAIL, PASSWORD, `--dir=${dir}`], { stdio: "ignore" });
  const server = await startNative({ dir });
  const post = async (path, body, headers = {}) => {
    const res = await fetch(server.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { token } = await post("/api/collections/_superusers/auth-with-password", { identity: EMAIL, password: PASSWORD });
  const created = await post("/api/collections", collection, { authorization: token });
  return {
    url: server.url,
    pid: server.child.pid,
    dir,
    collectionId: created.id,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Node SSE broadcaster of bench/lib/sse-baseline.mjs as a child process. */
export async function startSseBaseline() {
  const child = spawn(process.execPath, [new URL("./sse-baseline.mjs", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(JSON.parse(d).port));
    child.once("exit", (code) => reject(new Error(`baseline exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** Resident set size of a process (or its peak, field "VmHWM"), in bytes. */
export function rssBytes(pid, field = "VmRSS") {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m[1]) * 1024;
}

/** User + system CPU time of a process, in milliseconds. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** `uptime`-style load averages, for the record: the machine is shared. */
export function load() {
  return "load average " + loadavg().map((l) => l.toFixed(2)).join(", ");
}

/** Percentile (nearest rank) of an ascending array. */
export function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
