// Baseline worker for "view by id": answers every /api/ request with fixed JSON, no core, no
// storage — what a service worker costs by itself.
const BODY = JSON.stringify({ id: "x", title: "fixed", created: "2024-01-01 00:00:00.000Z" });
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/api/")) return;
  event.respondWith(new Response(BODY, { headers: { "Content-Type": "application/json" } }));
});
