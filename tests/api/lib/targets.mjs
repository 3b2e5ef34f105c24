// The three hosts every API scenario runs on. Each target opens once (a browser, say) and then
// gives every scenario file a fresh session: its own data directory, its own backend.
//   native  the `larder` binary over real HTTP
//   node    the wasm core in Node through the npm package's createBackend()
//   sw      the wasm core inside Larder's service worker in Chromium, reached by page fetch()
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, waitForWorker } from "../../lib/browser.mjs";
import { startNative } from "../../lib/native.mjs";
import { FIXTURES, SDK_DIST } from "../../lib/paths.mjs";
import { startStaticServer } from "../../../scripts/static-server.mjs";

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
        const content = p.file.base64 !== undefined ? bytes(p.file.base64) : (p.file.text ?? "");
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

export const targets = {
  native: {
    async open() {
      return {
        async session(scenario) {
          const dir = dataDirFor(scenario);
          const server = await startNative({ dir });
          return {
            async send(req) {
              const res = await fetch(server.url + req.url, { ...toFetchInit(req), redirect: "manual" });
              return { status: res.status, headers: headersObject(res.headers), text: await res.text() };
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
          if (scenario.data && scenario.data !== "empty") throw new Error(`node target: data "${scenario.data}" not supported yet`);
          const backend = createBackend();
          await backend.ready;
          return {
            async send(req) {
              const res = await backend.fetch(new Request("http://127.0.0.1" + req.url, toFetchInit(req)));
              return { status: res.status, headers: headersObject(res.headers), text: await res.text() };
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
          if (scenario.data && scenario.data !== "empty") throw new Error(`sw target: data "${scenario.data}" not supported yet`);
          // A fresh context is a fresh origin storage: new worker, new database.
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(origin + "/larder-sw.js"); // any same-origin document will do
          await waitForWorker(page, "/larder-sw.js");
          const fetchInit = toFetchInit.toString();
          return {
            async send(req) {
              return page.evaluate(
                async ({ req, fetchInit }) => {
                  const toInit = new Function(`return (${fetchInit})`)();
                  const res = await fetch(req.url, { ...toInit(req), redirect: "manual" });
                  const headers = {};
                  res.headers.forEach((v, k) => (headers[k] = v));
                  return { status: res.status, headers, text: await res.text() };
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
