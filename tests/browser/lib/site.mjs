// A throw-away copy of the npm package's browser files (sdk/dist: larder-sw.js, the hashed core,
// index.js with the page client) plus a blank page, served on 127.0.0.1. A copy, because the
// upgrade test deploys a new core into it while a tab is open.
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SDK_DIST } from "../../lib/paths.mjs";
import { startStaticServer } from "../../../scripts/static-server.mjs";

export async function startSite() {
  const dir = mkdtempSync(join(tmpdir(), "larder-site-"));
  for (const f of ["larder-sw.js", "index.js", "larder"]) cpSync(join(SDK_DIST, f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><meta charset=utf-8><title>Larder storage tests</title>\n");
  const server = await startStaticServer({ root: dir });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    dir,
    origin,
    /** The core name the worker script currently references ("larder/larder-core.<hash>"). */
    coreName() {
      return /larder\/larder-core\.[0-9a-f]{10}/.exec(readFileSync(join(dir, "larder-sw.js"), "utf8"))[0];
    },
    /**
     * Deploys "a new version": the same core under a new content hash, and a worker script that
     * names it (so its bytes change and the browser installs it).
     */
    deployNewCore() {
      const old = this.coreName();
      const fresh = `larder/larder-core.${randomBytes(5).toString("hex")}`;
      for (const ext of [".js", ".wasm"]) cpSync(join(dir, old + ext), join(dir, fresh + ext));
      const sw = readFileSync(join(dir, "larder-sw.js"), "utf8").split(old).join(fresh);
      writeFileSync(join(dir, "larder-sw.js"), sw);
      return fresh;
    },
    files: () => readdirSync(join(dir, "larder")),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
