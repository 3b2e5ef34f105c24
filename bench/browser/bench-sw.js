// The benchmark's service worker: Larder's worker plus two probes for the bare cost the durable
// path cannot avoid — one OPFS file create + write + close of the same bytes a commit record has:
//   fetch /bench/opfs-write?size=N   does that write inside a fetch handler, then answers
//                                    (same fetch overhead as a durable create)
//   message {bench: "opfs-bare"}     does `count` of them back to back, timed inside the worker
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
  if (url.origin !== self.location.origin || url.pathname !== "/bench/opfs-write") return;
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
