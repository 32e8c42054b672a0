// Connecting without the mailbox's password (issue 18): a shared mailbox whose account has
// sign-in blocked (Microsoft's advice) is added with only its address, fetched with the app's
// own token, and the browser never visits Microsoft's sign-in page; "Test app-registratie"
// warns that the demo app reaches every mailbox and gives the PowerShell that scopes it,
// filled in with the app's IDs. connect.spec.ts keeps the delegated flow covered.
import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";
import { azure, FAKE, fakeAdmin, fakeFavicon } from "./fake";
import { clearMailboxes, expect, expectAccessible, mailboxId, signIn as signInToApp, test, waitForHydration } from "./support";

const DOMAIN = "energiedemo.onmicrosoft.com";

/** A shared mailbox in the fake with sign-in blocked and one message in its inbox. */
async function sharedMailbox(): Promise<{ upn: string; subject: string; password: string }> {
  const tag = randomUUID().slice(0, 8);
  const upn = `secretariaat-${tag}@${DOMAIN}`;
  const password = `niemand-kent-dit-${tag}`;
  await fakeAdmin(`/tenants/${DOMAIN}/users`, "POST", {
    object_id: randomUUID(),
    user_principal_name: upn,
    display_name: `Secretariaat ${tag}`,
    password,
    sign_in_blocked: true,
  });
  const subject = `Vraag aan het secretariaat ${tag}`;
  await fakeAdmin(`/users/${encodeURIComponent(upn)}/messages`, "POST", {
    subject,
    from: { name: "Piet Puk", address: "piet@example.org" },
    to: [{ name: "Secretariaat", address: upn }],
    received_at: new Date().toISOString(),
    body: { content_type: "text", content: "Beste secretariaat, een vraag." },
  });
  return { upn, subject, password };
}

/** The new-mailbox form with only the address (no Object ID) and the app registration. */
async function fillAddressOnly(page: Page, upn: string): Promise<void> {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill("Secretariaat");
  await page.getByTestId("field-email").fill(upn);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
}

/** The new-mailbox form with only the address and "Zonder wachtwoord": saved, no Object ID. */
async function saveWithoutPassword(page: Page, upn: string): Promise<void> {
  await fillAddressOnly(page, upn);
  await page.getByLabel("Zonder wachtwoord (toepassingsmachtigingen)").check();
  await expect(page.getByTestId("field-object_id")).toHaveValue("");
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\?opgeslagen=1$/);
  await expect(page.getByTestId("section-connection")).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await signInToApp(page);
  clearMailboxes();
});

