// The realtime bench's client side: N SSE subscribers spread over worker threads
// (sse-worker.mjs), so that parsing thousands of streams does not run on the thread that times
// the writes. The same harness drives Larder and the baseline broadcaster.
import { Worker } from "node:worker_threads";

/**
 * Opens `n` subscribers to `topic` on `url` and waits until every one is subscribed (or failed).
 * Returns {subscribed, failed, errors, waitSeq(seq, ms), finish()}.
 */
export async function startSubscribers(url, { n, topic, maxWrites, workers = 4, concurrency = 64, postConns = 4 }) {
  const { hostname: host, port } = new URL(url);
  const pool = [];
  const seqDone = new Map(); // seq -> number of workers done
  const seqWaiters = new Map(); // seq -> resolve
  for (let i = 0; i < workers; i++) {
    const count = Math.floor(n / workers) + (i < n % workers ? 1 : 0);
    const w = new Worker(new URL("./sse-worker.mjs", import.meta.url), {
      workerData: { host, port: Number(port), count, topic, concurrency, postConns, maxWrites },
    });
    w.on("message", (m) => {
      if (m.type !== "seq") return;
      const k = (seqDone.get(m.seq) ?? 0) + 1;
      seqDone.set(m.seq, k);
      if (k === workers) seqWaiters.get(m.seq)?.(true);
    });
    pool.push(w);
  }
  const once = (w, type) =>
    new Promise((resolve, reject) => {
      const on = (m) => m.type === type && (w.off("message", on), resolve(m));
      w.on("message", on);
      w.once("error", reject);
    });
  const ready = await Promise.all(pool.map((w) => once(w, "ready")));
  return {
    subscribed: ready.reduce((a, r) => a + r.subscribed, 0),
    failed: ready.reduce((a, r) => a + r.failed, 0),
    errors: ready.flatMap((r) => r.errors),
    /** Resolves true once every subscriber has event `seq`, false after `ms`. */
    waitSeq(seq, ms) {
      if (seqDone.get(seq) === workers) return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        seqWaiters.set(seq, (v) => (clearTimeout(t), resolve(v)));
      });
    },
    /** Closes every subscriber; resolves with per-subscriber arrival times and counters. */
    async finish() {
      const results = await Promise.all(
        pool.map((w) => {
          const p = once(w, "result");
          w.postMessage({ type: "finish" });
          return p;
        }),
      );
      await Promise.all(pool.map((w) => w.terminate()));
      const stats = { closedAfterSubscribe: 0, duplicates: 0, foreign: 0, eventBytes: 0, events: 0 };
      const rows = []; // Float64Array(maxWrites) per subscribed connection
      for (const r of results) {
        for (const k of Object.keys(stats)) stats[k] += r.stats[k];
        for (const i of r.subscribedIdx) rows.push(r.arrivals.subarray(i * maxWrites, (i + 1) * maxWrites));
      }
      return { stats, rows };
    },
  };
}
