// OAuth2 sign-in with the official `pocketbase` SDK against Larder, with a real OAuth2/OIDC
// provider process on loopback (tests/lib/oauth2-provider.mjs): authWithOAuth2Code (the manual
// flow) and authWithOAuth2 (the all-in-one flow over realtime `@oauth2` and /api/oauth2-redirect),
// sign-up, linking, the account-takeover protections and the error answers.
//
//   node --test tests/compat/sdk-oauth2.test.mjs                both targets
//   LARDER_TARGETS=native node --test tests/compat/sdk-oauth2.test.mjs
//
// Targets (tests/api/lib/targets.mjs): the native server, and the wasm core in Node, whose
// outgoing requests go through the JS host's fetch() (sdk/src/net.ts) while the core replays.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import PocketBase from "pocketbase";
import { targets } from "../api/lib/targets.mjs";
import { EventSource } from "../lib/event-source.mjs";
import { AVATAR_PNG, startOAuth2Provider } from "../lib/oauth2-provider.mjs";

globalThis.EventSource = EventSource;

const wanted = (process.env.LARDER_TARGETS ?? "native,node").split(",").filter((t) => ["native", "node"].includes(t));

const OIDC = { id: "larder-app", secret: "s3cret-value" };
const GITHUB = { id: "gh-app", secret: "gh-s3cret" };

function client(session) {
  const pb = new PocketBase(session.baseUrl);
  pb.autoCancellation(false);
  pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
  return pb;
}

const b64url = (buf) => Buffer.from(buf).toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