test("a shared mailbox with sign-in blocked is connected with only its address and fetches its inbox", async ({
  page,
}) => {
  const shared = await sharedMailbox();
  const visited: string[] = [];
  page.on("request", (request) => visited.push(request.url()));

  await saveWithoutPassword(page, shared.upn);
  await waitForHydration(page);
  const section = page.getByTestId("section-mail");
  await section.getByTestId("fetch-now").click();
  await expect(page.getByTestId("fetch-success")).toBeVisible({ timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId("connection-state")).toHaveText("Verbonden (zonder wachtwoord)");
  await expect(page.getByTestId("connect")).toHaveCount(0);
  await expectAccessible(page);

  await page.getByTestId("section-mail").getByTestId("messages-link").click();
  await expect(page.getByTestId("message-row").filter({ hasText: shared.subject })).toHaveCount(1);

  await page.goto("/instellingen/mailboxen");
  const row = page.getByTestId("mailbox-row").filter({ hasText: shared.upn });
  await expect(row).toContainText("Verbonden (zonder wachtwoord)");

  // Never at Microsoft: no request of the browser went to the fake's sign-in pages.
  expect(visited.filter((url) => url.startsWith(FAKE))).toEqual([]);
});

test("the tenant-wide warning gives the PowerShell with the app's IDs", async ({ page }) => {
  const shared = await sharedMailbox();
  const servicePrincipal = (await fakeAdmin(`/applications/${azure.client_id}/service-principal`)).object_id;
  await saveWithoutPassword(page, shared.upn);
  await waitForHydration(page);
  await page.getByTestId("test-registration").click();
  const scope = page.getByTestId("check-scope");
  await expect(scope).toHaveAttribute("data-verdict", "warning", { timeout: 20_000 });
  await expect(scope).toContainText("Organisatiebreed: de app kan elke mailbox lezen");
  const script = scope.getByTestId("scope-script");
  await expect(script).toContainText(`New-ServicePrincipal -AppId '${azure.client_id}' -ObjectId '${servicePrincipal}'`);
  await expect(script).toContainText(`PrimarySmtpAddress -eq '${shared.upn}'`);
  await expect(script).toContainText("New-ManagementRoleAssignment");
  await expect(scope.getByTestId("least-permissions")).toBeVisible();
  await expectAccessible(page);
});

test("Automatisch: a new mailbox the app can read is connected without password, and the page says why", async ({
  page,
}) => {
  const shared = await sharedMailbox();
  const visited: string[] = [];
  page.on("request", (request) => visited.push(request.url()));
  await fillAddressOnly(page, shared.upn);
  await expect(page.getByTestId("method-auto")).toBeChecked();
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\?opgeslagen=1$/);
  const method = page.getByTestId("connection-method");
  await expect(method).toHaveAttribute("data-reason", "auto_app_only");
  await expect(page.getByTestId("connection-method-name")).toHaveText("Zonder wachtwoord (toepassingsmachtigingen)");
  await expect(method).toContainText("automatisch gekozen");
  await expect(page.getByTestId("check-mailbox")).toHaveAttribute("data-verdict", "passed");
  // The form of the saved mailbox offers the two methods only, with this one chosen.
  await expect(page.getByTestId("method-auto")).toHaveCount(0);
  await expect(page.getByTestId("method-app_only")).toBeChecked();
  await expectAccessible(page);
  expect(visited.filter((url) => url.startsWith(FAKE))).toEqual([]);
});

test.describe("signing in as a shared mailbox with sign-in blocked", () => {
  // The fake Microsoft's pages have no favicon: Chromium reports its 404 on the console.
  test.use({ allowedConsoleErrors: [[fakeFavicon], { option: true }] });

  test("never comes back from Microsoft; the mailbox page offers the switch in one step", async ({ page }) => {
    const shared = await sharedMailbox();
    await fillAddressOnly(page, shared.upn);
    await page.getByTestId("method-delegated").check();
    await page.getByTestId("save").click();
    await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
    const picker = page.getByTestId("use-another-account");
    const email = page.getByTestId("login-email");
    await expect(picker.or(email)).toBeVisible();
    if (await picker.isVisible()) await picker.click();
    await page.getByTestId("login-email").fill(shared.upn);
    // The right password: Microsoft checks it before it says the account is blocked.
    await page.getByTestId("login-password").fill(shared.password);
    await page.getByTestId("login-submit").click();
    // Microsoft's own page, which never sends the browser back to the app.
    await expect(page.getByTestId("error-code")).toHaveText("AADSTS50057");

    await page.goto(`/instellingen/mailboxen/${mailboxId(shared.upn)}`);
    await expect(page.getByTestId("problem-title")).toHaveText("Niet teruggekomen van Microsoft");
    const advice = page.getByTestId("blocked-sign-in-advice");
    await expect(advice).toContainText("AADSTS50057");
    await expect(advice).toContainText("gedeelde mailbox");
    await expect(page.getByTestId("connection-method")).toHaveAttribute("data-reason", "chosen");
    await expectAccessible(page);
    await waitForHydration(page);
    await page.getByTestId("switch-app-only").click();
    await expect(page.getByTestId("connection-method-name")).toHaveText("Zonder wachtwoord (toepassingsmachtigingen)");
    await expect(page.getByTestId("blocked-sign-in-advice")).toHaveCount(0);
    await page.getByTestId("section-mail").getByTestId("fetch-now").click();
    await expect(page.getByTestId("fetch-success")).toBeVisible({ timeout: 20_000 });
    await page.reload();
    await expect(page.getByTestId("connection-state")).toHaveText("Verbonden (zonder wachtwoord)");
  });
});
