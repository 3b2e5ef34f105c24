// The three hosts every API scenario runs on. Each target opens once (a browser, say) and then
// gives every scenario file a fresh session: its own data directory, its own backend.
//   native  the `larder` binary over real HTTP
//   node    the wasm core in Node through the npm package's createBackend()
//   sw      the wasm core inside Larder's service worker in Chromium, reached by page fetch()
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, waitForWorker } from "../../lib/browser.mjs";
import { startNative } from "../../lib/native.mjs";
import { FIXTURES, SDK_DIST } from "../../lib/paths.mjs";
import { startStaticServer } from "../../../scripts/static-server.mjs";

// The body as text plus the SHA-256 of its exact bytes (for `expect.bodySha256`: binary files
// do not survive a text decode).
async function readBody(res) {
  const bytes = Buffer.from(await res.arrayBuffer());
  return { text: new TextDecoder().decode(bytes), sha256: createHash("sha256").update(bytes).digest("hex") };
}

function headersObject(headers) {
  const out = {};
  headers.forEach((v, k) => (out[k] = v));
  return out;
}

// Builds fetch() arguments from a scenario request. Also sent into the page as source text, so
// it must not use anything from this module's scope.
function toFetchInit(req) {
  const init = { method: req.method, headers: req.headers };
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  if (req.body !== undefined) init.body = req.body;
  else if (req.bodyBase64 !== undefined) init.body = bytes(req.bodyBase64);
  else if (req.form) {
    const fd = new FormData();
    for (const p of req.form) {
      if (p.file) {
        let content = p.file.base64 !== undefined ? bytes(p.file.base64) : new TextEncoder().encode(p.file.text ?? "");
        if (p.file.padTo > content.length) {
          // A big file without a big scenario file: the content, then "." up to padTo bytes.
          const padded = new Uint8Array(p.file.padTo).fill(0x2e);
          padded.set(content);
          content = padded;
        }
        fd.append(p.name, new Blob([content], { type: p.file.type ?? "" }), p.file.name);
      } else {
        fd.append(p.name, p.value);
      }
    }
    init.body = fd;
  }
  return init;
}

function dataDirFor(scenario) {
  const dir = mkdtempSync(join(tmpdir(), "larder-api-"));
  if (scenario.data && scenario.data !== "empty") cpSync(join(FIXTURES, scenario.data), dir, { recursive: true });
  return dir;
}

// A fixture as the storage engine's import takes it (node and sw targets): data.db, and the
// storage/ files under their keys ("<collectionId>/<recordId>/<file>").
function fixtureData(name) {
  const root = join(FIXTURES, name);
  const files = [];
  const walk = (dir, prefix) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), key);
      else files.push({ path: key, bytes: new Uint8Array(readFileSync(join(dir, e.name))) });
    }
  };
  if (existsSync(join(root, "storage"))) walk(join(root, "storage"), "");
  return { db: new Uint8Array(readFileSync(join(root, "data.db"))), files };
}

