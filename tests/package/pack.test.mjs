// The npm package as a user gets it: `npm pack` the sdk, install the tarball into an empty
// project (no network needed: the package has no dependencies), and use it from there.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "../lib/paths.mjs";

let work;
let tarball;

before(() => {
  work = mkdtempSync(join(tmpdir(), "larder-pack-"));
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: join(ROOT, "sdk"), encoding: "utf8" });
  tarball = join(work, out.trim().split("\n").pop());
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--offline", tarball], { cwd: app, stdio: "ignore" });
});
after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball ships the worker, the hashed core and types", () => {
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  for (const f of ["package/dist/index.js", "package/dist/browser.js", "package/dist/index.d.ts", "package/dist/larder-sw.js", "package/dist/cli.js"]) {
    assert.ok(listing.includes(f), `${f} missing from the tarball`);
  }
  assert.match(listing, /package\/dist\/larder\/larder-core\.[0-9a-f]{10}\.wasm/);
  assert.match(listing, /package\/dist\/larder\/larder-core\.[0-9a-f]{10}\.js/);
});

test("createBackend() from the installed package answers /api/health in Node", () => {
  const app = join(work, "app");
  const script = `
    import { createBackend } from "larder";
    const backend = createBackend();
    const res = await backend.fetch(new Request("http://localhost/api/health"));
    process.stdout.write(JSON.stringify({ status: res.status, body: await res.text() }));
    backend.close();`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), { status: 200, body: '{"message":"API is healthy.","code":200,"data":{}}\n' });
});

test("`larder init <dir>` copies the worker and the core for a static site", () => {
  const app = join(work, "app");
  execFileSync(join(app, "node_modules/.bin/larder"), ["init", "public"], { cwd: app, encoding: "utf8" });
  assert.ok(existsSync(join(app, "public/larder-sw.js")));
  const core = readdirSync(join(app, "public/larder"));
  assert.ok(core.some((f) => /^larder-core\.[0-9a-f]{10}\.wasm$/.test(f)), core.join(","));
});

test("`larder init` again after an upgrade replaces the old core files", () => {
  const app = join(work, "app");
  execFileSync(join(app, "node_modules/.bin/larder"), ["init", "public"], { cwd: app, encoding: "utf8" });
  // What an earlier version left behind: its core under another content hash.
  for (const ext of [".js", ".wasm"]) writeFileSync(join(app, `public/larder/larder-core.0000000000${ext}`), "old");
  const out = execFileSync(join(app, "node_modules/.bin/larder"), ["init", "public"], { cwd: app, encoding: "utf8" });
  assert.match(out, /removed 2 old core file/);
  const core = readdirSync(join(app, "public/larder"));
  assert.ok(!core.some((f) => f.startsWith("larder-core.0000000000")), core.join(","));
  assert.equal(core.filter((f) => /^larder-core\.[0-9a-f]{10}\.(js|wasm)$/.test(f)).length, 2, core.join(","));
});
