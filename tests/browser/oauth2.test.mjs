// OAuth2 sign-in through the service worker, with the official `pocketbase` SDK in the page and a
// real provider process on loopback (tests/lib/oauth2-provider.mjs, on its own origin, so every
// request the core makes to it is the worker's cross-origin fetch() and needs CORS):
// a superuser configures an `oidc` provider on `users`; authWithOAuth2Code signs up and then in
// again; the all-in-one authWithOAuth2 opens a popup, the provider redirects it to
// /api/oauth2-redirect (a navigation the worker answers) and the code reaches the page over the
// worker's realtime stream; a form-posted redirect (response_mode=form_post) works the same; a
// wrong code and a provider without CORS give PocketBase's 400; and the all-in-one flow again
// with the app's HTTP server gone (only the provider is reachable) and a cold worker.
//
// The superuser comes the documented way: `larder superuser create` (native build) makes a
// data.db, which the page imports.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchBrowser } from "../lib/browser.mjs";
import { startOAuth2Provider } from "../lib/oauth2-provider.mjs";
import { NATIVE_BIN, ROOT } from "../lib/paths.mjs";
import { client, openApp, stopWorkers } from "./lib/app.mjs";
import { startSite } from "./lib/site.mjs";

const OIDC = { id: "larder-sw-app", secret: "sw-s3cret-value" };
const SU = { email: "admin@example.com", password: "correct horse battery" };
// Generous: two shared cores, a cold worker start recovers the database from OPFS.
const TIMEOUT = 120_000;

let site, idp, browser, context, page, work;
const pages = []; // every page the context opened: { page, responses, closed }
const consoleLines = []; // console messages of the pages and the worker
const consoleWaiters = new Set();

/** Resolves with the first console message (of the page or the worker) that matches `re`. */
function consoleMessage(re) {
  return new Promise((resolve) => {
    const check = () => {
      const line = consoleLines.find((l) => re.test(l));
      if (line === undefined) return false;
      consoleWaiters.delete(check);
      resolve(line);
      return true;
    };
    if (!check()) consoleWaiters.add(check);
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "larder-oauth2-"));
  execFileSync(NATIVE_BIN, ["superuser", "create", SU.email, SU.password, `--dir=${work}`], { stdio: "ignore" });
  idp = await startOAuth2Provider({ clients: [OIDC] });
  site = await startSite();
  // The official SDK, served next to the app as one ES module.
  copyFileSync(join(ROOT, "node_modules/pocketbase/dist/pocketbase.es.mjs"), join(site.dir, "pocketbase.es.mjs"));
  browser = await launchBrowser();
  context = await browser.newContext();
  // Listeners go on before the popup navigates anywhere, so no response is missed.
  context.on("page", (p) => {
    const entry = { page: p, responses: [], closed: new Promise((resolve) => p.once("close", resolve)) };
    p.on("response", (r) => entry.responses.push({ url: r.url(), status: r.status(), fromServiceWorker: r.fromServiceWorker() }));
    pages.push(entry);
  });
  context.on("console", (m) => {
    consoleLines.push(m.text());
    for (const w of consoleWaiters) w();
  });
  page = await openApp(context, site.origin);
  await client(page, "importDatabase", readFileSync(join(work, "data.db")).toString("base64"));

  const configured = await page.evaluate(
    async ({ su, oidc, idpUrl }) => {
      window.sdk = await import("/pocketbase.es.mjs");
      const { default: PocketBase, BaseAuthStore } = window.sdk;
      const pb = new PocketBase("/", new BaseAuthStore());
      await pb.collection("_superusers").authWithPassword(su.email, su.password);
      const users = await pb.collections.update("users", {
        oauth2: {
          enabled: true,
          mappedFields: { name: "name" },
          providers: [
            {
              name: "oidc",
              clientId: oidc.id,
              clientSecret: oidc.secret,
              authURL: idpUrl + "/authorize",
              tokenURL: idpUrl + "/token",
              userInfoURL: idpUrl + "/userinfo",
              displayName: "Test IdP",
            },
          ],
        },
      });
      return users.oauth2.providers.map((p) => p.name);
    },
    { su: SU, oidc: OIDC, idpUrl: idp.url },
  );
  assert.deepEqual(configured, ["oidc"]);
});

