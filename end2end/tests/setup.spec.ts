// "Microsoft 365 koppelen" (issue 19): the guided setup that replaces the manual's first
// chapter, from nothing (an app registration that exists only in Azure, here the fake
// Microsoft, with no credential and no permission) to a mailbox connected without its
// password that authenticates with a certificate made by the CRM. What the admin does in the
// Azure portal between the steps is done through the fake's admin API; every step's check
// is shown before the next opens. A second test leaves a setup halfway and resumes it in a
// browser without JavaScript.
import { randomUUID } from "node:crypto";
import { fakeAdmin } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn, test, waitForHydration } from "./support";

const DOMAIN = "energiedemo.onmicrosoft.com";
const TENANT = "8c10395e-14fe-46db-a8b6-699ac4a65109";

/** An app registered in Azure with nothing on it yet, as after "Nieuwe registratie". */
async function newApp(): Promise<string> {
  const client = randomUUID();
  await fakeAdmin(`/tenants/${DOMAIN}/applications`, "POST", { client_id: client, display_name: "CRM mailboxen" });
  return client;
}

/** A shared mailbox with sign-in blocked and one message in its inbox. */
async function sharedMailbox(): Promise<{ upn: string; objectId: string; subject: string }> {
  const tag = randomUUID().slice(0, 8);
  const upn = `ledenpost-${tag}@${DOMAIN}`;
  const objectId = randomUUID();
  await fakeAdmin(`/tenants/${DOMAIN}/users`, "POST", {
    object_id: objectId,
    user_principal_name: upn,
    display_name: `Ledenpost ${tag}`,
    password: `niemand-${tag}`,
    sign_in_blocked: true,
  });
  const subject = `Aanmelding via de koppeling ${tag}`;
  await fakeAdmin(`/users/${encodeURIComponent(upn)}/messages`, "POST", {
    subject,
    from: { name: "Piet Puk", address: "piet@example.org" },
    to: [{ name: "Ledenpost", address: upn }],
    received_at: new Date().toISOString(),
    body: { content_type: "text", content: "Ik word graag lid." },
  });
  return { upn, objectId, subject };
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
});

