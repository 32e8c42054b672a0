// What a Dutch admin sees (issue 22): values typed or autofilled before the page's script
// ran are kept, counts read right, the list fits 1280 and 375 px, the demo's sign-in page
// says how to sign in. Screenshots of the list, mailbox and message pages at both widths go
// to end2end/screenshots/ for a reviewer (not committed).
import type { Page } from "@playwright/test";
import * as path from "node:path";
import {
  ADMIN,
  clearMailboxes,
  expect,
  expectAccessible,
  insertMailboxes,
  insertMessage,
  insertSyncFailure,
  mailboxId,
  signIn,
  test,
  waitForHydration,
} from "./support";

const LIST = "/instellingen/mailboxen";
const NEW = "/instellingen/mailboxen/nieuw";
const SCREENSHOTS = path.join(__dirname, "..", "screenshots");
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 375, height: 800 },
];

// The demo tenant's app registration and mailbox (fake-microsoft/fixtures/demo.json).
const azure = {
  name: "Info vooraf",
  email: "info@energiedemo.onmicrosoft.com",
  client_id: "80aef83a-368f-4a54-a387-8c794cf71106",
  tenant_id: "8c10395e-14fe-46db-a8b6-699ac4a65109",
  client_secret: "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF",
  object_id: "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5",
};

/** Holds the WASM bundle back, as a slow connection would: the page shows, inert. */
async function slowBundle(page: Page) {
  await page.route(/\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
}

async function notYetHydrated(page: Page) {
  expect(await page.locator("body[data-hydrated='true']").count(), "the bundle already ran").toBe(0);
}

/** Fails when the page, or any scrolling box in its main content, is wider than the window. */
async function expectNoHorizontalOverflow(page: Page) {
  const offenders = await page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) found.push(`page: ${root.scrollWidth} > ${window.innerWidth}`);
    for (const element of Array.from(document.querySelectorAll("main, main *"))) {
      const name = `${element.tagName.toLowerCase()}.${element.className}`;
      const scrolls = ["auto", "scroll"].includes(getComputedStyle(element).overflowX);
      if (scrolls && element.scrollWidth > element.clientWidth + 1) {
        found.push(`${name} scrolls: ${element.scrollWidth} > ${element.clientWidth}`);
      }
      const right = element.getBoundingClientRect().right;
      if (right > window.innerWidth + 1) found.push(`${name} ends at ${Math.round(right)}`);
    }
    return found;
  });
  expect(offenders, `horizontal overflow at ${page.viewportSize()?.width} px`).toEqual([]);
}

async function screenshot(page: Page, name: string) {
  const { width } = page.viewportSize() ?? { width: 0 };
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
}

