// An admin fixes a failed connection without support: every failure the manual's readers
// run into, end to end against the fake Microsoft, each showing the right advice on the
// mailbox page. Every test registers an app of its own in the fake (its admin API), so no
// test depends on another's state.
import { type Page } from "@playwright/test";
import { createCipheriv, randomBytes, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { FAKE, fakeAdmin, fakeFavicon, info, leden } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn as signInToApp, test, waitForHydration } from "./support";

const TENANT = "8c10395e-14fe-46db-a8b6-699ac4a65109";
const BASE = process.env.E2E_BASE_URL ?? "";
const CALLBACK = `${BASE}/api/oauth/ms-azure/callback`;

type AppOptions = { secretExpired?: boolean; adminConsent?: boolean; redirectUri?: string };
type App = { clientId: string; secretId: string; secret: string };

/** Registers a new app in the demo tenant, as an admin would in Azure. */
async function registerApp(options: AppOptions = {}): Promise<App> {
  const app = { clientId: randomUUID(), secretId: randomUUID(), secret: `e2e8Q~${randomBytes(17).toString("hex")}` };
  const expires = options.secretExpired ? "2020-01-01T00:00:00Z" : "2099-12-31T00:00:00Z";
  await fakeAdmin(`/tenants/${TENANT}/applications`, "POST", {
    client_id: app.clientId,
    display_name: "Mailboxen CRM (e2e)",
    secrets: [{ secret_id: app.secretId, value: app.secret, expires_at: expires }],
    redirect_uris: [{ uri: options.redirectUri ?? CALLBACK, platform: "web" }],
    application_permissions: ["Mail.Read", "Mail.ReadWrite", "Mail.Send"],
    admin_consent_granted: options.adminConsent ?? true,
  });
  return app;
}

type MailboxFields = { tenant?: string; clientId: string; secret: string; upn: string; objectId: string };

/** Fills in the new-mailbox form and saves; the test says where that should lead. */
async function saveMailbox(page: Page, name: string, fields: MailboxFields, hydrated = true) {
  await page.goto("/instellingen/mailboxen/nieuw");
  if (hydrated) await waitForHydration(page);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-email").fill(fields.upn);
  await page.getByTestId("field-client_id").fill(fields.clientId);
  await page.getByTestId("field-tenant_id").fill(fields.tenant ?? TENANT);
  await page.getByTestId("field-client_secret").fill(fields.secret);
  await page.getByTestId("field-object_id").fill(fields.objectId);
  // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
}

/** Saves, expecting the preflight to stop it here: the browser never reaches Microsoft. */
async function saveStoppedByPreflight(page: Page, name: string, fields: MailboxFields) {
  const toMicrosoft: string[] = [];
  page.on("request", (request) => {
    if (request.url().startsWith(FAKE) && request.url().includes("/authorize")) toMicrosoft.push(request.url());
  });
  await saveMailbox(page, name, fields);
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-passed", "false");
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+/);
  expect(toMicrosoft, "never sent to Microsoft").toEqual([]);
}

function expectAdvice(page: Page, text: RegExp, step?: RegExp) {
  const advice = page.getByTestId("problem-advice");
  return (async () => {
    await expect(advice).toContainText(text);
    if (step) await expect(advice.getByTestId("advice-step")).toHaveText(step);
  })();
}

/** AES-256-GCM as the server stores secrets (server/src/cipher.rs): [nonce][ciphertext+tag]. */
function encryptClientSecret(plain: string): string {
  const key = Buffer.from(process.env.E2E_ENCRYPTION_KEY ?? "", "base64");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from("mailbox_microsoft_settings.client_secret"));
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([nonce, sealed]).toString("hex");
}

function mailboxId(page: Page): string {
  const match = new URL(page.url()).pathname.match(/\/instellingen\/mailboxen\/(\d+)/);
  if (!match) throw new Error(`not on a mailbox page: ${page.url()}`);
  return match[1];
}

// The fake Microsoft's pages have no favicon: Chromium reports its 404 on the console. A
// refused callback answers 4xx, which Chromium reports too.
const refusedCallback = /status of 4\d\d .*\/api\/oauth\/ms-azure\/callback/;
test.use({ allowedConsoleErrors: [[fakeFavicon, refusedCallback], { option: true }] });

