// Starting and stopping the native server for tests: a fresh port (port 0, read back from the
// banner) and a data directory of the caller's choosing.
import { spawn } from "node:child_process";
import { NATIVE_BIN } from "./paths.mjs";

export async function startNative({ dir, args = [], env = {} }) {
  const child = spawn(NATIVE_BIN, ["serve", "--http=127.0.0.1:0", `--dir=${dir}`, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`native server did not start: ${err}`)), 15000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/Server started at (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`native server exited (${code}): ${err}`));
    });
  });
  return {
    url,
    child,
    stderr: () => err,
    stdout: () => out,
    /** SIGTERM and wait; resolves with the exit code. */
    stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once("exit", (code, sig) => resolve(code ?? sig));
        child.kill(signal);
      });
    },
  };
}
