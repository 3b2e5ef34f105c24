// Runs every scenario in tests/api/scenarios on every host. The same files, the same
// expectations: a difference between hosts is a bug.
//
//   node --test tests/api/api.test.mjs                 all targets
//   LARDER_TARGETS=native,node LARDER_ONLY=health node --test tests/api/api.test.mjs
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { buildRequest, checkResponse, loadScenarios, saveVars } from "./lib/scenario.mjs";
import { targets } from "./lib/targets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = (process.env.LARDER_TARGETS ?? "native,node,sw").split(",").filter(Boolean);
const only = (process.env.LARDER_ONLY ?? "").split(",").filter(Boolean);
const scenarios = loadScenarios(join(here, "scenarios"), only);
// Shared constants ({{suToken}}, ...), see vars.json.
const sharedVars = JSON.parse(readFileSync(join(here, "vars.json"), "utf8"));

for (const name of wanted) {
  const target = targets[name];
  if (!target) throw new Error(`unknown target ${name}`);
  describe(`api on ${name}`, () => {
    let host;
    before(async () => (host = await target.open()));
    after(async () => host?.close());

    for (const sc of scenarios) {
      if (sc.skip?.[name]) {
        it(`${sc.file}`, { skip: sc.skip[name] }, () => {});
        continue;
      }
      describe(sc.file + (sc.description ? ` — ${sc.description}` : ""), () => {
        let session;
        const vars = { ...sharedVars };
        let failed = false;
        before(async () => (session = await host.session(sc)));
        after(async () => session?.close());
        for (const step of sc.steps) {
          const skip = step.skip?.[name];
          it(step.name ?? `${step.method ?? "GET"} ${step.url}`, { skip }, async (t) => {
            if (failed && !step.independent) return t.skip("an earlier step of this scenario failed");
            try {
              const res = await session.send(buildRequest(step, vars));
              const errors = checkResponse(res, step.expect, vars);
              assert.deepEqual(errors, [], `${step.method ?? "GET"} ${step.url}\n  ${errors.join("\n  ")}`);
              saveVars(res, step.save, vars);
            } catch (err) {
              failed = true;
              throw err;
            }
          });
        }
      });
    }
  });
}
