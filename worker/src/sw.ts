// Larder's service worker: answers same-origin /api/* requests with the wasm core, passes every
// other request through untouched. Register it directly (scope "/"), or importScripts() it
// from your own worker and keep your own fetch handling for everything else.
//
// Storage: the database lives in OPFS as a commit log (docs/storage-format.md), written by the
// engine shared with createBackend() (sdk/src/storage/engine.ts). A write is answered only once
// its commit record is closed in OPFS. Append `?durability=relaxed` to the worker's URL (or set
// `self.larderOptions = { relaxed: true }` before importScripts) to answer before persisting.
// The app's schema (`?schema=/pb_schema.json` or larderOptions.schema) is applied at every open.
//
// Lifecycle: install caches the core files (the backend starts offline) and never opens the
// database; activate claims open pages and tells an older worker to hand the database over
// (lease.ts); the first request takes the Web Lock and recovers the database from OPFS.
import { instantiateCore, errorResponse, type CoreFactory, type CoreModule } from "../../sdk/src/core.js";
import { Engine } from "../../sdk/src/storage/engine.js";
import type { SnapshotPolicy } from "../../sdk/src/storage/policy.js";
import type { AppSchema } from "../../sdk/src/setup.js";
import { OpfsAdapter } from "../../sdk/src/storage/opfs.js";
import { handleClientMessage, isClientRequest } from "./messages.js";
import { takeover, webLockLease } from "./lease.js";

interface LarderOptions {
  relaxed?: boolean;
  /**
   * The app's schema (sdk/src/setup.ts): an AppSchema object, or the URL of its JSON (cached at
   * install, so it applies offline too). Also `?schema=/pb_schema.json` on the worker's URL.
   */
  schema?: AppSchema | string;
  /** Overrides of the snapshot policy (sdk/src/storage/policy.ts); benchmarks use it. */
  snapshotPolicy?: Partial<SnapshotPolicy>;
}

declare const self: ServiceWorkerGlobalScope & {
  LarderCore?: CoreFactory;
  larder?: LarderWorker;
  larderOptions?: LarderOptions;
};
declare const __LARDER_CORE__: string; // "larder/larder-core.<hash>", fixed at build time

export interface LarderWorker {
  /** True when the request is one Larder answers (same origin, path under /api/). */
  handles(request: Request): boolean;
  /** Answers a request with the wasm backend. */
  handle(request: Request): Promise<Response>;
  readonly version: string;
  /** The storage engine (status, export, import) for workers that import this one. */
  readonly engine: Engine;
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

let modulePromise: Promise<CoreModule> | null = null;

// The .wasm from CacheStorage (put there at install), so the backend starts offline.
async function wasmResponse(): Promise<Response> {
  const cache = await caches.open(cacheName);
  let res = await cache.match(wasmUrl);
  if (!res) {
    res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`larder: cannot load ${wasmUrl}: ${res.status}`);
    await cache.put(wasmUrl, res.clone());
  }
  return res;
}

function coreModule(): Promise<CoreModule> {
  modulePromise ??= (async () => {
    const factory = self.LarderCore;
    if (!factory) throw new Error("larder: core glue did not load");
    return instantiateCore(factory, wasmResponse);
  })();
  modulePromise.catch(() => (modulePromise = null)); // retry on the next request
  return modulePromise;
}

// The app's schema: inline, or a JSON file next to the app (kept in the core's cache).
const schemaOption = self.larderOptions?.schema ?? new URL(self.location.href).searchParams.get("schema") ?? undefined;
const schemaUrl = typeof schemaOption === "string" ? new URL(schemaOption, self.location.origin).href : null;

async function loadSchema(): Promise<AppSchema | null> {
  if (!schemaOption) return null;
  if (typeof schemaOption !== "string") return schemaOption;
  const cache = await caches.open(cacheName);
  let res: Response | undefined;
  try {
    res = await fetch(schemaUrl!, { cache: "no-cache" });
    if (res.ok) await cache.put(schemaUrl!, res.clone());
  } catch {
    res = undefined; // offline: the copy cached at install or at the last start
  }
  if (!res?.ok) res = await cache.match(schemaUrl!);
  if (!res) throw new Error(`cannot load the app schema ${schemaUrl}`);
  return (await res.json()) as AppSchema;
}

const relaxed =
  self.larderOptions?.relaxed ?? new URL(self.location.href).searchParams.get("durability") === "relaxed";

const engine = new Engine({
  module: coreModule,
  dataDir: "/pb_data",
  storage: webLockLease(new OpfsAdapter("larder")),
  relaxed,
  policy: self.larderOptions?.snapshotPolicy,
  responseHeader: ["X-Larder-Host", "service-worker"],
  onCoreFailure: () => (modulePromise = null),
  schema: schemaOption ? loadSchema : undefined,
  // Waiting longer than this for the lock means another worker does not let go: answer 503.
  openTimeoutMs: 30_000,
  onEvent: (e) => {
    if (e.type === "persist-failed" || e.type === "snapshot-failed") console.error(`larder: ${e.type}:`, e.error);
  },
});
const handover = takeover(engine, __LARDER_CORE__);

const api: LarderWorker = {
  version: __LARDER_CORE__,
  engine,
  handles(request) {
    const url = new URL(request.url);
    return url.origin === self.location.origin && url.pathname.startsWith("/api/");
  },
  async handle(request) {
    try {
      return await engine.handle(request);
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
      await cache.addAll(schemaUrl ? [wasmUrl, schemaUrl] : [wasmUrl]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      handover.announce();
      for (const key of await caches.keys()) if (key.startsWith("larder-core-") && key !== cacheName) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  if (api.handles(event.request)) event.respondWith(api.handle(event.request));
});

self.addEventListener("message", (event) => {
  if (!isClientRequest(event.data) || !event.ports[0]) return;
  event.waitUntil(handleClientMessage(engine, __LARDER_CORE__, event.data, event.ports[0]));
});
