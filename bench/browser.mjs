// `bench/run browser`: the browser storage benchmark (bench/browser/storage.mjs).
await import("./browser/storage.mjs");
