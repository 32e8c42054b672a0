// The manual's flow end to end: create a Microsoft Api mailbox, save, sign in on (fake)
// Microsoft as the mailbox's user, land back on the mailbox showing "Verbonden" — twice in one
// browser. And the wrong account: refused, both accounts named.
import { type Page } from "@playwright/test";
import { azure, fakeFavicon, info, leden, signInToMicrosoft } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn as signInToApp, test, waitForHydration } from "./support";

/** Fills in the new-mailbox form for `user` and saves: the browser goes on to Microsoft. */
async function createMailbox(page: Page, name: string, user: { upn: string; objectId: string }) {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-email").fill(user.upn);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
  await page.getByTestId("field-object_id").fill(user.objectId);
  // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
  await page.getByTestId("method-delegated").check();
  await page.getByTestId("save").click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/signin\//);
}

// The fake Microsoft's pages have no favicon: Chromium reports its 404 on the console.
// (An array option value is wrapped in another: Playwright reads `[value, options]`.)
test.use({ allowedConsoleErrors: [[fakeFavicon], { option: true }] });

test.beforeEach(async ({ page }) => {
  await signInToApp(page);
  clearMailboxes();
});

test("two mailboxes are connected one after another in the same browser", async ({ page }) => {
  await createMailbox(page, "Info", info);
  await signInToMicrosoft(page, info);
  await page.waitForURL(/\/instellingen\/mailboxen\/\d+$/);
  await expect(page.getByTestId("connection-state")).toHaveText("Verbonden");
  await expect(page.getByTestId("connected-account")).toHaveText(info.upn);
  await waitForHydration(page);
  await expectAccessible(page);

  await createMailbox(page, "Ledenadministratie", leden);
  await signInToMicrosoft(page, leden);
  await page.waitForURL(/\/instellingen\/mailboxen\/\d+$/);
  await expect(page.getByTestId("connection-state")).toHaveText("Verbonden");
  await expect(page.getByTestId("connected-account")).toHaveText(leden.upn);

  await page.goto("/instellingen/mailboxen");
  await expect(page.getByText("Verbonden")).toHaveCount(2);
});

test.describe("wrong account", () => {
  // The refusal page answers 403, which Chromium reports on the console.
  test.use({
    allowedConsoleErrors: [[fakeFavicon, /status of 403 .*\/api\/oauth\/ms-azure\/callback/], { option: true }],
  });

  test("is refused and both accounts are named", async ({ page }) => {
    await createMailbox(page, "Info", info);
    await signInToMicrosoft(page, leden);
    const message = page.getByTestId("wrong-account");
    await expect(message).toContainText("U bent ingelogd als");
    await expect(page.getByTestId("signed-in-account")).toHaveText(leden.upn);
    await expect(page.getByTestId("expected-account")).toContainText(info.upn);
    await expect(page.getByTestId("sign-in-again")).toBeVisible();
    await page.getByTestId("back-to-mailbox").click();
    await expect(page.getByTestId("last-problem")).toHaveAttribute("data-outcome", "wrong_account");
    await expect(page.getByTestId("connection-state")).toHaveText("Niet verbonden");
  });
});

test.describe("without an Object ID", () => {
  // The refusal page answers 403, which Chromium reports on the console.
  test.use({
    allowedConsoleErrors: [[fakeFavicon, /status of 403 .*\/api\/oauth\/ms-azure\/callback/], { option: true }],
  });

  test("another account is refused by the address; the mailbox's own account fills in the Object ID", async ({
    page,
  }) => {
    await createMailbox(page, "Info", { upn: info.upn, objectId: "" });
    await signInToMicrosoft(page, leden);
    await expect(page.getByTestId("callback-error")).toHaveAttribute("data-code", "CB13");
    await expect(page.getByTestId("wrong-address")).toContainText("U bent ingelogd als");
    await expect(page.getByTestId("signed-in-account")).toHaveText(leden.upn);
    await expect(page.getByTestId("expected-account")).toHaveText(info.upn);
    await expect(page.getByTestId("callback-advice")).toContainText("Zonder Object ID herkent de app de mailbox");
    await page.getByTestId("back-to-mailbox").click();
    await expect(page.getByTestId("last-problem")).toHaveAttribute("data-outcome", "wrong_address");
    await expect(page.getByTestId("connection-state")).toHaveText("Niet verbonden");
    await expect(page.getByTestId("field-object_id")).toHaveValue("");

    await page.getByTestId("connect").click();
    await signInToMicrosoft(page, info);
    await page.waitForURL(/\/instellingen\/mailboxen\/\d+$/);
    await expect(page.getByTestId("connection-state")).toHaveText("Verbonden");
    await expect(page.getByTestId("connected-account")).toHaveText(info.upn);
    await expect(page.getByTestId("field-object_id")).toHaveValue(info.objectId);
  });
});
