// The scenario engine: loads tests/api/scenarios/*.json, turns each step into a request, sends it
// through a target (native HTTP, wasm in Node, wasm in the service worker) and checks the answer.
// The file format is documented in tests/api/README.md.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export function loadScenarios(dir, only = []) {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), "utf8")) }));
}

// ---- variables --------------------------------------------------------------------------------

function substitute(value, vars) {
  if (typeof value === "string") {
    // A string that is exactly "{{name}}" takes the variable's value with its JSON type.
    const whole = value.match(/^\{\{(\w+)\}\}$/);
    if (whole && whole[1] in vars) return vars[whole[1]];
    return value.replace(/\{\{(\w+)\}\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[substitute(k, vars)] = substitute(v, vars);
    return out;
  }
  return value;
}

export function pick(obj, path) {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[part];
  }
  return cur;
}

// ---- requests ---------------------------------------------------------------------------------

/**
 * A transport-neutral request: {method, url, headers, body?: string | {base64}, form?: [...]}.
 * Targets turn it into their own fetch call; forms are encoded by the target (FormData) so the
 * boundary handling is the platform's, as in real apps.
 */
export function buildRequest(step, vars) {
  const s = substitute(step, vars);
  const req = { method: s.method ?? "GET", url: s.url, headers: { ...(s.headers ?? {}) } };
  if (s.json !== undefined) {
    req.body = JSON.stringify(s.json);
    if (!Object.keys(req.headers).some((h) => h.toLowerCase() === "content-type")) req.headers["Content-Type"] = "application/json";
  } else if (s.bodyText !== undefined) {
    req.body = s.bodyText;
  } else if (s.bodyBase64 !== undefined) {
    req.bodyBase64 = s.bodyBase64;
  } else if (s.form !== undefined) {
    // [{name, value}] or [{name, file: {name, type, text | base64}}]; an object is shorthand.
    req.form = Array.isArray(s.form) ? s.form : Object.entries(s.form).map(([name, value]) => ({ name, value: String(value) }));
  }
  return req;
}

// ---- matching ---------------------------------------------------------------------------------

function describe(v) {
  return JSON.stringify(v)?.slice(0, 300);
}

/** Deep equality with key order ignored. */
function equalJson(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalJson(x, b[i]));
  if (typeof a === "object") {
    if (Array.isArray(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equalJson(a[k], b[k]));
  }
  return false;
}

/**
 * Subset match: every key of `want` must match in `got`; arrays must have the same length
 * unless written as {"$contains": [...]} or {"$len": n}. Matchers: "$any", "$string",
 * "$number", "$absent" (key must not exist), "$re:<regex>".
 */
export function matchSubset(got, want, path = "$") {
  if (typeof want === "string" && want.startsWith("$")) {
    if (want === "$any") return got === undefined ? [`${path}: missing`] : [];
    if (want === "$absent") return got === undefined ? [] : [`${path}: expected absent, got ${describe(got)}`];
    if (want === "$string") return typeof got === "string" ? [] : [`${path}: expected a string, got ${describe(got)}`];
    if (want === "$number") return typeof got === "number" ? [] : [`${path}: expected a number, got ${describe(got)}`];
    if (want.startsWith("$re:"))
      return typeof got === "string" && new RegExp(want.slice(4)).test(got) ? [] : [`${path}: ${describe(got)} !~ ${want.slice(4)}`];
  }
  if (want && typeof want === "object" && !Array.isArray(want)) {
    if ("$len" in want) return Array.isArray(got) && got.length === want.$len ? [] : [`${path}: expected length ${want.$len}, got ${describe(got)}`];
    if ("$contains" in want) {
      if (!Array.isArray(got)) return [`${path}: expected an array, got ${describe(got)}`];
      return want.$contains.flatMap((w, i) =>
        got.some((g) => matchSubset(g, w).length === 0) ? [] : [`${path}: no element matches ${describe(w)} (#${i})`],
      );
    }
    if (!got || typeof got !== "object" || Array.isArray(got)) return [`${path}: expected an object, got ${describe(got)}`];
    return Object.entries(want).flatMap(([k, w]) => matchSubset(got[k], w, `${path}.${k}`));
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return [`${path}: expected ${describe(want)}, got ${describe(got)}`];
    return want.flatMap((w, i) => matchSubset(got[i], w, `${path}[${i}]`));
  }
  return equalJson(got, want) ? [] : [`${path}: expected ${describe(want)}, got ${describe(got)}`];
}

/** Returns a list of mismatch descriptions (empty = pass). res: {status, headers(lower-case obj), text}. */
export function checkResponse(res, expect, vars) {
  const e = substitute(expect ?? {}, vars);
  const errors = [];
  if (e.status !== undefined && res.status !== e.status) errors.push(`status: expected ${e.status}, got ${res.status}`);
  let parsed;
  const parse = () => {
    if (parsed === undefined) {
      try {
        parsed = JSON.parse(res.text);
      } catch {
        parsed = Symbol.for("invalid");
      }
    }
    return parsed;
  };
  if (e.bodySha256 !== undefined && res.sha256 !== e.bodySha256)
    errors.push(`body sha256: expected ${e.bodySha256}, got ${res.sha256 ?? "(target reports no body bytes)"}`);
  if (e.bodyText !== undefined && res.text !== e.bodyText) errors.push(`body: expected ${describe(e.bodyText)}, got ${describe(res.text)}`);
  if (e.body !== undefined) {
    // Equal values and the same key order (PocketBase's key order is part of the wire format).
    const got = parse();
    if (!equalJson(got, e.body)) errors.push(`body: expected ${describe(e.body)}, got ${describe(res.text)}`);
    else if (JSON.stringify(got) !== JSON.stringify(e.body)) errors.push(`body: key order differs: ${describe(res.text)}`);
  }
  if (e.json !== undefined) {
    const got = parse();
    if (typeof got === "symbol") errors.push(`json: body is not JSON: ${describe(res.text)}`);
    else errors.push(...matchSubset(got, e.json));
  }
  for (const s of e.contains ?? []) if (!res.text.includes(s)) errors.push(`body does not contain ${describe(s)}: ${describe(res.text)}`);
  for (const s of e.notContains ?? []) if (res.text.includes(s)) errors.push(`body contains ${describe(s)}`);
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    errors.push(...matchSubset(got, want, `header ${name}`));
  }
  return errors;
}

/**
 * Runs a step's `save` clauses: {"var": "json.path"}, "status", "header.<name>", or
 * {"var": {"path": "json.path", "match": "<regex>"}} — the regex's first group (else the whole
 * match) in the string at that path, e.g. a token inside a mail body from /api/larder/outbox.
 */
export function saveVars(res, save, vars) {
  for (const [name, path] of Object.entries(save ?? {})) {
    if (typeof path === "object") {
      const text = String(pick(JSON.parse(res.text), path.path) ?? "");
      const m = text.match(new RegExp(path.match));
      if (!m) throw new Error(`save ${name}: /${path.match}/ does not match ${JSON.stringify(text.slice(0, 300))}`);
      vars[name] = m[1] ?? m[0];
    } else if (path.startsWith("header.")) vars[name] = res.headers[path.slice(7).toLowerCase()];
    else if (path === "status") vars[name] = res.status;
    else vars[name] = pick(JSON.parse(res.text), path);
  }
}
