// StorageAdapter over the Origin Private File System, for the service worker (and pages).
// Service workers have no synchronous access handles, so every write is a new file written with
// createWritable() and made visible atomically by close() (BROWSER-NOTES: never edit a big file
// in place — keepExistingData copies the whole file first).
import type { FileStat, StorageAdapter } from "./adapter.js";

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

  async writeBlob(path: string, blob: Blob): Promise<void> {
    const [dir, name] = this.split(path);
    const fh = await (await this.dir(dir)).getFileHandle(name, { create: true });
    const writable = await fh.createWritable();
    try {
      await writable.write(blob); // Chromium copies a Blob to the file without a JS-side buffer
      await writable.close();
    } catch (err) {
      await writable.abort().catch(() => {});
      throw err;
    }
  }

  async move(from: string, to: string): Promise<void> {
    const [fromDir, fromName] = this.split(from);
    const [toDir, toName] = this.split(to);
    const fh = await (await this.dir(fromDir)).getFileHandle(fromName);
    const target = await this.dir(toDir);
    // FileSystemHandle.move() (Chromium 110+): a rename inside the origin's storage.
    const movable = fh as unknown as { move?: (dir: FileSystemDirectoryHandle, name: string) => Promise<void> };
    if (movable.move) return movable.move(target, toName);
    await this.writeBlob(to, await fh.getFile());
    await this.remove(from);
  }

  /** The File (a Blob backed by OPFS: slicing and streaming it reads from disk), or null. */
  private async file(path: string): Promise<File | null> {
    const [dir, name] = this.split(path);
    try {
      return await (await (await this.dir(dir)).getFileHandle(name)).getFile();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stat(path: string): Promise<FileStat | null> {
    const f = await this.file(path);
    return f ? { size: f.size, mtimeMs: f.lastModified } : null;
  }

  blob(path: string): Promise<Blob | null> {
    return this.file(path);
  }

  async removeTree(path: string): Promise<void> {
    const [dir, name] = this.split(path);
    for (const cached of [...this.dirs.keys()]) if (cached === path || cached.startsWith(`${path}/`)) this.dirs.delete(cached);
    try {
      await (await this.dir(dir)).removeEntry(name, { recursive: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
