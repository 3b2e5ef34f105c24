// The demo's accounts panel: sign up, verify, sign in and reset a password with the official
// `pocketbase` SDK against the backend in this page's service worker — offline too. There is
// no SMTP in a browser, so the mails the backend "sends" are read from its outbox
// (larderClient().outbox()) and their links are followed right here.
import PocketBase from "pocketbase";
import { larderClient } from "../../sdk/src/client.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $<HTMLInputElement>(id).value;

const pb = new PocketBase(location.origin);
const larder = larderClient();

function say(text: string): void {
  $("account-message").textContent = text;
}

function showAuth(): void {
  const rec = pb.authStore.record;
  $("account-state").textContent = pb.authStore.isValid && rec ? `signed in as ${rec.email}${rec.verified ? " (verified)" : ""}` : "signed out";
}

// The token in a mail's link ("…/confirm-verification/<token>", "…/confirm-password-reset/<token>").
function tokenIn(html: string, action: string): string | null {
  const m = html.match(new RegExp(`${action}/([A-Za-z0-9._-]+)`));
  return m ? m[1] : null;
}

async function showOutbox(): Promise<void> {
  const list = $("outbox");
  list.replaceChildren();
  for (const mail of await larder.outbox()) {
    const li = document.createElement("li");
    li.textContent = `${mail.subject} `;
    const verify = tokenIn(mail.html, "confirm-verification");
    const reset = tokenIn(mail.html, "confirm-password-reset");
    if (verify) li.append(button("Verify", "use-verify", () => pb.collection("users").confirmVerification(verify), "Email verified."));
    if (reset) {
      li.append(
        button("Set new password", "use-reset", async () => {
          const pass = value("new-password");
          await pb.collection("users").confirmPasswordReset(reset, pass, pass);
        }, "Password changed: sign in with the new one."),
      );
    }
    list.append(li);
  }
}

function button(label: string, cls: string, run: () => Promise<unknown>, done: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = label;
  b.addEventListener("click", () => act(run, done));
  return b;
}

async function act(run: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await run();
    say(done);
  } catch (err) {
    const e = err as { message?: string; response?: { data?: unknown } };
    say(`${e.message ?? String(err)} ${e.response?.data ? JSON.stringify(e.response.data) : ""}`.trim());
  }
  showAuth();
  await showOutbox();
  document.body.dataset.accountStep = String(Number(document.body.dataset.accountStep ?? "0") + 1);
}

export function initAccounts(): void {
  pb.authStore.onChange(showAuth);
  showAuth();
  $("sign-up").addEventListener("click", () =>
    act(async () => {
      const email = value("email");
      const password = value("password");
      await pb.collection("users").create({ email, password, passwordConfirm: password });
      await pb.collection("users").requestVerification(email);
    }, "Account created: the verification mail is in the outbox below."),
  );
  $("sign-in").addEventListener("click", () =>
    act(() => pb.collection("users").authWithPassword(value("email"), value("password")), "Signed in."),
  );
  $("sign-out").addEventListener("click", () => act(async () => pb.authStore.clear(), "Signed out."));
  $("forgot").addEventListener("click", () =>
    act(() => pb.collection("users").requestPasswordReset(value("email")), "The reset mail is in the outbox below."),
  );
  void showOutbox();
}
