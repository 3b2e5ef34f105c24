// Finding and loading the built core files (larder/larder-core.<hash>.js and .wasm) from
// wherever this package is installed. The names are fixed at build time (see
// scripts/build-js.mjs), so a new core always comes with new file names.
declare const __LARDER_CORE__: string; // e.g. "larder/larder-core.1a2b3c4d5e"

const isNode = typeof process !== "undefined" && !!process.versions?.node;

function coreUrl(ext: string): URL {
  return new URL(`./${__LARDER_CORE__}${ext}`, import.meta.url);
}

export async function loadWasmBytes(): Promise<Uint8Array> {
  if (isNode) {
    // Emscripten 3.1.6's loader cannot fetch() a file path under Node: read the bytes ourselves.
    const { readFile } = await import("node:fs/promises");
    return new Uint8Array(await readFile(coreUrl(".wasm")));
  }
  const res = await fetch(coreUrl(".wasm"));
  if (!res.ok) throw new Error(`larder: cannot load ${coreUrl(".wasm")}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function loadCoreFactory(): Promise<unknown> {
  if (isNode) {
    const { createRequire } = await import("node:module");
    const { fileURLToPath } = await import("node:url");
    // The glue is a CommonJS/UMD script; its folder carries {"type":"commonjs"}.
    return createRequire(import.meta.url)(fileURLToPath(coreUrl(".js")));
  }
  // Browsers (a page or a dedicated worker): evaluate the UMD glue as a classic script.
  const res = await fetch(coreUrl(".js"));
  const text = await res.text();
  return new Function(`${text}\nreturn LarderCore;`)();
}
