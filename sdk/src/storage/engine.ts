// The storage engine's JS half: runs requests through the synchronous core and decides when each
// answer may leave. Shared by the service worker (OPFS) and createBackend() (a directory, or
// memory). The durability contract (ARCHITECTURE.md), as implemented here:
//
//  * A call's answer leaves only once every commit that existed when the call finished is in a
//    durable log record — its own commit (a write), or earlier ones it may have read (a read
//    answered while an earlier commit is still being persisted waits for it).
//  * Group commit: one record file is written at a time; calls that commit while it is being
//    written share the next one, so throughput grows with concurrency.
//  * If writing a record fails (quota, I/O), the core rolls back to the last persisted state and
//    reopens; every waiting write gets a clear error (507 quota / 503), waiting reads run again.
//    Nothing half-done: no answer ever showed state that recovery would not see.
//  * Relaxed mode (off by default) answers right after the core call and persists behind it:
//    faster, but a crash or a storage failure loses the last answers' writes.
//  * Snapshots (policy.ts) bound recovery; what a snapshot covers is deleted.
//  * Realtime streams (GET /api/realtime, ../realtime.ts) are pumped after every core call and
//    on a timer, but an event leaves only once the commit that caused it is durable (or at
//    once in relaxed mode, like answers); a rollback ends every stream, dropping unsent events.
//  * The storage lease (options.storage) is the single-writer right: a Web Lock in the worker, a
//    LOCK file in Node. suspend() drains and gives it back (a newer worker taking over).
import {
  errorResponse,
  runCore,
  toCoreCall,
  toResponse,
  type CoreBackend,
  type CoreCall,
  type CoreAnswer,
  type CoreResponse,
  type CoreModule,
  type CoreRecord,
} from "../core.js";
import { fetchForCore } from "../net.js";
import { applyAppSchema, type AppSchema } from "../setup.js";
import { RealtimeStreams } from "../realtime.js";
import { isQuotaError, MemoryAdapter, type StorageAdapter } from "./adapter.js";
import { FileHost } from "./files.js";
import {
  BODY_LIMIT,
  BodyTooLarge,
  declaredTooLarge,
  discard,
  isMultipart,
  stageUploads,
  stagedIds,
  STAGING_DIR,
  tooLargeResponse,
} from "./uploads.js";
import { FILES_DIR, logPath, snapPath } from "./layout.js";
import { DEFAULT_POLICY, snapshotDue, type SnapshotPolicy } from "./policy.js";
import { recover, type RecoveryResult } from "./recovery.js";
import { drainStream, stageImport } from "./stream.js";

/** The right to write the database, and where to. Released when the engine suspends. */
export interface StorageLease {
  adapter: StorageAdapter;
  release(): Promise<void>;
}

export interface EngineOptions {
  /** The instantiated wasm core (one module can host several engines). */
  module: () => Promise<CoreModule>;
  /** Path of the database's directory inside the core (one per engine in a module). */
  dataDir: string;
  /** Takes the single-writer lease; null keeps everything in memory (nothing is persisted). */
  storage: (() => Promise<StorageLease>) | null;
  /** Answer before persisting (see above). Default false. */
  relaxed?: boolean;
  policy?: Partial<SnapshotPolicy>;
  /** A header added to every answer from the core (the worker says which host answered). */
  responseHeader?: [string, string];
  /** Give up waiting for the lease (another writer) after this long: 503. Default: wait. */
  openTimeoutMs?: number;
  onEvent?: (event: EngineEvent) => void;
  /** The app's shipped schema and seed records (setup.ts), applied at every open. */
  schema?: () => Promise<AppSchema | null>;
  /** The core threw into JS (a trap): the host drops its cached module so the next open makes a new one. */
  onCoreFailure?: () => void;
}

export type EngineEvent =
  | { type: "recovered"; recovery: Omit<RecoveryResult, "background">; openMs: number }
  | { type: "persist-failed"; error: unknown; relaxed: boolean }
  | { type: "snapshot"; seq: number; bytes: number; ms: number }
  | { type: "snapshot-failed"; error: unknown }
  | { type: "schema-applied"; seeded: number }
  | { type: "schema-failed"; error: unknown };

