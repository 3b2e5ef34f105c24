// The native host's SMTP mailer: with settings.smtp.enabled, record mails go to the SMTP server
// (here a tiny one on loopback, written with `net`) instead of the in-memory outbox.
//
// There is no PATCH /api/settings yet, so the settings are written into the fixture's `_params`
// with the sqlite3 command line tool before the server starts (the mailer is chosen at startup).
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
