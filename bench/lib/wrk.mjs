// Load generation with wrk (Debian package) and the processes benchmarks compare.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs wrk with keep-alive connections; returns {rps, latencyMs: {p50, p99}}. */
export function wrk(url, { threads = 2, connections = 64, seconds = 10, script } = {}) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency"];
  if (script) args.push("-s", script);
  const out = execFileSync("wrk", [...args, url], { encoding: "utf8" });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const lat = (p) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  if (non2xx > 0) throw new Error(`wrk saw ${non2xx} error responses from ${url}`);
  return { rps, latencyMs: { p50: lat(50), p99: lat(99) } };
}

/** nginx serving `body` as a static file at /api/health on a free port (no daemon, no root files). */
export async function startNginx(body, { contentType = "application/json" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "larder-bench-nginx-"));
  execFileSync("mkdir", ["-p", join(dir, "www/api"), join(dir, "tmp")]);
  writeFileSync(join(dir, "www/api/health"), body);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = `
    worker_processes auto;
    daemon off;
    pid ${dir}/nginx.pid;
    error_log ${dir}/error.log warn;
    events { worker_connections 4096; }
    http {
      access_log off;
      client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp;
      uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
      keepalive_requests 1000000;
      server {
        listen 127.0.0.1:${port};
        root ${dir}/www;
        location / { default_type ${contentType}; add_header X-Content-Type-Options nosniff; }
      }
    }`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  execFileSync("chmod", ["-R", "a+rX", dir]);
  const child = spawn("nginx", ["-c", join(dir, "nginx.conf"), "-p", dir], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 500));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGQUIT");
      }),
  };
}

export function fmt(n, digits = 0) {
  return Number(n).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