export interface EngineStatus {
  open: boolean;
  durable: boolean;
  relaxed: boolean;
  commitCount: number;
  durableCount: number;
  lastSeq: number;
  persistedSeq: number;
  snapshotSeq: number;
  logsSinceSnapshot: number;
  logBytesSinceSnapshot: number;
  databaseSize: number;
  lastRecovery: Omit<RecoveryResult, "background"> | null;
  lastSnapshot: { seq: number; bytes: number; ms: number } | null;
  /** Last open: total and its parts (wasm module, storage lease, recovery, App open). */
  openMs: number | null;
  openParts: { module: number; lease: number; recovery: number; app: number } | null;
}

export interface ImportFile {
  /** Storage key, e.g. "<collectionId>/<recordId>/<file>". */
  path: string;
  bytes: Uint8Array;
}

/** Persisting failed; what the waiting call is told. */
interface Failure {
  quota: boolean;
  error: unknown;
}

interface Waiter {
  point: number;
  resolve: (failure: Failure | null) => void;
}

/** Fact lookups one request may need (a thumbnail: its own stat, the original's, its bytes). */
const MAX_LOOKUPS = 8;

export class ImportError extends Error {
  readonly status = 400;
}

export class Engine {
  private readonly policy: SnapshotPolicy;
  private core: CoreBackend | null = null;
  private lease: StorageLease | null = null;
  private opening: Promise<void> | null = null;
  private closed = false;

  /** Commits (core.commitCount()) covered by durable records. */
  private durableCount = 0;
  private waiters: Waiter[] = [];
  private writing: Promise<void> | null = null;
  private snapshotting: Promise<void> | null = null;
  private exclusive: Promise<void> | null = null;
  /** Deletions that must finish before the next snapshot (they may name its file). */
  private cleanup: Promise<void> = Promise.resolve();

  /** Snapshot the database was last based on, and the records persisted since (seq → bytes). */
  private snapshotSeq = 0;
  private readonly logSizes = new Map<number, number>();
  private snapshotRetryAt = 0;
  private lastRecovery: Omit<RecoveryResult, "background"> | null = null;
  private lastSnapshot: { seq: number; bytes: number; ms: number } | null = null;
  private openMs: number | null = null;
  private openParts: EngineStatus["openParts"] = null;
  private readonly realtime = new RealtimeStreams({
    current: () => this.core,
    released: () => (this.durable && !this.options.relaxed ? this.durableCount : Infinity),
    tick: () => this.realtimeTick(),
  });

  /** Uploaded files: next to the log in the lease's storage, or in memory without one. */
  private readonly memoryFiles = new MemoryAdapter();
  private readonly files = new FileHost(() => this.fileAdapter());

