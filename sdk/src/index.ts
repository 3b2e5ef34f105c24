// The npm package `larder`: a complete PocketBase-compatible backend as a fetch function.
//
//   import { createBackend } from "larder";
//   const backend = createBackend();
//   const res = await backend.fetch(new Request("http://local/api/health"));
//
// It runs the same wasm core the service worker runs (larder-sw.js, shipped in this package).
import { callCore, instantiateCore, type CoreBackend, type CoreFactory, type CoreModule } from "./core.js";
import { loadCoreFactory, loadWasmBytes } from "./load.js";

export interface BackendOptions {
  /** Where the data directory lives inside the backend's file system (default "/pb_data"). */
  dataDir?: string;
}

export interface Backend {
  /** Answers one request, like a server would. Resolves for every HTTP status. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Resolves once the wasm core is instantiated (fetch waits for it anyway). */
  readonly ready: Promise<void>;
  /** SQLite version compiled into the core. */
  sqliteVersion(): Promise<string>;
  /** Frees the core's memory. */
  close(): void;
}

let modulePromise: Promise<CoreModule> | null = null;

function coreModule(): Promise<CoreModule> {
  // One wasm instance per process is enough: each backend gets its own App inside it.
  modulePromise ??= (async () => {
    const [factory, bytes] = await Promise.all([loadCoreFactory(), loadWasmBytes()]);
    return instantiateCore(factory as CoreFactory, bytes);
  })();
  return modulePromise;
}

let instances = 0;

export function createBackend(options: BackendOptions = {}): Backend {
  // Separate backends in one wasm instance must not share a data directory unless asked to.
  const dataDir = options.dataDir ?? `/pb_data_${++instances}`;
  let core: CoreBackend | null = null;
  let closed = false;
  const ready = coreModule().then((m) => {
    core = new m.Backend(JSON.stringify({ dataDir }));
  });
  return {
    ready,
    async fetch(input, init) {
      await ready;
      if (closed || !core) throw new Error("larder: backend is closed");
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      return callCore(core, request);
    },
    async sqliteVersion() {
      return (await coreModule()).sqliteVersion();
    },
    close() {
      closed = true;
      core?.delete();
      core = null;
    },
  };
}

export { registerLarder, type RegisterOptions } from "./register.js";
