// A stream of writes from Node into a page, for the crash tests: `lanes` concurrent loops, each
// creating records with unique titles one after another (with a random pause of up to `pauseMs`
// between two writes of a lane, if given). A write counts as acknowledged only
// when its answer reached this process with a 2xx — exactly what a client would have seen.
import { createRecord } from "./app.mjs";

export function writeStream(page, { prefix, lanes = 4, pauseMs = 0 }) {
  const acked = new Set();
  const attempted = new Set();
  const failures = [];
  let stopped = false;
  const loops = Array.from({ length: lanes }, async (_, lane) => {
    for (let n = 0; !stopped; n++) {
      const title = `${prefix}-${lane}-${n}`;
      attempted.add(title);
      try {
        const res = await createRecord(page, title);
        if (res.status >= 200 && res.status < 300) acked.add(title);
        else failures.push(`${title}: ${res.status} ${res.text.slice(0, 200)}`);
        if (pauseMs) await new Promise((r) => setTimeout(r, Math.random() * pauseMs));
      } catch {
        // The browser or the worker went away mid-request: not acknowledged. Give the page a
        // moment (a stopped worker restarts on the next fetch; a killed browser ends the loop).
        if (stopped) return;
        await new Promise((r) => setTimeout(r, 20));
        if (page.isClosed()) return;
      }
    }
  });
  return {
    acked,
    attempted,
    failures,
    /** Stops issuing new writes and waits for the loops to end. */
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Milliseconds to wait, uniformly random in [min, max). */
export const randomMs = (min, max) => min + Math.floor(Math.random() * (max - min));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