  constructor(private readonly options: EngineOptions) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
  }

  get durable(): boolean {
    return this.options.storage !== null;
  }

  /** Opens the database (takes the lease, recovers) if it is not open yet. */
  async start(): Promise<void> {
    await this.ready();
  }

  /** Answers one request. Resolves for every outcome (HTTP errors are Responses). */
  async handle(request: Request): Promise<Response> {
    if (this.closed) throw new Error("larder: backend is closed");
    if (declaredTooLarge(request)) return tooLargeResponse();
    if (isMultipart(request)) {
      let staged: CoreCall | null;
      try {
        staged = await stageUploads(request, this.fileAdapter());
      } catch (err) {
        if (err instanceof BodyTooLarge) return tooLargeResponse();
        const quota = isQuotaError(err);
        return this.storageError(quota ? 507 : 503, `The upload could not be stored (${message(err)}); nothing was changed.`, quota ? "quota" : "failed");
      }
      if (staged) return this.run(staged);
    }
    const call = await toCoreCall(request);
    if (call.body.length > BODY_LIMIT) return tooLargeResponse();
    return this.run(call);
  }

  /** Where uploaded files go: next to the log, or in memory without storage. */
  private fileAdapter(): StorageAdapter {
    return this.lease?.adapter ?? this.memoryFiles;
  }

  /** Runs one core call with the ordering and durability rules above. */
  async run(call: CoreCall, rerun = false): Promise<Response> {
    try {
      // Re-checked after the await: an import or a suspend may have started in between, and the
      // core call below must run entirely before or after it.
      while (!this.core || this.exclusive) await this.readyWithin(this.options.openTimeoutMs);
    } catch (err) {
      return this.storageError(503, `The backend is not available: ${message(err)}`, "unavailable");
    }
    const core = this.core;
    let before!: number;
    let res!: CoreResponse;
    let after!: number;
    // A run may stop at a fact about a stored file the core does not have (files.ts): look it
    // up, supply it and run again; the same for an outgoing request (OAuth2). A run that stops
    // has done nothing.
    for (let round = 0; ; round++) {
      let answer: CoreAnswer;
      try {
        before = core.commitCount();
        answer = runCore(core, call);
        after = core.commitCount();
        // Any call may have published (a write) or closed clients (App::handle sweeps).
        if (!answer.need) this.realtime.pump();
      } catch (err) {
        // The core threw into JS (a wasm trap: a bug, or memory exhausted). Its state cannot be
        // trusted: drop it; the next call recovers from storage.
        void this.poison(core, err);
        return errorResponse(500, "Something went wrong while processing your request.");
      }
      if (!answer.need) {
        res = answer;
        break;
      }
      if (round >= MAX_LOOKUPS) return errorResponse(500, "Something went wrong while processing your request.");
      let supply: (c: CoreBackend) => void;
      try {
        supply = answer.need.kind === "fetch" ? await fetchForCore(answer.need.key) : await this.files.lookup(answer.need);
      } catch (err) {
        return this.storageError(503, `A stored file could not be read (${message(err)}).`, "failed");
      }
      // The core may have been replaced (rollback, import) while we looked: start over.
      if (this.core !== core || this.exclusive) return this.run(call, rerun);
      supply(core);
    }

    // File operations of this call, in the native order (record_files.h): uploads durable
    // before the record that references them, removals once that record is durable.
    const puts = res.fileOps.filter((op) => op.kind === "put");
    const removals = res.fileOps.filter((op) => op.kind !== "put");
    const unused = stagedIds(call).filter((id) => !puts.some((op) => op.staged === id));
    if (unused.length) void discard(this.fileAdapter(), unused);
    const commits = this.durable && after > this.durableCount;
    const written = puts.length ? this.files.put(puts) : null;
    if (written && commits) {
      written.catch(() => {}); // the writer loop reports it (and rolls back)
      this.stagedFiles.push(written);
    } else if (written) {
      // No record to wait for (a thumbnail made on a GET, or no persistence at all).
      try {
        await written;
      } catch (err) {
        console.error("larder: storing a file failed:", err);
      }
    }

    // A realtime answer opens its stream only as it leaves; from then on its frames wait for
    // durability by themselves (RealtimeStreams.released).
    const answer = async (): Promise<Response> => {
      if (res.streamClient) return this.realtime.open(core, res, this.options.responseHeader);
      if (!res.filePath) return toResponse(res, call.method, this.options.responseHeader);
      const file = await this.files.open(res.filePath);
      if (!file) return errorResponse(404, "The requested resource wasn't found.");
      return toResponse(res, call.method, this.options.responseHeader, file);
    };
    if (!commits) {
      this.files.remove(removals);
      return answer();
    }
    this.kick();
    if (this.options.relaxed) {
      void this.whenDurable(after).then((failure) => (failure ? this.files.undo(puts) : this.files.remove(removals)));
      return answer();
    }

    const failure = await this.whenDurable(after);
    if (!failure) {
      this.files.remove(removals);
      return answer();
    }
    this.files.undo(puts);
    // A call that changed nothing only read state that has now been rolled back: run it again.
    if (after === before && !rerun) return this.run(call, true);
    return failure.quota
      ? this.storageError(507, "Not enough storage space to save the change; nothing was changed.", "quota")
      : this.storageError(503, `The change could not be saved (${message(failure.error)}); nothing was changed.`, "failed");
  }

  /** Resolves once commits up to `point` are durable (null) or failed to persist. */
  private whenDurable(point: number): Promise<Failure | null> {
    return new Promise<Failure | null>((resolve) => this.waiters.push({ point, resolve }));
  }

  /** An answer from the host itself, in PocketBase's error envelope; X-Larder-Storage says why. */
  private storageError(status: number, text: string, kind: string): Response {
    const headers: Record<string, string> = { "X-Larder-Storage": kind };
    const extra = this.options.responseHeader;
    if (extra) headers[extra[0]] = extra[1];
    return errorResponse(status, text, headers);
  }

  // ---- opening, the lease, suspending -------------------------------------------------------------

  private async readyWithin(ms: number | undefined): Promise<void> {
    if (ms === undefined || this.core) return this.ready();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the database is in use by another worker")), ms);
    });
    try {
      await Promise.race([this.ready(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once the core is open and no exclusive operation runs. */
  private async ready(): Promise<void> {
    for (;;) {
      if (this.closed) throw new Error("the backend is closed");
      if (this.exclusive) {
        await this.exclusive.catch(() => {});
        continue;
      }
      if (this.core) return;
      this.opening ??= this.open().finally(() => (this.opening = null));
      await this.opening;
    }
  }

  private async open(): Promise<void> {
    const t0 = performance.now();
    const module = await this.options.module();
    const t1 = performance.now();
    const lease = this.options.storage ? await this.options.storage() : null;
    const t2 = performance.now();
    const core = new module.Backend(JSON.stringify({ dataDir: this.options.dataDir, durable: lease !== null }));
    let t3 = t2;
    try {
      if (lease) {
        // Uploads staged by calls that never finished (a crash) are nobody's.
        await lease.adapter.removeTree?.(STAGING_DIR).catch(() => {});
        const r = await recover(core, lease.adapter);
        const { background, ...summary } = r;
        this.cleanup = background;
        this.lastRecovery = summary;
        this.snapshotSeq = r.snapshotSeq;
        this.logSizes.clear();
        // Replayed records count towards the next snapshot (sizes are averaged, exact enough).
        for (let s = r.snapshotSeq + 1; s <= r.lastSeq; s++) this.logSizes.set(s, r.logBytes / Math.max(1, r.logsReplayed));
      }
      t3 = performance.now();
      const err = core.open();
      if (err) throw new Error(err);
      await this.applySchema(core);
    } catch (err) {
      core.delete();
      await lease?.release();
      throw err;
    }
    this.core = core;
    this.lease = lease;
    this.durableCount = 0; // a fresh core counts from 0; a bootstrap commit (new database) is 1
    const t4 = performance.now();
    this.openMs = t4 - t0;
    this.openParts = { module: t1 - t0, lease: t2 - t1, recovery: t3 - t2, app: t4 - t3 };
    if (this.lastRecovery) this.emit({ type: "recovered", recovery: this.lastRecovery, openMs: this.openMs });
    this.kick();
  }

  /**
   * The app's schema (setup.ts) on the freshly opened core, before any request runs on it. Its
   * commit is persisted like any other. A schema that does not apply is reported (console and
   * onEvent) and the backend serves the database as it is, rather than not at all.
   */
  private async applySchema(core: CoreBackend): Promise<void> {
    if (!this.options.schema) return;
    try {
      const schema = await this.options.schema();
      if (!schema) return;
      const { seeded } = applyAppSchema(core, schema);
      this.emit({ type: "schema-applied", seeded });
    } catch (error) {
      console.error("larder: the app schema was not applied:", error);
      this.emit({ type: "schema-failed", error });
    }
  }

  /** Drains, closes the core and gives the lease back. The next request opens again. */
  async suspend(): Promise<void> {
    if (!this.core && !this.opening) return;
    await this.exclusively(async (core) => {
      this.realtime.closeAll();
      core.close();
      core.delete();
      this.core = null;
      await this.cleanup.catch(() => {});
      const lease = this.lease;
      this.lease = null;
      await lease?.release();
    });
  }

  /** Suspends for good: later calls fail. */
  async close(): Promise<void> {
    await this.suspend();
    this.closed = true;
  }

  /**
   * Runs `fn` with the core open, every earlier commit persisted and no snapshot being written;
   * calls that arrive meanwhile wait (imports, exports, suspending).
   */
  private async exclusively<T>(fn: (core: CoreBackend) => Promise<T> | T): Promise<T> {
    for (;;) {
      await this.ready();
      if (!this.exclusive) break;
    }
    let release!: () => void;
    this.exclusive = new Promise<void>((r) => (release = r));
    try {
      while (this.writing || this.snapshotting) await (this.writing ?? this.snapshotting);
      if (!this.core) throw new Error("the database could not be reopened");
      return await fn(this.core);
    } finally {
      this.exclusive = null;
      release();
    }
  }

  // ---- group commit ---------------------------------------------------------------------------------

  /** Starts the writer loop if commits wait for persistence and no record is being written. */
  private kick(): void {
    const core = this.core;
    if (this.writing || !core || !this.lease || core.commitCount() <= this.durableCount) return;
    this.writing = this.writeLoop(core, this.lease.adapter)
      .catch((err) => void this.poison(core, err))
      .finally(() => {
        this.writing = null;
        // Commits made while the loop was finishing must not wait for a loop that is gone.
        this.kick();
        this.maybeSnapshot();
      });
  }

  /**
   * The core failed in a way that leaves its memory suspect. Stop using it: the record being
   * written (if any) still settles its calls; every other waiting call is told nothing was saved;
   * the lease is released and the next call reopens from storage, on a fresh module.
   */
  private async poison(core: CoreBackend, error: unknown): Promise<void> {
    if (this.core !== core) return;
    console.error("larder: the core failed; reopening from storage:", error);
    this.core = null;
    this.realtime.closeAll();
    await this.writing?.catch(() => {});
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve({ quota: false, error });
    try {
      core.delete();
    } catch {
      // an aborted module cannot even free
    }
    this.options.onCoreFailure?.();
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
  }

  private async writeLoop(core: CoreBackend, adapter: StorageAdapter): Promise<void> {
    while (this.core === core) {
      const target = core.commitCount();
      if (target <= this.durableCount) return;
      // Uploaded files the calls of this group wrote must be closed before the record that
      // references them (nothing half-done; files.ts).
      const files = this.stagedFiles.splice(0);
      const rec = core.takeCommit();
      if (rec === null) {
        this.settle(target); // committed transactions that changed no bytes
        continue;
      }
      if ("error" in rec) {
        await this.fail(core, adapter, new Error(rec.error), null);
        continue;
      }
      try {
        await Promise.all(files);
        await adapter.write(logPath(rec.seq), rec.bytes);
      } catch (err) {
        await this.fail(core, adapter, err, rec);
        continue;
      }
      core.persisted(rec.seq);
      this.logSizes.set(rec.seq, rec.bytes.length);
      this.settle(target);
    }
  }

  /** Uploaded-file writes (one promise per file) the next record must wait for. */
  private readonly stagedFiles: Promise<void>[] = [];

  private settle(point: number): void {
    this.durableCount = point;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.point <= point) w.resolve(null);
      else still.push(w);
    }
    this.waiters = still;
    // The events of these commits may go out now (never before their record is durable).
    this.realtime.pump();
  }

  /** Persisting failed: roll the core back to the last durable state and tell every waiter. */
  private async fail(core: CoreBackend, adapter: StorageAdapter, error: unknown, rec: CoreRecord | null): Promise<void> {
    this.emit({ type: "persist-failed", error, relaxed: !!this.options.relaxed });
    if (this.options.relaxed) console.error("larder: a change could not be persisted and was rolled back:", error);
    // Events of the rolled-back commits must never be seen: end the streams with them unsent.
    this.realtime.closeAll();
    core.rollback();
    this.durableCount = core.commitCount();
    const waiters = this.waiters;
    this.waiters = [];
    // Reopen before the first await: rollback() closed the App, and a call that arrives while
    // the failed file is being removed must run on the rolled-back state, not be answered "The
    // database is not open." (503). Its commit waits for the writer loop, which resumes only
    // after this returns, so the failed record's number is still never reused too early.
    const err = core.open();
    // If even the rolled-back state does not open, the core is closed from here on: calls that
    // arrive during the awaits below must wait (and then reopen from storage), not run on it
    // and be answered "The database is not open." (503).
    let unblock: (() => void) | null = null;
    if (err && !this.exclusive) this.exclusive = new Promise<void>((r) => (unblock = r));
    // The failed file may exist (empty or partial). Remove it before its number is used again.
    if (rec) await adapter.remove(logPath(rec.seq)).catch(() => {});
    if (err) {
      // The persisted state cannot even be opened: start over from storage on the next call.
      console.error("larder: reopening after a failed persist failed:", err);
      core.delete();
      this.core = null;
      const lease = this.lease;
      this.lease = null;
      await lease?.release();
    }
    if (unblock) {
      this.exclusive = null;
      (unblock as () => void)();
    }
    const failure = { quota: isQuotaError(error), error };
    for (const w of waiters) w.resolve(failure);
  }

  // ---- snapshots ------------------------------------------------------------------------------------

  private logStats(): { logs: number; bytes: number } {
    let bytes = 0;
    for (const b of this.logSizes.values()) bytes += b;
    return { logs: this.logSizes.size, bytes };
  }

  private maybeSnapshot(): void {
    const core = this.core;
    if (this.snapshotting || this.exclusive || !core || !this.lease) return;
    const { logs, bytes } = this.logStats();
    if (logs < this.snapshotRetryAt || !snapshotDue(this.policy, logs, bytes, core.databaseSize())) return;
    const adapter = this.lease.adapter;
    this.snapshotting = this.writeSnapshot(core, adapter)
      .catch((error) => {
        this.snapshotRetryAt = logs + this.policy.minLogs; // e.g. quota: do not retry on every write
        this.emit({ type: "snapshot-failed", error });
      })
      .finally(() => (this.snapshotting = null));
  }

  private async writeSnapshot(core: CoreBackend, adapter: StorageAdapter): Promise<void> {
    await this.cleanup;
    const t0 = performance.now();
    // The persisted state, even with a record in flight; copied out in one synchronous go.
    const head = core.snapshotBegin();
    const snap = { seq: head.seq, bytes: drainStream(core, head.size) };
    if (snap.seq <= this.snapshotSeq) return;
    await adapter.write(snapPath(snap.seq), snap.bytes);
    const previous = this.snapshotSeq;
    this.snapshotSeq = snap.seq;
    this.snapshotRetryAt = 0;
    for (const seq of [...this.logSizes.keys()]) if (seq <= snap.seq) this.logSizes.delete(seq);
    this.lastSnapshot = { seq: snap.seq, bytes: snap.bytes.length, ms: performance.now() - t0 };
    this.emit({ type: "snapshot", ...this.lastSnapshot });
    // What the snapshot covers: the records up to it and the previous snapshot.
    const doomed: string[] = [];
    for (let s = previous + 1; s <= snap.seq; s++) doomed.push(logPath(s));
    if (previous > 0) doomed.push(snapPath(previous));
    this.cleanup = Promise.all(doomed.map((p) => adapter.remove(p).catch(() => {}))).then(() => {});
  }

  // ---- export, import, diagnostics ------------------------------------------------------------------

  /** The database as a plain SQLite file (PocketBase opens it as pb_data/data.db). */
  async exportDatabase(): Promise<Uint8Array> {
    return this.exclusively((core) => core.exportDatabase());
  }

  /**
   * Replaces the database with `db` (a PocketBase data.db or an export), after SQLite's
   * quick_check. Durable once it resolves; on any error nothing changed. `files` are uploaded
   * files to store next to it (keys as in PocketBase's storage/ folder).
   */
  async importDatabase(db: Uint8Array, files: ImportFile[] = []): Promise<void> {
    await this.exclusively(async (core) => {
      const why = stageImport(core, db);
      if (why) throw new ImportError(why);
      const adapter = this.lease?.adapter;
      let seq: number;
      try {
        const head = core.importSnapshotBegin();
        seq = head.seq;
        const bytes = drainStream(core, head.size);
        // Files first (in memory too, without a lease), then the snapshot that references them.
        const fileStore = adapter ?? this.memoryFiles;
        for (const f of files) await fileStore.write(`${FILES_DIR}/${safeKey(f.path)}`, f.bytes);
        if (adapter) {
          await this.cleanup;
          await adapter.write(snapPath(seq), bytes);
        }
      } catch (err) {
        core.importAbort();
        throw err;
      }
      this.realtime.closeAll(); // their clients belong to the App being closed
      core.importCommit(); // closes the App: the imported database is current
      this.durableCount = core.commitCount();
      const err = core.open();
      if (err) throw new Error(err);
      if (adapter) {
        const doomed: string[] = [];
        for (let s = this.snapshotSeq + 1; s < seq; s++) doomed.push(logPath(s));
        if (this.snapshotSeq > 0) doomed.push(snapPath(this.snapshotSeq));
        this.snapshotSeq = seq;
        this.logSizes.clear();
        this.cleanup = Promise.all(doomed.map((p) => adapter.remove(p).catch(() => {}))).then(() => {});
      }
    });
    this.kick(); // the reopen may have committed (a database without PocketBase's tables)
  }

  /** The realtime timer: expire idle clients even when no request arrives, and pump. */
  private realtimeTick(): void {
    const core = this.core;
    if (!core) return this.realtime.pump(); // ends streams of a core that is gone
    try {
      core.realtimeSweep();
    } catch (err) {
      void this.poison(core, err);
      return;
    }
    this.realtime.pump();
  }

  /**
   * The core's mail outbox (GET /api/larder/outbox, read as the host's own superuser: the page
   * reaches it only through the worker's message port), newest first; `clear` empties it after.
   */
  async outbox(clear = false): Promise<unknown[]> {
    await this.ready();
    const core = this.core!;
    const res = core.handleAsHost("GET", "/api/larder/outbox", "", new Uint8Array(0));
    if (res.need || res.status !== 200) throw new Error(`the outbox is not available (${res.need ? res.need.kind : res.status})`);
    const mails = JSON.parse(new TextDecoder().decode(res.body)) as unknown[];
    if (clear) core.handleAsHost("DELETE", "/api/larder/outbox", "", new Uint8Array(0));
    return mails;
  }

  /** PRAGMA integrity_check on the current database: "ok" when intact. */
  async integrityCheck(): Promise<string> {
    return this.exclusively((core) => core.integrityCheck());
  }

  /**
   * Writes a snapshot now (if anything was persisted since the last one) and deletes what it
   * covers, so the next start reads one file. Useful after bulk writes.
   */
  async compact(): Promise<void> {
    await this.exclusively(async (core) => {
      if (this.lease) await this.writeSnapshot(core, this.lease.adapter);
    });
  }

  /** Waits until everything committed so far is durable. */
  async flush(): Promise<void> {
    await this.exclusively(() => undefined);
  }

  status(): EngineStatus {
    const core = this.core;
    const { logs, bytes } = this.logStats();
    return {
      open: core !== null,
      durable: this.durable,
      relaxed: !!this.options.relaxed,
      commitCount: core?.commitCount() ?? 0,
      durableCount: this.durableCount,
      lastSeq: core?.lastSeq() ?? 0,
      persistedSeq: core?.persistedSeq() ?? 0,
      snapshotSeq: this.snapshotSeq,
      logsSinceSnapshot: logs,
      logBytesSinceSnapshot: bytes,
      databaseSize: core?.databaseSize() ?? 0,
      lastRecovery: this.lastRecovery,
      lastSnapshot: this.lastSnapshot,
      openMs: this.openMs,
      openParts: this.openParts,
    };
  }

  private emit(event: EngineEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (err) {
      console.error("larder: event handler failed:", err);
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A storage key as a relative path without "." / ".." segments. */
function safeKey(path: string): string {
  const parts = path.split("/").filter((p) => p && p !== "." && p !== "..");
  if (parts.length === 0) throw new ImportError(`invalid file path "${path}"`);
  return parts.join("/");
}
