// The native host as a process: flags, clear startup errors, keep-alive under many connections,
// graceful shutdown on SIGINT/SIGTERM.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startNative } from "../lib/native.mjs";
import { NATIVE_BIN } from "../lib/paths.mjs";

let work;
before(() => (work = mkdtempSync(join(tmpdir(), "larder-native-"))));
after(() => rmSync(work, { recursive: true, force: true }));

test("--help and --version", () => {
  const help = spawnSync(NATIVE_BIN, ["serve", "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--http string/);
  assert.match(help.stdout, /--dir string/);
  const ver = spawnSync(NATIVE_BIN, ["--version"], { encoding: "utf8" });
  assert.match(ver.stdout, /^larder version \S+ \(SQLite 3\.53\.\d+\)/);
  const bad = spawnSync(NATIVE_BIN, ["serve", "--nope"], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown flag: --nope/);
});

test("a taken port is a clear error, exit code 1", async () => {
  const first = await startNative({ dir: join(work, "a") });
  const port = new URL(first.url).port;
  const second = spawnSync(NATIVE_BIN, ["serve", `--http=127.0.0.1:${port}`, `--dir=${join(work, "b")}`], {
    encoding: "utf8",
    timeout: 10000,
  });
  await first.stop();
  assert.equal(second.status, 1);
  assert.equal(second.stderr.trim(), `Error: listen tcp 127.0.0.1:${port}: bind: address already in use`);
});

test("a data directory that cannot be created or written is a clear error", () => {
  const file = join(work, "plain-file");
  writeFileSync(file, "x");
  const res = spawnSync(NATIVE_BIN, ["serve", "--http=127.0.0.1:0", `--dir=${join(file, "pb_data")}`], {
    encoding: "utf8",
    timeout: 10000,
  });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /^Error: cannot create the data directory ".*pb_data": Not a directory/);
  const ro = spawnSync(NATIVE_BIN, ["serve", "--http=127.0.0.1:0", "--dir=/proc/larder-test"], { encoding: "utf8", timeout: 10000 });
  assert.equal(ro.status, 1);
  assert.match(ro.stderr, /^Error: (cannot create|the data directory .* is not writable)/);
});

function get(agent, url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      })
      .on("error", reject);
  });
}

test("many keep-alive connections at once", async () => {
  const server = await startNative({ dir: join(work, "c") });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
  const results = await Promise.all(Array.from({ length: 1000 }, () => get(agent, server.url + "/api/health")));
  agent.destroy();
  assert.ok(results.every((r) => r.status === 200 && r.body.includes("API is healthy.")));
  assert.equal(await server.stop(), 0);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  test(`${signal} shuts down gracefully, also with idle keep-alive connections open`, async () => {
    const server = await startNative({ dir: join(work, signal) });
    const agent = new http.Agent({ keepAlive: true });
    assert.equal((await get(agent, server.url + "/api/health")).status, 200); // leaves an idle connection
    const t0 = Date.now();
    const code = await server.stop(signal);
    agent.destroy();
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 5000, "shutdown took too long");
  });
}
