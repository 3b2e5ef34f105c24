// The host half of the browser file store (src/wasm/file_store.h): uploaded files live in the
// same StorageAdapter as the commit log, under storage/<collectionId>/<recordId>/<name> with an
// .attrs sidecar each (PocketBase's layout), and this is the only code that touches them.
//
// The core never waits for storage. When it lacks a fact it answers with a "need"; lookup()
// fetches it and gives back a function that hands it to the core synchronously, right before the
// engine runs the request again. A finished call brings file operations, which the engine orders
// around its commit exactly as the native server does: puts are durable before the log record
// that references them is written (the writer loop awaits them), removals start only once that
// record is durable, so a failed write never loses a file. Downloads are streamed from the
// stored file (a Blob), never copied into the wasm heap.
import type { CoreBackend, CoreFileOp, CoreNeed } from "../core.js";
import type { FileStat, StorageAdapter } from "./adapter.js";
import { FILES_DIR } from "./layout.js";
import { STAGING_DIR } from "./uploads.js";

const EMPTY = new Uint8Array(0);
const ATTRS = ".attrs";

/** A key the core produced, re-checked: "/"-separated, no empty, dot-leading or ".." parts. */
function pathOf(key: string): string {
  const parts = key.split("/");
  if (parts.some((p) => !p || p.startsWith(".") || p.includes("\\"))) throw new Error(`unsafe storage key "${key}"`);
  return `${FILES_DIR}/${key}`;
}

async function statOf(adapter: StorageAdapter, path: string): Promise<FileStat | null> {
  if (adapter.stat) return adapter.stat(path);
  const bytes = await adapter.read(path); // adapters without stat(): a user's own, e.g.
  return bytes ? { size: bytes.length, mtimeMs: Date.now() } : null;
}

export class FileHost {
  /** Removals run one after another; lookups wait for them, so nothing stale is reported. */
  private removals: Promise<void> = Promise.resolve();

  constructor(private readonly adapter: () => StorageAdapter) {}

  /** Fetches what the core asked for; the returned function supplies it (synchronously). */
  async lookup(need: CoreNeed): Promise<(core: CoreBackend) => void> {
    await this.removals;
    const adapter = this.adapter();
    const { key } = need;
    const path = pathOf(key);
    if (need.kind === "stat") {
      const st = await statOf(adapter, path);
      if (!st) return (core) => core.fileStat(key, false, 0, 0, EMPTY);
      const attrs = (await adapter.read(path + ATTRS)) ?? EMPTY;
      return (core) => core.fileStat(key, true, st.size, Math.floor(st.mtimeMs / 1000), attrs);
    }
    if (need.kind === "read") {
      const bytes = await adapter.read(path);
      return (core) => core.fileData(key, bytes !== null, bytes ?? EMPTY);
    }
    throw new Error(`the core asked for "${need.kind}", which this host cannot do`);
  }

  /** Writes a call's uploads (sidecar first, as natively); resolves once all are durable. */
  async put(ops: CoreFileOp[]): Promise<void> {
    const adapter = this.adapter();
    await Promise.all(
      ops.map(async (op) => {
        const path = pathOf(op.key);
        await adapter.write(path + ATTRS, op.attrs ?? EMPTY);
        if (op.staged) await move(adapter, `${STAGING_DIR}/${op.staged}`, path);
        else await adapter.write(path, op.data ?? EMPTY);
      }),
    );
  }

  /** Removes what a write that did not persist had uploaded (best effort). */
  undo(ops: CoreFileOp[]): void {
    this.remove(ops.map((op) => ({ kind: "remove", key: op.key })));
  }

  /** Carries out removals after the commit that made them is durable; failures are logged. */
  remove(ops: CoreFileOp[]): void {
    if (ops.length === 0) return;
    const adapter = this.adapter();
    this.removals = this.removals.then(async () => {
      for (const op of ops) {
        try {
          const path = pathOf(op.key);
          if (op.kind === "removePrefix") await removeTree(adapter, path);
          else await Promise.all([adapter.remove(path), adapter.remove(path + ATTRS)]);
        } catch (err) {
          console.error(`larder: removing stored file ${op.key} failed:`, err);
        }
      }
    });
  }

  /** The stored file a download names, for streaming; null if it is gone. */
  async open(key: string): Promise<Blob | null> {
    const adapter = this.adapter();
    const path = pathOf(key);
    if (adapter.blob) return adapter.blob(path);
    const bytes = await adapter.read(path);
    return bytes ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : null;
  }
}

async function move(adapter: StorageAdapter, from: string, to: string): Promise<void> {
  if (adapter.move) return adapter.move(from, to);
  const bytes = await adapter.read(from);
  if (!bytes) throw new Error(`the staged upload ${from} is gone`);
  await adapter.write(to, bytes);
  await adapter.remove(from);
}

async function removeTree(adapter: StorageAdapter, dir: string): Promise<void> {
  if (adapter.removeTree) return adapter.removeTree(dir);
  for (const name of await adapter.list(dir)) await adapter.remove(`${dir}/${name}`); // files only
}
