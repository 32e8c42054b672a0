// The mailbox screen, following the manual's "Mailbox verbinden" steps 6–12: every mistake an
// admin typically makes is caught in the browser before submitting, and again by the server.
import type { Page } from "@playwright/test";
import { clearMailboxes, expect, expectAccessible, signIn, test, waitForHydration } from "./support";

// The demo tenant's app registration (fake-microsoft/fixtures/demo.json).
const TENANT_ID = "8c10395e-14fe-46db-a8b6-699ac4a65109";
const CLIENT_ID = "80aef83a-368f-4a54-a387-8c794cf71106";
const SECRET_ID = "8fbe0b52-acbf-4691-b6e1-4ae2a073c19b";
const SECRET_VALUE = "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF";
const OBJECT_ID = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";

const MSG = {
  clientIdNotGuid: "Een Client id bestaat uit 32 tekens",
  secretIsSecretId: "Dit is de Secret ID (een GUID), niet de waarde.",
  objectIdIsClientId: "Object ID en Client id zijn gelijk; waarschijnlijk is de Object ID verkeerd.",
};

const field = (page: Page, name: string) => page.getByTestId(`field-${name}`);
const error = (page: Page, name: string) => page.getByTestId(`error-${name}`);

async function fillGeneral(page: Page) {
  await page.getByLabel("Weergave naam").fill("Info");
  await page.getByLabel(/^E-mail/).fill("info@energiedemo.onmicrosoft.com");
  await page.getByLabel("Inkomende mail type").selectOption({ label: "Microsoft Api" });
  await page.getByLabel("Uitgaande mail type").selectOption({ label: "Microsoft Api" });
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
});

test("manual's flow: each mistake is explained before submitting, then saved and kept", async ({ page }) => {
  const responses: string[] = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (/json|html|text/.test(type)) responses.push(await response.text().catch(() => ""));
  });

  await page.goto("/instellingen/mailboxen");
  await page.getByTestId("add-mailbox").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/nieuw$/);
  await waitForHydration(page);
  await fillGeneral(page);

  // The Microsoft section appears for Microsoft Api, with the redirect URI to register.
  await expect(field(page, "redirect_url")).toHaveValue(/\/api\/oauth\/ms-azure\/callback$/);

  // 1. A client ID that is not a GUID.
  await page.getByLabel("Client id").fill("80aef83a-368f-4a54-a387-8c794cf7110");
  await page.getByLabel("Client id").blur();
  await expect(error(page, "client_id")).toContainText(MSG.clientIdNotGuid);
  // 2. The Secret ID pasted where the secret value belongs.
  await page.getByLabel("Tenant ID").fill(TENANT_ID);
  await page.getByLabel("Client secret waarde").fill(SECRET_ID);
  await page.getByLabel("Client secret waarde").blur();
  await expect(error(page, "client_secret")).toContainText(MSG.secretIsSecretId);
  // 3. The client ID pasted as the mailbox user's Object ID.
  await page.getByLabel("Client id").fill(CLIENT_ID);
  await page.getByLabel("Object ID").fill(CLIENT_ID);
  await page.getByLabel("Object ID").blur();
  await expect(error(page, "object_id")).toContainText(MSG.objectIdIsClientId);
  await expect(field(page, "object_id")).toHaveAttribute("aria-invalid", "true");

  // Fixed: the messages disappear, the form saves.
  await page.getByLabel("Object ID").fill(OBJECT_ID);
  await page.getByLabel("Client secret waarde").fill(`  ${SECRET_VALUE} `);
  await page.getByLabel("Client secret waarde").blur();
  await expect(error(page, "client_id")).toHaveCount(0);
  await expect(error(page, "client_secret")).toHaveCount(0);
  await expect(error(page, "object_id")).toHaveCount(0);
  // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  // Saved, and — not yet connected — on its way to Microsoft's sign-in for this mailbox.
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?.*login_hint=info%40energiedemo\.onmicrosoft\.com/);

  // Back on the mailbox page: values kept, the secret only as its first three characters.
  await page.goto("/instellingen/mailboxen");
  await page.getByTestId("mailbox-row").getByRole("link").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+$/);
  await expect(page.getByLabel("Client id")).toHaveValue(CLIENT_ID);
  await expect(page.getByLabel("Tenant ID")).toHaveValue(TENANT_ID);
  await expect(page.getByLabel("Object ID")).toHaveValue(OBJECT_ID);
  await expect(page.getByLabel("Client secret waarde")).toHaveValue("");
  await expect(page.getByTestId("stored-client_secret")).toContainText(SECRET_VALUE.slice(0, 3));
  expect(await page.content()).not.toContain(SECRET_VALUE);
  const leaked = responses.filter((body) => body.includes(SECRET_VALUE) || body.includes(SECRET_VALUE.slice(3)));
  expect(leaked).toEqual([]);

  await page.goto("/instellingen/mailboxen");
  await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
  await expect(page.getByTestId("mailbox-row")).toContainText("info@energiedemo.onmicrosoft.com");
});

