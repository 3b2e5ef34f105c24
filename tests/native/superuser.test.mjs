// `larder superuser create|upsert EMAIL PASS` and `larder superuser ips [IP|CIDR ...]`:
// PocketBase's messages and exit codes, and what the API then does (a superuser signs in; the
// whitelist locks out and lets back in).
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
