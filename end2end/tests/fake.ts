// The fake Microsoft's demo app registration and info@ mailbox, its admin API, and
// connecting info@ through its sign-in pages: shared by the mail specs.
import { type Page } from "@playwright/test";
import { expect, waitForHydration } from "./support";

export const FAKE = process.env.E2E_FAKE_URL ?? "";
export const azure = {
  client_id: "80aef83a-368f-4a54-a387-8c794cf71106",
  tenant_id: "8c10395e-14fe-46db-a8b6-699ac4a65109",
  client_secret: "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF",
};
export const info = {
  upn: "info@energiedemo.onmicrosoft.com",
  objectId: "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5",
  password: "Zonnepaneel-2026",
};
/** The demo tenant's other mailbox user (fake-microsoft/fixtures/demo.json). */
export const leden = {
  upn: "ledenadministratie@energiedemo.onmicrosoft.com",
  objectId: "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77",
  password: "Windmolen-2026",
};

/** A call to the fake's admin API (`fake-microsoft/README.md`). */
export async function fakeAdmin(path: string, method = "GET", body?: unknown): Promise<any> {
  const response = await fetch(`${FAKE}/admin${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`).toBe(true);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Saves a new info@ mailbox with the demo app registration; saving sends the browser to the
 * fake Microsoft's sign-in. `hydrated`: wait for the page's script first.
 */
export async function saveInfo(page: Page, name: string, hydrated = true) {
  await page.goto("/instellingen/mailboxen/nieuw");
  if (hydrated) await waitForHydration(page);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-email").fill(info.upn);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
  await page.getByTestId("field-object_id").fill(info.objectId);
  // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
}

/** Creates the info@ mailbox and signs in on the fake Microsoft: back on the mailbox page. */
/** Signs in on the fake Microsoft pages as `user`, choosing "another account" if offered. */
export async function signInToMicrosoft(page: Page, user: { upn: string; password: string }) {
  const picker = page.getByTestId("use-another-account");
  const email = page.getByTestId("login-email");
  await expect(picker.or(email)).toBeVisible();
  if (await picker.isVisible()) await picker.click();
  await page.getByTestId("login-email").fill(user.upn);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
  // Either Microsoft asks for consent (first sign-in of that user) or sends the browser back.
  const consent = page.getByTestId("consent-accept");
  await expect
    .poll(async () => page.url().startsWith(process.env.E2E_BASE_URL ?? "") || (await consent.isVisible()))
    .toBe(true);
  if (await consent.isVisible()) await consent.click();
}

export async function connectInfo(page: Page, name: string) {
  await saveInfo(page, name);
  await signInToMicrosoft(page, info);
  await page.waitForURL(/\/instellingen\/mailboxen\/\d+$/);
  await expect(page.getByTestId("connection-state")).toHaveText("Verbonden");
}

export const fakeFavicon = new RegExp(`status of 404 .*\\[${FAKE.replaceAll(".", "\\.")}/favicon`);