after(async () => {
  await browser?.close();
  await site?.close().catch(() => {});
  await idp?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const redirectURL = () => site.origin + "/api/oauth2-redirect";

/** The provider's listing for a fresh sign-in (state, PKCE verifier, authURL), from the page. */
function listOidc() {
  return page.evaluate(async () => {
    const { default: PocketBase, BaseAuthStore } = window.sdk;
    const pb = new PocketBase("/", new BaseAuthStore());
    const methods = await pb.collection("users").listAuthMethods();
    return methods.oauth2.providers.find((p) => p.name === "oidc");
  });
}

/** The browser's half of the manual flow: the provider approves `user`; the code is read off its redirect. */
async function authorize(user) {
  await idp.control({ user, faults: {} });
  const p = await listOidc();
  assert.ok(p, "oidc listed");
  const res = await fetch(p.authURL + encodeURIComponent(redirectURL()), { redirect: "manual" });
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.get("location"));
  assert.equal(loc.origin + loc.pathname, redirectURL());
  assert.equal(loc.searchParams.get("state"), p.state);
  return { code: loc.searchParams.get("code"), codeVerifier: p.codeVerifier };
}

/** authWithOAuth2Code in the page: the auth's essentials, or the ClientResponseError's. */
function codeSignIn(code, codeVerifier) {
  return page.evaluate(
    async ({ code, codeVerifier, redirect }) => {
      const { default: PocketBase, BaseAuthStore, ClientResponseError } = window.sdk;
      const pb = new PocketBase("/", new BaseAuthStore());
      try {
        const auth = await pb.collection("users").authWithOAuth2Code("oidc", code, codeVerifier, redirect);
        const me = await pb.collection("users").getOne(auth.record.id); // the token works
        return { id: auth.record.id, email: me.email, name: me.name, verified: me.verified, isNew: auth.meta.isNew, valid: pb.authStore.isValid };
      } catch (err) {
        return { error: { sdk: err instanceof ClientResponseError, status: err.status, message: err.response?.message } };
      }
    },
    { code, codeVerifier, redirect: redirectURL() },
  );
}

/**
 * The SDK's all-in-one authWithOAuth2 in the page (its own popup and realtime connection). The
 * SDK opens the popup synchronously, within the evaluate's user activation: nothing awaits first.
 */
function allInOne() {
  return page.evaluate(async () => {
    const { default: PocketBase, BaseAuthStore, ClientResponseError } = window.sdk;
    const pb = new PocketBase("/", new BaseAuthStore());
    try {
      const auth = await pb.collection("users").authWithOAuth2({ provider: "oidc" });
      return { id: auth.record.id, email: auth.record.email, isNew: auth.meta.isNew, valid: pb.authStore.isValid };
    } catch (err) {
      return { error: { sdk: err instanceof ClientResponseError, status: err.status, message: err.response?.message ?? String(err) } };
    }
  });
}

/** Runs the all-in-one flow and checks the popup's way: provider, then the worker's redirect page. */
async function allInOneWithPopup(user) {
  await idp.control({ user, faults: {} });
  const seen = pages.length;
  const auth = await allInOne();
  assert.equal(pages.length, seen + 1, "one popup opened");
  const popup = pages[seen];
  await popup.closed; // the SDK closes it once the sign-in is done
  const back = popup.responses.find((r) => r.url.startsWith(redirectURL()));
  assert.ok(back, `the popup came back to /api/oauth2-redirect: ${JSON.stringify(popup.responses)}`);
  assert.equal(back.status, 200);
  assert.equal(back.fromServiceWorker, true, "the worker answered the redirect");
  assert.ok(popup.responses.some((r) => r.url.startsWith(idp.url + "/authorize") && r.status === 302));
  return auth;
}

test("authWithOAuth2Code signs up a verified user, and the next sign-in finds the same record", { timeout: TIMEOUT }, async () => {
  const alice = { sub: "alice-1", email: "alice@example.com", email_verified: true, name: "Alice" };
  const first = await authorize(alice);
  const made = await codeSignIn(first.code, first.codeVerifier);
  assert.equal(made.error, undefined, JSON.stringify(made.error));
  assert.deepEqual({ ...made, id: undefined }, { id: undefined, email: "alice@example.com", name: "Alice", verified: true, isNew: true, valid: true });

  const second = await authorize(alice);
  const again = await codeSignIn(second.code, second.codeVerifier);
  assert.equal(again.error, undefined, JSON.stringify(again.error));
  assert.equal(again.isNew, false);
  assert.equal(again.id, made.id);

  // The core's requests were the worker's cross-origin fetch()es: the provider saw the page's origin.
  const token = (await idp.log()).filter((r) => r.path === "/token");
  assert.ok(token.length >= 2);
  assert.equal(token.at(-1).headers.origin, site.origin);
});

test("a wrong code is PocketBase's 400 in the SDK", { timeout: TIMEOUT }, async () => {
  const { codeVerifier } = await authorize({ sub: "carol-1", email: "carol@example.com", email_verified: true });
  const r = await codeSignIn("not-a-code", codeVerifier);
  assert.deepEqual(r.error, { sdk: true, status: 400, message: "Failed to fetch OAuth2 token." });
});

test("a provider without CORS is PocketBase's 400 at once, and the unused code works once CORS is back", { timeout: TIMEOUT }, async () => {
  const dave = { sub: "dave-1", email: "dave@example.com", email_verified: true, name: "Dave" };
  const { code, codeVerifier } = await authorize(dave);
  await idp.control({ cors: false, resetLog: true });
  try {
    const t0 = Date.now();
    const r = await codeSignIn(code, codeVerifier);
    assert.deepEqual(r.error, { sdk: true, status: 400, message: "Failed to fetch OAuth2 token." });
    // Not a hang ended by the host's 30 s fetch timeout (sdk/src/net.ts): the refusal is immediate.
    assert.ok(Date.now() - t0 < 25_000, `took ${Date.now() - t0} ms`);
    // The browser stopped at the (refused) preflight: the token request itself never left.
    const token = (await idp.log()).filter((e) => e.path === "/token");
    assert.deepEqual(token.map((e) => e.method), ["OPTIONS"]);
    // The worker's console names the likely cause (sdk/src/net.ts).
    const why = await consoleMessage(/token exchange failed: .*does not allow CORS/);
    assert.ok(why.includes(`does not allow CORS from ${site.origin}`), why);
  } finally {
    await idp.control({ cors: true });
  }
  const ok = await codeSignIn(code, codeVerifier);
  assert.equal(ok.error, undefined, JSON.stringify(ok.error));
  assert.equal(ok.email, "dave@example.com");
  assert.equal(ok.isNew, true);
});

test("authWithOAuth2: popup, provider, the worker's /api/oauth2-redirect, @oauth2 over realtime", { timeout: TIMEOUT }, async () => {
  const erin = { sub: "erin-1", email: "erin@example.com", email_verified: true, name: "Erin" };
  const made = await allInOneWithPopup(erin);
  assert.equal(made.error, undefined, JSON.stringify(made.error));
  assert.equal(made.email, "erin@example.com");
  assert.equal(made.isNew, true);
  assert.equal(made.valid, true);

  const again = await allInOneWithPopup(erin);
  assert.equal(again.error, undefined, JSON.stringify(again.error));
  assert.equal(again.isNew, false);
  assert.equal(again.id, made.id);
});

test("a form-posted redirect (response_mode=form_post, as Apple does) reaches the page too", { timeout: TIMEOUT }, async () => {
  // The SDK's half of the all-in-one flow: a realtime client subscribed to @oauth2.
  const state = await page.evaluate(async () => {
    const rt = new window.sdk.RealtimeService(new window.sdk.default("/", new window.sdk.BaseAuthStore()));
    let received;
    window.oauth2Message = new Promise((resolve) => (received = resolve));
    // Resolves once connected and subscribed (the client id is the state).
    window.oauth2Unsubscribe = await rt.subscribe("@oauth2", (e) => received(e));
    return rt.clientId;
  });
  // The provider's page posts the form from its own origin; here an opaque one (about:blank).
  const popup = await context.newPage();
  await popup.setContent(
    `<form method="post" action="${redirectURL()}"><input name="state" value="${state}"><input name="code" value="posted-code"></form>`,
  );
  const [res] = await Promise.all([popup.waitForNavigation(), popup.evaluate(() => document.forms[0].submit())]);
  assert.equal(res.status(), 200);
  assert.equal(res.fromServiceWorker(), true);
  assert.equal(await popup.textContent("body"), "Auth completed. You can close this window and go back to the app.");
  const message = await page.evaluate(async () => {
    const m = await window.oauth2Message;
    await window.oauth2Unsubscribe();
    return m;
  });
  assert.deepEqual(message, { state, code: "posted-code" });
  await popup.close();
});

test("offline: authWithOAuth2 with the app's HTTP server gone and a cold worker", { timeout: TIMEOUT }, async () => {
  await site.close();
  const origin = site.origin;
  site = { origin, close: async () => {} };
  await stopWorkers(context, page); // the next request starts the worker from its cache and OPFS

  const frank = { sub: "frank-1", email: "frank@example.com", email_verified: true, name: "Frank" };
  const made = await allInOneWithPopup(frank);
  assert.equal(made.error, undefined, JSON.stringify(made.error));
  assert.equal(made.email, "frank@example.com");
  assert.equal(made.isNew, true);

  // A user from before, online: still linked to the same record.
  const erin = await allInOneWithPopup({ sub: "erin-1", email: "erin@example.com", email_verified: true, name: "Erin" });
  assert.equal(erin.error, undefined, JSON.stringify(erin.error));
  assert.equal(erin.isNew, false);
});
