// Every auth flow of the official `pocketbase` SDK, run in a page against the backend in the
// service worker, with the mails read from the worker's outbox (larderClient().outbox(): there is
// no SMTP in a browser): sign-up, requestVerification + confirmVerification, authWithPassword,
// authRefresh, requestOTP + authWithOTP, requestEmailChange + confirmEmailChange,
// requestPasswordReset + confirmPasswordReset, MFA (password then OTP with the mfaId), and a
// superuser's impersonate. Each step checks the outcome, not just the status: old tokens and
// passwords stop working, codes and reset tokens work once.
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
import { NATIVE_BIN, ROOT } from "../lib/paths.mjs";
import { client, openApp } from "./lib/app.mjs";
import { startSite } from "./lib/site.mjs";

const SU = { email: "admin@example.com", password: "correct horse battery" };
const TIMEOUT = 120_000;

let site, browser, page, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "larder-sdk-auth-"));
  execFileSync(NATIVE_BIN, ["superuser", "create", SU.email, SU.password, `--dir=${work}`], { stdio: "ignore" });
  site = await startSite();
  copyFileSync(join(ROOT, "node_modules/pocketbase/dist/pocketbase.es.mjs"), join(site.dir, "pocketbase.es.mjs"));
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await openApp(context, site.origin);
  await client(page, "importDatabase", readFileSync(join(work, "data.db")).toString("base64"));
  // Helpers in the page: the SDK, a superuser client, and the newest outbox mail to an address.
  await page.evaluate(async (su) => {
    window.sdk = await import("/pocketbase.es.mjs");
    const { larderClient } = await import("/index.js");
    const { default: PocketBase, BaseAuthStore } = window.sdk;
    window.fresh = () => new PocketBase("/", new BaseAuthStore());
    window.su = window.fresh();
    await window.su.collection("_superusers").authWithPassword(su.email, su.password);
    window.mail = async (to, re) => {
      for (const m of await larderClient().outbox()) {
        if (!JSON.stringify(m.to).includes(to)) continue;
        const hit = re.exec(m.html);
        if (hit) return hit[1];
      }
      return null;
    };
    window.failure = async (promise) => {
      try {
        await promise;
        return null;
      } catch (e) {
        return { status: e.status, message: e.response?.message, mfaId: e.response?.mfaId };
      }
    };
    await window.su.collections.create({
      name: "members",
      type: "auth",
      createRule: "",
      viewRule: "id = @request.auth.id",
      updateRule: "id = @request.auth.id",
      fields: [{ name: "name", type: "text" }],
      otp: { enabled: true },
    });
  }, SU);
});

after(async () => {
  await browser?.close();
  await site?.close().catch(() => {});
  if (work) rmSync(work, { recursive: true, force: true });
});

// Runs `fn` (a function of the page's globals) in the page.
const inPage = (fn, arg) => page.evaluate(fn, arg);

const TOKEN = "([\\w-]+\\.[\\w-]+\\.[\\w-]+)";

test("sign-up, verification, password sign-in and refresh", { timeout: TIMEOUT }, async () => {
  const r = await inPage(async (TOKEN) => {
    const pb = window.fresh();
    const created = await pb.collection("members").create({ email: "ann@example.com", password: "first-pass-1", passwordConfirm: "first-pass-1", name: "Ann" });
    await pb.collection("members").requestVerification("ann@example.com");
    const token = await window.mail("ann@example.com", new RegExp("confirm-verification/" + TOKEN));
    const confirmed = await pb.collection("members").confirmVerification(token);
    const reused = await window.failure(pb.collection("members").confirmVerification(token));
    const auth = await pb.collection("members").authWithPassword("ann@example.com", "first-pass-1");
    const refreshed = await pb.collection("members").authRefresh();
    const wrong = await window.failure(window.fresh().collection("members").authWithPassword("ann@example.com", "nope-nope-1"));
    return {
      id: created.id,
      verifiedBefore: created.verified,
      confirmed,
      reused,
      verified: auth.record.verified,
      sameRecord: refreshed.record.id === auth.record.id,
      refreshedValid: window.sdk.isTokenExpired(refreshed.token) === false,
      wrong,
    };
  }, TOKEN);
  assert.equal(r.verifiedBefore, false);
  assert.equal(r.confirmed, true);
  assert.equal(r.reused, null, "confirming again is a no-op (204), as in PocketBase");
  assert.equal(r.verified, true);
  assert.ok(r.sameRecord && r.refreshedValid);
  assert.deepEqual(r.wrong, { status: 400, message: "Failed to authenticate.", mfaId: undefined });
});