test("the guided setup goes from nothing to a mailbox connected with a certificate", async ({ page }) => {
  const client = await newApp();
  const shared = await sharedMailbox();
  const step = (name: string) => page.getByTestId(`step-${name}`);

  await page.goto("/instellingen/mailboxen");
  await page.getByTestId("nav-setup").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Microsoft 365 koppelen");

  // 1. Tenant: a domain is resolved to the tenant's ID.
  await page.getByLabel("Tenant ID").fill(DOMAIN);
  await page.getByTestId("submit-tenant").click();
  await expect(step("tenant")).toHaveAttribute("data-state", "done");
  await expect(step("tenant").getByTestId("check-tenant")).toHaveAttribute("data-verdict", "passed");
  await expect(page.getByTestId("setup-tenant-id")).toHaveText(TENANT);

  // 2. The app: the exact values to enter in Azure, with copy buttons (JavaScript is on).
  await expect(step("app")).toHaveAttribute("data-state", "current");
  await expect(page.getByTestId("value-redirect-uri")).toHaveText(/\/api\/oauth\/ms-azure\/callback$/);
  const copy = step("app").locator("button[data-copy]").first();
  await expect(copy).toBeVisible();
  await expect(copy).toHaveText("Kopiëren");
  await expect(step("app")).toContainText("Alleen accounts in deze organisatiemap (één tenant)");
  await page.getByLabel("Client id").fill(randomUUID());
  await page.getByTestId("submit-app").click();
  await expect(step("app").getByTestId("check-app")).toHaveAttribute("data-verdict", "failed");
  await expect(step("app").getByTestId("check-app")).toContainText("AADSTS700016");
  await page.getByLabel("Client id").fill(client);
  await page.getByTestId("submit-app").click();
  await expect(step("app")).toHaveAttribute("data-state", "done");

  // 3. A certificate made here: refused until it is uploaded in Azure, accepted after.
  await expect(step("credential")).toHaveAttribute("data-state", "current");
  await page.getByTestId("make-certificate").click();
  await expect(page.getByTestId("answer-ok")).toBeVisible();
  const href = await step("credential").getByTestId("certificate-download").getAttribute("href");
  const pem = Buffer.from(href!.split(",")[1], "base64").toString("utf8");
  expect(pem).toContain("-----BEGIN CERTIFICATE-----");
  await step("credential").getByTestId("check-credential").click();
  await expect(page.getByTestId("answer-refused")).toContainText("AADSTS700027");
  await fakeAdmin(`/applications/${client}/certificates`, "POST", { certificate_pem: pem });
  await step("credential").getByTestId("check-credential").click();
  await expect(step("credential")).toHaveAttribute("data-state", "done");
  await expect(step("credential").getByTestId("setup-credential")).toHaveAttribute("data-accepted", "true");

  // 4. Consent: none yet, then granted in Azure.
  await page.getByTestId("submit-consent").click();
  await expect(step("consent").getByTestId("check-consent")).toHaveAttribute("data-verdict", "failed");
  await fakeAdmin(`/applications/${client}`, "PATCH", {
    application_permissions: ["Mail.ReadWrite", "Mail.Send"],
    admin_consent_granted: true,
  });
  await page.getByTestId("submit-consent").click();
  await expect(step("consent")).toHaveAttribute("data-state", "done");
  await expect(step("consent").getByTestId("check-consent")).toHaveAttribute("data-verdict", "passed");

  // 5. Which mailboxes: reachable, but the grant reaches every mailbox; the script limits it.
  await page.getByLabel("Mailboxadressen").fill(shared.upn);
  await page.getByTestId("submit-scope").click();
  await expect(step("scope").getByTestId("check-scope")).toHaveAttribute("data-verdict", "warning");
  const script = page.getByTestId("setup-scope-script");
  await expect(script).toContainText(`PrimarySmtpAddress -eq '${shared.upn}'`);
  await expect(script).toContainText(`New-ManagementRoleAssignment -App '${client}'`);
  await expectAccessible(page);
  // At 375 px the steps, the values and the script fit the window.
  await page.setViewportSize({ width: 375, height: 800 });
  const offenders = await page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} ends at ${Math.round(element.getBoundingClientRect().right)}`),
  );
  expect(offenders, "nothing wider than 375 px").toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  // The script run in Exchange, the Entra permissions removed: limited to this mailbox.
  const scoped = (role: string) => ({ role, scope_name: "CRM-mailboxen", mailboxes: [shared.objectId] });
  await fakeAdmin(`/applications/${client}`, "PATCH", {
    application_permissions: [],
    exchange_role_assignments: [scoped("Application Mail.ReadWrite"), scoped("Application Mail.Send")],
  });
  await page.getByTestId("submit-scope").click();
  await expect(step("scope").getByTestId("check-scope")).toHaveAttribute("data-verdict", "passed");
  await expect(step("scope").getByTestId("check-mailbox")).toContainText(shared.upn);

  // 6. The mailbox added by its address, connected without password, fetching its inbox.
  await expect(step("mailboxes")).toHaveAttribute("data-state", "current");
  await page.getByTestId("add-mailboxes").click();
  await expect(page.getByTestId("setup-done")).toBeVisible();
  await expectAccessible(page);
  await page.getByTestId("setup-mailbox-link").click();
  await waitForHydration(page);
  await page.getByTestId("section-mail").getByTestId("fetch-now").click();
  await expect(page.getByTestId("fetch-success")).toBeVisible({ timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId("connection-state")).toHaveText("Verbonden (zonder wachtwoord)");
  await page.getByTestId("section-mail").getByTestId("messages-link").click();
  await expect(page.getByTestId("message-row").filter({ hasText: shared.subject })).toHaveCount(1);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a setup left halfway is resumed where it stood", async ({ page }) => {
    const client = await newApp();
    await page.goto("/instellingen/microsoft-365-koppelen");
    // Nothing to copy with: the buttons stay hidden, the values are text to select.
    await page.getByLabel("Tenant ID").fill(TENANT);
    await page.getByTestId("submit-tenant").click();
    await expect(page.getByTestId("step-app")).toHaveAttribute("data-state", "current");
    const copy = page.locator("button[data-copy]").first();
    await expect(copy).toHaveCount(1);
    await expect(copy).toBeHidden();
    await page.getByLabel("Client id").fill("niet-een-guid");
    await page.getByTestId("submit-app").click();
    await expect(page.getByTestId("setup-refused")).toContainText("Application (client) ID");
    await expect(page.getByLabel("Client id")).toHaveValue("niet-een-guid");
    await page.getByLabel("Client id").fill(client);
    await page.getByTestId("submit-app").click();
    await expect(page.getByTestId("step-credential")).toHaveAttribute("data-state", "current");
    const setup = page.url().split("?")[0].split("#")[0];

    // Away, and back through the menu: the start page offers it where it stood.
    await page.goto("/instellingen/mailboxen");
    await page.getByTestId("nav-setup").click();
    const resume = page.locator(`a[href="${new URL(setup).pathname}"]`);
    await expect(resume).toBeVisible();
    await resume.click();
    await expect(page.getByTestId("setup-steps")).toHaveAttribute("data-current", "credential");
    await expect(page.getByTestId("step-app").getByTestId("setup-client-id")).toHaveText(client);
  });
});
