// The npm package `larder`: a complete PocketBase-compatible backend as a fetch function.
//
//   import { createBackend } from "larder";
//   const backend = createBackend({ dir: "./pb_data" });   // or createBackend() in memory
//   const res = await backend.fetch(new Request("http://local/api/health"));
//
// It runs the same wasm core and the same storage engine (storage/engine.ts) the service worker
// runs (larder-sw.js, shipped in this package). With `dir`, the database persists there in the
// same commit-log format the worker keeps in OPFS (docs/storage-format.md): one tested code path,
// real fsync, one writer enforced by a LOCK file. exportDatabase() gives the plain data.db.
import { instantiateCore, type CoreFactory, type CoreModule } from "./core.js";
import { loadCoreFactory, loadWasmBytes } from "./load.js";
import type { StorageAdapter } from "./storage/adapter.js";
import { Engine, type EngineEvent, type EngineStatus, type ImportFile, type StorageLease } from "./storage/engine.js";
import type { SnapshotPolicy } from "./storage/policy.js";
import type { AppSchema } from "./setup.js";
import type { OutboxMail } from "./protocol.js";

export interface BackendOptions {
  /** Persist the database in this directory (Node.js, Bun, Deno). Without it: in memory. */
  dir?: string;
  /** Persist through your own adapter instead (e.g. `new OpfsAdapter()` in a dedicated worker). */
  storage?: StorageAdapter;
  /**
   * Answer writes before they are persisted (default false). Faster; a crash or a storage
   * failure can lose the last acknowledged writes. For demos.
   */
  relaxed?: boolean;
  /** Snapshot policy overrides (see storage/policy.ts). */
  snapshotPolicy?: Partial<SnapshotPolicy>;
  /** Storage events: recovery, snapshots, failures. */
  onEvent?: (event: EngineEvent) => void;
  /**
   * The app's schema: PocketBase's collections export (plus optional seed records), applied
   * every time the database opens — new collections created, changed ones migrated, records
   * kept; seeds go into collections that are empty. See setup.ts.
   */
  schema?: AppSchema;
  /** Name of the database directory inside the wasm core (advanced; unique per backend by default). */
  dataDir?: string;
}

export interface Backend {
  /** Answers one request, like a server would. Resolves for every HTTP status. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Resolves once the database is open (recovered from `dir`); fetch waits for it anyway. */
  readonly ready: Promise<void>;
  /** SQLite version compiled into the core. */
  sqliteVersion(): Promise<string>;
  /** The database as a plain SQLite file (PocketBase opens it as pb_data/data.db). */
  exportDatabase(): Promise<Uint8Array>;
  /** Replaces the database with a PocketBase data.db or an export (checked first). */
  importDatabase(db: Uint8Array | ArrayBuffer, options?: { files?: ImportFile[] }): Promise<void>;
  /** PRAGMA integrity_check: "ok" when intact. */
  integrityCheck(): Promise<string>;
  /** The mails the backend would have sent (no SMTP here), newest first; see LarderClient.outbox. */
  outbox(options?: { clear?: boolean }): Promise<OutboxMail[]>;
  /** Resolves once every write so far is durable (relaxed mode). */
  flush(): Promise<void>;
  /** Writes a snapshot now, so the next start reads one file (e.g. after bulk writes). */
  compact(): Promise<void>;
  status(): EngineStatus;
  /** Persists what is pending, releases the directory and frees the core's memory. */
  close(): Promise<void>;
}

let modulePromise: Promise<CoreModule> | null = null;

function coreModule(): Promise<CoreModule> {
  // One wasm instance per process is enough: each backend gets its own App inside it.
  modulePromise ??= (async () => {
    const [factory, bytes] = await Promise.all([loadCoreFactory(), loadWasmBytes()]);
    return instantiateCore(factory as CoreFactory, bytes);
  })();
  modulePromise.catch(() => (modulePromise = null));
  return modulePromise;
}

let instances = 0;

function leaseFor(options: BackendOptions): (() => Promise<StorageLease>) | null {
  if (options.storage) {
    const adapter = options.storage;
    return async () => ({ adapter, release: async () => {} });
  }
  if (options.dir !== undefined) {
    const dir = options.dir;
    return async () => {
      const { NodeFsAdapter } = await import("./storage/node-fs.js");
      const adapter = await NodeFsAdapter.open(dir);
      return { adapter, release: () => adapter.close() };
    };
  }
  return null;
}

export function createBackend(options: BackendOptions = {}): Backend {
  // Separate backends in one wasm instance must not share a database path unless asked to.
  const dataDir = options.dataDir ?? `/pb_data_${++instances}`;
  const engine = new Engine({
    module: coreModule,
    dataDir,
    storage: leaseFor(options),
    relaxed: options.relaxed,
    policy: options.snapshotPolicy,
    onEvent: options.onEvent,
    onCoreFailure: () => (modulePromise = null),
    schema: options.schema ? async () => options.schema ?? null : undefined,
  });
  const ready = engine.start();
  ready.catch(() => {}); // reported through fetch() and by awaiting `ready`; never unhandled
  return {
    ready,
    fetch(input, init) {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      return engine.handle(request);
    },
    async sqliteVersion() {
      return (await coreModule()).sqliteVersion();
    },
    exportDatabase: () => engine.exportDatabase(),
    importDatabase: (db, opts) => engine.importDatabase(db instanceof ArrayBuffer ? new Uint8Array(db) : db, opts?.files),
    integrityCheck: () => engine.integrityCheck(),
    outbox: (opts) => engine.outbox(opts?.clear) as Promise<OutboxMail[]>,
    flush: () => engine.flush(),
    compact: () => engine.compact(),
    status: () => engine.status(),
    close: () => engine.close(),
  };
}

export { registerLarder, type RegisterOptions } from "./register.js";
export { larderClient, LarderError, type LarderClient, type ClientOptions } from "./client.js";
export type { OutboxMail, WorkerStatus } from "./protocol.js";
export { MemoryAdapter, type StorageAdapter } from "./storage/adapter.js";
export { OpfsAdapter } from "./storage/opfs.js";
export type { EngineEvent, EngineStatus, ImportFile } from "./storage/engine.js";
export type { SnapshotPolicy } from "./storage/policy.js";
export type { AppSchema } from "./setup.js";
