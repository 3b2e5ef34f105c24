// Outgoing HTTP for the core (OAuth2 code exchange and user info): the JS half of
// src/wasm/http_client.h. The core names a request it needs answered (a "fetch" need whose key
// is the request as JSON); this does the fetch() and gives back a function that hands the answer
// to the core, which then runs the whole API request again (src/core/util/host_io.h). Limits as
// the native client's (native/http_client.h): 30 s, 8 MiB, redirects not followed.
//
// In a service worker this is the page origin's fetch(): a provider's endpoints must allow CORS.
import type { CoreBackend } from "./core.js";

const TIMEOUT_MS = 30_000;
const MAX_BODY = 8 << 20;
const EMPTY = new Uint8Array(0);

interface OutRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

export async function fetchForCore(key: string): Promise<(core: CoreBackend) => void> {
  const fail = (why: string) => (core: CoreBackend) => core.fetchResult(key, false, 0, "", EMPTY, why);
  let req: OutRequest;
  try {
    req = JSON.parse(key) as OutRequest;
  } catch {
    return fail("malformed request");
  }
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > MAX_BODY) return fail(`the answer is over ${MAX_BODY} bytes`);
    let lines = "";
    res.headers.forEach((value, name) => (lines += `${name}: ${value}\n`));
    return (core) => core.fetchResult(key, true, res.status, lines, body, "");
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}
