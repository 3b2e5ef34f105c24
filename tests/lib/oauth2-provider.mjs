// A small OAuth2 / OpenID Connect provider for the OAuth2 tests, run as its own process on
// loopback (startOAuth2Provider() below spawns this file; `node tests/lib/oauth2-provider.mjs
// '<config json>'` runs it by hand). It prints `listening <base url>` once it accepts requests.
//
// Endpoints:
//   GET  /authorize     auto-approves the configured user and redirects to redirect_uri with
//                       code and state (unknown client_id: 400, no redirect)
//   POST /token         authorization_code grant: client id/secret (Basic header or form
//                       fields), the code (single use), the same redirect_uri, the PKCE verifier
//                       (S256 or plain) -> access_token, id_token (HS256, keyed by the client
//                       secret), refresh_token, expires_in. `?format=form` answers urlencoded,
//                       as GitHub does without an Accept header.
//   GET  /userinfo      OIDC claims of the token's user (Bearer token)
//   GET  /api/user, /api/user/emails   the same user in GitHub's shapes (which Gitea's match,
//                       with its full_name and active fields added)
//   POST /_control      {"user": {...}} sets the user the next authorization approves;
//                       {"faults": {"token"|"userinfo"|"emails": "<fault>"}} makes later answers
//                       hostile: status500, malformed, huge, redirect, slow, wrongType, html
//   GET  /_log          the requests received so far (method, path, headers, body); CORS
//                       preflights are answered but not logged
//   GET  /avatar.png    a 1x1 PNG (AVATAR_PNG); /avatar-redirect redirects to it, /avatar-empty
//                       answers an empty body
//   GET  /jwks          the JSON Web Key Set: an RSA key (kid "rsa-1", RS256; the same key as
//                       kid "rsa-pss-1", PS256) and an Ed25519 key (kid "ed-1", EdDSA), made at
//                       start with node:crypto
//   POST /_control      {"idToken": {alg: "HS256"|"RS256"|"PS256"|"EdDSA", kid, iss, aud, expIn, tamper}}
//                       signs later id_tokens with the JWKS keys (RS256/PS256/EdDSA, kid) or
//                       the client secret (HS256, the default, no kid), with the claims
//                       overridden (expIn: seconds from now) or the signature spoiled (tamper)
//   Apple shape:        /authorize with response_mode=form_post answers 200 with Apple's
//                       auto-submitting HTML form (code, state and, when the user has
//                       firstName/lastName, the `user` JSON) instead of a redirect
//   POST /_control      {"cors": false} stops answering CORS (as GitHub's token endpoint does)
//
// CORS: every answer allows the requesting origin, and OPTIONS preflights are answered for any
// path, because in a browser the core's requests are the service worker's fetch() from the
// page's origin (sdk/src/net.ts), with an Authorization header (Basic or Bearer).
//
// Config: {"clients": [{"id", "secret"}], "user": {sub, email, email_verified, name,
// preferred_username, picture}, "cors": true}.
import { spawn } from "node:child_process";
import { constants, createHash, createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign } from "node:crypto";
import http from "node:http";
import { fileURLToPath } from "node:url";

// A 1x1 PNG, served as the users' avatar at /avatar.png.
export const AVATAR_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

