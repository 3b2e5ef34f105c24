// Developer tool: runs the requests of one scenario file against a target (default: the
// reference PocketBase, PB_BIN=...) and prints every answer, to write or check expectations.
//
//   PB_BIN=/path/to/pocketbase node tests/api/capture.mjs records-list [target] [--write]
//
// --write fills in `expect` ({status, body} for JSON, {status, bodyText} otherwise) for every step
// that has none yet, from what the target answered. Review the result: it records behaviour, it
// does not judge it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRequest, loadScenarios, saveVars } from "./lib/scenario.mjs";
import { targets } from "./lib/targets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== "--write");
const write = process.argv.includes("--write");
const [name, targetName = "pocketbase"] = args;
const [sc] = loadScenarios(join(here, "scenarios"), [name]);
if (!sc) throw new Error(`no scenario matching ${name}`);
const vars = JSON.parse(readFileSync(join(here, "vars.json"), "utf8"));
const host = await targets[targetName].open();
const session = await host.session(sc);
try {
  for (const step of sc.steps) {
    const req = buildRequest(step, vars);
    const res = await session.send(req);
    console.log(`## ${step.name ?? ""}\n${req.method} ${req.url}\n=> ${res.status} ${res.text}`);
    if (write && !step.expect) {
      let body;
      try {
        body = JSON.parse(res.text);
      } catch {}
      step.expect = body !== undefined ? { status: res.status, body } : { status: res.status, bodyText: res.text };
    }
    try {
      saveVars(res, step.save, vars);
    } catch {}
  }
} finally {
  await session.close();
  await host.close();
}
if (write) {
  const { file, ...rest } = sc;
  writeFileSync(join(here, "scenarios", file), JSON.stringify(rest, null, 2) + "\n");
  console.log(`wrote expectations into ${file}`);
}
