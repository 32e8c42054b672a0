// Signing in and out, the generic refusal, private pages that the back button cannot bring
// back, and a Content-Security-Policy under which the hydrated app works without violations.
import { ADMIN, expect, expectAccessible, signIn, test, waitForHydration } from "./support";

const LIST = "/instellingen/mailboxen";

test("sign in (hydrated), reach the settings, sign out; back shows nothing private", async ({ page }) => {
  await page.goto(LIST);
  await expect(page).toHaveURL(/\/inloggen$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inloggen");
  await expectAccessible(page);

  const listResponse = page.waitForResponse((r) => new URL(r.url()).pathname === LIST && r.status() === 200);
  await signIn(page);
  await expect(page).toHaveURL(new RegExp(`${LIST}$`));
  expect((await listResponse).headers()["cache-control"]).toBe("no-store");
  await waitForHydration(page);
  await expect(page.getByTestId("signed-in-as")).toContainText(ADMIN.email);
  await expect(page.getByTestId("signed-in-as")).toContainText("(beheerder)");
  await expect(page.getByTestId("add-mailbox")).toBeVisible();

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await expect(page).toHaveURL(/\/inloggen$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/inloggen/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await expect(page.getByTestId("mailbox-table")).toHaveCount(0);
  await expect(page.getByTestId("sign-in-form")).toBeVisible();
});

test("a wrong password gets the one generic message", async ({ page }) => {
  await page.goto("/inloggen");
  await signIn(page, "niet-het-wachtwoord-123");
  await expect(page).toHaveURL(/\/inloggen\?fout=onjuist/);
  await expect(page.getByTestId("sign-in-error")).toHaveText("E-mailadres of wachtwoord onjuist.");
  await expect(page.getByLabel("Wachtwoord")).toHaveValue("");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("signing in returns to the page asked for", async ({ page }) => {
    await page.goto(`${LIST}/nieuw`);
    await expect(page).toHaveURL(/\/inloggen\?next=/);
    await signIn(page);
    await expect(page).toHaveURL(new RegExp(`${LIST}/nieuw$`));
    await expect(page.getByTestId("mailbox-form")).toBeVisible();
  });
});

test("the CSP lets the hydrated app work without a single violation", async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await signIn(page);
  const response = await page.goto(`${LIST}/nieuw`);
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}' 'wasm-unsafe-eval'/);
  expect(csp).toContain("frame-ancestors 'none'");
  await waitForHydration(page);
  // Hydrated: typing validates at once, without a round trip.
  await page.getByLabel("Client id").fill("geen-guid");
  await page.getByLabel("Client id").blur();
  await expect(page.getByTestId("error-client_id")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});
