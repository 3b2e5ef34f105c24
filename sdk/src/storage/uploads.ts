// Uploads that never cross the wasm heap. A multipart request's files bigger than what the core
// sniffs types from are written to storage/.staging/<id> as they are (a Blob goes to OPFS
// without passing through JS memory either), and the core gets the same form rebuilt: each such
// file part carries only its first bytes plus an X-Larder-Staged header naming the staged copy,
// and the ids with their sizes travel beside the call (http::Request::staged_uploads), so no
// client can claim a staged file of its own. A write that keeps an upload asks the host to move
// it into place (files.ts); whatever is left in staging afterwards is deleted.
//
// Also the host's request body limit: PocketBase's default of 32 MiB, answered 413 before the
// body is read when Content-Length says so.
import { callHead, errorResponse, type CoreCall } from "../core.js";
import type { StorageAdapter } from "./adapter.js";
import { FILES_DIR } from "./layout.js";

/** Where staged uploads wait; a name the core can never produce as a storage key (leading "."). */
export const STAGING_DIR = `${FILES_DIR}/.staging`;
/** What the core reads of a file to sniff its type (record_files.cpp kSniffBytes). */
const SNIFF_BYTES = 3072;
export const BODY_LIMIT = 32 * 1024 * 1024;

const encoder = new TextEncoder();

/** The request's body is over BODY_LIMIT (learned while reading it). */
export class BodyTooLarge extends Error {}

function randomId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * A name or filename parameter escaped as browsers send it (the HTML multipart/form-data
 * encoding: '"' as %22, CR and LF as %0D %0A), so the core reads exactly what it would have
 * read from the browser's own body.
 */
function quote(s: string): string {
  return `"${s.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
}

/** 413 in PocketBase's envelope. */
export const tooLargeResponse = () => errorResponse(413, "Request entity too large.");

/** True when the declared Content-Length is over the limit (not every runtime exposes it). */
export function declaredTooLarge(request: Request): boolean {
  const len = Number(request.headers.get("content-length") ?? "");
  return Number.isFinite(len) && len > BODY_LIMIT;
}

export function isMultipart(request: Request): boolean {
  return (
    request.method !== "GET" &&
    request.method !== "HEAD" &&
    /^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")
  );
}

/**
 * Stages the big files of a multipart request and rebuilds its body for the core (the staged
 * ids ride in the call's `staged` lines; stagedIds() reads them back). Returns null
 * when the body is not a form the runtime can parse (the core then sees the original bytes and
 * answers PocketBase's error), or when nothing needed staging.
 */
export async function stageUploads(request: Request, adapter: StorageAdapter): Promise<CoreCall | null> {
  const base = callHead(request);
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return null;
  }
  const entries: [string, FormDataEntryValue][] = [];
  let total = 0;
  form.forEach((value, name) => {
    entries.push([name, value]);
    total += name.length + (typeof value === "string" ? value.length : value.size);
  });
  if (total > BODY_LIMIT) throw new BodyTooLarge();
  if (!entries.some(([, v]) => typeof v !== "string" && v.size > SNIFF_BYTES)) return null;

  const boundary = `larder${randomId()}`;
  const chunks: Uint8Array[] = [];
  const staged: string[] = [];
  let stagedLines = "";
  try {
    for (const [name, value] of entries) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quote(name)}`;
      if (typeof value === "string") {
        chunks.push(encoder.encode(`${head}\r\n\r\n`), encoder.encode(value), encoder.encode("\r\n"));
        continue;
      }
      head += `; filename=${quote(value.name)}\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n`;
      if (value.size <= SNIFF_BYTES) {
        chunks.push(encoder.encode(`${head}\r\n`), new Uint8Array(await value.arrayBuffer()), encoder.encode("\r\n"));
        continue;
      }
      const id = randomId();
      staged.push(id);
      await writeBlob(adapter, `${STAGING_DIR}/${id}`, value);
      stagedLines += `${id} ${value.size}\n`;
      const sniff = new Uint8Array(await value.slice(0, SNIFF_BYTES).arrayBuffer());
      chunks.push(encoder.encode(`${head}X-Larder-Staged: ${id}\r\n\r\n`), sniff, encoder.encode("\r\n"));
    }
  } catch (err) {
    await discard(adapter, staged);
    throw err;
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  // The rebuilt body replaces the original and its Content-Type (new boundary).
  const headerLines =
    base.headerLines
      .split("\n")
      .filter((l) => l && !/^(content-type|content-length):/i.test(l))
      .join("\n") + `\ncontent-type: multipart/form-data; boundary=${boundary}\n`;
  return { ...base, headerLines, body, staged: stagedLines };
}

async function writeBlob(adapter: StorageAdapter, path: string, blob: Blob): Promise<void> {
  if (adapter.writeBlob) return adapter.writeBlob(path, blob);
  await adapter.write(path, new Uint8Array(await blob.arrayBuffer()));
}

/** The ids of a call's staged uploads. */
export function stagedIds(call: CoreCall): string[] {
  return (call.staged ?? "").split("\n").filter(Boolean).map((l) => l.slice(0, l.indexOf(" ")));
}

/** Deletes staged files no write took (best effort). */
export async function discard(adapter: StorageAdapter, ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => adapter.remove(`${STAGING_DIR}/${id}`).catch(() => {})));
}