test.describe("signed in", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
    clearMailboxes();
  });

  test("typed before the bundle ran: Opslaan saves what the fields show", async ({ page }) => {
    await slowBundle(page);
    await page.goto(NEW, { waitUntil: "domcontentloaded" });
    await notYetHydrated(page);
    for (const name of ["name", "email", "client_id", "tenant_id", "client_secret", "object_id"] as const) {
      await page.getByTestId(`field-${name}`).fill(azure[name]);
    }
    await waitForHydration(page);
    await expect(page.getByTestId("error-name")).toHaveCount(0);
    // Signing in as the mailbox, explicitly: "Automatisch" would connect it without password.
    await page.getByTestId("method-delegated").check();
    await page.getByTestId("save").click();
    // Saved, and on its way to Microsoft's sign-in for this mailbox.
    await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?.*login_hint=info%40energiedemo/);
    expect(mailboxId(azure.email)).toBeGreaterThan(0);
  });

  test("filled by the browser before the bundle ran (no input events): saved too", async ({ page }) => {
    await slowBundle(page);
    await page.goto(NEW, { waitUntil: "domcontentloaded" });
    await notYetHydrated(page);
    // As autofill and password managers do: values set on the elements, no events.
    await page.evaluate((values) => {
      for (const [name, value] of Object.entries(values)) {
        (document.querySelector(`[name="${name}"]`) as HTMLInputElement).value = value;
      }
    }, azure);
    await waitForHydration(page);
    await expect(page.getByTestId("field-object_id")).toHaveValue(azure.object_id);
    await page.getByTestId("method-delegated").check();
    await page.getByTestId("save").click();
    await expect(page.getByTestId("error-object_id")).toHaveCount(0);
    await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?/);
    expect(mailboxId(azure.email)).toBeGreaterThan(0);
  });

  test("a filter typed before the bundle ran filters the rows once it runs", async ({ page }) => {
    insertMailboxes([
      { name: "Info", email: "info@energiedemo.nl" },
      { name: "Ledenadministratie", email: "leden@energiedemo.nl" },
    ]);
    await slowBundle(page);
    await page.goto(LIST, { waitUntil: "domcontentloaded" });
    await notYetHydrated(page);
    await page.getByLabel("Naam").fill("leden");
    await waitForHydration(page);
    await expect(page.getByTestId("mailbox-row")).toHaveCount(1);
    await expect(page.getByTestId("mailbox-row")).toContainText("leden@energiedemo.nl");
    await expect(page).toHaveURL(/\?naam=leden$/);
  });

  test("counts read right for one and for many, in both languages", async ({ page }) => {
    insertMailboxes([
      { name: "Info", email: "info@energiedemo.nl" },
      { name: "Ledenadministratie", email: "leden@energiedemo.nl" },
      { name: "Nieuwsbrief", email: "nieuws@energiedemo.nl" },
    ]);
    await page.goto(LIST);
    await expect(page.getByTestId("row-count")).toHaveText("3 mailboxen getoond");
    await waitForHydration(page);
    await page.getByLabel("Naam").fill("leden");
    await expect(page.getByTestId("row-count")).toHaveText("1 mailbox getoond");
    await page.getByLabel("Naam").fill("xyz");
    await expect(page.getByTestId("row-count")).toHaveText("0 mailboxen getoond");
    // Server-rendered (no JavaScript needed) and in English.
    await page.goto(`${LIST}?naam=info`);
    await expect(page.getByTestId("row-count")).toHaveText("1 mailbox getoond");
    await page.getByTestId("switch-language").click();
    await expect(page.getByTestId("row-count")).toHaveText("1 mailbox shown");
    await page.getByTestId("switch-language").click();
    await expect(page.getByTestId("row-count")).toHaveText("1 mailbox getoond");
  });

  test("the list fits 1280 and 375 px with long names, addresses and errors; status and last error first", async ({ page }) => {
    insertMailboxes([
      {
        name: "Ledenadministratie Energiecoöperatie Zonnedorp Noord-Holland",
        email: "ledenadministratie.energiecooperatie-zonnedorp@noord-holland.energiedemo.onmicrosoft.com",
        primary: true,
      },
      { name: "Oude nieuwsbrief", email: "nieuws@energiedemo.nl", incoming: "none", outgoing: "smtp", active: false },
    ]);
    const failing = mailboxId("ledenadministratie.energiecooperatie-zonnedorp@noord-holland.energiedemo.onmicrosoft.com");
    insertSyncFailure(
      failing,
      "ErrorAccessDenied",
      "Access is denied. Check credentials and try again. The application does not have permission to read this mailbox (Mail.Read, Mail.ReadWrite).",
    );
    await page.goto(LIST);
    await expect(page.locator("thead th")).toHaveText([
      "Status", "Laatste fout", "Weergavenaam", "Inkomend", "Uitgaand", "Berichten",
    ]);
    const row = page.getByTestId("mailbox-row").filter({ hasText: "Zonnedorp" });
    await expect(row.getByTestId("mailbox-last-error")).toContainText("ErrorAccessDenied: Access is denied.");
    await expect(row.getByTestId("mailbox-primary")).toHaveText("Primair");
    await expect(page.getByTestId("mailbox-row").filter({ hasText: "Oude" }).getByTestId("mailbox-inactive"))
      .toHaveText("Niet actief");
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await page.reload();
      await waitForHydration(page);
      // Every cell of the failing row is within the window's width, the last error included.
      for (const cell of ["mailbox-status", "mailbox-last-error", "mailbox-email", "mailbox-message-count"]) {
        const box = await row.getByTestId(cell).boundingBox();
        expect(box, cell).not.toBeNull();
        expect(box!.x + box!.width, `${cell} at ${size.width} px`).toBeLessThanOrEqual(size.width);
      }
      await expectNoHorizontalOverflow(page);
      await expectAccessible(page);
    }
  });

  test("screenshots: list, mailbox and message pages at 1280 and 375 px, none wider than the window", async ({ page }) => {
    insertMailboxes([
      { name: "Info", email: "info@energiedemo.nl", primary: true },
      { name: "Ledenadministratie", email: "leden@energiedemo.nl", incoming: "imap", outgoing: "smtp" },
    ]);
    const id = mailboxId("info@energiedemo.nl");
    insertSyncFailure(id, "ErrorItemNotFound", "The specified object was not found in the store.");
    insertMessage(id, {
      subject: "Aanmelding zonnepanelenproject De Groene Daken, inschrijving nummer 2026-0412",
      from: "piet.puk@voorbeeld-energiecooperatie.example.org",
      body: "Beste Info,\n\nHierbij mijn aanmelding voor het project.\nhttps://www.example.org/een/heel/lang/pad/dat/niet/afbreekt/zonder/hulp/van/de/pagina/0123456789abcdef\n\nGroet, Piet",
    });
    const pages = [
      { name: "list", url: LIST },
      { name: "mailbox", url: `${LIST}/${id}` },
      { name: "messages", url: `${LIST}/${id}/berichten` },
    ];
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      for (const { name, url } of pages) {
        await page.goto(url);
        await waitForHydration(page);
        await expectNoHorizontalOverflow(page);
        await screenshot(page, name);
      }
      await page.getByTestId("message-link").click();
      await expect(page).toHaveURL(/\/berichten\/\d+$/);
      await waitForHydration(page);
      await expect(page.getByTestId("message-body")).toBeVisible();
      await expectNoHorizontalOverflow(page);
      await screenshot(page, "message");
    }
  });
});

test.describe("the demo's sign-in page", () => {
  test("shows the demo banner and the account to sign in with", async ({ page }) => {
    await page.goto("/inloggen");
    await expect(page.getByTestId("demo-banner")).toContainText("nagebootste Microsoft-server");
    const account = page.getByTestId("demo-account");
    await expect(account.getByTestId("demo-account-email")).toHaveText(ADMIN.email);
    // The tests' password is not the one the README publishes for `make run`: never shown.
    await expect(account.getByTestId("demo-account-password")).toHaveCount(0);
    await expect(account).toContainText("BOOTSTRAP_ADMIN_PASSWORD");
    expect(await page.content()).not.toContain(ADMIN.password);
    await expectAccessible(page);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await expectNoHorizontalOverflow(page);
      await screenshot(page, "sign-in");
    }
  });
});
