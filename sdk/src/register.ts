// Page-side helper: register Larder's service worker and wait until it controls the page, so
// the first fetch('/api/...') is already answered by the worker.
export interface RegisterOptions {
  /** URL of the worker script (larder-sw.js, or your own worker that imports it). */
  url?: string;
  scope?: string;
}

export async function registerLarder(options: RegisterOptions = {}): Promise<ServiceWorkerRegistration> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav?.serviceWorker) throw new Error("larder: service workers are not available here");
  const registration = await nav.serviceWorker.register(options.url ?? "/larder-sw.js", { scope: options.scope ?? "/" });
  if (!nav.serviceWorker.controller) {
    // The worker calls clients.claim() on activation; wait for it to take this page over.
    await new Promise<void>((resolve) => {
      nav.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true });
    });
  }
  return registration;
}
