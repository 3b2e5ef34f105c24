// Moving whole databases across the JS/wasm boundary in chunks, so a big database never exists
// twice in wasm memory (wasm memory never shrinks: a 100 MB copy would stay allocated forever).
import type { CoreBackend } from "../core.js";

const CHUNK = 4 << 20;

/** Drains a snapshot stream the core has begun into one buffer. Synchronous on purpose: the
 * stream reads the core's live state, which must not change until it is drained. */
export function drainStream(core: CoreBackend, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const chunk = core.streamNext(Math.min(CHUNK, size - at));
    if (chunk.length === 0) throw new Error("larder: snapshot stream ended early");
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Feeds a snapshot file to the core; true if it was intact and is now the database. */
export function loadSnapshot(core: CoreBackend, bytes: Uint8Array): boolean {
  core.loadBegin();
  for (let at = 0; at < bytes.length; at += CHUNK) {
    if (!core.loadChunk(bytes.subarray(at, at + CHUNK))) break;
  }
  return core.loadEnd();
}

/** Stages a database for import; "" if it passed the checks, else why not. */
export function stageImport(core: CoreBackend, db: Uint8Array): string {
  core.importBegin();
  for (let at = 0; at < db.length; at += CHUNK) core.importChunk(db.subarray(at, at + CHUNK));
  const why = core.importEnd();
  if (why) core.importAbort();
  return why;
}
