// StorageAdapter over the Origin Private File System, for the service worker (and pages).
// Service workers have no synchronous access handles, so every write is a new file written with
// createWritable() and made visible atomically by close() (BROWSER-NOTES: never edit a big file
// in place — keepExistingData copies the whole file first).
import type { StorageAdapter } from "./adapter.js";

function isNotFound(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === "NotFoundError";
}

export class OpfsAdapter implements StorageAdapter {
  // Directory handles are cached: resolving a path costs a round trip to the browser per level.
  private readonly dirs = new Map<string, Promise<FileSystemDirectoryHandle>>();

  /** `root` is a directory in the origin's OPFS that holds everything Larder stores. */
  constructor(private readonly root = "larder") {}

  private dir(path: string): Promise<FileSystemDirectoryHandle> {
    let p = this.dirs.get(path);
    if (!p) {
      p = (async () => {
        let d = await navigator.storage.getDirectory();
        for (const part of [this.root, ...path.split("/")].filter(Boolean)) d = await d.getDirectoryHandle(part, { create: true });
        return d;
      })();
      p.catch(() => this.dirs.delete(path));
      this.dirs.set(path, p);
    }
    return p;
  }

  private split(path: string): [string, string] {
    const i = path.lastIndexOf("/");
    return i < 0 ? ["", path] : [path.slice(0, i), path.slice(i + 1)];
  }

  async list(dir: string): Promise<string[]> {
    const d = await this.dir(dir);
    const names: string[] = [];
    // entries() is an async iterator of [name, handle]; typed loosely for older lib.dom versions.
    const entries = (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
    for await (const [name, handle] of entries) if (handle.kind === "file") names.push(name);
    return names;
  }

  async read(path: string): Promise<Uint8Array | null> {
    const [dir, name] = this.split(path);
    try {
      const fh = await (await this.dir(dir)).getFileHandle(name);
      return new Uint8Array(await (await fh.getFile()).arrayBuffer());
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const [dir, name] = this.split(path);
    const fh = await (await this.dir(dir)).getFileHandle(name, { create: true });
    const writable = await fh.createWritable();
    try {
      await writable.write(bytes as Uint8Array<ArrayBuffer>);
      await writable.close(); // the atomic step
    } catch (err) {
      await writable.abort().catch(() => {});
      throw err;
    }
  }

  async remove(path: string): Promise<void> {
    const [dir, name] = this.split(path);
    try {
      await (await this.dir(dir)).removeEntry(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
