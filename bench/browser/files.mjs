// Browser file benchmark: upload and download throughput through Larder's service worker against
// the bare OPFS write/read of the same bytes in the same worker (bench-sw.js probes), in Debian's
// Chromium with a persistent profile. Prints one table; ratios are from this run only.
//
//   node bench/browser/files.mjs [--quick]      (bench/run browser runs it after storage.mjs)
//
// Collection `benchfiles` (one file field, maxSize 20 MiB, public rules), made through the API as
// PocketBase's fixture superuser. Per file size (1 MB and 10 MB, MB = 10^6 bytes; random bytes
// made in the page, each upload stamped with its own number so a download of the wrong file is
// caught), sequential, one request in flight, rounds of the two sides interleaved:
//   upload     page fetch() POST FormData → record create through the worker
//              vs  the same FormData POSTed to /bench/opfs-upload: formData() + create an OPFS
//              file + createWritable + write(the Blob) + close (and that OPFS write alone)
//   download   page fetch() GET /api/files/… through the worker, body read whole in the page
//              vs  /bench/opfs-read: the bare-written file of the same size as a Response (the
//              OPFS File, and its bytes read into an ArrayBuffer first)
//              and inside the worker, answering nothing, alternating: OPFS getFile + arrayBuffer,
//              that File as a Response read whole, and larder.handle() of a download read whole
// Also a record create without a file (JSON), interleaved with the uploads: the record's share.
// Every download is compared byte for byte with what was uploaded, and every upload is downloaded
// (untimed, at the end) at least once; mismatches are reported.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../scripts/static-server.mjs";
import { ROOT, SDK_DIST } from "../../tests/lib/paths.mjs";
import { fixtureBytes } from "../../tests/lib/records.mjs";
import { client, send } from "../../tests/browser/lib/app.mjs";
import { launchChromium } from "../../tests/browser/lib/chromium.mjs";
import { waitForWorker } from "../../tests/lib/browser.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick");
const { suToken } = JSON.parse(readFileSync(join(ROOT, "tests/api/vars.json"), "utf8"));
const COLLECTION = "benchfiles";
// Per size: rounds × per round, for uploads and for downloads (each side).
const PLAN = [
  { size: 1e6, rounds: quick ? 3 : 6, upPerRound: 5, downPerRound: 5 },
  { size: 1e7, rounds: quick ? 2 : 5, upPerRound: 4, downPerRound: 4 },
];

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const f = (x, d = 2) => x.toFixed(d);
/** "median ms / MB/s" of a list of times for `size` bytes each. */
const msMbs = (times, size) => `${f(median(times))} / ${f(size / 1e6 / (median(times) / 1000), 1)}`;

const row = (what, value, note = "") => console.log(`  ${what.padEnd(62)} ${String(value).padStart(15)}  ${note}`);
// The machine is shared: its load (as `uptime` prints it), next to the numbers it disturbs.
const uptimeLoad = () => /load averages?:\s*(.*)$/.exec(execFileSync("uptime", { encoding: "utf8" }).trim())?.[1] ?? "?";

// ---- the site: the package's browser files + the bench worker ----------------------------------
const siteDir = mkdtempSync(join(tmpdir(), "larder-bench-files-site-"));
for (const name of ["larder-sw.js", "index.js", "larder"]) cpSync(join(SDK_DIST, name), join(siteDir, name), { recursive: true });
cpSync(join(here, "bench-sw.js"), join(siteDir, "bench-sw.js"));
writeFileSync(join(siteDir, "index.html"), "<!doctype html><meta charset=utf-8><title>bench</title>\n");
const server = await startStaticServer({ root: siteDir });
const origin = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), "larder-bench-files-profile-"));

console.log("machine");
row("load average at start (uptime: 1 / 5 / 15 min)", uptimeLoad(), `${availableParallelism()} cores`);