for (const name of wanted) {
  describe(`OAuth2 with the official SDK on ${name}`, () => {
    let host, idp, session, su;
    // A provider config whose endpoints are the test provider's.
    const oidcProvider = (name, more = {}) => ({
      name,
      clientId: OIDC.id,
      clientSecret: OIDC.secret,
      authURL: idp.url + "/authorize",
      tokenURL: idp.url + "/token",
      ...more,
    });
    const redirectURL = () => session.baseUrl + "/api/oauth2-redirect";

    before(async () => {
      idp = await startOAuth2Provider({ clients: [OIDC, GITHUB] });
      host = await targets[name].open();
      session = await host.session({ data: "pocketbase-testdata" });
      EventSource.fetch = session.fetch; // the all-in-one flow's realtime reaches this session
      su = client(session);
      await su.collection("_superusers").authWithPassword("test@example.com", "1234567890");
      await su.collections.create({
        name: "members",
        type: "auth",
        createRule: "",
        listRule: "id = @request.auth.id",
        viewRule: "id = @request.auth.id",
        fields: [
          { name: "name", type: "text" },
          { name: "nick", type: "text", max: 20 },
          { name: "avatarUrl", type: "url" },
        ],
        indexes: ["CREATE UNIQUE INDEX idx_members_nick ON members (nick) WHERE nick != ''"],
        oauth2: {
          enabled: true,
          mappedFields: { name: "name", username: "nick", avatarURL: "avatarUrl" },
          providers: [
            {
              ...oidcProvider("oidc", { userInfoURL: idp.url + "/userinfo" }),
              displayName: "Test IdP",
            },
            // No user-info URL: the user comes from the id_token.
            oidcProvider("oidc2"),
            {
              name: "github",
              clientId: GITHUB.id,
              clientSecret: GITHUB.secret,
              authURL: idp.url + "/authorize",
              tokenURL: idp.url + "/token?format=form",
              userInfoURL: idp.url + "/api/user",
            },
            // Gitea's /api/v1/user and /emails have GitHub's shapes (plus full_name, active).
            {
              name: "gitea",
              clientId: GITHUB.id,
              clientSecret: GITHUB.secret,
              authURL: idp.url + "/authorize",
              tokenURL: idp.url + "/token",
              userInfoURL: idp.url + "/api/user",
            },
          ],
        },
      });
      await su.collections.create({ name: "plain", type: "auth", createRule: "" });
    });
    after(async () => {
      await session?.close();
      await host?.close();
      await idp?.stop();
    });

    // The browser part of the manual flow: open the provider's authURL (auto-approved by the
    // test provider for `user`) and read the code off the redirect.
    async function authorize(pb, provider, user, collection = "members") {
      await idp.control({ user, faults: {} });
      const methods = await pb.collection(collection).listAuthMethods();
      const p = methods.oauth2.providers.find((x) => x.name === provider);
      assert.ok(p, `provider ${provider} listed`);
      const res = await fetch(p.authURL + encodeURIComponent(redirectURL()), { redirect: "manual" });
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.get("location"));
      assert.equal(loc.searchParams.get("state"), p.state);
      return { code: loc.searchParams.get("code"), codeVerifier: p.codeVerifier };
    }

    async function signIn(pb, provider, user, createData) {
      const { code, codeVerifier } = await authorize(pb, provider, user);
      return pb.collection("members").authWithOAuth2Code(provider, code, codeVerifier, redirectURL(), createData);
    }

    async function rejects(promise, status, message, check) {
      await assert.rejects(promise, (e) => {
        assert.equal(e.status, status, JSON.stringify(e.response));
        assert.equal(e.response.message, message);
        check?.(e.response.data);
        return true;
      });
    }

    test("auth-methods lists the providers with state, PKCE and an authURL ending in redirect_uri=", async () => {
      const m = await client(session).collection("members").listAuthMethods();
      assert.equal(m.oauth2.enabled, true);
      assert.deepEqual(m.oauth2.providers.map((p) => p.name), ["oidc", "oidc2", "github", "gitea"]);
      const [p] = m.oauth2.providers;
      // The SDK asks for ?fields=…, and PocketBase's fields picker answers with Go maps (sorted keys).
      assert.deepEqual(Object.keys(p), ["authURL", "authUrl", "codeChallenge", "codeChallengeMethod", "codeVerifier", "displayName", "logo", "name", "state"]);
      assert.equal(p.displayName, "Test IdP");
      assert.match(p.state, /^[A-Za-z0-9]{30}$/);
      assert.match(p.codeVerifier, /^[A-Za-z0-9]{43}$/);
      assert.equal(p.codeChallenge, b64url(createHash("sha256").update(p.codeVerifier).digest()));
      assert.equal(p.codeChallengeMethod, "S256");
      assert.equal(
        p.authURL,
        `${idp.url}/authorize?client_id=${OIDC.id}&code_challenge=${p.codeChallenge}&code_challenge_method=S256` +
          `&response_type=code&scope=openid+email+profile&state=${p.state}&redirect_uri=`,
      );
      assert.equal(p.authUrl, p.authURL);
      const raw = await (await session.fetch("/api/collections/members/auth-methods")).json();
      assert.equal(raw.authProviders.length, 4);
      assert.equal(raw.authProviders[0].logo, "");
      assert.equal(raw.authProviders[0].state, raw.oauth2.providers[0].state);
      const plain = await (await session.fetch("/api/collections/plain/auth-methods")).json();
      assert.deepEqual(plain.oauth2, { providers: [], enabled: false });
      assert.equal(plain.authProviders, null);
    });

    test("sign-up creates a verified user; the next sign-in finds the same user", async () => {
      const pb = client(session);
      const alice = { sub: "alice-1", email: "alice@example.com", email_verified: true, name: "Alice", preferred_username: "alice", picture: "https://img.example/a.png" };
      const first = await signIn(pb, "oidc", alice);
      assert.equal(first.meta.isNew, true);
      assert.equal(first.meta.id, "alice-1");
      assert.equal(first.meta.email, "alice@example.com");
      assert.equal(first.meta.avatarURL, "https://img.example/a.png");
      assert.equal(first.meta.avatarUrl, "https://img.example/a.png");
      assert.match(first.meta.accessToken, /.+/);
      assert.match(first.meta.refreshToken, /^refresh-/);
      assert.match(first.meta.expiry, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(first.meta.rawUser.sub, "alice-1");
      assert.deepEqual(Object.keys(first.meta), [...Object.keys(first.meta)].sort());
      assert.equal(first.record.email, "alice@example.com");
      assert.equal(first.record.verified, true);
      assert.equal(first.record.name, "Alice");
      assert.equal(first.record.nick, "alice");
      assert.equal(first.record.avatarUrl, "https://img.example/a.png");
      assert.ok(pb.authStore.isValid);
      assert.equal((await pb.collection("members").authRefresh()).record.id, first.record.id);

      const again = await signIn(client(session), "oidc", alice);
      assert.equal(again.meta.isNew, false);
      assert.equal(again.record.id, first.record.id);
      const links = await su.collection("_externalAuths").getFullList({ filter: `recordRef = "${first.record.id}"` });
      assert.deepEqual(links.map((l) => [l.provider, l.providerId]), [["oidc", "alice-1"]]);
    });

    test("a user lists and unlinks their own provider links (the SDK's _externalAuths calls)", async () => {
      const pb = client(session);
      const own = await signIn(pb, "oidc", { sub: "lee-1", email: "lee@example.com", email_verified: true, name: "Lee" });
      const other = client(session);
      await signIn(other, "oidc", { sub: "max-1", email: "max@example.com", email_verified: true, name: "Max" });
      // The owner rule: each sees only their own links.
      const mine = await pb.collection("_externalAuths").getFullList();
      assert.deepEqual(mine.map((l) => [l.recordRef, l.provider, l.providerId]), [[own.record.id, "oidc", "lee-1"]]);
      const theirs = await other.collection("_externalAuths").getFullList();
      assert.deepEqual(theirs.map((l) => l.providerId), ["max-1"]);
      await assert.rejects(other.collection("_externalAuths").delete(mine[0].id), (e) => e.status === 404);
      assert.deepEqual(await client(session).collection("_externalAuths").getFullList(), [], "a guest sees none");
      // Unlinked, the next sign-in with that account finds the record by its verified email again.
      await pb.collection("_externalAuths").delete(mine[0].id);
      assert.deepEqual(await pb.collection("_externalAuths").getFullList(), []);
      const back = await signIn(client(session), "oidc", { sub: "lee-1", email: "lee@example.com", email_verified: true, name: "Lee" });
      assert.equal(back.meta.isNew, false);
      assert.equal(back.record.id, own.record.id);
    });

    test("the id_token is the user when there is no user-info URL", async () => {
      const r = await signIn(client(session), "oidc2", { sub: "erin-1", email: "erin@example.com", email_verified: true, name: "Erin" });
      assert.equal(r.meta.isNew, true);
      assert.equal(r.meta.rawUser.aud, OIDC.id);
      assert.equal(r.record.email, "erin@example.com");
      assert.equal(r.record.verified, true);
    });

    test("GitHub: urlencoded token answer, numeric id, primary email from /user/emails", async () => {
      const r = await signIn(client(session), "github", { githubId: 4242, preferred_username: "octo", name: "Octo Cat", email: "octo@example.com", email_verified: true });
      assert.equal(r.meta.id, "4242");
      assert.equal(r.meta.username, "octo");
      assert.equal(r.record.email, "octo@example.com");
      assert.equal(r.record.verified, true);
      const log = await idp.log();
      const emails = log.filter((e) => e.path === "/api/user/emails").at(-1);
      assert.match(emails.headers.authorization, /^Bearer /);
    });

    test("Gitea: numeric id, full_name, the verified primary email from <user info>/emails", async () => {
      const r = await signIn(client(session), "gitea", { githubId: 7070, preferred_username: "tea", name: "Tea Cup", email: "tea@example.com", email_verified: true });
      assert.equal(r.meta.id, "7070");
      assert.equal(r.meta.name, "Tea Cup");
      assert.equal(r.meta.username, "tea");
      assert.equal(r.meta.rawUser.active, true);
      assert.equal(r.record.email, "tea@example.com");
      assert.equal(r.record.verified, true);
      const log = await idp.log();
      const emails = log.filter((e) => e.path === "/api/user/emails").at(-1);
      assert.match(emails.headers.authorization, /^Bearer /);
    });

    test("a signed-in user links another provider to the same record", async () => {
      const pb = client(session);
      const bob = await pb.collection("members").create({ email: "bob@example.com", password: "bob-password-1", passwordConfirm: "bob-password-1" });
      await pb.collection("members").authWithPassword("bob@example.com", "bob-password-1");
      const r = await signIn(pb, "github", { githubId: 5151, preferred_username: "bobgh", email: "bob.gh@example.com", email_verified: true });
      assert.equal(r.record.id, bob.id);
      assert.equal(r.meta.isNew, false);
      assert.equal(r.record.verified, false); // a different address: nothing verified
      // Their own session: the password stays.
      await pb.collection("members").authWithPassword("bob@example.com", "bob-password-1");
    });

    test("takeover: a password set by whoever registered the address first stops working", async () => {
      const attacker = client(session);
      const squat = await attacker.collection("members").create({ email: "victim@example.com", password: "attacker-pass", passwordConfirm: "attacker-pass" });
      await attacker.collection("members").authWithPassword("victim@example.com", "attacker-pass");
      const r = await signIn(client(session), "oidc", { sub: "victim-1", email: "victim@example.com", email_verified: true, name: "Victim" });
      assert.equal(r.record.id, squat.id); // PocketBase links by verified email...
      assert.equal(r.meta.isNew, false);
      assert.equal(r.record.verified, true);
      // ...after replacing the squatter's password, and the verification ended their session.
      await rejects(attacker.collection("members").authWithPassword("victim@example.com", "attacker-pass"), 400, "Failed to authenticate.");
      await assert.rejects(attacker.collection("members").authRefresh(), (e) => e.status === 401);
    });

    test("takeover: a squatter's own OAuth2 link is dropped when the owner signs in", async () => {
      // The attacker signs up through GitHub but submits the victim's address (kept unverified).
      const attackerGh = { githubId: 6666, preferred_username: "mallory", email: "mallory@evil.test", email_verified: true };
      const squat = await signIn(client(session), "github", attackerGh, { email: "carol@example.com" });
      assert.equal(squat.meta.isNew, true);
      assert.equal(squat.record.email, "carol@example.com");
      assert.equal(squat.record.verified, false);

      const owner = await signIn(client(session), "oidc", { sub: "carol-1", email: "carol@example.com", email_verified: true });
      assert.equal(owner.record.id, squat.record.id);
      assert.equal(owner.record.verified, true);
      const links = await su.collection("_externalAuths").getFullList({ filter: `recordRef = "${squat.record.id}"` });
      assert.deepEqual(links.map((l) => l.provider), ["oidc"]);

      const again = await signIn(client(session), "github", attackerGh);
      assert.notEqual(again.record.id, squat.record.id);
      assert.equal(again.meta.isNew, true);
      assert.equal(again.record.email, "mallory@evil.test");
    });

    test("an unverified provider email neither links nor verifies", async () => {
      await su.collection("members").create({ email: "dave@example.com", password: "dave-password", passwordConfirm: "dave-password", verified: true });
      const dave = { sub: "dave-1", email: "dave@example.com", email_verified: false };
      // No trusted email: no lookup by address, and the sign-up has no email.
      await rejects(signIn(client(session), "oidc", dave), 400, "Failed to create record.", (d) => assert.equal(d.email.code, "validation_required"));
      const r = await signIn(client(session), "oidc", dave, { email: "dave.other@example.com" });
      assert.equal(r.meta.isNew, true);
      assert.equal(r.meta.email, "");
      assert.equal(r.record.verified, false);
    });

    test("error answers: bad code, reused code, wrong verifier, unknown provider, disabled OAuth2", async () => {
      const pb = client(session);
      const user = { sub: "frank-1", email: "frank@example.com", email_verified: true };
      const members = pb.collection("members");
      await rejects(members.authWithOAuth2Code("oidc", "no-such-code", "x", redirectURL()), 400, "Failed to fetch OAuth2 token.");

      const a = await authorize(pb, "oidc", user);
      await rejects(members.authWithOAuth2Code("oidc", a.code, a.codeVerifier + "x", redirectURL()), 400, "Failed to fetch OAuth2 token.");
      const b = await authorize(pb, "oidc", user);
      await rejects(members.authWithOAuth2Code("oidc", b.code, b.codeVerifier, redirectURL() + "/other"), 400, "Failed to fetch OAuth2 token.");
      const c = await authorize(pb, "oidc", user);
      await members.authWithOAuth2Code("oidc", c.code, c.codeVerifier, redirectURL());
      await rejects(members.authWithOAuth2Code("oidc", c.code, c.codeVerifier, redirectURL()), 400, "Failed to fetch OAuth2 token.");

      await rejects(members.authWithOAuth2Code("google", "x", "x", redirectURL()), 400, "An error occurred while loading the submitted data.", (d) => {
        assert.deepEqual(d.provider, { code: "validation_invalid_provider", message: "Provider with name google is missing or is not enabled.", params: { name: "google" } });
      });
      await rejects(members.authWithOAuth2Code("oidc", "", "x", redirectURL()), 400, "An error occurred while loading the submitted data.", (d) => {
        assert.equal(d.code.code, "validation_required");
      });
      await rejects(pb.collection("plain").authWithOAuth2Code("oidc", "x", "x", redirectURL()), 403, "The collection is not configured to allow OAuth2 authentication.");
    });

    test("hostile provider answers end in PocketBase's errors, never a crash", async () => {
      const pb = client(session);
      const user = { sub: "gina-1", email: "gina@example.com", email_verified: true };
      for (const fault of ["status500", "malformed", "huge", "html", "redirect", "wrongType"]) {
        const { code, codeVerifier } = await authorize(pb, "oidc", user);
        await idp.control({ faults: { userinfo: fault } });
        await rejects(pb.collection("members").authWithOAuth2Code("oidc", code, codeVerifier, redirectURL()), 400, "Failed to fetch OAuth2 user.");
      }
      for (const fault of ["status500", "malformed", "huge", "html", "redirect", "wrongType"]) {
        const { code, codeVerifier } = await authorize(pb, "oidc", user);
        await idp.control({ faults: { token: fault } });
        await rejects(pb.collection("members").authWithOAuth2Code("oidc", code, codeVerifier, redirectURL()), 400, "Failed to fetch OAuth2 token.");
      }
      await idp.control({ faults: {} });
      assert.equal((await (await session.fetch("/api/health")).json()).code, 200);
    });

    test("all-in-one authWithOAuth2: realtime @oauth2 and /api/oauth2-redirect", async () => {
      const pb = client(session);
      await idp.control({ user: { sub: "hank-1", email: "hank@example.com", email_verified: true, name: "Hank" }, faults: {} });
      const auth = await pb.collection("members").authWithOAuth2({
        provider: "oidc",
        // The "browser": follow the provider's redirect back to /api/oauth2-redirect.
        urlCallback: async (url) => {
          // The provider's answer redirects to the app's origin, which is the session (an
          // in-process backend has no port to follow the redirect to).
          const approve = await fetch(url, { redirect: "manual" });
          const back = approve.headers.get("location");
          assert.ok(back, `the provider redirected (HTTP ${approve.status})`);
          const res = await session.fetch(back);
          assert.equal(res.status, 200);
          assert.equal(await res.text(), "Auth completed. You can close this window and go back to the app.");
        },
      });
      assert.equal(auth.record.email, "hank@example.com");
      assert.equal(auth.meta.isNew, true);

      // Without a subscribed realtime client the redirect page reports a failure.
      const res = await session.fetch("/api/oauth2-redirect?state=nobody&code=abc");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.equal(await res.text(), "Failed to authenticate. You can close this window and go back to the app to try again.");
    });

    // --- id_token signatures (extra.jwksURL) and Apple, in their own collection --------------
    let signedReady;
    function signedCollection() {
      signedReady ??= su.collections.create({
        name: "signed",
        type: "auth",
        createRule: "",
        fields: [{ name: "name", type: "text" }],
        oauth2: {
          enabled: true,
          mappedFields: { name: "name" },
          providers: [
            // No user-info URL: the user is the id_token, checked against the provider's JWKS.
            oidcProvider("oidc", { extra: { jwksURL: idp.url + "/jwks", issuers: ["http://larder-test-idp"] } }),
            // Apple's endpoints pointed at the test provider; extra.jwksURL is honoured for
            // apple only on loopback (Larder's test seam; PocketBase always uses Apple's keys).
            oidcProvider("apple", { extra: { jwksURL: idp.url + "/jwks" } }),
          ],
        },
      });
      return signedReady;
    }

    async function signedSignIn(user, idToken) {
      await signedCollection();
      const pb = client(session);
      const { code, codeVerifier } = await authorize(pb, "oidc", user, "signed");
      await idp.control({ idToken });
      try {
        return await pb.collection("signed").authWithOAuth2Code("oidc", code, codeVerifier, redirectURL());
      } finally {
        await idp.control({ idToken: {} });
      }
    }

    test("OIDC extra.jwksURL: RS256 and EdDSA id_tokens signed by a listed key sign in", async () => {
      const rs = await signedSignIn({ sub: "jw-rs", email: "jw.rs@example.com", email_verified: true, name: "Jay RS" }, { alg: "RS256", kid: "rsa-1" });
      assert.equal(rs.meta.isNew, true);
      assert.equal(rs.record.email, "jw.rs@example.com");
      assert.equal(rs.record.verified, true);
      assert.equal(rs.record.name, "Jay RS");
      assert.equal(rs.meta.rawUser.iss, "http://larder-test-idp");
      const ed = await signedSignIn({ sub: "jw-ed", email: "jw.ed@example.com", email_verified: true }, { alg: "EdDSA", kid: "ed-1" });
      assert.equal(ed.record.email, "jw.ed@example.com");
      const ps = await signedSignIn({ sub: "jw-ps", email: "jw.ps@example.com", email_verified: true }, { alg: "PS256", kid: "rsa-pss-1" });
      assert.equal(ps.record.email, "jw.ps@example.com");
      const jwksFetches = (await idp.log()).filter((e) => e.path === "/jwks");
      assert.ok(jwksFetches.length >= 2, "the key set was fetched");
    });

    test("OIDC extra.jwksURL: bad signature, unknown kid, no kid, wrong iss/aud, expired -> 400", async () => {
      const user = { sub: "jw-bad", email: "jw.bad@example.com", email_verified: true };
      const variants = {
        "bad RS256 signature": { alg: "RS256", kid: "rsa-1", tamper: true },
        "bad EdDSA signature": { alg: "EdDSA", kid: "ed-1", tamper: true },
        "unknown kid": { alg: "RS256", kid: "rsa-404" },
        "kid of the other key type": { alg: "RS256", kid: "ed-1" },
        "no kid (HS256)": { alg: "HS256" },
        "wrong iss": { alg: "RS256", kid: "rsa-1", iss: "https://evil.example" },
        "wrong aud": { alg: "RS256", kid: "rsa-1", aud: "someone-else" },
        expired: { alg: "RS256", kid: "rsa-1", expIn: -1000 },
      };
      for (const [what, idToken] of Object.entries(variants)) {
        await assert.rejects(signedSignIn(user, idToken), (e) => {
          assert.equal(e.status, 400, what);
          assert.equal(e.response.message, "Failed to fetch OAuth2 user.", what);
          return true;
        });
      }
      const left = await su.collection("signed").getList(1, 1, { filter: `email = "jw.bad@example.com"` });
      assert.equal(left.totalItems, 0);
    });

    test("apple: listed with response_mode=form_post; the name comes from the redirect's posted `user`", async () => {
      await signedCollection();
      const pb = client(session);
      const methods = await pb.collection("signed").listAuthMethods();
      const apple = methods.oauth2.providers.find((p) => p.name === "apple");
      assert.ok(apple, "apple is listed");
      assert.equal(apple.displayName, "Apple");
      assert.match(apple.authURL, /[?&]response_mode=form_post&/);
      assert.match(apple.authURL, /[?&]scope=name\+email&/);

      await idp.control({
        user: { sub: "apple-ann", email: "ann@privaterelay.example", email_verified: "true", firstName: "Ann", lastName: "Apple" },
        idToken: { alg: "RS256", kid: "rsa-1", iss: "https://appleid.apple.com" },
      });
      try {
        const auth = await pb.collection("signed").authWithOAuth2({
          provider: "apple",
          // The "browser": Apple answers with a form that posts back to /api/oauth2-redirect.
          urlCallback: async (url) => {
            const page = await (await fetch(url)).text();
            const action = /action="([^"]+)"/.exec(page)[1].replace(/&amp;/g, "&");
            const fields = new URLSearchParams();
            for (const m of page.matchAll(/name="([^"]+)" value="([^"]*)"/g))
              fields.set(m[1], m[2].replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&amp;/g, "&"));
            assert.ok(fields.get("user"), "the form carries the user");
            const res = await session.fetch(action, {
              method: "POST",
              headers: { "Content-Type": "application/x-www-form-urlencoded" },
              body: fields.toString(),
            });
            assert.equal(res.status, 200);
            assert.equal(await res.text(), "Auth completed. You can close this window and go back to the app.");
          },
        });
        assert.equal(auth.meta.isNew, true);
        assert.equal(auth.meta.id, "apple-ann");
        assert.equal(auth.meta.name, "Ann Apple");
        assert.equal(auth.meta.email, "ann@privaterelay.example");
        assert.equal(auth.record.name, "Ann Apple");
        assert.equal(auth.record.email, "ann@privaterelay.example");
        assert.equal(auth.record.verified, true);

        // Unverified email: not used. A wrong issuer or a bad signature: refused.
        await idp.control({ user: { sub: "apple-bo", email: "bo@example.com", email_verified: false } });
        for (const [idToken, ok] of [
          [{ alg: "RS256", kid: "rsa-1", iss: "https://appleid.apple.com" }, true],
          [{ alg: "RS256", kid: "rsa-1", iss: "http://larder-test-idp" }, false],
          [{ alg: "EdDSA", kid: "ed-1", iss: "https://appleid.apple.com", tamper: true }, false],
        ]) {
          const anon = client(session); // pb is signed in as Ann now, which would link instead
          const code = await appleCode(anon);
          await idp.control({ idToken });
          const p = anon.collection("signed").authWithOAuth2Code("apple", code.code, code.codeVerifier, redirectURL(), { email: "bo.own@example.com" });
          if (ok) {
            const r = await p;
            assert.equal(r.meta.email, "");
            assert.equal(r.meta.name, "");
            assert.equal(r.record.email, "bo.own@example.com");
            assert.equal(r.record.verified, false);
          } else {
            await rejects(p, 400, "Failed to fetch OAuth2 user.");
          }
        }
      } finally {
        await idp.control({ idToken: {} });
      }
    });

    // Apple's authorize step for the manual flow: the code from its form (nothing posted).
    async function appleCode(pb) {
      const methods = await pb.collection("signed").listAuthMethods();
      const p = methods.oauth2.providers.find((x) => x.name === "apple");
      const page = await (await fetch(p.authURL + encodeURIComponent(redirectURL()))).text();
      return { code: /name="code" value="([^"]+)"/.exec(page)[1], codeVerifier: p.codeVerifier };
    }

    test("a sign-up downloads the avatar into a mapped file field (public addresses only natively)", async () => {
      await su.collections.create({
        name: "pictured",
        type: "auth",
        createRule: "",
        viewRule: "id = @request.auth.id",
        fields: [{ name: "photo", type: "file", maxSelect: 1, maxSize: 1 << 20 }],
        oauth2: {
          enabled: true,
          mappedFields: { avatarURL: "photo" },
          providers: [
            oidcProvider("oidc", { userInfoURL: idp.url + "/userinfo" }),
          ],
        },
      });
      const pb = client(session);
      const signUp = async (sub, picture) => {
        pb.authStore.clear(); // signed in, the next account would be linked to this record instead
        const { code, codeVerifier } = await authorize(pb, "oidc", { sub, email: `${sub}@example.com`, email_verified: true, name: sub, picture }, "pictured");
        return pb.collection("pictured").authWithOAuth2Code("oidc", code, codeVerifier, redirectURL());
      };
      const direct = await signUp("pic-direct", idp.url + "/avatar.png");
      assert.equal(direct.meta.isNew, true);
      assert.equal(direct.meta.avatarURL, idp.url + "/avatar.png");
      if (name === "native") {
        // The provider is on loopback: refused (as PocketBase's safe client does), and the
        // sign-up goes on without an avatar.
        assert.equal(direct.record.photo, "");
        return;
      }
      // The wasm host fetches as the user's browser would (no address check there).
      assert.match(direct.record.photo, /^avatar_\w{10}\.png$/);
      const bytes = Buffer.from(await (await session.fetch(pb.files.getURL(direct.record, direct.record.photo))).arrayBuffer());
      assert.deepEqual(bytes, AVATAR_PNG);

      const redirected = await signUp("pic-redirect", idp.url + "/avatar-redirect");
      assert.match(redirected.record.photo, /^avatar_redirect_\w{10}\.png$/);
      const bytes2 = Buffer.from(await (await session.fetch(pb.files.getURL(redirected.record, redirected.record.photo))).arrayBuffer());
      assert.deepEqual(bytes2, AVATAR_PNG);

      for (const [sub, picture] of [["pic-empty", idp.url + "/avatar-empty"], ["pic-missing", idp.url + "/no-such-avatar"], ["pic-down", "http://127.0.0.1:9/x.png"]]) {
        const r = await signUp(sub, picture);
        assert.equal(r.meta.isNew, true, sub);
        assert.equal(r.record.photo, "", sub);
      }
      // A second sign-in of the same account downloads nothing new.
      const again = await signUp("pic-direct", idp.url + "/avatar.png");
      assert.equal(again.meta.isNew, false);
      assert.equal(again.record.photo, direct.record.photo);
    });
  });
}