function b64url(buf) {
  return Buffer.from(buf).toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function signJwt(claims, key) {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const sig = b64url(createHmac("sha256", key).update(`${head}.${body}`).digest());
  return `${head}.${body}.${sig}`;
}

// id_token signing keys, published at /jwks.
const signingKeys = (() => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ed = generateKeyPairSync("ed25519");
  return {
    rsa: rsa.privateKey,
    ed: ed.privateKey,
    jwks: {
      keys: [
        { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa-1", alg: "RS256", use: "sig" },
        { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa-pss-1", alg: "PS256", use: "sig" },
        { ...ed.publicKey.export({ format: "jwk" }), kid: "ed-1", alg: "EdDSA", use: "sig" },
      ],
    },
  };
})();

// An id_token per the /_control idToken options (see the header).
function signIdToken(claims, secret, opts = {}) {
  const alg = opts.alg ?? "HS256";
  if (alg === "HS256" && !opts.kid) return signJwt(claims, secret);
  const header = { alg, typ: "JWT", ...(opts.kid ? { kid: opts.kid } : {}) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let sig;
  if (alg === "RS256") sig = cryptoSign("sha256", Buffer.from(input), signingKeys.rsa);
  else if (alg === "PS256") sig = cryptoSign("sha256", Buffer.from(input), { key: signingKeys.rsa, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  else if (alg === "EdDSA") sig = cryptoSign(null, Buffer.from(input), signingKeys.ed);
  else sig = createHmac("sha256", secret).update(input).digest();
  if (opts.tamper) sig[sig.length >> 1] ^= 0x01;
  return `${input}.${b64url(sig)}`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (c) => {
      size += c.length;
      if (size > 1 << 20) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function runServer(config) {
  const clients = new Map((config.clients ?? []).map((c) => [c.id, c]));
  let user = config.user ?? { sub: "user-1", email: "user@example.com", email_verified: true, name: "User One" };
  let faults = {};
  let idTokenOpts = {};
  let cors = config.cors ?? true;
  const codes = new Map(); // code -> {clientId, redirectUri, challenge, method, user, used}
  const tokens = new Map(); // access token -> user
  const log = [];

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  // A hostile answer instead of the real one, when a fault is set for this endpoint.
  const fault = (res, kind, good) => {
    switch (kind) {
      case "status500":
        return json(res, 500, { error: "server_error" });
      case "malformed":
        res.writeHead(200, { "Content-Type": "application/json" });
        return res.end('{"access_token": "abc", "sub": ');
      case "huge":
        res.writeHead(200, { "Content-Type": "application/json" });
        // 12 MiB: over the native client's 8 MiB cap.
        return res.end(`{"pad":"${"x".repeat(12 << 20)}"}`);
      case "redirect":
        res.writeHead(302, { Location: "http://127.0.0.1:1/elsewhere" });
        return res.end();
      case "wrongType":
        return json(res, 200, { ...good, sub: 12345, id: "not-a-number", access_token: 42 });
      case "html":
        res.writeHead(200, { "Content-Type": "text/html" });
        return res.end("<html>oops</html>");
      case "slow":
        return; // never answers; the client's timeout must end it
      default:
        return json(res, 200, good);
    }
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (cors && req.headers.origin) {
      res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
      res.setHeader("Vary", "Origin");
      if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
        res.writeHead(204, {
          "Access-Control-Allow-Methods": "GET, POST",
          "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "",
          // Not cached: a test that turns CORS off must meet a preflight at the next request.
          "Access-Control-Max-Age": "0",
        });
        return res.end();
      }
    }
    const body = await readBody(req);
    log.push({ method: req.method, path: url.pathname, query: url.search, headers: req.headers, body });
    try {
      if (req.method === "POST" && url.pathname === "/_control") {
        const c = JSON.parse(body || "{}");
        if (c.user) user = c.user;
        if (c.faults) faults = c.faults;
        if (c.idToken) idTokenOpts = c.idToken;
        if (typeof c.cors === "boolean") cors = c.cors;
        if (c.resetLog) log.length = 0;
        return json(res, 200, { ok: true });
      }
      if (req.method === "GET" && url.pathname === "/_log") return json(res, 200, log.slice(0, -1));
      if (req.method === "GET" && url.pathname === "/jwks") return json(res, 200, signingKeys.jwks);
      // Avatars (OAuth2 sign-up with avatarURL mapped to a file field).
      if (req.method === "GET" && url.pathname === "/avatar.png") {
        res.writeHead(200, { "Content-Type": "image/png", "Content-Length": AVATAR_PNG.length });
        return res.end(AVATAR_PNG);
      }
      if (req.method === "GET" && url.pathname === "/avatar-redirect") {
        res.writeHead(302, { Location: "/avatar.png" });
        return res.end();
      }
      if (req.method === "GET" && url.pathname === "/avatar-empty") {
        res.writeHead(200, { "Content-Type": "image/png", "Content-Length": 0 });
        return res.end();
      }

      if (req.method === "GET" && url.pathname === "/authorize") {
        const q = url.searchParams;
        const client = clients.get(q.get("client_id"));
        if (!client) return json(res, 400, { error: "invalid_client" });
        if (q.get("response_type") !== "code") return json(res, 400, { error: "unsupported_response_type" });
        const redirectUri = q.get("redirect_uri");
        if (!redirectUri) return json(res, 400, { error: "invalid_request" });
        const code = b64url(randomBytes(18));
        codes.set(code, {
          clientId: client.id,
          redirectUri,
          challenge: q.get("code_challenge"),
          method: q.get("code_challenge_method") || "plain",
          user: { ...user },
          used: false,
        });
        if (q.get("response_mode") === "form_post") {
          // Apple: the browser posts the answer to redirect_uri; the name only comes this way.
          const fields = { code, state: q.get("state") ?? "" };
          if (user.firstName || user.lastName)
            fields.user = JSON.stringify({ name: { firstName: user.firstName ?? "", lastName: user.lastName ?? "" }, email: user.email });
          const esc = (v) => String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
          const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join("");
          res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
          return res.end(`<html><body onload="document.forms[0].submit()"><form method="POST" action="${esc(redirectUri)}">${inputs}</form></body></html>`);
        }
        const to = new URL(redirectUri);
        to.searchParams.set("code", code);
        if (q.has("state")) to.searchParams.set("state", q.get("state"));
        res.writeHead(302, { Location: to.toString() });
        return res.end();
      }

      if (req.method === "POST" && url.pathname === "/token") {
        const form = new URLSearchParams(body);
        let id = form.get("client_id");
        let secret = form.get("client_secret");
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
        if (basic) {
          const [u, p] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
          id = decodeURIComponent(u.replace(/\+/g, " "));
          secret = decodeURIComponent((p ?? "").replace(/\+/g, " "));
        }
        const client = clients.get(id);
        if (!client || client.secret !== secret) return json(res, 401, { error: "invalid_client" });
        if (form.get("grant_type") !== "authorization_code") return json(res, 400, { error: "unsupported_grant_type" });
        const grant = codes.get(form.get("code") ?? "");
        if (!grant || grant.used || grant.clientId !== client.id) return json(res, 400, { error: "invalid_grant" });
        if ((form.get("redirect_uri") ?? "") !== grant.redirectUri) return json(res, 400, { error: "invalid_grant" });
        if (grant.challenge) {
          const verifier = form.get("code_verifier") ?? "";
          const expect = grant.method === "S256" ? b64url(createHash("sha256").update(verifier).digest()) : verifier;
          if (expect !== grant.challenge) return json(res, 400, { error: "invalid_grant", error_description: "PKCE" });
        }
        grant.used = true;
        const accessToken = b64url(randomBytes(24));
        tokens.set(accessToken, grant.user);
        const now = Math.floor(Date.now() / 1000);
        const { firstName: _f, lastName: _l, ...claimUser } = grant.user;
        const idToken = signIdToken(
          {
            iss: idTokenOpts.iss ?? "http://larder-test-idp",
            sub: grant.user.sub,
            aud: idTokenOpts.aud ?? client.id,
            iat: now,
            exp: now + (idTokenOpts.expIn ?? 600),
            ...claimUser,
          },
          client.secret,
          idTokenOpts,
        );
        const good = { access_token: accessToken, token_type: "bearer", expires_in: 3600, refresh_token: "refresh-" + accessToken, id_token: idToken };
        if (faults.token) return fault(res, faults.token, good);
        if (url.searchParams.get("format") === "form") {
          res.writeHead(200, { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" });
          return res.end(new URLSearchParams({ access_token: accessToken, token_type: "bearer", scope: "read:user,user:email" }).toString());
        }
        return json(res, 200, good);
      }

      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
      const tokenUser = bearer ? tokens.get(bearer[1]) : undefined;
      if (req.method === "GET" && url.pathname === "/userinfo") {
        if (!tokenUser) return json(res, 401, { error: "invalid_token" });
        return fault(res, faults.userinfo, tokenUser);
      }
      if (req.method === "GET" && url.pathname === "/api/user") {
        if (!tokenUser) return json(res, 401, { message: "Bad credentials" });
        const gh = { id: tokenUser.githubId ?? 1001, login: tokenUser.preferred_username ?? "octo", name: tokenUser.name ?? "", avatar_url: tokenUser.picture ?? "", email: tokenUser.email ?? null, full_name: tokenUser.name ?? "", active: true };
        return fault(res, faults.userinfo, gh);
      }
      if (req.method === "GET" && url.pathname === "/api/user/emails") {
        if (!tokenUser) return json(res, 401, { message: "Bad credentials" });
        const list = tokenUser.email ? [{ email: tokenUser.email, verified: !!tokenUser.email_verified, primary: true }] : [];
        return fault(res, faults.emails, list);
      }
      json(res, 404, { error: "not_found" });
    } catch (err) {
      json(res, 500, { error: String(err) });
    }
  });
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
  // The tests' "slow" fault leaves connections open; don't wait for them on exit.
  process.on("SIGINT", () => process.exit(0));
}

/**
 * Spawns the provider as a child process and resolves once it listens:
 * { url, control(body), log(), stop() }.
 */
export async function startOAuth2Provider(config) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("OAuth2 provider did not start")), 10000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`OAuth2 provider exited (${code})`));
    });
  });
  return {
    url,
    async control(body) {
      const res = await fetch(url + "/_control", { method: "POST", body: JSON.stringify(body) });
      if (!res.ok) throw new Error("control failed");
    },
    async log() {
      return (await fetch(url + "/_log")).json();
    },
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGKILL");
      });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runServer(JSON.parse(process.argv[2] ?? "{}"));