test.beforeEach(async ({ page }) => {
  await signInToApp(page);
  clearMailboxes();
});

test("wrong secret: stopped before Microsoft, with the Value-not-Secret-ID advice", async ({ page }) => {
  const app = await registerApp();
  await saveStoppedByPreflight(page, "Verkeerd secret", { clientId: app.clientId, secret: "Verkeerd8Q~0123456789abcdefghijklmnopqrstu", ...info });
  await expect(page.getByTestId("check-credentials")).toHaveAttribute("data-verdict", "failed");
  await expect(page.getByTestId("check-mailbox")).toHaveAttribute("data-verdict", "skipped");
  await expect(page.getByTestId("check-tenant")).toHaveAttribute("data-verdict", "passed");
  await expectAdvice(page, /Waarde \(Value\) van het secret in, niet de Secret ID/, /stap 14\)/);
  await expect(page.getByTestId("diag-code")).toHaveText("AADSTS7000215");
  await expect(page.getByTestId("diag-trace-id")).not.toBeEmpty();
  await expect(page.getByTestId("diag-correlation-id")).not.toBeEmpty();
  await expect(page.getByTestId("aadsts-link")).toHaveAttribute("href", "https://login.microsoftonline.com/error?code=7000215");
  await expect(page.getByTestId("continue-anyway")).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page);
});

test("expired secret: advice to create a new one", async ({ page }) => {
  const app = await registerApp({ secretExpired: true });
  await saveStoppedByPreflight(page, "Verlopen secret", { clientId: app.clientId, secret: app.secret, ...info });
  await expect(page.getByTestId("diag-code")).toHaveText("AADSTS7000222");
  await expectAdvice(page, /verlopen.*nieuw secret/, /stappen 13–14\)/);
});

test("the Secret ID forced past the form is recognised by the server's test", async ({ page }) => {
  const app = await registerApp();
  await saveStoppedByPreflight(page, "Secret ID", { clientId: app.clientId, secret: "Verkeerd8Q~0123456789abcdefghijklmnopqrstu", ...info });
  // The form refuses a Secret ID; store one the way an import or an older version would.
  const id = mailboxId(page);
  execFileSync("sqlite3", [
    process.env.E2E_DB_FILE ?? "",
    // As a row from before app registrations: the secret on the mailbox, no credential yet.
    `UPDATE mailbox_microsoft_settings SET client_secret_encrypted = X'${encryptClientSecret(app.secretId)}', app_credential_id = NULL WHERE mailbox_id = ${id};`,
  ]);
  await page.goto(`/instellingen/mailboxen/${id}`);
  await waitForHydration(page);
  await page.getByTestId("test-registration").click();
  await expect(page.getByTestId("problem-advice")).toContainText("heeft de vorm van een Secret ID");
  await expect(page.getByTestId("diag-code")).toHaveText("AADSTS7000215");
  // Without JavaScript the button posts and the page shows the stored result.
});

test("admin consent missing: the mailbox check says to grant it", async ({ page }) => {
  const app = await registerApp({ adminConsent: false });
  await saveStoppedByPreflight(page, "Geen toestemming", { clientId: app.clientId, secret: app.secret, ...info });
  await expect(page.getByTestId("check-credentials")).toHaveAttribute("data-verdict", "passed");
  await expect(page.getByTestId("check-mailbox")).toHaveAttribute("data-verdict", "failed");
  await expect(page.getByTestId("check-mailbox").getByTestId("check-detail")).toHaveText("403 ErrorAccessDenied");
  await expectAdvice(page, /Grant admin consent/, /stappen 9–12\)/);
  // Granting it is what fixes it, so the preflight does not stop "Beheerderstoestemming geven".
  await waitForHydration(page);
  await page.getByTestId("admin-consent").click();
  await page.waitForURL(/\/adminconsent|\/signin\//);
});

test("consent declined at Microsoft: back with the advice to accept", async ({ page }) => {
  const app = await registerApp();
  await saveMailbox(page, "Geweigerd", { clientId: app.clientId, secret: app.secret, ...leden });
  await signInAtMicrosoft(page, leden);
  await expect(page.getByTestId("consent-cancel")).toBeVisible();
  await page.getByTestId("consent-cancel").click();
  await expect(page.getByTestId("callback-advice")).toContainText("toestemming is geweigerd");
  await page.getByTestId("back-to-mailbox").click();
  await expect(page.getByTestId("last-problem")).toHaveAttribute("data-outcome", "denied");
  await expect(page.getByTestId("diag-code")).toHaveText("AADSTS65004");
  await expectAdvice(page, /klik bij Microsoft op Accepteren/, /stap 12\)/);
});

