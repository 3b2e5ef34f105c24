// The app's own schema, shipped with it: PocketBase's "Export collections" JSON plus optional
// seed records, applied by the host every time it opens the database — before the first
// request is answered. The collections go through PocketBase's own import
// (PUT /api/collections/import, deleteMissing false unless asked), which creates what is new,
// migrates what changed (keeping records; columns follow field ids, so renames keep data) and
// leaves the rest; an export that did not change changes nothing. Seed records are created only
// in collections that are empty at that moment, so they land on the first start and never
// duplicate. Both run as the host's own superuser (App::handle_as_host): no account, no token,
// unreachable from any request.
import type { CoreBackend } from "./core.js";

export interface AppSchema {
  /** PocketBase's collections export (an array), or an object with a `collections` array. */
  collections: unknown[] | { collections: unknown[] };
  /** Records to create, by collection name, when that collection is empty at start. */
  seed?: Record<string, Record<string, unknown>[]>;
  /** Delete collections the export does not have (PocketBase's deleteMissing). Default false. */
  deleteMissing?: boolean;
}

export interface SetupResult {
  /** Seed records created now. */
  seeded: number;
}

const JSON_HEADERS = "content-type: application/json\n";
const decoder = new TextDecoder();

function call(core: CoreBackend, method: string, target: string, body?: unknown): { status: number; json: unknown } {
  const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
  const res = core.handleAsHost(method, target, body === undefined ? "" : JSON_HEADERS, bytes);
  if (res.need) throw new Error(`the setup call ${method} ${target} needed ${res.need.kind}, which setup does not do`);
  const text = decoder.decode(res.body);
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function why(r: { status: number; json: unknown }): string {
  return `${r.status} ${JSON.stringify(r.json)}`;
}

/** Applies `schema` to the open core (synchronously). Throws with PocketBase's answer on failure. */
export function applyAppSchema(core: CoreBackend, schema: AppSchema): SetupResult {
  const collections = Array.isArray(schema.collections) ? schema.collections : schema.collections?.collections;
  if (!Array.isArray(collections)) throw new Error("the app schema has no collections array");
  const imported = call(core, "PUT", "/api/collections/import", { collections, deleteMissing: !!schema.deleteMissing });
  if (imported.status !== 204) throw new Error(`importing the app's collections failed: ${why(imported)}`);
  let seeded = 0;
  for (const [name, records] of Object.entries(schema.seed ?? {})) {
    const path = `/api/collections/${encodeURIComponent(name)}/records`;
    const page = call(core, "GET", `${path}?perPage=1&fields=id`);
    if (page.status !== 200) throw new Error(`seeding ${name} failed: ${why(page)}`);
    if (((page.json as { totalItems?: number }).totalItems ?? 0) > 0) continue;
    for (const rec of records) {
      const made = call(core, "POST", path, rec);
      if (made.status !== 200) throw new Error(`seeding ${name} failed: ${why(made)}`);
      seeded++;
    }
  }
  return { seeded };
}
