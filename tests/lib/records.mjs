// How the storage tests write and read records, in one place. The durability tests need two
// things: "create the record with this unique title" and "list every title". Both go through the
// real records API on PocketBase's test fixture (collection demo2: public rules, unique title),
// which the tests load with the storage engine's import.
//
// LARDER_DEV_API=1 switches to a tiny dev-only route (/api/_dev/records) that exists in scratch
// builds of the core only; it let the engine be tested before the records API landed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "./paths.mjs";

const dev = process.env.LARDER_DEV_API === "1";

export const FIXTURE_DB = join(FIXTURES, "pocketbase-testdata/data.db");
export const fixtureBytes = () => new Uint8Array(readFileSync(FIXTURE_DB));

/** A plain-data request description, usable in Node and (serialised) inside a page. */
export function createRequest(title) {
  return dev
    ? { method: "POST", url: "/api/_dev/records", headers: {}, body: title }
    : {
        method: "POST",
        url: "/api/collections/demo2/records",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ title }),
      };
}

// The server caps perPage at 1000, as PocketBase does: a bigger perPage is quietly cut to 1000.
// A test with 1,000 records of its own plus the fixture's 3 (older, so listed first) therefore
// needs two pages — one page alone "lost" the 3 newest records (durability.test.mjs, test 1).
export const PER_PAGE = 1000;

/**
 * One page of the listing (1-based). Ordered by created, then id (records created in the same
 * millisecond keep one order across pages), with totalItems so a caller can tell it has all.
 */
export function listRequest(page = 1) {
  return dev
    ? { method: "GET", url: "/api/_dev/records", headers: {} }
    : {
        method: "GET",
        url: `/api/collections/demo2/records?page=${page}&perPage=${PER_PAGE}&sort=created,id&fields=title`,
        headers: {},
      };
}

/**
 * Every title, however many pages that takes. `send(req)` resolves {status, text} (from Node or
 * from a page). Throws unless the pages add up to the server's totalItems, so a listing can never
 * again come back silently short and pass for lost records (or hide real ones).
 */
export async function listAllTitles(send) {
  const titles = [];
  for (let page = 1; ; page++) {
    const res = await send(listRequest(page));
    if (res.status !== 200) throw new Error(`list page ${page}: ${res.status} ${res.text}`);
    const json = JSON.parse(res.text);
    titles.push(...titlesOf(json));
    if (dev) return titles; // the dev route answers everything at once
    if (json.items.length < PER_PAGE || titles.length >= json.totalItems) {
      if (titles.length !== json.totalItems) {
        throw new Error(`list: ${titles.length} titles over ${page} page(s), but totalItems is ${json.totalItems}`);
      }
      return titles;
    }
  }
}

export function viewRequest(id) {
  return dev
    ? { method: "GET", url: `/api/_dev/records/${id}`, headers: {} }
    : { method: "GET", url: `/api/collections/demo2/records/${id}`, headers: {} };
}

/** The id in a create response body (parsed JSON). */
export const idOf = (json) => json.id;

/** Titles from a list response body (parsed JSON), for either API. */
export function titlesOf(json) {
  return dev ? json : json.items.map((r) => r.title);
}

/** Titles a fresh import of the fixture already has (demo2's own records are not ours). */
export function ours(titles, prefix) {
  return titles.filter((t) => t.startsWith(prefix));
}

/** Runs a request description against a createBackend() backend. */
export async function sendTo(backend, req) {
  const res = await backend.fetch(new Request("http://127.0.0.1" + req.url, { method: req.method, headers: req.headers, body: req.body }));
  return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers) };
}
