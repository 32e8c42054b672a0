// App registrations (issue 19): a saved Microsoft Api mailbox appears under its app
// registration, whose secret has no known end until an admin enters Azure's "Expires" date;
// a date already past is refused with the reason, a date 20 days ahead is stored and
// announced on the registration and on the mailbox's own page. The page and its form work
// the same with and without JavaScript: it has no island.
import { randomUUID } from "node:crypto";
import { azure, fakeAdmin, saveInfo } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn, test, waitForHydration } from "./support";

/** The date `days` from today as a date field takes it (yyyy-mm-dd, UTC). */
function isoDate(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
});

test("an app registration lists its mailbox and warns before its secret expires", async ({ page }) => {
  await saveInfo(page, "Info registratie");
  await page.goto("/instellingen/mailboxen");
  await page.getByTestId("nav-app-registrations").click();
  await expect(page).toHaveURL(/\/instellingen\/app-registraties$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("App-registraties");
  const registration = page.getByTestId("app-registration");
  await expect(registration).toHaveCount(1);
  await expect(registration.getByRole("link", { name: "Info registratie" })).toBeVisible();
  await expect(registration.getByTestId("credential-expiry")).toHaveText("onbekend");
  await expect(registration.getByTestId("registration-expiry")).toHaveCount(0);
  await expectAccessible(page);

  // A date that has passed: refused, the reason named, nothing stored.
  await registration.getByTestId("expiry-date").fill(isoDate(-2));
  await registration.getByRole("button", { name: "Verloopdatum opslaan" }).click();
  await expect(page.getByTestId("answer-refused")).toContainText("Deze datum is al voorbij");
  await expect(page.getByTestId("credential-expiry")).toHaveText("onbekend");

  // Twenty days ahead: stored, and from now on the registration warns.
  await page.getByTestId("expiry-date").fill(isoDate(20));
  await page.getByRole("button", { name: "Verloopdatum opslaan" }).click();
  await expect(page.getByTestId("answer-ok")).toHaveText("De verloopdatum is opgeslagen.");
  await expect(page.getByTestId("credential-expiry")).toHaveText(/^Verloopt over (19|20) dagen$/);
  await expect(page.getByTestId("registration-expiry")).toContainText("Certificates & secrets");
  await expectAccessible(page);

  // The mailbox's own page names its registration and the warning.
  await page.getByTestId("app-registration").getByRole("link", { name: "Info registratie" }).click();
  const note = page.getByTestId("mailbox-app-registration");
  await expect(note).toContainText(/Verloopt over (19|20) dagen/);
  await note.getByRole("link").click();
  await expect(page).toHaveURL(/\/instellingen\/app-registraties#registratie-\d+$/);
});

/** Saves a Microsoft Api mailbox of the demo app for `email`, signing in as it (no sign-in follows here). */
async function saveMailbox(page: import("@playwright/test").Page, name: string, email: string) {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-email").fill(email);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
}

test("a secret is rotated once, then a certificate, for an app registration with three mailboxes", async ({ page }) => {
  await saveMailbox(page, "Info", "info@energiedemo.onmicrosoft.com");
  await saveMailbox(page, "Leden", "ledenadministratie@energiedemo.onmicrosoft.com");
  // A third mailbox user of the demo tenant, made for this test.
  const tag = randomUUID().slice(0, 8);
  const secretariaat = `secretariaat-${tag}@energiedemo.onmicrosoft.com`;
  await fakeAdmin("/tenants/energiedemo.onmicrosoft.com/users", "POST", {
    object_id: randomUUID(),
    user_principal_name: secretariaat,
    display_name: `Secretariaat ${tag}`,
    password: `Secretariaat-${tag}`,
  });
  await saveMailbox(page, "Secretariaat", secretariaat);
  await page.goto("/instellingen/app-registraties");
  const registration = page.getByTestId("app-registration");
  await expect(registration).toHaveCount(1);
  await expect(registration.getByTestId("registration-mailboxes").getByRole("link")).toHaveCount(3);
  const rows = page.getByTestId("credential");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("credential-mailboxes")).toHaveText("3");

  // Azure makes a new secret; it is entered with its end date and checked at once.
  const added = await fakeAdmin(`/applications/${azure.client_id}/secrets`, "POST", {});
  await page.getByTestId("new-secret-value").fill(added.value);
  await page.getByTestId("new-secret-expires").fill(isoDate(300));
  await page.getByTestId("add-secret").click();
  await expect(page.getByTestId("answer-ok")).toContainText("Microsoft accepteert het");
  await expect(page.locator("body")).not.toContainText(added.value);
  await expect(rows).toHaveCount(2);
  const fresh = rows.nth(1);
  await expect(fresh.getByTestId("credential-mailboxes")).toHaveText("0");
  await expect(fresh.getByTestId("credential-expiry")).toHaveText("geldig");

  // Taken into use: all three at once; the old one is kept until removed.
  await fresh.getByTestId("use_app_credential").click();
  await expect(page.getByTestId("answer-ok")).toContainText("gebruiken nu dit geheim of certificaat");
  await expect(rows.nth(1).getByTestId("credential-mailboxes")).toHaveText("3");
  await expect(rows.first().getByTestId("credential-mailboxes")).toHaveText("0");
  await rows.first().getByTestId("remove_app_credential").click();
  await expect(page.getByTestId("answer-ok")).toHaveText("Verwijderd.");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("remove_app_credential")).toHaveCount(0);
  await expectAccessible(page);

  // A certificate: made here, uploaded in Azure, checked, then used by all three.
  await page.getByTestId("make-certificate").click();
  await expect(page.getByTestId("answer-ok")).toContainText("Upload certificate");
  const certificate = rows.nth(1);
  const href = await certificate.getByTestId("certificate-download").getAttribute("href");
  const pem = Buffer.from(href!.split(",")[1], "base64").toString("utf8");
  expect(pem).toContain("-----BEGIN CERTIFICATE-----");
  await certificate.getByTestId("check_app_credential").click();
  await expect(page.getByTestId("answer-refused")).toContainText("AADSTS700027");
  await fakeAdmin(`/applications/${azure.client_id}/certificates`, "POST", { certificate_pem: pem });
  await page.getByTestId("credential").nth(1).getByTestId("check_app_credential").click();
  await expect(page.getByTestId("answer-ok")).toHaveText("Microsoft accepteert dit geheim of certificaat.");
  await page.getByTestId("credential").nth(1).getByTestId("use_app_credential").click();
  await expect(page.getByTestId("credential").nth(1).getByTestId("credential-mailboxes")).toHaveText("3");
});

test("a second mailbox is added to an app registration without typing its secret again", async ({ page }) => {
  await saveInfo(page, "Info");
  await page.goto("/instellingen/app-registraties");
  await page.getByTestId("add-mailbox-of-registration").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/nieuw\?registratie=\d+$/);
  await waitForHydration(page);
  await expect(page.getByTestId("field-client_id")).toHaveValue(azure.client_id);
  await expect(page.getByTestId("field-tenant_id")).toHaveValue(azure.tenant_id);
  const secret = page.getByTestId("field-client_secret");
  await expect(secret).toHaveValue("");
  await expect(secret).not.toHaveAttribute("aria-required", "true");
  await page.getByTestId("field-name").fill("Leden");
  await page.getByTestId("field-email").fill("ledenadministratie@energiedemo.onmicrosoft.com");
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);

  await page.goto("/instellingen/app-registraties");
  await expect(page.getByTestId("registration-mailboxes").getByRole("link")).toHaveCount(2);
  await expect(page.getByTestId("credential")).toHaveCount(1);
  await expect(page.getByTestId("credential-mailboxes")).toHaveText("2");
});
