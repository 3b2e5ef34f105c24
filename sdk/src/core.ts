// The contract between JS hosts and the wasm core (src/wasm/bindings.cpp), and the one piece of
// code that turns a fetch Request into a core call and the core's answer into a Response.
// Used by createBackend() (any JS runtime) and by the service worker: one bridge, two hosts.

/** What Emscripten's factory resolves to. */
export interface CoreModule {
  Backend: new (configJson: string) => CoreBackend;
  sqliteVersion(): string;
}

export interface CoreBackend {
  handle(method: string, target: string, headerLines: string, body: Uint8Array, remoteIp: string): CoreResponse;
  delete(): void;
}

export interface CoreResponse {
  status: number;
  headers: string; // "name: value\n" lines
  body: Uint8Array<ArrayBuffer>;
}

export type CoreFactory = (moduleArg: Record<string, unknown>) => Promise<CoreModule>;

/** Instantiates the core from its Emscripten factory and the .wasm bytes. */
export async function instantiateCore(factory: CoreFactory, wasmBinary: Uint8Array | ArrayBuffer): Promise<CoreModule> {
  return factory({
    wasmBinary,
    print: (s: string) => console.log(s),
    printErr: (s: string) => console.error(s),
  });
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

/** Runs one fetch Request through the core. Never rejects for HTTP-level errors. */
export async function callCore(backend: CoreBackend, request: Request, remoteIp = "127.0.0.1"): Promise<Response> {
  const url = new URL(request.url);
  let headerLines = "";
  request.headers.forEach((value, name) => {
    headerLines += `${name}: ${value}\n`;
  });
  const body =
    request.method === "GET" || request.method === "HEAD" ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
  const res = backend.handle(request.method, url.pathname + url.search, headerLines, body, remoteIp);
  return toResponse(res, request.method);
}

export function toResponse(res: CoreResponse, method: string): Response {
  const headers = new Headers();
  for (const line of res.headers.split("\n")) {
    const i = line.indexOf(": ");
    if (i > 0) headers.append(line.slice(0, i), line.slice(i + 2));
  }
  const noBody = method === "HEAD" || NO_BODY_STATUS.has(res.status);
  return new Response(noBody ? null : res.body, { status: res.status, headers });
}
