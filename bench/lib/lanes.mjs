// Closed-loop load: `lanes` concurrent async loops each calling op(lane, i) until `seconds`
// have passed; returns {ops, seconds, latencyMs: {p50, p99}}. Used by bench/files.mjs for both
// the HTTP side and the file-system baseline, so both are timed the same way.
import { pct } from "./server.mjs";

export async function timedLanes(lanes, seconds, op) {
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const lat = [];
  const start = now();
  const end = start + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (now() < end) {
        const t = now();
        await op(lane, next++);
        lat.push(now() - t);
      }
    }),
  );
  const elapsed = (now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { ops: lat.length, seconds: elapsed, latencyMs: { p50: pct(lat, 50), p99: pct(lat, 99) } };
}
