// Outgoing HTTP for the core (OAuth2 code exchange, user info, avatars): the JS half of
// src/wasm/http_client.h. The core names a request it needs answered (a "fetch" need whose key
// is the request as JSON); this does the fetch() and gives back a function that hands the answer
// to the core, which then runs the whole API request again (src/core/util/host_io.h). Limits as
// the native client's (native/http_client.h): 30 s, 8 MiB, redirects not followed, unless the
// request sets its own (timeoutMs, maxBody, follow: an avatar download).
//
// In a service worker this is the page origin's fetch(): a provider's endpoints must allow CORS
// (failureReason below says so when they don't).
import type { CoreBackend } from "./core.js";

const TIMEOUT_MS = 30_000;
const MAX_BODY = 8 << 20;
const EMPTY = new Uint8Array(0);

interface OutRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
  timeoutMs?: number;
  maxBody?: number;
  follow?: boolean;
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
      redirect: req.follow ? "follow" : "manual",
      signal: AbortSignal.timeout(req.timeoutMs ?? TIMEOUT_MS),
    });
    const maxBody = req.maxBody ?? MAX_BODY;
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > maxBody) {
      await res.body?.cancel();
      return fail(`the answer is over ${maxBody} bytes`);
    }
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > maxBody) return fail(`the answer is over ${maxBody} bytes`);
    let lines = "";
    res.headers.forEach((value, name) => (lines += `${name}: ${value}\n`));
    return (core) => core.fetchResult(key, true, res.status, lines, body, "");
  } catch (err) {
    return fail(failureReason(req.url, err));
  }
}

// In a browser a provider that does not allow CORS looks like any network failure ("Failed to
// fetch"), and the core answers PocketBase's 400 "Failed to fetch OAuth2 token." / "user.":
// name the likely cause in the reason the core logs (the worker's console).
function failureReason(url: string, err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  const here = (globalThis as { location?: { origin?: string } }).location?.origin;
  if (!here || here === "null" || !(err instanceof TypeError)) return why;
  let there: string;
  try {
    there = new URL(url).origin;
  } catch {
    return why;
  }
  if (there === here) return why;
  return `${why}: ${there} is unreachable or does not allow CORS from ${here} (a browser host calls the provider with fetch(); see the larder README, OAuth2)`;
}