test("cancel on Microsoft's sign-in page: back with the advice to start again", async ({ page }) => {
  const app = await registerApp();
  await saveMailbox(page, "Afgebroken", { clientId: app.clientId, secret: app.secret, ...info });
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
  const picker = page.getByTestId("use-another-account");
  if (await picker.isVisible()) await picker.click();
  await page.getByTestId("login-cancel").click();
  await expect(page.getByTestId("callback-error")).toBeVisible();
  await page.getByTestId("back-to-mailbox").click();
  await expect(page.getByTestId("last-problem")).toHaveAttribute("data-outcome", "denied");
  await expect(page.getByTestId("diag-error")).toHaveText("access_denied");
  await expectAdvice(page, /afgebroken.*Verbind opnieuw/);
});

test("unknown tenant: stopped by the preflight, never sent to Microsoft", async ({ page }) => {
  const app = await registerApp();
  await saveStoppedByPreflight(page, "Onbekende tenant", { tenant: randomUUID(), clientId: app.clientId, secret: app.secret, ...info });
  await expect(page.getByTestId("check-tenant")).toHaveAttribute("data-verdict", "failed");
  await expect(page.getByTestId("diag-code")).toHaveText("AADSTS90002");
  await expectAdvice(page, /Deze tenant bestaat niet/, /stap 15\)/);
  await expect(page.getByTestId("preflight-stopped")).toBeVisible();
});

test("redirect URI mismatch: Microsoft keeps the browser, the page says it did not return", async ({ page }) => {
  const app = await registerApp({ redirectUri: "https://crm.example.org/api/oauth/ms-azure/callback" });
  await saveMailbox(page, "Verkeerde redirect", { clientId: app.clientId, secret: app.secret, ...info });
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
  await expect(page.getByTestId("error-code")).toContainText("50011");
  // The admin comes back to the mailbox without a callback.
  await page.goto("/instellingen/mailboxen");
  await page.getByRole("link", { name: "Verkeerde redirect" }).click();
  await expect(page.getByTestId("problem-title")).toHaveText("Niet teruggekomen van Microsoft");
  await expect(page.getByTestId("problem-advice")).toContainText("AADSTS50011");
  await expect(page.getByTestId("problem-advice")).toContainText("AADSTS700016");
  await expect(page.getByTestId("problem-advice")).toContainText("AADSTS90002");
  await expect(page.getByTestId("problem-advice")).toContainText("AADSTS50194");
});

test("wrong Object ID: the mailbox check names the Object ID", async ({ page }) => {
  const app = await registerApp();
  await saveStoppedByPreflight(page, "Verkeerd object", { clientId: app.clientId, secret: app.secret, upn: info.upn, objectId: randomUUID() });
  await expect(page.getByTestId("check-mailbox").getByTestId("check-detail")).toHaveText("404 ErrorInvalidUser");
  await expectAdvice(page, /geen gebruiker met dit Object ID/, /stappen 17–18\)/);
});

test("mailbox without an Exchange licence", async ({ page }) => {
  const app = await registerApp();
  const user = { upn: `zonderlicentie-${randomBytes(3).toString("hex")}@energiedemo.onmicrosoft.com`, objectId: randomUUID() };
  await fakeAdmin(`/tenants/${TENANT}/users`, "POST", {
    object_id: user.objectId,
    user_principal_name: user.upn,
    display_name: "Zonder licentie",
    password: "Geen-licentie-2026",
    mailbox_enabled: false,
  });
  await saveStoppedByPreflight(page, "Zonder licentie", { clientId: app.clientId, secret: app.secret, ...user });
  await expect(page.getByTestId("check-mailbox").getByTestId("check-detail")).toHaveText("404 MailboxNotEnabledForRESTAPI");
  await expectAdvice(page, /geen Exchange Online-mailbox/);
});

