// Native GET /api/health throughput with keep-alive, against nginx serving the same bytes as a
// static file on the same machine in the same run. The ratio says what Larder's HTTP path costs
// (Beast parsing, the hop to the worker pool, the core's pipeline) next to a tuned C server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNative } from "../tests/lib/native.mjs";
import { fmt, startNginx, wrk } from "./lib/wrk.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const body = '{"message":"API is healthy.","code":200,"data":{}}\n';

const dir = mkdtempSync(join(tmpdir(), "larder-bench-"));
const larder = await startNative({ dir });
const nginx = await startNginx(body);
try {
  wrk(larder.url + "/api/health", { seconds: 2, connections }); // warm up
  wrk(nginx.url + "/api/health", { seconds: 2, connections });
  const l = wrk(larder.url + "/api/health", { seconds, connections });
  const n = wrk(nginx.url + "/api/health", { seconds, connections });
  console.log(`wrk -t2 -c${connections} -d${seconds}s, keep-alive, GET /api/health (${body.length} bytes)`);
  console.log(`  larder  ${fmt(l.rps)} req/s   p50 ${fmt(l.latencyMs.p50, 2)} ms   p99 ${fmt(l.latencyMs.p99, 2)} ms`);
  console.log(`  nginx   ${fmt(n.rps)} req/s   p50 ${fmt(n.latencyMs.p50, 2)} ms   p99 ${fmt(n.latencyMs.p99, 2)} ms`);
  console.log(`  ratio larder/nginx throughput: ${fmt(l.rps / n.rps, 2)}`);
} finally {
  await larder.stop();
  await nginx.stop();
  rmSync(dir, { recursive: true, force: true });
}
