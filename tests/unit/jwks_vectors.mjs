// Generates tests/unit/jwks_vectors.inc, the fixed RSA / Ed25519 / JWT vectors of
// jwks_test.cpp, with node:crypto (OpenSSL): `node tests/unit/jwks_vectors.mjs`. The output is
// committed so the unit tests need neither Node nor OpenSSL; rerunning makes new random keys.
import { constants, createHash, createSign, generateKeyPairSync, privateEncrypt, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const b64url = (buf) => Buffer.from(buf).toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const lines = [];
const str = (name, value) => lines.push(`constexpr std::string_view ${name} = ${JSON.stringify(value)};`);
const hex = (name, buf) => str(name, Buffer.from(buf).toString("hex"));

function rsaKey(bits) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
  return { privateKey, jwk: publicKey.export({ format: "jwk" }) };
}

const hashOf = { RS256: "sha256", RS384: "sha384", RS512: "sha512" };
const jwt = (header, claims, signer) => {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(signer(Buffer.from(input)))}`;
};
const rsaSigner = (key, alg) => (data) => createSign(hashOf[alg]).update(data).sign(key);

const MSG = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0";
str("kMessage", MSG);

// RSA keys of several sizes and signatures of MSG with each hash.
for (const bits of [1024, 2048, 3072, 4096]) {
  const k = rsaKey(bits);
  str(`kRsa${bits}N`, k.jwk.n);
  str(`kRsa${bits}E`, k.jwk.e);
  for (const alg of ["RS256", "RS384", "RS512"]) str(`kRsa${bits}Sig${alg}`, b64url(rsaSigner(k.privateKey, alg)(Buffer.from(MSG))));
  if (bits === 2048) {
    // Hostile encodings made with the private key: the bare hash without DigestInfo, the
    // SHA-1 DigestInfo, and a short padding followed by garbage after the hash.
    const h = createHash("sha256").update(MSG).digest();
    str("kRsa2048BareHash", b64url(privateEncrypt({ key: k.privateKey, padding: constants.RSA_PKCS1_PADDING }, h)));
    const sha1Info = Buffer.concat([Buffer.from("3021300906052b0e03021a05000414", "hex"), createHash("sha1").update(MSG).digest()]);
    str("kRsa2048Sha1Info", b64url(privateEncrypt({ key: k.privateKey, padding: constants.RSA_PKCS1_PADDING }, sha1Info)));
    const info = Buffer.concat([Buffer.from("3031300d060960864801650304020105000420", "hex"), h]);
    const em = Buffer.alloc(256, 0xff);
    em[0] = 0;
    em[1] = 1;
    const start = 256 - info.length - 40;
    em[start - 1] = 0;
    info.copy(em, start);
    em.fill(0x41, start + info.length);
    str("kRsa2048Garbage", b64url(privateEncrypt({ key: k.privateKey, padding: constants.RSA_NO_PADDING }, em)));
    // Tokens for the JWKS tests.
    const now = 1_700_000_000;
    const claims = { iss: "https://issuer.test", sub: "u1", aud: "app", iat: now - 10, exp: now + 600 };
    str("kJwksRsaN", k.jwk.n);
    str("kJwksRsaE", k.jwk.e);
    str("kTokRs256", jwt({ alg: "RS256", kid: "rsa1", typ: "JWT" }, claims, rsaSigner(k.privateKey, "RS256")));
    str("kTokRs512", jwt({ alg: "RS512", kid: "rsa512", typ: "JWT" }, claims, rsaSigner(k.privateKey, "RS512")));
    str("kTokRs256NoKid", jwt({ alg: "RS256", typ: "JWT" }, claims, rsaSigner(k.privateKey, "RS256")));
    str("kTokRs256Expired", jwt({ alg: "RS256", kid: "rsa1" }, { ...claims, exp: now - 1 }, rsaSigner(k.privateKey, "RS256")));
    str("kTokRs256Nbf", jwt({ alg: "RS256", kid: "rsa1" }, { ...claims, nbf: now + 100 }, rsaSigner(k.privateKey, "RS256")));
    str("kTokPs256", jwt({ alg: "PS256", kid: "ps1" }, claims, (d) => sign("sha256", d, { key: k.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING })));
    lines.push("constexpr int64_t kJwtNow = 1700000000;");
    // Valid until 2100, for the App-level tests that run on the real clock.
    const far = { iat: now, exp: 4_102_444_800 };
    str("kTokAppleFar", jwt({ alg: "RS256", kid: "rsa1" }, { iss: "https://appleid.apple.com", aud: "app", sub: "apple-1", email: "ann@apple.example", email_verified: "true", ...far }, rsaSigner(k.privateKey, "RS256")));
    str("kTokOidcFar", jwt({ alg: "RS256", kid: "rsa1" }, { iss: "https://issuer.test", aud: "app", sub: "oidc-1", email: "olly@example.com", email_verified: true, name: "Olly", ...far }, rsaSigner(k.privateKey, "RS256")));
  }
}

// Ed25519: a key, a signature of MSG, and a token.
{
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  str("kEdX", jwk.x);
  str("kEdSig", b64url(sign(null, Buffer.from(MSG), privateKey)));
  const now = 1_700_000_000;
  const claims = { iss: "https://issuer.test", sub: "u1", aud: "app", iat: now - 10, exp: now + 600 };
  str("kTokEdDSA", jwt({ alg: "EdDSA", kid: "ed1", typ: "JWT" }, claims, (d) => sign(null, d, privateKey)));
  // 100 random messages and signatures, to cross-check more than one point of the arithmetic.
  lines.push("constexpr std::string_view kEdMany[][3] = {");
  for (let i = 0; i < 100; i++) {
    const kp = generateKeyPairSync("ed25519");
    const m = Buffer.from(createHash("sha256").update(String(i)).digest().subarray(0, i % 32));
    lines.push(`  {${JSON.stringify(kp.publicKey.export({ format: "jwk" }).x)}, ${JSON.stringify(m.toString("hex"))}, ${JSON.stringify(b64url(sign(null, m, kp.privateKey)))}},`);
  }
  lines.push("};");
}

const out = fileURLToPath(new URL("./jwks_vectors.inc", import.meta.url));
writeFileSync(out, `// Generated by tests/unit/jwks_vectors.mjs (node:crypto); do not edit.\n// NOLINTBEGIN\n${lines.join("\n")}\n// NOLINTEND\n`);
