// The native host's SMTP mailer: with settings.smtp.enabled, record mails go to the SMTP server
// (here a tiny one on loopback, written with `net`) instead of the in-memory outbox.
//
// The first test writes the settings into the fixture's `_params` with the sqlite3 tool before
// the server starts; the second switches SMTP on and off with PATCH /api/settings while it runs,
// and sends PocketBase's test emails (POST /api/settings/test/email).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startNative } from "../lib/native.mjs";
import { FIXTURES, ROOT } from "../lib/paths.mjs";

// PocketBase's long-lived superuser token for the fixture (tests/api/vars.json).
const { suToken } = JSON.parse(readFileSync(join(ROOT, "tests/api/vars.json"), "utf8"));

const hasSqlite3 = spawnSync("sqlite3", ["-version"]).status === 0;

let work;
before(() => (work = mkdtempSync(join(tmpdir(), "larder-smtp-"))));
after(() => rmSync(work, { recursive: true, force: true }));

// A minimal ESMTP server: EHLO (advertising AUTH), AUTH PLAIN, MAIL, RCPT, DATA, QUIT.
function startSmtpServer() {
  const messages = [];
  const auths = [];
  let onMessage = () => {};
  const server = net.createServer((sock) => {
    let buf = "";
    let inData = false;
    const envelope = { from: "", to: [] };
    sock.write("220 localhost ESMTP test\r\n");
    sock.on("data", (chunk) => {
      buf += chunk.toString("latin1");
      for (;;) {
        if (inData) {
          const end = buf.indexOf("\r\n.\r\n");
          if (end < 0) return;
          const data = buf.slice(0, end + 2).replace(/^\.\./gm, ".");
          buf = buf.slice(end + 5);
          inData = false;
          messages.push({ ...envelope, data });
          onMessage();
          sock.write("250 2.0.0 queued\r\n");
          continue;
        }
        const nl = buf.indexOf("\r\n");
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.split(" ")[0].toUpperCase();
        if (verb === "EHLO") sock.write("250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
        else if (verb === "AUTH") {
          auths.push(Buffer.from(line.split(" ")[2] ?? "", "base64").toString("utf8"));
          sock.write("235 2.7.0 ok\r\n");
        } else if (verb === "MAIL") {
          envelope.from = line.match(/<(.*)>/)?.[1];
          sock.write("250 ok\r\n");
        } else if (verb === "RCPT") {
          envelope.to.push(line.match(/<(.*)>/)?.[1]);
          sock.write("250 ok\r\n");
        } else if (verb === "DATA") {
          inData = true;
          sock.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          sock.end("221 bye\r\n");
        } else sock.write("502 unknown\r\n");
      }
    });
    sock.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        messages,
        auths,
        next: () => new Promise((r) => (onMessage = r)),
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

// The text parts of a multipart message, base64-decoded.
function parts(data) {
  const out = {};
  for (const m of data.matchAll(/Content-Type: (text\/\w+);[^\r\n]*\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/g))
    out[m[1]] = Buffer.from(m[2].replace(/\r\n/g, ""), "base64").toString("utf8");
  return out;
}

test("request-verification is delivered over SMTP", { skip: !hasSqlite3 && "needs the sqlite3 tool" }, async () => {
  const smtp = await startSmtpServer();
  const dir = join(work, "pb_data");
  cpSync(join(FIXTURES, "pocketbase-testdata"), dir, { recursive: true });
  const set = spawnSync(
    "sqlite3",
    [
      join(dir, "data.db"),
      `UPDATE _params SET value = json_set(CAST(value AS TEXT), '$.smtp.enabled', json('true'), '$.smtp.host', '127.0.0.1', ` +
        `'$.smtp.port', ${smtp.port}, '$.smtp.username', 'mailer', '$.smtp.password', 's3cret', '$.smtp.tls', json('false'), ` +
        `'$.meta.senderName', 'Acme Support', '$.meta.senderAddress', 'support@acme.test') WHERE id = 'settings'`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(set.status, 0, set.stderr);

  const server = await startNative({ dir });
  try {
    const arrived = smtp.next();
    const res = await fetch(`${server.url}/api/collections/users/request-verification`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "test@example.com" }),
    });
    assert.equal(res.status, 204);
    await Promise.race([arrived, new Promise((_, rej) => setTimeout(() => rej(new Error("no mail within 10 s")), 10000))]);

    const [msg] = smtp.messages;
    assert.equal(msg.from, "support@acme.test");
    assert.deepEqual(msg.to, ["test@example.com"]);
    assert.match(msg.data, /^To: <test@example\.com>\r$/m);
    assert.match(msg.data, /^From: "Acme Support" <support@acme\.test>\r$/m);
    assert.match(msg.data, /^Subject: Verify your acme_test email\r$/m);
    const { "text/html": html, "text/plain": text } = parts(msg.data);
    assert.match(html, /confirm-verification\/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    assert.ok(text.length > 0);
    // AUTH PLAIN on a loopback server (credentials over plain text are refused elsewhere).
    assert.deepEqual(smtp.auths, ["\0mailer\0s3cret"]);

    // The outbox is the fallback mailer only; with SMTP installed it is not there.
    const outbox = await fetch(`${server.url}/api/larder/outbox`, { headers: { Authorization: suToken } });
    assert.equal(outbox.status, 404);
  } finally {
    await server.stop();
    await smtp.close();
  }
});

async function api(server, method, path, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: { Authorization: suToken, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const within = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`no ${what} within ${ms} ms`)), ms))]);