test("the list shows Fout with the code, the menu marks Mailboxen, the history filters", async ({ page, context }) => {
  const app = await registerApp();
  await saveStoppedByPreflight(page, "Lijststatus", { clientId: app.clientId, secret: "Verkeerd8Q~0123456789abcdefghijklmnopqrstu", ...info });
  const id = mailboxId(page);
  // "Toch doorgaan" goes to Microsoft anyway; coming back without a callback is recorded.
  await waitForHydration(page);
  await page.getByTestId("continue-anyway").click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
  await page.goto(`/instellingen/mailboxen/${id}`);
  await expect(page.getByTestId("problem-title")).toHaveText("Niet teruggekomen van Microsoft");
  const history = page.getByTestId("history-entry");
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toHaveAttribute("data-kind", "connect");
  await expect(history.nth(1)).toHaveAttribute("data-kind", "preflight");
  await expect(history.nth(1)).toContainText("AADSTS7000215");
  await waitForHydration(page);
  await page.getByTestId("history-filter-outcome").selectOption("mislukt");
  await expect(history).toHaveCount(1);
  await expect(page).toHaveURL(/uitkomst=mislukt/);
  // The test posts and the page comes back with the new attempt, unfiltered.
  await page.getByTestId("test-registration").click();
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toHaveAttribute("data-kind", "preflight");
  // The test runs in the background; the page follows it until the report is complete.
  await expect(page.getByTestId("preflight")).toBeVisible({ timeout: 20_000 });
  await waitForHydration(page);

  // Copy the technical details for support: codes and IDs, never the secret.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // The last report is the test just run (above it: the sign-in that did not return).
  await page.getByTestId("copy-details").last().click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("AADSTS7000215");
  expect(copied).toContain("Trace ID: ");
  expect(copied).toContain(`Client id: ${app.clientId}`);
  expect(copied).not.toContain("Verkeerd8Q~");

  await page.goto("/instellingen/mailboxen");
  await expect(page.getByTestId("mailbox-status")).toHaveText("Fout (AADSTS7000215)");
  await expect(page.getByTestId("nav-attention")).toContainText("1");
});

for (const javaScriptEnabled of [true, false]) {
  test(`a running test shows which check runs, then the report (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signInToApp(page);
    const app = await registerApp({ adminConsent: false });
    await saveMailbox(page, "Voortgang", { clientId: app.clientId, secret: app.secret, ...info }, javaScriptEnabled);
    await expect(page.getByTestId("preflight")).toHaveAttribute("data-passed", "false");
    // Microsoft's token endpoint answers slowly: the second check takes a while.
    await fakeAdmin("/faults", "POST", { endpoint: "token", kind: "latency", millis: 3000 });
    try {
      await page.getByTestId("test-registration").click();
      const running = page.getByTestId("preflight-running");
      await expect(running).toHaveAttribute("data-check", "credentials");
      await expect(running).toContainText("Bezig met testen… Controle 2 van 5: Client id en client secret zijn geldig");
      await expect(running.getByTestId("check-tenant")).toHaveAttribute("data-verdict", "passed");
      // The page reloads itself until the report is complete.
      await expect(page.getByTestId("check-mailbox")).toHaveAttribute("data-verdict", "failed", { timeout: 20_000 });
      await expect(page.getByTestId("preflight")).toHaveAttribute("data-passed", "false");
      await expect(page.getByTestId("preflight-running")).toHaveCount(0);
    } finally {
      await fakeAdmin("/faults/token", "DELETE");
    }
    await context.close();
  });
}

test("without JavaScript the test button posts and the page shows the stored result", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInToApp(page);
  const app = await registerApp({ adminConsent: false });
  await saveMailbox(page, "Zonder JS", { clientId: app.clientId, secret: app.secret, ...info }, false);
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-passed", "false");
  await page.getByTestId("test-registration").click();
  await expect(page.getByTestId("check-mailbox")).toHaveAttribute("data-verdict", "failed");
  await expect(page.getByTestId("history-entry")).toHaveCount(2);
  await context.close();
});

/** Signs in on the fake Microsoft pages as `user`. */
async function signInAtMicrosoft(page: Page, user: { upn: string; password: string }) {
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
  const picker = page.getByTestId("use-another-account");
  const email = page.getByTestId("login-email");
  await expect(picker.or(email)).toBeVisible();
  if (await picker.isVisible()) await picker.click();
  await page.getByTestId("login-email").fill(user.upn);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
}
