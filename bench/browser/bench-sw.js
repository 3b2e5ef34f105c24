// The benchmark's service worker: Larder's worker plus two probes for the bare cost the durable
// path cannot avoid — one OPFS file create + write + close of the same bytes a commit record has:
//   fetch /bench/opfs-write?size=N   does that write inside a fetch handler, then answers
//                                    (same fetch overhead as a durable create)
//   message {bench: "opfs-bare"}     does `count` of them back to back, timed inside the worker
// and, for bench/browser/files.mjs, the bare cost of an uploaded file / a download:
//   fetch POST /bench/opfs-upload    parses the multipart body, writes its "file" Blob to a new
//                                    OPFS file (create + createWritable + write + close); answers
//                                    {name, size, ms} (ms: the OPFS write alone)
//   fetch GET /bench/opfs-read?name= answers with that OPFS File (&copy=1: with its bytes read
//                                    into an ArrayBuffer first)
//   message {bench: "files-read"}    reads files whole inside the worker, answering nothing:
//                                    OPFS getFile + arrayBuffer, and larder.handle() of a download
// `?policy=off` on this script's URL disables snapshots (cold-start measurements control them).
const params = new URL(self.location.href).searchParams;
if (params.get("policy") === "off") self.larderOptions = { snapshotPolicy: { minLogs: 1e12 } };
importScripts("larder-sw.js");

let benchDir = null;
let seq = 0;
async function dir() {
  benchDir ??= navigator.storage.getDirectory().then((root) => root.getDirectoryHandle("bench-bare", { create: true }));
  return benchDir;
}

async function bareWrite(bytes) {
  const fh = await (await dir()).getFileHandle(String(++seq).padStart(16, "0"), { create: true });
  const w = await fh.createWritable();
  await w.write(bytes);
  await w.close();
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/bench/opfs-upload") event.respondWith(bareUpload(event.request));
  if (url.pathname === "/bench/opfs-read") event.respondWith(bareDownload(url.searchParams));
  if (url.pathname !== "/bench/opfs-write") return;
  event.respondWith(
    (async () => {
      await event.request.arrayBuffer();
      await bareWrite(new Uint8Array(Number(url.searchParams.get("size"))));
      return new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
    })(),
  );
});

// {bench: "handle-loop", url, count}: the same request answered `count` times in a loop inside
// the worker (no fetch dispatch), so the time per call is Larder's own cost: engine + core.
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg?.bench !== "handle-loop") return;
  event.waitUntil(
    (async () => {
      const url = new URL(msg.url, self.location.href).href;
      let t = performance.now();
      for (let i = 0; i < msg.count; i++) await (await self.larder.handle(new Request(url))).arrayBuffer();
      const larder = (performance.now() - t) / msg.count;
      t = performance.now();
      for (let i = 0; i < msg.count; i++) await new Response('{"id":"x"}', { headers: { "Content-Type": "application/json" } }).arrayBuffer();
      const fixed = (performance.now() - t) / msg.count;
      event.ports[0].postMessage({ larder, fixed });
    })(),
  );
});

self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg?.bench !== "opfs-bare") return;
  event.waitUntil(
    (async () => {
      const bytes = new Uint8Array(msg.size);
      const times = [];
      for (let i = 0; i < msg.count; i++) {
        const t = performance.now();
        await bareWrite(bytes);
        times.push(performance.now() - t);
      }
      event.ports[0].postMessage(times);
    })(),
  );
});

// ---- files (bench/browser/files.mjs) ------------------------------------------------------------
async function bareUpload(request) {
  const file = (await request.formData()).get("file");
  const name = `upload-${++seq}-${crypto.randomUUID()}`;
  const t = performance.now();
  const fh = await (await dir()).getFileHandle(name, { create: true });
  const w = await fh.createWritable();
  await w.write(file);
  await w.close();
  const ms = performance.now() - t;
  return Response.json({ name, size: file.size, ms });
}

async function bareDownload(params) {
  const file = await (await (await dir()).getFileHandle(params.get("name"))).getFile();
  const body = params.get("copy") === "1" ? await file.arrayBuffer() : file;
  return new Response(body, { headers: { "Content-Type": "application/octet-stream", "Content-Length": String(file.size) } });
}

// {bench: "files-read", names, urls, count}: inside the worker, alternating (round robin over
// each list), `count` times each: a named OPFS file read whole (getFile + arrayBuffer), the same
// File wrapped in a Response read whole, and a download of `urls` answered by larder.handle()
// read whole; answers each read's time (ms) and the bytes each kind got (or {error}).
async function filesRead(msg) {
  const opfs = [];
  const opfsResponse = [];
  const larder = [];
  let bytes = 0;
  let responseBytes = 0;
  let larderBytes = 0;
  for (let i = 0; i < msg.count; i++) {
    const name = msg.names[i % msg.names.length];
    let t = performance.now();
    const file = await (await (await dir()).getFileHandle(name)).getFile();
    bytes += (await file.arrayBuffer()).byteLength;
    opfs.push(performance.now() - t);
    t = performance.now();
    const again = await (await (await dir()).getFileHandle(name)).getFile();
    responseBytes += (await new Response(again).arrayBuffer()).byteLength;
    opfsResponse.push(performance.now() - t);
    const url = new URL(msg.urls[i % msg.urls.length], self.location.href).href;
    t = performance.now();
    const res = await self.larder.handle(new Request(url));
    larderBytes += (await res.arrayBuffer()).byteLength;
    larder.push(performance.now() - t);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
  }
  return { opfs, opfsResponse, larder, bytes, responseBytes, larderBytes };
}

self.addEventListener("message", (event) => {
  if (event.data?.bench !== "files-read") return;
  const port = event.ports[0];
  event.waitUntil(filesRead(event.data).then((r) => port.postMessage(r), (err) => port.postMessage({ error: String(err?.stack ?? err) })));
});
