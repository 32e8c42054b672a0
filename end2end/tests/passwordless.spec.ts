// Connecting without the mailbox's password (issue 18): a shared mailbox whose account has
// sign-in blocked (Microsoft's advice) is added with only its address, fetched with the app's
// own token, and the browser never visits Microsoft's sign-in page; "Test app-registratie"
// warns that the demo app reaches every mailbox and gives the PowerShell that scopes it,
// filled in with the app's IDs. connect.spec.ts keeps the delegated flow covered.
import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";
import { azure, FAKE, fakeAdmin } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn as signInToApp, test, waitForHydration } from "./support";

const DOMAIN = "energiedemo.onmicrosoft.com";

/** A shared mailbox in the fake with sign-in blocked and one message in its inbox. */
async function sharedMailbox(): Promise<{ upn: string; subject: string }> {
  const tag = randomUUID().slice(0, 8);
  const upn = `secretariaat-${tag}@${DOMAIN}`;
  await fakeAdmin(`/tenants/${DOMAIN}/users`, "POST", {
    object_id: randomUUID(),
    user_principal_name: upn,
    display_name: `Secretariaat ${tag}`,
    password: `niemand-kent-dit-${tag}`,
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
  return { upn, subject };
}

/** The new-mailbox form with only the address and "Zonder wachtwoord": saved, no Object ID. */
async function saveWithoutPassword(page: Page, upn: string): Promise<void> {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill("Secretariaat");
  await page.getByTestId("field-email").fill(upn);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
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
