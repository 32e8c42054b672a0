// Instellingen > Mailboxen: server-rendered rows, hydrated filtering, the no-JavaScript path,
// accessibility and the narrow layout.
import { clearMailboxes, expect, expectAccessible, insertMailboxes, signIn, test, waitForHydration } from "./support";

const LIST = "/instellingen/mailboxen";

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
  insertMailboxes([
    { name: "Info", email: "info@energiedemo.nl", incoming: "ms-oauth", outgoing: "ms-oauth", primary: true },
    { name: "Ledenadministratie", email: "leden@energiedemo.nl", incoming: "imap", outgoing: "smtp" },
    { name: "Oude nieuwsbrief", email: "nieuws@energiedemo.nl", incoming: "none", outgoing: "smtp", active: false },
  ]);
});

test("rows inserted into the database appear, status and last error first", async ({ page }) => {
  await page.goto(LIST);
  const headers = page.locator("thead th");
  await expect(headers).toHaveText(["Status", "Laatste fout", "Weergavenaam", "Inkomend", "Uitgaand", "Berichten"]);
  const rows = page.getByTestId("mailbox-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText(["Info"]);
  await expect(rows.nth(0).locator("td")).toHaveText([
    "Niet verbonden", "–", "Info Primair info@energiedemo.nl", "Microsoft Api", "Microsoft Api",
    "0 Laatst opgehaald: Nog nooit",
  ]);
  await expect(rows.nth(2).locator("td")).toHaveText([
    "Niet gecontroleerd", "–", "Oude nieuwsbrief Niet actief nieuws@energiedemo.nl", "N.v.t.", "SMTP",
    "– Laatst opgehaald: –",
  ]);
  const id = await rows.nth(1).getByRole("link").getAttribute("href");
  expect(id).toMatch(/^\/instellingen\/mailboxen\/\d+$/);
});

test("hydrated: typing filters at once, without a page load or a server round trip", async ({ page }) => {
  await page.goto(LIST);
  await waitForHydration(page);
  // A page load would wipe this marker.
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "still here"));
  const serverCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/")) serverCalls.push(request.url());
  });

  await page.getByLabel("Naam").pressSequentially("LEDEN");
  await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
  await expect(page.getByTestId("mailbox-row")).toContainText("leden@energiedemo.nl");
  await expect(page).toHaveURL(/\?naam=LEDEN$/);

  await page.getByLabel("Naam").fill("");
  await page.getByLabel("Actief").selectOption({ label: "Nee" });
  await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
  await expect(page.getByTestId("mailbox-row")).toContainText("Oude nieuwsbrief");
  await expect(page).toHaveURL(/\?actief=nee$/);

  await page.getByLabel("Naam").fill("xyz");
  await expect(page.getByTestId("empty-filter")).toHaveText("Geen mailboxen gevonden die aan het filter voldoen.");

  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("still here");
  expect(serverCalls).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filter form is a GET the server answers with the filtered rows", async ({ page }) => {
    await page.goto(LIST);
    await expect(page.getByTestId("mailbox-row")).toHaveCount(3);
    await page.getByLabel("Naam").fill("info");
    await page.getByLabel("Actief").selectOption({ label: "Ja" });
    await page.getByRole("button", { name: "Filteren" }).click();
    await expect(page).toHaveURL(/naam=info&actief=ja/);
    await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
    await expect(page.getByTestId("mailbox-row")).toContainText("info@energiedemo.nl");
    await expect(page.getByLabel("Naam")).toHaveValue("info");
    await expect(page.getByLabel("Actief")).toHaveValue("ja");
  });
});

test("empty state when there are no mailboxes", async ({ page }) => {
  clearMailboxes();
  await page.goto(LIST);
  await expect(page.getByTestId("empty-state")).toContainText("Er zijn nog geen mailboxen");
  await expectAccessible(page);
});

test("no serious accessibility violations, hydrated", async ({ page }) => {
  await page.goto(LIST);
  await waitForHydration(page);
  await expectAccessible(page);
});

test("usable at 375 px: no horizontal scrolling, every column labelled", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(LIST);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByTestId("mailbox-row").first().locator("td").first()).toBeVisible();
  await expectAccessible(page);
});

test("demo banner while talking to the fake Microsoft", async ({ page }) => {
  await page.goto(LIST);
  await expect(page.getByTestId("demo-banner")).toContainText("nagebootste Microsoft-server");
});

test.describe("unknown pages", () => {
  // Chromium logs the document's own 404 status as a console error.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("get a Dutch 404 page with a 404 status", async ({ page }) => {
    const response = await page.goto("/instellingen/mailboxen/999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina niet gevonden");
    await expect(page.getByRole("link", { name: "Terug naar Mailboxen" })).toBeVisible();
  });
});

test("English can be chosen, is remembered, and Dutch chosen back", async ({ page }) => {
  await page.goto(`${LIST}?naam=leden`);
  await page.getByTestId("switch-language").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mailboxes");
  await expect(page).toHaveURL(/\?naam=leden$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("thead th").nth(2)).toHaveText("Display name");
  await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel("Name", { exact: true })).toBeVisible();
  await page.getByTestId("switch-language").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mailboxen");
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
});
