// The official `pocketbase` JS SDK's auth flows, unmodified, against Larder: the native server
// over HTTP and the wasm core in Node (createBackend). Each flow runs on a fresh copy of
// PocketBase's test data (every fixture user's password is 1234567890) and checks the real
// outcome — the new password signs in and the old one does not, an old token stops working —
// not only the status codes — and rate limits set through pb.settings. Tokens sent by mail are
// read from the outbox (GET /api/larder/outbox, superusers only), which both hosts keep while
// SMTP is off.
//
//   node --test tests/compat/sdk-auth.test.mjs                     both targets
//   LARDER_TARGETS=native node --test tests/compat/sdk-auth.test.mjs
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import PocketBase from "pocketbase";
import { targets } from "../api/lib/targets.mjs";

const wanted = (process.env.LARDER_TARGETS ?? "native,node").split(",").filter((t) => ["native", "node", "pocketbase"].includes(t));
const PASSWORD = "1234567890";

// An SDK client whose requests go to `session` (real HTTP for native, backend.fetch for node).
function client(session) {
  const pb = new PocketBase(session.baseUrl);
  pb.autoCancellation(false);
  pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
  return pb;
}

// The SDK rejects with a ClientResponseError of this status.
const status = (code) => (e) => {
  assert.equal(e.status, code, `expected ${code}, got ${e.status}: ${JSON.stringify(e.response)}`);
  return true;
};

