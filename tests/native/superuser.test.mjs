// The superuser bootstrap and commands, with PocketBase's messages and exit codes: the installer
// token a fresh `serve` prints, `larder superuser create|upsert|update EMAIL PASS`,
// `delete|otp EMAIL` and `ips [IP|CIDR ...]`, and what the API then does (a superuser signs in,
// an OTP works once, the whitelist locks out and lets back in).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startNative } from "../lib/native.mjs";
import { NATIVE_BIN } from "../lib/paths.mjs";

let work;
let dir;
before(() => {
  work = mkdtempSync(join(tmpdir(), "larder-su-"));
  dir = join(work, "pb_data");
});
after(() => rmSync(work, { recursive: true, force: true }));

const su = (...args) => spawnSync(NATIVE_BIN, ["superuser", ...args, `--dir=${dir}`], { encoding: "utf8", timeout: 20000 });

async function signIn(email, password, headers = {}) {
  const server = await startNative({ dir });
  try {
    const res = await fetch(server.url + "/api/collections/_superusers/auth-with-password", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify({ identity: email, password }),
    });
    return res.status;
  } finally {
    await server.stop();
  }
}

async function call(server, method, path, { token, body } = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// The banner is flushed with the "Server started" lines, but may arrive in a later chunk.
async function waitForOutput(server, re) {
  for (let i = 0; i < 100; i++) {
    const m = server.stdout().match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

test("a fresh serve prints an installer token that creates the first superuser", async () => {
  const fresh = join(work, "installer_data");
  let server = await startNative({ dir: fresh });
  try {
    const m = await waitForOutput(server, /Authorization: (eyJ[\w-]+\.[\w-]+\.[\w-]+)'/);
    assert.ok(m, server.stdout());
    const token = m[1];
    assert.match(server.stdout(), /#\/pbinstall\/eyJ/);
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(claims.refreshable, false);
    assert.ok(claims.exp - Date.now() / 1000 <= 30 * 60 + 5);

    // No reset mail for the placeholder account.
    const reset = await call(server, "POST", "/api/collections/_superusers/request-password-reset", {
      body: { email: "__pbinstaller@example.com" },
    });
    assert.equal(reset.status, 204);
    assert.deepEqual((await call(server, "GET", "/api/larder/outbox", { token })).json, []);

    const created = await call(server, "POST", "/api/collections/_superusers/records", {
      token,
      body: { email: "first@example.com", password: "1234567890", passwordConfirm: "1234567890" },
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const auth = await call(server, "POST", "/api/collections/_superusers/auth-with-password", {
      body: { identity: "first@example.com", password: "1234567890" },
    });
    assert.equal(auth.status, 200);
    const list = await call(server, "GET", "/api/collections/_superusers/records", { token: auth.json.token });
    assert.deepEqual(list.json.items.map((r) => r.email), ["first@example.com"], "the installer account is gone");
    // Its token died with it.
    assert.equal((await call(server, "GET", "/api/settings", { token })).status, 401);
  } finally {
    await server.stop();
  }
  server = await startNative({ dir: fresh });
  try {
    await call(server, "GET", "/api/health");
    assert.doesNotMatch(server.stdout(), /installer token/);
  } finally {
    await server.stop();
  }
});

test("argument errors", () => {
  for (const args of [["create"], ["upsert", "a@example.com"], ["create", "a", "b", "c"]]) {
    const r = su(...args);
    assert.equal(r.status, 1, args.join(" "));
    assert.equal(r.stderr, "Error: missing email and password arguments\n");
  }
  const bad = su("create", "not-an-email", "1234567890");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "Error: missing or invalid email address\n");
  const help = su("--help");
  assert.equal(help.status, 0);
  assert.match(help.stdout, /upsert\s+Creates, or updates if email exists, a single superuser/);
});

test("create, duplicate create, short password", async () => {
  const ok = su("create", "admin@example.com", "1234567890");
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, 'Successfully created new superuser "admin@example.com"!\n');

  const dup = su("create", "admin@example.com", "1234567890");
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /^Error: failed to (validate|create) superuser: email: Value must be unique\.\.?\n$/);

  const short = su("create", "other@example.com", "123");
  assert.equal(short.status, 1);
  assert.match(short.stderr, /^Error: failed to validate superuser: password: /);

  assert.equal(await signIn("admin@example.com", "1234567890"), 200);
});

test("upsert updates the password of an existing superuser and creates a missing one", async () => {
  const upd = su("upsert", "admin@example.com", "new-password-1");
  assert.equal(upd.status, 0, upd.stderr);
  assert.equal(upd.stdout, 'Successfully saved superuser "admin@example.com"!\n');
  const created = su("upsert", "second@example.com", "0987654321");
  assert.equal(created.status, 0, created.stderr);
  assert.equal(await signIn("admin@example.com", "1234567890"), 400);
  assert.equal(await signIn("admin@example.com", "new-password-1"), 200);
  assert.equal(await signIn("second@example.com", "0987654321"), 200);
});

test("ips sets, refuses and clears the superuser IP whitelist", async () => {
  const bad = su("ips", "10.0.0.0/8", "not-an-ip");
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^Error: superuserIPs: \(1: .+\)\.\n$/);
  assert.equal(await signIn("admin@example.com", "new-password-1"), 200, "a refused list is not saved");

  const set = su("ips", "10.0.0.0/8", "192.168.1.7");
  assert.equal(set.status, 0, set.stderr);
  assert.equal(set.stdout, "Successfully updated SuperuserIPs setting:\n├─ 10.0.0.0/8\n└─ 192.168.1.7\n");
  // The server sees this client as 127.0.0.1 (no trusted proxy headers configured).
  assert.equal(await signIn("admin@example.com", "new-password-1"), 403);
  assert.equal(await signIn("admin@example.com", "new-password-1", { "X-Forwarded-For": "10.1.1.1" }), 403);

  const cleared = su("ips");
  assert.equal(cleared.status, 0, cleared.stderr);
  assert.equal(cleared.stdout, "Successfully cleared SuperuserIPs setting!\n");
  assert.equal(await signIn("admin@example.com", "new-password-1"), 200);
});

test("update, otp and delete", async () => {
  const upd = su("update", "admin@example.com", "changed-pass-1");
  assert.equal(upd.status, 0, upd.stderr);
  assert.equal(upd.stdout, 'Successfully changed superuser "admin@example.com" password!\n');
  const missing = su("update", "missing@example.com", "1234567890");
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, `Error: superuser with email "missing@example.com" doesn't exist\n`);
  const short = su("update", "admin@example.com", "1");
  assert.equal(short.status, 1);
  assert.match(short.stderr, /^Error: failed to change superuser "admin@example\.com" password: password: /);

  const off = su("otp", "admin@example.com");
  assert.equal(off.status, 1);
  assert.equal(off.stderr, "Error: OTP auth is not enabled for the _superusers collection\n");
  assert.equal(su("otp", "nope").stderr, "Error: invalid or missing email address\n");

  const server = await startNative({ dir });
  try {
    const auth = await call(server, "POST", "/api/collections/_superusers/auth-with-password", {
      body: { identity: "admin@example.com", password: "changed-pass-1" },
    });
    assert.equal(auth.status, 200);
    const on = await call(server, "PATCH", "/api/collections/_superusers", { token: auth.json.token, body: { otp: { enabled: true } } });
    assert.equal(on.status, 200, JSON.stringify(on.json));
  } finally {
    await server.stop();
  }
  const otp = su("otp", "admin@example.com");
  assert.equal(otp.status, 0, otp.stderr);
  const m = otp.stdout.match(/^Successfully created OTP for superuser "admin@example\.com":\n├─ Id:    (\w{15})\n├─ Pass:  (\d+)\n└─ Valid: 180s\n\n$/);
  assert.ok(m, otp.stdout);
  const server2 = await startNative({ dir });
  try {
    const body = { otpId: m[1], password: m[2] };
    assert.equal((await call(server2, "POST", "/api/collections/_superusers/auth-with-otp", { body })).status, 200);
    assert.equal((await call(server2, "POST", "/api/collections/_superusers/auth-with-otp", { body })).status, 400, "once");
  } finally {
    await server2.stop();
  }

  const del = su("delete", "second@example.com");
  assert.equal(del.status, 0, del.stderr);
  assert.equal(del.stdout, 'Successfully deleted superuser "second@example.com"!\n');
  const again = su("delete", "second@example.com");
  assert.equal(again.status, 0);
  assert.equal(again.stdout, 'superuser "second@example.com" is missing or already deleted\n');
  const last = su("delete", "admin@example.com");
  assert.equal(last.status, 1);
  assert.equal(last.stderr, 'Error: failed to delete superuser "admin@example.com": You can\'t delete the only existing superuser.\n');
  assert.equal(su("delete").stderr, "Error: invalid or missing email address\n");
  assert.equal(await signIn("second@example.com", "0987654321"), 400);
  assert.equal(await signIn("admin@example.com", "changed-pass-1"), 200);
});
