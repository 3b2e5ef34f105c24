// Larder's service worker: answers same-origin /api/* requests with the wasm core, passes every
// other request through untouched. Register it directly (scope "/"), or importScripts() it
// from your own worker and keep your own fetch handling for everything else.
//
// Lifecycle: install caches the core files so the backend starts offline; activate claims open
// pages so their first API call is already answered here.
import { callCore, instantiateCore, type CoreBackend, type CoreFactory } from "../../sdk/src/core.js";

declare const self: ServiceWorkerGlobalScope & { LarderCore?: CoreFactory; larder?: LarderWorker };
declare const __LARDER_CORE__: string; // "larder/larder-core.<hash>", fixed at build time

export interface LarderWorker {
  /** True when the request is one Larder answers (same origin, path under /api/). */
  handles(request: Request): boolean;
  /** Answers a request with the wasm backend. */
  handle(request: Request): Promise<Response>;
  readonly version: string;
}

// The worker script's own URL is the base for the core files, also when another worker
// imported this one (then self.location is that worker's URL, so keep the files side by side).
const base = self.location.href;
const glueUrl = new URL(`${__LARDER_CORE__}.js`, base).href;
const wasmUrl = new URL(`${__LARDER_CORE__}.wasm`, base).href;
const cacheName = `larder-core-${__LARDER_CORE__.split(".").pop()}`;

// importScripts only works while the worker script is first evaluated; the browser keeps the
// imported script with the registration, so it is available offline too.
importScripts(glueUrl);

let backendPromise: Promise<CoreBackend> | null = null;

async function wasmBytes(): Promise<ArrayBuffer> {
  const cache = await caches.open(cacheName);
  let res = await cache.match(wasmUrl);
  if (!res) {
    res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`larder: cannot load ${wasmUrl}: ${res.status}`);
    await cache.put(wasmUrl, res.clone());
  }
  return res.arrayBuffer();
}

function backend(): Promise<CoreBackend> {
  backendPromise ??= (async () => {
    const factory = self.LarderCore;
    if (!factory) throw new Error("larder: core glue did not load");
    const core = await instantiateCore(factory, await wasmBytes());
    return new core.Backend(JSON.stringify({ dataDir: "/pb_data" }));
  })();
  backendPromise.catch(() => (backendPromise = null)); // retry on the next request
  return backendPromise;
}

function errorResponse(status: number, message: string): Response {
  const body = JSON.stringify({ data: {}, message, status }) + "\n";
  return new Response(body, { status, headers: { "Content-Type": "application/json" } });
}

const api: LarderWorker = {
  version: __LARDER_CORE__,
  handles(request) {
    const url = new URL(request.url);
    return url.origin === self.location.origin && url.pathname.startsWith("/api/");
  },
  async handle(request) {
    try {
      const res = await callCore(await backend(), request);
      res.headers.set("X-Larder-Host", "service-worker");
      return res;
    } catch (err) {
      console.error("larder:", err);
      return errorResponse(500, "Something went wrong while processing your request.");
    }
  },
};
self.larder = api;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll([wasmUrl]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith("larder-core-") && key !== cacheName) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  if (api.handles(event.request)) event.respondWith(api.handle(event.request));
});
