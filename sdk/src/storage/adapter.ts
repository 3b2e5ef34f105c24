// The one small interface between the storage engine (engine.ts) and wherever bytes are kept:
// OPFS in the service worker (opfs.ts), a directory in Node (node-fs.ts), memory in tests
// (MemoryAdapter below). Paths are relative, "/"-separated: "log/0000000000000042".
//
// The engine relies on exactly one property beyond plain reads and writes: write() is
// all-or-nothing. After a crash a path holds either its old state (absent) or the complete new
// bytes — or an empty/garbled file that fails the record checksum, which recovery treats like an
// absent one. OPFS gives this on close() (Chromium writes a swap file and renames it); the Node
// adapter writes a temporary file, fsyncs and renames.
export interface StorageAdapter {
  /** File names directly inside `dir` (no sub-directories); [] if it does not exist. */
  list(dir: string): Promise<string[]>;
  /** The whole file, or null if it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /** Creates or replaces the file, all-or-nothing; resolves once it is durable. */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Deletes the file; no error if it does not exist. */
  remove(path: string): Promise<void>;
  /** Releases handles and locks (optional). */
  close?(): Promise<void>;

  // For uploaded files (files.ts); without them files fall back to read() and list().
  /** Size and modification time, or null if the file does not exist. */
  stat?(path: string): Promise<FileStat | null>;
  /** The file as a Blob that streams from storage (not read into memory), or null. */
  blob?(path: string): Promise<Blob | null>;
  /** Deletes the directory and everything under it; no error if it does not exist. */
  removeTree?(dir: string): Promise<void>;
  /** write() of a Blob, streamed from it rather than read into memory first. */
  writeBlob?(path: string, blob: Blob): Promise<void>;
  /** Renames a file (replacing `to`), durably; rejects if `from` does not exist. */
  move?(from: string, to: string): Promise<void>;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** Keeps files in a Map: for tests, and to fake failures (see `failWrites`). */
export class MemoryAdapter implements StorageAdapter {
  readonly files = new Map<string, Uint8Array>();
  private readonly mtimes = new Map<string, number>();
  /** When set, write() rejects with this error (a stand-in for a full disk). */
  failWrites: Error | null = null;

  async list(dir: string): Promise<string[]> {
    const prefix = dir ? `${dir}/` : "";
    const names: string[] = [];
    for (const path of this.files.keys()) {
      if (path.startsWith(prefix) && !path.slice(prefix.length).includes("/")) names.push(path.slice(prefix.length));
    }
    return names;
  }
  async read(path: string): Promise<Uint8Array | null> {
    return this.files.get(path)?.slice() ?? null;
  }
  async write(path: string, bytes: Uint8Array): Promise<void> {
    await Promise.resolve();
    if (this.failWrites) throw this.failWrites;
    this.files.set(path, bytes.slice());
    this.mtimes.set(path, Date.now());
  }
  async remove(path: string): Promise<void> {
    this.files.delete(path);
    this.mtimes.delete(path);
  }
  async stat(path: string): Promise<FileStat | null> {
    const bytes = this.files.get(path);
    return bytes ? { size: bytes.length, mtimeMs: this.mtimes.get(path) ?? 0 } : null;
  }
  async blob(path: string): Promise<Blob | null> {
    const bytes = this.files.get(path);
    return bytes ? new Blob([bytes.slice() as Uint8Array<ArrayBuffer>]) : null;
  }
  async removeTree(dir: string): Promise<void> {
    for (const path of [...this.files.keys()]) if (path.startsWith(`${dir}/`)) await this.remove(path);
  }
  async writeBlob(path: string, blob: Blob): Promise<void> {
    await this.write(path, new Uint8Array(await blob.arrayBuffer()));
  }
  async move(from: string, to: string): Promise<void> {
    const bytes = this.files.get(from);
    if (!bytes) throw new Error(`${from} does not exist`);
    this.files.set(to, bytes);
    this.mtimes.set(to, Date.now());
    await this.remove(from);
  }
}

/** True for the errors a full disk or an exhausted browser quota produce. */
export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null;
  return e?.name === "QuotaExceededError" || e?.code === "ENOSPC" || e?.code === "EDQUOT";
}
