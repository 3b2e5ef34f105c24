// Where the built artifacts are, for every test runner.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const NATIVE_BIN = process.env.LARDER_BIN ?? join(ROOT, "build/native/larder");
export const SDK_DIST = join(ROOT, "sdk/dist");
export const WEB_DIST = join(ROOT, "web/dist");
export const FIXTURES = join(ROOT, "tests/fixtures");
