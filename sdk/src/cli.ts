// `npx larder init <publicDir>`: copies the service worker and the wasm core into the folder your
// web server serves, like `msw init`. Register it from the page with registerLarder() or
// navigator.serviceWorker.register("/larder-sw.js").
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function usage(code: number): never {
  (code ? console.error : console.log)(
    "Usage: larder init <publicDir>\n\n" +
      "Copies larder-sw.js and larder/ (the wasm core) into <publicDir>.\n" +
      "Then register the worker from your page:\n" +
      '  navigator.serviceWorker.register("/larder-sw.js", { scope: "/" })\n' +
      "and use the official PocketBase SDK with new PocketBase(location.origin).",
  );
  process.exit(code);
}

const [command, target] = process.argv.slice(2);
if (command === "--help" || command === "-h") usage(0);
if (command !== "init" || !target) usage(1);

const dest = resolve(target);
mkdirSync(dest, { recursive: true });
cpSync(join(here, "larder-sw.js"), join(dest, "larder-sw.js"));
const coreDir = join(dest, "larder");
const ours = new Set(readdirSync(join(here, "larder")));
// The core files of an earlier version (other content hash) are dead weight: a worker that runs
// them keeps its glue with its registration and its wasm in CacheStorage, and the new worker
// deletes that cache when it activates.
const stale = existsSync(coreDir) ? readdirSync(coreDir).filter((f) => f.startsWith("larder-core.") && !ours.has(f)) : [];
for (const f of stale) rmSync(join(coreDir, f), { force: true });
cpSync(join(here, "larder"), coreDir, { recursive: true });
console.log(`larder: copied larder-sw.js and larder/ into ${dest}` + (stale.length ? ` (removed ${stale.length} old core file(s))` : ""));
