// A long "Nu ophalen" shows that it runs and how far (issues 21 and 22): the button asks the
// scheduler and the page comes back at once; while the fetch runs, the Mail section says
// "Bezig met ophalen… N berichten opgehaald" and the page reloads itself (a meta refresh, so
// also without JavaScript); when done it shows the outcome and stops reloading.
// The fake Microsoft answers every delta page slowly, and the server fetches a few messages
// per page (MAIL_PAGE_SIZE in playwright.config.ts), so the fetch takes several pages.
import { type Page } from "@playwright/test";
import { connectInfo, fakeAdmin, fakeFavicon, info } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn, test } from "./support";

/** Delivers `count` plain messages to info@'s inbox in the fake. */
async function deliverMany(count: number) {
  for (let n = 1; n <= count; n++) {
    await fakeAdmin(`/users/${encodeURIComponent(info.upn)}/messages`, "POST", {
      subject: `Voortgang ${n}`,
      from: { name: "Piet Puk", address: "piet@example.org" },
      to: [{ name: "Info", address: info.upn }],
      received_at: new Date().toISOString(),
      body: { content_type: "text", content: `Bericht ${n}` },
    });
  }
}

/** Every delta page of the fake answers after `millis`, until cleared. */
async function slowDeltaPages(millis: number) {
  await fakeAdmin("/faults", "POST", { endpoint: "graph_delta", kind: "latency", millis });
}

/**
 * On the mailbox page: press Nu ophalen, see it run with a count, then its outcome. axe
 * needs JavaScript in the page, so it checks only the run with JavaScript.
 */
async function fetchAndFollow(page: Page, { axe }: { axe: boolean }) {
  const section = page.getByTestId("section-mail");
  await section.getByTestId("fetch-now").click();
  await expect(page).toHaveURL(/\?ophalen=bezig#mail$/);
  const running = page.getByTestId("fetch-running");
  // Running, with messages stored already: the page reloaded itself to show the count.
  await expect(running).toHaveAttribute("data-state", "running", { timeout: 20_000 });
  await expect(running).toHaveAttribute("data-stored", /^[1-9]\d*$/, { timeout: 20_000 });
  await expect(running).toContainText(/Bezig met ophalen… \d+ berichten? opgehaald/);
  await expect(page).toHaveURL(/\?ophalen=bezig&herladen=\d+#mail$/);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(1);
  // Done: the outcome, and no more reloading.
  const success = page.getByTestId("fetch-success");
  await expect(success).toBeVisible({ timeout: 60_000 });
  expect(Number(await success.getAttribute("data-new"))).toBeGreaterThanOrEqual(8);
  await expect(running).toHaveCount(0);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await expect(section.getByTestId("mail-last-fetched")).not.toHaveText("Nog nooit");
  if (axe) await expectAccessible(page);
}

test.use({ allowedConsoleErrors: [[fakeFavicon], { option: true }] });

test.beforeEach(async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  clearMailboxes();
  await deliverMany(8);
});

test.afterEach(async () => {
  await fakeAdmin("/faults/graph_delta", "DELETE");
});

test("Nu ophalen shows the running fetch with its count, then the outcome", async ({ page }) => {
  await connectInfo(page, "Info voortgang");
  await slowDeltaPages(1500);
  await fetchAndFollow(page, { axe: true });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the page reloads itself while the fetch runs", async ({ page, browser, baseURL }) => {
    // Connecting uses the hydrated form; the fetch is followed without JavaScript.
    const setup = await browser.newContext({ baseURL, javaScriptEnabled: true });
    const connecting = await setup.newPage();
    await signIn(connecting);
    await connectInfo(connecting, "Info voortgang zonder JS");
    const mailbox = new URL(connecting.url()).pathname;
    await setup.close();

    await slowDeltaPages(1500);
    await page.goto(mailbox);
    await fetchAndFollow(page, { axe: false });
  });
});
