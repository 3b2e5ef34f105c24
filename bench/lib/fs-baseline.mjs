// The files bench's baseline: the least a server must do to store an upload durably and serve
// it back, in plain Node fs on the same file system: write the bytes to a new temp file, fsync,
// rename into place, fsync the directory; read: open, one read of the whole file into a
// reused buffer, close. (Larder also writes an .attrs sidecar, makes the record's folder and
// commits a SQLite row with synchronous=FULL; none of that is in the baseline.)
import { mkdirSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";

export class FsBaseline {
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.files = [];
  }

  async write(bytes, name) {
    const tmp = join(this.dir, `.tmp-${name}`);
    const final = join(this.dir, name);
    const fh = await open(tmp, "wx", 0o644);
    try {
      let done = 0;
      while (done < bytes.length) done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    const d = await open(this.dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
    this.files.push(final);
  }

  /** Reads file `i` (round robin over those written) into `buf`; returns the byte count. */
  async read(i, buf) {
    const fh = await open(this.files[i % this.files.length], "r");
    try {
      let done = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, done);
        if (bytesRead === 0) return done;
        done += bytesRead;
        if (done === buf.length) return done;
      }
    } finally {
      await fh.close();
    }
  }
}