test("OTP sign-in: the mailed code works once", { timeout: TIMEOUT }, async () => {
  const r = await inPage(async () => {
    const pb = window.fresh();
    const { otpId } = await pb.collection("members").requestOTP("ann@example.com");
    const code = await window.mail("ann@example.com", /<strong>(\d+)<\/strong>/);
    const bad = await window.failure(pb.collection("members").authWithOTP(otpId, code === "00000000" ? "11111111" : "00000000"));
    const auth = await pb.collection("members").authWithOTP(otpId, code);
    const again = await window.failure(window.fresh().collection("members").authWithOTP(otpId, code));
    return { bad, email: auth.record.email, again };
  });
  assert.equal(r.bad?.status, 400);
  assert.equal(r.email, "ann@example.com");
  assert.equal(r.again?.status, 400);
});

test("email change and password reset end the old sessions", { timeout: TIMEOUT }, async () => {
  const r = await inPage(async (TOKEN) => {
    const pb = window.fresh();
    await pb.collection("members").authWithPassword("ann@example.com", "first-pass-1");
    const oldToken = pb.authStore.token;
    await pb.collection("members").requestEmailChange("ann.new@example.com");
    const changeToken = await window.mail("ann.new@example.com", new RegExp("confirm-email-change/" + TOKEN));
    await pb.collection("members").confirmEmailChange(changeToken, "first-pass-1");
    const stale = await window.failure(pb.collection("members").authRefresh());
    const byNewEmail = await window.fresh().collection("members").authWithPassword("ann.new@example.com", "first-pass-1");

    const anon = window.fresh();
    await anon.collection("members").requestPasswordReset("ann.new@example.com");
    const resetToken = await window.mail("ann.new@example.com", new RegExp("confirm-password-reset/" + TOKEN));
    await anon.collection("members").confirmPasswordReset(resetToken, "second-pass-2", "second-pass-2");
    const reusedReset = await window.failure(anon.collection("members").confirmPasswordReset(resetToken, "third-pass-3", "third-pass-3"));
    const oldPassword = await window.failure(window.fresh().collection("members").authWithPassword("ann.new@example.com", "first-pass-1"));
    const newPassword = await window.fresh().collection("members").authWithPassword("ann.new@example.com", "second-pass-2");
    return { changed: oldToken !== byNewEmail.token, stale, email: byNewEmail.record.email, reusedReset, oldPassword, ok: !!newPassword.token };
  }, TOKEN);
  assert.ok(r.changed);
  assert.equal(r.stale?.status, 401, "the token from before the email change is dead");
  assert.equal(r.email, "ann.new@example.com");
  assert.equal(r.reusedReset?.status, 400, "a reset token works once");
  assert.equal(r.oldPassword?.status, 400);
  assert.ok(r.ok);
});

test("MFA: the password answers 401 with an mfaId, an OTP with it completes the sign-in", { timeout: TIMEOUT }, async () => {
  const r = await inPage(async () => {
    await window.su.collections.update("members", { mfa: { enabled: true, rule: "" } });
    try {
      const pb = window.fresh();
      const first = await window.failure(pb.collection("members").authWithPassword("ann.new@example.com", "second-pass-2"));
      const { otpId } = await pb.collection("members").requestOTP("ann.new@example.com");
      const code = await window.mail("ann.new@example.com", /<strong>(\d+)<\/strong>/);
      const auth = await pb.collection("members").authWithOTP(otpId, code, { mfaId: first?.mfaId });
      return { first, signedIn: pb.authStore.isValid && auth.record.email === "ann.new@example.com" };
    } finally {
      await window.su.collections.update("members", { mfa: { enabled: false } });
    }
  });
  assert.equal(r.first?.status, 401);
  assert.match(r.first?.mfaId ?? "", /^[a-z0-9]{15}$/);
  assert.ok(r.signedIn);
});

test("a superuser impersonates a member with a non-refreshable token", { timeout: TIMEOUT }, async () => {
  const r = await inPage(async () => {
    const member = await window.su.collection("members").getFirstListItem('email = "ann.new@example.com"');
    const as = await window.su.collection("members").impersonate(member.id, 600);
    const seen = await as.collection("members").getOne(member.id);
    const claims = JSON.parse(atob(as.authStore.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const notSuperuser = await window.failure(as.collections.getList(1, 1));
    return { seen: seen.id === member.id, refreshable: claims.refreshable, notSuperuser };
  });
  assert.ok(r.seen);
  assert.equal(r.refreshable, false);
  assert.equal(r.notSuperuser?.status, 403);
});
