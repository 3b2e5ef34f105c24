// StorageAdapter over a directory, for createBackend({ dir }) in Node (and Bun, Deno with node:
// compatibility). Writes are all-or-nothing the POSIX way: temporary file, fsync, rename, fsync
// the directory. A LOCK file holding the owner's pid keeps a second process (or a second backend
// in this one) from opening the same directory: the commit log has exactly one writer.
import type { FileStat, StorageAdapter } from "./adapter.js";

const fsp = () => import("node:fs/promises");
const pathMod = () => import("node:path");

const lockedHere = new Set<string>();
let tmpCounter = 0;

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

export class NodeFsAdapter implements StorageAdapter {
  private locked = false;
  private readonly made = new Set<string>();

  private constructor(private readonly root: string) {}

  /** Opens (creating) `dir` and takes its lock; throws if another live process holds it. */
  static async open(dir: string): Promise<NodeFsAdapter> {
    const { resolve } = await pathMod();
    const adapter = new NodeFsAdapter(resolve(dir));
    await adapter.lock();
    return adapter;
  }

  private async full(path: string): Promise<string> {
    const { join } = await pathMod();
    return join(this.root, ...path.split("/"));
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await (await fsp()).mkdir(dir, { recursive: true });
    this.made.add(dir);
  }

  private async lock(): Promise<void> {
    const fs = await fsp();
    const { join } = await pathMod();
    await this.ensureDir(this.root);
    if (lockedHere.has(this.root)) throw new Error(`larder: ${this.root} is already open in this process`);
    const lockPath = join(this.root, "LOCK");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await fs.open(lockPath, "wx");
        await fh.writeFile(String(process.pid));
        await fh.close();
        lockedHere.add(this.root);
        this.locked = true;
        return;
      } catch (err) {
        if (code(err) !== "EEXIST") throw err;
        const owner = Number((await fs.readFile(lockPath, "utf8").catch(() => "")).trim());
        if (owner && owner !== process.pid && alive(owner)) {
          throw new Error(`larder: ${this.root} is in use by process ${owner}`);
        }
        await fs.rm(lockPath, { force: true }); // a stale lock from a process that is gone
      }
    }
    throw new Error(`larder: cannot lock ${this.root}`);
  }

  async list(dir: string): Promise<string[]> {
    const fs = await fsp();
    try {
      const entries = await fs.readdir(await this.full(dir), { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (err) {
      if (code(err) === "ENOENT") return [];
      throw err;
    }
  }

  async read(path: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await (await fsp()).readFile(await this.full(path)));
    } catch (err) {
      if (code(err) === "ENOENT") return null;
      throw err;
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const fs = await fsp();
    const { dirname } = await pathMod();
    const target = await this.full(path);
    const dir = dirname(target);
    await this.ensureDir(dir);
    const tmp = `${target}.tmp-${process.pid}-${++tmpCounter}`;
    try {
      const fh = await fs.open(tmp, "w");
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
    // The rename is durable once the directory entry is.
    const d = await fs.open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  async remove(path: string): Promise<void> {
    await (await fsp()).rm(await this.full(path), { force: true });
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const st = await (await fsp()).stat(await this.full(path));
      return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
    } catch (err) {
      if (code(err) === "ENOENT" || code(err) === "ENOTDIR") return null;
      throw err;
    }
  }

  async blob(path: string): Promise<Blob | null> {
    const fs = await import("node:fs");
    const full = await this.full(path);
    if (!(await this.stat(path))) return null;
    // openAsBlob (Node ≥ 19.8) streams from the file; older runtimes read it whole.
    const open = (fs as unknown as { openAsBlob?: (p: string) => Promise<Blob> }).openAsBlob;
    return open ? open(full) : new Blob([await fs.promises.readFile(full)]);
  }

  async writeBlob(path: string, blob: Blob): Promise<void> {
    await this.write(path, new Uint8Array(await blob.arrayBuffer()));
  }

  async move(from: string, to: string): Promise<void> {
    const fs = await fsp();
    const { dirname } = await pathMod();
    const target = await this.full(to);
    await this.ensureDir(dirname(target));
    await fs.rename(await this.full(from), target);
    const d = await fs.open(dirname(target), "r"); // the rename is durable once the entry is
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  async removeTree(dir: string): Promise<void> {
    await (await fsp()).rm(await this.full(dir), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    lockedHere.delete(this.root);
    const { join } = await pathMod();
    await (await fsp()).rm(join(this.root, "LOCK"), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) === "EPERM";
  }
}