const browser = await launchChromium(profile);
try {
  const page = await browser.context.newPage();
  await page.goto(origin + "/");
  await waitForWorker(page, "/bench-sw.js");
  await client(page, "importDatabase", Buffer.from(fixtureBytes()).toString("base64"));
  const made = await send(page, {
    method: "POST",
    url: "/api/collections",
    headers: { Authorization: suToken, "Content-Type": "application/json" },
    body: JSON.stringify({
      name: COLLECTION,
      type: "base",
      listRule: "",
      viewRule: "",
      createRule: "",
      fields: [{ name: "file", type: "file", maxSelect: 1, maxSize: 20 * 2 ** 20 }],
    }),
  });
  if (made.status !== 200) throw new Error(`creating the collection: ${made.status} ${made.text}`);

  // The page's helpers: random bytes per size, each upload's file stamped with its own number at
  // the middle (8 bytes), the uploads and downloads themselves, and the byte-for-byte check.
  await page.evaluate(
    ({ sizes, collection }) => {
      const random = (n) => {
        const b = new Uint8Array(n);
        for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
        return b;
      };
      const base = Object.fromEntries(sizes.map((s) => [s, random(s)]));
      const bytesOf = (size, stamp) => {
        const b = base[size].slice();
        new DataView(b.buffer).setFloat64(size >> 1, stamp);
        return b;
      };
      let stamps = 0;
      const mismatches = [];
      let checked = 0;
      /** Compares a download with the upload it should be; records a mismatch (never throws). */
      const check = (what, size, stamp, buf) => {
        checked++;
        const want = bytesOf(size, stamp);
        const got = new Uint8Array(buf);
        if (got.length === want.length && got.length % 4 === 0) {
          const a = new Int32Array(got.buffer, got.byteOffset, got.length / 4);
          const b = new Int32Array(want.buffer);
          let same = true;
          for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { same = false; break; }
          if (same) return;
        }
        let at = 0;
        while (at < Math.min(got.length, want.length) && got[at] === want[at]) at++;
        mismatches.push(`${what}: ${got.length} bytes (want ${want.length}), first difference at byte ${at}`);
      };
      window.bench = {
        /** `n` sequential uploads of `size` bytes: to Larder (`larder`) or the bare probe. */
        async upload(larder, size, n) {
          const out = [];
          for (let i = 0; i < n; i++) {
            const stamp = ++stamps;
            const fd = new FormData();
            fd.append("file", new Blob([bytesOf(size, stamp)], { type: "application/octet-stream" }), "bench.bin");
            const url = larder ? `/api/collections/${collection}/records` : "/bench/opfs-upload";
            const t = performance.now();
            const res = await fetch(url, { method: "POST", body: fd });
            const json = await res.json();
            const ms = performance.now() - t;
            if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
            if (!larder && json.size !== size) throw new Error(`bare upload stored ${json.size} bytes, sent ${size}`);
            const path = larder ? `/api/files/${collection}/${json.id}/${json.file}` : `/bench/opfs-read?name=${json.name}`;
            out.push({ ms, stamp, path, name: json.name, inner: json.ms });
          }
          return out;
        },
        /** `n` sequential record creates without a file (JSON): the record part of an upload. */
        async plain(n) {
          const times = [];
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            const res = await fetch(`/api/collections/${collection}/records`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
            const json = await res.json();
            times.push(performance.now() - t);
            if (!res.ok) throw new Error(`POST (no file): ${res.status} ${JSON.stringify(json)}`);
          }
          return times;
        },
        /** Sequential downloads of `files` ({path, stamp}) read whole; each checked after its timing. */
        async download(files, size, suffix = "") {
          const times = [];
          for (const file of files) {
            const url = file.path + suffix;
            const t = performance.now();
            const res = await fetch(url);
            const buf = await res.arrayBuffer();
            const ms = performance.now() - t;
            if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
            check(`GET ${url}`, size, file.stamp, buf);
            times.push(ms);
          }
          return times;
        },
        /** Reads inside the worker (bench-sw.js "files-read"), answered by postMessage. */
        inWorker(names, urls, count) {
          const ch = new MessageChannel();
          const p = new Promise((r) => (ch.port1.onmessage = (e) => r(e.data)));
          navigator.serviceWorker.controller.postMessage({ bench: "files-read", names, urls, count }, [ch.port2]);
          return p;
        },
        verdict: () => ({ checked, mismatches }),
      };
    },
    { sizes: PLAN.map((p) => p.size), collection: COLLECTION },
  );
  const upload = (larder, size, n) => page.evaluate(({ larder, size, n }) => window.bench.upload(larder, size, n), { larder, size, n });
  const download = (files, size, suffix) =>
    page.evaluate(({ files, size, suffix }) => window.bench.download(files, size, suffix), { files: files.map(({ path, stamp }) => ({ path, stamp })), size, suffix });
  let uploads = 0;
  const pick = (files, start, n) => Array.from({ length: n }, (_, i) => files[(start + i) % files.length]);

  for (const { size, rounds, upPerRound, downPerRound } of PLAN) {
    const mb = size / 1e6;
    console.log(`${mb} MB files (${size} bytes; sequential, one request in flight)`);
    // Warm up both sides (first OPFS directory handles, the record path's first run).
    const larderFiles = await upload(true, size, 2);
    const bareFiles = await upload(false, size, 2);
    await download(larderFiles, size, "");
    await download(bareFiles, size, "");

    await page.evaluate(() => window.bench.plain(2));
    const up = { larder: [], bare: [], inner: [], plain: [] };
    for (let r = 0; r < rounds; r++) {
      const l = await upload(true, size, upPerRound);
      const b = await upload(false, size, upPerRound);
      up.plain.push(...(await page.evaluate((n) => window.bench.plain(n), upPerRound)));
      up.larder.push(...l.map((x) => x.ms));
      up.bare.push(...b.map((x) => x.ms));
      up.inner.push(...b.map((x) => x.inner));
      larderFiles.push(...l);
      bareFiles.push(...b);
    }
    row(`upload via worker (record create): median ms / MB/s`, msMbs(up.larder, size), `n=${up.larder.length}; mean ${f(mean(up.larder))} ms`);
    row(`bare OPFS write in a worker fetch: median ms / MB/s`, msMbs(up.bare, size), `n=${up.bare.length}; mean ${f(mean(up.bare))} ms; formData() + create + write(Blob) + close`);
    row(`  ratio upload / bare (median ms)`, f(median(up.larder) / median(up.bare)), `mean ratio ${f(mean(up.larder) / mean(up.bare))}`);
    row(`bare OPFS create + write(Blob) + close alone: median ms / MB/s`, msMbs(up.inner, size), "timed inside that fetch handler");
    row(`record create without a file via worker: median ms`, f(median(up.plain)), `n=${up.plain.length}; JSON, same collection (the record part of an upload)`);

    const down = { larder: [], bare: [], copy: [] };
    for (let r = 0; r < rounds; r++) {
      down.larder.push(...(await download(pick(larderFiles, r * downPerRound, downPerRound), size, "")));
      down.bare.push(...(await download(pick(bareFiles, r * downPerRound, downPerRound), size, "")));
      down.copy.push(...(await download(pick(bareFiles, r * downPerRound + 1, downPerRound), size, "&copy=1")));
    }
    row(`download via worker (GET /api/files): median ms / MB/s`, msMbs(down.larder, size), `n=${down.larder.length}; mean ${f(mean(down.larder))} ms; body read whole in the page`);
    row(`bare OPFS File as a Response: median ms / MB/s`, msMbs(down.bare, size), `n=${down.bare.length}; mean ${f(mean(down.bare))} ms`);
    row(`  ratio download / bare File (median ms)`, f(median(down.larder) / median(down.bare)), `mean ratio ${f(mean(down.larder) / mean(down.bare))}`);
    row(`bare OPFS bytes (arrayBuffer) as a Response: median ms / MB/s`, msMbs(down.copy, size), `n=${down.copy.length}; mean ${f(mean(down.copy))} ms`);
    row(`  ratio download / bare bytes (median ms)`, f(median(down.larder) / median(down.copy)), `mean ratio ${f(mean(down.larder) / mean(down.copy))}`);

    const count = 2 * rounds * downPerRound;
    const w = await page.evaluate(
      ({ names, urls, count }) => window.bench.inWorker(names, urls, count),
      { names: bareFiles.map((x) => x.name), urls: larderFiles.map((x) => x.path), count },
    );
    if (w.error) throw new Error(`files-read in the worker: ${w.error}`);
    const short = (got) => (got === count * size ? "" : `; READ ${got} BYTES, want ${count * size}`);
    row(`in worker: bare OPFS read, not returned: median ms / MB/s`, msMbs(w.opfs, size), `n=${count}; getFile + arrayBuffer${short(w.bytes)}`);
    row(`in worker: bare OPFS File as a Response: median ms / MB/s`, msMbs(w.opfsResponse, size), `n=${count}; getFile + new Response(file).arrayBuffer()${short(w.responseBytes)}`);
    row(`in worker: larder.handle() download: median ms / MB/s`, msMbs(w.larder, size), `n=${count}; its Response read whole${short(w.larderBytes)}`);
    row(`  ratio in-worker download / bare read (median ms)`, f(median(w.larder) / median(w.opfs)));
    row(`  ratio in-worker download / bare File Response (median ms)`, f(median(w.larder) / median(w.opfsResponse)));
    row(`load average after ${mb} MB (uptime)`, uptimeLoad());
    // Untimed: every upload of both sides downloaded once more, so each one is compared.
    await download(larderFiles, size, "");
    await download(bareFiles, size, "");
    uploads += larderFiles.length + bareFiles.length;
  }

  console.log("check");
  const { checked, mismatches } = await page.evaluate(() => window.bench.verdict());
  row(`downloads compared byte for byte (all ${uploads} uploads)`, checked, mismatches.length ? `${mismatches.length} MISMATCHED` : "all equal");
  for (const m of mismatches.slice(0, 20)) console.log(`    MISMATCH ${m}`);
  if (mismatches.length > 20) console.log(`    … and ${mismatches.length - 20} more`);
  if (mismatches.length) process.exitCode = 1;
  await page.close();
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  rmSync(siteDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}

console.log("machine");
row("load average at end (uptime: 1 / 5 / 15 min)", uptimeLoad());
