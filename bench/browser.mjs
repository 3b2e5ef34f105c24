// `bench/run browser`: the browser benchmarks — storage (bench/browser/storage.mjs), then file
// upload/download throughput (bench/browser/files.mjs).
await import("./browser/storage.mjs");
await import("./browser/files.mjs");