test("SMTP settings apply without a restart; test emails for every template", async () => {
  const smtp = await startSmtpServer();
  const dir = join(work, "pb_data_live");
  cpSync(join(FIXTURES, "pocketbase-testdata"), dir, { recursive: true });
  const server = await startNative({ dir });
  try {
    const verify = () =>
      fetch(`${server.url}/api/collections/users/request-verification`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "test@example.com" }),
      });
    // SMTP off: the outbox gets the test mail.
    assert.equal((await api(server, "PATCH", "/api/settings", { smtp: { enabled: false } })).status, 200);
    assert.equal((await api(server, "POST", "/api/settings/test/email", { email: "to@example.com", template: "otp" })).status, 204);
    const before = await api(server, "GET", "/api/larder/outbox");
    assert.equal(before.status, 200);
    assert.equal(before.json[0].to, "to@example.com");
    assert.match(before.json[0].html, /123456/);

    const on = await api(server, "PATCH", "/api/settings", {
      smtp: { enabled: true, host: "127.0.0.1", port: smtp.port, username: "", password: "", tls: false },
      meta: { senderName: "Live", senderAddress: "live@acme.test" },
    });
    assert.equal(on.status, 200, JSON.stringify(on.json));
    let arrived = smtp.next();
    assert.equal((await verify()).status, 204);
    await within(arrived, 10000, "mail");
    assert.equal(smtp.messages.at(-1).from, "live@acme.test");
    assert.deepEqual(smtp.messages.at(-1).to, ["test@example.com"]);
    assert.equal((await api(server, "GET", "/api/larder/outbox")).status, 404);

    for (const template of ["verification", "password-reset", "email-change", "otp", "login-alert"]) {
      arrived = smtp.next();
      const r = await api(server, "POST", "/api/settings/test/email", { email: "probe@example.com", template, collection: "users" });
      assert.equal(r.status, 204, template);
      await within(arrived, 10000, `${template} mail`);
      const msg = smtp.messages.at(-1);
      assert.deepEqual(msg.to, ["probe@example.com"], template);
      assert.ok(parts(msg.data)["text/html"].length > 0, template);
    }

    // Off again: back to the outbox, nothing more over SMTP.
    const count = smtp.messages.length;
    assert.equal((await api(server, "PATCH", "/api/settings", { smtp: { enabled: false } })).status, 200);
    const reset = await fetch(`${server.url}/api/collections/users/request-password-reset`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "test@example.com" }),
    });
    assert.equal(reset.status, 204);
    const after = await api(server, "GET", "/api/larder/outbox");
    assert.equal(after.status, 200);
    assert.equal(after.json[0].to, "test@example.com");
    assert.match(after.json[0].html, /confirm-password-reset/);
    assert.equal(smtp.messages.length, count);
  } finally {
    await server.stop();
    await smtp.close();
  }
});
