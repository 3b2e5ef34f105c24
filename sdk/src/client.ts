// Page-side helper for Larder's service worker: backup (export) and restore (import) of the
// database, and diagnostics. Talks to the worker that controls the page over a MessageChannel
// (protocol.ts says why not over fetch).
//
//   import { larderClient } from "larder";
//   const larder = larderClient();
//   const bytes = await larder.exportDatabase();          // a data.db PocketBase can open
//   await larder.importDatabase(await file.arrayBuffer()); // replaces the database
import { PROTOCOL, type ClientReply, type ClientRequest, type OutboxMail, type WorkerStatus } from "./protocol.js";
import type { ImportFile } from "./storage/engine.js";

export interface LarderClient {
  /** The database as a plain SQLite file (PocketBase opens it as pb_data/data.db). */
  exportDatabase(): Promise<Uint8Array>;
  /**
   * Replaces the database (after SQLite's quick_check) and, optionally, stores uploaded files
   * (keys as in PocketBase's storage/ folder). Resolves once durable; on error nothing changed.
   */
  importDatabase(db: Uint8Array | ArrayBuffer | Blob, options?: { files?: ImportFile[] }): Promise<void>;
  /** PRAGMA integrity_check: "ok" when the database is intact. */
  integrityCheck(): Promise<string>;
  /** Writes a snapshot now, so the next start reads one file (e.g. after bulk writes). */
  compact(): Promise<void>;
  status(): Promise<WorkerStatus>;
  /**
   * The mails the backend would have sent (verification, password reset, email change, OTP),
   * newest first: there is no SMTP in a browser, so this is how the app shows them. Kept in the
   * worker's memory (the newest 200), so read them while the flow is under way. `clear` empties it.
   */
  outbox(options?: { clear?: boolean }): Promise<OutboxMail[]>;
}

export interface ClientOptions {
  /** The worker to talk to; default: the one controlling this page (or the registration's active one). */
  worker?: ServiceWorker;
}

export class LarderError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function target(options: ClientOptions): Promise<ServiceWorker> {
  if (options.worker) return options.worker;
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw) throw new Error("larder: service workers are not available here");
  if (sw.controller) return sw.controller;
  const reg = await sw.ready;
  if (!reg.active) throw new Error("larder: no active Larder service worker");
  return reg.active;
}

async function send<T>(options: ClientOptions, request: ClientRequest): Promise<T> {
  const worker = await target(options);
  const channel = new MessageChannel();
  const reply = new Promise<ClientReply>((resolve) => {
    channel.port1.onmessage = (e: MessageEvent<ClientReply>) => resolve(e.data);
  });
  worker.postMessage(request, [channel.port2]);
  const r = await reply;
  channel.port1.close();
  if (!r.ok) throw new LarderError(r.error, r.status);
  return r.value as T;
}

export function larderClient(options: ClientOptions = {}): LarderClient {
  return {
    exportDatabase: () => send<Uint8Array>(options, { protocol: PROTOCOL, op: "export" }),
    async importDatabase(db, opts = {}) {
      const bytes = db instanceof Blob ? new Uint8Array(await db.arrayBuffer()) : db instanceof ArrayBuffer ? new Uint8Array(db) : db;
      await send<void>(options, { protocol: PROTOCOL, op: "import", db: bytes, files: opts.files });
    },
    integrityCheck: () => send<string>(options, { protocol: PROTOCOL, op: "integrity-check" }),
    compact: () => send<void>(options, { protocol: PROTOCOL, op: "compact" }),
    status: () => send<WorkerStatus>(options, { protocol: PROTOCOL, op: "status" }),
    outbox: (opts = {}) => send<OutboxMail[]>(options, { protocol: PROTOCOL, op: "outbox", clear: opts.clear }),
  };
}
