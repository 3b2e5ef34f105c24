// The demo's own service worker: Larder answers /api/*, and this file keeps the demo's app
// shell cached so the page itself also loads offline. This is the pattern for an app that wants
// both: import larder-sw.js, then handle your own requests.
declare const self: ServiceWorkerGlobalScope;

importScripts("larder-sw.js");

const SHELL = "demo-shell-v1";
const SHELL_FILES = ["/", "/index.html", "/app.js", "/demo.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_FILES)));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/") || event.request.method !== "GET") return;
  // Network first (so edits show up while online), the cached shell when offline.
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok && SHELL_FILES.includes(url.pathname)) {
          const copy = res.clone();
          void caches.open(SHELL).then((c) => c.put(event.request, copy));
        }
        return res;
      })
      .catch(async () => (await caches.match(event.request)) ?? Response.error()),
  );
});

export {}; // a module, so its declarations stay local
