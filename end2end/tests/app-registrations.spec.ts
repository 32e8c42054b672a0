// App registrations (issue 19): a saved Microsoft Api mailbox appears under its app
// registration, whose secret has no known end until an admin enters Azure's "Expires" date;
// a date already past is refused with the reason, a date 20 days ahead is stored and
// announced on the registration and on the mailbox's own page. The page and its form work
// the same with and without JavaScript: it has no island.
import { saveInfo } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn, test } from "./support";

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
  await registration.getByLabel("Verloopt op").fill(isoDate(-2));
  await registration.getByRole("button", { name: "Verloopdatum opslaan" }).click();
  await expect(page.getByTestId("expiry-refused")).toContainText("Deze datum is al voorbij");
  await expect(page.getByTestId("credential-expiry")).toHaveText("onbekend");

  // Twenty days ahead: stored, and from now on the registration warns.
  await page.getByLabel("Verloopt op").fill(isoDate(20));
  await page.getByRole("button", { name: "Verloopdatum opslaan" }).click();
  await expect(page.getByTestId("expiry-saved")).toHaveText("De verloopdatum is opgeslagen.");
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
