// Builds every JavaScript artifact from the one wasm build (build/wasm):
//   sdk/dist/   the npm package `larder`: index.js (createBackend), browser.js (the same for
//               bundlers that target browsers), larder-sw.js (service worker), cli.js
//               (`larder init`), larder/larder-core.<hash>.{js,wasm}, type declarations
//   web/dist/   the browser demo: page + demo worker + a copy of the package's worker and core
// The core files are content-hashed: glue and wasm always change together, and a new core
// changes the worker script's bytes, which is what makes browsers install the update.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wasmBuild = join(root, "build/wasm");
const sdkDist = join(root, "sdk/dist");
const webDist = join(root, "web/dist");

const glue = readFileSync(join(wasmBuild, "larder-core.js"));
const wasm = readFileSync(join(wasmBuild, "larder-core.wasm"));
const hash = createHash("sha256").update(glue).update(wasm).digest("hex").slice(0, 10);
const coreName = `larder/larder-core.${hash}`;

rmSync(sdkDist, { recursive: true, force: true });
mkdirSync(join(sdkDist, "larder"), { recursive: true });
writeFileSync(join(sdkDist, `${coreName}.js`), glue);
writeFileSync(join(sdkDist, `${coreName}.wasm`), wasm);
// The glue is a UMD script; inside a "type": "module" package Node must still load it as CommonJS.
writeFileSync(join(sdkDist, "larder/package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

const define = { __LARDER_CORE__: JSON.stringify(coreName) };
const common = { bundle: true, define, logLevel: "warning", legalComments: "none", target: "es2022" };

await esbuild.build({
  ...common,
  entryPoints: [join(root, "sdk/src/index.ts")],
  outfile: join(sdkDist, "index.js"),
  format: "esm",
  platform: "neutral",
  external: ["node:*"],
});
// The package's "browser" export: the same module, for bundlers that target browsers (esbuild,
// webpack, Vite pick that condition). Its Node-only paths (createBackend({ dir }), reading the
// core from the file system) import node:* modules lazily; a browser bundler refuses to resolve
// those, so here they become modules that throw if a browser ever reached them.
const nodeBuiltinsUnavailable = {
  name: "node-builtins-unavailable",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-unavailable" }));
    build.onLoad({ filter: /.*/, namespace: "node-unavailable" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`larder: ${args.path} is not available in a browser`)});`,
      loader: "js",
    }));
  },
};
await esbuild.build({
  ...common,
  entryPoints: [join(root, "sdk/src/index.ts")],
  outfile: join(sdkDist, "browser.js"),
  format: "esm",
  platform: "browser",
  plugins: [nodeBuiltinsUnavailable],
});
await esbuild.build({
  ...common,
  entryPoints: [join(root, "sdk/src/cli.ts")],
  outfile: join(sdkDist, "cli.js"),
  format: "esm",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
});
await esbuild.build({
  ...common,
  entryPoints: [join(root, "worker/src/sw.ts")],
  outfile: join(sdkDist, "larder-sw.js"),
  format: "iife",
  platform: "browser",
  banner: { js: `// Larder service worker (${coreName}). https://www.npmjs.com/package/larder` },
});

// Type declarations for the package, and type checks for the worker and the demo.
const tsc = join(root, "node_modules/typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "sdk/tsconfig.json")], { stdio: "inherit" });
rmSync(join(sdkDist, "cli.d.ts"), { force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "worker/tsconfig.json")], { stdio: "inherit" });
execFileSync(process.execPath, [tsc, "-p", join(root, "web/tsconfig.json")], { stdio: "inherit" });

// The demo: its page, its own worker (which imports larder-sw.js), and the package's files.
rmSync(webDist, { recursive: true, force: true });
mkdirSync(webDist, { recursive: true });
for (const f of ["index.html", "demo.css"]) cpSync(join(root, "web/demo", f), join(webDist, f));
await esbuild.build({
  ...common,
  entryPoints: [join(root, "web/demo/app.ts")],
  outfile: join(webDist, "app.js"),
  format: "esm",
  platform: "browser",
});
await esbuild.build({
  ...common,
  entryPoints: [join(root, "web/demo/sw.ts")],
  outfile: join(webDist, "sw.js"),
  format: "iife",
  platform: "browser",
});
cpSync(join(sdkDist, "larder-sw.js"), join(webDist, "larder-sw.js"));
cpSync(join(sdkDist, "larder"), join(webDist, "larder"), { recursive: true });

console.log(`[build-js] core ${coreName}: wasm ${wasm.length} bytes, glue ${glue.length} bytes`);
