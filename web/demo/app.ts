// Demo page: registers the demo worker (Larder + an app-shell cache), then talks to the backend
// with plain fetch('/api/...'), exactly as an app would.
import { registerLarder } from "../../sdk/src/register.js";
import { initAccounts } from "./accounts.js";

const $ = (id: string) => document.getElementById(id)!;

async function showHealth(): Promise<void> {
  const res = await fetch("/api/health");
  $("host").textContent = res.headers.get("X-Larder-Host") ?? "network";
  $("health").textContent = `${res.status} ${JSON.stringify(await res.json(), null, 2)}`;
}

async function main(): Promise<void> {
  try {
    await registerLarder({ url: "/sw.js" });
    $("sw-state").textContent = "controlling this page";
    await showHealth();
    initAccounts();
    document.body.dataset.ready = "true";
  } catch (err) {
    $("sw-state").textContent = `failed: ${String(err)}`;
  }
  $("refresh").addEventListener("click", () => void showHealth());
}

void main();
