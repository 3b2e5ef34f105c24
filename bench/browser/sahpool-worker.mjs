// Baseline for the storage benchmark: the official SQLite wasm build (@sqlite.org/sqlite-wasm,
// served from /sqlite-wasm/) with its `opfs-sahpool` VFS, in a dedicated Worker the bench page
// starts — the fastest durable SQLite-in-OPFS setup a page can have without a service worker.
// It holds the same database (PocketBase's fixture, imported) and does the same insert a durable
// create through Larder does: one row of the same bytes into demo2, committed with
// synchronous=FULL (each commit ends in a flush() of the OPFS sync access handles).
// `?journal=<mode>` on the script URL sets the rollback journal mode (default: SQLite's, DELETE;
// PERSIST is equally durable and skips the journal deletion); each mode gets its own pool.
//
// Messages (each answered with one postMessage):
//   {op: "open", db: Uint8Array}                → {version, journal, synchronous}
//   {op: "insert", id, title, created}          → {ms}   (the insert as timed inside the worker)
import sqlite3InitModule from "./sqlite-wasm/index.mjs";

const journal = new URL(self.location.href).searchParams.get("journal");
let db = null;
let insert = null;

const ready = (async () => {
  const sqlite3 = await sqlite3InitModule();
  // clearOnInit: every bench run starts from an empty pool (a persistent profile keeps files).
  const name = `bench-sahpool-${journal ?? "default"}`;
  const pool = await sqlite3.installOpfsSAHPoolVfs({ name, directory: `/${name}`, clearOnInit: true });
  return { sqlite3, pool };
})();

function open({ sqlite3, pool }, bytes) {
  db?.close();
  pool.importDb("/bench.db", bytes); // also turns the fixture's WAL header into rollback mode
  db = new pool.OpfsSAHPoolDb("/bench.db");
  db.exec("PRAGMA synchronous=FULL");
  if (journal) db.exec(`PRAGMA journal_mode=${journal}`);
  insert = db.prepare("INSERT INTO demo2 (created, id, title, updated, active) VALUES (?, ?, ?, ?, 0)");
  return {
    version: sqlite3.version.libVersion,
    journal: db.selectValue("PRAGMA journal_mode"),
    synchronous: db.selectValue("PRAGMA synchronous"),
  };
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const env = await ready;
    if (msg.op === "open") {
      self.postMessage({ ok: true, ...open(env, msg.db) });
    } else if (msg.op === "insert") {
      const t = performance.now();
      insert.bind([msg.created, msg.id, msg.title, msg.created]).stepReset();
      self.postMessage({ ok: true, ms: performance.now() - t });
    } else {
      throw new Error(`unknown op ${msg.op}`);
    }
  } catch (err) {
    self.postMessage({ ok: false, error: String(err?.stack ?? err) });
  }
};
