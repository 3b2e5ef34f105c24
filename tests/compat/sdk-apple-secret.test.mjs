// The official `pocketbase` JS SDK's pb.settings.generateAppleClientSecret against Larder (the
// native server over HTTP, the wasm core in Node): a fresh P-256 key from node:crypto, exported
// as Apple's .p8 (PKCS#8 PEM), goes in; the ES256 JWT that comes out is checked with node:crypto
// (OpenSSL) — signature, header and claims — so Larder's portable ECDSA is verified by another
// implementation. Errors surface as the SDK's ClientResponseError.
//
//   LARDER_TARGETS=native,node node --test tests/compat/sdk-apple-secret.test.mjs
import assert from "node:assert/strict";
import { generateKeyPairSync, verify } from "node:crypto";
import { after, before, describe, test } from "node:test";
import PocketBase from "pocketbase";
import { targets } from "../api/lib/targets.mjs";

const wanted = (process.env.LARDER_TARGETS ?? "native,node").split(",").filter((t) => ["native", "node", "pocketbase"].includes(t));

function client(session) {
  const pb = new PocketBase(session.baseUrl);
  pb.autoCancellation(false);
  pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
  return pb;
}

const json = (segment) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

for (const name of wanted) {
  describe(`official SDK Apple client secret on ${name}`, () => {
    let host, session, su;
    before(async () => {
      host = await targets[name].open();
      session = await host.session({ data: "pocketbase-testdata" });
      su = client(session);
      await su.collection("_superusers").authWithPassword("test@example.com", "1234567890");
    });
    after(async () => {
      await session?.close();
      await host?.close();
    });

    test("a fresh key's secret verifies with node:crypto and carries PocketBase's claims", async () => {
      for (let i = 0; i < 3; i++) {
        const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
        const pem = privateKey.export({ type: "pkcs8", format: "pem" });
        const before = Math.floor(Date.now() / 1000);
        const { secret } = await su.settings.generateAppleClientSecret("com.example.web", "TEAM0ABCDE", "KEY0ABCDEF", pem, 86400);
        const after = Math.ceil(Date.now() / 1000);
        const [h, c, s] = secret.split(".");
        assert.deepEqual(json(h), { alg: "ES256", kid: "KEY0ABCDEF", typ: "JWT" });
        const claims = json(c);
        assert.deepEqual(Object.keys(claims), ["iss", "sub", "aud", "exp", "iat"]);
        assert.equal(claims.iss, "TEAM0ABCDE");
        assert.equal(claims.sub, "com.example.web");
        assert.deepEqual(claims.aud, ["https://appleid.apple.com"]);
        assert.ok(claims.iat >= before && claims.iat <= after, `iat ${claims.iat} not in [${before}, ${after}]`);
        assert.equal(claims.exp, claims.iat + 86400);
        const sig = Buffer.from(s, "base64url");
        assert.equal(sig.length, 64);
        const data = Buffer.from(`${h}.${c}`);
        assert.ok(verify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, sig), "node:crypto rejects the signature");
        assert.ok(!verify("sha256", Buffer.from(`${h}.${c}x`), { key: publicKey, dsaEncoding: "ieee-p1363" }, sig));
      }
    });

    test("the same request signs deterministically within a second (RFC 6979)", async () => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const pem = privateKey.export({ type: "pkcs8", format: "pem" });
      const a = await su.settings.generateAppleClientSecret("id", "TEAM0ABCDE", "KEY0ABCDEF", pem, 60);
      const b = await su.settings.generateAppleClientSecret("id", "TEAM0ABCDE", "KEY0ABCDEF", pem, 60);
      const [pa, pb] = [a.secret.split("."), b.secret.split(".")];
      if (pa[1] === pb[1]) assert.equal(pa[2], pb[2]);  // same claims (same second): same signature
    });

    test("other keys and bad input are refused without echoing the key", async () => {
      const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
      await assert.rejects(su.settings.generateAppleClientSecret("id", "TEAM0ABCDE", "KEY0ABCDEF", rsa, 60), (e) => {
        assert.equal(e.status, 400);
        assert.equal(e.response.message, "Failed to generate client secret. Raw error: \nkey is not a valid ECDSA private key.");
        assert.ok(!JSON.stringify(e.response).includes(rsa.split("\n")[1]));
        return true;
      });
      const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "pem" });
      await assert.rejects(su.settings.generateAppleClientSecret("id", "TEAM0ABCDE", "KEY0ABCDEF", p384, 60), (e) => e.status === 400);
      await assert.rejects(su.settings.generateAppleClientSecret("id", "TEAM", "KEY0ABCDEF", "x", 0), (e) => {
        assert.equal(e.status, 400);
        assert.equal(e.response.message, "Invalid client secret data.");
        assert.deepEqual(Object.keys(e.response.data).sort(), ["duration", "privateKey", "teamId"]);
        return true;
      });
      const guest = client(session);
      await assert.rejects(guest.settings.generateAppleClientSecret("id", "TEAM0ABCDE", "KEY0ABCDEF", "x", 60), (e) => e.status === 401);
    });
  });
}
