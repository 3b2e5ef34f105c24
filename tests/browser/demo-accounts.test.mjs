// The demo's accounts panel, offline: with the HTTP server stopped after the first load, a
// visitor signs up, verifies the address from the outbox, signs in, asks for a password reset,
// sets a new password from the outbox mail and signs in with it — all through the official
// pocketbase SDK against the backend in the service worker (web/demo/accounts.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "../lib/browser.mjs";
import { WEB_DIST } from "../lib/paths.mjs";
import { startStaticServer } from "../../scripts/static-server.mjs";

let browser, server, origin;
before(async () => {
  server = await startStaticServer({ root: WEB_DIST });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

test("offline: sign up, verify, sign in, reset the password from the outbox, sign in again", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(origin + "/");
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });

  // Offline from here on.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });

  let step = 0;
  // Clicks and waits until the panel has finished that action (it counts them).
  const click = async (selector) => {
    await page.click(selector);
    step++;
    await page.waitForSelector(`body[data-account-step="${step}"]`, { timeout: 20000 });
    return page.textContent("#account-message");
  };

  await page.fill("#email", "visitor@example.com");
  await page.fill("#password", "first-password");
  assert.match(await click("#sign-up"), /Account created/);
  assert.match(await page.textContent("#outbox"), /Verify your .* email/);
  assert.equal(await click("#outbox .use-verify"), "Email verified.");

  assert.equal(await click("#sign-in"), "Signed in.");
  assert.equal(await page.textContent("#account-state"), "signed in as visitor@example.com (verified)");
  assert.equal(await click("#sign-out"), "Signed out.");

  assert.match(await click("#forgot"), /reset mail is in the outbox/);
  await page.fill("#new-password", "second-password");
  assert.match(await click("#outbox .use-reset"), /Password changed/);

  await page.fill("#password", "first-password");
  assert.match(await click("#sign-in"), /Failed to authenticate/); // the old password is dead
  await page.fill("#password", "second-password");
  assert.equal(await click("#sign-in"), "Signed in.");
  assert.equal(await page.textContent("#account-state"), "signed in as visitor@example.com (verified)");

  assert.deepEqual(errors, []);
  await context.close();
});
