// The messages between a page (client.ts) and Larder's service worker (worker/src/messages.ts):
// backup and restore, compaction, diagnostics. They travel with postMessage and a MessageChannel, never as
// fetch requests: nothing outside this origin's own pages can reach them (a cross-site form POST
// to an /api/ URL can — and an import replaces the whole database).
import type { EngineStatus, ImportFile } from "./storage/engine.js";

export const PROTOCOL = "larder/1";

export type ClientRequest =
  | { protocol: typeof PROTOCOL; op: "export" }
  | { protocol: typeof PROTOCOL; op: "import"; db: Uint8Array; files?: ImportFile[] }
  | { protocol: typeof PROTOCOL; op: "integrity-check" }
  | { protocol: typeof PROTOCOL; op: "compact" }
  | { protocol: typeof PROTOCOL; op: "status" }
  | { protocol: typeof PROTOCOL; op: "outbox"; clear?: boolean };

/** A mail the backend "sent" into its outbox (GET /api/larder/outbox), newest first. */
export interface OutboxMail {
  to: { address: string; name: string }[] | unknown;
  subject: string;
  html: string;
  text: string;
  sentAt: string;
}

export interface WorkerStatus extends EngineStatus {
  /** The core the worker runs ("larder/larder-core.<hash>"). */
  version: string;
}

export type ClientReply = { ok: true; value: unknown } | { ok: false; error: string; status: number };
