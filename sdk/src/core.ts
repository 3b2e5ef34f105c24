// The contract between JS hosts and the wasm core (src/wasm/bindings.cpp), and the one piece of
// code that turns a fetch Request into a core call and the core's answer into a Response.
// Used by createBackend() (any JS runtime) and by the service worker through the storage engine
// (storage/engine.ts), which decides when an answer may leave: one bridge, two hosts.

/** What Emscripten's factory resolves to. */
export interface CoreModule {
  Backend: new (configJson: string) => CoreBackend;
  sqliteVersion(): string;
  pageStoreStats(): { atomicBatches: number; journalOpens: number };
}

/** An encoded log record or snapshot (docs/storage-format.md). */
export interface CoreRecord {
  seq: number;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface CoreError {
  error: string;
}

/** One App over one page-store database; see src/wasm/backend.h for the lifecycle. */
export interface CoreBackend {
  /** "" or why the database could not be opened. */
  open(): string;
  close(): void;
  isOpen(): boolean;
  /** One run of a request: an answer, or what the core needs from storage first (files.ts). */
  handle(method: string, target: string, headerLines: string, body: Uint8Array, remoteIp: string, staged: string): CoreAnswer;
  /** handle() as the host's own superuser (setup.ts); only host code calls it. */
  handleAsHost(method: string, target: string, headerLines: string, body: Uint8Array): CoreAnswer;
  /** Supplies a "stat" need: exists, size, mtime in seconds, the .attrs sidecar's bytes. */
  fileStat(key: string, exists: boolean, size: number, mtimeSec: number, attrs: Uint8Array): void;
  /** Supplies a "read" need: the whole stored file. */
  fileData(key: string, exists: boolean, bytes: Uint8Array): void;
  /** Supplies a "fetch" need (net.ts): the answer, or ok false and why there is none. */
  fetchResult(key: string, ok: boolean, status: number, headerLines: string, body: Uint8Array, error: string): void;
  /**
   * Realtime (see realtime.ts): the frames queued for a stream's client (a copy, possibly empty);
   * open false once the stream must end. The core never wakes anyone: the host polls.
   */
  realtimeTake(clientId: string, maxBytes: number): { open: boolean; data: Uint8Array<ArrayBuffer> };
  /** The stream ended: forget its client. */
  realtimeDisconnect(clientId: string): void;
  /** Closes idle and expired clients (their next take says open: false). */
  realtimeSweep(): void;

  /** SQLite write transactions so far (monotonic). */
  commitCount(): number;
  lastSeq(): number;
  persistedSeq(): number;
  databaseSize(): number;
  hasUnpersisted(): boolean;
  /** The changes since the last take as log record lastSeq()+1; null if nothing changed. */
  takeCommit(): CoreRecord | CoreError | null;
  /** Log records up to seq are durable. */
  persisted(seq: number): void;
  /** Closes the App and restores the last persisted state (call open() afterwards). */
  rollback(): void;
  /** PRAGMA integrity_check on a second connection: "ok" or SQLite's findings. */
  integrityCheck(): string;

  /** Starts streaming the last persisted state as a snapshot (drain with streamNext). */
  snapshotBegin(): { seq: number; size: number };
  /** Starts streaming the staged import as a snapshot (drain with streamNext). */
  importSnapshotBegin(): { seq: number; size: number };
  /** The next ≤ max bytes of the stream: a view into wasm memory, valid until the next call. */
  streamNext(max: number): Uint8Array;

  /** Recovery: feed a snapshot file in order; loadEnd() is true if it was intact (now current). */
  loadBegin(): void;
  loadChunk(bytes: Uint8Array): boolean;
  loadEnd(): boolean;
  /** Recovery: applies the next log record; false if it is damaged or does not chain. */
  applyLog(bytes: Uint8Array): boolean;

