// One writer per origin. The database in OPFS is written by whichever worker holds the Web Lock
// "larder-db"; a worker takes it when it first needs the database and keeps it while it runs
// (the browser drops it when the worker is stopped). An installing worker never touches the
// database; when a new version activates it broadcasts "takeover", and the old worker drains
// (pending commits persisted, exclusive operations finished), closes and releases the lock —
// the new worker's first request, which was waiting for the lock, then recovers from OPFS.
import type { StorageAdapter } from "../../sdk/src/storage/adapter.js";
import type { Engine, StorageLease } from "../../sdk/src/storage/engine.js";

export const LOCK_NAME = "larder-db";
const CHANNEL = "larder-sw";

/** A lease factory for the engine: the lock, then the adapter. */
export function webLockLease(adapter: StorageAdapter): () => Promise<StorageLease> {
  return () =>
    new Promise<StorageLease>((resolve, reject) => {
      navigator.locks
        .request(LOCK_NAME, { mode: "exclusive" }, () => {
          // Held until release() resolves this promise.
          return new Promise<void>((release) => resolve({ adapter, release: async () => release() }));
        })
        .catch(reject);
    });
}

/** Wires the takeover broadcast for `engine`; returns the call for the activate handler. */
export function takeover(engine: Engine, version: string): { announce(): void } {
  const me = crypto.randomUUID();
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent<{ type?: string; from?: string }>) => {
    if (e.data?.type === "takeover" && e.data.from !== me) {
      void engine.suspend().catch((err) => console.error("larder: handing over the database failed:", err));
    }
  };
  return {
    announce() {
      channel.postMessage({ type: "takeover", from: me, version });
    },
  };
}