// A free loopback port (for servers that cannot report the port they bound).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const targets = {
  // Not a Larder host: the reference PocketBase binary (PB_BIN=/path/to/pocketbase), to check that
  // the scenarios' expectations are PocketBase's own behaviour. Developer-only; never in CI.
  pocketbase: {
    async open() {
      if (!process.env.PB_BIN) throw new Error("set PB_BIN to a PocketBase binary to use the pocketbase target");
      return {
        async session(scenario) {
          const dir = dataDirFor(scenario);
          const port = await freePort();
          // Its own cwd and no automigrate: PocketBase would otherwise write pb_migrations/ here.
          const child = spawn(
            process.env.PB_BIN,
            ["serve", `--http=127.0.0.1:${port}`, `--dir=${dir}`, "--automigrate=false"],
            { stdio: "ignore", cwd: dir },
          );
          const url = `http://127.0.0.1:${port}`;
          for (let i = 0; i < 100; i++) {
            try {
              await fetch(url + "/api/health");
              break;
            } catch {
              await new Promise((r) => setTimeout(r, 100));
            }
          }
          return {
            baseUrl: url,
            fetch: (u, init) => fetch(new URL(u, url), init),
            async send(req) {
              const res = await fetch(url + req.url, { ...toFetchInit(req), redirect: "manual" });
              return { status: res.status, headers: headersObject(res.headers), ...(await readBody(res)) };
            },
            async close() {
              if (child.exitCode === null && child.signalCode === null) {
                await new Promise((resolve) => {
                  child.once("exit", resolve);
                  child.kill("SIGTERM");
                });
              }
              rmSync(dir, { recursive: true, force: true });
            },
          };
        },
        async close() {},
      };
    },
  },

  native: {
    async open() {
      return {
        async session(scenario) {
          const dir = dataDirFor(scenario);
          const server = await startNative({ dir });
          return {
            baseUrl: server.url,
            fetch: (url, init) => fetch(new URL(url, server.url), init),
            async send(req) {
              const res = await fetch(server.url + req.url, { ...toFetchInit(req), redirect: "manual" });
              return { status: res.status, headers: headersObject(res.headers), ...(await readBody(res)) };
            },
            async close() {
              await server.stop();
              rmSync(dir, { recursive: true, force: true });
            },
          };
        },
        async close() {},
      };
    },
  },

  node: {
    async open() {
      const { createBackend } = await import(join(SDK_DIST, "index.js"));
      return {
        async session(scenario) {
          const backend = createBackend();
          await backend.ready;
          if (scenario.data && scenario.data !== "empty") {
            const { db, files } = fixtureData(scenario.data);
            await backend.importDatabase(db, { files });
          }
          return {
            baseUrl: "http://127.0.0.1",
            fetch: (url, init) => backend.fetch(new Request(new URL(url, "http://127.0.0.1"), init)),
            async send(req) {
              const res = await backend.fetch(new Request("http://127.0.0.1" + req.url, toFetchInit(req)));
              return { status: res.status, headers: headersObject(res.headers), ...(await readBody(res)) };
            },
            async close() {
              backend.close();
            },
          };
        },
        async close() {},
      };
    },
  },

  sw: {
    async open() {
      const server = await startStaticServer({ root: SDK_DIST });
      const origin = `http://127.0.0.1:${server.address().port}`;
      const browser = await launchBrowser();
      return {
        async session(scenario) {
          // A fresh context is a fresh origin storage: new worker, new database.
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(origin + "/larder-sw.js"); // any same-origin document will do
          await waitForWorker(page, "/larder-sw.js");
          if (scenario.data && scenario.data !== "empty") {
            // The page client's import (sdk/src/client.ts) hands the fixture to the worker.
            const { db, files } = fixtureData(scenario.data);
            const b64 = (bytes) => Buffer.from(bytes).toString("base64");
            await page.evaluate(
              async ({ db, files }) => {
                const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
                const { larderClient } = await import("/index.js");
                await larderClient().importDatabase(bytes(db), { files: files.map((f) => ({ path: f.path, bytes: bytes(f.bytes) })) });
              },
              { db: b64(db), files: files.map((f) => ({ path: f.path, bytes: b64(f.bytes) })) },
            );
          }
          const fetchInit = toFetchInit.toString();
          return {
            async send(req) {
              return page.evaluate(
                async ({ req, fetchInit }) => {
                  const toInit = new Function(`return (${fetchInit})`)();
                  const res = await fetch(req.url, { ...toInit(req), redirect: "manual" });
                  const headers = {};
                  res.headers.forEach((v, k) => (headers[k] = v));
                  const buf = await res.arrayBuffer();
                  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
                  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
                  return { status: res.status, headers, text: new TextDecoder().decode(buf), sha256 };
                },
                { req, fetchInit },
              );
            },
            async close() {
              await context.close();
            },
          };
        },
        async close() {
          await browser.close();
          server.close();
        },
      };
    },
  },
};