  exportDatabase(): Uint8Array<ArrayBuffer>;
  /** Import: stage in chunks, check ("" or why refused), persist its snapshot, then commit. */
  importBegin(): void;
  importChunk(bytes: Uint8Array): void;
  importEnd(): string;
  /** Closes the App; the staged database becomes current (call open() afterwards). */
  importCommit(): void;
  importAbort(): void;
  delete(): void;
}

export interface CoreResponse {
  need: null;
  status: number;
  headers: string; // "name: value\n" lines
  body: Uint8Array<ArrayBuffer>;
  /** Non-empty: the body is this realtime client's SSE stream (GET /api/realtime; realtime.ts). */
  streamClient: string;
  /** Non-empty: the body is bytes [fileOffset, fileOffset + fileLength) of this stored file. */
  filePath: string;
  fileOffset: number;
  fileLength: number;
  /** What the host must do in storage for this answer (storage/files.ts). */
  fileOps: CoreFileOp[];
}

/** The core lacks a fact about a stored file: supply it and run the request again. */
export interface CoreNeed {
  kind: string; // "stat" | "read" (storage/files.ts), "fetch" (net.ts)
  key: string;
}

export type CoreAnswer = CoreResponse | { need: CoreNeed };

export interface CoreFileOp {
  kind: "put" | "remove" | "removePrefix";
  key: string;
  data?: Uint8Array<ArrayBuffer>;
  attrs?: Uint8Array<ArrayBuffer>;
  /** put: move this staged upload into place instead of writing `data` (storage/uploads.ts). */
  staged?: string;
}

export type CoreFactory = (moduleArg: Record<string, unknown>) => Promise<CoreModule>;

/**
 * Instantiates the core from its Emscripten factory and either the .wasm bytes or a function
 * giving a Response for them. A Response is compiled with WebAssembly.instantiateStreaming, which
 * lets Chromium cache the compiled code (a worker's cold start then skips most of the compile).
 */
export async function instantiateCore(
  factory: CoreFactory,
  wasm: Uint8Array | ArrayBuffer | (() => Promise<Response>),
): Promise<CoreModule> {
  const moduleArg: Record<string, unknown> = {
    print: (s: string) => console.log(s),
    printErr: (s: string) => console.error(s),
  };
  if (typeof wasm !== "function") return factory({ ...moduleArg, wasmBinary: wasm });
  // The glue waits for receive(); a failure must reject our promise instead of hanging it.
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  moduleArg.instantiateWasm = (imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) => {
    (async () => {
      const res = await wasm();
      let result: WebAssembly.WebAssemblyInstantiatedSource;
      try {
        result = await WebAssembly.instantiateStreaming(res.clone(), imports);
      } catch {
        // e.g. a server that does not send application/wasm: compile from the bytes.
        result = await WebAssembly.instantiate(await res.arrayBuffer(), imports);
      }
      receive(result.instance, result.module);
    })().catch(fail);
    return {};
  };
  return Promise.race([factory(moduleArg), failed]);
}

/** A request as the core takes it; kept whole so a call can be run again (storage/engine.ts). */
export interface CoreCall {
  method: string;
  target: string;
  headerLines: string;
  body: Uint8Array;
  remoteIp: string;
  /** Uploads the host staged for this call, "id size\n" lines (storage/uploads.ts). */
  staged?: string;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

/** A fetch Request's method, target and headers as a core call, with an empty body. */
export function callHead(request: Request, remoteIp = "127.0.0.1"): CoreCall {
  const url = new URL(request.url);
  let headerLines = "";
  request.headers.forEach((value, name) => {
    headerLines += `${name}: ${value}\n`;
  });
  return { method: request.method, target: url.pathname + url.search, headerLines, body: new Uint8Array(0), remoteIp };
}

/** Reads a fetch Request into a core call (the only asynchronous part: the body). */
export async function toCoreCall(request: Request, remoteIp = "127.0.0.1"): Promise<CoreCall> {
  const call = callHead(request, remoteIp);
  if (request.method !== "GET" && request.method !== "HEAD") call.body = new Uint8Array(await request.arrayBuffer());
  return call;
}

/** Runs one call through the core (synchronous). */
export function runCore(backend: CoreBackend, call: CoreCall): CoreAnswer {
  return backend.handle(call.method, call.target, call.headerLines, call.body, call.remoteIp, call.staged ?? "");
}

/**
 * The core's answer as a Response; `extra` headers are added (e.g. which host answered). `file`
 * is the stored file a download names (res.filePath), streamed instead of res.body.
 */
export function toResponse(res: CoreResponse, method: string, extra?: [string, string], file?: Blob): Response {
  const headers = headerPairs(res, extra);
  const noBody = method === "HEAD" || NO_BODY_STATUS.has(res.status);
  if (file) {
    headers.push(["Content-Length", String(res.fileLength)]);
    const slice = file.slice(res.fileOffset, res.fileOffset + res.fileLength);
    return new Response(noBody ? null : slice, { status: res.status, headers });
  }
  return new Response(noBody ? null : res.body, { status: res.status, headers });
}

/** The core's headers (and `extra`) as name/value pairs for a Response. */
export function headerPairs(res: CoreResponse, extra?: [string, string]): [string, string][] {
  // Name/value pairs straight into the constructor: cheaper than building a Headers object
  // append by append (this runs for every request).
  const headers: [string, string][] = [];
  for (const line of res.headers.split("\n")) {
    const i = line.indexOf(": ");
    if (i > 0) headers.push([line.slice(0, i), line.slice(i + 2)]);
  }
  if (extra) headers.push(extra);
  return headers;
}

/** PocketBase's error envelope, for answers the host itself gives (storage failures). */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify({ data: {}, message, status }) + "\n";
  return new Response(body, { status, headers: { "Content-Type": "application/json", ...headers } });
}