test("Opslaan with a mistake left: stopped in the browser, every value kept, the secret too", async ({ page }) => {
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await fillGeneral(page);
  // Never left: the mistake is not even blurred before Opslaan is pressed.
  await page.getByLabel("Client id").fill("niet-een-guid");
  await page.getByLabel("Tenant ID").fill(TENANT_ID);
  await page.getByLabel("Client secret waarde").fill(SECRET_VALUE);
  await page.getByLabel("Object ID").fill(OBJECT_ID);
  // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();

  await expect(page.getByTestId("save-invalid")).toBeVisible();
  await expect(error(page, "client_id")).toContainText(MSG.clientIdNotGuid);
  await expect(field(page, "client_id")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/nieuw$/);
  await expect(page.getByLabel("Client secret waarde")).toHaveValue(SECRET_VALUE);
  await expect(page.getByLabel("Weergave naam")).toHaveValue("Info");
  expect(posts).toEqual([]);

  // Corrected, the same press saves and leaves for Microsoft's sign-in.
  await page.getByLabel("Client id").fill(CLIENT_ID);
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the server returns the same messages, next to the same fields", async ({ page }) => {
    await page.goto("/instellingen/mailboxen/nieuw");
    await fillGeneral(page);
    await page.getByTestId("save").click();
    // Without JavaScript the Microsoft section is rendered by the server after choosing the
    // type; the first post reveals it with the required-field messages.
    await page.getByLabel("Client id").fill("niet-een-guid");
    await page.getByLabel("Tenant ID").fill(TENANT_ID);
    await page.getByLabel("Client secret waarde").fill(SECRET_ID);
    await page.getByLabel("Object ID").fill(CLIENT_ID);
    await page.getByTestId("save").click();
    await expect(page.getByTestId("save-invalid")).toBeVisible();
    await expect(error(page, "client_id")).toContainText(MSG.clientIdNotGuid);
    await expect(error(page, "client_secret")).toContainText(MSG.secretIsSecretId);
    await expect(page.getByLabel("Weergave naam")).toHaveValue("Info");
    expect(await page.content()).not.toContain(SECRET_ID);
  });
});

test("the Redirect url is read-only and its copy button puts it on the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await fillGeneral(page);
  const redirect = field(page, "redirect_url");
  await expect(redirect).toHaveAttribute("readonly", "");
  await expect(redirect).toHaveValue(`${process.env.E2E_BASE_URL}/api/oauth/ms-azure/callback`);
  await page.getByTestId("copy-redirect-url").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(
    `${process.env.E2E_BASE_URL}/api/oauth/ms-azure/callback`,
  );
});

test("no serious accessibility violations on the new and the edit page", async ({ page }) => {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await fillGeneral(page);
  await page.getByLabel("Client id").fill("x");
  await page.getByLabel("Client id").blur();
  await expect(error(page, "client_id")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Client id").fill(CLIENT_ID);
  await page.getByLabel("Tenant ID").fill(TENANT_ID);
  await page.getByLabel("Client secret waarde").fill(SECRET_VALUE);
  await page.getByLabel("Object ID").fill(OBJECT_ID);
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize/);
  await page.goto("/instellingen/mailboxen");
  await page.getByTestId("mailbox-row").getByRole("link").click();
  await expect(page.getByLabel("Client id")).toHaveValue(CLIENT_ID);
  await waitForHydration(page);
  await expectAccessible(page);
});