for (const name of wanted) {
  describe(`official SDK auth flows on ${name}`, () => {
    let host;
    before(async () => (host = await targets[name].open()));
    after(async () => host?.close());

    // A fresh fixture; `fn(pb, su, session)` gets a guest client and a superuser client.
    async function withFixture(fn) {
      const session = await host.session({ data: "pocketbase-testdata" });
      try {
        const su = client(session);
        await su.collection("_superusers").authWithPassword("test@example.com", PASSWORD);
        await fn(client(session), su, session);
      } finally {
        await session.close();
      }
    }

    // The newest mail to `to` whose html matches `re`; returns the first capture group.
    async function fromMail(su, to, re) {
      const mails = await su.send("/api/larder/outbox", {});
      const mail = mails.find((m) => m.to === to && re.test(m.html));
      assert.ok(mail, `no mail to ${to} matching ${re} in ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`);
      return mail.html.match(re)[1];
    }

    // The fixture's users collection asks for MFA; the single-method flows turn it off first.
    const mfaOff = (su) => su.collections.update("users", { mfa: { enabled: false } });

    test("authWithPassword and authRefresh", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const auth = await pb.collection("users").authWithPassword("test@example.com", PASSWORD);
        assert.equal(auth.record.id, "4q1xlclmfloku33");
        assert.equal(auth.record.email, "test@example.com"); // always in auth responses
        assert.ok(pb.authStore.isValid);
        assert.equal(pb.authStore.record.id, auth.record.id);

        const refreshed = await pb.collection("users").authRefresh();
        assert.equal(refreshed.record.id, auth.record.id);
        assert.equal(pb.authStore.token, refreshed.token);
        // The refreshed token authenticates: users' viewRule is "id = @request.auth.id".
        assert.equal((await pb.collection("users").getOne(auth.record.id)).id, auth.record.id);

        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", "wrong-password"), status(400));
        // A username identity works too (identityFields = email, username).
        const byName = await pb.collection("users").authWithPassword(auth.record.username, PASSWORD);
        assert.equal(byName.record.id, auth.record.id);
        // authRefresh needs a token of the same collection.
        pb.authStore.clear();
        await assert.rejects(pb.collection("users").authRefresh(), status(401));
      }));

    test("sign-up with create, then a password change with update: old password and old tokens stop working", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const created = await pb
          .collection("users")
          .create({ email: "new@example.com", password: "first-pass-1", passwordConfirm: "first-pass-1" });
        assert.equal(created.verified, false);
        assert.equal(created.email, undefined); // emailVisibility is off for other viewers
        const auth = await pb.collection("users").authWithPassword("new@example.com", "first-pass-1");
        assert.equal(auth.record.id, created.id);
        const oldToken = auth.token;

        // A user changes their own password with the old one.
        await assert.rejects(
          pb.collection("users").update(created.id, { password: "second-pass-2", passwordConfirm: "second-pass-2", oldPassword: "wrong" }),
          (e) => {
            assert.equal(e.status, 400);
            assert.equal(e.response.data.oldPassword.code, "validation_invalid_old_password");
            return true;
          },
        );
        await pb
          .collection("users")
          .update(created.id, { password: "second-pass-2", passwordConfirm: "second-pass-2", oldPassword: "first-pass-1" });
        await assert.rejects(pb.collection("users").authRefresh(), status(401)); // the tokenKey changed
        await assert.rejects(pb.collection("users").authWithPassword("new@example.com", "first-pass-1"), status(400));
        assert.equal((await pb.collection("users").authWithPassword("new@example.com", "second-pass-2")).record.id, created.id);
        assert.notEqual(pb.authStore.token, oldToken);
      }));

    test("requestPasswordReset + confirmPasswordReset: the new password works, the old one and old tokens do not", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const before = await pb.collection("users").authWithPassword("test@example.com", PASSWORD);
        const oldToken = before.token;
        pb.authStore.clear();

        assert.equal(await pb.collection("users").requestPasswordReset("test@example.com"), true);
        // Unknown addresses get the same answer (no account enumeration).
        assert.equal(await pb.collection("users").requestPasswordReset("nobody@example.com"), true);
        const token = await fromMail(su, "test@example.com", /confirm-password-reset\/([^"'<\s]+)/);

        await assert.rejects(pb.collection("users").confirmPasswordReset(token, "new-pass-1", "other-pass"), (e) => {
          assert.equal(e.status, 400);
          assert.equal(e.response.data.passwordConfirm.code, "validation_values_mismatch");
          return true;
        });
        assert.equal(await pb.collection("users").confirmPasswordReset(token, "new-pass-123", "new-pass-123"), true);

        const after = await pb.collection("users").authWithPassword("test@example.com", "new-pass-123");
        assert.equal(after.record.id, before.record.id);
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD), status(400));
        // The password change replaced the tokenKey: the old token is dead, the reset token too.
        pb.authStore.save(oldToken, before.record);
        await assert.rejects(pb.collection("users").authRefresh(), status(401));
        await assert.rejects(pb.collection("users").confirmPasswordReset(token, "third-pass-1", "third-pass-1"), status(400));
      }));

    test("requestVerification + confirmVerification mark the record verified", () =>
      withFixture(async (pb, su) => {
        assert.equal((await su.collection("users").getOne("4q1xlclmfloku33")).verified, false);
        assert.equal(await pb.collection("users").requestVerification("test@example.com"), true);
        const token = await fromMail(su, "test@example.com", /confirm-verification\/([^"'<\s]+)/);
        await assert.rejects(pb.collection("users").confirmVerification(token + "x"), status(400));
        assert.equal(await pb.collection("users").confirmVerification(token), true);
        assert.equal((await su.collection("users").getOne("4q1xlclmfloku33")).verified, true);
        // A verified record asks for no more mails, but the answer stays the same.
        assert.equal(await pb.collection("users").requestVerification("test@example.com"), true);
      }));

    test("requestEmailChange + confirmEmailChange: the new address signs in, the old one and old tokens do not", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const auth = await pb.collection("users").authWithPassword("test@example.com", PASSWORD);
        const oldToken = auth.token;
        assert.equal(await pb.collection("users").requestEmailChange("changed@example.com"), true);
        // An address another record uses is refused.
        await assert.rejects(pb.collection("users").requestEmailChange("test2@example.com"), (e) => {
          assert.equal(e.status, 400);
          assert.equal(e.response.data.newEmail.code, "validation_invalid_new_email");
          return true;
        });
        // The confirmation link goes to the new address.
        const token = await fromMail(su, "changed@example.com", /confirm-email-change\/([^"'<\s]+)/);

        await assert.rejects(pb.collection("users").confirmEmailChange(token, "wrong-password"), (e) => {
          assert.equal(e.status, 400);
          assert.equal(e.response.data.password.code, "validation_invalid_password");
          return true;
        });
        assert.equal(await pb.collection("users").confirmEmailChange(token, PASSWORD), true);
        // The SDK drops the auth of the record whose email changed.
        assert.equal(pb.authStore.token, "");

        const again = await pb.collection("users").authWithPassword("changed@example.com", PASSWORD);
        assert.equal(again.record.id, auth.record.id);
        assert.equal(again.record.email, "changed@example.com");
        assert.equal(again.record.verified, true); // the link proved the new address
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD), status(400));
        pb.authStore.save(oldToken, auth.record);
        await assert.rejects(pb.collection("users").authRefresh(), status(401));
      }));

    test("requestOTP + authWithOTP sign in once per code", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const { otpId } = await pb.collection("users").requestOTP("test2@example.com");
        assert.match(otpId, /^[a-z0-9]{15}$/);
        const code = await fromMail(su, "test2@example.com", /<strong>(\d{8})<\/strong>/);

        await assert.rejects(pb.collection("users").authWithOTP(otpId, code === "00000000" ? "11111111" : "00000000"), status(400));
        const auth = await pb.collection("users").authWithOTP(otpId, code);
        assert.equal(auth.record.id, "oap640cot4yru2s");
        assert.equal(pb.authStore.record.id, "oap640cot4yru2s");
        assert.equal((await pb.collection("users").authRefresh()).record.id, "oap640cot4yru2s");
        // The code is spent.
        pb.authStore.clear();
        await assert.rejects(pb.collection("users").authWithOTP(otpId, code), status(400));
        // An unknown address gets a well-formed id that signs nobody in.
        const fake = await pb.collection("users").requestOTP("nobody@example.com");
        assert.match(fake.otpId, /^[a-z0-9]{15}$/);
        await assert.rejects(pb.collection("users").authWithOTP(fake.otpId, code), status(400));
      }));

    test("MFA: the password answers 401 with an mfaId, an OTP with that mfaId completes the sign-in", () =>
      withFixture(async (pb, su) => {
        const col = await su.collections.update("users", { mfa: { enabled: true, rule: "" }, otp: { enabled: true } });
        assert.equal(col.mfa.enabled, true);

        let mfaId;
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD), (e) => {
          assert.equal(e.status, 401);
          mfaId = e.response.mfaId;
          assert.match(mfaId, /^[a-z0-9]{15}$/);
          return true;
        });
        assert.equal(pb.authStore.token, ""); // no token for one factor

        const { otpId } = await pb.collection("users").requestOTP("test@example.com");
        const code = await fromMail(su, "test@example.com", /<strong>(\d{8})<\/strong>/);
        // The same method twice does not count as a second factor.
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD, { mfaId }), status(400));
        const auth = await pb.collection("users").authWithOTP(otpId, code, { mfaId });
        assert.equal(auth.record.id, "4q1xlclmfloku33");
        assert.ok(pb.authStore.isValid);
        assert.equal((await pb.collection("users").authRefresh()).record.id, "4q1xlclmfloku33");
        // The MFA session is spent.
        pb.authStore.clear();
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD, { mfaId }), status(400));
      }));

    test("rate limits through pb.settings: repeated sign-ins and OTP guesses get 429", () =>
      withFixture(async (pb, su) => {
        await mfaOff(su);
        const settings = await su.settings.getAll();
        assert.equal(settings.rateLimits.enabled, false);
        assert.equal(settings.smtp.password, undefined); // secrets never leave
        // An hour-long window, so that nothing here depends on timing.
        const saved = await su.settings.update({
          rateLimits: { enabled: true, rules: [{ label: "*:auth", maxRequests: 2, duration: 3600 }] },
        });
        assert.deepEqual(saved.rateLimits.rules, [{ label: "*:auth", audience: "", duration: 3600, maxRequests: 2 }]);

        for (let i = 0; i < 2; i++)
          await assert.rejects(pb.collection("users").authWithPassword("test@example.com", "wrong-password"), status(400));
        await assert.rejects(pb.collection("users").authWithPassword("test@example.com", PASSWORD), (e) => {
          assert.equal(e.status, 429);
          assert.equal(e.response.message, "Too Many Requests.");
          return true;
        });

        const { otpId } = await pb.collection("users").requestOTP("test2@example.com");
        const code = await fromMail(su, "test2@example.com", /<strong>(\d{8})<\/strong>/);
        const wrong = code === "00000000" ? "11111111" : "00000000";
        for (let i = 0; i < 2; i++) await assert.rejects(pb.collection("users").authWithOTP(otpId, wrong), status(400));
        await assert.rejects(pb.collection("users").authWithOTP(otpId, code), status(429)); // even the right code

        // Superusers are exempt.
        await assert.rejects(su.collection("users").authWithPassword("test@example.com", "wrong-password"), status(400));
        // Invalid rules come back as PocketBase's validation errors.
        await assert.rejects(su.settings.update({ rateLimits: { rules: [{ label: "no good", maxRequests: 1, duration: 1 }] } }), (e) => {
          assert.equal(e.status, 400);
          assert.equal(e.response.data.rateLimits.rules["0"].label.code, "validation_match_invalid");
          return true;
        });
      }));

    test("impersonate as a superuser: a non-refreshable token of the user", () =>
      withFixture(async (pb, su, session) => {
        // The SDK makes a new client for the impersonated auth, with the global fetch; point
        // that at this session for the node target (native is real HTTP already).
        const realFetch = globalThis.fetch;
        if (name === "node") globalThis.fetch = (url, init) => session.fetch(url, init);
        let imp;
        try {
          imp = await su.collection("users").impersonate("oap640cot4yru2s", 3600);
        } finally {
          globalThis.fetch = realFetch;
        }
        imp.autoCancellation(false);
        imp.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
        assert.equal(imp.authStore.record.id, "oap640cot4yru2s");
        assert.notEqual(imp.authStore.token, su.authStore.token);
        assert.equal((await imp.collection("users").getOne("oap640cot4yru2s")).id, "oap640cot4yru2s");
        // Users' viewRule is "id = @request.auth.id": it acts as that user, not as a superuser.
        await assert.rejects(imp.collection("users").getOne("4q1xlclmfloku33"), status(404));
        // Not refreshable: the same token comes back.
        const token = imp.authStore.token;
        assert.equal((await imp.collection("users").authRefresh()).token, token);

        // Only superusers impersonate.
        await mfaOff(su);
        await pb.collection("users").authWithPassword("test@example.com", PASSWORD);
        await assert.rejects(pb.send("/api/collections/users/impersonate/oap640cot4yru2s", { method: "POST" }), status(403));
        await assert.rejects(su.send("/api/collections/users/impersonate/missing", { method: "POST", body: {} }), status(404));
      }));
  });
}
